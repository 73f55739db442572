import {
  entryCitation,
  type ChronologyEntry,
  type ConcernTag,
  type EventType,
  type Tristate,
} from '../domain/chronology/entry.ts';
import type { IsoDate } from '../domain/calendar/iso-date.ts';
import type { RuleId } from '../domain/signals/index.ts';
import type { Rng } from './prng.ts';

/** A signal the generator put into a chronology on purpose, which the rules must find. */
export interface ExpectedSignal {
  child: string;
  rule: RuleId;
  evidence: string[];
  /** What was injected, for reading a failed comparison. */
  pattern: string;
}

/**
 * Entries the generator made to look like a risk, a gap or a repeat but that are the protection
 * process working as it should (a plan to timescale, exploitation managed under a plan, a case
 * closed with no further action and not re-referred): none of `rules` may cite them.
 */
export interface HardNegative {
  child: string;
  rules: RuleId[];
  evidence: string[];
  pattern: string;
}

export interface EntryFields {
  summary: string;
  time?: string | null;
  childrenPresent?: Tristate | null;
  childSeen?: Tristate | null;
  childVoice?: string | null;
  concerns?: readonly ConcernTag[];
  worker?: string | null;
  practitionerRole?: string | null;
  actionTaken?: string | null;
  outcome?: string | null;
  significance?: string | null;
  /** Write the date as `YYYY-MM` (only the month known). */
  monthOnly?: boolean;
}

const REF_PREFIX: Record<string, string> = {
  police: 'POL',
  csc: 'CSC',
  'health-visiting': 'HV',
  gp: 'GP',
  school: 'SCH',
  'early-help': 'EH',
  midwifery: 'MW',
  'school-nursing': 'SN',
  housing: 'HSG',
};

/** One child's chronology as it is built, with the signals injected into it. */
export class Story {
  readonly entries: ChronologyEntry[] = [];
  private readonly expectations: { rule: RuleId; evidence: ChronologyEntry[]; pattern: string }[] = [];
  private readonly negatives: { rules: RuleId[]; evidence: ChronologyEntry[]; pattern: string }[] = [];
  private readonly refs = new Map<string, number>();
  private readonly workers = new Map<string, number>();
  /** The social worker last allocated, who may pick the case up again. */
  cscWorker: string | null = null;

  constructor(
    readonly child: string,
    readonly rng: Rng,
    readonly birth: IsoDate,
  ) {}

  add(date: IsoDate, eventType: EventType, agency: string, fields: EntryFields): ChronologyEntry {
    const entry: ChronologyEntry = {
      child: this.child,
      date: fields.monthOnly ? date.slice(0, 7) : date,
      time: fields.time ?? null,
      agency,
      eventType,
      summary: fields.summary,
      childrenPresent: fields.childrenPresent ?? null,
      childSeen: fields.childSeen ?? null,
      childVoice: fields.childVoice ?? null,
      concerns: [...(fields.concerns ?? [])],
      worker: fields.worker ?? null,
      practitionerRole: fields.practitionerRole ?? null,
      actionTaken: fields.actionTaken ?? null,
      outcome: fields.outcome ?? null,
      significance: fields.significance ?? null,
      // Some agencies send no record ids: those entries are cited as row:N.
      sourceRef: this.rng.chance(0.08) ? null : this.nextRef(agency),
      extra: {},
      row: 0,
    };
    this.entries.push(entry);
    return entry;
  }

  expect(rule: RuleId, evidence: ChronologyEntry[], pattern: string): void {
    this.expectations.push({ rule, evidence, pattern });
  }

  /** Entries none of `rules` may cite (a hard negative). */
  mustNotFire(rules: RuleId[], evidence: ChronologyEntry[], pattern: string): void {
    this.negatives.push({ rules, evidence, pattern });
  }

  /** A new worker id (`SW-0042`), never one this child has had before. */
  newWorker(prefix: string): string {
    const n = (this.workers.get(prefix) ?? this.rng.int(1, 8000)) + this.rng.int(1, 30);
    this.workers.set(prefix, n);
    return `${prefix}-${String(n).padStart(4, '0')}`;
  }

  private nextRef(agency: string): string {
    const prefix = REF_PREFIX[agency] ?? agency.slice(0, 3).toUpperCase();
    const n = (this.refs.get(prefix) ?? this.rng.int(100, 4000)) + this.rng.int(1, 40);
    this.refs.set(prefix, n);
    return `${prefix}-${n}`;
  }

  /**
   * The entries in file order with their rows numbered from `firstRow`, and the expected signals
   * citing them. Some children come date-ordered, others as agency returns pasted one after another.
   */
  finish(firstRow: number): {
    entries: ChronologyEntry[];
    expected: ExpectedSignal[];
    negatives: HardNegative[];
  } {
    const byDate = (a: ChronologyEntry, b: ChronologyEntry) =>
      a.date < b.date ? -1 : a.date > b.date ? 1 : (a.time ?? '') < (b.time ?? '') ? -1 : 0;
    const ordered = [...this.entries].sort(byDate);
    if (this.rng.chance(0.3))
      ordered.sort((a, b) => (a.agency < b.agency ? -1 : a.agency > b.agency ? 1 : 0));
    ordered.forEach((e, i) => (e.row = firstRow + i));
    const expected = this.expectations.map(({ rule, evidence, pattern }) => ({
      child: this.child,
      rule,
      evidence: evidence.map((e) => entryCitation(e)),
      pattern,
    }));
    const negatives = this.negatives.map(({ rules, evidence, pattern }) => ({
      child: this.child,
      rules,
      evidence: evidence.map((e) => entryCitation(e)),
      pattern,
    }));
    return { entries: ordered, expected, negatives };
  }
}
