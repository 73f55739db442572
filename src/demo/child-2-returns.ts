import type { Actor } from '../domain/lifecycle/roles.ts';
import type { Services } from '../services/index.ts';
import {
  CHILD_2_CSC,
  CHILD_2_HEALTH_VISITING,
  CHILD_2_POLICE,
  CHILD_2_SELF_ANALYSIS,
} from './child-2-chronology.ts';

/**
 * Information gathering for Child 2, through the services as people did it: the coordinator asks
 * police, children's social care and health visiting; each lead enters the chronology and the
 * self-analysis and submits; the coordinator accepts all three into the merged chronology.
 */
export async function loadChild2Returns(
  services: Services,
  coordinator: Actor,
  users: Map<string, Actor>,
  reference: string,
  setDate: (iso: string) => void,
) {
  setDate('2021-02-08');
  await services.requests.send(coordinator, reference, {
    agencies: ['police', 'csc', 'health-visiting'],
    workingDays: 15,
    instructions:
      "Please send your agency's chronology for 1 March 2018 to 15 January 2021 and a self-analysis against each key line of enquiry.",
  });
  const returns = [
    { email: 'police.lead@demo.example', code: 'police', entries: CHILD_2_POLICE, submitted: '2021-02-24' },
    { email: 'csc.lead@demo.example', code: 'csc', entries: CHILD_2_CSC, submitted: '2021-02-26' },
    {
      email: 'hv.lead@demo.example',
      code: 'health-visiting',
      entries: CHILD_2_HEALTH_VISITING,
      submitted: '2021-03-01',
    },
  ];
  const kloes = await services.reviews.linesOfEnquiry(coordinator, reference);
  for (const r of returns) {
    const lead = users.get(r.email)!;
    setDate(r.submitted);
    await services.returns.addEntries(lead, reference, { entries: r.entries });
    for (const kloe of kloes)
      await services.returns.saveSelfAnalysis(lead, reference, kloe.id, CHILD_2_SELF_ANALYSIS[r.code]);
    await services.returns.submit(lead, reference);
  }
  setDate('2021-03-15');
  for (const request of await services.requests.list(coordinator, reference))
    await services.requests.accept(coordinator, reference, request.request.id);
}
