/**
 * An agency request's life: sent → in_progress → submitted → accepted, or submitted → returned
 * (with a query) → in_progress. A request not yet accepted may be withdrawn; a withdrawn one may
 * be reissued as a new request.
 */
export const REQUEST_STATUSES = [
  'sent',
  'in_progress',
  'submitted',
  'returned',
  'accepted',
  'withdrawn',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const REQUEST_STATUS_LABELS: Record<RequestStatus, string> = {
  sent: 'Sent',
  in_progress: 'In progress',
  submitted: 'Submitted',
  returned: 'Returned with a query',
  accepted: 'Accepted',
  withdrawn: 'Withdrawn',
};

export const REQUEST_STATUS_TAGS: Record<RequestStatus, string> = {
  sent: 'govuk-tag--grey',
  in_progress: 'govuk-tag--light-blue',
  submitted: 'govuk-tag--purple',
  returned: 'govuk-tag--orange',
  accepted: 'govuk-tag--green',
  withdrawn: 'govuk-tag--red',
};

/**
 * The statuses in which an agency's return is read by others than its own agency (the coordinator
 * and the chair: "read another agency's return once it is submitted"). The data layer
 * (`mayReadReturn`) and the database's own policy on a return's rows (drizzle/0028) both use it.
 */
export const RETURN_STATUSES_OTHERS_READ: readonly RequestStatus[] = ['submitted', 'accepted'];

export type RequestAction = 'edit' | 'submit' | 'accept' | 'return' | 'withdraw';

const ALLOWED: Record<RequestAction, readonly RequestStatus[]> = {
  edit: ['sent', 'in_progress', 'returned'],
  submit: ['sent', 'in_progress', 'returned'],
  accept: ['submitted'],
  return: ['submitted'],
  withdraw: ['sent', 'in_progress', 'submitted', 'returned'],
};

const WHY_NOT: Record<RequestAction, string> = {
  edit: 'This return has been submitted: it cannot change unless the coordinator returns it with a query.',
  submit: 'This return has already been submitted.',
  accept: 'Only a submitted return can be accepted.',
  return: 'Only a submitted return can be returned with a query.',
  withdraw: 'An accepted or withdrawn request cannot be withdrawn.',
};

/** Null when the action is allowed in this status; otherwise why not. */
export function whyNotAllowed(status: string, action: RequestAction): string | null {
  if (status === 'withdrawn') return 'This request has been withdrawn.';
  return (ALLOWED[action] as readonly string[]).includes(status) ? null : WHY_NOT[action];
}

/** Requests the review still waits for: not accepted and not withdrawn. */
export function isOutstanding(status: string): boolean {
  return status !== 'accepted' && status !== 'withdrawn';
}

/** Whether a request is waiting on its agency (rather than on the coordinator). */
export function isWaitingOnAgency(status: string): boolean {
  return status === 'sent' || status === 'in_progress' || status === 'returned';
}
