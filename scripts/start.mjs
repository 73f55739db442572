// `npm start`: builds dist/ if the sources changed (scripts/build.mjs), then runs `serve` from it,
// in this one process. Should the build fail, the service still starts, through tsx.
import { build } from './build.mjs';

let cli;
try {
  cli = await import((await build()).href);
} catch (error) {
  console.error(`line-of-sight: the build failed (${error.message}); running the TypeScript through tsx`);
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../src/cli/index.ts');
}
await cli.main([process.argv[0], 'line-of-sight', 'serve', ...process.argv.slice(2)]);
