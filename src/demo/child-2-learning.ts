/**
 * Child 2's Line of Sight event, key practice episodes and learning, in the published briefing's
 * own words (../shared/examples/line-of-sight-briefing-child-2.txt, sections 4 and 5). The people
 * at the event are invented. Episodes link to the synthetic chronology's entries by their agency
 * reference when the merged chronology holds them.
 */
import type { Actor } from '../domain/lifecycle/roles.ts';
import type { Services } from '../services/index.ts';

/** KLOEs by their position in CHILD_2.linesOfEnquiry: 1 exploitation … 5 police recording. */
type Kloe = 1 | 2 | 3 | 4 | 5;

export const CHILD_2_EVENT = {
  heldOn: '2021-04-20',
  format: 'in_person' as const,
  venue: 'Northshire House, Exampleton (demonstration)',
  attendees: [
    {
      agency: 'police',
      name: 'PC Demo Officer',
      tier: 'practitioner',
      jobTitle: 'Response officer',
      attendance: 'attended',
    },
    {
      agency: 'police',
      name: 'DS Demo Sergeant',
      tier: 'supervisor',
      jobTitle: 'Safeguarding sergeant',
      attendance: 'attended',
    },
    {
      agency: 'police',
      name: 'Pat Police-Lead (demo)',
      tier: 'senior_manager',
      jobTitle: 'Detective inspector, safeguarding',
      attendance: 'attended',
    },
    {
      agency: 'csc',
      name: 'Demo Social Worker',
      tier: 'practitioner',
      jobTitle: 'Social worker',
      attendance: 'attended',
    },
    {
      agency: 'csc',
      name: 'Demo Team Manager',
      tier: 'supervisor',
      jobTitle: 'Team manager',
      attendance: 'attended',
    },
    {
      agency: 'csc',
      name: 'Sam Social-Care-Lead (demo)',
      tier: 'senior_manager',
      jobTitle: 'Safeguarding service manager',
      attendance: 'attended',
    },
    {
      agency: 'health-visiting',
      name: 'Parker Practitioner (demo)',
      tier: 'practitioner',
      jobTitle: 'Health visitor',
      attendance: 'attended',
    },
    {
      agency: 'health-visiting',
      name: 'Harper Health-Visiting-Lead (demo)',
      tier: 'supervisor',
      jobTitle: 'Named nurse for safeguarding',
      attendance: 'attended',
    },
    {
      agency: 'gp',
      name: 'Dr Demo Practice',
      tier: 'practitioner',
      jobTitle: 'GP safeguarding lead',
      attendance: 'apologies',
    },
    {
      agency: 'drug-alcohol-service',
      name: 'Demo Recovery Worker',
      tier: 'practitioner',
      jobTitle: 'Recovery worker',
      attendance: 'attended',
    },
  ],
  reflectiveNotes:
    'Practitioners described how each incident was dealt with on its own, so no one saw the pattern. Police officers said the incident form did not prompt them to record children in the household. Health visiting described a good relationship with mother but no route to escalate the developmental delay when the referral was not made. Social workers described high caseloads and changes of worker. (Synthetic demonstration notes.)',
};

interface DemoEpisode {
  title: string;
  kind: 'good_practice' | 'area_for_improvement';
  agencies: string[];
  /** Source references in the synthetic chronology; linked when present in the merged chronology. */
  evidence: string[];
  kloes: Kloe[];
}

export const CHILD_2_EPISODES: DemoEpisode[] = [
  {
    title: 'Accessibility of health visitor for Mother',
    kind: 'good_practice',
    agencies: ['health-visiting'],
    evidence: ['HV-301', 'HV-309'],
    kloes: [2],
  },
  {
    title: 'Good outcomes for the child Following becoming subject to a child protection plan/ looked after.',
    kind: 'good_practice',
    agencies: ['csc'],
    evidence: ['CSC-2291', 'CSC-2299'],
    kloes: [3],
  },
  {
    title: 'The child was not recorded as being in the home by the police and was not seen as a victim',
    kind: 'area_for_improvement',
    agencies: ['police'],
    evidence: ['POL-119', 'POL-120'],
    kloes: [5, 2],
  },
  {
    title:
      'The risk to the child as a result of the organised crime/ drug activity was not initially recognised or understood by agencies',
    kind: 'area_for_improvement',
    agencies: ['police', 'csc', 'health-visiting'],
    evidence: ['CSC-2270', 'CSC-2271', 'CSC-2280'],
    kloes: [1, 3],
  },
  {
    title: 'Development delay was noted but not followed up or explanation sought.',
    kind: 'area_for_improvement',
    agencies: ['health-visiting', 'gp'],
    evidence: ['HV-322', 'HV-342'],
    kloes: [2, 4],
  },
  {
    title: 'The risk of physical, sexual and emotional harm to the child not recognised by all professionals',
    kind: 'area_for_improvement',
    agencies: ['csc', 'police', 'health-visiting', 'gp', 'drug-alcohol-service'],
    evidence: ['CSC-2236', 'CSC-2242'],
    kloes: [3],
  },
  {
    title:
      'A number of changes in social worker resulted in being unable to build a relationship with mother or getting to know the child in any way',
    kind: 'area_for_improvement',
    agencies: ['csc'],
    evidence: ['CSC-2203', 'CSC-2232', 'CSC-2240', 'CSC-2248', 'CSC-2281', 'CSC-2292'],
    kloes: [2],
  },
];

