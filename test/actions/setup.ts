import { actorFor } from '../../src/services/auth-service.ts';
import { systemRepository } from '../../src/db/repositories/system-repository.ts';
import type { Actor } from '../../src/domain/lifecycle/roles.ts';
import type { TestApp } from '../support/app.ts';

export const CHILD_2 = 'LOS-2021-002';

/** The demo person with this e-mail, as the services see them. */
export async function actorOf(t: TestApp, email: string): Promise<Actor> {
  const user = await systemRepository(t.database.db).userByEmail(email);
  if (!user) throw new Error(`No demo user ${email}`);
  return actorFor(user, `test-${email}`);
}
