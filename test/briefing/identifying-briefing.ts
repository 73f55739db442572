import { readFileSync } from 'node:fs';

const SEED = new URL('../fixtures/briefings/line-of-sight-briefing-child-2.txt', import.meta.url);

/**
 * The published Child 2 briefing with identifying details written into it, as in the file that was
 * published unchecked (issue 12). Synthetic and obviously so: a Test… name, the ZZ99 pseudo-postcode,
 * an Ofcom drama number, a @demo.example address and an NHS number in the 999 test range.
 */
export const IDENTIFYING_DETAILS = [
  { text: 'Jane Testsmith', kind: 'person', label: 'Person' },
  { text: '3 March 2019', kind: 'date', label: 'Date' },
  { text: '14 Acacia Avenue', kind: 'address', label: 'Address' },
  { text: 'ZZ99 1AB', kind: 'address', label: 'Address' },
  { text: '07700 900123', kind: 'contact', label: 'Contact detail' },
  { text: 'mum@demo.example', kind: 'contact', label: 'Contact detail' },
  { text: '999 000 0018', kind: 'health-number', label: 'Health number' },
  { text: 'Westbrook Primary School', kind: 'institution', label: 'Institution' },
] as const;

export function identifyingBriefing(): string {
  return readFileSync(SEED, 'utf8')
    .replace(
      'Child 2 aged three lived with her mother,',
      'Jane Testsmith, born 3 March 2019, lived at 14 Acacia Avenue, ZZ99 1AB with her mother (07700 900123, mum@demo.example, NHS number 999 000 0018),',
    )
    .replace(
      "- Whether the child's lived experience was understood",
      "- Whether the child's lived experience was understood at Westbrook Primary School",
    );
}

export const SEED_FILE = SEED;
