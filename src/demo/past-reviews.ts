import type { Actor } from '../domain/lifecycle/roles.ts';
import type { Stage } from '../domain/lifecycle/stages.ts';
import type { Services } from '../services/index.ts';

/**
 * Northshire's reviews after Child 2, so learning across reviews has a history to show on a fresh
 * demo: the same themes come back (the voice of the child, professional curiosity) after actions on
 * them were completed or assured, an audit shows the improvement fading, and one review of this
 * year waits on two agencies' returns. Synthetic and obviously so: "Testchild" names, example
 * addresses, the ZZ99 pseudo-postcode.
 */

type Lead = 'police.lead@demo.example' | 'csc.lead@demo.example' | 'hv.lead@demo.example';
const LEAD_OF: Record<string, Lead> = {
  police: 'police.lead@demo.example',
  csc: 'csc.lead@demo.example',
  'health-visiting': 'hv.lead@demo.example',
};

interface PastAction {
  agency: 'police' | 'csc' | 'health-visiting' | 'partnership';
  what: string;
  successMeasure: string;
  /** Indexes into the review's learning. */
  learning: number[];
  added: string;
  due: string;
  /** Updates in order: completed needs its evidence. */
  updates: { on: string; status: 'in_progress' | 'completed' | 'assured'; note: string; evidence?: string }[];
  audit?: {
    question: string;
    sampleDescription: string;
    compliantMeans: string;
    rounds: { on: string; sampled: number; compliant: number; note?: string }[];
  };
}

export interface PastReview {
  pseudonym: string;
  number: number;
  referredOn: string;
  referringAgency: 'police' | 'csc' | 'health-visiting';
  whatHappened: string;
  whyLearning: string;
  period: { periodFrom: string; periodTo: string };
  lineOfEnquiry: string;
  /** Stage dates from screening on; the review stops at the last one given. */
  stages: Partial<Record<Stage, string>>;
  /** Agencies asked for a return, and when each submitted (null: not yet). */
  returns: { agency: 'police' | 'csc' | 'health-visiting'; submitted: string | null }[];
  askedOn: string;
  acceptedOn?: string;
  learning: { statement: string; themes: string[] }[];
  actions: PastAction[];
  closedOn?: string;
}

const entry = (date: string, sourceRef: string, summary: string, eventType = 'contact') => ({
  date,
  sourceRef,
  summary,
  eventType,
  childrenPresent: 'yes' as const,
});

