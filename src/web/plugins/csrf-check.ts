import fp from 'fastify-plugin';

/**
 * Every state-changing web request carries the form's CSRF token. It runs at preHandler, once
 * the body is parsed (at onRequest the token in the form body is not there yet).
 */
export const csrfCheckPlugin = fp(async (app) => {
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return done();
    app.csrfProtection(request, reply, done);
  });
});
