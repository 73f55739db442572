import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Runs the test files that took longest first, from the times recorded in test/durations.json
 * (`npm run test:durations` after a run writes it). With two workers and a queue, the long
 * Chromium journeys started last would leave one worker idle while the other finishes them; started
 * first, the short files fill the gaps. A clean checkout has no vitest cache, so the order must be
 * in the repository. Files not yet recorded run first, by size, as vitest would.
 */
export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const seconds = recorded();
    const root = this.ctx.config.root;
    const known = (spec: TestSpecification) => seconds[relative(root, spec.moduleId)];
    const unknown = files.filter((spec) => known(spec) === undefined);
    const timed = files.filter((spec) => known(spec) !== undefined).sort((a, b) => known(b)! - known(a)!);
    return [...(await super.sort(unknown)), ...timed];
  }
}

function recorded(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(new URL('../durations.json', import.meta.url), 'utf8')) as Record<
      string,
      number
    >;
  } catch {
    return {};
  }
}
