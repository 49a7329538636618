// Kong Identity from the editor, in the extension host against the local sandbox: auth servers, scopes and claims
// created, edited and deleted through the commands (their prompts scripted, their tree nodes as arguments), a
// kongIdentity DCR provider from an auth server (the provider form, issuer filled in), and the guided setup taking
// an empty sandbox to a passing Prove DCR.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { KonnectClient } from '../../src/core/api/index';
import type { AuthServer, Claim, Client, Scope } from '../../src/core/model/kongIdentity';
import type { ProveReport } from '../../src/core/prove/types';
import type { FormHandle } from '../../src/ui/webviews/index';
import type { ApplyOutcome } from '../../src/ui/config/controller';
import type { ClaimPreviewOutcome, NewClientOutcome } from '../../src/ui/identity/flows';
import type { Sandbox } from '../../sandbox/index';
import { extensionApi, find, run, shown, signOutAll, startSignedIn, type Api } from './support/helpers';
import { rememberSecret } from './support/secrets';

describe('Kong Identity from the editor', function () {
  this.timeout(60_000);
  let api: Api;
  let sb: Sandbox;
  let konnect: KonnectClient;
  let server: AuthServer;

  before(async () => {
    api = await extensionApi();
    await signOutAll(api);
    ({ sb, konnect } = await startSignedIn('identity-sandbox'));
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await signOutAll(api);
    await konnect?.close();
    await sb?.stop();
  });
  afterEach(() => assert.equal(api.testing.prompts.clearScript(), 0, 'every scripted answer was used'));

  const serverNode = async (name: string) => find(await shown(api.testing.trees.identity), name).node;

  it('"New Kong Identity Auth Server…" asks name, audience (prefilled) and description, and the tree shows it', async () => {
    api.testing.prompts.script(
      { id: 'identity.authServer.name', answer: 'orders-auth' },
      { id: 'identity.authServer.audience', answer: 'https://orders.example.com' },
      { id: 'identity.authServer.description', answer: 'tokens for the orders API' },
    );
    server = await run<AuthServer>('konnectDcr.identity.newAuthServer');
    assert.equal(server.name, 'orders-auth');
    const stored = await konnect.identity.authServers.get(server.id);
    assert.equal(stored.audience, 'https://orders.example.com');
    assert.equal(stored.description, 'tokens for the orders API');
    assert.ok(server.issuer.startsWith('http'));
    const node = await serverNode('orders-auth');
    assert.equal(node.kind, 'authServer');
  });

  it('"Edit Auth Server…" changes the field picked, and only that field', async () => {
    api.testing.prompts.script(
      { id: 'identity.authServer.field', answer: 'Audience' },
      { id: 'identity.authServer.audience', answer: 'https://orders.example.com/v2' },
    );
    const updated = await run<AuthServer>('konnectDcr.identity.editAuthServer', await serverNode('orders-auth'));
    assert.equal(updated.audience, 'https://orders.example.com/v2');
    assert.equal(updated.description, 'tokens for the orders API');
    const viaArgs = await run<AuthServer>('konnectDcr.identity.editAuthServer', {
      authServerId: server.id,
      values: { signing_algorithm: 'PS256' },
    });
    assert.equal(viaArgs.signing_algorithm, 'PS256');
    assert.equal((await konnect.identity.authServers.get(server.id)).signing_algorithm, 'PS256');
  });

  it('"Add Scope…" on an auth server: the openid preset, then a custom scope from the Scopes group', async () => {
    api.testing.prompts.script(
      { id: 'identity.scope.preset', answer: 'openid' },
      { id: 'identity.scope.description', answer: '' },
    );
    const openid = await run<Scope>('konnectDcr.identity.newScope', await serverNode('orders-auth'));
    assert.equal(openid.name, 'openid');
    assert.equal(openid.enabled, true);
    const groups = await shown(api.testing.trees.identity, await serverNode('orders-auth'));
    const scopes = find(groups, 'Scopes');
    assert.equal(scopes.description, '1');
    api.testing.prompts.script(
      { id: 'identity.scope.preset', answer: 'Custom scope…' },
      { id: 'identity.scope.name', answer: 'orders:read' },
      { id: 'identity.scope.description', answer: 'read orders' },
    );
    const custom = await run<Scope>('konnectDcr.identity.newScope', scopes.node);
    assert.deepEqual([custom.name, custom.description], ['orders:read', 'read orders']);
    const names = (await konnect.identity.scopes.listAll(server.id)).map((s) => s.name).sort();
    assert.deepEqual(names, ['openid', 'orders:read']);
  });

  it('a scope name with a space is refused before anything is sent', async () => {
    const r = await run('konnectDcr.identity.newScope', { authServerId: server.id, values: { name: 'orders read' } });
    assert.equal(r, undefined, 'the error boundary reported it');
    assert.match(api.testing.prompts.shown.at(-1)?.message ?? '', /has no spaces/);
    assert.equal((await konnect.identity.scopes.listAll(server.id)).length, 2);
  });

  it('"Edit Scope…" toggles a flag picked from the list', async () => {
    const scope = (await konnect.identity.scopes.listAll(server.id)).find((s) => s.name === 'orders:read')!;
    assert.equal(scope.default, false);
    const node = { kind: 'scope', key: 'k', authServer: server, scope };
    api.testing.prompts.script({ id: 'identity.scope.field', answer: 'Default' });
    const updated = await run<Scope>('konnectDcr.identity.editScope', node);
    assert.equal(updated.default, true);
    assert.equal((await konnect.identity.scopes.get(server.id, scope.id)).default, true);
  });

  it('"Add Claim…" with the client_id preset puts it in every token; "Edit Claim…" changes its value', async () => {
    api.testing.prompts.script({ id: 'identity.claim.preset', answer: 'client_id' });
    const claim = await run<Claim>('konnectDcr.identity.newClaim', { authServerId: server.id });
    assert.deepEqual(
      [claim.name, claim.value, claim.include_in_token, claim.include_in_all_scopes],
      ['client_id', '${ .Client.ID }', true, true],
    );
    api.testing.prompts.script(
      { id: 'identity.claim.field', answer: 'Value' },
      { id: 'identity.claim.value', answer: '${ .Client.Name }' },
      { id: 'identity.claim.save', answer: 'Save claim' },
    );
    const edited = await run<Claim>('konnectDcr.identity.editClaim', {
      kind: 'claim',
      key: 'k',
      authServer: server,
      claim,
    });
    assert.equal(edited.value, '${ .Client.Name }');
    api.testing.prompts.script(
      { id: 'identity.claim.preset', answer: 'Custom claim…' },
      { id: 'identity.claim.name', answer: 'tenant' },
      { id: 'identity.claim.value', answer: 'acme' },
      { id: 'identity.claim.save', answer: 'Save claim' },
    );
    const custom = await run<Claim>('konnectDcr.identity.newClaim', { authServerId: server.id });
    assert.deepEqual([custom.name, custom.value], ['tenant', 'acme']);
  });

  it('"Preview Claim…" from a claim node shows the value test-claim renders for the picked client; an invalid template shows Konnect\'s message', async () => {
    const app = await konnect.identity.clients.create(server.id, {
      name: 'preview-app',
      grant_types: ['client_credentials'],
      response_types: ['token'],
      labels: { tenant: 'acme' },
    });
    try {
      const claim = (await konnect.identity.claims.listAll(server.id)).find((c) => c.name === 'client_id')!;
      assert.equal(claim.value, '${ .Client.Name }');
      api.testing.prompts.script({ id: 'identity.preview.client', answer: 'preview-app' });
      const out = await run<ClaimPreviewOutcome>('konnectDcr.identity.previewClaim', {
        kind: 'claim',
        key: 'k',
        authServer: server,
        claim,
      });
      // what the emulator computes for that client, asked directly
      const expected = await konnect.identity.clients.testClaims(server.id, app.id, { client_id: claim.value });
      assert.equal(expected['client_id'], 'preview-app');
      assert.deepEqual([out.clientId, out.value, out.error], [app.id, 'preview-app', undefined]);
      const doc = vscode.window.activeTextEditor?.document;
      assert.equal(doc?.uri.toString(), out.uri);
      assert.equal(doc?.languageId, 'jsonc');
      assert.ok(doc?.getText().includes('{\n  "client_id": "preview-app"\n}'), doc?.getText());
      assert.ok(doc?.getText().includes('Template: ${ .Client.Name }'));

      const bad = await run<ClaimPreviewOutcome>('konnectDcr.identity.previewClaim', {
        authServerId: server.id,
        clientId: app.id,
        name: 'broken',
        value: '${ .Client.Labels.tenant',
      });
      assert.equal(bad.value, undefined);
      assert.match(bad.error ?? '', /Invalid claim template: template: claim:1: unclosed action/);
      assert.ok(vscode.window.activeTextEditor?.document.getText().includes('unclosed action'));

      // the create flow: preview the custom template, fix it, preview again, then save
      api.testing.prompts.script(
        { id: 'identity.claim.preset', answer: 'Custom claim…' },
        { id: 'identity.claim.name', answer: 'org' },
        { id: 'identity.claim.value', answer: '${ .Client.Labels.tenant' },
        { id: 'identity.claim.save', answer: 'Preview for a client…' },
        { id: 'identity.preview.client', answer: 'preview-app' },
        { id: 'identity.claim.save', answer: 'Change the value…' },
        { id: 'identity.claim.value', answer: '${ .Client.Labels.tenant | upper }' },
        { id: 'identity.claim.save', answer: 'Preview for a client…' },
        { id: 'identity.preview.client', answer: 'preview-app' },
        { id: 'identity.claim.save', answer: 'Save claim' },
      );
      const org = await run<Claim>('konnectDcr.identity.newClaim', { authServerId: server.id });
      assert.deepEqual([org.name, org.value], ['org', '${ .Client.Labels.tenant | upper }']);
      assert.ok(vscode.window.activeTextEditor?.document.getText().includes('"org": "ACME"'));
      assert.ok(
        api.testing.prompts.shown.some((m) => m.message.includes('Added claim "org"')),
        'saved after the previews',
      );

      // the edit flow has the same step: a broken value previewed shows Konnect's message, nothing is saved yet
      api.testing.prompts.script(
        { id: 'identity.claim.field', answer: 'Value' },
        { id: 'identity.claim.value', answer: '${ .Client.Labels.tenant | lower' },
        { id: 'identity.claim.save', answer: 'Preview for a client…' },
        { id: 'identity.preview.client', answer: 'preview-app' },
        { id: 'identity.claim.save', answer: 'Change the value…' },
        { id: 'identity.claim.value', answer: '${ .Client.Labels.tenant | lower }' },
        { id: 'identity.claim.save', answer: 'Preview for a client…' },
        { id: 'identity.preview.client', answer: 'preview-app' },
        { id: 'identity.claim.save', answer: 'Save claim' },
      );
      const seen: string[] = [];
      const sub = vscode.workspace.onDidOpenTextDocument((d) => {
        if (d.uri.scheme === 'konnect-dcr-claim-preview') seen.push(d.getText());
      });
      try {
        const edited = await run<Claim>('konnectDcr.identity.editClaim', {
          kind: 'claim',
          key: 'k',
          authServer: server,
          claim: org,
        });
        assert.equal(edited.value, '${ .Client.Labels.tenant | lower }');
      } finally {
        sub.dispose();
      }
      assert.equal(seen.length, 2, 'two previews opened');
      assert.ok(seen[0]!.includes('unclosed action'), seen[0]);
      assert.ok(seen[1]!.includes('"org": "acme"'), seen[1]);
      assert.equal((await konnect.identity.claims.get(server.id, org.id)).value, '${ .Client.Labels.tenant | lower }');
      await konnect.identity.claims.delete(server.id, org.id);
    } finally {
      await konnect.identity.clients.delete(server.id, app.id);
    }
  });

  it('"Add Client…": grant types, an allowed scope, token lifetime and auth method; its secret goes to SecretStorage only; "Edit Client…" and "Delete…"', async () => {
    api.testing.prompts.script(
      { id: 'identity.client.name', answer: 'orders-batch' },
      { id: 'identity.client.grantTypes', answer: 'client_credentials' },
      { id: 'identity.client.scopes', answer: 'orders:read' },
      { id: 'identity.client.duration', answer: '600' },
      { id: 'identity.client.authMethod', answer: 'client_secret_post' },
    );
    const out = await run<NewClientOutcome>('konnectDcr.identity.newClient', await serverNode('orders-auth'));
    const readScope = (await konnect.identity.scopes.listAll(server.id)).find((x) => x.name === 'orders:read')!;
    const stored = await konnect.identity.clients.get(server.id, out.client.id);
    assert.deepEqual(
      [stored.name, stored.grant_types, stored.allow_all_scopes, stored.allow_scopes, stored.access_token_duration],
      ['orders-batch', ['client_credentials'], false, [readScope.id], 600],
    );
    assert.equal(stored.token_endpoint_auth_method, 'client_secret_post');
    const rec = sb.konnect.store.clients.get(`${server.id}/${out.client.id}`)!;
    const issued = rememberSecret(rec.secrets[0]!.secret);
    assert.equal(out.secretName, 'ORDERS_AUTH_ORDERS_BATCH_CLIENT_SECRET');
    assert.ok(!JSON.stringify(out).includes(issued), 'the outcome has no secret');
    const note = api.testing.prompts.shown.at(-1)!;
    assert.match(note.message, /SecretStorage as ORDERS_AUTH_ORDERS_BATCH_CLIENT_SECRET/);
    assert.ok(!note.message.includes(issued));
    // the value is in SecretStorage under that name: a provider that references it gets it sent
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kdcr-ki-client-'));
    const yaml = path.join(tmp, 'uses-client-secret.kongctl.yaml');
    fs.writeFileSync(
      yaml,
      `dcr_providers:\n  - ref: uses-batch\n    name: Uses batch secret\n    provider_type: okta\n    issuer: https://batch.okta.com/oauth2/default\n    dcr_config:\n      dcr_token: !secret {source: !env ${out.secretName}}\n`,
    );
    api.testing.prompts.script({ id: 'config.apply.confirm', answer: 'Apply' });
    const applied = await run<ApplyOutcome>('konnectDcr.config.apply', vscode.Uri.file(yaml));
    assert.ok(applied.result?.ok, applied.message);
    const provider = [...sb.konnect.store.providers.values()].find((p) => p.name === 'Uses batch secret')!;
    assert.equal(provider.secrets.dcr_token, issued);
    await konnect.dcrProviders.delete(provider.id);
    fs.rmSync(tmp, { recursive: true, force: true });

    // the tree shows it under Clients; Edit Client… from that node changes one field
    const groups = await shown(api.testing.trees.identity, await serverNode('orders-auth'));
    const node = find(await shown(api.testing.trees.identity, find(groups, 'Clients').node), 'orders-batch').node;
    api.testing.prompts.script(
      { id: 'identity.client.field', answer: 'Allowed scopes' },
      { id: 'identity.client.scopes', answer: 'All scopes of "orders-auth"' },
    );
    const edited = await run<Client>('konnectDcr.identity.editClient', node);
    assert.deepEqual([edited.allow_all_scopes, edited.access_token_duration], [true, 600]);
    api.testing.prompts.script(
      { id: 'identity.client.field', answer: 'Access token lifetime (s)' },
      { id: 'identity.client.duration', answer: '30' },
    );
    assert.equal(await run('konnectDcr.identity.editClient', node), undefined, 'the error boundary reported it');
    assert.match(api.testing.prompts.shown.at(-1)?.message ?? '', /from 60 to 2592000/);
    assert.equal(
      (await konnect.identity.clients.get(server.id, out.client.id)).access_token_duration,
      600,
      'unchanged',
    );

    api.testing.prompts.script({ id: 'identity.delete.client', answer: undefined });
    assert.deepEqual(await run('konnectDcr.identity.delete', node), { deleted: false });
    api.testing.prompts.script({ id: 'identity.delete.client', answer: 'Delete' });
    assert.equal((await run<{ deleted: boolean }>('konnectDcr.identity.delete', node)).deleted, true);
    await assert.rejects(() => konnect.identity.clients.get(server.id, out.client.id), /404|not found/i);
  });

  it('"Delete…" a claim and a scope after the confirmation; "No" keeps it', async () => {
    const claim = (await konnect.identity.claims.listAll(server.id)).find((c) => c.name === 'tenant')!;
    const node = { kind: 'claim', key: 'k', authServer: server, claim };
    api.testing.prompts.script({ id: 'identity.delete.claim', answer: undefined });
    assert.deepEqual(await run('konnectDcr.identity.delete', node), { deleted: false });
    assert.ok(await konnect.identity.claims.get(server.id, claim.id));
    api.testing.prompts.script({ id: 'identity.delete.claim', answer: 'Delete' });
    const r = await run<{ deleted: boolean }>('konnectDcr.identity.delete', node);
    assert.equal(r.deleted, true);
    await assert.rejects(() => konnect.identity.claims.get(server.id, claim.id), /404|not found/i);
    const scope = (await konnect.identity.scopes.listAll(server.id)).find((s) => s.name === 'orders:read')!;
    api.testing.prompts.script({ id: 'identity.delete.scope', answer: 'Delete' });
    assert.equal(
      (
        await run<{ deleted: boolean }>('konnectDcr.identity.delete', {
          kind: 'scope',
          key: 'k',
          authServer: server,
          scope,
        })
      ).deleted,
      true,
    );
    assert.deepEqual(
      (await konnect.identity.scopes.listAll(server.id)).map((s) => s.name),
      ['openid'],
    );
  });

  it('"New Kong Identity DCR Provider…" opens the provider form with the type, auth server and issuer filled in', async () => {
    const form = await run<FormHandle>('konnectDcr.identity.newProvider', await serverNode('orders-auth'));
    const values = form.current() as unknown as { values: Record<string, unknown> };
    assert.equal(values.values['providerType'], 'kongIdentity');
    assert.equal(values.values['authServerId'], server.id);
    assert.equal(values.values['issuer'], server.issuer);
    form.dispose();
    // without the form: created at once
    const p = await run<{ id: string; provider_type: string; issuer: string }>('konnectDcr.identity.newProvider', {
      authServerId: server.id,
      form: false,
      name: 'orders-auth-dcr',
    });
    assert.deepEqual([p.provider_type, p.issuer], ['kongIdentity', server.issuer]);
    assert.equal((await konnect.dcrProviders.verify(p.id)).status, 'success');
  });

  it('"Delete…" an auth server with scopes and claims deletes everything in it after the confirmation', async () => {
    api.testing.prompts.script({ id: 'identity.delete.authServer', answer: 'Delete' });
    const r = await run<{ deleted: boolean; message: string }>(
      'konnectDcr.identity.delete',
      await serverNode('orders-auth'),
    );
    assert.equal(r.deleted, true);
    assert.match(r.message, /with its 1 scope, 1 claim/);
    assert.equal((await konnect.identity.authServers.listAll()).length, 0);
    assert.equal(api.testing.prompts.asked.at(-1)?.text, 'Delete auth server "orders-auth" and everything in it?');
  });
});

