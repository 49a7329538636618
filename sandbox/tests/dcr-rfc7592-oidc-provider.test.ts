// The RFC 7591/7592 DCR driver (the Curity pattern) against panva's oidc-provider as it ships, configured strictly:
// its own registration endpoint and RFC 7592 client configuration endpoint (read, update, delete with the
// registration access token, rotated on every update), its stock client defaults (an omitted grant_types means
// authorization_code, an omitted response_types means code), and the OpenID Connect DCR 1.0 §2 rule that
// redirect_uris is REQUIRED as a registration policy. Nothing of the sandbox's flavours is in between: the only glue
// is that the DCR admin's `dcr`-scoped client_credentials token counts as an initial access token (what Curity does
// with such a token), done in the storage adapter. Konnect's side of it is the driver, used as the emulator uses it.
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Adapter, AdapterPayload, KoaContext, Provider } from 'oidc-provider';
import { DcrDriverError, type RegisteredClient, type StoredDcrProvider } from '../contracts';
import { curityDriver } from '../idp/drivers/drivers';
import { loadOidc } from '../idp/esm';
import { generateSigningKey } from '../idp/provider';
import { randomSecret, randomUUID } from '../idp/http-util';
import { registrationRequest, requestToken } from '../idp/testing';

const ADMIN_ID = 'konnect-dcr-admin';
const ADMIN_SECRET = randomSecret(32);
const PORTAL_URL = 'https://dev.example.com';

/** What the test makes the server do to its answers (what some servers do that oidc-provider does not). */
interface Quirks {
  createStatus?: number;
  dropSecret?: boolean;
  failDelete?: boolean;
}

interface Strict {
  issuer: string;
  provider: Provider;
  quirks: Quirks;
  seen: { method: string; path: string; auth: string; status: number }[];
  close(): Promise<void>;
}

