// Types of scripts/build.mjs (plain JavaScript, so it runs before anything is built).
export function sourceHash(): string;
export function currentBuild(hash?: string): URL | undefined;
export function build(options?: { quiet?: boolean }): Promise<URL>;
