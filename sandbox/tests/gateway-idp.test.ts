// Gateway and IdP together: an application registered through each flavour's DCR driver calls an API published
// with that flavour's strategy, with a token from the flavour's token endpoint, as the Kong how-tos set them up.
import * as assert from 'node:assert/strict';
import type { GatewayStrategy } from '../contracts';
import { startGateway, type EchoBody, type StartedGateway } from '../gateway';
import { fakeCatalog, parseChallenge, type FakeApi } from '../gateway/testing';
import { startIdp, type StartedIdp } from '../idp';
import { FakeKongIdentityStore, registrationRequest, requestToken } from '../idp/testing';

describe('sandbox gateway with the IdP flavours', function () {
  let idp: StartedIdp;
  let gateway: StartedGateway;
  const apis: FakeApi[] = [];
  const store = new FakeKongIdentityStore();

  const oidc = (
    id: string,
    issuer: string,
    credential_claim: string[],
    scopes: string[] = [],
    extra: Record<string, unknown> = {},
  ): GatewayStrategy => ({
    id,
    strategy_type: 'openid_connect',
    issuer,
    credential_claim,
    scopes,
    auth_methods: ['client_credentials', 'bearer'],
    extra,
  });

  before(async function () {
    idp = await startIdp({ kongIdentityStore: store });
    gateway = await startGateway({ catalog: fakeCatalog(apis) });
  });
  after(async function () {
    await gateway?.stop();
    await idp?.stop();
  });

  async function call(
    slug: string,
    token: string,
  ): Promise<{ status: number; body: Record<string, unknown>; challenge: ReturnType<typeof parseChallenge> }> {
    const res = await fetch(`${gateway.url}/${slug}/anything`, { headers: { authorization: `Bearer ${token}` } });
    return {
      status: res.status,
      body: (await res.json()) as Record<string, unknown>,
      challenge: parseChallenge(res.headers.get('www-authenticate')),
    };
  }

  it('Okta: credential claim = the app.clientId custom claim, required scope in scp', async function () {
    const { okta } = idp.flavours;
    const client = await idp.drivers.okta.register(okta.dcrProvider(), registrationRequest({ scopes: ['api:read'] }));
    apis.push({
      slug: 'okta-api',
      api_name: 'Okta API',
      strategy: oidc('s-okta', okta.issuer, [okta.clientIdClaim], ['api:read']),
      registered: [client.client_id],
    });
    const tok = await requestToken(okta.tokenEndpoint, {
      clientId: client.client_id,
      clientSecret: client.client_secret,
      params: { scope: 'api:read' },
    });
    const r = await call('okta-api', String(tok.body['access_token']));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual((r.body as unknown as EchoBody).consumer, {
      type: 'openid_connect',
      client_id: client.client_id,
      credential_claim: okta.clientIdClaim,
      issuer: okta.issuer,
    });
    const writeOnly = await requestToken(okta.tokenEndpoint, {
      clientId: client.client_id,
      clientSecret: client.client_secret,
      params: { scope: 'api:write' },
    });
    assert.equal((await call('okta-api', String(writeOnly.body['access_token']))).status, 403);
  });

  it('Auth0: azp, audience from token_post_args, issuer entered without the trailing slash', async function () {
    const { auth0 } = idp.flavours;
    const client = await idp.drivers.auth0.register(
      auth0.dcrProvider(),
      registrationRequest({ audience: auth0.apiAudience, scopes: ['openid', 'read:data'] }),
    );
    apis.push({
      slug: 'auth0-api',
      api_name: 'Auth0 API',
      registered: [client.client_id],
      strategy: oidc('s-auth0', auth0.issuer.replace(/\/$/, ''), ['azp'], ['openid', 'read:data'], {
        token_post_args_names: ['audience'],
        token_post_args_values: [auth0.apiAudience],
      }),
    });
    const tok = await requestToken(auth0.tokenEndpoint, {
      clientId: client.client_id,
      clientSecret: client.client_secret,
      auth: 'json',
      params: { audience: auth0.apiAudience },
    });
    assert.equal((await call('auth0-api', String(tok.body['access_token']))).status, 200);
    // the initial client's Management API token: right issuer and key, wrong audience
    const mgmt = await requestToken(auth0.tokenEndpoint, {
      clientId: auth0.initialClientId,
      clientSecret: auth0.initialClientSecret,
      params: { audience: auth0.managementApi },
    });
    const r = await call('auth0-api', String(mgmt.body['access_token']));
    assert.equal(r.status, 401);
    assert.match(r.challenge.params['error_description'] ?? '', /audience/);
  });

  it('Curity: strategy issuer as the discovery URL, credential claim sub', async function () {
    const { curity } = idp.flavours;
    const client = await idp.drivers.curity.register(curity.dcrProvider(), registrationRequest({ scopes: ['read'] }));
    apis.push({
      slug: 'curity-api',
      api_name: 'Curity API',
      strategy: oidc('s-curity', curity.discoveryUrl, ['sub']),
      registered: [client.client_id],
    });
    const tok = await requestToken(curity.tokenEndpoint, {
      clientId: client.client_id,
      clientSecret: client.client_secret,
    });
    assert.equal((await call('curity-api', String(tok.body['access_token']))).status, 200);
  });

  it('Azure AD: v1 issuer without slash vs iss with slash, credential claim appid', async function () {
    const { azureAd } = idp.flavours;
    const client = await idp.drivers.azureAd.register(azureAd.dcrProvider(), registrationRequest());
    apis.push({
      slug: 'azure-api',
      api_name: 'Azure API',
      strategy: oidc('s-azure', azureAd.issuer, ['appid']),
      registered: [client.client_id],
    });
    const tok = await requestToken(azureAd.tokenEndpoint, {
      clientId: client.client_id,
      clientSecret: client.client_secret,
      params: { resource: 'api://konnect-sandbox' },
    });
    const r = await call('azure-api', String(tok.body['access_token']));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal((r.body as unknown as EchoBody).consumer?.type, 'openid_connect');
  });

  it('HTTP bridge: the fronted issuer, credential claim client_id', async function () {
    const { http } = idp.flavours;
    const client = await idp.drivers.http.register(
      http.dcrProvider(),
      registrationRequest({ scopes: ['orders:read'] }),
    );
    apis.push({
      slug: 'bridge-api',
      api_name: 'Bridge API',
      strategy: oidc('s-http', http.issuer, ['client_id'], ['orders:read']),
      registered: [client.client_id],
    });
    const tok = await requestToken(http.tokenEndpoint, {
      clientId: client.client_id,
      clientSecret: client.client_secret,
    });
    assert.equal((await call('bridge-api', String(tok.body['access_token']))).status, 200);
  });

  it('Kong Identity: sub, audience required; a token of another IdP is a wrong-issuer 401', async function () {
    const as = store.addAuthServer({ audience: 'https://ki.api.test', issuerFor: idp.kongIdentity.issuerFor });
    const client = store.addClient(as.id);
    const issuer = idp.kongIdentity.issuerFor(as.id);
    apis.push({
      slug: 'ki-api',
      api_name: 'KI API',
      strategy: oidc('s-ki', issuer, ['sub'], ['openid'], { audience_required: ['https://ki.api.test'] }),
      registered: [client.id],
    });
    const tok = await requestToken(`${issuer}/oauth/token`, {
      clientId: client.id,
      clientSecret: client.secrets[0] ?? '',
      params: { scope: 'openid' },
    });
    assert.equal((await call('ki-api', String(tok.body['access_token']))).status, 200);

    const { okta } = idp.flavours;
    const oktaClient = await idp.drivers.okta.register(okta.dcrProvider(), registrationRequest());
    const oktaTok = await requestToken(okta.tokenEndpoint, {
      clientId: oktaClient.client_id,
      clientSecret: oktaClient.client_secret,
    });
    const r = await call('ki-api', String(oktaTok.body['access_token']));
    assert.equal(r.status, 401);
    assert.equal(r.challenge.params['error'], 'invalid_token');
    assert.match(r.challenge.params['error_description'] ?? '', /issuer .* is not the issuer of this API/);
  });
});
