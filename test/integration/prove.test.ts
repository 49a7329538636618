// "Prove DCR" in the extension host against the whole local sandbox (Konnect emulator, the six IdP flavours, the
// JWT-checking gateway), driven through its command: for every provider flavour set up as the seeds do, all seven
// steps pass; then a sandbox set up wrong fails at the right step with the right explanation.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { KonnectClient } from '../../src/core/api/index';
import type { ProveReport, StepId } from '../../src/core/prove/types';
import type { ProveViewModel } from '../../src/shared/prove/protocol';
import type { Sandbox } from '../../sandbox/index';
import { PROVIDER_TYPES, publish, setUpFlavour } from '../../sandbox/scenarios';
import { extensionApi, run, signOutAll, startSignedIn, waitFor, type Api } from './support/helpers';
import { rememberSecret } from './support/secrets';

type Report = Omit<ProveReport, 'accessToken'>;
const statuses = (r: Report): string => r.steps.map((s) => `${s.id}:${s.status}`).join(' ');
const step = (r: Report, id: StepId) => r.steps.find((s) => s.id === id)!;
const ALL_PASS = 'verify:pass publication:pass application:pass token:pass claims:pass gateway:pass cleanup:pass';

describe('Prove DCR against the sandbox', function () {
  this.timeout(120_000);
  let api: Api;
  let sb: Sandbox;
  let konnect: KonnectClient;

  before(async () => {
    api = await extensionApi();
    await signOutAll(api);
    ({ sb, konnect } = await startSignedIn('prove-sandbox'));
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await signOutAll(api);
    await konnect?.close();
    await sb?.stop();
  });
  afterEach(() => assert.equal(api.testing.prompts.clearScript(), 0, 'every scripted answer was used'));

  const appsLeft = (): number => sb.konnect.store.applications.size;

  for (const [i, type] of PROVIDER_TYPES.entries()) {
    it(`passes all seven steps for a ${type} strategy published on an API`, async () => {
      const setup = await setUpFlavour(sb, konnect, type, `prove-${type}`);
      const pub = await publish(sb, konnect, setup.strategy.id, `prove-api-${type}`);
      const before = appsLeft();
      if (i === 0) {
        // the first run asks for the test developer (kept in SecretStorage) and this API's gateway route (kept too)
        api.testing.prompts.script(
          { id: 'prove.mode', answer: 'As a test developer' },
          { id: 'prove.developerEmail', answer: sb.state.developer.email },
          { id: 'prove.developerPassword', answer: sb.state.developer.password },
          { id: 'prove.gatewayUrl', answer: `${sb.state.gatewayUrl}/${pub.slug}/anything` },
        );
      }
      // the tree's strategy node is what the context menu hands over; later runs pass the gateway's base URL
      const report = await run<Report>(
        'konnectDcr.prove',
        i === 0 ? setup.strategy : { strategy: setup.strategy.name, gatewayUrl: sb.state.gatewayUrl },
      );
      assert.equal(
        statuses(report),
        ALL_PASS,
        JSON.stringify(
          report.steps.filter((s) => s.status !== 'pass'),
          null,
          1,
        ),
      );
      assert.equal(report.verdict, 'pass');
      assert.equal(report.publication?.apiId, pub.apiId);
      assert.equal(
        report.publication?.portalUrl,
        pub.portalApiUrl,
        'the sandbox portal URL came from the x-kdcr-portal-api-url header',
      );
      assert.equal(report.gatewayUrl, `${sb.state.gatewayUrl}/${pub.slug}/anything`);
      assert.deepEqual(
        report.token?.checks.filter((c) => c.status === 'fail'),
        [],
      );
      assert.ok(report.token?.checks.some((c) => c.id === 'credential_claim' && c.status === 'pass'));
      assert.match(step(report, 'gateway').detail, /answered 200/);
      for (const s of report.steps) assert.ok(s.ms >= 0 && Number.isInteger(s.ms), `${s.id} has a time`);
      assert.equal(report.application?.kept, false);
      assert.equal(appsLeft(), before, 'the test application was deleted');
      assert.equal((report as { accessToken?: unknown }).accessToken, undefined, 'the command returns no token');
      assert.equal(
        (report.application as { clientSecret?: unknown } | undefined)?.clientSecret,
        undefined,
        'nor the client secret',
      );
      if (i === 0) {
        const asked = api.testing.prompts.asked.map((a) => a.id);
        assert.ok(asked.includes('prove.developerPassword'));
        assert.equal(
          api.testing.prompts.asked.find((a) => a.id === 'prove.developerPassword')?.password,
          true,
          'the password box hides what is typed',
        );
      }
    });
  }

  it('asks nothing the second time on the same API: the developer and the route are kept', async () => {
    const setup = await setUpFlavour(sb, konnect, 'kongIdentity', 'prove-again');
    const pub = await publish(sb, konnect, setup.strategy.id, 'prove-again-api');
    const n0 = api.testing.prompts.asked.length;
    api.testing.prompts.script({ id: 'prove.gatewayUrl', answer: `${sb.state.gatewayUrl}/${pub.slug}/anything` });
    const first = await run<Report>('konnectDcr.prove', setup.strategy.id);
    assert.equal(first.verdict, 'pass');
    assert.deepEqual(
      api.testing.prompts.asked.slice(n0).map((a) => a.id),
      ['prove.gatewayUrl'],
      "only the new API's route is asked",
    );
    const n1 = api.testing.prompts.asked.length;
    const again = await run<Report>('konnectDcr.prove', setup.strategy.id);
    assert.equal(again.verdict, 'pass');
    assert.deepEqual(
      api.testing.prompts.asked.slice(n1).map((a) => a.id),
      [],
      'nothing is asked again',
    );
  });

  it('shows the report view with every step, the decoded token and its checks', async () => {
    const model = await run<ProveViewModel>('konnectDcr.prove.showLast');
    assert.equal(model.verdict, 'pass');
    assert.deepEqual(
      model.steps.map((s) => s.status),
      ['pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass'],
    );
    assert.ok(model.token && model.token.checks.length >= 3);
    assert.ok(model.token.expires, 'expiry in local time');
    assert.equal(JSON.stringify(model).includes(sb.state.developer.password), false, 'no password in the view');
    await waitFor('the report tab', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label.startsWith('Prove DCR:')),
    );
  });

  it('a DCR provider whose credential the IdP refuses: step 1 fails with the reason; no application is made', async () => {
    const setup = await setUpFlavour(sb, konnect, 'okta', 'prove-badtoken');
    await publish(sb, konnect, setup.strategy.id, 'prove-badtoken-api');
    rememberSecret('not-the-dcr-token-000');
    await konnect.dcrProviders.update(setup.provider.id, { dcr_config: { dcr_token: 'not-the-dcr-token-000' } });
    const before = appsLeft();
    const report = await run<Report>('konnectDcr.prove', {
      strategy: setup.strategy.id,
      gatewayUrl: sb.state.gatewayUrl,
      show: false,
    });
    assert.equal(report.failedStep, 'verify');
    assert.equal(
      statuses(report),
      'verify:fail publication:skip application:skip token:skip claims:skip gateway:skip cleanup:skip',
    );
    assert.match(step(report, 'verify').detail, /failed verification/);
    assert.equal(
      step(report, 'verify').explanation?.findings[0]?.rule,
      'verify.credentials',
      JSON.stringify(step(report, 'verify')),
    );
    assert.match(step(report, 'verify').explanation!.findings[0]!.text, /DCR token \(dcr_token\)/);
    assert.equal(appsLeft(), before);
    const warned = api.testing.prompts.shown.at(-1);
    assert.match(warned?.message ?? '', /failed at step 1 \(DCR provider verifies\)/);
  });

  it('a strategy not published anywhere: step 2 says so and how to publish it', async () => {
    const setup = await setUpFlavour(sb, konnect, 'curity', 'prove-unpublished');
    const report = await run<Report>('konnectDcr.prove', { strategy: setup.strategy.id, show: false });
    assert.equal(report.failedStep, 'publication');
    assert.match(step(report, 'publication').detail, /is not published on any API/);
    assert.equal(step(report, 'publication').explanation?.findings[0]?.rule, 'publication.none');
    assert.match(
      step(report, 'publication').explanation!.findings[0]!.text,
      new RegExp(`auth_strategy_ids: \\["${setup.strategy.id}"\\]`),
    );
    assert.match(statuses(report), /application:skip token:skip claims:skip gateway:skip cleanup:skip$/);
  });

  it('several publications: the user picks the API and portal to prove on', async () => {
    const setup = await setUpFlavour(sb, konnect, 'http', 'prove-two');
    const a = await publish(sb, konnect, setup.strategy.id, 'prove-two-a');
    const b = await publish(sb, konnect, setup.strategy.id, 'prove-two-b');
    api.testing.prompts.script({ id: 'prove.publication', answer: 'prove-two-b v1' });
    const report = await run<Report>('konnectDcr.prove', {
      strategy: setup.strategy.id,
      gatewayUrl: sb.state.gatewayUrl,
      show: false,
    });
    assert.equal(report.verdict, 'pass');
    assert.equal(report.publication?.apiId, b.apiId);
    assert.notEqual(report.publication?.apiId, a.apiId);
  });

  it('a credential claim the IdP does not issue: the app is registered but step 5 names the missing claim; the gateway refuses', async () => {
    const setup = await setUpFlavour(sb, konnect, 'http', 'prove-claim');
    const cfg =
      setup.strategy.strategy_type === 'openid_connect' ? setup.strategy.configs['openid-connect'] : undefined;
    const strategy = await konnect.authStrategies.create({
      name: 'prove-claim-missing',
      display_name: 'claim missing',
      strategy_type: 'openid_connect',
      dcr_provider_id: setup.provider.id,
      configs: {
        'openid-connect': {
          issuer: cfg!.issuer,
          credential_claim: ['tenant_ref'],
          scopes: cfg!.scopes,
          auth_methods: ['client_credentials', 'bearer'],
        },
      },
    });
    await publish(sb, konnect, strategy.id, 'prove-claim-api');
    const before = appsLeft();
    const report = await run<Report>('konnectDcr.prove', {
      strategy: strategy.id,
      gatewayUrl: sb.state.gatewayUrl,
      show: false,
    });
    assert.equal(report.failedStep, 'claims', statuses(report));
    assert.equal(
      statuses(report),
      'verify:pass publication:pass application:pass token:pass claims:fail gateway:fail cleanup:pass',
    );
    assert.match(step(report, 'application').detail, /registration for "prove-claim-api" approved/);
    const f = step(report, 'claims').explanation!.findings[0]!;
    assert.equal(f.rule, 'claims.credential_claim');
    assert.match(f.text, /no `tenant_ref` claim/);
    assert.match(f.text, /This token has `client_id`/);
    assert.match(step(report, 'gateway').detail, /answered 40[13]/);
    assert.ok(
      step(report, 'gateway').explanation?.findings.some((x) => /tenant_ref/.test(x.text)),
      JSON.stringify(step(report, 'gateway').explanation),
    );
    assert.equal(appsLeft(), before, 'cleaned up after the failure');
  });

  it('a registration waiting for approval: the gateway answers 403 and the report says why', async () => {
    const setup = await setUpFlavour(sb, konnect, 'kongIdentity', 'prove-pending');
    const apiRes = await konnect.apis.create({ name: 'prove-pending-api', version: 'v1' });
    const portal = await konnect.portals.create({ name: 'prove-pending-portal', auto_approve_applications: false });
    await konnect.apiPublications.publish(apiRes.id, portal.id, {
      auth_strategy_ids: [setup.strategy.id],
      visibility: 'public',
      auto_approve_registrations: false,
    });
    const report = await run<Report>('konnectDcr.prove', {
      strategy: setup.strategy.id,
      gatewayUrl: sb.state.gatewayUrl,
    });
    assert.equal(report.failedStep, 'gateway', statuses(report));
    assert.match(step(report, 'application').detail, /pending: an admin must approve it/);
    assert.match(step(report, 'gateway').detail, /answered 403 Forbidden/);
    assert.equal(step(report, 'gateway').explanation?.findings[0]?.rule, 'gw.pending');
    const model = await run<ProveViewModel>('konnectDcr.prove.showLast');
    assert.equal(model.verdict, 'fail');
    assert.deepEqual(model.failed, { index: 6, title: 'Gateway accepts the token' });
    assert.ok(
      model.steps[5]?.explanation?.summary.startsWith("403: The application's registration"),
      model.steps[5]?.explanation?.summary,
    );
  });

  it('runs on the kongctl YAML entry under the cursor (application_auth_strategies)', async () => {
    const setup = await setUpFlavour(sb, konnect, 'curity', 'prove-yaml');
    const pub = await publish(sb, konnect, setup.strategy.id, 'prove-yaml-api');
    api.testing.prompts.script({ id: 'prove.gatewayUrl', answer: `${sb.state.gatewayUrl}/${pub.slug}/anything` });
    const text = [
      'dcr_providers:',
      `  - ref: p1`,
      `    name: ${setup.provider.name}`,
      'application_auth_strategies:',
      '  - ref: s1',
      `    name: ${setup.strategy.name}`,
      '    strategy_type: openid_connect',
      '',
    ].join('\n');
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: text });
    const report = await run<Report>('konnectDcr.prove', doc.uri, 6);
    assert.equal(report.strategy.id, setup.strategy.id);
    assert.equal(report.verdict, 'pass', statuses(report));
    // from the editor's context menu: only the file comes, the cursor says which entry
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(5, 4, 5, 4);
    const viaMenu = await run<Report>('konnectDcr.prove', doc.uri, { show: false });
    assert.equal(viaMenu.strategy.id, setup.strategy.id);
    // a line outside the strategies: said plainly
    assert.equal(await run('konnectDcr.prove', doc.uri, 1), undefined);
    assert.match(api.testing.prompts.shown.at(-1)?.message ?? '', /not on an entry of application_auth_strategies/);
  });

  it('"keep": the test application stays in the portal and the report says so', async () => {
    const setup = await setUpFlavour(sb, konnect, 'kongIdentity', 'prove-keep');
    await publish(sb, konnect, setup.strategy.id, 'prove-keep-api');
    const before = appsLeft();
    const report = await run<Report>('konnectDcr.prove', {
      strategy: setup.strategy.id,
      gatewayUrl: sb.state.gatewayUrl,
      keepApp: true,
      show: false,
    });
    assert.equal(report.verdict, 'pass');
    assert.equal(step(report, 'cleanup').status, 'skip');
    assert.match(step(report, 'cleanup').detail, /^Kept as asked/);
    assert.equal(report.application?.kept, true);
    assert.equal(appsLeft(), before + 1);
    // the kept application's credentials went to the request runner's secret storage: its requests ask for nothing
    const n = api.testing.prompts.asked.length;
    // written to a temp folder: the workspace is the repository's fixture folder, which a test must leave as it was
    const target = vscode.Uri.file(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kdcr-prove-')), 'prove-keep.http'));
    const uri = await run<vscode.Uri>('konnectDcr.runner.createValidationRequests', setup.strategy, {
      gatewayUrl: report.gatewayUrl,
      open: false,
      target,
    });
    assert.ok(uri, 'validation requests written');
    assert.deepEqual(
      api.testing.prompts.asked.slice(n).map((a) => a.id),
      [],
      'no client id or secret asked',
    );
    assert.match(
      (await vscode.workspace.openTextDocument(uri)).getText(),
      new RegExp(`secret strategy\\.${setup.strategy.id}\\.clientSecret`),
    );
    // its secret (never returned by the command) is one the secret scan (secret-scan) must not find anywhere
    const client = sb.konnect.store.clients.get(`${setup.authServerId}/${report.application.clientId}`);
    assert.ok(client?.secrets[0]?.secret, 'the Kong Identity client of the kept application');
    rememberSecret(client.secrets[0].secret);
  });
});
