/**
 * The words that end the name of a school, nursery, health setting or place of worship:
 * "Sampletown Primary School", "Northshire General Hospital", "Parkview Medical Centre".
 * Longest first, so "Medical Centre" is one noun, not "Centre".
 */
export const INSTITUTION_NOUNS = [
  "children['’]s centre",
  'family centre',
  'family hub',
  'medical centre',
  'medical practice',
  'health centre',
  'day nursery',
  'pre-school',
  'preschool',
  'playgroup',
  'school',
  'academy',
  'nursery',
  'college',
  'university',
  'hospital',
  'infirmary',
  'surgery',
  'clinic',
  'church',
  'chapel',
  'mosque',
  'synagogue',
  'temple',
  'gurdwara',
];

export const INSTITUTION_NOUN_SOURCE = `(?:${INSTITUTION_NOUNS.map((n) => n.replace(/ /g, '\\s+')).join('|')})`;

/**
 * Words that say what kind of setting it is, not which: "the Primary School", "a General Hospital"
 * and "the Royal Infirmary" name no particular one. A name needs a word that is not one of these.
 */
export const GENERIC_INSTITUTION_WORDS = new Set(
  `primary secondary infant infants junior juniors high grammar special free community general royal
  district catholic rc ce c of e church methodist baptist parish central local new old upper lower
  middle north south east west medical health family children children's day pre nursery sixth form
  independent academy trust county city regional university teaching women's maternity
  pupil referral unit the a an our their his her its this that local`.split(/\s+/),
);

/** The forms a recorded setting is written in: its name, and its name without the noun. */
export function institutionForms(name: string): string[] {
  const full = name.replace(/\s+/g, ' ').trim();
  if (full === '') return [];
  const noun = new RegExp(`\\s+${INSTITUTION_NOUN_SOURCE}$`, 'i');
  const short = full.replace(noun, '').trim();
  // "Sampletown Primary" for "Sampletown Primary School"; one word alone only when it is a name.
  return short !== full && short !== '' ? [full, short] : [full];
}
