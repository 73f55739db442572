import type { FastifyInstance } from 'fastify';

/** /ping answers if the process runs; /health checks each dependency. Both before sign-in. */
export async function healthRoutes(app: FastifyInstance, opts: { ping: () => Promise<void>; kind: string }) {
  app.get('/ping', { config: { public: true } }, async () => ({ status: 'UP' }));
  app.get('/health', { config: { public: true } }, async (_request, reply) => {
    const started = Date.now();
    try {
      await opts.ping();
      return {
        status: 'UP',
        components: { database: { status: 'UP', kind: opts.kind, ms: Date.now() - started } },
      };
    } catch {
      return reply
        .code(503)
        .send({ status: 'DOWN', components: { database: { status: 'DOWN', kind: opts.kind } } });
    }
  });
}
