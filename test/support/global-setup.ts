// Prepared once per `vitest run`: see test/support/database.ts for what each test file gets.
export default async function setup(): Promise<void> {}
