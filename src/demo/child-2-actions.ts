import type { Actor } from '../domain/lifecycle/roles.ts';
import type { Services } from '../services/index.ts';

/**
 * Section 6 of the published Child 2 briefing (../shared/examples/line-of-sight-briefing-child-2.txt),
 * word for word: the review's progress/impact statement.
 */
export const CHILD_2_PROGRESS = [
  'An action plan has been developed and implemented',
  'The guidance for health visitors is being reviewed to ensure consideration of neglect where there is developmental delay',
  'The learning from the review will be shared with the MACF',
  'Re referral clinics were introduced in March 2021 and will identify and address any potential inter agency practice issues',
  'An audit of police crime reports has evidenced that children were seen and referrals were made to CSC and operation encompass as appropriate',
];

/** The learning statement an action answers, found by words it holds (when the learning is loaded). */
const LEARNING_HINTS: Record<string, RegExp> = {
  police: /not recorded|recorded as being|victim|police/i,
  'health-visiting': /developmental|development delay/i,
  csc: /re-?referral|reactive|inter.?agency/i,
  partnership: /shar/i,
};

/**
 * Child 2's action plan, updates with evidence, the police crime-report audit with two rounds,
 * and the progress/impact statement, through the services with the story's clock. Synthetic.
 */
export async function loadChild2Actions(
  services: Services,
  coordinator: Actor,
  users: Map<string, Actor>,
  reference: string,
  setDate: (iso: string) => unknown,
) {
  const { actions, practiceAudits, progress } = services;
  const lead = (email: string) => users.get(email)!;
  const learning = (await actions.plan(coordinator, reference)).learningOptions;
  const learningFor = (agency: string) =>
    learning.filter((l) => LEARNING_HINTS[agency]!.test(l.statement)).map((l) => l.id);

  setDate('2021-07-01');
  const add = (agency: string, email: string, what: string, dueDate: string, successMeasure: string) =>
    actions.add(coordinator, reference, {
      what,
      owningAgency: agency,
      leadUserId: lead(email).userId,
      dueDate,
      successMeasure,
      learning: learningFor(agency),
    });
  const police = await add(
    'police',
    'police.lead@demo.example',
    'Record every child in the household on each crime report, and consider each child as a possible victim',
    '2021-10-31',
    '95% of crime reports involving a household with children record the children, in a dip-sample audit of 50 reports',
  );
  const hv = await add(
    'health-visiting',
    'hv.lead@demo.example',
    'Review the health visiting guidance so that developmental delay prompts consideration of neglect',
    '2021-12-31',
    'Revised guidance issued to every health visitor, and a supervision audit finds delay followed up in 90% of sampled cases',
  );
  const frontDoor = await add(
    'csc',
    'csc.lead@demo.example',
    'Run re-referral clinics at the front door to identify and address inter-agency practice issues',
    '2021-09-30',
    'Every re-referral within 12 months is discussed at a monthly clinic, shown by the clinic log',
  );
  const share = await add(
    'partnership',
    'coordinator@demo.example',
    'Share the learning from the review with the Multi-Agency Case File (MACF) group',
    '2021-09-30',
    'The 7-minute briefing presented at the MACF group, recorded in its minutes',
  );

  const update = (who: Actor, id: string, date: string, input: Record<string, unknown>) => {
    setDate(date);
    return actions.update(who, id, input);
  };
  await update(lead('csc.lead@demo.example'), frontDoor.id, '2021-07-05', {
    status: 'completed',
    note: 'Re-referral clinics have run monthly since March 2021.',
    evidenceText: 'Clinic log, March to June 2021: every re-referral discussed.',
  });
  await update(lead('police.lead@demo.example'), police.id, '2021-07-15', {
    status: 'in_progress',
    note: 'Crime report template changed: the children in the household are a required field. Guidance issued to response officers.',
    evidenceText: 'Force guidance note FG-21-114 (synthetic), issued 14 July 2021.',
  });
  await update(lead('hv.lead@demo.example'), hv.id, '2021-08-10', {
    status: 'in_progress',
    note: 'The guidance is being reviewed with the named nurse for safeguarding.',
  });
  await update(coordinator, share.id, '2021-09-21', {
    status: 'completed',
    note: 'Briefing presented at the MACF group.',
    evidenceText: 'MACF minutes, 21 September 2021, item 4.',
  });

  setDate('2021-07-20');
  const audit = await practiceAudits.define(lead('police.lead@demo.example'), {
    agency: 'police',
    question: 'Were the children in the household recorded on the crime report?',
    sampleDescription: 'police crime reports',
    compliantMeans: 'recorded the children in the household',
  });
  await practiceAudits.linkAction(coordinator, audit.id, { actionId: police.id });
  setDate('2021-07-30');
  await practiceAudits.recordRound(lead('police.lead@demo.example'), audit.id, {
    roundDate: '2021-07-30',
    sampled: 50,
    compliant: 31,
    note: 'Before the new template was in use by every team.',
  });
  setDate('2021-11-30');
  await practiceAudits.recordRound(lead('police.lead@demo.example'), audit.id, {
    roundDate: '2021-11-30',
    sampled: 50,
    compliant: 48,
  });
  await update(lead('police.lead@demo.example'), police.id, '2021-11-30', {
    status: 'completed',
    note: 'All response teams use the new template.',
    evidenceText: 'Second audit round: 48 of 50 crime reports recorded the children in the household.',
  });
  await update(coordinator, police.id, '2021-12-06', {
    status: 'assured',
    note: 'Success measure met: 96% in the second audit round (target 95%).',
  });

  setDate('2021-12-10');
  await progress.save(coordinator, reference, { items: CHILD_2_PROGRESS });
}
