/**
 * This run's PGlite template (the global setup names it after its process and workers inherit the
 * name), so several test runs on one checkout never read each other's half-written file.
 */
export const PGLITE_TEMPLATE = new URL(
  `../../.cache/test/pglite-demo-${process.env.LOS_TEST_PGLITE_RUN ?? process.pid}.tar.gz`,
  import.meta.url,
);
export const POSTGRES_TEMPLATE_DB = 'los_template';

/** The same server URL with another database name. */
export function serverUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
