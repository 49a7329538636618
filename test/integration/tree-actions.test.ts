// Every tree action against the sandbox: copy id, details as kongctl YAML, copy YAML, verify (success and failure),
// find, reveal, delete (modal confirmation, 409 explained).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import type { KonnectClient } from '../../src/core/api/index';
import { analyzeConfig } from '../../src/core/config/index';
import type { TreeNode } from '../../src/ui/tree/nodes';
import { extensionApi, find, run, shown, signOutAll, waitFor, type Api, type Shown } from './support/helpers';
import { startTestSandbox, type TestSandbox } from './support/sandbox';
import { seed, type Seeded } from './support/seed';

/** kongctl's tags, read back as plain markers. */
const customTags = [
  { tag: '!ref', resolve: (v: string) => ({ $ref: v }) },
  { tag: '!env', resolve: (v: string) => ({ $env: v }) },
  {
    tag: '!secret',
    collection: 'map' as const,
    resolve: (m: unknown) => ({ $secret: (m as { toJSON(): unknown }).toJSON() }),
  },
];
type Doc = Record<string, Record<string, unknown>[] | undefined>;
const yamlOf = (text: string): Doc => parse(text, { customTags }) as Doc;

async function publishWith(
  client: KonnectClient,
  strategyId: string,
  apiName: string,
  portalName: string,
): Promise<void> {
  const portal = await client.portals.create({ name: portalName });
  const api = await client.apis.create({ name: apiName });
  await client.apiPublications.publish(api.id, portal.id, { auth_strategy_ids: [strategyId] });
}

