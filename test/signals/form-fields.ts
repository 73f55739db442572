import type { CheerioAPI } from 'cheerio';

/** The fields a browser would send for the first form on a page: typed values and ticked boxes. */
export function formFields(
  $: CheerioAPI,
  selector = 'form[method="post"]',
): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  const add = (name: string, value: string) => {
    const had = fields[name];
    fields[name] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value];
  };
  $(selector)
    .first()
    .find('input, textarea, select')
    .each((_, el) => {
      const input = $(el);
      const name = input.attr('name');
      if (!name || name === '_csrf') return;
      const type = input.attr('type');
      if ((type === 'checkbox' || type === 'radio') && input.attr('checked') === undefined) return;
      add(name, String(input.val() ?? ''));
    });
  return fields;
}
