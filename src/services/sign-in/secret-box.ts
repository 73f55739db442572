import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encrypts the secrets Line of Sight must be able to read back (an authenticator's TOTP secret)
 * with AES-256-GCM, under a key derived from key material the database does not hold (MFA_KEY,
 * else SESSION_SECRET). A copy of the database alone yields no one's second factor.
 */
export function secretBox(keyMaterial: string, purpose = 'second-factor-secret') {
  // Each purpose its own key (a form kept after a time-out is sealed under 'kept-form').
  const key = Buffer.from(hkdfSync('sha256', keyMaterial, 'line-of-sight', purpose, 32));
  return {
    seal(plain: string): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), body]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    open(sealed: string): string {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('Not a sealed secret.');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    },
  };
}

export type SecretBox = ReturnType<typeof secretBox>;