describe('tree actions', () => {
  let api: Api;
  let sb: TestSandbox;
  let data: Seeded;
  const providerNode = async (name: string): Promise<Shown> => {
    const groups = await shown(api.testing.trees.providers, undefined, 1);
    for (const g of groups) {
      const n = g.children?.find((c) => c.label === name);
      if (n) return n;
    }
    throw new Error(`no provider node "${name}"`);
  };
  const strategyNode = async (name: string): Promise<Shown> =>
    find(await shown(api.testing.trees.strategies, undefined, 1), name);

  before(async () => {
    api = await extensionApi();
    await signOutAll(api);
    sb = await startTestSandbox();
    data = await seed(sb);
    const r = await run<{ ok: boolean; message: string }>('konnectDcr.signIn', {
      name: 'actions',
      baseUrl: sb.konnectUrl,
      token: sb.token,
    });
    assert.equal(r.ok, true, r.message);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await signOutAll(api);
    await sb?.stop();
  });
  afterEach(() => assert.equal(api.testing.prompts.clearScript(), 0, 'every scripted answer was used'));

  it('Copy ID puts the id on the clipboard', async () => {
    const node = await providerNode(data.providers.okta.name);
    const id = await run<string>('konnectDcr.copyId', node.node);
    assert.equal(id, data.providers.okta.id);
    assert.equal(await vscode.env.clipboard.readText(), data.providers.okta.id);
    const strategy = await strategyNode(data.keyAuth.name);
    await run('konnectDcr.copyId', strategy.node);
    assert.equal(await vscode.env.clipboard.readText(), data.keyAuth.id);
  });

  it('Open Details shows a DCR provider as kongctl YAML in a read-only document, secrets only as !secret references', async () => {
    for (const p of Object.values(data.providers)) {
      const uri = await run<string>('konnectDcr.openDetails', (await providerNode(p.name)).node);
      const editor = await waitFor(
        'the details editor',
        () => vscode.window.activeTextEditor?.document.uri.toString() === uri && vscode.window.activeTextEditor,
      );
      const doc = editor.document;
      assert.equal(doc.uri.scheme, 'konnect-dcr');
      assert.equal(doc.languageId, 'yaml');
      const text = doc.getText();
      for (const s of data.secrets) assert.ok(!text.includes(s), `no secret value in the ${p.provider_type} document`);
      const y = yamlOf(text);
      assert.equal(y['application_auth_strategies'], undefined);
      const entry = y['dcr_providers']![0]!;
      const fresh = await sb.client.dcrProviders.get(p.id);
      assert.equal(entry['ref'], p.name);
      assert.equal(entry['name'], fresh.name);
      assert.equal(entry['provider_type'], fresh.provider_type);
      assert.equal(entry['issuer'], fresh.issuer);
      const cfg = (entry['dcr_config'] ?? {}) as Record<string, unknown>;
      for (const [k, v] of Object.entries(fresh.dcr_config as Record<string, unknown>))
        if (v !== null) assert.deepEqual(cfg[k], v, `dcr_config.${k}`);
      const secretField = {
        kongIdentity: undefined,
        auth0: 'initial_client_secret',
        azureAd: 'initial_client_secret',
        curity: 'initial_client_secret',
        okta: 'dcr_token',
        http: 'api_key',
      }[p.provider_type];
      if (secretField)
        assert.deepEqual(cfg[secretField], {
          $secret: { source: { $env: `${p.name}_${secretField}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_') } },
        });
      else assert.equal(entry['dcr_config'], undefined);
      assert.match(text, new RegExp(`id ${p.id}`), 'the header names the id');
      const problems = analyzeConfig(text, { fileName: 'details.kongctl.yaml' }).diagnostics;
      assert.deepEqual(
        problems.filter((d) => d.severity === 'error' || d.code.startsWith('kongctl-')),
        [],
        `${p.provider_type}: loads in the config analyzer`,
      );
    }
  });

  it("an OIDC strategy's details reference its DCR provider with !ref and keep extra openid-connect settings", async () => {
    const s = data.oidc.auth0;
    const uri = await run<string>('konnectDcr.openDetails', (await strategyNode(s.name)).node);
    const text = (await vscode.workspace.openTextDocument(vscode.Uri.parse(uri))).getText();
    const y = yamlOf(text);
    const p = y['dcr_providers']![0]!;
    const st = y['application_auth_strategies']![0]!;
    assert.equal(p['name'], data.providers.auth0.name);
    assert.deepEqual(st['dcr_provider_id'], { $ref: p['ref'] });
    assert.equal(st['strategy_type'], 'openid_connect');
    assert.equal(st['display_name'], s.display_name);
    assert.deepEqual((st['configs'] as Record<string, unknown>)['openid_connect'], {
      issuer: data.providers.auth0.issuer,
      credential_claim: ['client_id'],
      scopes: ['openid', 'payments:read'],
      auth_methods: ['client_credentials', 'bearer'],
      token_post_args_names: ['audience'],
      token_post_args_values: ['https://payments.example.com'],
    });
    const keys = yamlOf(await run<string>('konnectDcr.copyYaml', (await strategyNode(data.keyAuth.name)).node));
    assert.deepEqual(keys['application_auth_strategies']![0]!['configs'], {
      key_auth: { key_names: ['apikey', 'x-api-key'], ttl: { value: 30, unit: 'days' } },
    });
    assert.equal(keys['dcr_providers'], undefined);
  });

  it('Copy as kongctl YAML copies exactly what the details document shows', async () => {
    const node = (await providerNode(data.providers.http.name)).node;
    const copied = await run<string>('konnectDcr.copyYaml', node);
    assert.equal(await vscode.env.clipboard.readText(), copied);
    const uri = await run<string>('konnectDcr.openDetails', node);
    assert.equal((await vscode.workspace.openTextDocument(vscode.Uri.parse(uri))).getText(), copied);
  });

  it("Copy as kongctl YAML turns kongctl's KONGCTL-* labels into kongctl: metadata, so our own lint has nothing to say", async () => {
    const f = sb.state.flavours;
    const p = await sb.client.dcrProviders.create({
      provider_type: 'okta',
      name: 'okta-kongctl-managed',
      issuer: f.okta.issuer,
      dcr_config: { dcr_token: f.okta.dcrToken },
      labels: { 'KONGCTL-namespace': 'payments', 'KONGCTL-protected': 'true', team: 'identity' },
    });
    await run('konnectDcr.refresh', 'catalog');
    const text = await run<string>('konnectDcr.copyYaml', (await providerNode(p.name)).node);
    assert.doesNotMatch(text, /KONGCTL-/);
    const entry = yamlOf(text)['dcr_providers']![0]!;
    assert.deepEqual(
      [entry['labels'], entry['kongctl']],
      [{ team: 'identity' }, { namespace: 'payments', protected: true }],
    );
    assert.deepEqual(analyzeConfig(text, { fileName: 'copied.kongctl.yaml' }).diagnostics, [], 'no problem at all');
    await sb.client.dcrProviders.delete(p.id);
    await run('konnectDcr.refresh', 'catalog');
  });

  it('an open details document follows a refresh', async () => {
    const p = data.providers.curity;
    const uri = vscode.Uri.parse(await run<string>('konnectDcr.openDetails', (await providerNode(p.name)).node));
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.ok(!doc.getText().includes('display_name: Curity, renamed'));
    await sb.client.dcrProviders.update(p.id, { display_name: 'Curity, renamed' });
    await run('konnectDcr.refresh', 'catalog');
    await waitFor('the document to show the new display name', () =>
      doc.getText().includes('display_name: Curity, renamed'),
    );
  });

  it("an auth server's details list its scopes, claims and clients, never a client secret", async () => {
    const server = find(await shown(api.testing.trees.identity, undefined, 1), data.authServer.name);
    const text = await run<string>('konnectDcr.copyYaml', server.node);
    assert.ok(!text.includes(data.clientSecret), 'no client secret');
    // the config file's section (kong_identity_auth_servers); what Konnect computes (issuer, ids) as comments
    const a = (parse(text) as { kong_identity_auth_servers: Record<string, unknown>[] }).kong_identity_auth_servers[0]!;
    assert.equal(a['name'], data.authServer.name);
    assert.ok(text.includes(`# issuer: ${data.authServer.issuer}\n`), text);
    assert.deepEqual(
      (a['scopes'] as { name: string }[]).map((x) => x.name),
      ['payments:read'],
    );
    assert.deepEqual(
      (a['claims'] as { name: string; value: string }[]).map((x) => [x.name, x.value]),
      [['tier', 'gold']],
    );
    // clients are entries now (planned and applied like the rest), their Konnect client_id a comment above each
    assert.deepEqual(
      (a['clients'] as { name: string; grant_types: string[] }[]).map((x) => [x.name, x.grant_types]),
      [['ci-pipeline', ['client_credentials']]],
    );
    assert.match(text, /^ *# client_id \S+ \(Konnect's; its secret is never shown\)\n *- name: ci-pipeline$/m);
    assert.deepEqual(
      analyzeConfig(text, { fileName: 'konnect-dcr.yaml' }).diagnostics,
      [],
      'loads in the config analyzer with no problem',
    );
  });

  it('Verify succeeds for a provider of every type against the sandbox identity providers', async () => {
    for (const p of Object.values(data.providers)) {
      const r = await run<{ status: string; errors: string[]; message: string }>(
        'konnectDcr.verifyProvider',
        (await providerNode(p.name)).node,
      );
      assert.equal(r.status, 'success', `${p.provider_type}: ${r.errors.join('; ')}`);
      assert.match(r.message, /verified: Konnect reached its identity provider/);
      assert.deepEqual(api.testing.prompts.shown.at(-1), {
        severity: 'info',
        message: r.message,
        modal: false,
        items: [],
      });
    }
  });

  it('Verify failure says what is wrong, in plain words, as an error', async () => {
    const f = sb.state.flavours;
    const bad = await sb.client.dcrProviders.create({
      provider_type: 'curity',
      name: 'curity-wrong-secret',
      issuer: f.curity.issuer,
      dcr_config: { initial_client_id: f.curity.initialClientId, initial_client_secret: 'not-the-right-secret' },
    });
    const gone = await sb.client.dcrProviders.create({
      provider_type: 'kongIdentity',
      name: 'ki-unknown-issuer',
      issuer: `${data.authServer.issuer}-nope`,
    });
    await run('konnectDcr.refresh', 'catalog');
    const advice = { [bad.name]: /: check the initial client id and secret\.$/, [gone.name]: /issuer/ };
    for (const p of [bad, gone]) {
      const r = await run<{ status: string; errors: string[]; message: string }>(
        'konnectDcr.verifyProvider',
        (await providerNode(p.name)).node,
      );
      assert.equal(r.status, 'failed', p.name);
      assert.ok(r.errors.length > 0);
      assert.ok(r.message.startsWith(`DCR provider "${p.name}" failed verification: `), r.message);
      assert.match(r.message, advice[p.name]!, 'says what to check');
      for (const e of r.errors)
        assert.ok(r.message.includes(e.replace(/\.$/, '')), `the message carries Konnect's reason "${e}"`);
      const toast = api.testing.prompts.shown.at(-1)!;
      assert.equal(toast.severity, 'error');
      assert.equal(toast.message, r.message);
      assert.ok(!/\n\s+at /.test(toast.message), 'no stack in the toast');
    }
    await sb.client.dcrProviders.delete(bad.id);
    await sb.client.dcrProviders.delete(gone.id);
    await run('konnectDcr.refresh', 'catalog');
  });

  it('Find jumps to a resource by name or by id (quick pick over the loaded model, then reveal)', async () => {
    const okta = await run<TreeNode>('konnectDcr.find', data.providers.okta.name);
    assert.equal(okta.kind, 'provider');
    await waitFor(
      'the provider selected',
      () => api.testing.views['konnectDcr.providers'].selection[0]?.key === okta.key,
    );
    const byId = await run<TreeNode>('konnectDcr.find', data.keyAuth.id);
    assert.equal(byId.kind === 'strategy' && byId.strategy.id, data.keyAuth.id);
    await waitFor(
      'the strategy selected',
      () => api.testing.views['konnectDcr.strategies'].selection[0]?.key === byId.key,
    );
    const scope = await run<TreeNode>('konnectDcr.find', 'payments:read');
    assert.equal(scope.kind, 'scope');
    await waitFor('the scope selected', () => api.testing.views['konnectDcr.identity'].selection[0]?.key === scope.key);
    // ambiguous: a quick pick, answered by label
    api.testing.prompts.script({ id: 'find', answer: data.oidc.curity.name });
    const picked = await run<TreeNode>('konnectDcr.find', 'oidc-');
    assert.equal(picked.kind === 'strategy' && picked.strategy.id, data.oidc.curity.id);
    assert.equal(api.testing.prompts.asked.at(-1)!.kind, 'pick');
  });

  it('Reveal DCR Provider goes from a strategy to its provider in the providers view', async () => {
    const strategy = await strategyNode(data.oidc.okta.name);
    const linked = strategy.children!.find((c) => c.node.kind === 'linkedProvider')!;
    assert.equal(linked.item.command?.command, 'konnectDcr.revealProvider', 'clicking the provider line reveals it');
    const revealed = await run<TreeNode>(linked.item.command!.command, ...(linked.item.command!.arguments ?? []));
    assert.equal(revealed.kind === 'provider' && revealed.provider.id, data.providers.okta.id);
    await waitFor(
      'the provider selected',
      () => api.testing.views['konnectDcr.providers'].selection[0]?.key === revealed.key,
    );
    assert.match(strategy.contextValue, /(^|;)linked(;|$)/, 'the context menu offers it on the strategy too');
  });

  it('Delete asks for a modal confirmation; answering no keeps the provider', async () => {
    const p = await sb.client.dcrProviders.create({
      provider_type: 'kongIdentity',
      name: 'zz-delete-me',
      issuer: data.authServer.issuer,
    });
    await run('konnectDcr.refresh', 'catalog');
    api.testing.prompts.script({ id: 'delete.provider', answer: undefined });
    assert.deepEqual(await run('konnectDcr.delete', (await providerNode(p.name)).node), { deleted: false });
    const asked = api.testing.prompts.asked.at(-1)!;
    assert.deepEqual([asked.kind, asked.modal, asked.text], ['confirm', true, `Delete DCR provider "${p.name}"?`]);
    assert.ok(await sb.client.dcrProviders.get(p.id));

    api.testing.prompts.script({ id: 'delete.provider', answer: 'Delete' });
    const r = await run<{ deleted: boolean }>('konnectDcr.delete', (await providerNode(p.name)).node);
    assert.equal(r.deleted, true);
    await assert.rejects(sb.client.dcrProviders.get(p.id), /404|Not Found/);
    const kinds = await shown(api.testing.trees.providers, undefined, 1);
    assert.ok(!find(kinds, 'Kong Identity').children!.some((c) => c.label === p.name), 'gone from the tree');
  });

  it('Delete of a strategy in use says which API uses it (409 from Konnect)', async () => {
    const s = data.oidc.okta;
    await publishWith(sb.client, s.id, 'Payments API', 'Partner Portal');
    await run('konnectDcr.refresh', 'catalog');
    api.testing.prompts.script({ id: 'delete.strategy', answer: 'Delete' });
    const r = await run<{ deleted: boolean; message: string }>('konnectDcr.delete', (await strategyNode(s.name)).node);
    assert.equal(r.deleted, false);
    assert.match(
      r.message,
      /^Cannot delete auth strategy "oidc-okta": .*API "Payments API".*portal "Partner Portal".*Unpublish/,
    );
    assert.ok(await sb.client.authStrategies.get(s.id), 'still there');
    const toast = api.testing.prompts.shown.at(-1)!;
    assert.deepEqual([toast.severity, toast.modal, toast.message], ['error', false, r.message]);
  });

  it('…and when the 409 does not name the API, looks it up in the API publications', async () => {
    const s = data.oidc.http;
    await publishWith(sb.client, s.id, 'Orders API', 'Internal Portal');
    sb.emulator.faults.add({
      path: `^/v2/application-auth-strategies/${s.id}$`,
      method: 'DELETE',
      kind: 'status',
      status: 409,
      times: 1,
    });
    api.testing.prompts.script({ id: 'delete.strategy', answer: 'Delete' });
    const r = await run<{ deleted: boolean; message: string }>('konnectDcr.delete', (await strategyNode(s.name)).node);
    assert.ok(
      sb.emulator.requests.some((q) => q.method === 'DELETE' && q.fault === 'status' && q.status === 409),
      'the injected 409 answered',
    );
    assert.equal(r.deleted, false);
    assert.match(r.message, /it is used by API "Orders API" published to portal "Internal Portal"/);
    assert.ok(sb.emulator.hits('GET', /^\/v3\/api-publications$/) > 0, 'asked the publications');
  });

  it('Delete of an unused strategy deletes it', async () => {
    api.testing.prompts.script({ id: 'delete.strategy', answer: 'Delete' });
    const r = await run<{ deleted: boolean }>('konnectDcr.delete', (await strategyNode(data.selfManaged.name)).node);
    assert.equal(r.deleted, true);
    assert.ok(!(await shown(api.testing.trees.strategies)).some((x) => x.label === data.selfManaged.name));
  });
});
