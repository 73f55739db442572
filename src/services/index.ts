import { adminService } from './admin-service.ts';
import { authService } from './auth-service.ts';
import type { ServiceContext } from './context.ts';
import { reviewService } from './review-service.ts';

/** Every service, built once from the context in the composition root. */
export function createServices(ctx: ServiceContext) {
  return {
    auth: authService(ctx),
    reviews: reviewService(ctx),
    admin: adminService(ctx),
  };
}

export type Services = ReturnType<typeof createServices>;
