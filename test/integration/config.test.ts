// The workspace config in the extension host against the local Konnect sandbox: problems on the exact ranges (open
// files as they are edited, closed files through the watcher), quick fixes, every snippet expanded by the editor to a
// file with no problem, plan → apply → plan with nothing left, pull → apply as a no-op, and secrets that never land
// in a file, a setting, a message or the log.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ApplyOutcome, PlanOutcome, PullOutcome } from '../../src/ui/config/controller';
import { entryAt, writeEntry } from '../../src/ui/config/entries';
import { FIXTURES, at, loadSnippets } from '../unit/config/support';
import { extensionApi, run, signOutAll, waitFor, type Api } from './support/helpers';
import { randomPat, startTestSandbox, type TestSandbox } from './support/sandbox';
import { rememberSecret } from './support/secrets';

const C = {
  plan: 'konnectDcr.config.plan',
  apply: 'konnectDcr.config.apply',
  pull: 'konnectDcr.config.pull',
  store: 'konnectDcr.config.storeSecret',
  forget: 'konnectDcr.config.forgetSecret',
};
const KONNECT_DCR = 'Konnect DCR';
const ours = (uri: vscode.Uri): vscode.Diagnostic[] =>
  vscode.languages.getDiagnostics(uri).filter((d) => d.source === KONNECT_DCR);
const codeOf = (d: vscode.Diagnostic): string => String(typeof d.code === 'object' ? d.code.value : d.code);
const rangeOf = (text: string, needle: string, occurrence = 0): vscode.Range => {
  const s = at(text, needle, occurrence);
  const e = at(text, needle, occurrence, needle.length);
  return new vscode.Range(s.line, s.character, e.line, e.character);
};
/** A secret shaped like the real thing, remembered for the final secret scan. */
const secret = (prefix: string): string => rememberSecret(`${prefix}_${randomPat().slice(5, 29)}`);

