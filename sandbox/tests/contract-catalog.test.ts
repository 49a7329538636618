/** Contract: /v3/apis, implementations, publications, /v3/api-publications and /v3/portals (API Catalog + Portal Management specs). */
import assert from 'node:assert/strict';
import { type TestKonnect, startTestKonnect } from './support/fakes';
import { type Json, SpecClient, assertCovered } from './support/spec-client';
import { specExample } from './support/spec-validate';

const MISSING = '5f9fd312-a987-4628-b4c5-bb4f4fddd5f7';
const CP = 'd32d905a-ed33-46a3-a093-d8f536af9a8a';
const SVC = '9f5061ce-78f6-4452-9108-ad7c02821fd5';

describe('contract: API catalog and portals (/v3)', function () {
  let k: TestKonnect;
  let keyAuth: Json;
  let oidc: Json;
  before(async () => {
    k = await startTestKonnect();
    keyAuth = (
      await k.api.post('/v2/application-auth-strategies', specExample('aas', 'CreateAppAuthStrategyKeyAuthRequest'), {
        expect: 201,
      })
    ).body;
    oidc = (
      await k.api.post(
        '/v2/application-auth-strategies',
        specExample('aas', 'CreateAppAuthStrategyOpenIDConnectRequest'),
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

  it('401 without the token on /v3', async () => {
    await k.api.get('/v3/apis', { auth: false, expect: 401 });
    await k.api.post('/v3/apis', { name: 'x' }, { auth: false, expect: 401 });
    await k.api.post('/v3/portals', { name: 'x' }, { auth: false, expect: 401 });
    await k.api.get('/v3/api-publications', { auth: false, expect: 401 });
  });

  it('APIs: create 201 with the slug defaulting to slugify(name + version); list/get/patch/delete; 400/404/409', async () => {
    const a = await k.api.post(
      '/v3/apis',
      { name: 'Weather API', version: 'v1', description: 'Forecasts' },
      { expect: 201 },
    );
    assert.equal(a.body.slug, 'weather-api-v1');
    assert.deepEqual(a.body.portals, []);
    assert.deepEqual(a.body.labels, {});
    const b = await k.api.post('/v3/apis', { name: 'Billing', slug: 'billing' }, { expect: 201 });
    assert.equal(b.body.version, null);
    const noVersion = await k.api.post('/v3/apis', { name: 'Plain Name' }, { expect: 201 });
    assert.equal(noVersion.body.slug, 'plain-name');

    const dupSlug = await k.api.post('/v3/apis', { name: 'Other', slug: 'billing' }, { expect: 400 });
    assert.equal(dupSlug.body.invalid_parameters[0].field, 'slug');
    const noName = await k.api.post('/v3/apis', { version: 'v1' }, { invalidRequest: true, expect: 400 });
    assert.deepEqual(noName.body.invalid_parameters, [
      { field: 'name', rule: 'required', reason: '"name" is required', source: 'body' },
    ]);
    const unknown = await k.api.post('/v3/apis', { name: 'x', colour: 'red' }, { invalidRequest: true, expect: 400 });
    assert.equal(unknown.body.invalid_parameters[0].rule, 'unknown_property');
    const badSlug = await k.api.post(
      '/v3/apis',
      { name: 'x', slug: 'has spaces' },
      { invalidRequest: true, expect: 400 },
    );
    assert.equal(badSlug.body.invalid_parameters[0].rule, 'matches_regex');

    assert.deepEqual((await k.api.get(`/v3/apis/${String(a.body.id)}`, { expect: 200 })).body, a.body);
    await k.api.get(`/v3/apis/${MISSING}`, { expect: 404 });
    const list = await k.api.get('/v3/apis?page[size]=2', { expect: 200 });
    assert.deepEqual(list.body.meta.page, { number: 1, size: 2, total: 3 });
    assert.equal((await k.api.get('/v3/apis?filter[name][contains]=weather', { expect: 200 })).body.data.length, 1);
    assert.equal((await k.api.get('/v3/apis?filter[name]=Billing', { expect: 200 })).body.data.length, 1);

    const patched = await k.api.patch(
      `/v3/apis/${String(b.body.id)}`,
      { description: 'Invoices', labels: { team: 'billing' } },
      { expect: 200 },
    );
    assert.equal(patched.body.description, 'Invoices');
    const clash = await k.api.patch(`/v3/apis/${String(b.body.id)}`, { slug: 'weather-api-v1' }, { expect: 409 });
    assert.match(clash.body.detail, /Weather API/);
    await k.api.patch(`/v3/apis/${MISSING}`, { description: 'x' }, { expect: 404 });

    await k.api.delete(`/v3/apis/${String(noVersion.body.id)}`, { expect: 204 });
    await k.api.delete(`/v3/apis/${String(noVersion.body.id)}`, { expect: 404 });
  });

  it('implementations: POST {service:{control_plane_id,id}} 201, second link 409, get/list/delete', async () => {
    const api = (await k.api.post('/v3/apis', { name: 'Linked', version: '1' }, { expect: 201 })).body;
    const impl = await k.api.post(
      `/v3/apis/${String(api.id)}/implementations`,
      { service: { control_plane_id: CP, id: SVC } },
      { expect: 201 },
    );
    assert.deepEqual(impl.body.service, { control_plane_id: CP, id: SVC });
    await k.api.post(
      `/v3/apis/${String(api.id)}/implementations`,
      { service: { control_plane_id: CP, id: MISSING } },
      { expect: 409 },
    );
    const bad = await k.api.post(
      `/v3/apis/${String(api.id)}/implementations`,
      { service: { id: SVC } },
      { invalidRequest: true, expect: 400 },
    );
    assert.deepEqual(bad.body.invalid_parameters, [
      {
        field: 'service.control_plane_id',
        rule: 'required',
        reason: '"service.control_plane_id" is required',
        source: 'body',
      },
    ]);
    const cpOnly = await k.api.post(
      `/v3/apis/${String(api.id)}/implementations`,
      { control_plane: {} },
      { invalidRequest: true, expect: 400 },
    );
    assert.deepEqual(cpOnly.body.invalid_parameters, [
      {
        field: 'control_plane.control_plane_id',
        rule: 'required',
        reason: '"control_plane.control_plane_id" is required',
        source: 'body',
      },
    ]);
    await k.api.post(
      `/v3/apis/${MISSING}/implementations`,
      { service: { control_plane_id: CP, id: SVC } },
      { expect: 404 },
    );
    assert.deepEqual(
      (await k.api.get(`/v3/apis/${String(api.id)}/implementations/${String(impl.body.id)}`, { expect: 200 })).body,
      impl.body,
    );
    assert.equal(
      (await k.api.get(`/v3/apis/${String(api.id)}`, { expect: 200 })).body.implementation_mode,
      'gateway_entity',
    );
    const list = await k.api.get(`/v3/api-implementations?filter[api_id][eq]=${String(api.id)}`, { expect: 200 });
    assert.equal(list.body.data.length, 1);
    await k.api.delete(`/v3/apis/${String(api.id)}/implementations/${String(impl.body.id)}`, { expect: 204 });
    await k.api.get(`/v3/apis/${String(api.id)}/implementations/${String(impl.body.id)}`, { expect: 404 });
  });

  it('portals: 201 with a live Portal API listener per portal; list/get/patch; 400/404; delete closes the listener', async () => {
    const p = await k.api.post(
      '/v3/portals',
      { name: 'Developer Portal', auto_approve_applications: true },
      { expect: 201 },
    );
    assert.equal(p.body.display_name, 'Developer Portal');
    assert.equal(p.body.authentication_enabled, true);
    assert.equal(p.body.default_application_auth_strategy_id, null);
    assert.match(p.body.default_domain, /\.kongportals\.localhost$/);
    const url = p.headers.get('x-kdcr-portal-api-url');
    assert.ok(url);
    assert.equal(url, k.emu.portalApiUrl(String(p.body.id)));
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const portalApi = SpecClient.portal(url);
    await portalApi.get('/api/v3/developer/me', { expect: 401 });

    const got = await k.api.get(`/v3/portals/${String(p.body.id)}`, { expect: 200 });
    assert.deepEqual(got.body, p.body);
    assert.equal((await k.api.get('/v3/portals', { expect: 200 })).body.meta.page.total, 1);
    assert.equal(
      (await k.api.get('/v3/portals?filter[name][eq]=Developer Portal', { expect: 200 })).body.data.length,
      1,
    );
    const patched = await k.api.patch(
      `/v3/portals/${String(p.body.id)}`,
      { default_application_auth_strategy_id: keyAuth.id, auto_approve_developers: true },
      { expect: 200 },
    );
    assert.equal(patched.body.default_application_auth_strategy_id, keyAuth.id);
    const dangling = await k.api.patch(
      `/v3/portals/${String(p.body.id)}`,
      { default_application_auth_strategy_id: MISSING },
      { expect: 400 },
    );
    assert.equal(dangling.body.invalid_parameters[0].rule, 'missing_reference');
    await k.api.post(
      '/v3/portals',
      { name: 'x', default_domain: 'mine.example.com', extra: true },
      { invalidRequest: true, expect: 400 },
    );
    await k.api.get(`/v3/portals/${MISSING}`, { expect: 404 });
    await k.api.patch(`/v3/portals/${MISSING}`, { name: 'x' }, { expect: 404 });

    const gone = (await k.api.post('/v3/portals', { name: 'Short-lived' }, { expect: 201 })).body;
    const goneUrl = k.emu.portalApiUrl(String(gone.id));
    await k.api.delete(`/v3/portals/${String(gone.id)}`, { expect: 204 });
    await k.api.delete(`/v3/portals/${String(gone.id)}`, { expect: 404 });
    await assert.rejects(fetch(`${goneUrl}/api/v3/developer/me`), 'the listener of a deleted portal is closed');
  });

  it('publications: PUT 200 (portal default / explicit / null), GET, list with filters incl. auth_strategy_id, DELETE 204', async () => {
    const portal = (
      await k.api.post(
        '/v3/portals',
        { name: 'Pubs', default_application_auth_strategy_id: keyAuth.id },
        { expect: 201 },
      )
    ).body;
    const a1 = (await k.api.post('/v3/apis', { name: 'Pub One' }, { expect: 201 })).body;
    const a2 = (await k.api.post('/v3/apis', { name: 'Pub Two' }, { expect: 201 })).body;
    const a3 = (await k.api.post('/v3/apis', { name: 'Pub Three' }, { expect: 201 })).body;
    const pubPath = (a: Json): string => `/v3/apis/${String(a.id)}/publications/${String(portal.id)}`;

    await k.api.get(pubPath(a1), { expect: 404 });
    const dflt = await k.api.put(pubPath(a1), { visibility: 'public' }, { expect: 200 });
    assert.deepEqual(dflt.body.auth_strategy_ids, [keyAuth.id], 'omitted auth_strategy_ids: the portal default');
    assert.ok(
      Array.isArray(dflt.body.warnings) && dflt.body.warnings.length === 1,
      'warns that the API has no Gateway Service',
    );
    const explicit = await k.api.put(
      pubPath(a2),
      { auth_strategy_ids: [oidc.id], auto_approve_registrations: true },
      { expect: 200 },
    );
    assert.deepEqual(explicit.body.auth_strategy_ids, [oidc.id]);
    assert.equal(explicit.body.visibility, 'private');
    const open = await k.api.put(pubPath(a3), { auth_strategy_ids: null }, { expect: 200 });
    assert.equal(open.body.auth_strategy_ids, null);

    const two = await k.api.put(
      pubPath(a3),
      { auth_strategy_ids: [oidc.id, keyAuth.id] },
      { invalidRequest: true, expect: 400 },
    );
    assert.deepEqual(two.body.invalid_parameters, [
      {
        field: 'auth_strategy_ids',
        rule: 'max_items',
        maximum: 1,
        reason: 'must not have more than 1 items',
        source: 'body',
      },
    ]);
    const dangling = await k.api.put(pubPath(a3), { auth_strategy_ids: [MISSING] }, { expect: 400 });
    assert.equal(dangling.body.invalid_parameters[0].rule, 'missing_reference');
    await k.api.put(`/v3/apis/${MISSING}/publications/${String(portal.id)}`, {}, { expect: 404 });
    await k.api.put(`/v3/apis/${String(a1.id)}/publications/${MISSING}`, {}, { expect: 404 });

    assert.deepEqual((await k.api.get(pubPath(a2), { expect: 200 })).body.auth_strategy_ids, [oidc.id]);
    assert.deepEqual((await k.api.get(`/v3/apis/${String(a2.id)}`, { expect: 200 })).body.portals, [
      { id: portal.id, name: 'Pubs', display_name: 'Pubs' },
    ]);

    const byStrategy = await k.api.get(`/v3/api-publications?filter[auth_strategy_id][eq]=${String(oidc.id)}`, {
      expect: 200,
    });
    assert.deepEqual(
      byStrategy.body.data.map((p: Json) => p.api_id),
      [a2.id],
    );
    assert.equal(byStrategy.body.data[0].entity_type, 'api');
    assert.equal(byStrategy.body.data[0].portal_id, portal.id);
    assert.equal(
      (await k.api.get(`/v3/api-publications?filter[portal_id]=${String(portal.id)}`, { expect: 200 })).body.meta.page
        .total,
      3,
    );
    assert.equal(
      (await k.api.get(`/v3/api-publications?filter[api_name][contains]=two`, { expect: 200 })).body.data.length,
      1,
    );
    const scoped = await k.api.get(`/v3/portals/${String(portal.id)}/api-publications?sort=api_name`, { expect: 200 });
    assert.equal(scoped.body.data[0].api_id, a1.id);
    assert.deepEqual(scoped.body.data[0].portal_ids, [portal.id]);
    await k.api.get('/v3/api-publications?filter[auth_strategy_id][contains]=x', { expect: 400 });
    await k.api.get(`/v3/portals/${MISSING}/api-publications`, { expect: 404 });

    assert.equal(k.emu.store.strategyActive(String(oidc.id)), true);
    await k.api.delete(pubPath(a2), { expect: 204 });
    await k.api.delete(pubPath(a2), { expect: 404 });
    assert.equal(
      (await k.api.get(`/v2/application-auth-strategies/${String(oidc.id)}`, { expect: 200 })).body.active,
      false,
    );
  });

  describe('coverage', () =>
    it('exercised every catalog / portal operation the sandbox serves', () => {
      assertCovered([
        'cat:create-api 201',
        'cat:create-api 400',
        'cat:create-api 401',
        'cat:list-apis 200',
        'cat:list-apis 401',
        'cat:fetch-api 200',
        'cat:fetch-api 404',
        'cat:update-api 200',
        'cat:update-api 404',
        'cat:update-api 409',
        'cat:delete-api 204',
        'cat:delete-api 404',
        'cat:create-api-implementation 201',
        'cat:create-api-implementation 400',
        'cat:create-api-implementation 404',
        'cat:create-api-implementation 409',
        'cat:fetch-api-implementation 200',
        'cat:fetch-api-implementation 404',
        'cat:delete-api-implementation 204',
        'cat:list-api-implementations 200',
        'cat:publish-api-to-portal 200',
        'cat:publish-api-to-portal 400',
        'cat:publish-api-to-portal 404',
        'cat:fetch-publication 200',
        'cat:fetch-publication 404',
        'cat:delete-publication 204',
        'cat:delete-publication 404',
        'cat:list-api-publications 200',
        'cat:list-api-publications 400',
        'cat:list-api-publications 401',
        'cat:list-portal-api-publications 200',
        'cat:list-portal-api-publications 404',
        'pm3:create-portal 201',
        'pm3:create-portal 400',
        'pm3:create-portal 401',
        'pm3:list-portals 200',
        'pm3:get-portal 200',
        'pm3:get-portal 404',
        'pm3:update-portal 200',
        'pm3:update-portal 400',
        'pm3:update-portal 404',
        'pm3:delete-portal 204',
        'pm3:delete-portal 404',
      ]);
    }));
});
