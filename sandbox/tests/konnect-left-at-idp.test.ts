// A client Konnect created at the IdP and then could not use or remove again must not vanish from sight: the drivers
// roll back what they created, say when the roll-back failed, and the emulator records the client in `leftAtIdp`.
import * as assert from 'node:assert/strict';
import type { KonnectClient } from '../../src/core/api/index';
import { startStubServer, type StubServer } from '../../test/support/stubServer';
import { DcrDriverError, type StoredDcrProvider } from '../contracts';
import { httpDriver, oktaDriver } from '../idp/drivers/drivers';
import { randomUUID } from '../idp/http-util';
import { registrationRequest, requestToken } from '../idp/testing';
import { startSandbox, type Sandbox } from '../index';
import { createApp, konnectClientFor, publish, setUpFlavour, type FlavourSetup, type Published } from '../scenarios';

describe('DCR drivers: a registration answer without a client secret is rolled back', function () {
  let stub: StubServer;
  beforeEach(async () => {
    stub = await startStubServer();
  });
  afterEach(async () => {
    await stub.close();
  });

  const okta = (): StoredDcrProvider => ({
    id: randomUUID(),
    name: 'okta',
    provider_type: 'okta',
    issuer: `${stub.url}/oauth2/default`,
    dcr_config: {},
    secrets: { dcr_token: 'ssws-token-123456' },
  });
  const bridge = (): StoredDcrProvider => ({
    id: randomUUID(),
    name: 'bridge',
    provider_type: 'http',
    issuer: `${stub.url}/idp`,
    dcr_config: { dcr_base_url: `${stub.url}/bridge` },
    secrets: { api_key: 'bridge_key_123456' },
  });

  for (const [name, provider, create, remove] of [
    ['okta', okta, '/oauth2/v1/clients', '/oauth2/v1/clients/new-client'],
    ['http bridge', bridge, '/bridge/', '/bridge/new-client'],
  ] as const) {
    it(`${name}: the client is deleted again; when that is refused, the error names the client left at the IdP`, async () => {
      const driver = name === 'okta' ? oktaDriver : httpDriver;
      stub.on('POST', create, { status: 201, json: { client_id: 'new-client' } });
      stub.on('DELETE', remove, [{ status: 204 }, { status: 500, json: { error: 'server_error' } }]);
      const first = await driver.register(provider(), registrationRequest()).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(first instanceof DcrDriverError);
      assert.match(first.message, /the answer has client new-client but no client_secret/);
      assert.equal(first.leftAtIdp, undefined);
      assert.equal(stub.hits('DELETE', remove), 1, 'rolled back');
      const second = await driver.register(provider(), registrationRequest()).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(second instanceof DcrDriverError);
      assert.match(second.message, /removing client new-client again failed \(.*HTTP 500.*\): it is left at the IdP/);
      assert.equal(second.leftAtIdp?.client_id, 'new-client');
    });
  }
});

describe('emulator: IdP clients it could not remove are recorded, not swallowed', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  let konnect: KonnectClient;
  let azure: FlavourSetup;
  let pub: Published;

  before(async () => {
    sb = await startSandbox();
    konnect = konnectClientFor(sb);
    azure = await setUpFlavour(sb, konnect, 'azureAd', 'left');
    pub = await publish(sb, konnect, azure.strategy.id, 'left-azure');
  });
  after(async () => {
    await konnect?.close();
    await sb?.stop();
  });
  afterEach(() => {
    sb.idp.faults.clear();
    sb.konnect.leftAtIdp.length = 0;
  });

  /** The Azure app ids the Graph was asked to add a password to since `from`. */
  const appIdsSince = (from: number): string[] =>
    sb.idp.requests
      .slice(from)
      .map((r) => /applications\(appId='([^']+)'\)\/addPassword$/.exec(decodeURIComponent(r.path))?.[1])
      .filter((x): x is string => !!x);
  async function graphApp(appId: string): Promise<number> {
    const f = sb.state.flavours.azureAd;
    const tok = await requestToken(f.tokenEndpoint, {
      clientId: f.initialClientId,
      clientSecret: f.initialClientSecret,
      params: { resource: 'https://graph.microsoft.com' },
    });
    const res = await fetch(`${sb.idp.flavours.azureAd.graphUrl}/v1.0/applications(appId='${appId}')`, {
      headers: { authorization: `Bearer ${String(tok.body['access_token'])}` },
    });
    return res.status;
  }

  it('Azure: a registration that fails after the app was created is rolled back: nothing is left', async () => {
    const from = sb.idp.requests.length;
    sb.idp.faults.add({ path: '/addPassword$', method: 'POST', kind: 'status', status: 500, times: 1 });
    await assert.rejects(
      createApp(sb, pub.portalApiUrl, azure.strategy.id, 'left-1'),
      /Unable to create the DCR application: .*HTTP 500/,
    );
    const [appId] = appIdsSince(from);
    assert.ok(appId);
    assert.equal(await graphApp(appId), 404, 'deleted again');
    assert.deepEqual(sb.konnect.leftAtIdp, []);
  });

  it('Azure: when the roll-back is refused too, the application is not created and the Azure app is recorded as left at the IdP', async () => {
    const from = sb.idp.requests.length;
    sb.idp.faults.add({ path: '/addPassword$', method: 'POST', kind: 'status', status: 500, times: 1 });
    sb.idp.faults.add({
      path: "^/azure/graph/v1\\.0/applications\\(appId='[^']+'\\)$",
      method: 'DELETE',
      kind: 'status',
      status: 503,
      times: 1,
    });
    await assert.rejects(createApp(sb, pub.portalApiUrl, azure.strategy.id, 'left-2'), /it is left at the IdP/);
    const [appId] = appIdsSince(from);
    assert.ok(appId);
    assert.equal(await graphApp(appId), 200, 'still there');
    assert.equal(sb.konnect.leftAtIdp.length, 1);
    const left = sb.konnect.leftAtIdp[0]!;
    assert.deepEqual(
      [left.client_id, left.provider_type, left.during, left.application_name],
      [appId, 'azureAd', 'create_application', 'left-2'],
    );
    assert.match(left.reason, /HTTP 503/);
    assert.ok(
      ![...sb.konnect.store.applications.values()].some((a) => a.name === 'left-2'),
      'no application in Konnect',
    );
  });
});
