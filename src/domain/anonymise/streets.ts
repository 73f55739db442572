/** Street types and their abbreviations, so "12 Example Road" also finds "12 Example Rd". */
export const STREET_TYPES: readonly [string, string][] = [
  ['street', 'st'],
  ['road', 'rd'],
  ['avenue', 'ave'],
  ['lane', 'ln'],
  ['close', 'cl'],
  ['drive', 'dr'],
  ['crescent', 'cres'],
  ['court', 'ct'],
  ['place', 'pl'],
  ['gardens', 'gdns'],
  ['grove', 'gr'],
  ['terrace', 'tce'],
  ['square', 'sq'],
  ['way', 'way'],
  ['row', 'row'],
  ['walk', 'walk'],
  ['mews', 'mews'],
  ['hill', 'hill'],
  ['park', 'pk'],
  ['view', 'view'],
  ['rise', 'rise'],
  ['green', 'grn'],
  ['parade', 'pde'],
  ['vale', 'vale'],
  ['boulevard', 'blvd'],
  ['wharf', 'wharf'],
];

/** Any street type, full or abbreviated (with an optional full stop), as a pattern source. */
export const STREET_TYPE_SOURCE = `(?:${STREET_TYPES.map(([full, short]) =>
  full === short ? full : `${full}|${short}\\.?`,
).join('|')})`;

/** The street type a phrase ends with ("Example Street" → street/st), if any. */
export function streetTypeOf(phrase: string): { index: number; full: string; short: string } | undefined {
  const m = new RegExp(`\\b(${STREET_TYPES.flat().join('|')})\\.?$`, 'i').exec(phrase.trim());
  if (!m) return undefined;
  const word = (m[1] ?? '').toLowerCase();
  const pair = STREET_TYPES.find(([full, short]) => full === word || short === word);
  return pair ? { index: m.index, full: pair[0], short: pair[1] } : undefined;
}

/** UK postcodes, inward letters not limited to the real set: a made-up "AB1 2CD" is one too. */
export const POSTCODE_SHAPE = /^(?:GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})$/i;
