import { z } from 'zod';
import { DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS } from '../domain/api-tokens/expiry.ts';
import { requiredText } from './common.ts';

/** A new personal API token: what it is for, and how many days it lasts. */
export const apiTokenInput = z.object({
  name: requiredText('Enter a name for the token, such as the script that will use it', 100),
  expiresInDays: z.coerce
    .number({ error: `Enter the number of days the token lasts, from 1 to ${MAX_TOKEN_DAYS}` })
    .int(`Enter the number of days the token lasts, from 1 to ${MAX_TOKEN_DAYS}`)
    .min(1, `Enter the number of days the token lasts, from 1 to ${MAX_TOKEN_DAYS}`)
    .max(MAX_TOKEN_DAYS, `A token can last ${MAX_TOKEN_DAYS} days at most`)
    .default(DEFAULT_TOKEN_DAYS)
    .describe(`Days until the token expires (default ${DEFAULT_TOKEN_DAYS}, at most ${MAX_TOKEN_DAYS})`),
});
export type ApiTokenInput = z.infer<typeof apiTokenInput>;

/** Whose tokens to list: yours (the default), one person's, or everyone's in the partnership (administrators). */
export const apiTokenListQuery = z.object({
  user: z
    .union([z.literal('all'), z.uuid()])
    .optional()
    .describe("A person's id, or `all` for everyone in the partnership (administrators only)"),
});