async function startStrictProvider(): Promise<Strict> {
  const oidc = await loadOidc();
  const { errors } = oidc;
  const ProviderClass = oidc.Provider;
  const store = new Map<string, AdapterPayload>();
  const adapter = (model: string): Adapter => ({
    async upsert(id, payload) {
      store.set(`${model}:${id}`, payload);
      // the DCR admin's dcr-scoped token is an initial access token, under the strict policy
      if (
        model === 'ClientCredentials' &&
        payload['clientId'] === ADMIN_ID &&
        String(payload['scope'] ?? '')
          .split(' ')
          .includes('dcr')
      ) {
        store.set(`InitialAccessToken:${id}`, {
          jti: id,
          kind: 'InitialAccessToken',
          iat: payload['iat'],
          exp: payload['exp'],
          policies: ['redirect_uris required'],
        });
      }
    },
    async find(id) {
      return store.get(`${model}:${id}`);
    },
    async findByUid() {
      return undefined;
    },
    async findByUserCode() {
      return undefined;
    },
    async consume(id) {
      const p = store.get(`${model}:${id}`);
      if (p) p['consumed'] = Math.floor(Date.now() / 1000);
    },
    async destroy(id) {
      store.delete(`${model}:${id}`);
    },
    async revokeByGrantId() {
      /* no grants here */
    },
  });
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new ProviderClass(issuer, {
    adapter,
    jwks: { keys: [(await generateSigningKey()).privateJwk] },
    ttl: { ClientCredentials: 300 },
    clients: [
      {
        client_id: ADMIN_ID,
        client_secret: ADMIN_SECRET,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: 'dcr',
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    scopes: ['openid', 'dcr', 'read'],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      registration: {
        enabled: true,
        initialAccessToken: true,
        issueRegistrationAccessToken: true,
        policies: {
          'redirect_uris required': (_ctx: KoaContext, properties: Record<string, unknown>) => {
            if (!Array.isArray(properties['redirect_uris']) || !properties['redirect_uris'].length)
              throw new errors.InvalidClientMetadata('redirect_uris is REQUIRED (OpenID Connect DCR 1.0 §2)');
          },
        },
      },
      registrationManagement: { enabled: true, rotateRegistrationAccessToken: true },
    },
  });
  const quirks: Quirks = {};
  const seen: Strict['seen'] = [];
  provider.use(async (ctx, next) => {
    const auth = /^(\w+)\s/.exec(ctx.headers.authorization ?? '')?.[1] ?? 'none';
    const entry = { method: ctx.method, path: ctx.path, auth, status: 0 };
    seen.push(entry);
    if (ctx.method === 'DELETE' && ctx.path.startsWith('/reg/') && quirks.failDelete) {
      ctx.status = 500;
      ctx.body = { error: 'server_error', error_description: 'the client store is read-only right now' };
    } else {
      await next();
    }
    if (ctx.method === 'POST' && ctx.path === '/reg' && ctx.status === 201) {
      if (quirks.createStatus) ctx.status = quirks.createStatus;
      if (quirks.dropSecret && ctx.body && typeof ctx.body === 'object')
        delete (ctx.body as Record<string, unknown>)['client_secret'];
    }
    entry.status = ctx.status;
  });
  // Koa answers its own errors (ctx.onerror); the promise only tells when a request is done.
  const handle = provider.callback();
  server.on('request', (req, res) => {
    void handle(req, res);
  });
  return {
    issuer,
    provider,
    quirks,
    seen,
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

describe('DCR driver (RFC 7591/7592) against a strict oidc-provider', function () {
  this.timeout(30_000);
  let s: Strict;
  let dcrProvider: StoredDcrProvider;
  let tokenEndpoint: string;
  const request = (over: Parameters<typeof registrationRequest>[0] = {}) =>
    registrationRequest({ scopes: ['read'], portal_url: PORTAL_URL, ...over });
  const tokenFor = (c: RegisteredClient) =>
    requestToken(tokenEndpoint, { clientId: c.client_id, clientSecret: c.client_secret, params: { scope: 'read' } });

  before(async () => {
    s = await startStrictProvider();
    dcrProvider = {
      id: randomUUID(),
      name: 'strict',
      provider_type: 'curity',
      issuer: s.issuer,
      dcr_config: { initial_client_id: ADMIN_ID },
      secrets: { initial_client_secret: ADMIN_SECRET },
    };
    const meta = (await (await fetch(`${s.issuer}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    tokenEndpoint = String(meta['token_endpoint']);
    assert.equal(meta['registration_endpoint'], `${s.issuer}/reg`);
  });
  after(async () => {
    await s?.close();
  });
  afterEach(() => {
    delete s.quirks.createStatus;
    delete s.quirks.dropSecret;
    delete s.quirks.failDelete;
  });

  it('registers a client_credentials client the strict server accepts, and keeps its RFC 7592 management fields', async () => {
    const c = await curityDriver.register(dcrProvider, request());
    assert.ok(c.management, 'registration_client_uri and registration_access_token kept');
    assert.equal(c.management.registration_client_uri, `${s.issuer}/reg/${c.client_id}`);
    assert.equal((await tokenFor(c)).status, 200);
    const read = await fetch(c.management.registration_client_uri, {
      headers: { authorization: `Bearer ${c.management.registration_access_token}` },
    });
    const meta = (await read.json()) as Record<string, unknown>;
    assert.deepEqual(
      [meta['grant_types'], meta['response_types'], meta['redirect_uris']],
      [['client_credentials'], [], [PORTAL_URL]],
    );
    await curityDriver.deleteClient(dcrProvider, c.client_id, undefined, c.management);
  });

  it('the server refuses a registration without redirect_uris (what the driver used to send) and without explicit grant and response types', async () => {
    await assert.rejects(
      curityDriver.register(dcrProvider, registrationRequest({ scopes: ['read'] })),
      (e: unknown) => e instanceof DcrDriverError && /invalid_redirect_uri \(redirect_uris is REQUIRED/.test(e.message),
    );
    const meta = (await (await fetch(`${s.issuer}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    const admin = await requestToken(String(meta['token_endpoint']), {
      clientId: ADMIN_ID,
      clientSecret: ADMIN_SECRET,
      auth: 'basic',
      params: { scope: 'dcr' },
    });
    const bare = await fetch(`${s.issuer}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${String(admin.body['access_token'])}` },
      body: JSON.stringify({ client_name: 'defaults', redirect_uris: [PORTAL_URL] }),
    });
    const created = (await bare.json()) as Record<string, unknown>;
    assert.deepEqual(
      [created['grant_types'], created['response_types']],
      [['authorization_code'], ['code']],
      'RFC 7591 defaults: an authorization_code client, not a machine client',
    );
  });

  it('deletes with the registration access token (RFC 7592 §2.3): after it the IdP refuses the client; the DCR admin token is refused there', async () => {
    const c = await curityDriver.register(dcrProvider, request());
    // what the driver did before: a fresh admin token on {registration_endpoint}/{client_id}
    await assert.rejects(
      curityDriver.deleteClient(dcrProvider, c.client_id),
      /Deleting Curity client .* HTTP 401: invalid_token/,
    );
    assert.equal((await tokenFor(c)).status, 200, 'the client survived that attempt');
    const from = s.seen.length;
    await curityDriver.deleteClient(dcrProvider, c.client_id, undefined, c.management);
    assert.deepEqual(
      s.seen.slice(from).map((r) => `${r.method} ${r.path} ${r.auth} ${r.status}`),
      [`DELETE /reg/${c.client_id} Bearer 204`],
    );
    const after = await tokenFor(c);
    assert.equal(after.status, 401);
    assert.equal(after.body['error'], 'invalid_client');
  });

  it('follows a registration access token rotated by an update (RFC 7592 §2.2): the delete after a secret rotation still works', async () => {
    const c = await curityDriver.register(dcrProvider, request());
    const updated = await curityDriver.newSecret(dcrProvider, c.client_id, undefined, c.management);
    assert.ok(updated.management);
    assert.notEqual(
      updated.management.registration_access_token,
      c.management!.registration_access_token,
      'the server rotated it',
    );
    await assert.rejects(
      curityDriver.deleteClient(dcrProvider, c.client_id, undefined, c.management),
      /HTTP 401/,
      'the old one is no longer valid',
    );
    await curityDriver.deleteClient(dcrProvider, c.client_id, undefined, updated.management);
    assert.equal((await tokenFor(updated)).status, 401);
  });

  it('a server that answers the registration with 200 instead of 201: the client is taken, not orphaned', async () => {
    s.quirks.createStatus = 200;
    const c = await curityDriver.register(dcrProvider, request());
    assert.equal(s.seen.filter((r) => r.method === 'POST' && r.path === '/reg').at(-1)?.status, 200);
    assert.equal((await tokenFor(c)).status, 200);
    await curityDriver.deleteClient(dcrProvider, c.client_id, undefined, c.management);
    assert.equal((await tokenFor(c)).status, 401);
  });

  it('an answer without a client secret: the client is deleted again; when that fails too, the error names the client left at the IdP', async () => {
    s.quirks.dropSecret = true;
    await assert.rejects(
      curityDriver.register(dcrProvider, request()),
      (e: unknown) => e instanceof DcrDriverError && /no client_secret/.test(e.message) && e.leftAtIdp === undefined,
    );
    const rolledBack = s.seen.filter((r) => r.method === 'DELETE').at(-1)!;
    assert.equal(rolledBack.status, 204);
    assert.equal(await s.provider.Client.find(rolledBack.path.split('/').pop()!), undefined, 'gone at the IdP');
    s.quirks.failDelete = true;
    const err = await curityDriver.register(dcrProvider, request()).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof DcrDriverError);
    assert.match(
      err.message,
      /removing client (\S+) again failed \(.*HTTP 500: server_error.*\): it is left at the IdP/,
    );
    assert.ok(err.leftAtIdp);
    assert.ok(await s.provider.Client.find(err.leftAtIdp.client_id), 'and it is indeed still there');
  });
});
