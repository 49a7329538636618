// "DCR Doctor" in the extension host against the whole local sandbox: each broken chain is built in the emulator
// (no service link, both enforcing plugins, wrong issuer, a claim the IdP cannot issue, a pending registration, a
// failing verify) and "Konnect DCR: Diagnose…" names that object first; a healthy chain reports every link green.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KonnectClient } from '../../src/core/api/index';
import type { DoctorReport } from '../../src/core/doctor/types';
import type { Sandbox } from '../../sandbox/index';
import { createApp, publish, setUpFlavour, type FlavourSetup, type Published } from '../../sandbox/scenarios';
import { extensionApi, run, signOutAll, startSignedIn, type Api } from './support/helpers';

const statuses = (r: DoctorReport): string => r.links.map((l) => `${l.id}:${l.status}`).join(' ');
const ALL_PASS =
  'provider:pass idp:pass strategy:pass publication:pass implementation:pass service:pass plugin:pass registration:pass claims:pass';

describe('DCR Doctor against the sandbox', function () {
  this.timeout(120_000);
  let api: Api;
  let sb: Sandbox;
  let konnect: KonnectClient;
  let n = 0;

  before(async () => {
    api = await extensionApi();
    await signOutAll(api);
    ({ sb, konnect } = await startSignedIn('doctor-sandbox'));
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await signOutAll(api);
    await konnect?.close();
    await sb?.stop();
  });
  afterEach(() => assert.equal(api.testing.prompts.clearScript(), 0, 'every scripted answer was used'));

  /** A healthy Kong Identity chain: auth server, provider, strategy, API with a Gateway Service and the plugin. */
  async function chain(
    type: 'kongIdentity' | 'curity' = 'kongIdentity',
  ): Promise<{ setup: FlavourSetup; pub: Published }> {
    n++;
    const setup = await setUpFlavour(sb, konnect, type, `doctor-${n}`);
    const pub = await publish(sb, konnect, setup.strategy.id, `doctor-api-${n}`);
    return { setup, pub };
  }
  const diagnose = (arg: unknown): Promise<DoctorReport> => run<DoctorReport>('konnectDcr.diagnose', arg);
  const implementationOf = async (apiId: string) => {
    const [impl] = await konnect.apiImplementations.listAll({ filter: { api_id: { eq: apiId } } });
    assert.ok(impl && 'service' in impl, 'publish() linked a Gateway Service');
    return impl;
  };

  for (const type of ['kongIdentity', 'curity'] as const)
    it(`a healthy ${type} chain: every link green, from the strategy, the API and the publication`, async () => {
      const { setup, pub } = await chain(type);
      for (const arg of [
        { strategy: setup.strategy.id, show: false },
        { apiId: pub.apiId, show: false },
        { apiId: pub.apiId, portalId: pub.portalId, show: false },
      ]) {
        const r = await diagnose(arg);
        assert.equal(
          statuses(r),
          ALL_PASS,
          JSON.stringify(
            r.links.filter((l) => l.status !== 'pass'),
            null,
            1,
          ),
        );
        assert.equal(r.verdict, 'pass');
        assert.equal(r.culprit, undefined);
      }
    });

  it('no Gateway Service link: names the API first', async () => {
    const { setup, pub } = await chain();
    const impl = await implementationOf(pub.apiId);
    await konnect.apiImplementations.delete(pub.apiId, impl.id);
    const r = await diagnose({ strategy: setup.strategy.name, show: false });
    assert.equal(r.culprit?.link, 'implementation');
    assert.deepEqual(r.culprit?.object, { kind: 'api', name: `doctor-api-${n}`, id: pub.apiId });
    assert.match(r.culprit?.detail ?? '', /not enforced/);
  });

  it('both konnect-application-auth and ace on the control plane: names the ace plugin first', async () => {
    const { pub } = await chain();
    const impl = await implementationOf(pub.apiId);
    const cp = 'service' in impl ? impl.service.control_plane_id : '';
    const ace = await konnect.controlPlaneConfig.createPlugin(cp, { name: 'ace', config: {} });
    const r = await diagnose({ apiId: pub.apiId, show: false });
    assert.equal(r.culprit?.link, 'plugin');
    assert.equal(r.culprit?.object?.kind, 'plugin');
    assert.equal(r.culprit?.object?.id, ace.id);
    // and with neither, the Gateway Service is at fault (nothing enforces the strategy)
    const plugins = await konnect.controlPlaneConfig.listPlugins(cp);
    for (const p of plugins) await konnect.controlPlaneConfig.deletePlugin(cp, p.id);
    const none = await diagnose({ apiId: pub.apiId, show: false });
    assert.equal(none.culprit?.link, 'plugin');
    assert.equal(none.culprit?.object?.kind, 'gatewayService');
  });

  it("wrong issuer: names the strategy first, and the fix opens the strategy's edit form", async () => {
    const { setup } = await chain();
    await konnect.authStrategies.update(setup.strategy.id, {
      configs: { 'openid-connect': { issuer: 'https://wrong.example.com/issuer' } },
    } as never);
    const r = await diagnose({ strategy: setup.strategy.id });
    assert.equal(r.culprit?.link, 'strategy');
    assert.deepEqual(r.culprit?.object, { kind: 'strategy', name: setup.strategy.name, id: setup.strategy.id });
    const link = r.links.find((l) => l.id === 'strategy');
    assert.deepEqual(link?.fixes, [{ kind: 'editStrategy', strategyId: setup.strategy.id }]);
    const form = await run<{ panel?: vscode.WebviewPanel } | undefined>('konnectDcr.diagnose.fix', 'strategy', 0);
    assert.ok(form, 'the edit form opened');
  });

  it('a credential claim the Kong Identity auth server cannot issue: names the strategy first', async () => {
    const { setup } = await chain();
    await konnect.authStrategies.update(setup.strategy.id, {
      configs: { 'openid-connect': { credential_claim: ['employee_number'] } },
    } as never);
    const r = await diagnose({ strategy: setup.strategy.id, show: false });
    assert.equal(r.culprit?.link, 'claims', statuses(r));
    assert.equal(r.culprit?.object?.id, setup.strategy.id);
    assert.match(r.culprit?.detail ?? '', /employee_number/);
  });

  it('a pending registration: names the registration first, says why, and Approve clears it', async () => {
    const { setup, pub } = await chain();
    await konnect.portals.update(pub.portalId, { auto_approve_applications: false });
    await konnect.apiPublications.publish(pub.apiId, pub.portalId, {
      auth_strategy_ids: [setup.strategy.id],
      visibility: 'public',
      auto_approve_registrations: false,
    });
    const app = await createApp(sb, pub.portalApiUrl, setup.strategy.id, `doctor-app-${n}`, pub.apiId);
    const r = await diagnose({ apiId: pub.apiId, portalId: pub.portalId, show: false });
    assert.equal(r.culprit?.link, 'registration', statuses(r));
    assert.equal(r.culprit?.object?.kind, 'registration');
    assert.equal(r.culprit?.object?.name, `doctor-app-${n}`);
    assert.match(r.culprit?.detail ?? '', /does not auto-approve/);
    const fix = r.links.find((l) => l.id === 'registration')?.fixes[0];
    assert.equal(fix?.kind, 'approveRegistration');
    assert.equal(fix && 'applicationId' in fix ? fix.applicationId : '', app.applicationId);
    assert.equal(await run('konnectDcr.diagnose.fix', 'registration', 0), 'approved');
    const again = await diagnose({ apiId: pub.apiId, portalId: pub.portalId, show: false });
    assert.equal(again.verdict, 'pass', statuses(again));
  });

  it('a failing verify: names the DCR provider first, ahead of a later broken link', async () => {
    n++;
    const setup = await setUpFlavour(sb, konnect, 'okta', `doctor-${n}`);
    const pub = await publish(sb, konnect, setup.strategy.id, `doctor-api-${n}`);
    await konnect.dcrProviders.update(setup.provider.id, {
      dcr_config: { dcr_token: 'not-the-okta-api-token' },
    } as never);
    const impl = await implementationOf(pub.apiId);
    await konnect.apiImplementations.delete(pub.apiId, impl.id);
    const r = await diagnose({ strategy: setup.strategy.id, show: false });
    assert.equal(r.culprit?.link, 'provider', statuses(r));
    assert.deepEqual(r.culprit?.object, { kind: 'dcrProvider', name: setup.provider.name, id: setup.provider.id });
    assert.equal(r.links.find((l) => l.id === 'implementation')?.status, 'fail');
  });

  it('the palette quick pick lists strategies, publications and APIs', async () => {
    const { setup } = await chain();
    api.testing.prompts.script({ id: 'doctor.target', answer: setup.strategy.name });
    const r = await diagnose(undefined);
    assert.equal(r.subject.id, setup.strategy.id);
    assert.equal(r.verdict, 'pass', statuses(r));
  });
});
