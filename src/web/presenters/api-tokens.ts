import {
  periodInWords,
  TOKEN_PERIODS,
  DEFAULT_TOKEN_DAYS,
  tokenExpiry,
  type TokenStatus,
} from '../../domain/api-tokens/expiry.ts';
import { formatDate, formatDateTime } from '../../domain/calendar/format.ts';
import { londonDate } from '../../domain/calendar/iso-date.ts';

const STATUS: Record<TokenStatus, { text: string; classes: string }> = {
  active: { text: 'Active', classes: 'govuk-tag--green' },
  expired: { text: 'Expired', classes: 'govuk-tag--grey' },
  revoked: { text: 'Revoked', classes: 'govuk-tag--red' },
};

const day = (d: Date) => formatDate(londonDate(d));

/** A token as a row of the "Your API tokens" and administrator's pages: dates in words. */
export function tokenRow(t: {
  id: string;
  name: string;
  status: TokenStatus;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedByName: string | null;
  owner: { id: string; name: string; email: string };
}) {
  return {
    id: t.id,
    name: t.name,
    owner: t.owner.name,
    status: STATUS[t.status],
    created: day(t.createdAt),
    lastUsed: t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'Never used',
    expires:
      t.status === 'revoked'
        ? `Revoked on ${day(t.revokedAt!)}${t.revokedByName && t.revokedByName !== t.owner.name ? ` by ${t.revokedByName}` : ''}`
        : `${t.status === 'expired' ? 'Expired on' : 'Expires on'} ${day(t.expiresAt)}`,
    revocable: t.status === 'active',
  };
}

/** The periods offered for a new token, each with the day it would end. */
export function periodItems(now: Date, chosen: unknown) {
  const selected = Number(chosen ?? DEFAULT_TOKEN_DAYS);
  return TOKEN_PERIODS.map((days) => ({
    value: String(days),
    text: periodInWords(days),
    hint: { text: `Expires on ${day(tokenExpiry(now, days))}` },
    checked: days === selected,
  }));
}
