import { sql } from 'drizzle-orm';
import type { Role } from '../../domain/access/roles.ts';

/** A list of roles as a text[] parameter, for `users.roles && …` (holds any of them). */
export const rolesArray = (roles: readonly Role[]) => sql`${`{${roles.join(',')}}`}::text[]`;
