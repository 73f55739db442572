import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fp from 'fastify-plugin';
import fastifyView from '@fastify/view';
import nunjucks from 'nunjucks';
import { formatDate, formatDateTime } from '../../domain/calendar/format.ts';
import { ROLE_LABELS, type Role } from '../../domain/lifecycle/roles.ts';
import {
  REVIEW_TYPE_LABELS,
  STAGE_LABELS,
  type ReviewType,
  type Stage,
} from '../../domain/lifecycle/stages.ts';
import { paths } from '../paths.ts';
import { chronologyDate } from '../presenters/timeline.ts';
import { eventTypeLabel, tristateLabel } from '../../domain/chronology/words.ts';

const require = createRequire(import.meta.url);
export const VIEWS_DIR = fileURLToPath(new URL('../views', import.meta.url));
export const GOVUK_DIR = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist');
export const MOJ_DIR = dirname(require.resolve('@ministryofjustice/frontend/package.json'));

/** Nunjucks with GOV.UK Frontend and MoJ Frontend on its path; autoescape on. */
export function configureNunjucks(env: nunjucks.Environment): nunjucks.Environment {
  env.addFilter('govukDate', (v: string | Date | null | undefined) =>
    v instanceof Date ? formatDate(v.toISOString().slice(0, 10)) : formatDate(v),
  );
  env.addFilter('govukDateTime', (v: Date | string | null | undefined) =>
    v ? formatDateTime(v instanceof Date ? v : new Date(v)) : '',
  );
  env.addFilter('stageLabel', (v: string) => STAGE_LABELS[v as Stage] ?? v);
  env.addFilter('reviewTypeLabel', (v: string) => REVIEW_TYPE_LABELS[v as ReviewType] ?? v);
  env.addFilter('roleLabel', (v: string) => ROLE_LABELS[v as Role] ?? v);
  // Chronology (issue 3): "March 2019" for month-only dates; event types and yes/no/not recorded in words.
  env.addFilter('chronologyDate', (v: string | null | undefined) => (v ? chronologyDate(v) : ''));
  env.addFilter('eventTypeLabel', (v: string) => eventTypeLabel(v ?? ''));
  env.addFilter('tristate', (v: string | null | undefined) => tristateLabel(v ?? 'not_recorded'));
  env.addGlobal('paths', paths);
  return env;
}

export function createNunjucksEnvironment(): nunjucks.Environment {
  return configureNunjucks(
    new nunjucks.Environment(
      new nunjucks.FileSystemLoader([VIEWS_DIR, GOVUK_DIR, MOJ_DIR], { noCache: false }),
      {
        autoescape: true,
        throwOnUndefined: false,
        trimBlocks: true,
        lstripBlocks: true,
      },
    ),
  );
}

export const viewsPlugin = fp(async (app) => {
  await app.register(fastifyView, {
    engine: { nunjucks },
    templates: [VIEWS_DIR, GOVUK_DIR, MOJ_DIR],
    options: {
      onConfigure: (env: nunjucks.Environment) => configureNunjucks(env),
      autoescape: true,
      trimBlocks: true,
      lstripBlocks: true,
    },
  });
});
