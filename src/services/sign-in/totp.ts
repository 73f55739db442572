import { randomInt } from 'node:crypto';
import { hash, verify as verifyHash } from '@node-rs/argon2';
import { generate, generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

/** RFC 6238 as every authenticator app reads it: SHA-1, 6 digits, 30 seconds. */
export const TOTP_PERIOD_SECONDS = 30;
export const RECOVERY_CODE_COUNT = 10;
const ISSUER = 'Line of Sight';

/** A new secret of 20 random bytes (160 bits, RFC 4226's recommendation), in Base32. */
export const newTotpSecret = () => generateSecret({ length: 20 });

/** The code an authenticator shows at `at` (the tests' and the demo's own use). */
export const totpCode = (secret: string, at: Date) =>
  generate({ secret, epoch: Math.floor(at.getTime() / 1000) });

/** Digits only: people type codes with spaces, as apps show them ("123 456"). */
export function normaliseCode(code: string): string {
  return code.replace(/[\s-]/g, '');
}

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: 'wrong' | 'used' | 'expired' };

/**
 * Checks a code against the secret at `now`: the current step, or the one either side (a clock a
 * little out, a code typed as it changed). A code already accepted, or an older one, is refused as
 * used (RFC 6238 §5.2); a code from up to five minutes ago is told apart as expired.
 */
export async function checkTotp(
  secret: string,
  code: string,
  now: Date,
  lastUsedStep: number | null,
): Promise<TotpCheck> {
  const token = normaliseCode(code);
  if (!/^\d{6}$/.test(token)) return { ok: false, reason: 'wrong' };
  const epoch = Math.floor(now.getTime() / 1000);
  const result = await verify({
    secret,
    token,
    epoch,
    epochTolerance: [10 * TOTP_PERIOD_SECONDS, TOTP_PERIOD_SECONDS],
  });
  if (!result.valid) return { ok: false, reason: 'wrong' };
  const step = Math.floor(epoch / TOTP_PERIOD_SECONDS) + result.delta;
  if (lastUsedStep !== null && step <= lastUsedStep) return { ok: false, reason: 'used' };
  if (result.delta < -1) return { ok: false, reason: 'expired' };
  return { ok: true, step };
}

/** What an authenticator app scans: the otpauth URI as a QR code, an SVG drawn here (no script). */
export async function enrolmentPicture(secret: string, email: string) {
  const uri = generateURI({ issuer: ISSUER, label: email, secret });
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return {
    uri,
    qrDataUri: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
    /** The secret in groups of four, for typing into an app by hand. */
    secretGroups: secret.match(/.{1,4}/g)?.join(' ') ?? secret,
  };
}

/** Letters and digits no one confuses (no 0/o, 1/l/i). */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Ten codes like `k7pqm-3xw9t` (about 50 bits each), to be shown once and kept hashed. */
export async function newRecoveryCodes(): Promise<{ codes: string[]; hashes: string[] }> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
  const hashes = await Promise.all(codes.map((c) => hash(normaliseRecoveryCode(c))));
  return { codes, hashes };
}

export function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Which stored code this is, if any (each hash is checked: argon2 hashes cannot be looked up). */
export async function matchRecoveryCode<T extends { codeHash: string }>(
  code: string,
  stored: readonly T[],
): Promise<T | null> {
  const typed = normaliseRecoveryCode(code);
  if (typed.length !== 10) return null;
  for (const row of stored) if (await verifyHash(row.codeHash, typed).catch(() => false)) return row;
  return null;
}
