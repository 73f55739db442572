import type { FastifyServerOptions } from 'fastify';
import { loggedError, safeMessage } from '../observability/safe-error.ts';

/** A request as logged: its id, method and path. The query string is left out: it carries searches and filters. */
function loggedRequest(request: { id?: unknown; method?: string; url?: string; ip?: string }) {
  return {
    id: request.id,
    method: request.method,
    path: (request.url ?? '').split('?')[0],
    remoteAddress: request.ip,
  };
}

/**
 * The service's logger: ids, paths, status codes and error codes; never a request body, a query
 * string or a failed statement's parameters (docs/security.md, "Logs").
 */
export function loggerOptions(level: string, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  if (level === 'silent' && !stream) return false;
  return {
    level: level === 'silent' ? 'info' : level,
    serializers: {
      req: loggedRequest,
      err: (error: Error) => {
        const logged = loggedError(error);
        return { ...logged, stack: logged.stack ?? '' };
      },
    },
    hooks: {
      // pino makes an error's own message the line's message: a failed statement's message lists
      // its parameters, so the safe one is used instead.
      logMethod(this: unknown, args: unknown[], method: (...a: unknown[]) => void) {
        const [first, second] = args;
        const error =
          first instanceof Error
            ? first
            : (first as { err?: unknown } | null)?.err instanceof Error
              ? (first as { err: Error }).err
              : null;
        if (error && (second === undefined || second === error.message))
          return method.apply(this, [first, safeMessage(error), ...args.slice(2)]);
        return method.apply(this, args);
      },
    },
    ...(stream ? { stream } : {}),
  } as unknown as FastifyServerOptions['logger'];
}
