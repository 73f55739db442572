import type { Command } from 'commander';
import { countInWords } from '../../limits.ts';
import { commandName, configFrom } from '../runtime-options.ts';

/**
 * `line-of-sight mfa reseal`: after MFA_KEY is changed, every authenticator secret sealed again
 * under the new key (MFA_KEY) from the old one (MFA_KEY_PREVIOUS). Works while the service runs (on
 * the embedded database, through it); exits 3 when some secret opened under neither key.
 */
export function registerMfa(program: Command): void {
  const mfa = program.command('mfa').description("people's authenticators (second factor)");
  mfa
    .command('reseal')
    .description(
      'seal every authenticator secret under MFA_KEY, from MFA_KEY_PREVIOUS (key rotation: docs/operations.md)',
    )
    .action(async (_options: unknown, command: Command) => {
      const { openRuntime } = await import('../../runtime.ts');
      const runtime = await openRuntime(configFrom(command), { command: commandName(command) });
      try {
        const done = await runtime.services.secondFactor.reseal();
        const secrets = (n: number) => `${countInWords(n)} ${n === 1 ? 'secret' : 'secrets'}`;
        console.log(
          `Sealed under the new key: ${secrets(done.resealed)}; under it already: ${secrets(done.current)}.`,
        );
        if (done.unreadable) {
          console.log(
            `Opened under neither key: ${secrets(done.unreadable)}, left as they were. Check MFA_KEY_PREVIOUS; otherwise those people set up their authenticator again (Admin → People and roles).`,
          );
          process.exitCode = 3;
        }
      } finally {
        await runtime.database.close();
      }
    });
}