describe('Kong Identity guided setup', function () {
  this.timeout(90_000);
  let api: Api;
  let sb: Sandbox;
  let konnect: KonnectClient;

  before(async () => {
    api = await extensionApi();
    await signOutAll(api);
    ({ sb, konnect } = await startSignedIn('guided-sandbox'));
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await signOutAll(api);
    await konnect?.close();
    await sb?.stop();
  });
  afterEach(() => assert.equal(api.testing.prompts.clearScript(), 0, 'every scripted answer was used'));

  it('takes an empty sandbox to a passing Prove DCR through its prompts', async () => {
    assert.equal((await konnect.identity.authServers.listAll()).length, 0);
    assert.equal((await konnect.apis.listAll()).length, 0);
    api.testing.prompts.script(
      { id: 'identity.guided.authServer', answer: 'New auth server…' },
      { id: 'identity.authServer.name', answer: 'shop-auth' },
      { id: 'identity.authServer.audience', answer: 'https://shop.example.com' },
      { id: 'identity.guided.scope', answer: 'openid' },
      { id: 'identity.guided.claim', answer: 'client_id' },
      { id: 'identity.guided.credentialClaim', answer: 'client_id' },
      { id: 'identity.guided.providerName', answer: 'shop-dcr' },
      { id: 'identity.guided.strategyName', answer: 'shop-strategy' },
      { id: 'identity.guided.api', answer: 'New API…' },
      { id: 'identity.guided.apiName', answer: 'shop' },
      { id: 'identity.guided.apiVersion', answer: 'v1' },
      { id: 'identity.guided.gatewayService', answer: 'Link a Gateway Service…' },
      { id: 'identity.guided.controlPlaneId', answer: '6c2b1d7e-3f4a-4b5c-8d9e-0f1a2b3c4d5e' },
      { id: 'identity.guided.serviceId', answer: '7d3c2e8f-4a5b-4c6d-9e0f-1a2b3c4d5e6f' },
      { id: 'identity.guided.portal', answer: 'New portal…' },
      { id: 'identity.guided.portalName', answer: 'shop-portal' },
      // then Prove DCR asks for the test developer and the route of the new API
      { id: 'prove.mode', answer: 'As a test developer' },
      { id: 'prove.developerEmail', answer: sb.state.developer.email },
      { id: 'prove.developerPassword', answer: sb.state.developer.password },
      { id: 'prove.gatewayUrl', answer: `${sb.state.gatewayUrl}/shop-v1/anything` },
    );
    const out = await run<{
      setup: {
        steps: { part: string; action: string }[];
        strategy: { id: string; configs: Record<string, { credential_claim: string[]; scopes: string[] }> };
      };
      report: ProveReport;
    }>('konnectDcr.identity.guidedSetup');
    assert.deepEqual(
      out.setup.steps.map((s) => `${s.part}:${s.action}`),
      [
        'authServer:created',
        'scope:created',
        'claim:created',
        'provider:created',
        'strategy:created',
        'api:created',
        'portal:created',
        'publication:created',
      ],
    );
    const cfg = out.setup.strategy.configs['openid-connect']!;
    assert.deepEqual([cfg.credential_claim, cfg.scopes], [['client_id'], ['openid']]);
    assert.equal(
      out.report.verdict,
      'pass',
      JSON.stringify(
        out.report.steps.filter((s) => s.status !== 'pass'),
        null,
        1,
      ),
    );
    assert.ok(out.report.token?.checks.some((c) => c.label === 'credential claim client_id' && c.status === 'pass'));
    assert.equal(out.report.publication?.apiName, 'shop');
    const impl = await konnect.apiImplementations.listAll({
      filter: { api_id: { eq: out.report.publication!.apiId } },
    });
    assert.equal(impl.length, 1, 'the new API is linked to the Gateway Service given');
    // the trees show what was made
    assert.ok((await shown(api.testing.trees.identity)).some((n) => n.label === 'shop-auth'));
  });

  it('takes its answers as an argument object too: an existing auth server and portal, a custom scope, no extra claim', async () => {
    const as = (await konnect.identity.authServers.listAll())[0]!;
    const portal = (await konnect.portals.listAll())[0]!;
    const out = await run<{ setup: { steps: { part: string; action: string }[] }; report: ProveReport }>(
      'konnectDcr.identity.guidedSetup',
      {
        authServer: { id: as.id },
        scope: { name: 'orders:write' },
        claim: null,
        credentialClaim: 'sub',
        providerName: 'shop-dcr-2',
        strategyName: 'shop-strategy-2',
        api: { name: 'orders', version: 'v2' },
        portal: { id: portal.id },
        prove: { gatewayUrl: sb.state.gatewayUrl, show: false },
      },
    );
    assert.deepEqual(
      out.setup.steps.map((s) => `${s.part}:${s.action}`),
      [
        'authServer:used',
        'scope:created',
        'claim:skipped',
        'provider:created',
        'strategy:created',
        'api:created',
        'portal:used',
        'publication:created',
      ],
    );
    assert.equal(
      out.report.verdict,
      'pass',
      JSON.stringify(
        out.report.steps.filter((s) => s.status !== 'pass'),
        null,
        1,
      ),
    );
    assert.deepEqual(out.report.token?.requestedScopes, ['orders:write']);
  });
});
