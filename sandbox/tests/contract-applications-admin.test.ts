/**
 * Contract: the admin side of a portal's developers, applications and registrations (Portal Management v3), driven
 * through the extension's own core client (`konnect.portalAdmin`) over a transport that checks every request and
 * answer against the specs on the client's side; the emulator checks them again on its side (`specViolations`).
 * Covers the flow settings (auto_approve_developers, auto_approve_applications, default strategy), approving a
 * developer, approve / reject / revoke of a registration, linking and unlinking a Gateway Consumer, deleting an
 * application, and paging 5,000 applications.
 */
import assert from 'node:assert/strict';
import {
  KonnectApiError,
  createKonnectClient,
  createPortalClient,
  type KonnectClient,
  type PortalApplication,
} from '../../src/core/api/index';
import { GatewayConsumerSchema } from '../../src/core/model/portalAdmin';
import { TOKEN, type TestKonnect, startTestKonnect } from './support/fakes';
import { assertCovered } from './support/spec-client';
import { specExample } from './support/spec-validate';
import { type SpecCheckedTransport, specCheckedTransport } from './support/spec-transport';

const CP = 'd32d905a-ed33-46a3-a093-d8f536af9a8a';
const MISSING = '5f9fd312-a987-4628-b4c5-bb4f4fddd5f7';