export const PAST_REVIEWS: PastReview[] = [
  {
    pseudonym: 'Child 3',
    number: 3,
    referredOn: '2022-03-14',
    referringAgency: 'csc',
    whatHappened:
      'A five-year-old was found to have been living with an adult the agencies did not know about. (Synthetic demonstration case.)',
    whyLearning: "Practitioners accepted the parent's account of who lived in the home at every visit.",
    period: { periodFrom: '2020-09-01', periodTo: '2022-02-28' },
    lineOfEnquiry:
      'Did practitioners know who lived in the household and what daily life was like for the child?',
    stages: {
      screening: '2022-03-15',
      terms_of_reference: '2022-03-22',
      information_gathering: '2022-03-29',
      analysis: '2022-05-03',
      event: '2022-05-24',
      learning_and_actions: '2022-06-14',
      briefing: '2022-07-19',
      impact: '2022-09-01',
    },
    returns: [
      { agency: 'police', submitted: '2022-04-19' },
      { agency: 'csc', submitted: '2022-04-21' },
      { agency: 'health-visiting', submitted: '2022-04-22' },
    ],
    askedOn: '2022-03-29',
    acceptedOn: '2022-04-29',
    learning: [
      {
        statement:
          "Be professionally curious about who lives in the home: do not take a parent's account at face value",
        themes: ['professional-curiosity', 'unseen-men'],
      },
      {
        statement: 'Speak to the child alone and record what daily life is like for them, in their words',
        themes: ['voice-of-the-child', 'recording-chronologies'],
      },
    ],
    actions: [
      {
        agency: 'partnership',
        what: 'Multi-agency training in professional curiosity for every front-line team',
        successMeasure:
          'Every front-line team trained, and an audit of home visits shows household members checked in 90% of cases',
        learning: [0],
        added: '2022-06-20',
        due: '2022-12-31',
        updates: [
          { on: '2022-09-05', status: 'in_progress', note: 'Sessions booked for every team.' },
          {
            on: '2022-11-15',
            status: 'completed',
            note: 'Every front-line team trained.',
            evidence: 'Training register, September to November 2022 (synthetic).',
          },
          { on: '2022-12-01', status: 'assured', note: 'The first audit round met the measure.' },
        ],
        audit: {
          question: 'Did the practitioner check who lives in the household at the home visit?',
          sampleDescription: 'home visit records',
          compliantMeans: 'checked and recorded who lives in the household',
          rounds: [
            { on: '2022-11-30', sampled: 40, compliant: 37 },
            { on: '2023-11-30', sampled: 40, compliant: 29, note: 'Lower in teams with new staff.' },
            {
              on: '2024-11-29',
              sampled: 40,
              compliant: 24,
              note: 'Many practitioners trained in 2022 have left.',
            },
          ],
        },
      },
      {
        agency: 'csc',
        what: "Add 'the child's day in their words' to the assessment record",
        successMeasure: 'The field completed in 95% of assessments sampled',
        learning: [1],
        added: '2022-06-20',
        due: '2022-10-31',
        updates: [
          {
            on: '2022-10-20',
            status: 'completed',
            note: 'The assessment record changed.',
            evidence: 'Case recording system change note (synthetic).',
          },
        ],
      },
    ],
    closedOn: '2023-01-16',
  },
  {
    pseudonym: 'Child 4',
    number: 4,
    referredOn: '2023-06-05',
    referringAgency: 'police',
    whatHappened:
      "A baby was seen at home by several agencies while the mother's new partner, with a history of violence, lived there. (Synthetic demonstration case.)",
    whyLearning: 'No agency asked who else lived in the home; the partner was not known to health visiting.',
    period: { periodFrom: '2022-06-01', periodTo: '2023-05-31' },
    lineOfEnquiry: 'Were the men in the household known to and considered by the agencies?',
    stages: {
      screening: '2023-06-06',
      terms_of_reference: '2023-06-13',
      information_gathering: '2023-06-20',
      analysis: '2023-07-24',
      event: '2023-08-14',
      learning_and_actions: '2023-09-04',
      briefing: '2023-10-02',
      impact: '2023-11-06',
    },
    returns: [
      { agency: 'police', submitted: '2023-07-10' },
      { agency: 'csc', submitted: '2023-07-12' },
      { agency: 'health-visiting', submitted: '2023-07-13' },
    ],
    askedOn: '2023-06-20',
    acceptedOn: '2023-07-20',
    learning: [
      {
        statement:
          'Ask who else lives in the home or visits it whenever a baby is seen, and check what is known about them',
        themes: ['professional-curiosity', 'unseen-men', 'babies'],
      },
      {
        statement: "Share what each agency knows about a parent's partner before the baby is born",
        themes: ['information-sharing', 'think-family'],
      },
    ],
    actions: [
      {
        agency: 'police',
        what: 'Tell health visiting of every domestic abuse call-out to a home with a baby under one',
        successMeasure: 'A notification sent for 95% of such call-outs',
        learning: [1],
        added: '2023-09-11',
        due: '2024-03-31',
        updates: [
          {
            on: '2024-02-14',
            status: 'completed',
            note: 'Notifications go daily.',
            evidence: 'Daily notification log (synthetic).',
          },
        ],
      },
      {
        agency: 'health-visiting',
        what: 'Ask about every adult in the household at the new birth visit',
        successMeasure: 'Recorded in 95% of new birth visits sampled',
        learning: [0],
        added: '2023-09-11',
        due: '2024-06-30',
        updates: [
          { on: '2024-01-10', status: 'in_progress', note: 'The new birth visit template is being changed.' },
        ],
      },
    ],
  },
  {
    pseudonym: 'Child 5',
    number: 5,
    referredOn: '2024-10-07',
    referringAgency: 'health-visiting',
    whatHappened:
      "A two-year-old's neglect was seen by each agency on its own; nobody asked the child or the nursery what her days were like. (Synthetic demonstration case.)",
    whyLearning: "The child's voice was missing from every assessment.",
    period: { periodFrom: '2023-04-01', periodTo: '2024-09-30' },
    lineOfEnquiry: "Was the child's lived experience understood?",
    stages: {
      screening: '2024-10-08',
      terms_of_reference: '2024-10-15',
      information_gathering: '2024-10-22',
      analysis: '2024-11-26',
      event: '2024-12-10',
      learning_and_actions: '2025-01-14',
    },
    returns: [
      { agency: 'police', submitted: '2024-11-12' },
      { agency: 'csc', submitted: '2024-11-14' },
      { agency: 'health-visiting', submitted: '2024-11-15' },
    ],
    askedOn: '2024-10-22',
    acceptedOn: '2024-11-22',
    learning: [
      {
        statement:
          'Find out what a day is like for the child, from the child and those who see them every day',
        themes: ['voice-of-the-child', 'neglect'],
      },
      {
        statement: 'Be curious when the same concern is raised by different agencies months apart',
        themes: ['professional-curiosity', 'thresholds-re-referral'],
      },
    ],
    actions: [
      {
        agency: 'csc',
        what: "Add the nursery's view of the child's day to every neglect assessment",
        successMeasure: 'The nursery asked in 90% of neglect assessments sampled',
        learning: [0],
        added: '2025-01-20',
        due: '2025-06-30',
        updates: [{ on: '2025-02-03', status: 'in_progress', note: 'Guidance drafted.' }],
      },
    ],
  },
];

