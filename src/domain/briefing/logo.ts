/** The two picture types every renderer (PDF, Word, web page) takes for a partnership's logo. */
export type LogoMediaType = 'image/png' | 'image/jpeg';

/** The logo's text alternative wherever it is shown: it names the partnership, nothing more. */
export const logoAltText = (partnershipName: string) => `${partnershipName} logo`;
