import { z } from 'zod';
import { ROLES, ROLE_LABELS, type Role } from '../domain/lifecycle/roles.ts';
import { requiredText } from './common.ts';

/** A role named in the administrator's words ("Review coordinator"), or by its code. */
export function roleNamed(name: string): Role | null {
  const wanted = name.trim().toLowerCase();
  return ROLES.find((r) => r === wanted || ROLE_LABELS[r].toLowerCase() === wanted) ?? null;
}

/** Lines of `group = value`, each checked; problems name the line. */
function mappingLines(what: 'role' | 'agency') {
  return z
    .string()
    .max(10_000, 'Enter 10,000 characters or fewer')
    .optional()
    .default('')
    .transform((value, ctx) => {
      const pairs: { group: string; value: string }[] = [];
      value.split(/\r?\n/).forEach((raw, i) => {
        const line = raw.trim();
        if (!line) return;
        const at = line.lastIndexOf('=');
        const group = at > 0 ? line.slice(0, at).trim() : '';
        const target = at > 0 ? line.slice(at + 1).trim() : '';
        if (!group || !target) {
          ctx.addIssue({
            code: 'custom',
            message: `Line ${i + 1}: write the group, then “=”, then the ${what}, like “Safeguarding leads = ${what === 'role' ? 'Agency safeguarding lead' : 'police'}”`,
          });
          return;
        }
        if (what === 'role' && !roleNamed(target)) {
          ctx.addIssue({
            code: 'custom',
            message: `Line ${i + 1}: “${target.slice(0, 60)}” is not a role. Use one of: ${ROLES.map((r) => ROLE_LABELS[r]).join(', ')}`,
          });
          return;
        }
        pairs.push({
          group: group.slice(0, 200),
          value: what === 'role' ? roleNamed(target)! : target.slice(0, 60),
        });
      });
      return pairs;
    });
}

const loopback = (host: string) => ['localhost', '127.0.0.1', '[::1]'].includes(host);

/** What an administrator enters for an OpenID Connect identity provider. */
export const identityProviderInput = z
  .object({
    name: requiredText('Enter the name people know the provider by, like Northshire County Council', 100),
    key: z
      .string()
      .trim()
      .toLowerCase()
      .regex(
        /^[a-z][a-z0-9-]{1,30}$/,
        'Enter a short key of lower-case letters, numbers and hyphens, like northshire-council',
      ),
    issuer: z
      .string()
      .trim()
      .max(500)
      .refine((v) => {
        try {
          const url = new URL(v);
          return url.protocol === 'https:' || (url.protocol === 'http:' && loopback(url.hostname));
        } catch {
          return false;
        }
      }, 'Enter the issuer’s address, starting https://, like https://login.microsoftonline.com/your-tenant-id/v2.0'),
    clientId: requiredText('Enter the client ID the provider gave Line of Sight', 200),
    emailClaim: z
      .string()
      .trim()
      .max(100)
      .optional()
      .transform((v) => v || 'email'),
    groupsClaim: z
      .string()
      .trim()
      .max(100)
      .optional()
      .transform((v) => v || 'groups'),
    roleMappings: mappingLines('role'),
    agencyMappings: mappingLines('agency'),
    createUnknown: z
      .enum(['yes', 'on', ''])
      .optional()
      .transform((v) => v === 'yes' || v === 'on'),
    defaultRole: z
      .string()
      .optional()
      .transform((v) => (v ? roleNamed(v) : null)),
    enabled: z
      .enum(['yes', 'on', ''])
      .optional()
      .transform((v) => v === 'yes' || v === 'on'),
  })
  .superRefine((data, ctx) => {
    if (data.createUnknown && !data.defaultRole)
      ctx.addIssue({
        code: 'custom',
        path: ['defaultRole'],
        message: 'Select the role people get when they are added at their first sign-in',
      });
  });

export type IdentityProviderInput = z.infer<typeof identityProviderInput>;

/** The environment variable that holds a provider's client secret. */
export const secretVariable = (key: string) => `OIDC_${key.toUpperCase().replace(/-/g, '_')}_CLIENT_SECRET`;
