import { touchMsFor } from '../plugins/session-store.ts';

/** Made once: building a DateTimeFormat costs far more than using one. */
const LONDON_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
});

/** "3:42pm", London time. */
export function timeOfDay(instant: Date): string {
  const parts = LONDON_TIME.formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('hour')}:${get('minute')}${get('dayPeriod').toLowerCase()}`;
}

/** "1 minute", "60 minutes", "2 hours". */
export function minutesInWords(minutes: number): string {
  if (minutes >= 120 && minutes % 60 === 0) return `${minutes / 60} hours`;
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

export interface SessionTimeout {
  /** When the session ends if nothing more is done (at the earliest, to the minute below). */
  endsAt: Date;
  endsAtWords: string;
  endsInMs: number;
  /** How long before the end the warning shows (two minutes, or a quarter of a shorter limit). */
  warnBeforeMs: number;
  idleWords: string;
}

/**
 * When a signed-in session this page was served in will end: its idle limit from now (less the
 * store's touch interval: an unchanged session is written back only that often), or its absolute
 * lifetime, whichever comes first. Said on every page, and the warning's script counts to it.
 */
export function sessionTimeout(
  now: Date,
  { idleMs, maxMs, signedInAt }: { idleMs: number; maxMs: number; signedInAt: number },
): SessionTimeout {
  const byIdle = now.getTime() + idleMs - touchMsFor(idleMs);
  const endsAt = new Date(Math.min(byIdle, signedInAt + maxMs));
  return {
    endsAt,
    endsAtWords: timeOfDay(endsAt),
    endsInMs: Math.max(0, endsAt.getTime() - now.getTime()),
    warnBeforeMs: Math.min(120_000, Math.floor(idleMs / 4)),
    idleWords: minutesInWords(Math.round(idleMs / 60_000)),
  };
}
