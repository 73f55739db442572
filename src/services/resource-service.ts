import { resourceRepository } from '../db/repositories/resource-repository.ts';
import { mayAdminister, mayEditBriefing, type Actor } from '../domain/lifecycle/roles.ts';
import { resourceInput } from '../schemas/briefing.ts';
import { parseInput } from '../schemas/parse.ts';
import { audit, inTransaction, type ServiceContext } from './context.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';

/** The partnership's further-information links: administrators keep them; briefings offer them. */
export function resourceService(ctx: ServiceContext) {
  return {
    async list(actor: Actor) {
      if (!mayAdminister(actor) && !mayEditBriefing(actor))
        throw new ForbiddenError('Only administrators and the review coordinator see the resource library.');
      return inTransaction(ctx, (tx) => resourceRepository(tx, actor).list());
    },

    async add(actor: Actor, input: unknown) {
      const data = parseInput(resourceInput, input);
      return inTransaction(ctx, async (tx) => {
        const row = await resourceRepository(tx, actor).add(data);
        await audit(tx, actor, {
          action: 'resource.add',
          outcome: 'success',
          subjectType: 'resource_link',
          subjectId: row.id,
          detail: data,
        });
        return row;
      });
    },

    async remove(actor: Actor, id: string) {
      return inTransaction(ctx, async (tx) => {
        const row = await resourceRepository(tx, actor).remove(id);
        if (!row) throw new NotFoundError('There is no such link in the resource library.');
        await audit(tx, actor, {
          action: 'resource.remove',
          outcome: 'success',
          subjectType: 'resource_link',
          subjectId: id,
          detail: { title: row.title, url: row.url },
        });
      });
    },
  };
}
