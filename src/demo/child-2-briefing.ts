import type { ResourceCategory } from '../domain/briefing/resources.ts';
import type { Actor } from '../domain/lifecycle/roles.ts';
import type { Services } from '../services/index.ts';

/**
 * Section 7 of the seed briefing (../shared/examples/line-of-sight-briefing-child-2.txt): the
 * partnership's further-information links. The addresses are obviously fictional.
 */
export const NORTHSHIRE_RESOURCES: { title: string; url: string; category: ResourceCategory }[] = [
  {
    title: 'Threshold of Need',
    url: 'https://northshire-scp.example/threshold-of-need',
    category: 'threshold_of_need',
  },
  {
    title: 'Referral Process',
    url: 'https://northshire-scp.example/referral-process',
    category: 'referral_process',
  },
  {
    title: 'Child Exploitation',
    url: 'https://northshire-scp.example/child-exploitation',
    category: 'child_exploitation',
  },
  {
    title: 'Graded Care Profile 2',
    url: 'https://northshire-scp.example/graded-care-profile-2',
    category: 'neglect_tools',
  },
  { title: 'SCP Training', url: 'https://northshire-scp.example/training', category: 'training' },
  {
    title: 'SCP Policies & Procedures',
    url: 'https://northshire-scp.example/policies-and-procedures',
    category: 'policies_and_procedures',
  },
  {
    title: 'Line of Sight process',
    url: 'https://northshire-scp.example/line-of-sight',
    category: 'line_of_sight_process',
  },
];

type SetDate = (iso: string) => unknown;

/** Generates, checks, approves and publishes a briefing as the coordinator and the chair would. */
async function throughApproval(
  services: Services,
  coordinator: Actor,
  chair: Actor,
  reference: string,
  setDate: SetDate,
  dates: { generated: string; approved: string; published: string },
) {
  const { briefings } = services;
  setDate(dates.generated);
  await briefings.generate(coordinator, reference);
  await briefings.check(coordinator, reference);
  await briefings.submit(coordinator, reference);
  setDate(dates.approved);
  await briefings.approve(chair, reference);
  setDate(dates.published);
  await briefings.publish(coordinator, reference);
}

/**
 * Child 2's briefing, version 1: the resource links, then generated from the review in the
 * briefing stage, checked, approved by the chair and published in June 2021; a practitioner reads
 * it and children's social care delivers it to a team. Call while the review is at 'briefing'.
 */
export async function loadChild2Briefing(
  services: Services,
  users: Map<string, Actor>,
  reference: string,
  setDate: SetDate,
) {
  const user = (email: string) => users.get(email)!;
  const coordinator = user('coordinator@demo.example');
  setDate('2021-05-24');
  for (const link of NORTHSHIRE_RESOURCES) await services.resources.add(user('admin@demo.example'), link);
  await throughApproval(services, coordinator, user('chair@demo.example'), reference, setDate, {
    generated: '2021-06-01',
    approved: '2021-06-08',
    published: '2021-06-10',
  });
  const { current } = await services.briefings.view(coordinator, reference);
  const id = current!.briefingId;
  setDate('2021-06-14');
  await services.library.markRead(user('practitioner@demo.example'), id, undefined);
  setDate('2021-06-21');
  await services.library.recordDelivery(user('csc.lead@demo.example'), id, {
    team: 'Northshire Front Door team',
    deliveredOn: '2021-06-21',
    numberPresent: '12',
    keyThoughts:
      'The child was not seen as a victim of what happened in the home: we will ask who else lives there at every contact.',
    embedding:
      'Team managers will check for the children in the household in monthly case supervision and report back in three months.',
    teamPlans: 'Fits the team plan for improving the quality of assessments at the front door.',
  });
}

/**
 * Version 2, when the impact evidence arrived: reissued in December 2021 and generated again, so
 * section 6 carries the progress/impact statement. Call after the statement is recorded.
 */
export async function reissueChild2Briefing(
  services: Services,
  users: Map<string, Actor>,
  reference: string,
  setDate: SetDate,
) {
  const coordinator = users.get('coordinator@demo.example')!;
  setDate('2021-12-13');
  await services.briefings.reissue(coordinator, reference, {
    note: 'Impact evidence: progress/impact statement with the police crime-report audit',
  });
  await throughApproval(services, coordinator, users.get('chair@demo.example')!, reference, setDate, {
    generated: '2021-12-13',
    approved: '2021-12-15',
    published: '2021-12-16',
  });
}
