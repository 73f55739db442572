/** GOV.UK error summary items, each linking to its field; `_` keys are errors of the whole form. */
export function errorSummary(
  errors: Record<string, string> | undefined,
  options: { dateFields?: string[] } = {},
): { text: string; href?: string }[] {
  if (!errors) return [];
  return Object.entries(errors).map(([key, text]) => {
    if (key.startsWith('_')) return { text };
    const id = fieldId(key);
    return { text, href: `#${options.dateFields?.includes(key) ? `${id}-day` : id}` };
  });
}

/** The HTML id of a field named like `child.fullName` or `household.0.relationship`. */
export function fieldId(key: string): string {
  return key.replace(/\./g, '-');
}

/** The `errorMessage` parameter of a govuk macro for one field, or false. */
export function fieldError(
  errors: Record<string, string> | undefined,
  key: string,
): { text: string } | false {
  const text = errors?.[key];
  return text ? { text } : false;
}
