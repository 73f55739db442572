import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';

/** Someone the test identity provider knows: their e-mail and groups. */
export interface TestAccount {
  email: string;
  name?: string;
  groups?: string[];
  emailVerified?: boolean;
}

export interface TestClient {
  clientId: string;
  secret: string;
  redirectUri: string;
  postLogoutRedirectUri?: string;
}

/** What the browser (or a test acting as one) does at the provider's login page. */
const loginPage = (uid: string, prompt: string) => `<!doctype html>
<html lang="en"><head><title>Test identity provider: sign in</title></head>
<body><main><h1>Test identity provider</h1><p>${prompt}</p>
<form method="post" action="/interaction/${uid}/login">
<label for="login">Account</label> <input id="login" name="login">
<label><input type="checkbox" name="mfa" value="yes"> Used a second factor</label>
<button type="submit">Sign in at the provider</button>
</form></main></body></html>`;

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * A real OpenID Connect provider (the `oidc-provider` package) on loopback, as a partnership's
 * identity provider: authorisation code flow with PKCE, ID tokens signed with its own RSA key,
 * `amr` of `pwd` (and `mfa` when the login says so), RP-initiated logout. Its login page is a plain
 * form. It is reached through a proxy on its own port that is its issuer address, so a test can
 * play an attacker between Line of Sight and the provider and swap the ID token the token endpoint
 * returns.
 */
export async function startTestIdentityProvider(options: {
  accounts: Record<string, TestAccount>;
  clients: TestClient[];
}) {
  // The proxy's port is the issuer's: listen first, then build the provider behind it.
  const front = http.createServer();
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = {
    ...privateKey.export({ format: 'jwk' }),
    alg: 'RS256',
    use: 'sig',
    kid: randomBytes(8).toString('hex'),
  };
  const provider = new Provider(issuer, {
    clients: options.clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.secret,
      redirect_uris: [c.redirectUri],
      post_logout_redirect_uris: c.postLogoutRedirectUri ? [c.postLogoutRedirectUri] : [],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_post',
    })),
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    pkce: { required: () => true },
    // The claims go into the ID token itself, as Entra ID and most providers put them.
    conformIdTokenClaims: false,
    claims: {
      openid: ['sub', 'groups', 'amr', 'auth_time'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.body = `<!doctype html><html lang="en"><head><title>Sign out</title></head><body><main><h1>Sign out of the test identity provider?</h1>${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button></main></body></html>`;
        },
      },
    },
    findAccount: (_ctx, id) => {
      const account = options.accounts[id];
      if (!account) return undefined;
      return {
        accountId: id,
        claims: () => ({
          sub: id,
          email: account.email,
          email_verified: account.emailVerified ?? true,
          name: account.name ?? account.email,
          ...(account.groups ? { groups: account.groups } : {}),
        }),
      };
    },
    // Consent is taken as given: the partnership's own provider has no consent screen for its apps.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const grantId =
        ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) {
        const found = await ctx.oidc.provider.Grant.find(grantId);
        if (found) return found;
      }
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope('openid email profile');
      grant.addOIDCClaims(['email', 'email_verified', 'name', 'groups']);
      await grant.save();
      return grant;
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  });

  const handler = provider.callback();
  const back = http.createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(req.url ?? '');
    if (!match) return handler(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'GET') {
        res.setHeader('content-type', 'text/html; charset=utf-8');
        return res.end(
          loginPage(details.uid, details.prompt.name === 'login' ? 'Sign in to continue.' : 'Continue.'),
        );
      }
      const body = await formBody(req);
      const login = body.get('login') ?? '';
      if (!options.accounts[login]) {
        res.setHeader('content-type', 'text/html; charset=utf-8');
        return res.end(loginPage(details.uid, 'There is no such account.'));
      }
      const amr = body.get('mfa') === 'yes' ? ['pwd', 'mfa'] : ['pwd'];
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: login, amr } },
        { mergeWithLastSubmission: false },
      );
    } catch (error) {
      res.statusCode = 400;
      res.end(String((error as Error).message));
    }
  });
  await new Promise<void>((resolve) => back.listen(0, '127.0.0.1', resolve));
  const backPort = (back.address() as AddressInfo).port;

  /** Rewrites the token endpoint's JSON answer, when a test sets it. */
  let tamper: ((answer: Record<string, unknown>) => Record<string, unknown>) | null = null;
  front.on('request', (req, res) => {
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: backPort,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: new URL(issuer).host },
      },
      (answer) => {
        if (!(tamper && req.method === 'POST' && req.url === '/token')) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const rewritten = JSON.stringify(tamper!(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
          const headers = { ...answer.headers, 'content-length': String(Buffer.byteLength(rewritten)) };
          res.writeHead(answer.statusCode ?? 200, headers);
          res.end(rewritten);
        });
      },
    );
    req.pipe(upstream);
  });

  return {
    issuer,
    /** From now on the token endpoint's answers pass through this (null: untouched). */
    tamperWithTokens(fn: typeof tamper) {
      tamper = fn;
    },
    /**
     * A real ID token from this provider for a client, signed in as `login`, with the nonce given:
     * what an attacker holding another sign-in's token would have.
     */
    async idTokenFor(client: TestClient, login: string, nonce: string): Promise<string> {
      const jar = new Map<string, string>();
      const send = async (url: string, init: RequestInit = {}) => {
        const res = await fetch(url, {
          ...init,
          redirect: 'manual',
          headers: {
            ...(init.headers as Record<string, string>),
            cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
          },
        });
        for (const c of res.headers.getSetCookie()) {
          const [pair = ''] = c.split(';');
          const at = pair.indexOf('=');
          jar.set(pair.slice(0, at), pair.slice(at + 1));
        }
        return res;
      };
      const verifier = randomBytes(32).toString('base64url');
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      const auth = new URL(`${issuer}/auth`);
      for (const [k, v] of Object.entries({
        client_id: client.clientId,
        response_type: 'code',
        scope: 'openid email profile',
        redirect_uri: client.redirectUri,
        nonce,
        state: randomBytes(8).toString('hex'),
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }))
        auth.searchParams.set(k, v);
      let res = await send(auth.href);
      const interaction = new URL(res.headers.get('location')!, issuer);
      res = await send(`${interaction.href}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ login }).toString(),
      });
      for (let hops = 0; hops < 5; hops++) {
        const location = new URL(res.headers.get('location')!, issuer);
        if (location.href.startsWith(client.redirectUri)) {
          const code = location.searchParams.get('code')!;
          const token = await fetch(`${issuer}/token`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({
              grant_type: 'authorization_code',
              code,
              redirect_uri: client.redirectUri,
              client_id: client.clientId,
              client_secret: client.secret,
              code_verifier: verifier,
            }).toString(),
          });
          return ((await token.json()) as { id_token: string }).id_token;
        }
        res = await send(location.href);
      }
      throw new Error('The provider did not answer with a code');
    },
    close: async () => {
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await new Promise<void>((resolve) => back.close(() => resolve()));
      front.closeAllConnections?.();
      back.closeAllConnections?.();
    },
  };
}

export type TestIdentityProvider = Awaited<ReturnType<typeof startTestIdentityProvider>>;
