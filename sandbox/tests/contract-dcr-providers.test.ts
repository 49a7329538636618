/** Contract: /v2/dcr-providers against the Application Auth Strategies spec (every request and answer is spec-checked). */
import assert from 'node:assert/strict';
import { TOKEN, type TestKonnect, startTestKonnect } from './support/fakes';
import { type Json, assertCovered } from './support/spec-client';
import { specExample } from './support/spec-validate';

const TYPES = ['Auth0', 'AzureAd', 'Curity', 'Okta', 'Http', 'KongIdentity'] as const;
const SECRETS = ['abc123xyz098!', 'gYmrbDfu_7PTsZWH'];

describe('contract: /v2/dcr-providers', function () {
  let k: TestKonnect;
  before(async () => {
    k = await startTestKonnect();
  });
  after(async () => {
    await k.stop();
    assert.deepEqual(k.emu.specViolations, [], 'the emulator answered outside the spec');
    assert.deepEqual(
      k.emu.errors.map((e) => e.message),
      [],
    );
  });

  const create = async (body: Record<string, unknown>): Promise<Json> =>
    (await k.api.post('/v2/dcr-providers', body, { expect: 201 })).body;

  it('401 problem+json without the bearer token (and with a wrong one)', async () => {
    const r = await k.api.get('/v2/dcr-providers', { auth: false, expect: 401 });
    assert.equal(r.body.status, 401);
    assert.equal(r.body.title, 'Unauthorized');
    await k.api.post('/v2/dcr-providers', specExample('aas', 'DcrProviderOktaCreateRequest'), {
      auth: false,
      expect: 401,
    });
    const wrong = await fetch(`${k.emu.url}/v2/dcr-providers`, { headers: { authorization: `Bearer ${TOKEN}x` } });
    assert.equal(wrong.status, 401);
    assert.match(wrong.headers.get('content-type') ?? '', /application\/problem\+json/);
  });

  it('creates every provider type from the spec examples: 201, response-shaped dcr_config, no secret anywhere', async () => {
    for (const t of TYPES) {
      const req = specExample('aas', `DcrProvider${t}CreateRequest`);
      const r = await k.api.post('/v2/dcr-providers', req, { expect: 201 });
      assert.equal(r.body.provider_type, req['provider_type']);
      assert.equal(r.body.issuer, req['issuer']);
      assert.equal(r.body.active, false);
      for (const s of SECRETS)
        assert.ok(!r.text.includes(s), `${t}: a write-only secret came back in the create response`);
      const got = await k.api.get(`/v2/dcr-providers/${String(r.body.id)}`, { expect: 200 });
      assert.deepEqual(got.body, r.body);
      for (const s of SECRETS) assert.ok(!got.text.includes(s), `${t}: a write-only secret came back from GET`);
    }
    const auth0 = [...k.emu.store.providers.values()].find((p) => p.provider_type === 'auth0');
    assert.equal(auth0?.secrets.initial_client_secret, 'abc123xyz098!', 'secrets are stored (write-only, not dropped)');
    assert.deepEqual(auth0?.dcr_config, {
      initial_client_id: 'abc123',
      initial_client_audience: 'https://my-custom-domain.com/api/v2/',
      use_developer_managed_scopes: false,
    });
    const http = [...k.emu.store.providers.values()].find((p) => p.provider_type === 'http');
    assert.equal(http?.secrets.api_key, 'gYmrbDfu_7PTsZWH');
    const list = await k.api.get('/v2/dcr-providers?page[size]=100', { expect: 200 });
    for (const s of SECRETS) assert.ok(!list.text.includes(s), 'a write-only secret came back from the list');
  });

  it('400 with invalid_parameters in the spec shapes', async () => {
    const missing = await k.api.post(
      '/v2/dcr-providers',
      { name: 'x', provider_type: 'auth0', issuer: 'https://a.example.com', dcr_config: { initial_client_id: 'a' } },
      { invalidRequest: true, expect: 400 },
    );
    assert.deepEqual(missing.body.invalid_parameters, [
      {
        field: 'dcr_config.initial_client_secret',
        rule: 'required',
        reason: '"dcr_config.initial_client_secret" is required',
        source: 'body',
      },
    ]);

    const unknown = await k.api.post(
      '/v2/dcr-providers',
      { ...specExample('aas', 'DcrProviderOktaCreateRequest'), dcr_config: { dcr_token: 't', extra: 1 } },
      { invalidRequest: true, expect: 400 },
    );
    assert.deepEqual(unknown.body.invalid_parameters, [
      {
        field: 'dcr_config.extra',
        rule: 'unknown_property',
        reason: '"dcr_config.extra" is not allowed',
        source: 'body',
      },
    ]);

    const badType = await k.api.post(
      '/v2/dcr-providers',
      { name: 'x', provider_type: 'Curity', issuer: 'https://a.example.com' },
      { invalidRequest: true, expect: 400 },
    );
    const item = badType.body.invalid_parameters[0];
    assert.equal(item.field, 'provider_type');
    assert.equal(item.rule, 'enum');
    assert.deepEqual([...item.choices].sort(), ['auth0', 'azureAd', 'curity', 'http', 'kongIdentity', 'okta']);

    const tooLong = await k.api.post(
      '/v2/dcr-providers',
      { ...specExample('aas', 'DcrProviderOktaCreateRequest'), name: 'n'.repeat(257) },
      { invalidRequest: true, expect: 400 },
    );
    assert.deepEqual(tooLong.body.invalid_parameters, [
      {
        field: 'name',
        rule: 'max_length',
        maximum: 256,
        reason: 'must not have more than 256 characters',
        source: 'body',
      },
    ]);

    const badKey = await k.api.post(
      '/v2/dcr-providers',
      {
        ...specExample('aas', 'DcrProviderHttpCreateRequest'),
        dcr_config: { dcr_base_url: 'not a url', api_key: 'short!' },
      },
      { invalidRequest: true, expect: 400 },
    );
    const rules = badKey.body.invalid_parameters.map((p: Json) => `${String(p.field)}:${String(p.rule)}`).sort();
    assert.deepEqual(rules, [
      'dcr_config.api_key:matches_regex',
      'dcr_config.api_key:min_length',
      'dcr_config.dcr_base_url:invalid',
    ]);

    const notJson = await k.api.call('POST', '/v2/dcr-providers', { rawBody: '{"name":', expect: 400 });
    assert.equal(notJson.body.invalid_parameters[0].field, 'body');

    await k.api.call('POST', '/v2/dcr-providers', { invalidRequest: true, expect: 400 });
  });

  it('404 for unknown ids on get, patch, delete and verify', async () => {
    const id = '5f9fd312-a987-4628-b4c5-bb4f4fddd5f7';
    await k.api.get(`/v2/dcr-providers/${id}`, { expect: 404 });
    await k.api.patch(`/v2/dcr-providers/${id}`, { name: 'x' }, { expect: 404 });
    await k.api.delete(`/v2/dcr-providers/${id}`, { expect: 404 });
    const v = await k.api.post(`/v2/dcr-providers/${id}/verify`, undefined, { expect: 404 });
    assert.equal(v.body.title, 'Not Found');
  });

  it('PATCH merges dcr_config, stores new secrets write-only, keeps provider_type', async () => {
    const p = await create({
      ...specExample('aas', 'DcrProviderHttpCreateRequest'),
      name: 'merge-me',
      dcr_config: {
        dcr_base_url: 'https://bridge.example.com/dcr',
        api_key: 'firstKey_123456',
        allow_multiple_credentials: true,
      },
    });
    const r = await k.api.patch(
      `/v2/dcr-providers/${String(p.id)}`,
      { dcr_config: { disable_event_hooks: true, api_key: 'secondKey_654321' }, labels: { team: 'dcr' } },
      { expect: 200 },
    );
    assert.equal(r.body.dcr_config.allow_multiple_credentials, true, 'keys not sent keep their value (merge)');
    assert.equal(r.body.dcr_config.disable_event_hooks, true);
    assert.equal(r.body.dcr_config.dcr_base_url, 'https://bridge.example.com/dcr');
    assert.deepEqual(r.body.labels, { team: 'dcr' });
    assert.ok(!r.text.includes('secondKey_654321'));
    assert.equal(k.emu.store.providers.get(String(p.id))?.secrets.api_key, 'secondKey_654321');

    const typeChange = await k.api.patch(
      `/v2/dcr-providers/${String(p.id)}`,
      { provider_type: 'okta' },
      { invalidRequest: true, expect: 400 },
    );
    assert.deepEqual(typeChange.body.invalid_parameters, [
      { field: 'provider_type', rule: 'unknown_property', reason: '"provider_type" is not allowed', source: 'body' },
    ]);
    const wrongCfg = await k.api.patch(
      `/v2/dcr-providers/${String(p.id)}`,
      { dcr_config: { dcr_token: 'okta-only' } },
      { expect: 400 },
    );
    assert.deepEqual(wrongCfg.body.invalid_parameters, [
      {
        field: 'dcr_config.dcr_token',
        rule: 'unknown_property',
        reason: '"dcr_config.dcr_token" is not allowed',
        source: 'body',
      },
    ]);
    const unlabel = await k.api.patch(`/v2/dcr-providers/${String(p.id)}`, { labels: { team: null } }, { expect: 200 });
    assert.deepEqual(unlabel.body.labels, {});
    assert.equal(unlabel.body.provider_type, 'http');
  });

  it("verify calls the provider type's DcrDriver and answers 200 {status, errors}", async () => {
    const okta = await create({ ...specExample('aas', 'DcrProviderOktaCreateRequest'), name: 'verify-okta' });
    const ok = await k.api.post(`/v2/dcr-providers/${String(okta.id)}/verify`, undefined, { expect: 200 });
    assert.deepEqual(ok.body, { status: 'success', errors: [] });
    const call = k.drivers.okta.calls.at(-1);
    assert.equal(call?.method, 'verify');
    assert.equal(call?.providerId, okta.id);

    k.drivers.okta.verifyResult = { status: 'failed', errors: ['Unable to create the DCR application'] };
    const failed = await k.api.post(`/v2/dcr-providers/${String(okta.id)}/verify`, undefined, { expect: 200 });
    assert.deepEqual(failed.body, { status: 'failed', errors: ['Unable to create the DCR application'] });
    k.drivers.okta.verifyResult = { status: 'success', errors: [] };

    // kongIdentity: the built-in driver checks that an auth server has this issuer
    const ki = await create({
      name: 'ki-verify',
      provider_type: 'kongIdentity',
      issuer: 'https://nowhere.example.com/x',
    });
    const kiFailed = await k.api.post(`/v2/dcr-providers/${String(ki.id)}/verify`, undefined, { expect: 200 });
    assert.equal(kiFailed.body.status, 'failed');
    const as = await k.api.post('/v1/auth-servers', { name: 'verify-as', audience: 'aud' }, { expect: 201 });
    const ki2 = await create({
      name: 'ki-verify-2',
      provider_type: 'kongIdentity',
      issuer: String(as.body.issuer),
      dcr_config: {},
    });
    const kiOk = await k.api.post(`/v2/dcr-providers/${String(ki2.id)}/verify`, undefined, { expect: 200 });
    assert.deepEqual(kiOk.body, { status: 'success', errors: [] });
  });

  it('DELETE answers 204 and the provider is gone', async () => {
    const p = await create({ ...specExample('aas', 'DcrProviderCurityCreateRequest'), name: 'to-delete' });
    const d = await k.api.delete(`/v2/dcr-providers/${String(p.id)}`, { expect: 204 });
    assert.equal(d.text, '');
    await k.api.get(`/v2/dcr-providers/${String(p.id)}`, { expect: 404 });
  });

  describe('list: pagination, filters, sort', () => {
    let lk: TestKonnect;
    before(async () => {
      lk = await startTestKonnect();
      lk.emu.seed({ providers: 25, prefix: 'bulk' });
    });
    after(async () => {
      await lk.stop();
      assert.deepEqual(lk.emu.specViolations, []);
    });

    it('pages add up: meta.page.{number,size,total} over several pages', async () => {
      const seen = new Set<string>();
      for (const n of [1, 2, 3]) {
        const r = await lk.api.get(`/v2/dcr-providers?page[size]=10&page[number]=${n}`, { expect: 200 });
        assert.deepEqual(r.body.meta.page, { number: n, size: 10, total: 25 });
        assert.equal(r.body.data.length, n < 3 ? 10 : 5);
        for (const p of r.body.data) seen.add(String(p.id));
      }
      assert.equal(seen.size, 25, 'no item twice, none missing');
      const beyond = await lk.api.get('/v2/dcr-providers?page[size]=10&page[number]=4', { expect: 200 });
      assert.deepEqual(beyond.body.data, []);
      assert.equal(beyond.body.meta.page.total, 25);
      const dflt = await lk.api.get('/v2/dcr-providers', { expect: 200 });
      assert.deepEqual(dflt.body.meta.page, { number: 1, size: 10, total: 25 });
      const clamped = await lk.api.get('/v2/dcr-providers?page[size]=1000', { expect: 200 });
      assert.equal(clamped.body.meta.page.size, 100);
      assert.equal(clamped.body.data.length, 25);
    });

    it('explicit filter[...] params of the spec', async () => {
      const all = [...lk.emu.store.providers.values()];
      const target = all[7];
      assert.ok(target);
      const q = async (query: string): Promise<Json[]> =>
        (await lk.api.get(`/v2/dcr-providers?page[size]=100&${query}`, { expect: 200 })).body.data;
      assert.deepEqual(
        (await q(`filter[id]=${target.id}`)).map((p) => p.id),
        [target.id],
      );
      assert.deepEqual(
        (await q(`filter[id][eq]=${target.id}`)).map((p) => p.id),
        [target.id],
      );
      assert.equal((await q(`filter[id][contains]=${target.id.slice(0, 13)}`)).length, 1);
      assert.deepEqual(
        (await q(`filter[name][eq]=${encodeURIComponent(target.name)}`)).map((p) => p.name),
        [target.name],
      );
      assert.equal((await q('filter[name][contains]=provider-1')).length, 10);
      assert.equal((await q('filter[provider_type]=okta')).length, 5);
      assert.equal((await q('filter[provider_type][eq]=http')).length, 5);
      assert.deepEqual(
        (await q(`filter[issuer]=${encodeURIComponent(target.issuer)}`)).map((p) => p.id),
        [target.id],
      );
      assert.equal((await q('filter[issuer][contains]=idp-0')).length, 10);
      const withClient = all.filter((p) => typeof p.dcr_config['initial_client_id'] === 'string');
      assert.equal((await q('filter[initial_client_id][contains]=client-')).length, withClient.length);
      assert.equal((await q('filter[initial_client_id]=client-0')).length, 1);
      assert.equal((await q('filter[initial_client_audience][eq]=nobody')).length, 0);
      const bad = await lk.api.get('/v2/dcr-providers?filter[secret]=x', { expect: 400 });
      assert.deepEqual(bad.body.invalid_parameters, [
        {
          field: 'filter[secret]',
          rule: 'unknown_property',
          reason: '"filter[secret]" is not allowed',
          source: 'query',
        },
      ]);
      await lk.api.get('/v2/dcr-providers?filter[provider_type][contains]=ok', { expect: 400 });
    });

    it('sort asc/desc and the 400s for bad page/sort values', async () => {
      const asc = (await lk.api.get('/v2/dcr-providers?page[size]=100&sort=name', { expect: 200 })).body.data.map(
        (p: Json) => p.name,
      );
      assert.deepEqual(asc, [...asc].sort());
      const desc = (
        await lk.api.get('/v2/dcr-providers?page[size]=100&sort=name%20desc', { expect: 200 })
      ).body.data.map((p: Json) => p.name);
      assert.deepEqual(desc, [...asc].reverse());
      const byType = (
        await lk.api.get('/v2/dcr-providers?page[size]=100&sort=-provider_type,name', { expect: 200 })
      ).body.data.map((p: Json) => p.provider_type);
      assert.deepEqual(byType, [...byType].sort().reverse());
      const badSort = await lk.api.get('/v2/dcr-providers?sort=secret', { expect: 400 });
      assert.equal(badSort.body.invalid_parameters[0].rule, 'enum');
      assert.deepEqual(badSort.body.invalid_parameters[0].choices, [
        'created_at',
        'updated_at',
        'provider_type',
        'issuer',
        'name',
      ]);
      const badSize = await lk.api.get('/v2/dcr-providers?page[size]=ten', { expect: 400 });
      assert.deepEqual(badSize.body.invalid_parameters, [
        { field: 'page[size]', rule: 'is_number', reason: '"page[size]" must be a number', source: 'query' },
      ]);
      const zero = await lk.api.get('/v2/dcr-providers?page[number]=0', { expect: 400 });
      assert.equal(zero.body.invalid_parameters[0].rule, 'min');
    });

    it('a sorted list read page by page follows a rename, a delete and a create between two reads (the order is cached per request shape)', async () => {
      const names = async (): Promise<string[]> => {
        const out: string[] = [];
        for (let n = 1; n <= 3; n++)
          out.push(
            ...(
              await lk.api.get(`/v2/dcr-providers?page[size]=10&page[number]=${n}&sort=name`, { expect: 200 })
            ).body.data.map((p: Json) => p.name as string),
          );
        return out;
      };
      const before = await names();
      assert.deepEqual(before, [...before].sort());
      const all = (await lk.api.get('/v2/dcr-providers?page[size]=100', { expect: 200 })).body.data as Json[];
      const first = all.find((p) => p.name === before[0])!;
      await lk.api.patch(`/v2/dcr-providers/${first.id}`, { name: 'zzz-renamed' }, { expect: 200 });
      const renamed = await names();
      assert.equal(renamed.at(-1), 'zzz-renamed', 'the renamed provider moved to the end');
      assert.deepEqual(renamed, [...renamed].sort());
      const second = all.find((p) => p.name === before[1])!;
      await lk.api.delete(`/v2/dcr-providers/${second.id}`, { expect: 204 });
      lk.emu.seed({ providers: 1, prefix: 'aaa' });
      const after = await names();
      assert.ok(!after.includes(before[1]!), 'the deleted provider is gone');
      assert.match(after[0]!, /^aaa/, 'the new provider sorts first');
      assert.deepEqual(after, [...after].sort());
      assert.equal(after.length, 25);
    });
  });

  describe('coverage', () =>
    it('exercised every operation of this tag with its main statuses', () => {
      assertCovered([
        'aas:list-dcr-providers 200',
        'aas:list-dcr-providers 400',
        'aas:list-dcr-providers 401',
        'aas:create-dcr-provider 201',
        'aas:create-dcr-provider 400',
        'aas:create-dcr-provider 401',
        'aas:get-dcr-provider 200',
        'aas:get-dcr-provider 404',
        'aas:update-dcr-provider 200',
        'aas:update-dcr-provider 400',
        'aas:update-dcr-provider 404',
        'aas:delete-dcr-provider 204',
        'aas:delete-dcr-provider 404',
        'aas:verify-dcr-provider 200',
        'aas:verify-dcr-provider 404',
      ]);
    }));
});
