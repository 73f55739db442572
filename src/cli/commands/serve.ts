import type { Command } from 'commander';
import { configFrom } from '../runtime-options.ts';

export function registerServe(program: Command) {
  program
    .command('serve')
    .description('run migrations, then serve the web application and the API')
    .option('--port <port>', 'port to listen on (default 3000, or PORT)')
    .option('--no-demo', 'do not load the demonstration partnership into an empty database')
    .action(async (options: { port?: string; demo: boolean }, command: Command) => {
      // The web layer loads while the embedded database opens in its own thread (buildApp below
      // takes the same module): the two overlap instead of one after the other.
      void import('../../web/app.ts').catch(() => undefined);
      // Loaded here, not at the top: pure commands (scan, briefing import) start without the app.
      const { buildApp, openRuntime, scheduledJobs } = await import('../../runtime.ts');
      const { createScheduler } = await import('../../services/scheduler.ts');
      const { systemRepository } = await import('../../db/repositories/system-repository.ts');
      const { loadDemo } = await import('../../demo/load-demo.ts');
      const { DEMO_PASSWORD, DEMO_TOTP_SECRET } = await import('../../demo/partnership.ts');
      const config = configFrom(command);
      const runtime = await openRuntime(config, { access: 'exclusive', command: 'serve' });
      // An import cut off by the last stop (kill -9, a crash) is cleared before anyone sees "Loading".
      // The embedded database has no other process: every import still loading has died.
      await runtime.services.monitoring.clearStopped({ everyLoading: runtime.database.embedded === 'owner' });
      // So is a large upload to a return: queued again from its file (the scheduler runs it), or failed.
      await runtime.services.returns.clearStoppedUploads({
        everyLoading: runtime.database.embedded === 'owner',
      });
      const empty = (await systemRepository(runtime.database.db).partnershipCount()) === 0;
      // A laptop or trial starts with something to see; a server never gets demo data unasked.
      if (empty && options.demo && !config.DATABASE_URL) {
        const demo = await loadDemo(runtime.database.db);
        console.log(`Loaded the demonstration partnership "${demo.partnership}". Sign in with any of:`);
        for (const s of demo.signIns) console.log(`  ${s.email.padEnd(28)} ${s.role}`);
        console.log(`  password: ${DEMO_PASSWORD} (demonstration only)`);
        console.log(
          `  authenticator secret of the administrator, coordinator, chair and agency leads: ${DEMO_TOTP_SECRET} (demonstration only)`,
        );
      }
      const app = await buildApp(runtime);
      const scheduler = createScheduler(runtime.database.db, scheduledJobs(runtime), {
        log: (m) => console.error(m),
      });
      const port = options.port ? Number(options.port) : config.PORT;
      const close = async () => {
        // A monitoring load or a return's upload under way is left to run again from its file at the next start.
        await runtime.services.monitoring.stopJobs();
        await runtime.services.returns.stopJobs();
        await scheduler.stop();
        await app.close();
        await runtime.database.close();
        process.exit(0);
      };
      process.once('SIGINT', close);
      process.once('SIGTERM', close);
      const address = await app.listen({ port, host: config.HOST });
      scheduler.start();
      console.log(
        `E-mail is ${runtime.mailer.describe === 'smtp' ? 'sent over SMTP' : 'written to this log (set SMTP_URL to send it)'}.`,
      );
      console.log(
        `Line of Sight is running at ${address.replace('127.0.0.1', 'localhost')} (${runtime.database.kind})`,
      );
    });
}
