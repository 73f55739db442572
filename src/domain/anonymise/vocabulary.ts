/**
 * Capitalised words a briefing uses that are not anybody's name: section headings, agencies and
 * roles, safeguarding terms, tools, months and days, and words that start sentences. Two adjacent
 * capitalised words are reported as a possible name only when neither is here, so "Child
 * Protection", "Line of Sight", "Graded Care Profile" and "Health Visitor" pass while "Kayla
 * Testperson" does not. A partnership adds its own (place names, service names) through options.
 */
const WORDS = `
  a about above across action actions after again agencies agency all also an and any are area areas as
  assessment assessments at audit audits authority
  background be been before being better between board both brief briefing briefings but by
  care carer carers case cases centre check child children children's circle clinic clinics commissioner
  concern concerns conference conferences consider contact contacts council court criminal
  day days decision department designated development did discussion do does domestic door drug drugs during
  each early education effective emotional encompass engagement enquiries enquiry ensure episode episodes
  evaluation event events every evidence expected exploitation
  families family father first following for from front further
  general good gp graded group guidance
  had harm has have he health help her his home hospital household housing how
  if impact improvement in incident incidents independent information initial into is it its
  joint just justice
  key
  lead leads learning line lines local looked
  many mash meeting meetings mental messages midwife midwifery minute minutes more most mother multi must my
  national need needs neglect new next no not now nurse nursery
  of officer on one operation or other our out outcome outcomes over
  panel parent parents part partner partners partnership physical plan plans police policies policy practice
  practitioner practitioners process procedures profile progress protection purpose
  questions
  rapid re recommendation recommendations recording referral referrals reflective report reports
  resources review reviews risk risks role
  safeguarding safety school schools scp section service services seven sexual she should sibling siblings
  sight single social some specialist staff step strategy subject summary supervision support system
  team teams that the their them then there these they think this those three threshold through to
  training two
  under unit up use useful
  visit visiting visitor visitors voice
  was we were what when where whether which while who why will with within work worker workers working
  year years you young your youth
  january february march april may june july august september october november december
  monday tuesday wednesday thursday friday saturday sunday
  accessibility accommodated accommodation development professional professionals recording
  adult adults alcohol ambulance camhs cin csc cp ehcp icb lado macf marac mase nhs ofsted
  england english wales uk
`;

const PHRASES = [
  'line of sight',
  'graded care profile',
  'child protection',
  'health visitor',
  'front door',
  'operation encompass',
  'think family',
];

const VOCABULARY = new Set(WORDS.split(/\s+/).filter((w) => w !== ''));

/** Whether a capitalised word is ordinary briefing vocabulary rather than possibly a name. */
export function isOrdinaryWord(word: string, extra: ReadonlySet<string>): boolean {
  const w = word.toLowerCase().replace(/['’]s$/, '');
  return VOCABULARY.has(w) || extra.has(w);
}

/** Whether the words, read together, are a known phrase ("Graded Care Profile"). */
export function isOrdinaryPhrase(words: string): boolean {
  const lower = words.toLowerCase();
  return PHRASES.some((p) => lower === p || lower.includes(p));
}
