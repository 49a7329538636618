/**
 * Contract: application registration as a developer does it (Portal API on the portal's own listener) and as an admin
 * sees it (Portal Management /v3/portals/{id}/applications...), with DCR going through the provider's DcrDriver.
 */
import assert from 'node:assert/strict';
import type { ClientRegistrationRequest } from '../contracts';
import { type TestKonnect, startTestKonnect } from './support/fakes';
import { type Json, SpecClient, assertCovered } from './support/spec-client';
import { specExample } from './support/spec-validate';

const MISSING = '5f9fd312-a987-4628-b4c5-bb4f4fddd5f7';
const DEV = { username: 'dev@example.com', password: 'kdcr-sandbox-password' };

describe('contract: Portal API applications + Portal Management admin view', function () {
  let k: TestKonnect;
  let portal: Json;
  let papi: SpecClient;
  const s: Record<'key' | 'okta' | 'ki' | 'self' | 'http', Json> = {} as never;
  const apis: Record<'key' | 'okta' | 'ki' | 'self' | 'http' | 'unpublished', Json> = {} as never;
  let authServer: Json;

  const oidcBody = (name: string, issuer: string, providerId?: string): Record<string, unknown> => ({
    name,
    display_name: `${name} display`,
    strategy_type: 'openid_connect',
    configs: {
      'openid-connect': {
        issuer,
        credential_claim: ['client_id'],
        scopes: ['openid', 'weather:read'],
        auth_methods: ['client_credentials', 'bearer'],
      },
    },
    ...(providerId ? { dcr_provider_id: providerId } : {}),
  });

  const signIn = async (client: SpecClient, creds = DEV): Promise<void> => {
    const r = await client.post('/api/v3/developer/authenticate', creds, { auth: false, expect: 204 });
    const cookies = r.headers.getSetCookie();
    const access = cookies.find((c) => c.startsWith('portalaccesstoken='));
    assert.ok(access, 'Set-Cookie: portalaccesstoken=...');
    assert.ok(cookies.some((c) => c.startsWith('portalrefreshtoken=')));
    client.cookie = access.split(';')[0];
  };

  before(async () => {
    k = await startTestKonnect();
    const okta = (
      await k.api.post('/v2/dcr-providers', specExample('aas', 'DcrProviderOktaCreateRequest'), { expect: 201 })
    ).body;
    const http = (
      await k.api.post('/v2/dcr-providers', specExample('aas', 'DcrProviderHttpCreateRequest'), { expect: 201 })
    ).body;
    authServer = (await k.api.post('/v1/auth-servers', { name: 'portal-as', audience: 'weather' }, { expect: 201 }))
      .body;
    await k.api.post(`/v1/auth-servers/${String(authServer.id)}/scopes`, { name: 'weather:read' }, { expect: 201 });
    const ki = (
      await k.api.post(
        '/v2/dcr-providers',
        { name: 'ki', provider_type: 'kongIdentity', issuer: String(authServer.issuer) },
        { expect: 201 },
      )
    ).body;

    s.key = (
      await k.api.post('/v2/application-auth-strategies', specExample('aas', 'CreateAppAuthStrategyKeyAuthRequest'), {
        expect: 201,
      })
    ).body;
    s.okta = (
      await k.api.post(
        '/v2/application-auth-strategies',
        oidcBody('okta-dcr', 'https://my-issuer.okta.com/default', String(okta.id)),
        { expect: 201 },
      )
    ).body;
    s.ki = (
      await k.api.post(
        '/v2/application-auth-strategies',
        {
          ...oidcBody('ki-dcr', String(authServer.issuer), String(ki.id)),
          configs: {
            'openid-connect': {
              issuer: authServer.issuer,
              credential_claim: ['sub'],
              scopes: ['weather:read'],
              auth_methods: ['client_credentials', 'bearer'],
            },
          },
        },
        { expect: 201 },
      )
    ).body;
    s.self = (
      await k.api.post('/v2/application-auth-strategies', oidcBody('self-managed', 'https://idp.example.com'), {
        expect: 201,
      })
    ).body;
    s.http = (
      await k.api.post(
        '/v2/application-auth-strategies',
        oidcBody('bridge-dcr', 'https://my-issuer-server.com', String(http.id)),
        { expect: 201 },
      )
    ).body;

    portal = (await k.api.post('/v3/portals', { name: 'Dev Portal' }, { expect: 201 })).body;
    for (const key of ['key', 'okta', 'ki', 'self', 'http'] as const) {
      apis[key] = (await k.api.post('/v3/apis', { name: `${key} API`, version: 'v1' }, { expect: 201 })).body;
      await k.api.put(
        `/v3/apis/${String(apis[key].id)}/publications/${String(portal.id)}`,
        { auth_strategy_ids: [s[key].id], ...(key === 'okta' ? { auto_approve_registrations: true } : {}) },
        { expect: 200 },
      );
    }
    apis.unpublished = (await k.api.post('/v3/apis', { name: 'hidden API' }, { expect: 201 })).body;
    papi = SpecClient.portal(k.emu.portalApiUrl(String(portal.id)));
  });
  after(async () => {
    await k.stop();
    assert.deepEqual(k.emu.specViolations, [], 'the emulator answered outside the spec');
    assert.deepEqual(
      k.emu.errors.map((e) => e.message),
      [],
    );
  });

  it('authenticate: 204 + portalaccesstoken cookie for the seeded developer; 401 / 400 otherwise; cookie-protected calls 401 without it', async () => {
    const anon = SpecClient.portal(papi.base);
    await anon.post('/api/v3/developer/authenticate', { ...DEV, password: 'wrong' }, { expect: 401 });
    await anon.post(
      '/api/v3/developer/authenticate',
      { username: 'nobody@example.com', password: 'x' },
      { expect: 401 },
    );
    await anon.post(
      '/api/v3/developer/authenticate',
      { username: DEV.username },
      { invalidRequest: true, expect: 400 },
    );
    await anon.get('/api/v3/applications', { expect: 401 });
    await anon.post('/api/v3/applications', { name: 'x' }, { expect: 401 });
    await anon.get('/api/v3/developer/me', { expect: 401 });
    // the Konnect bearer token is not a portal credential
    await anon.get('/api/v3/applications', { headers: { authorization: `Bearer ${k.emu.token}` }, expect: 401 });
    await signIn(papi);
    const me = await papi.get('/api/v3/developer/me', { expect: 200 });
    assert.equal(me.body.email, DEV.username);
  });

  it('lists the strategies the portal offers (filters by credential_type)', async () => {
    const all = await papi.get('/api/v3/application-auth-strategies', { expect: 200 });
    assert.equal(all.body.meta.page.total, 5);
    const cc = await papi.get('/api/v3/application-auth-strategies?filter[credential_type][eq]=client_credentials', {
      expect: 200,
    });
    assert.deepEqual(cc.body.data.map((x: Json) => x.id).sort(), [s.okta.id, s.ki.id, s.http.id].sort());
    const key = await papi.get('/api/v3/application-auth-strategies?filter[credential_type][eq]=key_auth', {
      expect: 200,
    });
    assert.deepEqual(key.body.data[0].key_names, ['apikey', 'api-key', 'x-api-key']);
    assert.equal(key.body.data[0].name, 'API Key Auth', 'the developer sees the display_name');
  });

  let oktaApp: Json;
  let oktaSecret: string;
  it('DCR app (Okta): the client is registered through the Okta DcrDriver; client_id + client_secret once (201)', async () => {
    const r = await papi.post(
      '/api/v3/applications',
      { name: 'Weather app', description: 'forecasts', auth_strategy_id: s.okta.id },
      { expect: 201 },
    );
    oktaApp = r.body;
    oktaSecret = String(r.body.client_secret);
    assert.equal(r.body.auth_strategy.credential_type, 'client_credentials');
    const call = k.drivers.okta.calls.find((c) => c.method === 'register');
    assert.ok(call);
    const req = call.arg as ClientRegistrationRequest;
    assert.equal(req.application_id, r.body.id);
    assert.equal(req.application_name, 'Weather app');
    assert.equal(req.application_description, 'forecasts');
    assert.equal(req.portal_id, portal.id);
    assert.equal(req.organization_id, k.emu.store.organizationId);
    assert.equal(req.auth_strategy_id, s.okta.id);
    assert.equal(req.dcr_provider_id, s.okta.dcr_provider.id);
    assert.deepEqual(req.scopes, ['openid', 'weather:read']);
    assert.deepEqual(req.credential_claim, ['client_id']);
    assert.deepEqual(req.grant_types, ['client_credentials']);
    assert.equal(req.developer_id, k.emu.store.developerByEmail(String(portal.id), DEV.username)?.id);
    assert.equal(
      k.drivers.okta.clients.get(String(r.body.client_id))?.secret,
      oktaSecret,
      'the IdP client and the shown secret agree',
    );

    const got = await papi.get(`/api/v3/applications/${String(oktaApp.id)}`, { expect: 200 });
    assert.equal(got.body.client_id, oktaApp.client_id);
    for (const text of [
      got.text,
      (await papi.get('/api/v3/applications', { expect: 200 })).text,
      (await k.api.get(`/v3/portals/${String(portal.id)}/applications/${String(oktaApp.id)}`, { expect: 200 })).text,
      (
        await k.api.get(`/v3/portals/${String(portal.id)}/applications/${String(oktaApp.id)}/credentials`, {
          expect: 200,
        })
      ).text,
      (await papi.get(`/api/v3/applications/${String(oktaApp.id)}/credentials`, { expect: 200 })).text,
    ]) {
      assert.ok(!text.includes(oktaSecret), 'the client secret is shown once only');
    }
  });

  it("DCR app (Kong Identity): a KI client appears on the auth server whose issuer is the provider's", async () => {
    const r = await papi.post('/api/v3/applications', { name: 'KI app', auth_strategy_id: s.ki.id }, { expect: 201 });
    const client = k.emu.identity.client(String(authServer.id), String(r.body.client_id));
    assert.ok(client, 'client created in the Kong Identity store');
    assert.deepEqual(client.secrets, [r.body.client_secret]);
    assert.deepEqual(client.grant_types, ['client_credentials']);
    assert.equal(client.allow_scopes.length, 1, 'the strategy scope mapped to the auth server scope id');
    const listed = await k.api.get(`/v1/auth-servers/${String(authServer.id)}/clients`, { expect: 200 });
    assert.ok(listed.body.data.some((c: Json) => c.id === r.body.client_id));

    const rotated = await papi.post(`/api/v3/applications/${String(r.body.id)}/regenerate-secret`, undefined, {
      expect: 201,
    });
    assert.equal(rotated.body.client_id, r.body.client_id);
    assert.notEqual(rotated.body.client_secret, r.body.client_secret);
    assert.deepEqual(k.emu.identity.client(String(authServer.id), String(r.body.client_id))?.secrets, [
      rotated.body.client_secret,
    ]);
    await papi.delete(`/api/v3/applications/${String(r.body.id)}`, { expect: 204 });
    assert.equal(
      k.emu.identity.client(String(authServer.id), String(r.body.client_id)),
      undefined,
      'deleting the app deletes the KI client',
    );
  });

  it('400 / 404 / 409 on application creation', async () => {
    const unknown = await papi.post(
      '/api/v3/applications',
      { name: 'x', auth_strategy_id: s.okta.id, color: 'red' },
      { invalidRequest: true, expect: 400 },
    );
    assert.deepEqual(unknown.body.invalid_parameters, [
      { field: 'color', rule: 'unknown_property', reason: '"color" is not allowed', source: 'body' },
    ]);
    const notUuid = await papi.post(
      '/api/v3/applications',
      { name: 'x', auth_strategy_id: 'abc' },
      { invalidRequest: true, expect: 400 },
    );
    assert.deepEqual(notUuid.body.invalid_parameters, [
      { field: 'auth_strategy_id', rule: 'is_uuid', reason: '"auth_strategy_id" must be a valid UUID', source: 'body' },
    ]);
    const noDefault = await papi.post('/api/v3/applications', { name: 'x' }, { expect: 400 });
    assert.equal(noDefault.body.invalid_parameters[0].field, 'auth_strategy_id');
    await papi.post('/api/v3/applications', { name: 'x', auth_strategy_id: MISSING }, { expect: 404 });
    await papi.post('/api/v3/applications', { name: 'Weather app', auth_strategy_id: s.okta.id }, { expect: 409 });
    const withClientId = await papi.post(
      '/api/v3/applications',
      { name: 'y', auth_strategy_id: s.okta.id, client_id: 'mine' },
      { expect: 400 },
    );
    assert.match(withClientId.body.invalid_parameters[0].reason, /Dynamic Client Registration/);
    const badScope = await papi.post(
      '/api/v3/applications',
      { name: 'y', auth_strategy_id: s.okta.id, scopes: ['admin'] },
      { expect: 400 },
    );
    assert.equal(badScope.body.invalid_parameters[0].field, 'scopes');
    k.drivers.okta.failWith = 'Okta refused: invalid token';
    try {
      const refused = await papi.post(
        '/api/v3/applications',
        { name: 'z', auth_strategy_id: s.okta.id },
        { expect: 400 },
      );
      assert.match(refused.body.detail, /Okta refused: invalid token/);
    } finally {
      k.drivers.okta.failWith = undefined;
    }
    await papi.post('/api/v3/applications', { name: 'self no id', auth_strategy_id: s.self.id }, { expect: 400 });
    const self = await papi.post(
      '/api/v3/applications',
      { name: 'self', auth_strategy_id: s.self.id, client_id: 'my-own-client' },
      { expect: 201 },
    );
    assert.equal(self.body.client_id, 'my-own-client');
    assert.equal(self.body.auth_strategy.credential_type, 'self_managed_client_credentials');
    assert.ok(!('client_secret' in self.body));
  });

  let keyApp: Json;
  let apiKey: string;
  it('key_auth app: API key credentials via /credentials (shown once), listed without the key', async () => {
    keyApp = (await papi.post('/api/v3/applications', { name: 'Key app', auth_strategy_id: s.key.id }, { expect: 201 }))
      .body;
    assert.ok(!('client_id' in keyApp));
    assert.equal(keyApp.auth_strategy.credential_type, 'key_auth');
    const c = await papi.post(
      `/api/v3/applications/${String(keyApp.id)}/credentials`,
      { display_name: 'laptop' },
      { expect: 201 },
    );
    assert.equal(c.body.type, 'api_key');
    apiKey = String(c.body.credential);
    assert.match(apiKey, /^[A-Za-z0-9]{32}$/);
    const list = await papi.get(`/api/v3/applications/${String(keyApp.id)}/credentials`, { expect: 200 });
    assert.equal(list.body.data.length, 1);
    assert.ok(!list.text.includes(apiKey));
    await papi.put(
      `/api/v3/applications/${String(keyApp.id)}/credentials/${String(c.body.id)}`,
      { display_name: 'desktop' },
      { expect: 200 },
    );
    assert.equal(
      (await papi.get(`/api/v3/applications/${String(keyApp.id)}/credentials`, { expect: 200 })).body.data[0]
        .display_name,
      'desktop',
    );
    const spare = await papi.post(`/api/v3/applications/${String(keyApp.id)}/credentials`, undefined, { expect: 201 });
    await papi.delete(`/api/v3/applications/${String(keyApp.id)}/credentials/${String(spare.body.id)}`, {
      expect: 204,
    });
    await papi.delete(`/api/v3/applications/${String(keyApp.id)}/credentials/${MISSING}`, { expect: 404 });
    await papi.post(`/api/v3/applications/${String(keyApp.id)}/regenerate-secret`, undefined, { expect: 400 });
    const gs = await papi.get(`/api/v3/applications/${String(keyApp.id)}/granted-scopes`, { expect: 422 });
    assert.equal(gs.body.detail, 'Unsupported IDP');
    const oktaScopes = await papi.get(`/api/v3/applications/${String(oktaApp.id)}/granted-scopes`, { expect: 200 });
    assert.deepEqual(oktaScopes.body.scopes, ['openid', 'weather:read']);
    const dcrCred = await papi.post(`/api/v3/applications/${String(oktaApp.id)}/credentials`, {}, { expect: 403 });
    assert.equal(dcrCred.body.status, 403);
    const last = (await papi.get(`/api/v3/applications/${String(oktaApp.id)}/credentials`, { expect: 200 })).body
      .data[0];
    await papi.delete(`/api/v3/applications/${String(oktaApp.id)}/credentials/${String(last.id)}`, { expect: 409 });
  });

  it('registrations: pending unless auto-approved; 409 twice; 400 on a strategy mismatch; 404 unknown API; the gateway sees approved ones only', async () => {
    const approved = await papi.post(
      `/api/v3/applications/${String(oktaApp.id)}/registrations`,
      { api_id: apis.okta.id },
      { expect: 201 },
    );
    assert.equal(approved.body.status, 'approved', 'publication auto_approve_registrations');
    assert.equal(approved.body.api_slug, 'okta-api-v1');
    const pending = await papi.post(
      `/api/v3/applications/${String(keyApp.id)}/registrations`,
      { api_id: apis.key.id },
      { expect: 201 },
    );
    assert.equal(pending.body.status, 'pending', 'falls back on the portal auto_approve_applications (false)');
    await papi.post(
      `/api/v3/applications/${String(oktaApp.id)}/registrations`,
      { api_id: apis.okta.id },
      { expect: 409 },
    );
    const mismatch = await papi.post(
      `/api/v3/applications/${String(oktaApp.id)}/registrations`,
      { api_id: apis.key.id },
      { expect: 400 },
    );
    assert.equal(mismatch.body.invalid_parameters[0].field, 'api_id');
    await papi.post(
      `/api/v3/applications/${String(oktaApp.id)}/registrations`,
      { api_id: apis.unpublished.id },
      { expect: 404 },
    );
    await papi.post(
      `/api/v3/applications/${String(oktaApp.id)}/registrations`,
      { api: apis.okta.id },
      { invalidRequest: true, expect: 400 },
    );

    const route = k.emu.catalog.routeFor('/okta-api-v1/forecast');
    assert.ok(route);
    assert.equal(route.api_id, apis.okta.id);
    assert.deepEqual(route.strategy, {
      id: s.okta.id,
      strategy_type: 'openid_connect',
      issuer: 'https://my-issuer.okta.com/default',
      credential_claim: ['client_id'],
      scopes: ['openid', 'weather:read'],
      auth_methods: ['client_credentials', 'bearer'],
      extra: {},
    });
    assert.equal(route.isRegisteredClient(String(oktaApp.client_id)), true);
    assert.equal(route.isRegisteredClient('someone-else'), false);
    const keyRoute = k.emu.catalog.routeFor('/key-api-v1');
    assert.ok(keyRoute);
    assert.deepEqual(keyRoute.strategy, {
      id: s.key.id,
      strategy_type: 'key_auth',
      key_names: ['apikey', 'api-key', 'x-api-key'],
    });
    assert.equal(keyRoute.isRegisteredClient(apiKey), false, 'pending registrations do not count');
    assert.equal(keyRoute.registeredElsewhere(String(oktaApp.client_id)), 'okta API');

    // the admin approves it
    const adminPath = `/v3/portals/${String(portal.id)}/applications/${String(keyApp.id)}/registrations/${String(pending.body.id)}`;
    const ok = await k.api.patch(adminPath, { status: 'approved' }, { expect: 200 });
    assert.equal(ok.body.status, 'approved');
    assert.equal(keyRoute.isRegisteredClient(apiKey), true);
    assert.equal(k.emu.catalog.routeFor('/unknown-api'), undefined);

    const list = await papi.get(`/api/v3/applications/${String(keyApp.id)}/registrations`, { expect: 200 });
    assert.deepEqual(
      list.body.data.map((r: Json) => r.status),
      ['approved'],
    );
    assert.equal(
      (
        await papi.get(`/api/v3/applications/${String(keyApp.id)}/registrations?filter[api_name][contains]=key`, {
          expect: 200,
        })
      ).body.data.length,
      1,
    );
    const one = await papi.get(`/api/v3/applications/${String(keyApp.id)}/registrations/${String(pending.body.id)}`, {
      expect: 200,
    });
    assert.equal(one.body.api_name, 'key API');
    await papi.delete(`/api/v3/applications/${String(keyApp.id)}/registrations/${String(pending.body.id)}`, {
      expect: 204,
    });
    await papi.get(`/api/v3/applications/${String(keyApp.id)}/registrations/${String(pending.body.id)}`, {
      expect: 404,
    });
    assert.equal(keyRoute.isRegisteredClient(apiKey), false);
  });

  it('HTTP bridge apps: event hooks for add/remove registration and app updates go through the driver', async () => {
    const app = (
      await papi.post('/api/v3/applications', { name: 'Bridge app', auth_strategy_id: s.http.id }, { expect: 201 })
    ).body;
    const reg = (
      await papi.post(`/api/v3/applications/${String(app.id)}/registrations`, { api_id: apis.http.id }, { expect: 201 })
    ).body;
    await papi.patch(
      `/api/v3/applications/${String(app.id)}`,
      { redirect_uri: 'https://app.example.com/cb' },
      { expect: 200 },
    );
    await papi.delete(`/api/v3/applications/${String(app.id)}/registrations/${String(reg.id)}`, { expect: 204 });
    const hooks = k.drivers.http.calls.filter((c) => c.method === 'eventHook').map((c) => c.arg as Json);
    assert.deepEqual(
      hooks.map((h) => h.event_type),
      ['add_registration', 'update_application', 'remove_registration'],
    );
    assert.equal(hooks[0].api_product_version_id, apis.http.id);
    assert.equal(hooks[0].clientId, app.client_id);
    assert.deepEqual(hooks[1].redirect_uris, ['https://app.example.com/cb']);
  });

  it('update, regenerate-secret and delete go through the driver too', async () => {
    const upd = await papi.patch(
      `/api/v3/applications/${String(oktaApp.id)}`,
      { description: 'new words' },
      { expect: 200 },
    );
    assert.equal(upd.body.description, 'new words');
    await papi.patch(`/api/v3/applications/${String(oktaApp.id)}`, { name: 'self' }, { expect: 409 });
    await papi.patch(`/api/v3/applications/${String(oktaApp.id)}`, { client_id: 'nope' }, { expect: 400 });
    await papi.patch(`/api/v3/applications/${MISSING}`, { description: 'x' }, { expect: 404 });
    const rot = await papi.post(`/api/v3/applications/${String(oktaApp.id)}/regenerate-secret`, undefined, {
      expect: 201,
    });
    assert.notEqual(rot.body.client_secret, oktaSecret);
    assert.equal(k.drivers.okta.clients.get(String(oktaApp.client_id))?.secret, rot.body.client_secret);
    await papi.post(`/api/v3/applications/${MISSING}/regenerate-secret`, undefined, { expect: 404 });

    const doomed = (
      await papi.post('/api/v3/applications', { name: 'Doomed', auth_strategy_id: s.okta.id }, { expect: 201 })
    ).body;
    await papi.delete(`/api/v3/applications/${String(doomed.id)}`, { expect: 204 });
    assert.ok(k.drivers.okta.calls.some((c) => c.method === 'deleteClient' && c.arg === doomed.client_id));
    assert.equal(k.drivers.okta.clients.has(String(doomed.client_id)), false);
    await papi.get(`/api/v3/applications/${String(doomed.id)}`, { expect: 404 });
    await papi.delete(`/api/v3/applications/${String(doomed.id)}`, { expect: 404 });
  });

  it('developer sign-up: register 201 -> verify-email 202 -> reset-password 204 -> approval -> authenticate', async () => {
    const anon = SpecClient.portal(papi.base);
    await anon.post('/api/v3/developer', { email: 'new@example.com', full_name: 'New Dev' }, { expect: 201 });
    await anon.post('/api/v3/developer', { email: 'new@example.com' }, { invalidRequest: true, expect: 400 });
    const mail = (await k.api.get('/_sandbox/outbox', { expect: 200 })).body.data.find(
      (m: Json) => m.to === 'new@example.com',
    );
    assert.equal(mail.kind, 'verify-email');
    const verified = await anon.post('/api/v3/developer/verify-email', { token: mail.token }, { expect: 202 });
    assert.equal(verified.body.email, 'new@example.com');
    await anon.post('/api/v3/developer/verify-email', { token: mail.token }, { expect: 404 });
    await anon.post(
      '/api/v3/developer/reset-password',
      { token: verified.body.token, password: 'n3w-Passw0rd!' },
      { expect: 204 },
    );
    await anon.post(
      '/api/v3/developer/reset-password',
      { token: verified.body.token, password: 'again' },
      { expect: 404 },
    );
    const creds = { username: 'new@example.com', password: 'n3w-Passw0rd!' };
    await anon.post('/api/v3/developer/authenticate', creds, { expect: 401 });

    const devs = await k.api.get(`/v3/portals/${String(portal.id)}/developers?filter[status][eq]=pending`, {
      expect: 200,
    });
    assert.equal(devs.body.data.length, 1);
    const dev = devs.body.data[0];
    assert.equal(
      (await k.api.get(`/v3/portals/${String(portal.id)}/developers/${String(dev.id)}`, { expect: 200 })).body.email,
      'new@example.com',
    );
    await k.api.patch(
      `/v3/portals/${String(portal.id)}/developers/${String(dev.id)}`,
      { status: 'approved' },
      { expect: 200 },
    );
    await k.api.get(`/v3/portals/${String(portal.id)}/developers/${MISSING}`, { expect: 404 });
    await signIn(anon, creds);
    await anon.get('/api/v3/developer/me', { expect: 200 });
    assert.deepEqual(
      (await anon.get('/api/v3/applications', { expect: 200 })).body.data,
      [],
      'developers see their own applications only',
    );

    await anon.post('/api/v3/developer/forgot-password', { email: 'new@example.com' }, { expect: 200 });
    await anon.post('/api/v3/developer/logout', undefined, { expect: 204 });
    // the sandbox shortcut for tests: a developer with a password right away
    const added = await k.api.post(
      `/_sandbox/portals/${String(portal.id)}/developers`,
      { email: 'quick@example.com', password: 'pw-quick' },
      { expect: 201 },
    );
    assert.equal(added.body.status, 'approved');
    await signIn(SpecClient.portal(papi.base), { username: 'quick@example.com', password: 'pw-quick' });
    await k.api.delete(`/v3/portals/${String(portal.id)}/developers/${String(added.body.id)}`, { expect: 204 });
    await anon.post(
      '/api/v3/developer/authenticate',
      { username: 'quick@example.com', password: 'pw-quick' },
      { expect: 401 },
    );
  });

  it('admin view: list/get applications (filters), unscoped get, credentials without secrets, registrations CRUD, delete through the driver', async () => {
    const base = `/v3/portals/${String(portal.id)}`;
    const apps = await k.api.get(`${base}/applications?sort=name`, { expect: 200 });
    assert.ok(apps.body.data.length >= 3);
    const names = apps.body.data.map((a: Json) => a.name);
    assert.deepEqual(
      names,
      [...names].sort((x: string, y: string) => x.localeCompare(y)),
    );
    const dev = k.emu.store.developerByEmail(String(portal.id), DEV.username);
    assert.ok(dev);
    assert.equal(
      (
        await k.api.get(`${base}/applications?filter[developer_id][eq]=${dev.id}&filter[name][contains]=weather`, {
          expect: 200,
        })
      ).body.data.length,
      1,
    );
    const admin = await k.api.get(`${base}/applications/${String(oktaApp.id)}`, { expect: 200 });
    assert.equal(admin.body.client_id, oktaApp.client_id);
    assert.deepEqual(admin.body.dcr_provider, { id: s.okta.dcr_provider.id });
    assert.equal(admin.body.registration_count, 1);
    assert.deepEqual(admin.body.owner, { type: 'developer', id: dev.id });
    assert.deepEqual((await k.api.get(`/v3/applications/${String(oktaApp.id)}`, { expect: 200 })).body, admin.body);
    const keyAdmin = await k.api.get(`${base}/applications/${String(keyApp.id)}`, { expect: 200 });
    assert.equal(keyAdmin.body.auth_strategy.credential_type, 'key_auth');
    const creds = await k.api.get(`${base}/applications/${String(keyApp.id)}/credentials`, { expect: 200 });
    assert.equal(creds.body.data[0].type, 'api_key');
    assert.ok(!creds.text.includes(apiKey));
    await k.api.get(`${base}/applications/${MISSING}`, { expect: 404 });
    await k.api.get(`/v3/applications/${MISSING}`, { expect: 404 });
    await k.api.patch(
      `${base}/applications/${String(keyApp.id)}`,
      { owner: { type: 'developer', id: dev.id } },
      { expect: 200 },
    );

    const regs = `${base}/applications/${String(keyApp.id)}/registrations`;
    const created = await k.api.post(regs, { api_id: apis.key.id, status: 'approved' }, { expect: 201 });
    assert.equal(created.body.status, 'approved');
    assert.deepEqual(created.body.api, { id: apis.key.id, name: 'key API', version: 'v1', entity_type: 'api' });
    await k.api.post(regs, { api_id: apis.key.id }, { expect: 409 });
    await k.api.post(regs, { api_id: apis.key.id, status: 'revoked' }, { invalidRequest: true, expect: 400 });
    await k.api.post(regs, { api_id: MISSING }, { expect: 404 });
    assert.equal((await k.api.get(regs, { expect: 200 })).body.data.length, 1);
    assert.equal(
      (await k.api.get(`${regs}/${String(created.body.id)}`, { expect: 200 })).body.application.name,
      'Key app',
    );
    const revoked = await k.api.patch(`${regs}/${String(created.body.id)}`, { status: 'revoked' }, { expect: 200 });
    assert.equal(revoked.body.status, 'revoked');
    assert.equal(k.emu.catalog.routeFor('/key-api-v1')?.isRegisteredClient(apiKey), false);
    const all = await k.api.get(`${base}/application-registrations?filter[status][eq]=revoked`, { expect: 200 });
    assert.deepEqual(
      all.body.data.map((r: Json) => r.id),
      [created.body.id],
    );
    await k.api.get(`${base}/application-registrations?sort=bogus`, { expect: 400 });
    await k.api.delete(`${regs}/${String(created.body.id)}`, { expect: 204 });
    await k.api.get(`${regs}/${String(created.body.id)}`, { expect: 404 });

    await k.api.delete(`${base}/applications/${String(oktaApp.id)}`, { expect: 204 });
    assert.ok(k.drivers.okta.calls.some((c) => c.method === 'deleteClient' && c.arg === oktaApp.client_id));
    await k.api.delete(`${base}/applications/${String(oktaApp.id)}`, { expect: 404 });
    assert.equal(k.emu.catalog.routeFor('/okta-api-v1')?.isRegisteredClient(String(oktaApp.client_id)), false);
    await k.api.get(`${base}/applications`, { auth: false, expect: 401 });
  });

  describe('coverage', () =>
    it('exercised every Portal API / admin application operation the sandbox serves', () => {
      assertCovered([
        'papi:authenticate 204',
        'papi:authenticate 400',
        'papi:authenticate 401',
        'papi:get-developer-me 200',
        'papi:get-developer-me 401',
        'papi:register 201',
        'papi:register 400',
        'papi:verify-email 202',
        'papi:verify-email 404',
        'papi:reset-password 204',
        'papi:reset-password 404',
        'papi:forgot-password 200',
        'papi:logout 204',
        'papi:list-application-auth-strategies 200',
        'papi:list-applications 200',
        'papi:list-applications 401',
        'papi:create-application 201',
        'papi:create-application 400',
        'papi:create-application 401',
        'papi:create-application 404',
        'papi:create-application 409',
        'papi:get-application 200',
        'papi:get-application 404',
        'papi:update-application 200',
        'papi:update-application 400',
        'papi:update-application 404',
        'papi:update-application 409',
        'papi:delete-application 204',
        'papi:delete-application 404',
        'papi:list-credentials 200',
        'papi:create-credential 201',
        'papi:create-credential 403',
        'papi:update-credential 200',
        'papi:delete-credential 204',
        'papi:delete-credential 404',
        'papi:delete-credential 409',
        'papi:get-application-granted-scopes 200',
        'papi:get-application-granted-scopes 422',
        'papi:regenerate-application-secret 201',
        'papi:regenerate-application-secret 400',
        'papi:regenerate-application-secret 404',
        'papi:list-application-registrations 200',
        'papi:create-application-registration 201',
        'papi:create-application-registration 400',
        'papi:create-application-registration 404',
        'papi:create-application-registration 409',
        'papi:get-application-registration 200',
        'papi:get-application-registration 404',
        'papi:delete-application-registration 204',
        'pm3:list-applications 200',
        'pm3:list-applications 401',
        'pm3:get-application 200',
        'pm3:get-application 404',
        'pm3:get-application-unscoped 200',
        'pm3:get-application-unscoped 404',
        'pm3:update-application 200',
        'pm3:delete-application 204',
        'pm3:delete-application 404',
        'pm3:list-credentials-by-application 200',
        'pm3:list-registrations 200',
        'pm3:list-registrations 400',
        'pm3:list-registrations-by-application 200',
        'pm3:create-application-registration 201',
        'pm3:create-application-registration 400',
        'pm3:create-application-registration 404',
        'pm3:create-application-registration 409',
        'pm3:get-application-registration 200',
        'pm3:get-application-registration 404',
        'pm3:update-application-registration 200',
        'pm3:delete-application-registration 204',
        'pm3:list-portal-developers 200',
        'pm3:get-developer 200',
        'pm3:get-developer 404',
        'pm3:update-developer 200',
        'pm3:delete-developer 204',
      ]);
    }));
});
