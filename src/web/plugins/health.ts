import type { FastifyInstance, FastifyRequest } from 'fastify';
import { mayAdminister } from '../../domain/lifecycle/roles.ts';
import type { Services } from '../../services/index.ts';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export interface HealthOptions {
  ping: () => Promise<void>;
  kind: string;
  services: Services;
}

/**
 * `/ping` answers if the process runs; `/health` if it can reach its database. To anyone else on
 * the network they say only UP or DOWN: which database, how it is held and how fast it answers are
 * for a readiness check on this machine (a loopback peer, not forwarded by a proxy) or for a
 * partnership administrator's API token.
 */
export async function healthRoutes(app: FastifyInstance, opts: HealthOptions) {
  async function mayReadDetails(request: FastifyRequest): Promise<boolean> {
    const local = LOOPBACK.has(request.socket.remoteAddress ?? '') && !request.headers['x-forwarded-for'];
    if (local) return true;
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (!token) return false;
    const user = await opts.services.auth.userByApiToken(token);
    return Boolean(user && mayAdminister({ roles: user.roles as never }));
  }

  app.get('/ping', { config: { public: true } }, async () => ({ status: 'UP' }));
  app.get('/health', { config: { public: true } }, async (request, reply) => {
    const started = Date.now();
    let up = true;
    try {
      await opts.ping();
    } catch {
      up = false;
    }
    const status = up ? 'UP' : 'DOWN';
    if (!(await mayReadDetails(request).catch(() => false)))
      return reply.code(up ? 200 : 503).send({ status });
    return reply.code(up ? 200 : 503).send({
      status,
      components: {
        database: { status, kind: opts.kind, ...(up ? { ms: Date.now() - started } : {}) },
      },
    });
  });
}
