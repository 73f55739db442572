import type { Command } from 'commander';
import { commandName, configFrom } from '../runtime-options.ts';

export function registerDatabase(program: Command) {
  program
    .command('migrate')
    .description('apply database migrations')
    .action(async (_options: unknown, command: Command) => {
      const { openRuntime } = await import('../../runtime.ts');
      const runtime = await openRuntime(configFrom(command), { command: commandName(command) });
      await runtime.database.close();
      console.log(`Migrations applied (${runtime.database.kind}).`);
    });

  program
    .command('demo')
    .description('load the demonstration partnership, its people and the Child 2 review')
    .action(async (_options: unknown, command: Command) => {
      const { openRuntime } = await import('../../runtime.ts');
      const { loadDemo } = await import('../../demo/load-demo.ts');
      const { DEMO_PASSWORD, DEMO_TOTP_SECRET } = await import('../../demo/partnership.ts');
      const runtime = await openRuntime(configFrom(command), { command: commandName(command) });
      try {
        const demo = await loadDemo(runtime.database.db);
        console.log(
          demo.loaded
            ? `Loaded the demonstration partnership "${demo.partnership}".`
            : `The demonstration partnership "${demo.partnership}" is already loaded.`,
        );
        for (const s of demo.signIns) console.log(`  ${s.email.padEnd(28)} ${s.role}`);
        console.log(`  password: ${DEMO_PASSWORD} (demonstration only)`);
        console.log(
          `  authenticator secret of the administrator, coordinator, chair and agency leads: ${DEMO_TOTP_SECRET} (demonstration only)`,
        );
      } finally {
        await runtime.database.close();
      }
    });
}
