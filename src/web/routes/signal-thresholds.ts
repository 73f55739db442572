import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DEFAULT_SIGNAL_CONFIG } from '../../domain/signals/index.ts';
import type { Services } from '../../services/index.ts';
import { ValidationError } from '../../services/errors.ts';
import { handleForm, takeForm } from '../forms.ts';
import { paths } from '../paths.ts';
import { errorSummary, fieldError } from '../presenters/error-summary.ts';
import { SETTING_LABELS, thresholdFieldsets, thresholdsFromForm } from '../presenters/signal-thresholds.ts';
import { adminNavigation } from './admin.ts';

/** The administrator's page of the partnership's signal thresholds. */
export async function signalThresholdRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const actor = (request: FastifyRequest) => request.actor!;

  app.get(paths.admin.signalThresholds(), async (request, reply) => {
    // Administrators only on the web (the admin area); the API also lets coordinators read.
    const { config, updatedAt } = await services.signalSettings.thresholdsForAdmin(actor(request));
    const state = takeForm(request, 'thresholds');
    return reply.view('pages/admin/signal-thresholds.njk', {
      adminNav: adminNavigation(paths.admin.signalThresholds()),
      fieldsets: thresholdFieldsets(config, state?.values ?? null),
      updatedAt,
      errorList: errorSummary(state?.errors),
      fieldError: (k: string) => fieldError(state?.errors, k),
    });
  });

  app.post(paths.admin.signalThresholds(), async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    return handleForm(request, reply, {
      key: 'thresholds',
      back: paths.admin.signalThresholds(),
      values: body,
      run: async () => {
        try {
          await services.signalSettings.update(
            actor(request),
            thresholdsFromForm(body, DEFAULT_SIGNAL_CONFIG),
          );
        } catch (error) {
          if (error instanceof ValidationError) throw new ValidationError(inWords(error.fieldErrors));
          throw error;
        }
        return paths.admin.signalThresholds();
      },
      success: 'Signal thresholds saved',
    });
  });
}

/** `service-gap.daysWithoutContact` → "Enter "days without contact …" as a whole number of 1 or more". */
function inWords(errors: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(errors).map(([key, message]) => {
      const setting = key.split('.')[1] ?? '';
      const label = SETTING_LABELS[setting];
      const range = /whole number from (\d+) to (\d+)/.exec(message);
      if (label && range)
        return [key, `Enter "${label.toLowerCase()}" as a whole number from ${range[1]} to ${range[2]}`];
      if (label && /whole number/.test(message))
        return [key, `Enter "${label.toLowerCase()}" as a whole number of 1 or more`];
      return [key, message];
    }),
  );
}
