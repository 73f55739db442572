import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import { GOVUK_DIR, MOJ_DIR } from './views.ts';

const APP_ASSETS = fileURLToPath(new URL('../assets', import.meta.url));

/** GOV.UK and MoJ Frontend files, and our own small stylesheet. */
export const assetsPlugin = fp(async (app) => {
  await app.register(fastifyStatic, {
    root: [join(GOVUK_DIR, 'govuk/assets'), join(MOJ_DIR, 'moj/assets')],
    prefix: '/assets/',
    maxAge: '1d',
  });
  await app.register(fastifyStatic, {
    root: [join(GOVUK_DIR, 'govuk'), join(MOJ_DIR, 'moj'), APP_ASSETS],
    prefix: '/static/',
    decorateReply: false,
    maxAge: '1h',
    allowedPath: (path) => /\.(css|js|mjs|map)$/.test(path),
  });
});
