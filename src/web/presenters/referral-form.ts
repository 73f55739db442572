import { asArray, dateFromParts } from '../forms.ts';

/** Up to this many household rows on the referral form (blank rows are ignored). */
export const HOUSEHOLD_ROWS = 4;

/** The referral form's flat fields as the referral input the service and API share. */
export function referralFormValues(body: Record<string, unknown>) {
  const text = (k: string) => String(body[k] ?? '');
  const household = Array.from({ length: HOUSEHOLD_ROWS }, (_, i) => ({
    relationship: text(`household-${i}-relationship`),
    fullName: text(`household-${i}-fullName`),
    dateOfBirth: dateFromParts(body, `household-${i}-dateOfBirth`),
  })).filter((m) => m.relationship.trim() || m.fullName.trim() || m.dateOfBirth);
  return {
    referringAgency: text('referringAgency'),
    referrerName: text('referrerName'),
    referrerRole: text('referrerRole'),
    referredOn: dateFromParts(body, 'referredOn'),
    pseudonym: text('pseudonym'),
    child: {
      fullName: text('child-fullName'),
      dateOfBirth: dateFromParts(body, 'child-dateOfBirth'),
      address: text('child-address'),
      postcode: text('child-postcode'),
      nhsNumber: text('child-nhsNumber'),
      school: text('child-school'),
    },
    household,
    agenciesInvolved: asArray(body.agenciesInvolved),
    whatHappened: text('whatHappened'),
    whyLearning: text('whyLearning'),
  };
}
