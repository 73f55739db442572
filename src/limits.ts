/**
 * Every limit on what people send in, in one place: the web forms, the API, the services and the
 * command line all read these, so no way in is wider than another. docs/security.md ("Limits")
 * lists them with where each is checked; change a value here, or RETURN_MAX_ENTRIES for the one
 * that is a setting.
 */

const MB = 1024 * 1024;

export interface Limits {
  /** Any other request body (a form, a JSON request); uploads have their own limits below. */
  requestBodyBytes: number;
  /** An agency's chronology file or request body (CSV or XLSX), as sent. */
  chronologyBytes: number;
  /** Entries one agency's return may hold, however they came in (RETURN_MAX_ENTRIES). */
  returnEntries: number;
  /**
   * A return's CSV upload larger than this is queued as a job, not read in the request; an .xlsx
   * above a quarter of it (RETURN_JOB_BYTES). Measured: an upload costs about 0.1 ms of CPU per
   * row, a CSV row is about 136 bytes and an .xlsx row about 38 (bench/upload-event-loop.ts), so
   * 1 MB is about 7,000 rows: about a second in the request on a quiet machine, a few on a busy one.
   */
  returnJobBytes: number;
  /** What the parts of an XLSX that are read may inflate to (workbook, styles, shared strings, the first sheet). */
  xlsxInflatedBytes: number;
  /** Files in an XLSX (Excel writes about a dozen). */
  xlsxZipEntries: number;
  /** A Word (.docx) briefing, as sent. */
  docxBytes: number;
  /** What every part of a Word briefing may inflate to, pictures included. */
  docxInflatedBytes: number;
  /** What a Word briefing's text (its XML parts, which are parsed) may inflate to. */
  docxTextBytes: number;
  /** Files in a Word briefing. */
  docxZipEntries: number;
  /** A text or Markdown briefing. */
  briefingTextBytes: number;
  /** A zip entry over 1 MB that inflates to more than this many times its packed size is a bomb. */
  zipRatio: number;
  /** The monitoring dataset (the whole front door's population), as sent. */
  monitoringBytes: number;
  /** The longest a loop over uploaded rows keeps the event loop before letting others' requests in (ms). */
  eventLoopSliceMs: number;
}

export const LIMITS: Readonly<Limits> = Object.freeze({
  requestBodyBytes: 1 * MB,
  chronologyBytes: 25 * MB,
  returnEntries: 50_000,
  returnJobBytes: 1 * MB,
  xlsxInflatedBytes: 100 * MB,
  xlsxZipEntries: 1_000,
  docxBytes: 20 * MB,
  docxInflatedBytes: 50 * MB,
  docxTextBytes: 4 * MB,
  docxZipEntries: 2_000,
  briefingTextBytes: 5 * MB,
  zipRatio: 100,
  monitoringBytes: 1024 * MB,
  eventLoopSliceMs: 20,
});

/** The limits with the settings from the configuration (RETURN_MAX_ENTRIES). */
export function limitsFrom(config: {
  RETURN_MAX_ENTRIES?: number | undefined;
  RETURN_JOB_BYTES?: number | undefined;
}): Limits {
  return {
    ...LIMITS,
    returnEntries: config.RETURN_MAX_ENTRIES ?? LIMITS.returnEntries,
    returnJobBytes: config.RETURN_JOB_BYTES ?? LIMITS.returnJobBytes,
  };
}

/** A size in words: "25 MB", "1 GB", "512 KB". */
export function sizeInWords(bytes: number): string {
  if (bytes >= 1024 * MB && bytes % (1024 * MB) === 0) return `${bytes / (1024 * MB)} GB`;
  if (bytes >= MB) return `${Math.round((bytes / MB) * 10) / 10} MB`;
  return `${Math.round(bytes / 1024)} KB`;
}

/** A count in words: "50,000". */
export function countInWords(n: number): string {
  return n.toLocaleString('en-GB');
}

/**
 * Lets a long loop give the event loop back: `if (turns.due()) await turns.give()` on every row
 * costs one clock read until a slice of time has passed, then lets waiting requests in.
 */
export class EventLoopTurns {
  private since = performance.now();

  constructor(private readonly sliceMs = LIMITS.eventLoopSliceMs) {}

  due(): boolean {
    return performance.now() - this.since >= this.sliceMs;
  }

  async give(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.since = performance.now();
  }
}
