import type { ConcernTag } from '../domain/chronology/entry.ts';
import type { Rng } from './prng.ts';

/**
 * Free text in the agencies' voice. Obviously fictional: people are "Mother", "Father", "the
 * child", never names. Commas, "quotes" and line breaks are there on purpose, to exercise CSV quoting.
 */

const CONCERN_WORDS: Record<ConcernTag, string> = {
  drugs: 'drug use in the home',
  alcohol: 'alcohol use by the adults',
  domestic_abuse: 'domestic abuse between the adults',
  exploitation: 'possible criminal exploitation',
  organised_crime: 'links to organised crime',
  neglect: 'neglect of the home and the child',
  developmental_delay: 'delayed speech and motor skills',
  mental_health: "Mother's low mood",
  housing: 'damp, overcrowded housing',
  physical_harm: 'an unexplained bruise',
  sexual_harm: 'a worrying disclosure',
  emotional_harm: 'shouting and threats in front of the child',
  missing: 'episodes of going missing',
  school_attendance: 'poor school attendance',
};

export function concernWords(tags: readonly ConcernTag[]): string {
  const words = tags.map((t) => CONCERN_WORDS[t]);
  return words.length <= 1
    ? (words[0] ?? 'general worries')
    : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

const VOICES = [
  'Said "I like it at nursery, the teachers are kind."',
  'Smiled, babbled and reached for Mother.',
  'Quiet, did not want to talk.\nDrew a picture of the family, with the dog "in charge".',
  'Said home is "noisy, sometimes scary, sometimes OK".',
  'Asked when the worker would come back.',
  'Played with cars on the floor; settled, made good eye contact.',
];

const HOME_SEEN = [
  'Home visit. Child seen in the living room, clean and appropriately dressed.',
  'Announced home visit; child seen and spoken to alone in the bedroom.',
  'Home visit, Mother and child present. Home "cluttered but safe", food in the cupboards.',
  'Visit to the home: child seen, asleep in the cot, then woken and seen awake.',
];

export function homeVisitSeen(rng: Rng, tags: readonly ConcernTag[]): string {
  const base = rng.pick(HOME_SEEN);
  return tags.length ? `${base} Discussed ${concernWords(tags)}.` : base;
}

export function voice(rng: Rng): string | null {
  return rng.chance(0.4) ? rng.pick(VOICES) : null;
}

export const NOT_SEEN_VISIT = [
  'Unannounced home visit, no reply at the door. Card left, "please call".',
  'Home visit, Mother said the child was asleep upstairs; child not seen.',
  "Home visit; told the child was at a relative's house, address not given.",
];

export const NOT_RECORDED_VISIT = [
  'Home visit completed, Mother spoken with about the plan.',
  'Visit to the home to review the plan, adults spoken with, "things are fine".',
];

export const OFFICE_WORK = [
  'Mother attended the office to discuss the plan; child at nursery.',
  'Telephone call with Mother, said the child is "doing fine", agreed next steps.',
  'Core group / network meeting held; the child did not attend.',
  'Information shared with school and health visitor by e-mail, no response yet.',
];

export const UNIVERSAL = {
  hvVisit: [
    'Health visitor contact, weight and growth reviewed, on track.',
    'Health visitor home visit; feeding, sleep and safety advice given.',
  ],
  devCheck: [
    'Developmental review (ASQ-3), all areas within the expected range.',
    'Two-year review completed, no concerns, "chatty and active".',
  ],
  gp: [
    'GP appointment for a chest infection, antibiotics prescribed.',
    'GP: immunisations given, no concerns noted.',
    'GP consultation, eczema, cream prescribed; child well.',
  ],
  missed: [
    'Was not brought to the appointment; letter sent, re-booked.',
    'Missed dental appointment, family did not respond to the text reminder.',
  ],
  school: [
    'Parents\' evening attended by Mother; child "settled, making friends".',
    'School nurse contact: height, weight and vision screening, no concerns.',
    'Class teacher reports the child is happy, attendance 97%.',
  ],
};

export const REFERRERS = [
  { agency: 'police', role: 'police officer', why: 'following a call to the home' },
  {
    agency: 'school',
    role: 'designated safeguarding lead',
    why: 'after the child said something worrying in class',
  },
  { agency: 'health-visiting', role: 'health visitor', why: 'after a home visit' },
  { agency: 'gp', role: 'GP', why: 'after a consultation with Mother' },
] as const;
