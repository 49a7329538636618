/** Contract: /v2/application-auth-strategies against the Application Auth Strategies spec. */
import assert from 'node:assert/strict';
import { type TestKonnect, startTestKonnect } from './support/fakes';
import { type Json, assertCovered } from './support/spec-client';
import { specExample } from './support/spec-validate';

const MISSING = '5f9fd312-a987-4628-b4c5-bb4f4fddd5f7';

describe('contract: /v2/application-auth-strategies', function () {
  let k: TestKonnect;
  let okta: Json;
  before(async () => {
    k = await startTestKonnect();
    okta = (
      await k.api.post(
        '/v2/dcr-providers',
        { ...specExample('aas', 'DcrProviderOktaCreateRequest'), display_name: 'Okta DCR' },
        { expect: 201 },
      )
    ).body;
  });
  after(async () => {
    await k.stop();
    assert.deepEqual(k.emu.specViolations, [], 'the emulator answered outside the spec');
    assert.deepEqual(
      k.emu.errors.map((e) => e.message),
      [],
    );
  });

  const dcrBody = (): Record<string, unknown> => ({
    ...specExample('aas', 'CreateAppAuthStrategyOpenIDConnectDCRRequest'),
    dcr_provider_id: okta.id,
  });

  it('401 without the token', async () => {
    await k.api.get('/v2/application-auth-strategies', { auth: false, expect: 401 });
    await k.api.post('/v2/application-auth-strategies', specExample('aas', 'CreateAppAuthStrategyKeyAuthRequest'), {
      auth: false,
      expect: 401,
    });
  });

  it('creates key_auth, OIDC and OIDC+DCR strategies: 201, hyphenated configs, dcr_provider object or null, labels always present', async () => {
    const key = await k.api.post(
      '/v2/application-auth-strategies',
      specExample('aas', 'CreateAppAuthStrategyKeyAuthRequest'),
      { expect: 201 },
    );
    assert.deepEqual(key.body.configs, { 'key-auth': { key_names: ['apikey', 'api-key', 'x-api-key'] } });
    assert.equal(key.body.dcr_provider, null);
    assert.deepEqual(key.body.labels, {});
    assert.equal(key.body.active, false);
    assert.equal(key.body.supports_multiple_credentials, true);
    assert.deepEqual(key.body.principals, { enabled: false });

    const oidc = await k.api.post(
      '/v2/application-auth-strategies',
      specExample('aas', 'CreateAppAuthStrategyOpenIDConnectRequest'),
      { expect: 201 },
    );
    assert.equal(oidc.body.dcr_provider, null);
    assert.equal(oidc.body.supports_multiple_credentials, false);
    assert.ok(!('dcr_provider_id' in oidc.body), 'the response carries dcr_provider, not dcr_provider_id');

    const dcr = await k.api.post(
      '/v2/application-auth-strategies',
      { ...dcrBody(), labels: { env: 'test' } },
      { expect: 201 },
    );
    assert.deepEqual(dcr.body.dcr_provider, {
      id: okta.id,
      name: okta.name,
      display_name: 'Okta DCR',
      provider_type: 'okta',
    });
    assert.deepEqual(dcr.body.labels, { env: 'test' });
    assert.equal(dcr.body.supports_multiple_credentials, true, 'Okta DCR supports multiple credentials');
    const got = await k.api.get(`/v2/application-auth-strategies/${String(dcr.body.id)}`, { expect: 200 });
    assert.deepEqual(got.body, dcr.body);
  });

  it('keeps openid-connect extras (additionalProperties: true) verbatim', async () => {
    const body = specExample('aas', 'CreateAppAuthStrategyOpenIDConnectRequest');
    (body['configs'] as Json)['openid-connect'].token_post_args_names = ['audience'];
    (body['configs'] as Json)['openid-connect'].token_post_args_values = ['https://api.example.com'];
    body['name'] = 'with extras';
    const r = await k.api.post('/v2/application-auth-strategies', body, { expect: 201 });
    assert.deepEqual(r.body.configs['openid-connect'].token_post_args_values, ['https://api.example.com']);
    const gw = k.emu.store.gatewayStrategy(k.emu.store.strategies.get(String(r.body.id)) as never);
    assert.deepEqual(gw.extra, {
      token_post_args_names: ['audience'],
      token_post_args_values: ['https://api.example.com'],
    });
  });

  it('400s: unknown property, required config field, enum, max_items, missing DCR provider', async () => {
    const keyWithDcr = await k.api.post(
      '/v2/application-auth-strategies',
      { ...specExample('aas', 'CreateAppAuthStrategyKeyAuthRequest'), dcr_provider_id: okta.id },
      { invalidRequest: true, expect: 400 },
    );
    assert.deepEqual(keyWithDcr.body.invalid_parameters, [
      {
        field: 'dcr_provider_id',
        rule: 'unknown_property',
        reason: '"dcr_provider_id" is not allowed',
        source: 'body',
      },
    ]);

    const noScopes = specExample('aas', 'CreateAppAuthStrategyOpenIDConnectRequest');
    delete (noScopes['configs'] as Json)['openid-connect'].scopes;
    const r1 = await k.api.post('/v2/application-auth-strategies', noScopes, { invalidRequest: true, expect: 400 });
    assert.deepEqual(r1.body.invalid_parameters, [
      {
        field: 'configs.openid-connect.scopes',
        rule: 'required',
        reason: '"configs.openid-connect.scopes" is required',
        source: 'body',
      },
    ]);

    const badType = await k.api.post(
      '/v2/application-auth-strategies',
      { ...specExample('aas', 'CreateAppAuthStrategyKeyAuthRequest'), strategy_type: 'oauth2' },
      { invalidRequest: true, expect: 400 },
    );
    assert.deepEqual(badType.body.invalid_parameters, [
      {
        field: 'strategy_type',
        rule: 'enum',
        choices: ['key_auth', 'openid_connect'],
        reason: 'must be one of [key_auth, openid_connect]',
        source: 'body',
      },
    ]);

    const many = specExample('aas', 'CreateAppAuthStrategyKeyAuthRequest');
    (many['configs'] as Json)['key-auth'].key_names = Array.from({ length: 11 }, (_, i) => `k${i}`);
    const r2 = await k.api.post('/v2/application-auth-strategies', many, { invalidRequest: true, expect: 400 });
    assert.deepEqual(r2.body.invalid_parameters, [
      {
        field: 'configs.key-auth.key_names',
        rule: 'max_items',
        maximum: 10,
        reason: 'must not have more than 10 items',
        source: 'body',
      },
    ]);

    const underscore = {
      ...specExample('aas', 'CreateAppAuthStrategyKeyAuthRequest'),
      configs: { key_auth: { key_names: ['apikey'] } },
    };
    const r3 = await k.api.post('/v2/application-auth-strategies', underscore, { invalidRequest: true, expect: 400 });
    const fields = r3.body.invalid_parameters.map((p: Json) => `${String(p.field)}:${String(p.rule)}`).sort();
    assert.deepEqual(
      fields,
      ['configs.key-auth:required', 'configs.key_auth:unknown_property'],
      'the wire keys are hyphenated',
    );

    const dangling = await k.api.post(
      '/v2/application-auth-strategies',
      { ...dcrBody(), dcr_provider_id: MISSING },
      { expect: 400 },
    );
    assert.equal(dangling.body.invalid_parameters[0].rule, 'missing_reference');
  });

  it('404 on get / patch / delete of unknown ids', async () => {
    await k.api.get(`/v2/application-auth-strategies/${MISSING}`, { expect: 404 });
    await k.api.patch(`/v2/application-auth-strategies/${MISSING}`, { display_name: 'x' }, { expect: 404 });
    await k.api.delete(`/v2/application-auth-strategies/${MISSING}`, { expect: 404 });
  });

  it('PUT replaces (201 per spec), PATCH merges (200)', async () => {
    const s = (
      await k.api.post(
        '/v2/application-auth-strategies',
        { ...dcrBody(), name: 'replace-me', labels: { a: 'one', b: 'two' } },
        { expect: 201 },
      )
    ).body;
    const put = await k.api.put(
      `/v2/application-auth-strategies/${String(s.id)}`,
      { ...specExample('aas', 'CreateAppAuthStrategyKeyAuthRequest'), name: 'replaced' },
      { expect: 201 },
    );
    assert.equal(put.body.id, s.id);
    assert.equal(put.body.strategy_type, 'key_auth');
    assert.equal(put.body.dcr_provider, null);
    assert.deepEqual(put.body.labels, {});
    assert.equal(put.body.created_at, s.created_at);
    await k.api.put(
      `/v2/application-auth-strategies/${String(s.id)}`,
      { name: 'x' },
      { invalidRequest: true, expect: 400 },
    );

    const o = (
      await k.api.post(
        '/v2/application-auth-strategies',
        { ...dcrBody(), name: 'patch-me', labels: { a: 'one', b: 'two' } },
        { expect: 201 },
      )
    ).body;
    const p1 = await k.api.patch(
      `/v2/application-auth-strategies/${String(o.id)}`,
      { configs: { 'openid-connect': { scopes: ['openid'] } }, labels: { a: null } },
      { expect: 200 },
    );
    assert.deepEqual(p1.body.configs['openid-connect'], {
      issuer: 'https://oidc-dcr.example.com',
      credential_claim: ['client_id'],
      scopes: ['openid'],
      auth_methods: ['client_credentials', 'bearer'],
    });
    assert.deepEqual(p1.body.labels, { b: 'two' });
    const p2 = await k.api.patch(
      `/v2/application-auth-strategies/${String(o.id)}`,
      specExample('aas', 'UpdateAppAuthStrategyOpenIDConnectRequest'),
      { expect: 200 },
    );
    assert.equal(p2.body.display_name, 'Client Credentials');
    const unlink = await k.api.patch(
      `/v2/application-auth-strategies/${String(o.id)}`,
      { dcr_provider_id: null },
      { expect: 200 },
    );
    assert.equal(unlink.body.dcr_provider, null);
    const wrongKey = await k.api.patch(
      `/v2/application-auth-strategies/${String(o.id)}`,
      { configs: { 'key-auth': { key_names: ['k'] } } },
      { expect: 400 },
    );
    assert.deepEqual(
      wrongKey.body.invalid_parameters.map((p: Json) => `${String(p.field)}:${String(p.rule)}`).sort(),
      ['configs.key-auth:unknown_property', 'configs.openid-connect:required'],
      'an openid_connect strategy takes openid-connect configs only',
    );
    await k.api.patch(
      `/v2/application-auth-strategies/${String(o.id)}`,
      { strategy_type: 'key_auth' },
      { invalidRequest: true, expect: 400 },
    );
    const badScopes = await k.api.patch(
      `/v2/application-auth-strategies/${String(o.id)}`,
      { configs: { 'openid-connect': { scopes: 'openid' } } },
      { invalidRequest: true, expect: 400 },
    );
    assert.deepEqual(
      badScopes.body.invalid_parameters,
      [
        {
          field: 'configs.openid-connect.scopes',
          rule: 'is_array',
          reason: '"configs.openid-connect.scopes" must be an array',
          source: 'body',
        },
      ],
      "only the complaint about the strategy's own config type, not the key-auth branch of the oneOf",
    );
    const ttl = (
      await k.api.post(
        '/v2/application-auth-strategies',
        {
          ...specExample('aas', 'CreateAppAuthStrategyKeyAuthRequest'),
          name: 'ttl',
          configs: { 'key-auth': { key_names: ['apikey'], ttl: { value: 30, unit: 'days' } } },
        },
        { expect: 201 },
      )
    ).body;
    const unset = await k.api.patch(
      `/v2/application-auth-strategies/${String(ttl.id)}`,
      { configs: { 'key-auth': { ttl: null } } },
      { expect: 200 },
    );
    assert.deepEqual(unset.body.configs, { 'key-auth': { key_names: ['apikey'] } });
  });

  it('DELETE: 204, and 409 naming the API while a publication uses it (then active = true, provider active too)', async () => {
    const s = (await k.api.post('/v2/application-auth-strategies', { ...dcrBody(), name: 'in-use' }, { expect: 201 }))
      .body;
    const api = (await k.api.post('/v3/apis', { name: 'Weather API', version: 'v1' }, { expect: 201 })).body;
    const portal = (await k.api.post('/v3/portals', { name: 'strategies-portal' }, { expect: 201 })).body;
    await k.api.put(
      `/v3/apis/${String(api.id)}/publications/${String(portal.id)}`,
      { auth_strategy_ids: [s.id] },
      { expect: 200 },
    );
    assert.equal(
      (await k.api.get(`/v2/application-auth-strategies/${String(s.id)}`, { expect: 200 })).body.active,
      true,
    );
    assert.equal((await k.api.get(`/v2/dcr-providers/${String(okta.id)}`, { expect: 200 })).body.active, true);

    const c = await k.api.delete(`/v2/application-auth-strategies/${String(s.id)}`, { expect: 409 });
    assert.equal(c.body.title, 'Conflict');
    assert.match(c.body.detail, /Weather API/);
    assert.match(c.body.detail, /strategies-portal/);

    await k.api.delete(`/v3/apis/${String(api.id)}/publications/${String(portal.id)}`, { expect: 204 });
    assert.equal(
      (await k.api.get(`/v2/application-auth-strategies/${String(s.id)}`, { expect: 200 })).body.active,
      false,
    );
    // a portal default also keeps it in use
    await k.api.patch(
      `/v3/portals/${String(portal.id)}`,
      { default_application_auth_strategy_id: s.id },
      { expect: 200 },
    );
    const c2 = await k.api.delete(`/v2/application-auth-strategies/${String(s.id)}`, { expect: 409 });
    assert.match(c2.body.detail, /default application auth strategy/);
    await k.api.patch(
      `/v3/portals/${String(portal.id)}`,
      { default_application_auth_strategy_id: null },
      { expect: 200 },
    );
    await k.api.delete(`/v2/application-auth-strategies/${String(s.id)}`, { expect: 204 });
    await k.api.get(`/v2/application-auth-strategies/${String(s.id)}`, { expect: 404 });
  });

  describe('list', () => {
    let lk: TestKonnect;
    before(async () => {
      lk = await startTestKonnect();
      lk.emu.seed({ providers: 5, strategies: 30, prefix: 'list' });
    });
    after(async () => {
      await lk.stop();
      assert.deepEqual(lk.emu.specViolations, []);
    });
    const q = async (query: string): Promise<Json> =>
      (await lk.api.get(`/v2/application-auth-strategies?${query}`, { expect: 200 })).body;

    it('paginates with exact totals', async () => {
      const ids = new Set<string>();
      for (let n = 1; n <= 4; n++) {
        const page = await q(`page[size]=8&page[number]=${n}`);
        assert.deepEqual(page.meta.page, { number: n, size: 8, total: 30 });
        for (const s of page.data) ids.add(String(s.id));
      }
      assert.equal(ids.size, 30);
    });

    it('deepObject filters and sort', async () => {
      assert.equal((await q('filter[strategy_type][eq]=key_auth&page[size]=100')).data.length, 15);
      assert.equal((await q('filter[strategy_type]=openid_connect&page[size]=100')).data.length, 15);
      assert.equal((await q('filter[strategy_type][neq]=openid_connect&page[size]=100')).data.length, 15);
      assert.equal((await q('filter[name][contains]=strategy-0&page[size]=100')).data.length, 10);
      assert.equal((await q('filter[name][ocontains]=strategy-01,strategy-02&page[size]=100')).data.length, 2);
      assert.equal((await q('filter[name][oeq]=list-strategy-01,list-strategy-03,nope&page[size]=100')).data.length, 2);
      const provider = [...lk.emu.store.providers.values()][0];
      assert.ok(provider);
      const linked = [...lk.emu.store.strategies.values()].filter((s) => s.dcr_provider_id === provider.id).length;
      assert.ok(linked > 0);
      assert.equal((await q(`filter[dcr_provider_id][eq]=${provider.id}&page[size]=100`)).data.length, linked);
      assert.equal((await q(`filter[dcr_provider_name]=${provider.name}&page[size]=100`)).data.length, linked);
      assert.equal(
        (await q(`filter[dcr_provider_type][eq]=${provider.provider_type}&page[size]=100`)).data.length,
        linked,
      );
      assert.equal((await q('filter[display_name][contains]=seed strategy 2&page[size]=100')).data.length, 11);
      const names = (await q('sort=name desc&page[size]=100')).data.map((s: Json) => s.name);
      assert.deepEqual(names, [...names].sort().reverse());
      const bad = await lk.api.get('/v2/application-auth-strategies?filter[dcr_provider_id][contains]=x', {
        expect: 400,
      });
      assert.equal(bad.body.invalid_parameters[0].rule, 'unknown_property');
    });
  });

  describe('coverage', () =>
    it('exercised every operation of this tag with its main statuses', () => {
      assertCovered([
        'aas:list-app-auth-strategies 200',
        'aas:list-app-auth-strategies 400',
        'aas:list-app-auth-strategies 401',
        'aas:create-app-auth-strategy 201',
        'aas:create-app-auth-strategy 400',
        'aas:create-app-auth-strategy 401',
        'aas:get-app-auth-strategy 200',
        'aas:get-app-auth-strategy 404',
        'aas:replace-app-auth-strategy 201',
        'aas:replace-app-auth-strategy 400',
        'aas:update-app-auth-strategy 200',
        'aas:update-app-auth-strategy 400',
        'aas:update-app-auth-strategy 404',
        'aas:delete-app-auth-strategy 204',
        'aas:delete-app-auth-strategy 404',
        'aas:delete-app-auth-strategy 409',
      ]);
    }));
});
