/**
 * How long a personal API token lasts. Every token has an expiry: 90 days unless chosen, a year
 * at most, the same on every way in (the page, the API and `token create --expires-in-days`).
 */
export const DEFAULT_TOKEN_DAYS = 90;
export const MAX_TOKEN_DAYS = 365;
/** The periods the page offers (the API and the command line take any number of days up to the most). */
export const TOKEN_PERIODS = [7, 30, 90, 180, 365] as const;
/** Tokens a person may hold at once (not expired or revoked). */
export const MAX_ACTIVE_TOKENS = 25;

const DAY = 86_400_000;

export function tokenExpiry(createdAt: Date, days: number): Date {
  return new Date(createdAt.getTime() + days * DAY);
}

export type TokenStatus = 'active' | 'expired' | 'revoked';

export function tokenStatus(token: { expiresAt: Date; revokedAt: Date | null }, now: Date): TokenStatus {
  if (token.revokedAt) return 'revoked';
  return token.expiresAt > now ? 'active' : 'expired';
}

/** "In 90 days", "In a year": how the page names a period. */
export function periodInWords(days: number): string {
  if (days === 365) return 'In a year';
  return `In ${days} days`;
}