/**
 * A review of this year waiting on two agencies' returns (asked 40 days ago, 15 working days given),
 * so the returns figure has something outstanding and overdue.
 */
export function waitingReview(today: string, addDays: (iso: string, days: number) => string): PastReview {
  const day = (n: number) => addDays(today, -n);
  return {
    pseudonym: 'Child 6',
    number: 6,
    referredOn: day(50),
    referringAgency: 'csc',
    whatHappened:
      'A ten-year-old carer for a parent with poor mental health stopped attending school. (Synthetic demonstration case.)',
    whyLearning: "Each agency saw the parent's needs; none asked about the child's.",
    period: { periodFrom: day(400), periodTo: day(60) },
    lineOfEnquiry: 'Was the child seen as a young carer, and were their own needs assessed?',
    stages: { screening: day(48), terms_of_reference: day(45), information_gathering: day(40) },
    returns: [
      { agency: 'police', submitted: day(30) },
      { agency: 'csc', submitted: null },
      { agency: 'health-visiting', submitted: null },
    ],
    askedOn: day(40),
    acceptedOn: day(28),
    learning: [],
    actions: [],
  };
}

/** Runs a past review through the services with the story's clock. */
export async function loadPastReview(
  services: Services,
  setDate: (iso: string) => unknown,
  coordinator: Actor,
  users: Map<string, Actor>,
  r: PastReview,
) {
  const referrer = users.get(LEAD_OF[r.referringAgency]!)!;
  setDate(r.referredOn);
  const { reference } = await services.reviews.refer(referrer, {
    referringAgency: r.referringAgency,
    referrerName: referrer.name,
    referrerRole: 'Safeguarding lead',
    referredOn: r.referredOn,
    pseudonym: r.pseudonym,
    child: {
      fullName: `Testchild ${['Three', 'Four', 'Five', 'Six'][r.number - 3]} Example`,
      dateOfBirth: null,
      address: `${r.number} Example Road, Sampletown`,
      postcode: `ZZ99 ${r.number}ZZ`,
      nhsNumber: null,
      school: null,
    },
    household: [],
    agenciesInvolved: ['police', 'csc', 'health-visiting'],
    whatHappened: r.whatHappened,
    whyLearning: r.whyLearning,
  });
  const reached = Object.keys(r.stages) as Stage[];
  const move = async (to: Stage) => {
    setDate(r.stages[to]!);
    await services.reviews.moveStage(coordinator, reference, { to });
  };
  let later: Step[] = [];
  for (const to of reached) {
    if (to === 'terms_of_reference') {
      setDate(r.stages.screening!);
      await services.reviews.recordScreening(coordinator, reference, {
        outcome: 'line_of_sight',
        rationale: 'Multi-agency learning likely; below the threshold for a serious incident notification.',
        decisionMaker: 'Chair of the Safeguarding Review Group',
        decidedOn: r.stages.screening!,
      });
    }
    if (to === 'information_gathering') {
      await services.reviews.setTermsOfReference(coordinator, reference, {
        ...r.period,
        agenciesInScope: ['police', 'csc', 'health-visiting'],
      });
      await services.reviews.addLineOfEnquiry(coordinator, reference, { question: r.lineOfEnquiry });
    }
    if (to === 'analysis') await loadReturns(services, setDate, coordinator, users, reference, r);
    if (to === 'learning_and_actions') {
      setDate(r.stages.event!);
      for (const l of r.learning) await services.learning.add(coordinator, reference, l);
    }
    await move(to);
    // The plan is made on entering learning and actions; its updates and audits come as they happened.
    if (to === 'learning_and_actions')
      later = await loadActions(services, setDate, coordinator, users, reference, r);
  }
  // Returns asked for but not all in: the review waits in information gathering.
  if (!reached.includes('analysis') && reached.includes('information_gathering'))
    await loadReturns(services, setDate, coordinator, users, reference, r);
  const close: Step[] = r.closedOn
    ? [{ on: r.closedOn, run: () => services.reviews.moveStage(coordinator, reference, { to: 'closed' }) }]
    : [];
  for (const step of [...later, ...close].sort((x, y) => x.on.localeCompare(y.on))) {
    setDate(step.on);
    await step.run();
  }
  return reference;
}

