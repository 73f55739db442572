import { CONCERN_TAGS } from '../../domain/chronology/entry.ts';
import { concernItem } from '../../domain/chronology/words.ts';
import { RULES, SETTING_GROUPS, type SettingGroup, type SignalConfig } from '../../domain/signals/index.ts';
import { asArray } from '../forms.ts';
import { fieldId } from './error-summary.ts';

/** Each setting in the words of the administrator page (names as in docs/signals.md). */
export const SETTING_LABELS: Record<string, string> = {
  daysWithoutContact: 'Days without contact from any agency',
  withinMonths: 'Within this many months',
  sameReferralWithinDays: 'Referrals this many days apart or fewer count as one',
  incidents: 'Police incidents',
  withinDays: 'Within this many days',
  followUpWithinDays: 'Follow-up expected within this many days',
  daysUnseen: 'Days with the child unseen while a concern is open',
  concerns: 'Concerns this rule looks for',
  changes: 'Changes of worker',
  referralDecisionWorkingDays: 'Referral decision within this many working days',
  assessmentWorkingDays: 'Assessment completed within this many working days',
  initialConferenceWorkingDays: 'Initial child protection conference within this many working days',
  firstReviewMonths: 'First review conference within this many months',
  laterReviewMonths: 'Later review conferences within this many months',
  responseWithinWorkingDays: 'Referral or assessment expected within this many working days',
  daysApart: 'Entries this many days apart or fewer (0: the same day only)',
};

/** The groups as the page lists them: the rules, then the merged chronology's possible duplicates. */
const GROUPS: readonly { id: SettingGroup; title: string; describe: string }[] = [
  ...RULES,
  {
    id: 'possible-duplicates',
    title: 'Possible duplicates in the merged chronology',
    describe:
      'Entries of the same kind of event from two agencies this many days apart or fewer are flagged as possible duplicates, for the coordinator to link as one event or leave apart.',
  },
];


type FormValues = Record<string, unknown> | null;

/**
 * One fieldset per rule (on or off, its numbers, its concern lists) and one for possible
 * duplicates; typed values win when given back.
 */
export function thresholdFieldsets(config: SignalConfig, typed: FormValues) {
  return GROUPS.map((rule) => {
    const settings = config[rule.id] as unknown as Record<string, unknown>;
    const name = (setting: string) => `${rule.id}.${setting}`;
    const numbers: { name: string; id: string; label: string; value: string }[] = [];
    const lists: {
      name: string;
      id: string;
      label: string;
      items: { value: string; text: string; checked: boolean }[];
    }[] = [];
    for (const [setting, value] of Object.entries(settings)) {
      if (typeof value === 'number')
        numbers.push({
          name: name(setting),
          id: fieldId(name(setting)),
          label: SETTING_LABELS[setting] ?? setting,
          value: typed ? String(typed[name(setting)] ?? '') : String(value),
        });
      else if (Array.isArray(value)) {
        const chosen = typed ? asArray(typed[name(setting)]) : (value as string[]);
        lists.push({
          name: name(setting),
          id: fieldId(name(setting)),
          label: SETTING_LABELS[setting] ?? setting,
          items: CONCERN_TAGS.map((tag) => ({
            value: tag,
            text: concernItem(tag),
            checked: chosen.includes(tag),
          })),
        });
      }
    }
    const enabled = typed ? typed[name('enabled')] === 'yes' : Boolean(settings.enabled);
    return {
      rule: rule.id,
      title: rule.title,
      describe: rule.describe,
      // Possible duplicates are always flagged: only their number of days is set.
      enabled:
        'enabled' in settings
          ? { name: name('enabled'), id: fieldId(name('enabled')), checked: enabled }
          : null,
      numbers,
      lists,
    };
  });
}

/**
 * The form as a full override: every rule named, so what the form shows is what is stored.
 * A number that is not a whole number is passed on as typed, for parseSignalConfig to refuse by name.
 */
export function thresholdsFromForm(body: Record<string, unknown>, defaults: SignalConfig) {
  const result: Record<string, Record<string, unknown>> = {};
  for (const rule of SETTING_GROUPS) {
    const settings = defaults[rule] as unknown as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [setting, value] of Object.entries(settings)) {
      const raw = body[`${rule}.${setting}`];
      if (typeof value === 'boolean') out[setting] = raw === 'yes';
      else if (typeof value === 'number') {
        const text = String(raw ?? '').trim();
        out[setting] = /^\d+$/.test(text) ? Number(text) : text;
      } else out[setting] = asArray(raw);
    }
    result[rule] = out;
  }
  return result;
}
