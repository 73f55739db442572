import { adminService } from './admin-service.ts';
import { authService } from './auth-service.ts';
import type { ServiceContext } from './context.ts';
import { reviewService } from './review-service.ts';
import { chronologyService } from './chronology-service.ts';
import { requestService } from './request-service.ts';
import { returnService } from './return-service.ts';

/** Every service, built once from the context in the composition root. */
export function createServices(ctx: ServiceContext) {
  return {
    auth: authService(ctx),
    reviews: reviewService(ctx),
    admin: adminService(ctx),
    requests: requestService(ctx),
    returns: returnService(ctx),
    chronology: chronologyService(ctx),
  };
}

export type Services = ReturnType<typeof createServices>;
