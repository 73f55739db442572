import type { FastifyRequest } from 'fastify';
import type { Services } from '../../services/index.ts';
import { reviewHub, type HubTab } from '../presenters/review-hub.ts';

/**
 * The hub heading a review's tab: the review's reference, pseudonym, type, stage and current
 * deadline, read with `reviews.hub` (the access check's one statement, no audit row: the tab's
 * own service audits its view), not the whole overview.
 */
export async function tabHub(services: Services, request: FastifyRequest, ref: string, tab: HubTab) {
  const hub = await services.reviews.hub(request.actor!, ref);
  return reviewHub(hub.review, tab, { deadline: hub.deadlines[0], today: hub.today });
}
