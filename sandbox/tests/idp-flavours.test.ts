// The sandbox IdP flavours through their DCR drivers, as Konnect uses them: verify, register, then a
// client_credentials token from the flavour's real token endpoint, checked against the issuer's published JWKS.
import * as assert from 'node:assert/strict';
import { DcrDriverError } from '../contracts';
import { startIdp, type StartedIdp } from '../idp';
import {
  FakeKongIdentityStore,
  decodePayload,
  discovery,
  registrationRequest,
  requestToken,
  verifyWithPublishedJwks,
} from '../idp/testing';

describe('sandbox IdP flavours', function () {
  let idp: StartedIdp;

  before(async function () {
    idp = await startIdp({ kongIdentityStore: new FakeKongIdentityStore() });
  });
  after(async function () {
    await idp?.stop();
  });

  it('listens on loopback and lists its issuers at /', async function () {
    assert.match(idp.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const index = (await (await fetch(`${idp.url}/`)).json()) as Record<string, unknown>;
    assert.equal(index['okta'], idp.flavours.okta.issuer);
    assert.equal((await fetch(`${idp.url}/nowhere`)).status, 404);
  });

  describe('okta', function () {
    it('publishes a custom authorization server with Okta endpoints', async function () {
      const { issuer, baseUrl } = idp.flavours.okta;
      assert.equal(issuer, `${idp.url}/okta/oauth2/default`);
      const meta = await discovery(issuer);
      assert.equal(meta['issuer'], issuer);
      assert.equal(meta['token_endpoint'], `${issuer}/v1/token`);
      assert.equal(meta['jwks_uri'], `${issuer}/v1/keys`);
      assert.equal(meta['registration_endpoint'], `${baseUrl}/oauth2/v1/clients`);
    });

    it('verify succeeds with the DCR token and fails with a wrong one', async function () {
      const good = await idp.drivers.okta.verify(idp.flavours.okta.dcrProvider());
      assert.deepEqual(good, { status: 'success', errors: [] });
      const bad = await idp.drivers.okta.verify(
        idp.flavours.okta.dcrProvider({ secrets: { dcr_token: 'not-the-token' } }),
      );
      assert.equal(bad.status, 'failed');
      assert.match(bad.errors[0] ?? '', /Okta rejected the DCR token.*E0000011/);
      await assert.rejects(
        idp.drivers.okta.register(
          idp.flavours.okta.dcrProvider({ secrets: { dcr_token: 'nope' } }),
          registrationRequest(),
        ),
        DcrDriverError,
      );
    });

    it('registers a client whose tokens carry cid, scp, sub and the app.clientId claim', async function () {
      const provider = idp.flavours.okta.dcrProvider();
      const client = await idp.drivers.okta.register(provider, registrationRequest({ scopes: ['api:read'] }));
      const tok = await requestToken(idp.flavours.okta.tokenEndpoint, {
        clientId: client.client_id,
        clientSecret: client.client_secret,
        params: { scope: 'api:read' },
      });
      assert.equal(tok.status, 200, JSON.stringify(tok.body));
      const { payload, header } = await verifyWithPublishedJwks(
        String(tok.body['access_token']),
        idp.flavours.okta.issuer,
      );
      assert.equal(header['alg'], 'RS256');
      assert.equal(payload['cid'], client.client_id);
      assert.equal(payload['sub'], client.client_id);
      assert.deepEqual(payload['scp'], ['api:read']);
      assert.equal(payload[idp.flavours.okta.clientIdClaim], client.client_id);
      assert.equal(payload['aud'], 'api://default');
      assert.equal(payload['ver'], 1);
      // no scope: the authorization server's default scopes
      const dflt = await requestToken(idp.flavours.okta.tokenEndpoint, {
        clientId: client.client_id,
        clientSecret: client.client_secret,
      });
      assert.deepEqual(decodePayload(String(dflt.body['access_token']))['scp'], ['api:read']);
    });

    it('refuses openid and unknown scopes with invalid_scope, a wrong secret with invalid_client', async function () {
      const client = await idp.drivers.okta.register(idp.flavours.okta.dcrProvider(), registrationRequest());
      const openid = await requestToken(idp.flavours.okta.tokenEndpoint, {
        clientId: client.client_id,
        clientSecret: client.client_secret,
        params: { scope: 'openid api:read' },
      });
      assert.equal(openid.status, 400);
      assert.equal(openid.body['error'], 'invalid_scope');
      const unknown = await requestToken(idp.flavours.okta.tokenEndpoint, {
        clientId: client.client_id,
        clientSecret: client.client_secret,
        params: { scope: 'api:delete' },
      });
      assert.equal(unknown.body['error'], 'invalid_scope');
      const wrong = await requestToken(idp.flavours.okta.tokenEndpoint, {
        clientId: client.client_id,
        clientSecret: 'wrong',
      });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body['error'], 'invalid_client');
    });

    it('rotates secrets and deletes clients', async function () {
      const provider = idp.flavours.okta.dcrProvider();
      const client = await idp.drivers.okta.register(provider, registrationRequest());
      const rotated = await idp.drivers.okta.newSecret(provider, client.client_id);
      assert.notEqual(rotated.client_secret, client.client_secret);
      assert.equal(
        (
          await requestToken(idp.flavours.okta.tokenEndpoint, {
            clientId: client.client_id,
            clientSecret: client.client_secret,
          })
        ).status,
        401,
      );
      assert.equal(
        (
          await requestToken(idp.flavours.okta.tokenEndpoint, {
            clientId: client.client_id,
            clientSecret: rotated.client_secret,
          })
        ).status,
        200,
      );
      await idp.drivers.okta.deleteClient(provider, client.client_id);
      assert.equal(
        (
          await requestToken(idp.flavours.okta.tokenEndpoint, {
            clientId: client.client_id,
            clientSecret: rotated.client_secret,
          })
        ).status,
        401,
      );
    });
  });

  describe('auth0', function () {
    it('publishes an issuer with a trailing slash and {issuer}oauth/token', async function () {
      const { issuer } = idp.flavours.auth0;
      assert.equal(issuer, `${idp.url}/auth0/`);
      const meta = await discovery(issuer);
      assert.equal(meta['issuer'], issuer);
      assert.equal(meta['token_endpoint'], `${issuer}oauth/token`);
    });

    it('verify succeeds with the initial client and fails with a wrong initial secret', async function () {
      assert.deepEqual(await idp.drivers.auth0.verify(idp.flavours.auth0.dcrProvider()), {
        status: 'success',
        errors: [],
      });
      const wrong = idp.flavours.auth0.dcrProvider({ secrets: { initial_client_secret: 'wrong' } });
      const bad = await idp.drivers.auth0.verify(wrong);
      assert.equal(bad.status, 'failed');
      assert.match(bad.errors[0] ?? '', /rejected the initial client's credentials.*invalid_client/);
      await assert.rejects(idp.drivers.auth0.register(wrong, registrationRequest()), DcrDriverError);
    });

    it('creates an application with konnect_* metadata and a client grant; tokens carry azp, gty and sub@clients', async function () {
      const { apiAudience, tokenEndpoint, issuer, managementApi, initialClientId, initialClientSecret } =
        idp.flavours.auth0;
      const req = registrationRequest({ audience: apiAudience, scopes: ['openid', 'read:data'] });
      const client = await idp.drivers.auth0.register(idp.flavours.auth0.dcrProvider(), req);

      const mgmt = await requestToken(tokenEndpoint, {
        clientId: initialClientId,
        clientSecret: initialClientSecret,
        auth: 'json',
        params: { audience: managementApi },
      });
      const app = (await (
        await fetch(`${managementApi}clients/${client.client_id}`, {
          headers: { authorization: `Bearer ${String(mgmt.body['access_token'])}` },
        })
      ).json()) as Record<string, unknown>;
      assert.deepEqual(app['client_metadata'], {
        konnect_portal_id: req.portal_id,
        konnect_developer_id: req.developer_id,
        konnect_org_id: req.organization_id,
        konnect_application_id: req.application_id,
      });

      const tok = await requestToken(tokenEndpoint, {
        clientId: client.client_id,
        clientSecret: client.client_secret,
        auth: 'json',
        params: { audience: apiAudience },
      });
      assert.equal(tok.status, 200, JSON.stringify(tok.body));
      const { payload } = await verifyWithPublishedJwks(String(tok.body['access_token']), issuer);
      assert.equal(payload['iss'], issuer);
      assert.equal(payload['azp'], client.client_id);
      assert.equal(payload['gty'], 'client-credentials');
      assert.equal(payload['sub'], `${client.client_id}@clients`);
      assert.equal(payload['aud'], apiAudience);
      assert.equal(payload['scope'], 'read:data');
    });

    it('requires audience at the token endpoint and refuses APIs without a client grant or a wrong secret', async function () {
      const { tokenEndpoint, apiAudience, managementApi } = idp.flavours.auth0;
      const client = await idp.drivers.auth0.register(
        idp.flavours.auth0.dcrProvider(),
        registrationRequest({ audience: apiAudience }),
      );
      const noAudience = await requestToken(tokenEndpoint, {
        clientId: client.client_id,
        clientSecret: client.client_secret,
      });
      assert.equal(noAudience.status, 403);
      assert.equal(noAudience.body['error'], 'access_denied');
      assert.match(String(noAudience.body['error_description']), /audience/);
      const notGranted = await requestToken(tokenEndpoint, {
        clientId: client.client_id,
        clientSecret: client.client_secret,
        params: { audience: managementApi },
      });
      assert.equal(notGranted.status, 403);
      assert.match(String(notGranted.body['error_description']), /client-grant/);
      const wrong = await requestToken(tokenEndpoint, {
        clientId: client.client_id,
        clientSecret: 'wrong',
        params: { audience: apiAudience },
      });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body['error'], 'invalid_client');
    });

    it('rotates the secret and deletes the application', async function () {
      const { tokenEndpoint, apiAudience } = idp.flavours.auth0;
      const provider = idp.flavours.auth0.dcrProvider();
      const client = await idp.drivers.auth0.register(provider, registrationRequest({ audience: apiAudience }));
      const rotated = await idp.drivers.auth0.newSecret(provider, client.client_id);
      const params = { audience: apiAudience };
      assert.equal(
        (await requestToken(tokenEndpoint, { clientId: client.client_id, clientSecret: client.client_secret, params }))
          .status,
        401,
      );
      assert.equal(
        (await requestToken(tokenEndpoint, { clientId: client.client_id, clientSecret: rotated.client_secret, params }))
          .status,
        200,
      );
      await idp.drivers.auth0.deleteClient(provider, client.client_id);
      assert.equal(
        (await requestToken(tokenEndpoint, { clientId: client.client_id, clientSecret: rotated.client_secret, params }))
          .status,
        401,
      );
    });
  });

  describe('azureAd', function () {
    it('publishes the v1 issuer: no trailing slash for Konnect, the slash form in discovery and tokens', async function () {
      const { issuer, tokenIssuer, tenantId, tokenEndpoint } = idp.flavours.azureAd;
      assert.equal(issuer, `${idp.url}/azure/${tenantId}`);
      assert.match(tenantId, /^[0-9a-f-]{36}$/);
      const meta = await discovery(issuer);
      assert.equal(meta['issuer'], tokenIssuer);
      assert.equal(meta['token_endpoint'], tokenEndpoint);
    });

    it('verify succeeds with the initial app and fails with a wrong initial secret', async function () {
      assert.deepEqual(await idp.drivers.azureAd.verify(idp.flavours.azureAd.dcrProvider()), {
        status: 'success',
        errors: [],
      });
      const wrong = idp.flavours.azureAd.dcrProvider({ secrets: { initial_client_secret: 'wrong' } });
      const bad = await idp.drivers.azureAd.verify(wrong);
      assert.equal(bad.status, 'failed');
      assert.match(bad.errors[0] ?? '', /rejected the initial client's credentials/);
      await assert.rejects(idp.drivers.azureAd.register(wrong, registrationRequest()), DcrDriverError);
    });

    it('creates an app whose v1 tokens carry appid, tid, ver 1.0 and the published iss (v1 and v2.0 endpoints)', async function () {
      const { tokenEndpoint, tokenEndpointV2, tokenIssuer, tenantId } = idp.flavours.azureAd;
      const client = await idp.drivers.azureAd.register(idp.flavours.azureAd.dcrProvider(), registrationRequest());
      const v1 = await requestToken(tokenEndpoint, {
        clientId: client.client_id,
        clientSecret: client.client_secret,
        params: { resource: 'api://konnect-sandbox' },
      });
      assert.equal(v1.status, 200, JSON.stringify(v1.body));
      const { payload } = await verifyWithPublishedJwks(String(v1.body['access_token']), idp.flavours.azureAd.issuer);
      assert.equal(payload['appid'], client.client_id);
      assert.equal(payload['tid'], tenantId);
      assert.equal(payload['iss'], tokenIssuer);
      assert.equal(payload['ver'], '1.0');
      assert.equal(payload['aud'], 'api://konnect-sandbox');
      // Azure accepts basic and post alike; the v2.0 endpoint takes scope "<resource>/.default".
      const v2 = await requestToken(tokenEndpointV2, {
        clientId: client.client_id,
        clientSecret: client.client_secret,
        auth: 'basic',
        params: { scope: 'api://konnect-sandbox/.default' },
      });
      assert.equal(v2.status, 200, JSON.stringify(v2.body));
      assert.equal(decodePayload(String(v2.body['access_token']))['aud'], 'api://konnect-sandbox');
      const wrong = await requestToken(tokenEndpoint, {
        clientId: client.client_id,
        clientSecret: 'wrong',
        params: { resource: 'api://x' },
      });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body['error'], 'invalid_client');
    });

    it('replaces the password on newSecret and removes the app on delete', async function () {
      const { tokenEndpoint } = idp.flavours.azureAd;
      const provider = idp.flavours.azureAd.dcrProvider();
      const client = await idp.drivers.azureAd.register(provider, registrationRequest());
      const rotated = await idp.drivers.azureAd.newSecret(provider, client.client_id);
      const params = { resource: 'api://konnect-sandbox' };
      assert.equal(
        (await requestToken(tokenEndpoint, { clientId: client.client_id, clientSecret: client.client_secret, params }))
          .status,
        401,
      );
      assert.equal(
        (await requestToken(tokenEndpoint, { clientId: client.client_id, clientSecret: rotated.client_secret, params }))
          .status,
        200,
      );
      await idp.drivers.azureAd.deleteClient(provider, client.client_id);
      assert.equal(
        (await requestToken(tokenEndpoint, { clientId: client.client_id, clientSecret: rotated.client_secret, params }))
          .status,
        401,
      );
    });
  });

  describe('curity', function () {
    it('verify accepts the issuer as the discovery URL (as the Kong how-to says) and as the plain issuer', async function () {
      const { issuer, discoveryUrl } = idp.flavours.curity;
      assert.equal(discoveryUrl, `${issuer}/.well-known/openid-configuration`);
      assert.deepEqual(await idp.drivers.curity.verify(idp.flavours.curity.dcrProvider({ issuer: discoveryUrl })), {
        status: 'success',
        errors: [],
      });
      assert.deepEqual(await idp.drivers.curity.verify(idp.flavours.curity.dcrProvider({ issuer })), {
        status: 'success',
        errors: [],
      });
      const meta = await discovery(discoveryUrl);
      assert.equal(meta['issuer'], issuer);
      assert.equal(meta['token_endpoint'], idp.flavours.curity.tokenEndpoint);
      assert.equal(meta['registration_endpoint'], idp.flavours.curity.registrationEndpoint);
    });

    it('verify fails with a wrong initial secret and register throws', async function () {
      const wrong = idp.flavours.curity.dcrProvider({ secrets: { initial_client_secret: 'wrong' } });
      const bad = await idp.drivers.curity.verify(wrong);
      assert.equal(bad.status, 'failed');
      assert.match(bad.errors[0] ?? '', /rejected the initial client's credentials/);
      await assert.rejects(idp.drivers.curity.register(wrong, registrationRequest()), DcrDriverError);
      const notFound = await idp.drivers.curity.verify(
        idp.flavours.curity.dcrProvider({ issuer: `${idp.url}/curity/oauth/v2/nope` }),
      );
      assert.match(notFound.errors[0] ?? '', /OpenID discovery failed.*HTTP 404/);
    });

    it('registers with RFC 7591 and issues sub = client id tokens with the registered scopes', async function () {
      const client = await idp.drivers.curity.register(
        idp.flavours.curity.dcrProvider(),
        registrationRequest({ scopes: ['read'] }),
      );
      const tok = await requestToken(idp.flavours.curity.tokenEndpoint, {
        clientId: client.client_id,
        clientSecret: client.client_secret,
      });
      assert.equal(tok.status, 200, JSON.stringify(tok.body));
      const { payload } = await verifyWithPublishedJwks(
        String(tok.body['access_token']),
        idp.flavours.curity.discoveryUrl,
      );
      assert.equal(payload['sub'], client.client_id);
      assert.equal(payload['scope'], 'read');
      assert.equal(payload['purpose'], 'access_token');
      const notRegistered = await requestToken(idp.flavours.curity.tokenEndpoint, {
        clientId: client.client_id,
        clientSecret: client.client_secret,
        params: { scope: 'write' },
      });
      assert.equal(notRegistered.body['error'], 'invalid_scope');
      const wrong = await requestToken(idp.flavours.curity.tokenEndpoint, {
        clientId: client.client_id,
        clientSecret: 'wrong',
      });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body['error'], 'invalid_client');
    });

    it('a dcr token is good for one registration call only', async function () {
      const { tokenEndpoint, registrationEndpoint, initialClientId, initialClientSecret } = idp.flavours.curity;
      const dcr = await requestToken(tokenEndpoint, {
        clientId: initialClientId,
        clientSecret: initialClientSecret,
        auth: 'basic',
        params: { scope: 'dcr' },
      });
      assert.equal(dcr.status, 200, JSON.stringify(dcr.body));
      const register = () =>
        fetch(registrationEndpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${String(dcr.body['access_token'])}` },
          body: JSON.stringify({
            client_name: 'once',
            grant_types: ['client_credentials'],
            response_types: [],
            token_endpoint_auth_method: 'client_secret_basic',
          }),
        });
      assert.equal((await register()).status, 201);
      const again = await register();
      assert.equal(again.status, 401);
      assert.equal(((await again.json()) as Record<string, unknown>)['error'], 'invalid_token');
    });

    it('rotates the secret (RFC 7592 PUT) and deletes the client (RFC 7592 DELETE), both with the registration access token', async function () {
      const provider = idp.flavours.curity.dcrProvider();
      const client = await idp.drivers.curity.register(provider, registrationRequest());
      assert.ok(client.management, "the registration answer's RFC 7592 fields are kept");
      assert.equal(
        client.management.registration_client_uri,
        `${idp.flavours.curity.registrationEndpoint}/${client.client_id}`,
      );
      const rotated = await idp.drivers.curity.newSecret(provider, client.client_id, undefined, client.management);
      assert.notEqual(rotated.client_secret, client.client_secret);
      const { tokenEndpoint } = idp.flavours.curity;
      assert.equal(
        (await requestToken(tokenEndpoint, { clientId: client.client_id, clientSecret: client.client_secret })).status,
        401,
      );
      assert.equal(
        (await requestToken(tokenEndpoint, { clientId: client.client_id, clientSecret: rotated.client_secret })).status,
        200,
      );
      // the DCR admin's token is no registration access token: the IdP refuses it, and the driver says so
      await assert.rejects(
        idp.drivers.curity.deleteClient(provider, client.client_id),
        /Deleting Curity client .*HTTP 401/,
      );
      assert.equal(
        (await requestToken(tokenEndpoint, { clientId: client.client_id, clientSecret: rotated.client_secret })).status,
        200,
        'still there',
      );
      const from = idp.requests.length;
      await idp.drivers.curity.deleteClient(provider, client.client_id, undefined, rotated.management);
      assert.deepEqual(
        idp.requests.slice(from).map((r) => `${r.method} ${r.status}`),
        ['DELETE 204'],
        'one RFC 7592 DELETE, no admin token fetched',
      );
      assert.equal(
        (await requestToken(tokenEndpoint, { clientId: client.client_id, clientSecret: rotated.client_secret })).status,
        401,
      );
    });

    it('a client_credentials application without a redirect URI registers the portal URL; a deletion the IdP refuses is an error', async function () {
      const provider = idp.flavours.curity.dcrProvider();
      const client = await idp.drivers.curity.register(provider, {
        ...registrationRequest(),
        redirect_uris: [],
        portal_url: 'https://dev.example.com',
      });
      const read = await fetch(client.management!.registration_client_uri, {
        headers: { authorization: `Bearer ${client.management!.registration_access_token}` },
      });
      const meta = (await read.json()) as Record<string, unknown>;
      assert.deepEqual(
        [meta['redirect_uris'], meta['grant_types'], meta['response_types']],
        [['https://dev.example.com'], ['client_credentials'], []],
      );
      const fault = idp.faults.add({
        path: '^/curity/token-service/oauth-registration/',
        method: 'DELETE',
        kind: 'status',
        status: 500,
        times: 1,
      });
      await assert.rejects(
        idp.drivers.curity.deleteClient(provider, client.client_id, undefined, client.management),
        /HTTP 500: server_error/,
      );
      assert.equal(idp.faults.get(fault.id)?.fired, 1);
      await idp.drivers.curity.deleteClient(provider, client.client_id, undefined, client.management);
    });
  });

  describe('http bridge', function () {
    it('verify succeeds with the API key and fails with a wrong one', async function () {
      assert.deepEqual(await idp.drivers.http.verify(idp.flavours.http.dcrProvider()), {
        status: 'success',
        errors: [],
      });
      const wrong = idp.flavours.http.dcrProvider({ secrets: { api_key: 'wrong_key_123456' } });
      const bad = await idp.drivers.http.verify(wrong);
      assert.equal(bad.status, 'failed');
      assert.match(bad.errors[0] ?? '', /rejected the API key.*Wrong API-Key/);
      await assert.rejects(idp.drivers.http.register(wrong, registrationRequest()), DcrDriverError);
    });

    it('speaks the bridge contract: 401 without X-API-KEY, 400 {error, error_description} on a bad body', async function () {
      const { dcrBaseUrl, apiKey } = idp.flavours.http;
      const noKey = await fetch(`${dcrBaseUrl}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(noKey.status, 401);
      assert.deepEqual(await noKey.json(), { error: 'Wrong API-Key', error_description: 'wrong x-api-key header' });
      const bad = await fetch(`${dcrBaseUrl}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
        body: '{}',
      });
      assert.equal(bad.status, 400);
      const body = (await bad.json()) as Record<string, unknown>;
      assert.equal(typeof body['error'], 'string');
      assert.match(String(body['error_description']), /redirect_uris/);
    });

    it('registers through the bridge; the fronted IdP issues the tokens', async function () {
      const client = await idp.drivers.http.register(
        idp.flavours.http.dcrProvider(),
        registrationRequest({ scopes: ['orders:read'] }),
      );
      const tok = await requestToken(idp.flavours.http.tokenEndpoint, {
        clientId: client.client_id,
        clientSecret: client.client_secret,
      });
      assert.equal(tok.status, 200, JSON.stringify(tok.body));
      const { payload } = await verifyWithPublishedJwks(String(tok.body['access_token']), idp.flavours.http.issuer);
      assert.equal(payload['client_id'], client.client_id);
      assert.equal(payload['scope'], 'orders:read');
      assert.equal(payload['aud'], idp.flavours.http.audience);
      const wrong = await requestToken(idp.flavours.http.tokenEndpoint, {
        clientId: client.client_id,
        clientSecret: 'wrong',
      });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body['error'], 'invalid_client');
    });

    it('refreshes secrets (unless disabled), records event hooks (unless disabled) and deletes', async function () {
      const provider = idp.flavours.http.dcrProvider();
      const client = await idp.drivers.http.register(provider, registrationRequest());
      const rotated = await idp.drivers.http.newSecret(provider, client.client_id);
      assert.equal(
        (
          await requestToken(idp.flavours.http.tokenEndpoint, {
            clientId: client.client_id,
            clientSecret: client.client_secret,
          })
        ).status,
        401,
      );
      assert.equal(
        (
          await requestToken(idp.flavours.http.tokenEndpoint, {
            clientId: client.client_id,
            clientSecret: rotated.client_secret,
          })
        ).status,
        200,
      );
      const disabled = idp.flavours.http.dcrProvider({
        dcr_config: {
          dcr_base_url: idp.flavours.http.dcrBaseUrl,
          disable_refresh_secret: true,
          disable_event_hooks: true,
        },
      });
      await assert.rejects(idp.drivers.http.newSecret(disabled, client.client_id), /disable_refresh_secret/);

      const hook = {
        event_type: 'add_registration' as const,
        application_id: 'a',
        application_name: 'n',
        application_description: '',
        portal_id: 'p',
        organization_id: 'o',
        developer_id: 'd',
        auth_strategy_id: 's',
        dcr_provider_id: provider.id,
        api_product_version_id: 'v',
      };
      await idp.drivers.http.eventHook?.(provider, client.client_id, hook);
      await idp.drivers.http.eventHook?.(disabled, client.client_id, hook);
      const events = idp.flavours.http.events().filter((e) => e.client_id === client.client_id);
      assert.equal(events.length, 1);
      assert.equal(events[0]?.event_type, 'add_registration');

      await idp.drivers.http.deleteClient(provider, client.client_id);
      assert.equal(
        (
          await requestToken(idp.flavours.http.tokenEndpoint, {
            clientId: client.client_id,
            clientSecret: rotated.client_secret,
          })
        ).status,
        401,
      );
    });
  });
});