describe('contract: portal applications and registrations, admin side (core client)', function () {
  this.timeout(60_000);
  let k: TestKonnect;
  let transport: SpecCheckedTransport;
  let konnect: KonnectClient;
  let portalId: string;
  let strategyId: string;
  let keyStrategyId: string;
  let apiA: string;
  let apiB: string;
  let app: PortalApplication;

  before(async () => {
    k = await startTestKonnect();
    transport = specCheckedTransport();
    konnect = createKonnectClient({
      baseUrl: k.emu.url,
      token: TOKEN,
      userAgent: 'konnect-dcr-contract/1',
      transport,
      retry: { maxAttempts: 1 },
    });
    const okta = await konnect.dcrProviders.create(
      specExample('aas', 'DcrProviderOktaCreateRequest') as Parameters<KonnectClient['dcrProviders']['create']>[0],
    );
    strategyId = (
      await konnect.authStrategies.create({
        name: 'okta-dcr',
        display_name: 'Okta DCR',
        strategy_type: 'openid_connect',
        dcr_provider_id: okta.id,
        configs: {
          'openid-connect': {
            issuer: okta.issuer,
            credential_claim: ['client_id'],
            scopes: ['openid', 'orders:read'],
            auth_methods: ['client_credentials', 'bearer'],
          },
        },
      })
    ).id;
    keyStrategyId = (
      await konnect.authStrategies.create({
        name: 'keys',
        display_name: 'API keys',
        strategy_type: 'key_auth',
        configs: { 'key-auth': { key_names: ['apikey'] } },
      })
    ).id;
    portalId = (await konnect.portals.create({ name: 'Admin portal', auto_approve_applications: false })).id;
    apiA = (await konnect.apis.create({ name: 'Orders', version: 'v1' })).id;
    apiB = (await konnect.apis.create({ name: 'Orders', version: 'v2' })).id;
    for (const api of [apiA, apiB]) {
      // one Gateway Service each, in the same control plane (the same Gateway context)
      const service = await konnect.controlPlaneConfig.createService(CP, {
        name: `orders-${api.slice(0, 8)}`,
        host: 'orders.internal',
      });
      await konnect.apiImplementations.create(api, { service: { control_plane_id: CP, id: service.id } });
      await konnect.apiPublications.publish(api, portalId, { auth_strategy_ids: [strategyId] });
    }
    // a developer's DCR application, registered for both APIs (pending: no auto-approve)
    const dev = createPortalClient({ portalUrl: k.emu.portalApiUrl(portalId), userAgent: 'konnect-dcr-contract/1' });
    await dev.authenticate({ username: 'dev@example.com', password: 'kdcr-sandbox-password' });
    const created = await dev.createApplication({
      name: 'Orders app',
      auth_strategy_id: strategyId,
      scopes: ['orders:read'],
    });
    await dev.createRegistration(created.id, { api_id: apiA });
    await dev.createRegistration(created.id, { api_id: apiB });
    await dev.close();
    app = await konnect.portalAdmin.getApplication(portalId, created.id);
  });

  after(async () => {
    await konnect.close();
    await k.stop();
    assert.deepEqual(transport.violations, [], 'requests or answers outside the spec (client side)');
    assert.deepEqual(k.emu.specViolations, [], 'the emulator answered outside the spec');
    assert.deepEqual(
      k.emu.errors.map((e) => e.message),
      [],
    );
  });

  it('portal settings that decide the flow: read, changed and read back', async () => {
    const before = await konnect.portals.get(portalId);
    assert.equal(before.auto_approve_developers, false);
    assert.equal(before.auto_approve_applications, false);
    assert.equal(before.default_application_auth_strategy_id, null);
    const after = await konnect.portals.update(portalId, {
      auto_approve_developers: true,
      auto_approve_applications: true,
      default_application_auth_strategy_id: keyStrategyId,
    });
    assert.deepEqual(
      [after.auto_approve_developers, after.auto_approve_applications, after.default_application_auth_strategy_id],
      [true, true, keyStrategyId],
    );
    const reset = await konnect.portals.update(portalId, {
      auto_approve_developers: false,
      auto_approve_applications: false,
      default_application_auth_strategy_id: null,
    });
    assert.equal(reset.default_application_auth_strategy_id, null);
    await assert.rejects(
      konnect.portals.update(portalId, { default_application_auth_strategy_id: MISSING }),
      (e: unknown) => e instanceof KonnectApiError && e.status === 400,
    );
  });

  it('developers: a pending one is listed by status and approved', async () => {
    const pending = k.emu.store.addDeveloper(portalId, { email: 'new@example.com', status: 'pending' });
    const listed = await konnect.portalAdmin.listDevelopers(portalId, { filter: { status: { eq: 'pending' } } });
    assert.deepEqual(
      listed.data.map((d) => d.email),
      ['new@example.com'],
    );
    const approved = await konnect.portalAdmin.updateDeveloper(portalId, pending.id, { status: 'approved' });
    assert.equal(approved.status, 'approved');
    assert.equal((await konnect.portalAdmin.getDeveloper(portalId, pending.id)).status, 'approved');
    await assert.rejects(
      konnect.portalAdmin.getDeveloper(portalId, MISSING),
      (e: unknown) => e instanceof KonnectApiError && e.status === 404,
    );
  });

  it('an application carries its strategy, DCR provider, client_id, granted scopes and owner', async () => {
    const page = await konnect.portalAdmin.listApplications(portalId, { pageSize: 10 });
    assert.equal(page.meta.page.total, 1);
    const a = page.data[0]!;
    assert.equal(a.name, 'Orders app');
    assert.equal(a.auth_strategy.id, strategyId);
    assert.equal(a.auth_strategy.credential_type, 'client_credentials');
    assert.ok(a.dcr_provider?.id, 'the DCR provider');
    assert.ok(a.client_id, 'the IdP client id');
    assert.deepEqual(a.granted_scopes, ['orders:read']);
    assert.equal(a.owner?.type, 'developer');
    assert.equal(a.registration_count, 2);
  });

  it('registrations: listed per portal by status and per application; approve, reject, revoke', async () => {
    const pending = await konnect.portalAdmin.listRegistrations(portalId, { filter: { status: { eq: 'pending' } } });
    assert.equal(pending.meta.page.total, 2);
    const [r1, r2] = pending.data;
    const approved = await konnect.portalAdmin.setRegistrationStatus(portalId, app.id, r1!.id, 'approved');
    assert.equal(approved.status, 'approved');
    assert.equal(approved.api.version, 'v1');
    const rejected = await konnect.portalAdmin.setRegistrationStatus(portalId, app.id, r2!.id, 'rejected');
    assert.equal(rejected.status, 'rejected');
    const revoked = await konnect.portalAdmin.setRegistrationStatus(portalId, app.id, r1!.id, 'revoked');
    assert.equal(revoked.status, 'revoked');
    const mine = await konnect.portalAdmin.listApplicationRegistrations(portalId, app.id, { sort: 'created_at' });
    assert.deepEqual(
      mine.data.map((r) => r.status),
      ['revoked', 'rejected'],
    );
    await konnect.portalAdmin.setRegistrationStatus(portalId, app.id, r1!.id, 'approved');
    assert.equal(
      (await konnect.portalAdmin.listRegistrations(portalId, { filter: { status: { eq: 'pending' } } })).meta.page
        .total,
      0,
    );
  });

  it('a Gateway Consumer is linked to a registration (shared in its Gateway context) and unlinked', async () => {
    const consumer = await konnect.request({
      method: 'POST',
      path: `/v2/control-planes/${CP}/core-entities/consumers`,
      body: { username: 'orders-app', custom_id: 'orders-app-1' },
      schema: GatewayConsumerSchema,
    });
    const regs = (await konnect.portalAdmin.listApplicationRegistrations(portalId, app.id)).data;
    const [r1, r2] = regs;
    await konnect.portalAdmin.linkConsumer(portalId, app.id, r1!.id, consumer.id);
    const got = await konnect.portalAdmin.getRegistration(portalId, app.id, r1!.id);
    assert.deepEqual(got.consumer, {
      id: consumer.id,
      control_plane_id: CP,
      username: 'orders-app',
      custom_id: 'orders-app-1',
    });
    // the other registration's API is implemented in the same control plane: the same mapping
    assert.equal((await konnect.portalAdmin.getRegistration(portalId, app.id, r2!.id)).consumer?.id, consumer.id);
    const consumers = await konnect.portalAdmin.listConsumers(CP);
    assert.deepEqual(
      consumers.data.map((c) => c.username),
      ['orders-app'],
    );
    await assert.rejects(konnect.portalAdmin.linkConsumer(portalId, app.id, r1!.id, MISSING), (e: unknown) => {
      assert.ok(e instanceof KonnectApiError);
      assert.equal(e.status, 400);
      assert.deepEqual(
        e.invalidParameters.map((p) => [p.field, p.reason]),
        [['id', 'this gateway consumer id does not exist']],
      );
      return true;
    });
    await konnect.portalAdmin.unlinkConsumer(portalId, app.id, r1!.id);
    assert.equal((await konnect.portalAdmin.getRegistration(portalId, app.id, r1!.id)).consumer, undefined);
    await assert.rejects(
      konnect.portalAdmin.unlinkConsumer(portalId, app.id, r1!.id),
      (e: unknown) => e instanceof KonnectApiError && e.status === 404,
    );
  });

  it('5,000 applications page by page[size]/page[number]; the last page is short, one past it empty', async () => {
    const seeded = k.emu.seedApplications({
      portalId,
      strategyId,
      count: 5000,
      developers: 20,
      apiId: apiA,
      statuses: ['approved', 'pending', 'revoked', 'rejected'],
      prefix: 'bulk',
    });
    assert.equal(seeded.applications.length, 5000);
    const first = await konnect.portalAdmin.listApplications(portalId, { pageSize: 100, sort: 'name' });
    assert.equal(first.meta.page.total, 5001);
    assert.equal(first.data.length, 100);
    const last = await konnect.portalAdmin.listApplications(portalId, { pageSize: 100, pageNumber: 51, sort: 'name' });
    assert.equal(last.data.length, 1);
    const none = await konnect.portalAdmin.listApplications(portalId, { pageSize: 100, pageNumber: 52 });
    assert.equal(none.data.length, 0);
    let n = 0;
    const ids = new Set<string>();
    for await (const p of konnect.portalAdmin.pagesOfApplications(portalId, { pageSize: 100 })) {
      n++;
      for (const a of p.data) ids.add(a.id);
    }
    assert.equal(n, 51);
    assert.equal(ids.size, 5001);
    const pending = await konnect.portalAdmin.listRegistrations(portalId, {
      filter: { status: { eq: 'pending' } },
      pageSize: 1,
    });
    assert.equal(pending.meta.page.total, 1250);
  });

  it('deleting an application deletes its registrations; a second delete is a 404', async () => {
    await konnect.portalAdmin.deleteApplication(portalId, app.id);
    await assert.rejects(
      konnect.portalAdmin.getApplication(portalId, app.id),
      (e: unknown) => e instanceof KonnectApiError && e.status === 404,
    );
    await assert.rejects(
      konnect.portalAdmin.deleteApplication(portalId, app.id),
      (e: unknown) => e instanceof KonnectApiError && e.status === 404,
    );
    assert.equal([...k.emu.store.registrations.values()].filter((r) => r.application_id === app.id).length, 0);
  });

  it('covers the operations the admin tree and its actions use', () => {
    assertCovered([
      'pm3:get-portal 200',
      'pm3:update-portal 200',
      'pm3:update-portal 400',
      'pm3:list-portal-developers 200',
      'pm3:update-developer 200',
      'pm3:get-developer 200',
      'pm3:get-developer 404',
      'pm3:list-applications 200',
      'pm3:get-application 200',
      'pm3:get-application 404',
      'pm3:delete-application 204',
      'pm3:delete-application 404',
      'pm3:list-registrations 200',
      'pm3:list-registrations-by-application 200',
      'pm3:get-application-registration 200',
      'pm3:update-application-registration 200',
      'pm3:update-application-registration-consumer 204',
      'pm3:update-application-registration-consumer 400',
      'pm3:delete-application-registration-consumer 204',
      'pm3:delete-application-registration-consumer 404',
      'cpc:create-consumer 201',
      'cpc:list-consumer 200',
    ]);
  });
});