describe('workspace config (kongctl YAML) against the sandbox', function () {
  this.timeout(120_000);
  let api: Api;
  let sb: TestSandbox;
  let tmp: string;
  let wsTmp: string;
  const secrets: Record<string, string> = {};

  before(async () => {
    api = await extensionApi();
    await signOutAll(api);
    sb = await startTestSandbox();
    const r = await run<{ ok: boolean; message: string }>('konnectDcr.signIn', {
      name: 'config-sandbox',
      baseUrl: sb.konnectUrl,
      token: sb.token,
    });
    assert.equal(r.ok, true, r.message);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kdcr-config-'));
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'a workspace folder is open');
    wsTmp = fs.mkdtempSync(path.join(folder, 'kdcr-config-test-'));
    for (const n of [
      'KDCR_TEST_AUTH0_SECRET',
      'KDCR_TEST_AZURE_SECRET',
      'KDCR_TEST_CURITY_SECRET',
      'KDCR_TEST_OKTA_TOKEN',
    ])
      secrets[n] = secret('sec');
    secrets['KDCR_TEST_HTTP_API_KEY'] = secret('key').replace(/[^A-Za-z0-9_]/g, '_');
  });
  after(async () => {
    api?.testing.prompts.clearScript();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const n of Object.keys(secrets)) await run(C.forget, n);
    await signOutAll(api);
    await sb?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    if (wsTmp) fs.rmSync(wsTmp, { recursive: true, force: true });
  });

  async function open(file: string, text: string): Promise<vscode.TextEditor> {
    fs.writeFileSync(file, text);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    return vscode.window.showTextDocument(doc);
  }

  async function storeSecrets(names: readonly string[]): Promise<void> {
    for (const n of names) {
      api.testing.prompts.script({ id: 'config.secret.value', answer: secrets[n] });
      assert.equal(await run(C.store, n), n);
    }
  }

  it('shows problems on the exact key or value, and updates them as the file is edited', async () => {
    const text = `dcr_providers:
  - ref: okta-dcr
    name: Okta DCR
    provider_type: Okta
    issuer: https://example.okta.com/oauth2/default
    dcr_config:
      dcr_token: !secret {source: !env OKTA_DCR_TOKEN}
  - ref: azure-dcr
    name: Azure DCR
    provider_type: azureAd
    issuer: https://sts.windows.net/03640e99-6c96-4817-b392-b9336037a8e2/
    dcr_config:
      initial_client_id: azure-client
      initial_client_secret: !secret {source: !env AZ_SECRET}
application_auth_strategies:
  - ref: oidc
    name: OIDC
    display_name: OIDC
    strategy_type: openid_connect
    dcr_provider_id: !ref okta-dc
    configs:
      openid_connect:
        issuer: https://example.okta.com/oauth2/default
        credential_claim: [sub]
        scopes: []
        auth_methods: [bearer]
`;
    const file = path.join(tmp, 'problems.kongctl.yaml');
    const editor = await open(file, text);
    const uri = editor.document.uri;
    await waitFor('three problems', () => ours(uri).length === 3);
    const byCode = new Map(ours(uri).map((d) => [codeOf(d), d]));
    assert.deepEqual([...byCode.keys()].sort(), ['azure-issuer', 'dangling-ref', 'unknown-provider-type']);
    assert.ok(byCode.get('unknown-provider-type')!.range.isEqual(rangeOf(text, 'Okta', 1)));
    assert.equal(byCode.get('unknown-provider-type')!.severity, vscode.DiagnosticSeverity.Error);
    assert.match(byCode.get('unknown-provider-type')!.message, /auth0, azureAd, curity, okta, http, kongIdentity/);
    assert.ok(byCode.get('dangling-ref')!.range.isEqual(rangeOf(text, 'okta-dc', 1)));
    assert.ok(
      byCode
        .get('azure-issuer')!
        .range.isEqual(rangeOf(text, 'https://sts.windows.net/03640e99-6c96-4817-b392-b9336037a8e2/')),
    );
    assert.equal(byCode.get('azure-issuer')!.severity, vscode.DiagnosticSeverity.Warning);

    // edit: fix the provider type, then take the Azure quick fix
    await editor.edit((e) => e.replace(rangeOf(text, 'Okta', 1), 'okta'));
    await waitFor(
      'the provider type problem is gone',
      () => !ours(uri).some((d) => codeOf(d) === 'unknown-provider-type'),
    );
    const azure = ours(uri).find((d) => codeOf(d) === 'azure-issuer')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      azure.range,
    );
    const fix = actions.find((a) => a.title === 'Remove the trailing slash');
    assert.ok(fix?.edit, `a quick fix among ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    await waitFor('the Azure warning is gone', () => ours(uri).length === 1);
    assert.match(
      editor.document.getText(),
      /issuer: https:\/\/sts\.windows\.net\/03640e99-6c96-4817-b392-b9336037a8e2\n/,
    );
  });

  it('entryAt / writeEntry (for forms): read the entry under a line, write it back as one edit that keeps comments', async () => {
    const text =
      '# providers\ndcr_providers:\n  - ref: okta-dcr # ours\n    name: Okta DCR\n    provider_type: okta\n    issuer: https://a.okta.com/oauth2/default\n    dcr_config:\n      dcr_token: !secret {source: !env OKTA_T}\n';
    const editor = await open(path.join(tmp, 'entries.kongctl.yaml'), text);
    const doc = editor.document;
    const entry = await entryAt(doc, 5);
    assert.equal(entry?.section, 'dcr_providers');
    assert.equal(entry?.ref, 'okta-dcr');
    const value = { ...(entry!.value as Record<string, never>), issuer: 'https://b.okta.com/oauth2/default' };
    assert.ok(await writeEntry(doc, { section: 'dcr_providers', index: 0 }, value));
    assert.equal(doc.getText(), text.replace('https://a.okta', 'https://b.okta'));
    assert.ok(
      await writeEntry(
        doc,
        { section: 'application_auth_strategies' },
        {
          ref: 'okta-oidc',
          name: 'Okta OIDC',
          display_name: 'Okta',
          strategy_type: 'openid_connect',
          dcr_provider_id: { $tag: '!ref', value: 'okta-dcr' },
          configs: {
            openid_connect: {
              issuer: 'https://b.okta.com/oauth2/default',
              credential_claim: ['cid'],
              scopes: [],
              auth_methods: ['bearer'],
            },
          },
        },
      ),
    );
    assert.match(doc.getText(), /dcr_provider_id: !ref okta-dcr/);
    await waitFor(
      'the new entry is checked: no problem',
      () => ours(doc.uri).length === 0 && /okta-oidc/.test(doc.getText()),
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('checks closed config files in the workspace through the file watcher', async () => {
    const file = path.join(wsTmp, 'closed.kongctl.yaml');
    const text =
      'application_auth_strategies:\n  - ref: keys\n    name: keys\n    display_name: Keys\n    strategytype: key_auth\n    configs:\n      key_auth:\n        key_names: [apikey]\n';
    fs.writeFileSync(file, text);
    const uri = vscode.Uri.file(file);
    await waitFor('a problem on the closed file', () => ours(uri).length === 1, 20_000);
    assert.equal(
      vscode.workspace.textDocuments.some((d) => d.uri.fsPath === file),
      false,
      'the file was never opened',
    );
    assert.ok(ours(uri)[0]!.range.isEqual(rangeOf(text, 'strategytype')));
    assert.match(ours(uri)[0]!.message, /did you mean `strategy_type`/);
    fs.writeFileSync(file, text.replace('strategytype', 'strategy_type'));
    await waitFor('fixed on disk, the problem goes', () => ours(uri).length === 0, 20_000);
    fs.writeFileSync(file, text);
    await waitFor('broken again', () => ours(uri).length === 1, 20_000);
    fs.rmSync(file);
    await waitFor('deleted, its problems go', () => ours(uri).length === 0, 20_000);
  });

  describe('every snippet expands (through the editor) to a file with no problem', () => {
    const indentFor = (prefix: string): { header: string; fileName: string } => {
      if (prefix.startsWith('kdcr-pair-'))
        return {
          header: '',
          fileName: prefix === 'kdcr-pair-kong-identity' ? `konnect-dcr-${prefix}.yaml` : `${prefix}.kongctl.yaml`,
        };
      if (prefix.startsWith('kdcr-provider-'))
        return { header: 'dcr_providers:\n  ', fileName: `${prefix}.kongctl.yaml` };
      if (prefix === 'kdcr-auth-server')
        return { header: 'kong_identity_auth_servers:\n  ', fileName: `konnect-dcr-${prefix}.yaml` };
      if (prefix === 'kdcr-strategy-oidc') {
        return {
          header:
            'dcr_providers:\n  - ref: my-dcr-provider\n    name: My DCR provider\n    provider_type: http\n    issuer: https://idp.example.com\n    dcr_config:\n      dcr_base_url: https://dcr-bridge.example.com\n      api_key: !secret {source: !env HTTP_DCR_API_KEY}\napplication_auth_strategies:\n  ',
          fileName: `${prefix}.kongctl.yaml`,
        };
      }
      return { header: 'application_auth_strategies:\n  ', fileName: `${prefix}.kongctl.yaml` };
    };
    for (const [name, s] of Object.entries(loadSnippets())) {
      it(`${s.prefix}: ${name}`, async () => {
        const { header, fileName } = indentFor(s.prefix);
        // a placeholder that is a YAML error, so that "no problem" can only mean the expanded snippet was checked
        const broken = '- [';
        const editor = await open(path.join(tmp, fileName), `${header}${broken}\n`);
        const uri = editor.document.uri;
        await waitFor('the placeholder is a problem', () => ours(uri).length > 0);
        const start = editor.document.positionAt(header.length);
        const ok = await editor.insertSnippet(
          new vscode.SnippetString(s.body.join('\n')),
          new vscode.Range(start, start.translate(0, broken.length)),
        );
        assert.ok(ok, 'inserted');
        await vscode.commands.executeCommand('leaveSnippet');
        await waitFor(`no problem in ${fileName}`, () => ours(uri).length === 0, 10_000).catch((e: unknown) => {
          throw new Error(
            `${String(e)}\n${ours(uri)
              .map((d) => `${d.range.start.line + 1}: ${d.message}`)
              .join('\n')}\n${editor.document.getText()}`,
          );
        });
        assert.doesNotMatch(editor.document.getText(), /\$\{?\d/, 'every tabstop was resolved');
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      });
    }
  });

  it('plan → apply → plan: everything is created with refs resolved, then nothing is left to do', async () => {
    const file = path.join(tmp, 'konnect-dcr.complete.yaml');
    fs.copyFileSync(path.join(FIXTURES, 'complete.konnect-dcr.yaml'), file);
    const uri = vscode.Uri.file(file);
    await storeSecrets(Object.keys(secrets));

    const plan = await run<PlanOutcome>(C.plan, uri);
    assert.equal(plan.plan.counts.create, 12);
    const planDoc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === plan.document.toString());
    assert.ok(planDoc, 'the plan is shown');
    assert.match(planDoc.getText(), /12 to create, 0 to update, 0 unchanged/);
    assert.match(
      planDoc.getText(),
      /\+ create +"Okta DCR"[\s\S]*dcr_config\.dcr_token: will be sent \(from KDCR_TEST_OKTA_TOKEN\)/,
    );

    api.testing.prompts.script({ id: 'config.apply.confirm', answer: 'Apply' });
    const applied = await run<ApplyOutcome>(C.apply, uri);
    assert.ok(applied.result?.ok, applied.message);
    assert.equal(applied.result.applied.length, 12);
    const confirm = api.testing.prompts.shown.filter((m) => m.modal).at(-1)!;
    assert.match(confirm.message, /^Apply konnect-dcr\.complete\.yaml to config-sandbox/);
    assert.match(confirm.detail ?? '', /\+ create DCR provider "Okta DCR"/);

    // Konnect has it, with the secrets from SecretStorage
    const stored = [...sb.emulator.store.providers.values()];
    assert.equal(stored.find((p) => p.name === 'Okta DCR')?.secrets.dcr_token, secrets['KDCR_TEST_OKTA_TOKEN']);
    assert.equal(stored.find((p) => p.name === 'HTTP DCR bridge')?.secrets.api_key, secrets['KDCR_TEST_HTTP_API_KEY']);
    const strategies = await sb.client.authStrategies.listAll();
    const ki = (await sb.client.dcrProviders.listAll()).find((p) => p.name === 'Payments Kong Identity')!;
    assert.equal(strategies.find((s) => s.name === 'Payments OIDC')?.dcr_provider?.id, ki.id);

    const again = await run<PlanOutcome>(C.plan, uri);
    assert.deepEqual(again.plan.counts, {
      create: 0,
      update: 0,
      unchanged: 12,
      onlyInKonnect: 0,
      delete: 0,
      conflict: 0,
    });
    const second = await run<ApplyOutcome>(C.apply, uri);
    assert.equal(second.result, undefined);
    assert.match(second.message, /nothing to apply/);
    assert.equal(api.testing.prompts.clearScript(), 0);
  });

  it('pull → apply is a no-op; the pulled file has references where the secrets were', async () => {
    const target = vscode.Uri.file(path.join(tmp, 'konnect-dcr.pulled.kongctl.yaml'));
    const pulled = await run<PullOutcome>(C.pull, target);
    assert.equal(pulled.providers, 6);
    assert.equal(pulled.strategies, 3);
    const text = fs.readFileSync(target.fsPath, 'utf8');
    assert.match(text, /namespace: payments/);
    assert.match(text, /dcr_token: !secret \{source: !env OKTA_DCR_DCR_TOKEN\}/);
    await waitFor('the pulled file is checked', () =>
      vscode.workspace.textDocuments.some((d) => d.uri.fsPath === target.fsPath),
    );
    const outcome = await run<ApplyOutcome>(C.apply, target);
    assert.equal(outcome.result, undefined, outcome.message);
    assert.equal(outcome.plan.counts.create + outcome.plan.counts.update, 0);
    assert.match(outcome.message, /nothing to apply/);
    assert.deepEqual(
      ours(target).filter((d) => d.severity === vscode.DiagnosticSeverity.Error),
      [],
    );
  });

  it('a literal secret: warning, quick fix to SecretStorage, and the value leaves the file (then apply uses it)', async () => {
    const value = secret('okta');
    const text = `dcr_providers:\n  - ref: literal-okta\n    name: Literal Okta\n    provider_type: okta\n    issuer: https://literal.okta.com/oauth2/default\n    dcr_config:\n      dcr_token: ${value}\n`;
    const file = path.join(tmp, 'literal.kongctl.yaml');
    const editor = await open(file, text);
    const uri = editor.document.uri;
    await waitFor('the literal secret warning', () => ours(uri).some((d) => codeOf(d) === 'literal-secret'));
    const warning = ours(uri).find((d) => codeOf(d) === 'literal-secret')!;
    assert.ok(warning.range.isEqual(rangeOf(text, value)));
    assert.ok(!warning.message.includes(value));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      warning.range,
    );
    const move = actions.find((a) => a.command?.command === 'konnectDcr.config.moveSecretToStorage');
    assert.ok(move?.command, `the move quick fix among ${actions.map((a) => a.title).join(', ')}`);
    assert.equal(await run(move.command.command, ...(move.command.arguments ?? [])), 'LITERAL_OKTA_DCR_TOKEN');
    await waitFor(
      'saved without the value',
      () => !fs.readFileSync(file, 'utf8').includes(value) && !editor.document.isDirty,
    );
    assert.match(fs.readFileSync(file, 'utf8'), /dcr_token: !secret \{source: !env LITERAL_OKTA_DCR_TOKEN\}/);
    await waitFor('no warning left', () => ours(uri).length === 0);

    api.testing.prompts.script({ id: 'config.apply.confirm', answer: 'Apply' });
    const applied = await run<ApplyOutcome>(C.apply, uri);
    assert.ok(applied.result?.ok, applied.message);
    assert.equal(
      [...sb.emulator.store.providers.values()].find((p) => p.name === 'Literal Okta')?.secrets.dcr_token,
      value,
    );
    await run(C.forget, 'LITERAL_OKTA_DCR_TOKEN');
  });

  it('a missing secret stops the apply before anything is created, naming the variable', async () => {
    const file = path.join(tmp, 'missing.kongctl.yaml');
    fs.writeFileSync(
      file,
      'dcr_providers:\n  - ref: nosecret\n    name: No secret yet\n    provider_type: okta\n    issuer: https://nosecret.okta.com/oauth2/default\n    dcr_config:\n      dcr_token: !secret {source: !env KDCR_TEST_NOT_SET_ANYWHERE}\n',
    );
    const before = (await sb.client.dcrProviders.listAll()).length;
    api.testing.prompts.script({ id: 'config.apply.confirm', answer: 'Apply' });
    const outcome = await run<ApplyOutcome>(C.apply, vscode.Uri.file(file));
    assert.equal(outcome.result, undefined);
    assert.match(outcome.message, /Set KDCR_TEST_NOT_SET_ANYWHERE before applying/);
    assert.equal((await sb.client.dcrProviders.listAll()).length, before);
    assert.ok(api.testing.prompts.shown.at(-1)!.items.includes('Store Secret…'));
  });

  it('a failure half-way: the message and the plan document say what exists now; applying again finishes', async () => {
    const file = path.join(tmp, 'halfway.kongctl.yaml');
    fs.writeFileSync(
      file,
      'dcr_providers:\n  - ref: half-a\n    name: Half A\n    provider_type: kongIdentity\n    issuer: https://half-a.example.com\napplication_auth_strategies:\n  - ref: half-keys\n    name: Half keys\n    display_name: Keys\n    strategy_type: key_auth\n    configs:\n      key_auth:\n        key_names: [apikey]\n',
    );
    const uri = vscode.Uri.file(file);
    const fault = sb.emulator.faults.add({
      path: '^/v2/application-auth-strategies$',
      method: 'POST',
      kind: 'status',
      status: 400,
      times: 1,
    });
    api.testing.prompts.script({ id: 'config.apply.confirm', answer: 'Apply' });
    const failed = await run<ApplyOutcome>(C.apply, uri);
    sb.emulator.faults.remove(fault.id);
    assert.equal(failed.result?.ok, false);
    assert.equal(failed.result?.failed?.step.name, 'Half keys');
    assert.match(failed.message, /Failed at auth strategy "Half keys"/);
    const planDoc = (): string =>
      vscode.workspace.textDocuments.find((d) => d.uri.toString() === failed.document.toString())?.getText() ?? '';
    const report = await waitFor('the apply result in the plan document', () =>
      planDoc().includes('# Apply result') ? planDoc() : '',
    );
    assert.match(report, /# Exists in Konnect now: DCR provider "Half A" \(/);
    assert.match(report, /# Not done: create auth strategy "Half keys"/);
    api.testing.prompts.script({ id: 'config.apply.confirm', answer: 'Apply' });
    const again = await run<ApplyOutcome>(C.apply, uri);
    assert.ok(again.result?.ok, again.message);
    assert.deepEqual(
      again.result.applied.map((a) => `${a.action} ${a.name}`),
      ['created Half keys'],
    );
    assert.equal((await sb.client.dcrProviders.listAll()).filter((p) => p.name === 'Half A').length, 1, 'no duplicate');
  });

  it('a create sent without an answer: the next Apply of the file asks Konnect for it by name first, once', async () => {
    const file = path.join(tmp, 'lost.kongctl.yaml');
    fs.writeFileSync(
      file,
      'application_auth_strategies:\n  - ref: lost-keys\n    name: Lost keys\n    display_name: Keys\n    strategy_type: key_auth\n    configs:\n      key_auth:\n        key_names: [apikey]\n',
    );
    const uri = vscode.Uri.file(file);
    const lookUps = (from: number): string[] =>
      sb.emulator.requests
        .slice(from)
        .filter((q) => q.method === 'GET' && /filter(?:%5B|\[)name/.test(q.query))
        .map((q) => `${q.path}${decodeURIComponent(q.query)}`);
    const fault = sb.emulator.faults.add({
      path: '^/v2/application-auth-strategies$',
      method: 'POST',
      kind: 'drop',
      times: 1,
    });
    api.testing.prompts.script({ id: 'config.apply.confirm', answer: 'Apply' });
    let from = sb.emulator.requests.length;
    const failed = await run<ApplyOutcome>(C.apply, uri);
    sb.emulator.faults.remove(fault.id);
    assert.equal(failed.result?.failed?.uncertain, true, failed.message);
    assert.deepEqual(lookUps(from), [], 'the first apply asks for nothing by name');
    // the next Apply of this file: that create is looked up first (here Konnect never got it), then made
    api.testing.prompts.script({ id: 'config.apply.confirm', answer: 'Apply' });
    from = sb.emulator.requests.length;
    const again = await run<ApplyOutcome>(C.apply, uri);
    assert.ok(again.result?.ok, again.message);
    assert.deepEqual(lookUps(from), ['/v2/application-auth-strategies?page[size]=10&filter[name][eq]=Lost keys']);
    assert.deepEqual(
      again.result.applied.map((a) => `${a.action} ${a.name}`),
      ['created Lost keys'],
    );
    // settled: nothing is looked up any more
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('[apikey]', '[apikey, x-key]'));
    api.testing.prompts.script({ id: 'config.apply.confirm', answer: 'Apply' });
    from = sb.emulator.requests.length;
    const third = await run<ApplyOutcome>(C.apply, uri);
    assert.ok(third.result?.ok, third.message);
    assert.deepEqual(lookUps(from), []);
    assert.equal((await sb.client.authStrategies.listAll()).filter((x) => x.name === 'Lost keys').length, 1);
  });

  it('a Kong Identity client: Apply creates it after its scope and keeps the issued secret in SecretStorage only', async () => {
    const file = path.join(tmp, 'konnect-dcr.ki-client.yaml');
    fs.writeFileSync(
      file,
      `kong_identity_auth_servers:\n  - ref: orders-ki\n    name: Orders KI\n    audience: api://orders\n    scopes:\n      - name: orders:read\n    clients:\n      - name: ci\n        grant_types: [client_credentials]\n        response_types: [token]\n        allow_scopes: [orders:read]\n`,
    );
    const uri = vscode.Uri.file(file);
    api.testing.prompts.script({ id: 'config.apply.confirm', answer: 'Apply' });
    const applied = await run<ApplyOutcome>(C.apply, uri);
    assert.ok(applied.result?.ok, applied.message);
    const confirm = api.testing.prompts.shown.filter((m) => m.modal).at(-1)!;
    assert.match(confirm.detail ?? '', /\+ create client "ci" of "Orders KI"/);
    const server = [...sb.emulator.store.authServers.values()].find((a) => a.name === 'Orders KI')!;
    const rec = [...sb.emulator.store.clients.values()].find((c) => c.auth_server_id === server.id && c.name === 'ci')!;
    assert.ok(rec, 'the client exists in Konnect');
    const issued = rec.secrets[0]!.secret;
    secrets['ORDERS_KI_CI_CLIENT_SECRET'] = rememberSecret(issued); // scanned for below, forgotten in after()
    assert.match(
      applied.message,
      new RegExp(
        `client "ci" of "Orders KI" \\(client_id ${rec.id}\\): kept in VS Code's SecretStorage as ORDERS_KI_CI_CLIENT_SECRET`,
      ),
    );
    assert.ok(!applied.message.includes(issued));
    assert.ok(!fs.readFileSync(file, 'utf8').includes(issued), 'not written into the file');
    // it is in SecretStorage under that name: a provider referencing it gets it sent
    const okta = path.join(tmp, 'uses-ki-secret.kongctl.yaml');
    fs.writeFileSync(
      okta,
      `dcr_providers:\n  - ref: ki-secret-okta\n    name: KI secret Okta\n    provider_type: okta\n    issuer: https://ki.okta.com/oauth2/default\n    dcr_config:\n      dcr_token: !secret {source: !env ORDERS_KI_CI_CLIENT_SECRET}\n`,
    );
    api.testing.prompts.script({ id: 'config.apply.confirm', answer: 'Apply' });
    const sent = await run<ApplyOutcome>(C.apply, vscode.Uri.file(okta));
    assert.ok(sent.result?.ok, sent.message);
    assert.equal(
      [...sb.emulator.store.providers.values()].find((p) => p.name === 'KI secret Okta')?.secrets.dcr_token,
      issued,
    );
    // a second plan of the client file is no change
    const again = await run<PlanOutcome>(C.plan, uri);
    assert.equal(again.plan.counts.create + again.plan.counts.update, 0);
    assert.equal(api.testing.prompts.clearScript(), 0);
  });

  it('no secret value in the config files, the plan documents, settings, messages or the log', async () => {
    const values = [...Object.values(secrets), sb.token];
    const leaks = (where: string, text: string): string[] => values.filter((v) => text.includes(v)).map(() => where);
    const found: string[] = [];
    for (const f of fs.readdirSync(tmp)) found.push(...leaks(f, fs.readFileSync(path.join(tmp, f), 'utf8')));
    for (const d of vscode.workspace.textDocuments) found.push(...leaks(d.uri.toString(), d.getText()));
    found.push(...leaks('the log', api.testing.logTail.snapshot().join('\n')));
    found.push(...leaks('messages', JSON.stringify([api.testing.prompts.shown, api.testing.prompts.asked])));
    found.push(...leaks('settings', JSON.stringify(vscode.workspace.getConfiguration('konnectDcr'))));
    found.push(
      ...leaks(
        'global state',
        JSON.stringify(api.testing.globalState.keys().map((k) => [k, api.testing.globalState.get(k)])),
      ),
    );
    assert.deepEqual(found, []);
    assert.ok(
      api.testing.logTail.snapshot().some((l) => l.includes('[config] apply of konnect-dcr.complete.yaml')),
      'the log has the flows',
    );
  });
});
