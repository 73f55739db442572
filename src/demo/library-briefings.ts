import type { Actor } from '../domain/lifecycle/roles.ts';
import { importBriefingBuffer } from '../files/briefing-import.ts';
import type { Services } from '../services/index.ts';

/**
 * Briefings from two neighbouring partnerships (fictional), in the layouts real ones come in: a web
 * page with its menus, question headings, lines without bullets. Loaded as a coordinator would,
 * through the importer, the identifying-details check and the themes suggested from their words.
 */
export const LIBRARY_BRIEFINGS: { fileName: string; text: string; published: string }[] = [
  {
    fileName: 'westvale-bruising-non-mobile-baby.txt',
    published: '2022-05-16',
    text: `Westvale Safeguarding Children Partnership
Published: 9 May 2022

7-minute briefing: bruising in a baby who is not yet mobile

What happened?
A baby who was not yet crawling was seen by a GP with a small bruise. The explanation was accepted at face value and no referral was made.

Why does it matter?
Bruising in a baby who is not independently mobile is rare and can be the first sign of abuse.

What did we learn?
Practitioners accepted explanations at face value.
Professional curiosity about who else cared for the baby was missing.
The protocol for bruising in non-mobile babies was not known in the surgery.

What should practitioners do?
Follow the bruising protocol for every non-mobile baby.
Ask who else lives in or visits the home.

Reflective questions
Would you know where to find the bruising protocol?
`,
  },
  {
    fileName: 'eastmoor-child-exploitation.txt',
    published: '2023-04-03',
    text: `Skip to main content
Menu
Home
Professionals
Learning from reviews
Eastmoor Safeguarding Children Partnership
Published: March 2023
7 Minute Briefing: criminal exploitation after exclusion
Background
A young person was excluded from school and was later found carrying drugs for others in another town.
Why it matters
Excluded children are at greater risk of criminal exploitation and county lines.
Learning
Exclusion should trigger a multi-agency discussion about exploitation risk.
Going missing from home was treated as a police matter only.
Further information
Eastmoor exploitation pathway (https://eastmoor-scp.example/exploitation)
Print this page
Back to top
`,
  },
  {
    fileName: 'westvale-neglect-voice-of-the-child.txt',
    published: '2024-02-12',
    text: `Westvale Safeguarding Children Partnership
Published: January 2024

Learning summary: neglect and the voice of the child

Key findings
Nobody asked the children what daily life was like at home.
The children were not seen alone at any visit.
Each agency saw the neglect on its own; the picture was not shared.

Key messages for practice
See the child alone and ask about their day to day life.
Share what you see with the other agencies involved.
`,
  },
  {
    fileName: 'eastmoor-domestic-abuse-unseen-men.txt',
    published: '2025-03-10',
    text: `Eastmoor Safeguarding Children Partnership
Published: February 2025

7-minute briefing: the men in the household

WHAT HAPPENED
A mother's new partner with a history of domestic abuse moved into the home. No agency knew he was there.

WHAT WE LEARNED
Professional curiosity about the men in a child's life was missing.
Fathers and partners were not invited to assessments.
Information about his history was not shared with health visitors.

QUESTIONS FOR REFLECTION
Who are the men in the lives of the children you work with?
`,
  },
];

/** Imports each briefing as the coordinator, on the day it was loaded; a clean one is published at once. */
export async function loadLibraryBriefings(
  services: Services,
  setDate: (iso: string) => unknown,
  coordinator: Actor,
) {
  for (const b of LIBRARY_BRIEFINGS) {
    setDate(b.published);
    const { briefing, report } = await importBriefingBuffer(Buffer.from(b.text), b.fileName);
    const saved = await services.library.saveImport(coordinator, briefing, 'only-if-clean', {
      metadata: { partnership: report.partnership ?? undefined },
      documentDate: report.documentDate?.iso ?? null,
    });
    if (saved.state !== 'published')
      throw new Error(
        `The demo briefing ${b.fileName} was not published: the check found ${saved.findings.length}`,
      );
  }
}
