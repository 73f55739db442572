/**
 * Why an administrator erases one person's data on request, chosen from a list so the record holds
 * a reason and no one's words about the person (an erasure's record keeps no personal data).
 */
export const REQUEST_BASES = ['asked', 'ordered', 'recorded-in-error'] as const;
export type RequestBasis = (typeof REQUEST_BASES)[number];

export const REQUEST_BASIS_LABELS: Record<RequestBasis, string> = {
  asked: 'The person asked for their data to be erased',
  ordered: 'A court or the Information Commissioner ordered it',
  'recorded-in-error': 'It was recorded in error (the wrong person)',
};

export const isRequestBasis = (value: unknown): value is RequestBasis =>
  typeof value === 'string' && (REQUEST_BASES as readonly string[]).includes(value);
