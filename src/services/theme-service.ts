import { themeRepository } from '../db/repositories/theme-repository.ts';
import { themeKey } from '../domain/learning/themes.ts';
import { mayAdminister, type Actor } from '../domain/lifecycle/roles.ts';
import { parseInput } from '../schemas/parse.ts';
import { themeInput } from '../schemas/learning.ts';
import { audit, denial, inTransaction, type ServiceContext } from './context.ts';
import { ForbiddenError, NotFoundError, ValidationError } from './errors.ts';
import type { AuditAction } from '../domain/audit/catalogue.ts';

/**
 * The partnership's learning themes: everyone reads them; the administrator adds, renames,
 * retires and restores. A theme keeps its id for life, so old tags keep their meaning.
 */
export function themeService(ctx: ServiceContext) {
  const requireAdmin = (actor: Actor, action: AuditAction) => {
    if (!mayAdminister(actor))
      throw new ForbiddenError(
        'Only a partnership administrator can change the learning themes.',
        denial(actor, { action }),
      );
  };

  async function find(repo: ReturnType<typeof themeRepository>, id: string) {
    const [theme] = await repo.byIds([id]);
    if (!theme) throw new NotFoundError('There is no such theme.');
    return theme;
  }

  return {
    /** The taxonomy, seeded on first use, with its version. */
    async list(actor: Actor) {
      return inTransaction(ctx, async (tx) => {
        const repo = themeRepository(tx, actor);
        await repo.seedIfEmpty();
        return { themes: await repo.all(), version: await repo.version() };
      });
    },

    /** The administrator's page: the themes and every change made to them. */
    async manage(actor: Actor) {
      requireAdmin(actor, 'theme.list');
      return inTransaction(ctx, async (tx) => {
        const repo = themeRepository(tx, actor);
        await repo.seedIfEmpty();
        return { themes: await repo.all(), version: await repo.version(), history: await repo.history() };
      });
    },

    async add(actor: Actor, input: unknown) {
      requireAdmin(actor, 'theme.add');
      const data = parseInput(themeInput, input);
      return inTransaction(ctx, async (tx) => {
        const repo = themeRepository(tx, actor);
        await repo.seedIfEmpty();
        const key = themeKey(data.name);
        if (!key) throw new ValidationError({ name: 'Enter a name with letters or digits' });
        if ((await repo.nameTaken(data.name)) || (await repo.byKeys([key])).length)
          throw new ValidationError({ name: 'A theme already has this name' });
        const theme = await repo.add({
          key,
          name: data.name,
          description: data.description,
          keywords: data.keywords ?? [],
        });
        if (!theme) throw new ValidationError({ name: 'A theme already has this name' });
        await audit(tx, actor, {
          action: 'theme.add',
          outcome: 'success',
          subjectType: 'learning_theme',
          subjectId: theme.id,
          detail: { name: data.name },
        });
        return theme;
      });
    },

    async rename(actor: Actor, id: string, input: unknown) {
      requireAdmin(actor, 'theme.rename');
      const data = parseInput(themeInput, input);
      return inTransaction(ctx, async (tx) => {
        const repo = themeRepository(tx, actor);
        const theme = await find(repo, id);
        if (await repo.nameTaken(data.name, id))
          throw new ValidationError({ name: 'A theme already has this name' });
        await repo.rename(theme, data.name, data.description);
        await audit(tx, actor, {
          action: 'theme.rename',
          outcome: 'success',
          subjectType: 'learning_theme',
          subjectId: id,
          detail: { from: theme.name, to: data.name },
        });
        const keywords = data.keywords;
        if (keywords !== undefined && keywords.join('\n') !== theme.keywords.join('\n')) {
          await repo.setKeywords(theme, keywords);
          await audit(tx, actor, {
            action: 'theme.keywords',
            outcome: 'success',
            subjectType: 'learning_theme',
            subjectId: id,
            detail: { keywords: keywords.length },
          });
        }
      });
    },

    async setRetired(actor: Actor, id: string, retired: boolean) {
      requireAdmin(actor, retired ? 'theme.retire' : 'theme.restore');
      return inTransaction(ctx, async (tx) => {
        const repo = themeRepository(tx, actor);
        const theme = await find(repo, id);
        if (Boolean(theme.retiredAt) === retired) return;
        await repo.setRetired(theme, retired ? ctx.now() : null);
        await audit(tx, actor, {
          action: retired ? 'theme.retire' : 'theme.restore',
          outcome: 'success',
          subjectType: 'learning_theme',
          subjectId: id,
        });
      });
    },
  };
}

export type ThemeService = ReturnType<typeof themeService>;
