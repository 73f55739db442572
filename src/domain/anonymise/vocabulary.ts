/**
 * Capitalised words a briefing uses that are not anybody's name: section headings, agencies,
 * roles and job titles, safeguarding terms and tools, months and days, and words that start
 * sentences. Two adjacent capitalised words are reported as a possible name only when neither is
 * here, so "Child Protection", "Line of Sight", "Graded Care Profile" and "Health Visitor" pass
 * while "Kayla Testperson" does not. A part of a recorded name that is one of these words ("Lead"
 * in "Pat Police-Lead") is not looked for on its own. A partnership adds its own words (its name,
 * its agencies' names) through the check's options.
 */
const WORDS = `
  a about above abuse across act action actions after again against agencies agency agreement all also an
  and any approach are area areas as assessment assessments at audit audits authority
  babies background based be been before behaviour being better between board body both brief briefing
  briefings brought but by
  can care carer carers case cases centre centres challenge channel check chief child childhood
  children children's circle clinic clinics commission commissioner community concern concerns conference
  conferences consider contact contacts continuum cope core council county court courts criminal cry
  crown curiosity
  day days decision department designated development did difference differences discussion do does
  domestic door drug drugs during
  each early education effective emergency emotional encompass engagement enquiries enquiry ensure
  episode episodes escalation evaluation event events every evidence expected experience exploitation
  families family father female first following for fostering from front further
  general genital good gp graded group guidance
  had harm has have he health healthy help her his home honour hospital household housing how hub
  if impact improvement in incident incidents independent information initial interview interviewing
  into is it its
  joint just justice
  key
  lead leads learning line lines lived local looked
  magistrates many map mash meeting meetings mental messages midwife midwifery minute minutes missing more most
  mother motivational multi must mutilation my
  national need needs neglect new next no not notification now nurse nursery
  of officer on one operation or order other our out outcome outcomes outline over
  panel parent parents part partner partners partnership personal physical plan plans police
  policies policy practice practitioner practitioners prevent private process procedures profile
  programme progress protection public pupil purpose
  quality questions
  rapid re recommendation recommendations recording referral referrals reflective report reports
  resolving resources restorative return review reviews risk risks role
  safe safeguard safeguarding safety school schools scp scrutineer section serious service services
  seven sexual she should sibling siblings sight signs single sleep social some special specialist
  staff stage step strand strategy subject summary supervision support system
  team teams testing that the their them then there these they think this those three threshold
  through to together toolkit training trauma two
  under unit up use useful
  virtual visit visiting visitor visitors voice
  was we were what when where whether which while who why will with within work worker workers
  working
  year years you young your youth
  january february march april may june july august september october november december
  monday tuesday wednesday thursday friday saturday sunday
  accessibility accommodated accommodation professional professionals
  adult adults alcohol ambulance camhs cin csc cp ehcp icb lado macf marac mase nhs ofsted
  england english wales uk
  admin administrator administrators chair consultant constable coordinator deputy detective doctor
  director headteacher inspector manager managers member members named paediatrician receptionist
  recovery reviewer sergeant teacher
`;

const PHRASES = [
  'line of sight',
  'graded care profile',
  'child protection',
  'health visitor',
  'front door',
  'operation encompass',
  'think family',
  'signs of safety',
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
