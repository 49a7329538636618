// Adopt (kongctl's `adopt`) in the extension host against the sandbox: resources made by hand in Konnect (no kongctl
// label) are taken under a config file's management without being recreated. From a tree node's context menu (its
// contextValue matches the manifest's menu) a DCR provider goes into a new *.kongctl.yaml file, from the palette's
// pick its auth strategy goes into the same file, and a Kong Identity auth server into a konnect-dcr*.yaml file. Then
// Plan and Plan Sync of those files: zero creates, zero deletes, zero updates, the same ids; the secret only as a
// !secret reference; Konnect has the KONGCTL-namespace label and nothing else changed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AppAuthStrategy } from '../../src/core/model/authStrategy';
import type { DcrProvider } from '../../src/core/model/dcrProvider';
import type { AdoptOutcome } from '../../src/ui/config/adopt';
import type { PlanOutcome } from '../../src/ui/config/controller';
import { extensionApi, find, run, shown, signOutAll, type Api } from './support/helpers';
import { randomPat, startTestSandbox, type TestSandbox } from './support/sandbox';
import { rememberSecret } from './support/secrets';

const ADOPT = 'konnectDcr.config.adopt';
const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { menus: Record<string, { command: string; when?: string }[]> };
};

describe('config adopt (kongctl adopt) against the sandbox', function () {
  this.timeout(120_000);
  let api: Api;
  let sb: TestSandbox;
  let dir: string;
  let provider: DcrProvider;
  let strategy: AppAuthStrategy;
  const token = rememberSecret(`ssws_${randomPat().slice(5)}`);

  const plan = async (uri: vscode.Uri, sync = false): Promise<PlanOutcome> =>
    run<PlanOutcome>(sync ? 'konnectDcr.config.planSync' : 'konnectDcr.config.plan', uri);
  const noChange = (o: PlanOutcome, ids: readonly string[]): void => {
    const c = o.plan.counts;
    assert.deepEqual(
      { create: c.create, update: c.update, delete: c.delete, conflict: c.conflict },
      { create: 0, update: 0, delete: 0, conflict: 0 },
      o.text,
    );
    assert.deepEqual(
      o.plan.steps
        .filter((s) => s.kind === 'provider' || s.kind === 'strategy' || s.kind === 'authServer')
        .map((s) => `${s.action} ${s.id}`),
      ids.map((id) => `unchanged ${id}`),
      o.text,
    );
  };

  before(async () => {
    api = await extensionApi();
    await signOutAll(api);
    sb = await startTestSandbox();
    const r = await run<{ ok: boolean; message: string }>('konnectDcr.signIn', {
      name: 'adopt-sandbox',
      baseUrl: sb.konnectUrl,
      token: sb.token,
    });
    assert.equal(r.ok, true, r.message);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'a workspace folder is open');
    dir = fs.mkdtempSync(path.join(folder, 'kdcr-adopt-test-'));
    // made by hand in Konnect: no kongctl label
    provider = await sb.client.dcrProviders.create({
      name: 'Adopt Okta',
      provider_type: 'okta',
      issuer: 'https://example.okta.com/oauth2/default',
      dcr_config: { dcr_token: token },
      labels: { team: 'payments' },
    });
    strategy = await sb.client.authStrategies.create({
      name: 'Adopt OIDC',
      display_name: 'Adopt',
      strategy_type: 'openid_connect',
      dcr_provider_id: provider.id,
      configs: {
        'openid-connect': {
          issuer: 'https://example.okta.com/oauth2/default',
          credential_claim: ['client_id'],
          scopes: ['openid'],
          auth_methods: ['client_credentials', 'bearer'],
        },
      },
    });
    await api.testing.model.refresh(['catalog']);
  });
  after(async () => {
    api?.testing.prompts.clearScript();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await signOutAll(api);
    await sb?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("is on the tree's provider, strategy and auth server nodes, and in the palette only while signed in", async () => {
    const menus = manifest.contributes.menus;
    const item = menus['view/item/context']!.find((m) => m.command === ADOPT);
    assert.ok(item?.when, 'a view/item/context entry');
    const viewItem = /viewItem =~ \/(.+)\/$/.exec(item.when)![1]!;
    const re = new RegExp(viewItem);
    const groups = await shown(api.testing.trees.providers, undefined, 1);
    const p = groups.flatMap((g) => g.children ?? []).find((c) => c.label === provider.name)!;
    const s = find(await shown(api.testing.trees.strategies), strategy.name);
    assert.ok(re.test(p.contextValue), p.contextValue);
    assert.ok(re.test(s.contextValue), s.contextValue);
    assert.ok(!re.test('providerGroup') && !re.test('scope;copyable;details') && !re.test('strategyField'));
    assert.equal(menus['commandPalette']!.find((m) => m.command === ADOPT)?.when, 'konnectDcr.signedIn');
  });

  it('a provider from its tree node into a new file, then its strategy from the palette: Plan and Plan Sync change nothing', async () => {
    const groups = await shown(api.testing.trees.providers, undefined, 1);
    const node = groups.flatMap((g) => g.children ?? []).find((c) => c.label === provider.name)!.node;
    api.testing.prompts.script(
      { id: 'config.adopt.file', answer: 'New config file…' },
      { id: 'config.adopt.newFile', answer: `${path.basename(dir)}/adopt-payments.kongctl.yaml` },
      { id: 'config.adopt.namespace', answer: 'Another namespace…' },
      { id: 'config.adopt.otherNamespace', answer: 'payments' },
    );
    const a = await run<AdoptOutcome>(ADOPT, node);
    assert.equal(api.testing.prompts.clearScript(), 0, 'every answer used');
    assert.equal(a.uri.fsPath, path.join(dir, 'adopt-payments.kongctl.yaml'));
    assert.deepEqual([a.kind, a.id, a.ref, a.namespace], ['provider', provider.id, 'adopt-okta', 'payments']);
    assert.deepEqual(a.labels, { team: 'payments', 'KONGCTL-namespace': 'payments' });
    const text = fs.readFileSync(a.uri.fsPath, 'utf8');
    assert.ok(!text.includes(token), 'the DCR token is not in the file');
    assert.match(text, /dcr_token: !secret \{source: !env ADOPT_OKTA_DCR_TOKEN\}/);
    assert.match(text, /\n_defaults:\n {2}kongctl:\n {4}namespace: payments\n/);

    // the palette: a pick among Konnect's resources, into the file just written, in its namespace
    api.testing.prompts.script(
      { id: 'config.adopt.resource', answer: strategy.name },
      { id: 'config.adopt.file', answer: 'adopt-payments.kongctl.yaml' },
      { id: 'config.adopt.namespace', answer: 'payments' },
    );
    const b = await run<AdoptOutcome>(ADOPT);
    assert.equal(api.testing.prompts.clearScript(), 0, 'every answer used');
    assert.deepEqual([b.kind, b.id, b.uri.fsPath], ['strategy', strategy.id, a.uri.fsPath]);
    const both = fs.readFileSync(a.uri.fsPath, 'utf8');
    assert.ok(both.startsWith(text), 'the first entry is kept as written');
    assert.match(both, /dcr_provider_id: !ref adopt-okta\n/);

    noChange(await plan(a.uri), [provider.id, strategy.id]);
    noChange(await plan(a.uri, true), [provider.id, strategy.id]);
    // nothing recreated, nothing else changed in Konnect
    const providers = await sb.client.dcrProviders.listAll();
    assert.deepEqual(
      providers.filter((p) => p.name === provider.name).map((p) => p.id),
      [provider.id],
    );
    const after = await sb.client.authStrategies.get(strategy.id);
    assert.deepEqual(after.labels, { 'KONGCTL-namespace': 'payments' });
    assert.deepEqual(after.configs, strategy.configs);
    assert.equal(after.dcr_provider?.id, provider.id);
  });

  it('refuses a resource the file already has, and one of another namespace unless overwritten', async () => {
    const file = vscode.Uri.file(path.join(dir, 'adopt-payments.kongctl.yaml'));
    const before = fs.readFileSync(file.fsPath, 'utf8');
    api.testing.prompts.script(
      { id: 'config.adopt.file', answer: 'adopt-payments.kongctl.yaml' },
      { id: 'config.adopt.namespace', answer: 'payments' },
    );
    await run(ADOPT, { kind: 'provider', id: provider.id });
    assert.equal(api.testing.prompts.clearScript(), 0);
    assert.ok(
      api.testing.prompts.shown.some(
        (m) => m.severity === 'error' && /already has the DCR provider "Adopt Okta"/.test(m.message),
      ),
      JSON.stringify(api.testing.prompts.shown.slice(-2)),
    );
    assert.equal(fs.readFileSync(file.fsPath, 'utf8'), before, 'the file is as it was');

    api.testing.prompts.script(
      { id: 'config.adopt.file', answer: 'New config file…' },
      { id: 'config.adopt.newFile', answer: `${path.basename(dir)}/other.kongctl.yaml` },
      { id: 'config.adopt.namespace', answer: 'default' },
      { id: 'config.adopt.overwriteNamespace', answer: undefined },
    );
    assert.equal(await run(ADOPT, { kind: 'provider', id: provider.id }), undefined, 'declined');
    assert.equal(api.testing.prompts.clearScript(), 0);
    assert.ok(!fs.existsSync(path.join(dir, 'other.kongctl.yaml')), 'nothing written');
    assert.equal((await sb.client.dcrProviders.get(provider.id)).labels?.['KONGCTL-namespace'], 'payments');
  });

  it('a Kong Identity auth server with its scopes and claims into a konnect-dcr file: Plan changes nothing', async () => {
    const as = await sb.client.identity.authServers.create({ name: 'Adopt IdP', audience: 'adopt' });
    const scope = await sb.client.identity.scopes.create(as.id, { name: 'adopt:read' });
    await sb.client.identity.claims.create(as.id, { name: 'team', value: 'payments', include_in_scopes: [scope.id] });
    api.testing.prompts.script(
      { id: 'config.adopt.resource', answer: 'Adopt IdP' },
      { id: 'config.adopt.file', answer: 'New config file…' },
      { id: 'config.adopt.newFile', answer: `${path.basename(dir)}/konnect-dcr.identity.yaml` },
    );
    const a = await run<AdoptOutcome>(ADOPT);
    assert.equal(api.testing.prompts.clearScript(), 0);
    assert.equal(a.namespace, undefined);
    assert.deepEqual(a.labels, {}, 'not labelled: kongctl has no Kong Identity resource');
    const text = fs.readFileSync(a.uri.fsPath, 'utf8');
    assert.match(text, /kong_identity_auth_servers:\n {2}- ref: adopt-idp\n/);
    const o = await plan(a.uri);
    noChange(o, [as.id]);
    assert.deepEqual(
      o.plan.steps.map((s) => `${s.action} ${s.kind} ${s.name}`),
      ['unchanged authServer Adopt IdP', 'unchanged scope adopt:read', 'unchanged claim team'],
    );
  });
});
