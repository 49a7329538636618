// The Kong Identity flavour: one issuer per auth server, everything read live from the emulator's store.
import * as assert from 'node:assert/strict';
import type { KiAuthServer, KiClient, KiScope } from '../contracts';
import { startIdp, type StartedIdp } from '../idp';
import { FakeKongIdentityStore, decodePayload, discovery, requestToken, verifyWithPublishedJwks } from '../idp/testing';

describe('sandbox IdP: Kong Identity', function () {
  let idp: StartedIdp;
  let store: FakeKongIdentityStore;
  let as: KiAuthServer;
  let read: KiScope;
  let client: KiClient;

  before(async function () {
    store = new FakeKongIdentityStore();
    idp = await startIdp({ kongIdentityStore: store });
    as = store.addAuthServer({ audience: 'https://orders.api.test', issuerFor: idp.kongIdentity.issuerFor });
    read = store.addScope(as.id, 'read', { default: true });
    store.addScope(as.id, 'write');
    store.addScope(as.id, 'retired', { enabled: false });
    store.addClaim(as.id, 'tier', 'gold');
    store.addClaim(as.id, 'limits', '{"rps": 10}');
    store.addClaim(as.id, 'sub', '${ .Client.ID }');
    store.addClaim(as.id, 'caller', '${ .AuthServer.Audience }-${ .Client.ID }');
    store.addClaim(as.id, 'env', '${ .Client.Labels.environment | default "production" }');
    store.addClaim(as.id, 'readers_only', 'yes', { include_in_all_scopes: false, include_in_scopes: [read.id] });
    store.addClaim(as.id, 'not_in_token', 'x', { include_in_token: false });
    store.addClaim(as.id, 'disabled', 'x', { enabled: false });
    client = store.addClient(as.id, {
      id: 'orders-app',
      allow_scopes: [read.id],
      secrets: ['first-secret-value', 'second-secret-value'],
    });
  });
  after(async function () {
    await idp?.stop();
  });

  it('maps auth servers to issuers and back (also from the discovery URL)', function () {
    const issuer = idp.kongIdentity.issuerFor(as.id);
    assert.equal(issuer, `${idp.url}/kong-identity/${as.id}`);
    assert.equal(idp.kongIdentity.authServerIdFor(issuer), as.id);
    assert.equal(idp.kongIdentity.authServerIdFor(`${issuer}/`), as.id);
    assert.equal(idp.kongIdentity.authServerIdFor(idp.kongIdentity.metadataUriFor(as.id)), as.id);
    assert.equal(idp.kongIdentity.authServerIdFor('https://elsewhere.example/kong-identity/x'), undefined);
    assert.equal(idp.kongIdentity.jwksUriFor(as.id), `${issuer}/.well-known/jwks.json`);
  });

  it('serves discovery at the issuer with the token endpoint at {issuer}/oauth/token', async function () {
    const issuer = idp.kongIdentity.issuerFor(as.id);
    const meta = await discovery(issuer);
    assert.equal(meta['issuer'], issuer);
    assert.equal(meta['token_endpoint'], `${issuer}/oauth/token`);
    assert.equal(meta['jwks_uri'], idp.kongIdentity.jwksUriFor(as.id));
    assert.equal((await fetch(idp.kongIdentity.metadataUriFor('no-such-server'))).status, 404);
  });

  it('issues a JWT with the audience, sub = client id, the scopes and the configured claims (scope=openid)', async function () {
    const issuer = idp.kongIdentity.issuerFor(as.id);
    const tok = await requestToken(`${issuer}/oauth/token`, {
      clientId: client.id,
      clientSecret: 'first-secret-value',
      params: { scope: 'openid' },
    });
    assert.equal(tok.status, 200, JSON.stringify(tok.body));
    const { payload, header } = await verifyWithPublishedJwks(String(tok.body['access_token']), issuer);
    assert.equal(header['alg'], 'RS256');
    assert.equal(payload['iss'], issuer);
    assert.equal(payload['aud'], 'https://orders.api.test');
    assert.equal(payload['sub'], 'orders-app');
    assert.equal(payload['scope'], 'openid');
    assert.equal(payload['tier'], 'gold');
    assert.deepEqual(payload['limits'], { rps: 10 });
    assert.equal(payload['caller'], 'https://orders.api.test-orders-app');
    assert.equal(payload['env'], 'production');
    assert.equal(payload['readers_only'], undefined, 'a claim scoped to "read" is not in an openid-only token');
    assert.equal(payload['not_in_token'], undefined);
    assert.equal(payload['disabled'], undefined);
    assert.equal((payload['exp'] as number) - (payload['iat'] as number), 300);
  });

  it('grants the allowed default scopes when none is asked, with the claims of those scopes', async function () {
    const issuer = idp.kongIdentity.issuerFor(as.id);
    const tok = await requestToken(`${issuer}/oauth/token`, {
      clientId: client.id,
      clientSecret: 'second-secret-value',
    });
    assert.equal(tok.status, 200, JSON.stringify(tok.body));
    const payload = decodePayload(String(tok.body['access_token']));
    assert.equal(payload['scope'], 'read');
    assert.equal(payload['readers_only'], 'yes');
  });

  it('refuses scopes the client is not allowed, and wrong or removed secrets', async function () {
    const token = `${idp.kongIdentity.issuerFor(as.id)}/oauth/token`;
    const write = await requestToken(token, {
      clientId: client.id,
      clientSecret: 'first-secret-value',
      params: { scope: 'write' },
    });
    assert.equal(write.status, 400);
    assert.equal(write.body['error'], 'invalid_scope');
    const wrong = await requestToken(token, { clientId: client.id, clientSecret: 'nope' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body['error'], 'invalid_client');
    const other = store.addClient(as.id, { secrets: ['short-lived-secret'] });
    assert.equal((await requestToken(token, { clientId: other.id, clientSecret: 'short-lived-secret' })).status, 200);
    other.secrets = [];
    assert.equal(
      (await requestToken(token, { clientId: other.id, clientSecret: 'short-lived-secret' })).status,
      401,
      'secrets are read live',
    );
  });

  it('uses the auth server signing algorithm and the client access_token_duration', async function () {
    const ps = store.addAuthServer({
      audience: 'ps-api',
      signing_algorithm: 'PS256',
      issuerFor: idp.kongIdentity.issuerFor,
    });
    const c = store.addClient(ps.id, { allow_all_scopes: true, access_token_duration: 3600 });
    const issuer = idp.kongIdentity.issuerFor(ps.id);
    const tok = await requestToken(`${issuer}/oauth/token`, { clientId: c.id, clientSecret: c.secrets[0] ?? '' });
    assert.equal(tok.status, 200, JSON.stringify(tok.body));
    const { payload, header } = await verifyWithPublishedJwks(String(tok.body['access_token']), issuer);
    assert.equal(header['alg'], 'PS256');
    assert.equal((payload['exp'] as number) - (payload['iat'] as number), 3600);
    // each auth server has its own key: a token of one does not verify against another's JWKS
    await assert.rejects(verifyWithPublishedJwks(String(tok.body['access_token']), idp.kongIdentity.issuerFor(as.id)));
  });

  it('can start without a store and have it attached later (the emulator needs the backend first)', async function () {
    const late = await startIdp({});
    try {
      const lateStore = new FakeKongIdentityStore();
      const server = lateStore.addAuthServer({ issuerFor: late.kongIdentity.issuerFor });
      assert.equal((await fetch(late.kongIdentity.metadataUriFor(server.id))).status, 503);
      late.useKongIdentityStore(lateStore);
      const meta = await discovery(late.kongIdentity.issuerFor(server.id));
      assert.equal(meta['issuer'], late.kongIdentity.issuerFor(server.id));
    } finally {
      await late.stop();
    }
  });
});
