import type { FastifyInstance, RouteOptions } from 'fastify';
import type { DatabaseHandle } from '../../src/db/client.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { createServices, type Services } from '../../src/services/index.ts';
import { limitsFrom } from '../../src/limits.ts';
import { buildApp } from '../../src/runtime.ts';
import { openTestDatabase, type DatabaseKind } from './database.ts';
import { registerHarness } from './second-factor.ts';
import { serviceConnections } from '../../src/db/client.ts';

export interface TestApp {
  app: FastifyInstance;
  database: DatabaseHandle;
  services: Services;
  routes: RouteOptions[];
  close(): Promise<void>;
}

/** The real application on a fresh database holding the demonstration partnership. */
export async function buildTestApp(
  kind: DatabaseKind,
  options: { now?: () => Date; config?: Partial<Config>; logStream?: NodeJS.WritableStream } = {},
): Promise<TestApp> {
  const database = await openTestDatabase(kind);
  const config = {
    ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }),
    DATA_DIR: ':memory:',
    ...options.config,
  };
  const services = createServices({
    ...serviceConnections(database),
    now: options.now ?? (() => new Date()),
    limits: limitsFrom(config),
    // Monitoring loads run in their own thread, as in the service (its clock is the real one).
    ...(options.now ? {} : { jobThread: database.reach }),
  });
  const routes: RouteOptions[] = [];
  const app = await buildApp(
    { config, database, services },
    {
      onRoute: (r) => routes.push(r),
      now: options.now,
      ...(options.logStream ? { logStream: options.logStream } : {}),
    },
  );
  await app.ready();
  registerHarness(app, database.db, options.now ?? (() => new Date()));
  return {
    app,
    database,
    services,
    routes,
    close: async () => {
      await services.monitoring.stopJobs();
      await services.returns.stopJobs();
      await app.close();
      await database.close();
    },
  };
}