/** Something done on a day of the story, run in date order with the rest. */
interface Step {
  on: string;
  run: () => Promise<unknown>;
}

async function loadReturns(
  services: Services,
  setDate: (iso: string) => unknown,
  coordinator: Actor,
  users: Map<string, Actor>,
  reference: string,
  r: PastReview,
) {
  setDate(r.askedOn);
  await services.requests.send(coordinator, reference, {
    agencies: r.returns.map((x) => x.agency),
    workingDays: 15,
    instructions: 'Please send your chronology for the period under review and a self-analysis.',
  });
  const kloes = await services.reviews.linesOfEnquiry(coordinator, reference);
  for (const ret of r.returns) {
    if (!ret.submitted) continue;
    const lead = users.get(LEAD_OF[ret.agency]!)!;
    setDate(ret.submitted);
    await services.returns.addEntries(lead, reference, {
      entries: [
        entry(
          r.period.periodFrom,
          `${ret.agency.toUpperCase()}-${r.number}-1`,
          'Home visit; the parent said no one else lived there.',
        ),
        entry(
          r.period.periodTo,
          `${ret.agency.toUpperCase()}-${r.number}-2`,
          'Contact with the child and the parent at home.',
        ),
      ],
    });
    for (const kloe of kloes)
      await services.returns.saveSelfAnalysis(lead, reference, kloe.id, {
        wentWell: 'Each contact was recorded on the day.',
        couldBeBetter: 'Who lived in the home was not checked with other agencies.',
        why: 'Each agency relied on what the parent said.',
      });
    await services.returns.submit(lead, reference);
  }
  if (!r.acceptedOn) return;
  setDate(r.acceptedOn);
  for (const request of await services.requests.list(coordinator, reference))
    if (request.request.status === 'submitted')
      await services.requests.accept(coordinator, reference, request.request.id);
}

async function loadActions(
  services: Services,
  setDate: (iso: string) => unknown,
  coordinator: Actor,
  users: Map<string, Actor>,
  reference: string,
  r: PastReview,
): Promise<Step[]> {
  const learning = (await services.actions.plan(coordinator, reference)).learningOptions;
  const idOf = (i: number) => learning.find((l) => l.statement === r.learning[i]!.statement)!.id;
  const steps: Step[] = [];
  for (const a of r.actions) {
    const lead = a.agency === 'partnership' ? coordinator : users.get(LEAD_OF[a.agency]!)!;
    setDate(a.added);
    const added = await services.actions.add(coordinator, reference, {
      what: a.what,
      owningAgency: a.agency,
      leadUserId: lead.userId,
      dueDate: a.due,
      successMeasure: a.successMeasure,
      learning: a.learning.map(idOf),
    });
    // The partnership's own actions are audited by children's social care in this story.
    const auditor = a.agency === 'partnership' ? users.get('csc.lead@demo.example')! : lead;
    let auditId: string | null = null;
    if (a.audit) {
      const defined = await services.practiceAudits.define(auditor, {
        agency: a.agency === 'partnership' ? 'csc' : a.agency,
        question: a.audit.question,
        sampleDescription: a.audit.sampleDescription,
        compliantMeans: a.audit.compliantMeans,
      });
      auditId = defined.id;
      await services.practiceAudits.linkAction(coordinator, auditId, { actionId: added.id });
    }
    for (const u of a.updates)
      steps.push({
        on: u.on,
        run: () =>
          services.actions.update(u.status === 'assured' ? coordinator : lead, added.id, {
            status: u.status,
            note: u.note,
            ...(u.evidence ? { evidenceText: u.evidence } : {}),
          }),
      });
    for (const round of a.audit?.rounds ?? [])
      steps.push({
        on: round.on,
        run: () =>
          services.practiceAudits.recordRound(auditor, auditId!, {
            roundDate: round.on,
            sampled: round.sampled,
            compliant: round.compliant,
            ...(round.note ? { note: round.note } : {}),
          }),
      });
  }
  return steps;
}
