import * as cheerio from 'cheerio';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { currentCode } from './second-factor.ts';

export const DEMO_PASSWORD = 'demo-password-1';

/**
 * A browser-like client over `inject`: keeps cookies, and posts forms with the CSRF token it
 * read from the page, as a browser does. CSRF is never switched off for tests.
 */
export class WebClient {
  private cookies = new Map<string, string>();
  constructor(private readonly app: FastifyInstance) {}

  /** The Cookie header this client sends (for a request made outside `inject`). */
  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keepCookies(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader() } });
    this.keepCookies(res);
    return res;
  }

  /** Posts fields as a form, with `_csrf` unless the caller sets it. */
  async post(
    url: string,
    fields: Record<string, string | string[]>,
    csrf?: string,
  ): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams();
    const token = csrf ?? (await this.csrfToken());
    if (!('_csrf' in fields)) body.append('_csrf', token);
    for (const [k, v] of Object.entries(fields))
      for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    const res = await this.app.inject({
      method: 'POST',
      url,
      payload: body.toString(),
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
    });
    this.keepCookies(res);
    return res;
  }

  /** The CSRF token of this session, read from a page's form. */
  async csrfToken(page = '/sign-in'): Promise<string> {
    let res = await this.get(page);
    for (let hops = 0; res.statusCode === 303 && hops < 3; hops++)
      res = await this.get(res.headers.location as string);
    const token = cheerio.load(res.body)('input[name="_csrf"]').first().val();
    if (typeof token !== 'string') throw new Error(`No CSRF token on ${page}`);
    return token;
  }

  /**
   * Signs in as a person does: the e-mail and password, then, for someone with an authenticator
   * (the demonstration's administrator, coordinator, chair and agency leads), its current code.
   * The answer is the last step's: a redirect to the page asked for when all went well.
   */
  async signIn(email: string, password = DEMO_PASSWORD): Promise<LightMyRequestResponse> {
    const token = await this.csrfToken('/sign-in');
    const res = await this.post('/sign-in', { email, password }, token);
    if (res.statusCode !== 303 || res.headers.location !== '/sign-in/code') return res;
    return this.giveCode(email);
  }

  /** Answers the authenticator step of a sign-in with the person's current code. */
  async giveCode(email: string, code?: string): Promise<LightMyRequestResponse> {
    const token = await this.csrfToken('/sign-in/code');
    const given = code ?? (await currentCode(this.app, email));
    if (!given) throw new Error(`No authenticator secret known for ${email}`);
    return this.post('/sign-in/code', { code: given }, token);
  }

  /** Follows one 303 and returns the page it leads to. */
  async follow(res: LightMyRequestResponse): Promise<LightMyRequestResponse> {
    if (res.statusCode !== 303 && res.statusCode !== 302) return res;
    return this.get(res.headers.location as string);
  }
}

export function page(res: LightMyRequestResponse) {
  const $ = cheerio.load(res.body);
  return {
    $,
    h1: $('h1').first().text().trim(),
    errorSummary: $('.govuk-error-summary li')
      .map((_, li) => $(li).text().trim())
      .get(),
    banner: $('.govuk-notification-banner__content').text().trim(),
  };
}

/** One signed-in client per person, made on first use: for tests that act as several people. */
export function signedInClients(app: () => FastifyInstance) {
  const clients = new Map<string, WebClient>();
  return async (email: string): Promise<WebClient> => {
    let client = clients.get(email);
    if (!client) {
      client = new WebClient(app());
      await client.signIn(email);
      clients.set(email, client);
    }
    return client;
  };
}
