/**
 * The seams end to end: the Konnect emulator with the real sandbox IdPs' DcrDrivers and KongIdentityBackend, and the
 * gateway reading the emulator's GatewayCatalog. Everything is set up through the Konnect API and the Portal API as
 * an admin and a developer would, for every provider_type; the developer's client then calls the published API.
 */
import assert from 'node:assert/strict';
import { type StartedGateway, startGateway } from '../gateway';
import { type StartedIdp, startIdp } from '../idp';
import { requestToken } from '../idp/testing';
import { type KonnectEmulator, startKonnectEmulator } from '../konnect/emulator';
import { type Json, SpecClient } from './support/spec-client';

const TOKEN = 'spat_sandboxEndToEnd0123456789';
const CP = 'd32d905a-ed33-46a3-a093-d8f536af9a8a';

interface Case {
  type: string;
  provider: () => Record<string, unknown>;
  strategy: () => { issuer: string; credential_claim: string[]; scopes: string[]; extra?: Record<string, unknown> };
  token: (clientId: string, clientSecret: string) => Promise<string>;
}

describe('konnect emulator end to end: real IdP drivers, Portal API, gateway', function () {
  let idp: StartedIdp;
  let emu: KonnectEmulator;
  let gateway: StartedGateway;
  let api: SpecClient;
  let papi: SpecClient;
  let portal: Json;

  before(async function () {
    idp = await startIdp({});
    emu = await startKonnectEmulator({ token: TOKEN, kongIdentity: idp.kongIdentity, drivers: idp.drivers });
    idp.useKongIdentityStore(emu.identity);
    gateway = await startGateway({ catalog: emu.catalog });
    api = new SpecClient(emu.url, TOKEN);
    portal = (await api.post('/v3/portals', { name: 'E2E Portal', auto_approve_applications: true }, { expect: 201 }))
      .body;
    papi = SpecClient.portal(emu.portalApiUrl(String(portal.id)));
    const auth = await papi.post(
      '/api/v3/developer/authenticate',
      { username: 'dev@example.com', password: 'kdcr-sandbox-password' },
      { expect: 204 },
    );
    papi.cookie = auth.headers
      .getSetCookie()
      .find((c) => c.startsWith('portalaccesstoken='))
      ?.split(';')[0];
  });
  after(async function () {
    await gateway?.stop();
    await emu?.stop();
    await idp?.stop();
    assert.deepEqual(emu.specViolations, []);
    assert.deepEqual(
      emu.errors.map((e) => e.message),
      [],
    );
  });

  /** Provider create body from a flavour's StoredDcrProvider: the response-shaped dcr_config plus its write-only secrets. */
  const fromFlavour = (p: {
    name: string;
    provider_type: string;
    issuer: string;
    dcr_config: Record<string, unknown>;
    secrets: Record<string, unknown>;
  }): Record<string, unknown> => ({
    name: p.name,
    provider_type: p.provider_type,
    issuer: p.issuer,
    dcr_config: { ...p.dcr_config, ...p.secrets },
  });

  let kiAuthServer: Json;
  const cases: Case[] = [
    {
      type: 'okta',
      provider: () => fromFlavour(idp.flavours.okta.dcrProvider()),
      strategy: () => ({
        issuer: idp.flavours.okta.issuer,
        credential_claim: [idp.flavours.okta.clientIdClaim],
        scopes: ['api:read'],
      }),
      token: async (id, secret) =>
        String(
          (
            await requestToken(idp.flavours.okta.tokenEndpoint, {
              clientId: id,
              clientSecret: secret,
              params: { scope: 'api:read' },
            })
          ).body['access_token'],
        ),
    },
    {
      type: 'auth0',
      provider: () => fromFlavour(idp.flavours.auth0.dcrProvider()),
      strategy: () => ({
        issuer: idp.flavours.auth0.issuer.replace(/\/$/, ''),
        credential_claim: ['azp'],
        scopes: ['openid', 'read:data'],
        extra: { token_post_args_names: ['audience'], token_post_args_values: [idp.flavours.auth0.apiAudience] },
      }),
      token: async (id, secret) =>
        String(
          (
            await requestToken(idp.flavours.auth0.tokenEndpoint, {
              clientId: id,
              clientSecret: secret,
              auth: 'json',
              params: { audience: idp.flavours.auth0.apiAudience },
            })
          ).body['access_token'],
        ),
    },
    {
      type: 'curity',
      provider: () => fromFlavour(idp.flavours.curity.dcrProvider()),
      strategy: () => ({ issuer: idp.flavours.curity.discoveryUrl, credential_claim: ['sub'], scopes: ['read'] }),
      token: async (id, secret) =>
        String(
          (await requestToken(idp.flavours.curity.tokenEndpoint, { clientId: id, clientSecret: secret })).body[
            'access_token'
          ],
        ),
    },
    {
      type: 'azureAd',
      provider: () => fromFlavour(idp.flavours.azureAd.dcrProvider()),
      strategy: () => ({ issuer: idp.flavours.azureAd.issuer, credential_claim: ['appid'], scopes: [] }),
      token: async (id, secret) =>
        String(
          (
            await requestToken(idp.flavours.azureAd.tokenEndpoint, {
              clientId: id,
              clientSecret: secret,
              params: { resource: 'api://konnect-sandbox' },
            })
          ).body['access_token'],
        ),
    },
    {
      type: 'http',
      provider: () => fromFlavour(idp.flavours.http.dcrProvider()),
      strategy: () => ({ issuer: idp.flavours.http.issuer, credential_claim: ['client_id'], scopes: ['orders:read'] }),
      token: async (id, secret) =>
        String(
          (await requestToken(idp.flavours.http.tokenEndpoint, { clientId: id, clientSecret: secret })).body[
            'access_token'
          ],
        ),
    },
    {
      type: 'kongIdentity',
      provider: () => ({
        name: 'Sandbox Kong Identity',
        provider_type: 'kongIdentity',
        issuer: String(kiAuthServer.issuer),
      }),
      strategy: () => ({
        issuer: String(kiAuthServer.issuer),
        credential_claim: ['sub'],
        scopes: ['openid'],
        extra: { audience_required: ['https://ki.api.test'] },
      }),
      token: async (id, secret) =>
        String(
          (
            await requestToken(`${String(kiAuthServer.issuer)}/oauth/token`, {
              clientId: id,
              clientSecret: secret,
              params: { scope: 'openid' },
            })
          ).body['access_token'],
        ),
    },
  ];

  for (const c of cases) {
    it(`${c.type}: provider verified, app registered through its driver, token accepted by the gateway once registered`, async function () {
      if (c.type === 'kongIdentity') {
        kiAuthServer = (
          await api.post(
            '/v1/auth-servers',
            { name: 'E2E auth server', audience: 'https://ki.api.test' },
            { expect: 201 },
          )
        ).body;
        await api.post(`/v1/auth-servers/${String(kiAuthServer.id)}/scopes`, { name: 'openid' }, { expect: 201 });
      }
      const provider = (await api.post('/v2/dcr-providers', c.provider(), { expect: 201 })).body;
      const verify = await api.post(`/v2/dcr-providers/${String(provider.id)}/verify`, undefined, { expect: 200 });
      assert.deepEqual(verify.body, { status: 'success', errors: [] });

      const st = c.strategy();
      const strategy = (
        await api.post(
          '/v2/application-auth-strategies',
          {
            name: `${c.type} strategy`,
            display_name: `${c.type} DCR`,
            strategy_type: 'openid_connect',
            dcr_provider_id: provider.id,
            configs: {
              'openid-connect': {
                issuer: st.issuer,
                credential_claim: st.credential_claim,
                scopes: st.scopes,
                auth_methods: ['client_credentials', 'bearer'],
                ...(st.extra ?? {}),
              },
            },
          },
          { expect: 201 },
        )
      ).body;
      const theApi = (await api.post('/v3/apis', { name: `${c.type} API`, version: 'v1' }, { expect: 201 })).body;
      await api.post(
        `/v3/apis/${String(theApi.id)}/implementations`,
        { service: { control_plane_id: CP, id: crypto.randomUUID() } },
        { expect: 201 },
      );
      await api.put(
        `/v3/apis/${String(theApi.id)}/publications/${String(portal.id)}`,
        { auth_strategy_ids: [strategy.id], visibility: 'public' },
        { expect: 200 },
      );

      const app = await papi.post(
        '/api/v3/applications',
        { name: `${c.type} app`, auth_strategy_id: strategy.id },
        { expect: 201 },
      );
      const token = await c.token(String(app.body.client_id), String(app.body.client_secret));
      assert.ok(token && token !== 'undefined', 'the IdP issues a token to the client Konnect registered');
      const call = (t: string): Promise<Response> =>
        fetch(`${gateway.url}/${String(theApi.slug)}/anything`, { headers: { authorization: `Bearer ${t}` } });
      assert.equal((await call(token)).status, 403, 'not registered for the API yet');

      await papi.post(
        `/api/v3/applications/${String(app.body.id)}/registrations`,
        { api_id: theApi.id },
        { expect: 201 },
      );
      const ok = await call(token);
      assert.equal(ok.status, 200, await ok.text());

      const rotated = await papi.post(`/api/v3/applications/${String(app.body.id)}/regenerate-secret`, undefined, {
        expect: 201,
      });
      const fresh = await c.token(String(rotated.body.client_id), String(rotated.body.client_secret));
      assert.equal((await call(fresh)).status, 200, 'the rotated secret works');
      await papi.delete(`/api/v3/applications/${String(app.body.id)}`, { expect: 204 });
      assert.equal((await call(fresh)).status, 403, 'a deleted application is no longer registered');
    });
  }
});
