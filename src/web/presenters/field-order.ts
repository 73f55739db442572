/**
 * Errors in the order of the form's fields: the session keeps them in jsonb, which does not
 * keep the order of keys, and the error summary must follow the page.
 */
export function inFieldOrder(errors: Record<string, string> | undefined, order: string[]) {
  if (!errors || !order.length) return errors;
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return Object.fromEntries(Object.entries(errors).sort(([a], [b]) => rank(a) - rank(b)));
}
