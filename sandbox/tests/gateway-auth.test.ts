// The sandbox gateway against a minimal issuer whose key signs whatever token a case needs.
import * as assert from 'node:assert/strict';
import { startGateway, type EchoBody, type StartedGateway } from '../gateway';
import { fakeCatalog, parseChallenge, startFakeIssuer, type FakeIssuer } from '../gateway/testing';

describe('sandbox gateway', function () {
  let issuer: FakeIssuer;
  let other: FakeIssuer;
  let gateway: StartedGateway;

  before(async function () {
    issuer = await startFakeIssuer('/oauth2/default');
    other = await startFakeIssuer('/elsewhere');
    const catalog = fakeCatalog([
      {
        slug: 'orders',
        api_name: 'Orders',
        strategy: {
          id: 's-oidc',
          strategy_type: 'openid_connect',
          issuer: issuer.issuer,
          credential_claim: ['app_client_id', 'client_id'],
          scopes: ['openid', 'orders:read'],
          auth_methods: ['bearer'],
          extra: { audience_required: ['orders-api'] },
        },
        registered: ['orders-app'],
      },
      {
        slug: 'billing',
        api_name: 'Billing',
        strategy: {
          id: 's-oidc-2',
          strategy_type: 'openid_connect',
          issuer: `${issuer.issuer}/.well-known/openid-configuration`,
          credential_claim: ['sub'],
          scopes: [],
          auth_methods: ['bearer'],
        },
        registered: ['billing-app'],
      },
      {
        slug: 'keyed',
        api_name: 'Keyed',
        strategy: { id: 's-key', strategy_type: 'key_auth', key_names: ['x-api-key', 'apikey'] },
        registered: ['good-key-123'],
      },
      {
        slug: 'keyed-2',
        api_name: 'Keyed Two',
        strategy: { id: 's-key-2', strategy_type: 'key_auth', key_names: ['apikey'] },
        registered: ['other-key-456'],
      },
      { slug: 'open', api_name: 'Open', strategy: null },
      {
        slug: 'dead',
        api_name: 'Dead',
        strategy: {
          id: 's-dead',
          strategy_type: 'openid_connect',
          issuer: 'http://127.0.0.1:9/nowhere',
          credential_claim: ['sub'],
        },
      },
    ]);
    gateway = await startGateway({ catalog });
  });
  after(async function () {
    await gateway?.stop();
    await issuer?.stop();
    await other?.stop();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${gateway.url}${path}`, { headers });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const good = () => issuer.sign({ aud: 'orders-api', client_id: 'orders-app', scope: 'openid orders:read' });

  it('echoes an authenticated request with the consumer, masking credentials', async function () {
    const res = await get('/orders/anything/deep?x=1&x=2&y=z', { ...bearer(await good()), 'x-trace': 't1' });
    assert.equal(res.status, 200);
    const body = (await res.json()) as EchoBody;
    assert.equal(body.method, 'GET');
    assert.equal(body.path, '/orders/anything/deep');
    assert.deepEqual(body.query, { x: ['1', '2'], y: 'z' });
    assert.equal(body.headers['x-trace'], 't1');
    assert.equal(body.headers['authorization'], 'Bearer [masked]');
    assert.deepEqual(body.api, { id: 'api-0', name: 'Orders' });
    assert.deepEqual(body.consumer, {
      type: 'openid_connect',
      client_id: 'orders-app',
      credential_claim: 'client_id',
      issuer: issuer.issuer,
    });
  });

  it('takes the first credential claim present, and scp arrays as scopes', async function () {
    const token = await issuer.sign({
      aud: ['x', 'orders-api'],
      app_client_id: 'orders-app',
      client_id: 'ignored',
      scp: ['orders:read'],
    });
    const res = await get('/orders/anything', bearer(token));
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as EchoBody).consumer?.type, 'openid_connect');
  });

  it('401 without a token: WWW-Authenticate Bearer with the realm and no error code (RFC 6750 §3.1)', async function () {
    const res = await get('/orders/anything');
    assert.equal(res.status, 401);
    const { scheme, params } = parseChallenge(res.headers.get('www-authenticate'));
    assert.equal(scheme, 'Bearer');
    assert.equal(params['realm'], 'kong');
    assert.equal(params['error'], undefined);
    assert.match(((await res.json()) as { message: string }).message, /no Bearer token/);
  });

  it('401 invalid_token for a tampered token', async function () {
    const [h, p, s] = (await good()).split('.');
    const payload = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as Record<string, unknown>;
    payload['client_id'] = 'someone-else';
    const tampered = [h, Buffer.from(JSON.stringify(payload)).toString('base64url'), s].join('.');
    const res = await get('/orders/anything', bearer(tampered));
    assert.equal(res.status, 401);
    const { params } = parseChallenge(res.headers.get('www-authenticate'));
    assert.equal(params['error'], 'invalid_token');
    assert.match(params['error_description'] ?? '', /signature/);
    const garbage = await get('/orders/anything', bearer('not.a.jwt'));
    assert.equal(garbage.status, 401);
    assert.equal(parseChallenge(garbage.headers.get('www-authenticate')).params['error'], 'invalid_token');
  });

  it('401 invalid_token for an expired or not-yet-valid token', async function () {
    const expired = await issuer.sign(
      { aud: 'orders-api', client_id: 'orders-app', scope: 'orders:read' },
      { expiresIn: -60 },
    );
    const res = await get('/orders/anything', bearer(expired));
    assert.equal(res.status, 401);
    const { params } = parseChallenge(res.headers.get('www-authenticate'));
    assert.equal(params['error'], 'invalid_token');
    assert.match(params['error_description'] ?? '', /expired/);
    const early = await issuer.sign(
      { aud: 'orders-api', client_id: 'orders-app', scope: 'orders:read' },
      { notBefore: 600, expiresIn: 900 },
    );
    const res2 = await get('/orders/anything', bearer(early));
    assert.equal(res2.status, 401);
    assert.match(
      parseChallenge(res2.headers.get('www-authenticate')).params['error_description'] ?? '',
      /not valid yet/,
    );
  });

  it('401 invalid_token for a token of another issuer', async function () {
    const foreign = await other.sign({ aud: 'orders-api', client_id: 'orders-app', scope: 'orders:read' });
    const res = await get('/orders/anything', bearer(foreign));
    assert.equal(res.status, 401);
    const { params } = parseChallenge(res.headers.get('www-authenticate'));
    assert.equal(params['error'], 'invalid_token');
    assert.match(params['error_description'] ?? '', new RegExp(`issuer ${other.issuer} is not the issuer of this API`));
    // right iss claim, but signed by a key the issuer does not publish
    const forged = await other.sign({
      iss: issuer.issuer,
      aud: 'orders-api',
      client_id: 'orders-app',
      scope: 'orders:read',
    });
    const res2 = await get('/orders/anything', bearer(forged));
    assert.equal(res2.status, 401);
    assert.match(
      parseChallenge(res2.headers.get('www-authenticate')).params['error_description'] ?? '',
      /no key|signature/,
    );
  });

  it('401 for the wrong audience, 403 insufficient_scope for missing scopes (openid is not required in tokens)', async function () {
    const wrongAud = await issuer.sign({ aud: 'billing-api', client_id: 'orders-app', scope: 'orders:read' });
    const res = await get('/orders/anything', bearer(wrongAud));
    assert.equal(res.status, 401);
    assert.match(parseChallenge(res.headers.get('www-authenticate')).params['error_description'] ?? '', /audience/);
    const noScope = await issuer.sign({ aud: 'orders-api', client_id: 'orders-app', scope: 'openid' });
    const res2 = await get('/orders/anything', bearer(noScope));
    assert.equal(res2.status, 403);
    const { params } = parseChallenge(res2.headers.get('www-authenticate'));
    assert.equal(params['error'], 'insufficient_scope');
    assert.equal(params['scope'], 'orders:read');
  });

  it('403 for a valid token of an application not registered for this API, naming the API it is registered for', async function () {
    const stranger = await issuer.sign({ aud: 'orders-api', client_id: 'stranger', scope: 'orders:read' });
    const res = await get('/orders/anything', bearer(stranger));
    assert.equal(res.status, 403);
    assert.match(
      ((await res.json()) as { message: string }).message,
      /stranger .* is not registered for the API Orders/,
    );
    const billingApp = await issuer.sign({ aud: 'orders-api', client_id: 'billing-app', scope: 'orders:read' });
    const res2 = await get('/orders/anything', bearer(billingApp));
    assert.equal(res2.status, 403);
    assert.match(
      ((await res2.json()) as { message: string }).message,
      /registered for the API Billing, not for Orders/,
    );
    const noClaim = await issuer.sign({ aud: 'orders-api', scope: 'orders:read' });
    assert.equal((await get('/orders/anything', bearer(noClaim))).status, 403);
  });

  it('accepts a strategy issuer given as the discovery URL', async function () {
    const token = await issuer.sign({ sub: 'billing-app' });
    const res = await get('/billing/anything', bearer(token));
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as EchoBody).consumer?.type, 'openid_connect');
  });

  it('key_auth: 200 with a registered key, 401 missing or unknown key, 403 for a key of another API', async function () {
    const ok = await get('/keyed/anything', { apikey: 'good-key-123' });
    assert.equal(ok.status, 200);
    const body = (await ok.json()) as EchoBody;
    assert.deepEqual(body.consumer, { type: 'key_auth', key_name: 'apikey', key_hint: 'good…' });
    assert.equal(body.headers['apikey'], '[masked]');
    assert.equal((await get('/keyed/anything', { 'x-api-key': 'good-key-123' })).status, 200);
    const missing = await get('/keyed/anything');
    assert.equal(missing.status, 401);
    assert.match(missing.headers.get('www-authenticate') ?? '', /^Key realm="kong"/);
    assert.equal((await get('/keyed/anything', { apikey: 'unknown-key' })).status, 401);
    const elsewhere = await get('/keyed/anything', { apikey: 'other-key-456' });
    assert.equal(elsewhere.status, 403);
    assert.match(
      ((await elsewhere.json()) as { message: string }).message,
      /registered for the API Keyed Two, not for Keyed/,
    );
  });

  it('passes open APIs through, 404s unknown routes, 502s an unreachable issuer', async function () {
    const open = await get('/open/anything');
    assert.equal(open.status, 200);
    assert.equal(((await open.json()) as EchoBody).consumer, null);
    const missing = await get('/nope/anything');
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { message: 'no Route matched with those values' });
    const dead = await get(
      '/dead/anything',
      bearer(await issuer.sign({ iss: 'http://127.0.0.1:9/nowhere', sub: 'x' })),
    );
    assert.equal(dead.status, 502);
  });
});
