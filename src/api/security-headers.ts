import fp from 'fastify-plugin';

/**
 * The API answers JSON (and briefing files): nothing in it is to be run, framed or sniffed, so it
 * gets the strictest headers — the same protections as the pages, with a policy that allows nothing.
 */
export const apiSecurityHeaders = fp(async (app) => {
  app.addHook('onSend', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return;
    reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
    reply.header('x-content-type-options', 'nosniff');
    reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-resource-policy', 'same-origin');
    reply.header('cache-control', 'no-store');
  });
});
