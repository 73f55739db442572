/** `{ name-day, name-month, name-year }` of an ISO date, to fill a GOV.UK date input. */
export function dateParts(name: string, iso: string | null | undefined): Record<string, string> {
  if (!iso) return {};
  return {
    [`${name}-day`]: String(Number(iso.slice(8, 10))),
    [`${name}-month`]: String(Number(iso.slice(5, 7))),
    [`${name}-year`]: iso.slice(0, 4),
  };
}
