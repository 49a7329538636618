/**
 * Contract: an admin creates developers, applications and registrations in a portal (Portal Management v3
 * `create-developer`, `create-application`, `create-application-registration`), through the extension's core client
 * over a transport that checks every request and answer against the specs; the emulator checks them again on its
 * side. Covers `dcr_client_id` (an application linked to a client the DCR provider's IdP already has): for Kong
 * Identity the client must exist on the auth server of the provider's issuer, for a driver that can read clients it
 * must exist at the IdP, for one that cannot it is accepted; a linked application's deletion leaves the client alone.
 */
import assert from 'node:assert/strict';
import { KonnectApiError, createKonnectClient, type KonnectClient } from '../../src/core/api/index';
import { TOKEN, type TestKonnect, startTestKonnect } from './support/fakes';
import { assertCovered } from './support/spec-client';
import { type SpecCheckedTransport, specCheckedTransport } from './support/spec-transport';

const MISSING = '5f9fd312-a987-4628-b4c5-bb4f4fddd5f7';

describe('contract: an admin creates developers, applications (dcr_client_id) and registrations', function () {
  this.timeout(60_000);
  let k: TestKonnect;
  let transport: SpecCheckedTransport;
  let konnect: KonnectClient;
  let portalId: string;
  let apiId: string;
  let authServerId: string;
  let kiStrategy: string;
  let oktaStrategy: string;
  let httpStrategy: string;
  let developerId: string;

  const rejects400 = async (p: Promise<unknown>, field: string, reason: RegExp): Promise<void> => {
    await assert.rejects(p, (e: unknown) => {
      assert.ok(e instanceof KonnectApiError, String(e));
      assert.equal(e.status, 400, e.message);
      const found = e.invalidParameters.find((x) => x.field === field);
      assert.ok(found, JSON.stringify(e.invalidParameters));
      assert.match(found.reason, reason);
      return true;
    });
  };

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
    const as = await konnect.identity.authServers.create({ name: 'admin-as', audience: 'https://api.test/admin' });
    authServerId = as.id;
    const oidc = (issuer: string) => ({
      issuer,
      credential_claim: ['client_id'],
      scopes: ['orders:read'],
      auth_methods: ['client_credentials', 'bearer'],
    });
    const strategy = async (name: string, providerId: string, issuer: string) =>
      (
        await konnect.authStrategies.create({
          name,
          display_name: name,
          strategy_type: 'openid_connect',
          dcr_provider_id: providerId,
          configs: { 'openid-connect': oidc(issuer) },
        })
      ).id;
    const ki = await konnect.dcrProviders.create({ name: 'ki', provider_type: 'kongIdentity', issuer: as.issuer });
    kiStrategy = await strategy('ki', ki.id, as.issuer);
    const okta = await konnect.dcrProviders.create({
      name: 'okta',
      provider_type: 'okta',
      issuer: 'https://okta.example.com/oauth2/default',
      dcr_config: { dcr_token: 'okta-dcr-token-contract' },
    });
    oktaStrategy = await strategy('okta', okta.id, okta.issuer);
    const http = await konnect.dcrProviders.create({
      name: 'http',
      provider_type: 'http',
      issuer: 'https://bridge.example.com',
      dcr_config: { dcr_base_url: 'https://bridge.example.com/dcr', api_key: 'bridge_api_key_contract' },
    });
    httpStrategy = await strategy('http', http.id, http.issuer);
    portalId = (await konnect.portals.create({ name: 'Admin create portal', auto_approve_applications: false })).id;
    // one strategy per publication: an API for each
    for (const [i, id] of [kiStrategy, oktaStrategy, httpStrategy].entries()) {
      const api = (await konnect.apis.create({ name: 'Orders', version: `v${i + 1}` })).id;
      await konnect.apiPublications.publish(api, portalId, {
        auth_strategy_ids: [id],
        auto_approve_registrations: false,
      });
      if (i === 0) apiId = api;
    }
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

  it('create-developer: 201 (status given, else the portal auto-approve decides), 409 on a taken email, 400 without one', async () => {
    const dev = await konnect.portalAdmin.createDeveloper(portalId, {
      email: 'prove-admin@example.com',
      full_name: 'Prove admin test developer',
      status: 'approved',
    });
    developerId = dev.id;
    assert.equal(dev.status, 'approved');
    assert.equal((await konnect.portalAdmin.getDeveloper(portalId, dev.id)).email, 'prove-admin@example.com');
    const pending = await konnect.portalAdmin.createDeveloper(portalId, {
      email: 'someone@example.com',
      full_name: 'Someone',
    });
    assert.equal(pending.status, 'pending', 'the portal does not auto-approve developers');
    await assert.rejects(
      konnect.portalAdmin.createDeveloper(portalId, { email: 'PROVE-admin@example.com', full_name: 'again' }),
      (e: unknown) => {
        assert.ok(e instanceof KonnectApiError);
        assert.equal(e.status, 409);
        assert.equal(e.detail, 'Developer with the given email already exists');
        return true;
      },
    );
    const r = await k.api.post(
      `/v3/portals/${portalId}/developers`,
      { full_name: 'no email' },
      { invalidRequest: true, expect: 400 },
    );
    assert.deepEqual(
      r.body.invalid_parameters.map((p: { field: string }) => p.field),
      ['email'],
    );
    await konnect.portalAdmin.deleteDeveloper(portalId, pending.id);
    await assert.rejects(
      konnect.portalAdmin.getDeveloper(portalId, pending.id),
      (e: unknown) => e instanceof KonnectApiError && e.status === 404,
    );
  });

  it('Kong Identity: dcr_client_id links an existing auth-server client; registration approved; deleting the app keeps the client', async () => {
    const client = await konnect.identity.clients.create(authServerId, {
      name: 'admin-owned',
      grant_types: ['client_credentials'],
      response_types: ['token'],
    });
    const app = await konnect.portalAdmin.createApplication(portalId, {
      name: 'linked KI app',
      owner: { type: 'developer', id: developerId },
      auth_strategy_id: kiStrategy,
      dcr_client_id: client.id,
    });
    assert.equal(app.client_id, client.id);
    assert.equal(app.auth_strategy.credential_type, 'client_credentials');
    assert.ok(app.dcr_provider?.id);
    assert.deepEqual(app.owner, { type: 'developer', id: developerId });
    assert.equal('client_secret' in app, false, 'the admin answer carries no secret');
    const reg = await konnect.portalAdmin.createRegistration(portalId, app.id, { api_id: apiId, status: 'approved' });
    assert.equal(reg.status, 'approved', 'the status given wins over the publication (no auto-approve)');
    await assert.rejects(
      konnect.portalAdmin.createRegistration(portalId, app.id, { api_id: apiId }),
      (e: unknown) => e instanceof KonnectApiError && e.status === 409,
    );
    await konnect.portalAdmin.deleteApplication(portalId, app.id);
    assert.equal(
      (await konnect.identity.clients.get(authServerId, client.id)).id,
      client.id,
      'Konnect did not create the client, so it does not delete it',
    );
    await rejects400(
      konnect.portalAdmin.createApplication(portalId, {
        name: 'no such KI client',
        owner: { type: 'developer', id: developerId },
        auth_strategy_id: kiStrategy,
        dcr_client_id: 'not-a-client-of-this-server',
      }),
      'dcr_client_id',
      /does not exist/,
    );
  });

  it('without dcr_client_id Konnect registers a client; deleting the application deletes it', async () => {
    const app = await konnect.portalAdmin.createApplication(portalId, {
      name: 'registered KI app',
      owner: { type: 'developer', id: developerId },
      auth_strategy_id: kiStrategy,
    });
    assert.ok(app.client_id);
    assert.ok(k.emu.store.clients.has(`${authServerId}/${app.client_id}`));
    await konnect.portalAdmin.deleteApplication(portalId, app.id);
    assert.equal(k.emu.store.clients.has(`${authServerId}/${app.client_id}`), false);
  });

  it('another provider: a driver that reads clients checks the id (400 if unknown); one that cannot accepts it', async () => {
    const owned = await k.drivers.okta.register(
      { id: 'x', name: 'x', provider_type: 'okta', issuer: '', dcr_config: {} } as never,
      { application_name: 'owned by the admin' } as never,
    );
    k.drivers.okta.calls.length = 0;
    const app = await konnect.portalAdmin.createApplication(portalId, {
      name: 'linked Okta app',
      owner: { type: 'developer', id: developerId },
      auth_strategy_id: oktaStrategy,
      dcr_client_id: owned.client_id,
    });
    assert.equal(app.client_id, owned.client_id);
    await konnect.portalAdmin.deleteApplication(portalId, app.id);
    assert.deepEqual(
      k.drivers.okta.calls.map((c) => c.method),
      ['clientExists'],
      'looked up, never registered nor deleted',
    );
    assert.ok(k.drivers.okta.clients.has(owned.client_id), "the admin's client is still at the IdP");
    await rejects400(
      konnect.portalAdmin.createApplication(portalId, {
        name: 'unknown Okta client',
        owner: { type: 'developer', id: developerId },
        auth_strategy_id: oktaStrategy,
        dcr_client_id: 'no-such-okta-client',
      }),
      'dcr_client_id',
      /does not exist in the DCR provider/,
    );
    // the http bridge has no way to read a client: accepted as given
    Object.assign(k.drivers.http, { clientExists: undefined });
    const blind = await konnect.portalAdmin.createApplication(portalId, {
      name: 'linked bridge app',
      owner: { type: 'developer', id: developerId },
      auth_strategy_id: httpStrategy,
      dcr_client_id: 'bridge-client-1',
    });
    assert.equal(blind.client_id, 'bridge-client-1');
    await konnect.portalAdmin.deleteApplication(portalId, blind.id);
    assert.equal(
      k.drivers.http.calls.some((c) => c.method === 'deleteClient'),
      false,
    );
  });

  it('create-application: 400 for client_id with DCR, a missing owner, an unknown property, and a taken name', async () => {
    const base = { owner: { type: 'developer' as const, id: developerId }, auth_strategy_id: kiStrategy };
    await rejects400(
      konnect.portalAdmin.createApplication(portalId, { ...base, name: 'with client_id', client_id: 'abc' }),
      'client_id',
      /cannot be set when using Dynamic Client Registration/,
    );
    await rejects400(
      konnect.portalAdmin.createApplication(portalId, {
        name: 'nobody',
        owner: { type: 'developer', id: MISSING },
        auth_strategy_id: kiStrategy,
      }),
      'owner.id',
      /does not exist/,
    );
    const r = await k.api.post(
      `/v3/portals/${portalId}/applications`,
      { name: 'extra', owner: base.owner, my_property: 1 },
      { invalidRequest: true, expect: 400 },
    );
    assert.equal(r.body.invalid_parameters[0].rule, 'unknown_property');
    const noOwner = await k.api.post(
      `/v3/portals/${portalId}/applications`,
      { name: 'no owner' },
      { invalidRequest: true, expect: 400 },
    );
    assert.equal(noOwner.body.invalid_parameters[0].field, 'owner');
    const first = await konnect.portalAdmin.createApplication(portalId, { ...base, name: 'twice' });
    await rejects400(
      konnect.portalAdmin.createApplication(portalId, { ...base, name: 'twice' }),
      'name',
      /already exists/,
    );
    await konnect.portalAdmin.deleteApplication(portalId, first.id);
    // deleting a developer deletes the applications they own
    const owned = await konnect.portalAdmin.createApplication(portalId, { ...base, name: 'owned' });
    await konnect.portalAdmin.deleteDeveloper(portalId, developerId);
    await assert.rejects(
      konnect.portalAdmin.getApplication(portalId, owned.id),
      (e: unknown) => e instanceof KonnectApiError && e.status === 404,
    );
  });

  it('covers the operations admin-mode Prove DCR uses', () => {
    assertCovered([
      'pm3:create-developer 201',
      'pm3:create-developer 400',
      'pm3:create-developer 409',
      'pm3:delete-developer 204',
      'pm3:create-application 201',
      'pm3:create-application 400',
      'pm3:create-application-registration 201',
      'pm3:create-application-registration 409',
      'ki:createAuthServerClient 201',
    ]);
  });
});
