import type { LightMyRequestResponse } from 'fastify';
import type { WebClient } from '../support/client.ts';

/**
 * Posts a multipart form as a browser does (file input included, empty or not), with the CSRF
 * token in the action's query string as the form puts it there.
 */
export async function postMultipart(
  client: WebClient,
  url: string,
  fields: Record<string, string>,
  file: { field: string; name: string; type: string; content: Buffer } | null,
  csrf: string,
): Promise<LightMyRequestResponse> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append(file.field, new Blob([file.content], { type: file.type }), file.name);
  else form.append('evidenceFile', new Blob([], { type: 'application/octet-stream' }), '');
  const encoded = new Response(form);
  const body = Buffer.from(await encoded.arrayBuffer());
  const c = client as unknown as {
    app: { inject: (o: unknown) => Promise<LightMyRequestResponse> };
    cookieHeader(): string;
    keepCookies(r: LightMyRequestResponse): void;
  };
  const res = await c.app.inject({
    method: 'POST',
    url: `${url}?_csrf=${encodeURIComponent(csrf)}`,
    payload: body,
    headers: { cookie: c.cookieHeader(), 'content-type': encoded.headers.get('content-type')! },
  });
  c.keepCookies(res);
  return res;
}
