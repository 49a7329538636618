// Test support for the gateway: an in-memory GatewayCatalog, and a minimal OpenID issuer (discovery + JWKS) whose
// key can sign any token a test needs (expired, not yet valid, another issuer's `iss`...).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayCatalog, GatewayRoute, GatewayStrategy } from '../contracts';
import { loadJose } from '../idp/esm';

export interface FakeApi {
  api_id?: string;
  api_name?: string;
  slug: string;
  strategy: GatewayStrategy | null;
  /** client ids / API keys registered for this API */
  registered?: string[];
}

/** Reads `apis` live: APIs pushed after the gateway started are routed too. */
export function fakeCatalog(apis: FakeApi[]): GatewayCatalog & { apis: FakeApi[] } {
  const nameOf = (a: FakeApi) => a.api_name ?? a.slug;
  const route = (a: FakeApi, i: number): GatewayRoute => ({
    api_id: a.api_id ?? `api-${i}`,
    api_name: nameOf(a),
    slug: a.slug,
    strategy: a.strategy,
    isRegisteredClient: (c) => (a.registered ?? []).includes(c),
    registeredElsewhere: (c) => {
      const o = apis.find((x) => x !== a && (x.registered ?? []).includes(c));
      return o ? nameOf(o) : undefined;
    },
  });
  return {
    apis,
    routeFor: (path) => {
      const i = apis.findIndex((a) => path === `/${a.slug}` || path.startsWith(`/${a.slug}/`));
      const a = apis[i];
      return a ? route(a, i) : undefined;
    },
  };
}

export interface FakeIssuer {
  issuer: string;
  sign(
    claims: Record<string, unknown>,
    opts?: { expiresIn?: number; notBefore?: number; kid?: string },
  ): Promise<string>;
  stop(): Promise<void>;
}

/** An issuer at http://127.0.0.1:<port>/<path>, its discovery at {issuer}/.well-known/openid-configuration. */
export async function startFakeIssuer(path = '/issuer'): Promise<FakeIssuer> {
  const jose = await loadJose();
  const { privateKey, publicKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const jwk = await jose.exportJWK(publicKey);
  const kid = await jose.calculateJwkThumbprint(jwk);
  let issuer = '';
  const server = createServer((req, res) => {
    const send = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === `${path}/.well-known/openid-configuration`)
      send({ issuer, jwks_uri: `${issuer}/jwks`, token_endpoint: `${issuer}/token` });
    else if (req.url === `${path}/jwks`) send({ keys: [{ ...jwk, kid, alg: 'RS256', use: 'sig' }] });
    else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return {
    issuer,
    async sign(claims, opts = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new jose.SignJWT({
        iss: issuer,
        iat: now,
        exp: now + (opts.expiresIn ?? 300),
        ...(opts.notBefore !== undefined ? { nbf: now + opts.notBefore } : {}),
        ...claims,
      })
        .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? kid, typ: 'JWT' })
        .sign(privateKey);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The WWW-Authenticate auth-params as a map (quoted values unescaped). */
export function parseChallenge(header: string | null): { scheme: string; params: Record<string, string> } {
  const h = header ?? '';
  const scheme = /^(\S+)/.exec(h)?.[1] ?? '';
  const params: Record<string, string> = {};
  const re = /([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(h))) if (m[1]) params[m[1]] = (m[2] ?? '').replace(/\\(.)/g, '$1');
  return { scheme, params };
}
