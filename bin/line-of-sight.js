#!/usr/bin/env node
// Runs the compiled build (dist/, made by `npm run build` and by `npm start`) when it was made from
// the sources as they are now; otherwise the TypeScript itself through tsx, so a checkout needs no
// build step and an edited one never runs stale code.
import { currentBuild } from '../scripts/build.mjs';

const built = currentBuild();
let cli;
if (built) cli = await import(built.href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../src/cli/index.ts');
}
await cli.main(process.argv);