/** The five learning statements; `episodes` are indexes into CHILD_2_EPISODES. */
export const CHILD_2_LEARNING: { statement: string; themes: string[]; episodes: number[]; kloes: Kloe[] }[] =
  [
    {
      statement: 'Professional curiosity is needed and to think the unthinkable',
      themes: ['professional-curiosity', 'risk-assessment'],
      episodes: [3, 5],
      kloes: [1, 3],
    },
    {
      statement:
        'Ensure staff dealing with any incident consider the impact on the children in the household.',
      themes: ['voice-of-the-child', 'think-family'],
      episodes: [2],
      kloes: [2],
    },
    {
      statement: 'Ensure children be included in any police report as children in the household',
      themes: ['recording-chronologies', 'voice-of-the-child'],
      episodes: [2],
      kloes: [5],
    },
    {
      statement:
        'Check and challenge meetings be used by the Front as an earlier identification of practice issues',
      themes: ['critical-challenge', 'thresholds-re-referral'],
      episodes: [3, 4],
      kloes: [4],
    },
    {
      statement: 'Ensure all involved agencies take part in Line of Sight Events',
      themes: ['information-sharing'],
      episodes: [],
      kloes: [4],
    },
  ];

/**
 * Records Child 2's event, episodes and learning through the services, while the review is at
 * the event stage: the event in April 2021, then the episodes and learning agreed at it.
 */
export async function loadChild2EventAndLearning(
  services: Services,
  setDate: (iso: string) => void,
  reference: string,
  chair: Actor,
) {
  setDate('2021-04-13');
  await services.event.saveDetails(chair, reference, {
    heldOn: CHILD_2_EVENT.heldOn,
    format: CHILD_2_EVENT.format,
    venue: CHILD_2_EVENT.venue,
    link: null,
  });
  for (const a of CHILD_2_EVENT.attendees)
    await services.event.addAttendee(chair, reference, { ...a, jobTitle: a.jobTitle, email: null });
  setDate(CHILD_2_EVENT.heldOn);
  const { attendees } = await services.event.event(chair, reference);
  await services.event.recordAttendance(chair, reference, {
    attendance: Object.fromEntries(
      attendees.map((a) => [a.id, CHILD_2_EVENT.attendees.find((d) => d.name === a.name)!.attendance]),
    ),
  });
  await services.event.saveNotes(chair, reference, { reflectiveNotes: CHILD_2_EVENT.reflectiveNotes });

  const options = await services.episodes.formOptions(chair, reference);
  const kloeId = (n: Kloe) => options.linesOfEnquiry.find((k) => k.position === n)!.id;
  const bySourceRef = new Map(options.entries.filter((e) => e.sourceRef).map((e) => [e.sourceRef!, e.id]));
  const episodeIds: string[] = [];
  for (const e of CHILD_2_EPISODES) {
    const added = await services.episodes.add(chair, reference, {
      title: e.title,
      kind: e.kind,
      agencies: e.agencies,
      entryIds: e.evidence.flatMap((ref) => (bySourceRef.has(ref) ? [bySourceRef.get(ref)!] : [])),
      lineOfEnquiryIds: e.kloes.map(kloeId),
    });
    episodeIds.push(added.id);
  }
  setDate('2021-04-28');
  for (const l of CHILD_2_LEARNING)
    await services.learning.add(chair, reference, {
      statement: l.statement,
      themes: l.themes,
      episodeIds: l.episodes.map((i) => episodeIds[i]!),
      lineOfEnquiryIds: l.kloes.map(kloeId),
    });
}
