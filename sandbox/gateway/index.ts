// A Kong-like data plane for the sandbox: every published API answers under /{slug}/… with an echo of the request
// (method, path, query, headers with credentials masked, and the authenticated application), behind the auth
// strategy the API was published with. It reads the emulator only through GatewayCatalog.
//
//   no route for the path                      404 {"message": "no Route matched with those values"}
//   open API (strategy null)                   passes
//   key_auth                                   key in one of key_names headers; 401 missing/unknown key, 403 key of an
//                                              application not registered for this API (names the API it is registered for)
//   openid_connect                             Bearer JWT (see oidc.ts); 401 + WWW-Authenticate: Bearer … for a missing,
//                                              malformed, expired, tampered, wrong-issuer or wrong-audience token; 403 for
//                                              missing scopes (error="insufficient_scope") or an application not registered
//                                              for this API; 502 when the issuer's discovery cannot be loaded
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayCatalog, GatewayRoute } from '../contracts';
import { OidcChecker } from './oidc';

export interface StartGatewayOptions {
  /** Default: a random free port. The listener is always 127.0.0.1. */
  port?: number;
  catalog: GatewayCatalog;
  /** Leeway for exp / nbf, seconds (Kong's default is 0). */
  clockToleranceSeconds?: number;
  /** How long an issuer's discovery document is reused, ms (default 60 s). */
  discoveryTtlMs?: number;
  /** WWW-Authenticate realm (default "kong"). */
  realm?: string;
}

export interface StartedGateway {
  /** http://127.0.0.1:<port> */
  url: string;
  stop(): Promise<void>;
}

export interface EchoBody {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  api: { id: string; name: string };
  strategy: { id: string; type: 'openid_connect' | 'key_auth' } | null;
  /** The authenticated application: its client id (openid_connect) or which key header was used (key_auth). */
  consumer:
    | { type: 'openid_connect'; client_id: string; credential_claim: string; issuer: string }
    | { type: 'key_auth'; key_name: string; key_hint: string }
    | null;
}

const quote = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function maskHeaders(req: IncomingMessage, secretHeaders: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const secret = new Set([
    'authorization',
    'cookie',
    'proxy-authorization',
    ...secretHeaders.map((h) => h.toLowerCase()),
  ]);
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    const value = Array.isArray(v) ? v.join(', ') : v;
    if (!secret.has(k)) {
      out[k] = value;
      continue;
    }
    const scheme = k === 'authorization' ? /^(\S+)\s/.exec(value)?.[1] : undefined;
    out[k] = scheme ? `${scheme} [masked]` : '[masked]';
  }
  return out;
}

function queryOf(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    out[key] = all.length === 1 ? (all[0] ?? '') : all;
  }
  return out;
}

function notRegistered(route: GatewayRoute, what: string, credential: string): string {
  const elsewhere = route.registeredElsewhere(credential);
  return elsewhere
    ? `${what} is registered for the API ${elsewhere}, not for ${route.api_name}`
    : `${what} is not registered for the API ${route.api_name}`;
}

export async function startGateway(options: StartGatewayOptions): Promise<StartedGateway> {
  const realm = options.realm ?? 'kong';
  const oidc = new OidcChecker({
    clockToleranceSeconds: options.clockToleranceSeconds ?? 0,
    discoveryTtlMs: options.discoveryTtlMs ?? 60_000,
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://gateway.invalid');
    const route = options.catalog.routeFor(url.pathname);
    if (!route) {
      send(res, 404, { message: 'no Route matched with those values' });
      return;
    }
    const strategy = route.strategy;
    const echo = (consumer: EchoBody['consumer'], secretHeaders: string[]) => {
      const body: EchoBody = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: queryOf(url),
        headers: maskHeaders(req, secretHeaders),
        api: { id: route.api_id, name: route.api_name },
        strategy: strategy ? { id: strategy.id, type: strategy.strategy_type } : null,
        consumer,
      };
      send(res, 200, body);
    };

    if (!strategy) {
      echo(null, []);
      return;
    }

    if (strategy.strategy_type === 'key_auth') {
      const names = strategy.key_names?.length ? strategy.key_names : ['apikey'];
      const found = names
        .map((n) => ({ name: n, value: req.headers[n.toLowerCase()] }))
        .find((h) => typeof h.value === 'string' && h.value.length > 0);
      const challenge = { 'www-authenticate': `Key realm=${quote(realm)}` };
      if (!found || typeof found.value !== 'string') {
        send(
          res,
          401,
          { message: `No API key found in request (expected in header ${names.join(' or ')})` },
          challenge,
        );
        return;
      }
      if (!route.isRegisteredClient(found.value)) {
        if (route.registeredElsewhere(found.value))
          send(res, 403, { message: notRegistered(route, 'The application of this API key', found.value) });
        else send(res, 401, { message: 'Invalid authentication credentials: unknown API key' }, challenge);
        return;
      }
      echo({ type: 'key_auth', key_name: found.name, key_hint: `${found.value.slice(0, 4)}…` }, names);
      return;
    }

    const outcome = await oidc.check(strategy, req.headers.authorization);
    if (outcome.ok) {
      if (!route.isRegisteredClient(outcome.credential)) {
        send(res, 403, {
          message: notRegistered(route, `The application ${outcome.credential} (${outcome.claim})`, outcome.credential),
        });
        return;
      }
      echo(
        {
          type: 'openid_connect',
          client_id: outcome.credential,
          credential_claim: outcome.claim,
          issuer: String(outcome.payload['iss'] ?? ''),
        },
        [],
      );
      return;
    }
    switch (outcome.error) {
      case undefined:
        // RFC 6750 §3.1: no error code when the request carries no credentials.
        send(
          res,
          401,
          { message: `Unauthorized: ${outcome.description}` },
          { 'www-authenticate': `Bearer realm=${quote(realm)}` },
        );
        return;
      case 'invalid_token':
        send(
          res,
          401,
          {
            message: `Unauthorized: ${outcome.description}`,
            error: 'invalid_token',
            error_description: outcome.description,
          },
          {
            'www-authenticate': `Bearer realm=${quote(realm)}, error="invalid_token", error_description=${quote(outcome.description)}`,
          },
        );
        return;
      case 'insufficient_scope':
        send(
          res,
          403,
          {
            message: `Forbidden: ${outcome.description}`,
            error: 'insufficient_scope',
            error_description: outcome.description,
          },
          {
            'www-authenticate': `Bearer realm=${quote(realm)}, error="insufficient_scope", error_description=${quote(outcome.description)}, scope=${quote(outcome.scope)}`,
          },
        );
        return;
      case 'unmapped':
        send(res, 403, { message: `Forbidden: ${outcome.description}` });
        return;
      case 'discovery':
        send(res, 502, {
          message: `An invalid response was received from the identity provider: ${outcome.description}`,
        });
        return;
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent)
        send(res, 500, {
          message: `An unexpected error occurred: ${err instanceof Error ? err.message : String(err)}`,
        });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export { requiredAudiences, requiredScopeGroups } from './oidc';
