import * as cheerio from 'cheerio';
import { RULE_IDS } from '../../src/domain/signals/index.ts';
import { CONCERN_TAGS, EVENT_TYPES } from '../../src/domain/chronology/entry.ts';
import { concernLabel, eventTypeLabel } from '../../src/domain/chronology/words.ts';
import { AUDIT_EVENTS } from '../../src/domain/audit/catalogue.ts';

/**
 * What a person sees of a page: the title and the body's text, without scripts, styles or
 * attributes (an ISO date in a `datetime` or an input's `value` is for machines, not people).
 * Text set as code (`<code>`) is a file's column or a provider's claim shown as it must be typed.
 */
export function visibleText(html: string): string {
  const $ = cheerio.load(html);
  $('script, style, template, code, head > :not(title)').remove();
  // Each element's text apart, so "1 March" and "2019" from two cells do not run together.
  $('*').each((_, el) => {
    $(el).append(' ');
  });
  return `${$('title').text()} ${$('body').text()}`.replace(/\s+/g, ' ');
}

/** E-mail addresses and file names are people's own words ("csc.lead@…", "export-2022-03-31.csv"). */
const ADDRESSES_AND_FILES = /\S+@\S+|\S+\.(?:csv|xlsx|pdf|docx|zip|json|txt|png|jpe?g|html?)\b/gi;
const AUDIT_CODES = Object.keys(AUDIT_EVENTS).filter((k) => k.includes('.'));

const ISO_DATE = /\b\d{4}-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?(?:T[\d:.]+Z?)?\b/g;
const SNAKE_CASE = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g;
const LEFTOVERS = /\b(?:undefined|NaN|null)\b|\[object Object\]/g;

/** Agency codes that are also ordinary words ("police", "school") are only codes in a code's place. */
const ENGLISH_WORDS = new Set(['police', 'school', 'hospital', 'probation', 'housing', 'partnership']);

/** A code turned into words by replacing its underscores ("Cin plan start"), where its words differ. */
function naiveForms(): { form: RegExp; code: string }[] {
  const forms: { form: RegExp; code: string }[] = [];
  const add = (code: string, label: string) => {
    const naive = code.replace(/[_-]/g, ' ');
    const form = new RegExp(`\\b${naive}\\b`, 'i');
    // "looked after" is English, and in its label ("Became looked after"): only a made-up form counts.
    if (!naive.includes(' ') || form.test(label)) return;
    forms.push({ form, code });
  };
  for (const type of EVENT_TYPES) add(type, eventTypeLabel(type));
  for (const tag of CONCERN_TAGS) add(tag, concernLabel(tag));
  return forms;
}
const NAIVE = naiveForms();

/** The codes and ISO dates in a page's visible text, each once, as `kind "text"`. */
export function codesInText(html: string, agencyCodes: readonly string[]): string[] {
  const text = visibleText(html).replace(ADDRESSES_AND_FILES, ' ');
  const found = new Set<string>();
  for (const m of text.matchAll(ISO_DATE)) found.add(`ISO date "${m[0]}"`);
  for (const m of text.matchAll(SNAKE_CASE)) found.add(`code "${m[0]}"`);
  for (const m of text.matchAll(LEFTOVERS)) found.add(`leftover "${m[0]}"`);
  for (const code of AUDIT_CODES) if (text.includes(code)) found.add(`audit event "${code}"`);
  for (const id of RULE_IDS) if (new RegExp(`\\b${id}\\b`).test(text)) found.add(`rule id "${id}"`);
  for (const code of agencyCodes) {
    if (ENGLISH_WORDS.has(code)) continue;
    if (new RegExp(`(?<![\\w-])${code}(?![\\w-])`).test(text)) found.add(`agency code "${code}"`);
  }
  for (const { form, code } of NAIVE) {
    const m = form.exec(text);
    if (m) found.add(`enum value "${m[0]}" (${code})`);
  }
  return [...found];
}
