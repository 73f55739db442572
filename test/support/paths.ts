export const PGLITE_TEMPLATE = new URL('../../.cache/test/pglite-demo.tar.gz', import.meta.url);
export const POSTGRES_TEMPLATE_DB = 'los_template';

/** The same server URL with another database name. */
export function serverUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
