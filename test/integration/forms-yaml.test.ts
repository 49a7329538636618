// Forms opened from a kongctl YAML entry, in the extension host: "Open Entry in Form" with (uri, line), the page
// played through the host's message handler. Saving writes the entry back into the file (other keys and comments
// kept; a typed secret only as `!secret {source: !env NAME}`) and the secret into SecretStorage, where the config's
// Apply finds it: the provider then reaches the sandbox with that secret.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FormMethods } from '../../src/shared/forms/methods';
import type { InitParams, OptionsParams, SubmitResult } from '../../src/shared/forms/protocol';
import type { FormHandle } from '../../src/ui/webviews/index';
import type { ApplyOutcome } from '../../src/ui/config/controller';
import { extensionApi, run, signOutAll, waitFor, type Api } from './support/helpers';
import { startTestSandbox, type TestSandbox } from './support/sandbox';
import { rememberSecret } from './support/secrets';

let nextId = 5000;

describe('forms from kongctl YAML (in-host, sandbox)', function () {
  this.timeout(120_000);
  let api: Api;
  let sb: TestSandbox;
  let dir: string;
  const forms: FormHandle[] = [];
  const ENV = `KDCR_FORM_OKTA_${Date.now()}`;

  const text = (issuer: string): string => `# written by forms-yaml.test.ts
dcr_providers:
  - ref: okta-form          # the Okta org
    name: Okta from YAML
    provider_type: okta
    issuer: ${issuer}
    dcr_config:
      dcr_token: !secret {source: !env ${ENV}}
    labels:
      team: payments
application_auth_strategies:
  - ref: okta-form-cc
    name: Okta form CC
    display_name: Okta client credentials
    strategy_type: openid_connect
    dcr_provider_id: !ref okta-form
    configs:
      openid_connect:
        issuer: ${issuer}
        credential_claim: [client_id]
        scopes: [api:read]
        auth_methods: [client_credentials, bearer]
`;

  async function ready(form: FormHandle): Promise<InitParams> {
    await form.receive({ type: 'ready', view: 'forms' });
    const m = [...form.posted].reverse().find((x) => x.type === 'notification' && x.method === FormMethods.init);
    assert.ok(m && m.type === 'notification' && m.method === FormMethods.init);
    return m.params as InitParams;
  }
  async function submit(form: FormHandle, params: unknown): Promise<SubmitResult> {
    const id = ++nextId;
    await form.receive({ type: 'request', id, method: FormMethods.submit, params });
    const r = form.posted.find((m) => m.type === 'response' && m.id === id);
    assert.ok(r && r.type === 'response');
    return r.result;
  }

  before(async () => {
    api = await extensionApi();
    await signOutAll(api);
    sb = await startTestSandbox();
    const r = await run<{ ok: boolean; message: string }>('konnectDcr.signIn', {
      name: 'forms-yaml',
      baseUrl: sb.konnectUrl,
      token: sb.token,
    });
    assert.equal(r.ok, true, r.message);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'a workspace folder is open');
    dir = fs.mkdtempSync(path.join(folder, 'kdcr-forms-yaml-'));
  });
  afterEach(() => {
    for (const f of forms.splice(0)) f.dispose();
  });
  after(async () => {
    api?.testing.prompts.clearScript();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await run('konnectDcr.config.forgetSecret', ENV).catch(() => undefined);
    await signOutAll(api);
    await sb?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens the provider entry at a line; saving writes the file and the typed secret, which Apply then sends to Konnect', async () => {
    const file = path.join(dir, 'dcr.kongctl.yaml');
    fs.writeFileSync(file, text(sb.state.flavours.okta.issuer));
    const uri = vscode.Uri.file(file);
    const form = await run<FormHandle>('konnectDcr.openFormFromYaml', uri, 4);
    forms.push(form);
    const init = await ready(form);
    assert.ok(init.kind === 'provider');
    assert.equal(init.mode, 'edit');
    assert.deepEqual(init.target, { kind: 'yaml', file: vscode.workspace.asRelativePath(uri, false) });
    assert.deepEqual(
      [init.values.name, init.values.providerType, init.values.issuer, init.values.dcrToken],
      ['Okta from YAML', 'okta', sb.state.flavours.okta.issuer, ''],
    );
    assert.deepEqual(init.storedSecrets, ['dcrToken'], 'the file references the token: "leave empty to keep"');

    // a bad value is refused on its field, and the file is not touched
    const bad = await submit(form, { kind: 'provider', values: { ...init.values, issuer: 'nope' } });
    assert.ok(!bad.ok && bad.errors.fields['issuer'], JSON.stringify(bad));
    assert.equal(fs.readFileSync(file, 'utf8'), text(sb.state.flavours.okta.issuer));

    const token = rememberSecret(sb.state.flavours.okta.dcrToken);
    const r = await submit(form, {
      kind: 'provider',
      values: { ...init.values, displayName: 'Okta (YAML form)', dcrToken: token },
    });
    assert.ok(r.ok, JSON.stringify(r));
    assert.match(r.message, new RegExp(`secret is in VS Code's SecretStorage as ${ENV}`));
    const saved = await waitFor('the file saved', () => {
      const t = fs.readFileSync(file, 'utf8');
      return t.includes('Okta (YAML form)') && t;
    });
    assert.ok(!saved.includes(token), 'the token is not in the file');
    assert.match(saved, new RegExp(`dcr_token: !secret \\{ ?source: !env ${ENV} ?\\}`));
    assert.match(saved, /ref: okta-form +# the Okta org/);
    assert.match(saved, /team: payments/);
    assert.match(saved, /^# written by forms-yaml\.test\.ts/);
    assert.equal(r.next?.kind === 'provider' && r.next.storedSecrets.includes('dcrToken'), true);

    // the config's Apply reads the secret the form stored
    api.testing.prompts.script({ id: 'config.apply.confirm', answer: 'Apply' });
    const applied = await run<ApplyOutcome>('konnectDcr.config.apply', uri);
    assert.ok(applied.result?.ok, applied.message);
    const p = [...sb.emulator.store.providers.values()].find((x) => x.name === 'Okta from YAML');
    assert.ok(p, 'the provider reached Konnect');
    assert.equal(p.display_name, 'Okta (YAML form)');
    assert.equal(p.secrets.dcr_token, token, 'with the secret typed in the form');
  });

  it("opens the strategy entry; the provider list offers the file's !ref providers; the audience is written as post args", async () => {
    const file = path.join(dir, 'strategy.kongctl.yaml');
    fs.writeFileSync(file, text('https://example.okta.com/oauth2/default'));
    const uri = vscode.Uri.file(file);
    const form = await run<FormHandle>('konnectDcr.openFormFromYaml', uri.toString(), 12);
    forms.push(form);
    const init = await ready(form);
    assert.ok(init.kind === 'strategy');
    assert.equal(init.values.dcrProviderId, '!ref okta-form');
    const opts = await waitFor('options', () => {
      const m = [...form.posted].reverse().find((x) => x.type === 'notification' && x.method === FormMethods.options);
      return m && m.type === 'notification' ? (m.params as OptionsParams) : undefined;
    });
    assert.ok(
      opts.providers?.some((p) => p.id === '!ref okta-form' && p.providerType === 'okta'),
      JSON.stringify(opts),
    );
    const r = await submit(form, {
      kind: 'strategy',
      values: { ...init.values, scopes: 'api:read api:write', audience: 'https://api.example.com' },
    });
    assert.ok(r.ok, JSON.stringify(r));
    const saved = await waitFor('the file saved', () => {
      const t = fs.readFileSync(file, 'utf8');
      return t.includes('api:write') && t;
    });
    assert.match(saved, /dcr_provider_id: !ref okta-form/);
    assert.match(saved, /openid_connect:/, "the file's spelling is kept");
    assert.match(saved, /token_post_args_names:[\s\S]*audience/);
    assert.match(saved, /token_post_args_values:[\s\S]*https:\/\/api\.example\.com/);
  });

  it('a line outside any entry is refused with a clear message', async () => {
    const file = path.join(dir, 'outside.kongctl.yaml');
    fs.writeFileSync(file, text('https://example.okta.com/oauth2/default'));
    const before = api.testing.prompts.shown.length;
    const r = await run('konnectDcr.openFormFromYaml', vscode.Uri.file(file), 0);
    assert.equal(r, undefined);
    const shown = api.testing.prompts.shown
      .slice(before)
      .map((m) => m.message)
      .join('\n');
    assert.match(
      shown,
      /Line 1 of .*outside\.kongctl\.yaml is not inside a dcr_providers or application_auth_strategies entry/,
    );
  });
});
