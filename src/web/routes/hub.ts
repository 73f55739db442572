import type { FastifyRequest } from 'fastify';
import type { Services } from '../../services/index.ts';
import { reviewHub, type HubTab } from '../presenters/review-hub.ts';

/**
 * The hub heading a review's tab: the review's reference, pseudonym, type, stage and current
 * deadline, read with `reviews.hub` (the access check's one statement, no audit row: the tab's
 * own service audits its view), not the whole overview.
 */
export async function tabHub(
  services: Services,
  request: FastifyRequest,
  ref: string,
  tab: HubTab,
  options: { offerMove?: boolean } = {},
) {
  const hub = await services.reviews.hub(request.actor!, ref);
  return {
    ...reviewHub(hub.review, tab, { deadline: hub.deadlines[0], today: hub.today }),
    ...(options.offerMove ? await offeredMove(services, request, ref) : {}),
  };
}

/**
 * On a page where a stage's last task is done: the move to the next stage, offered there (a
 * secondary button under the review's sections) when it would be allowed now and this person may
 * make it, so nobody goes back to the overview for it.
 */
export async function offeredMove(services: Services, request: FastifyRequest, ref: string) {
  const move = await services.reviews.nextMove(request.actor!, ref);
  return move ? { move } : {};
}
