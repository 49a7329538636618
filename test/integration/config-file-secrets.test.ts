// `!file` secrets in the extension host against the sandbox: Apply sends the content of a file next to the config;
// a path out of the workspace folder (by `..` or by a symlink) is an error on the secret's line, and Plan and Apply
// then do nothing; the content is never in the log, a message, a plan document or a saved plan.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ApplyOutcome } from '../../src/ui/config/controller';
import type { SavedPlanOutcome } from '../../src/ui/config/savedPlans';
import { extensionApi, run, signOutAll, waitFor, type Api } from './support/helpers';
import { randomPat, startTestSandbox, type TestSandbox } from './support/sandbox';
import { rememberSecret } from './support/secrets';

const file = (name: string, spec: string): string =>
  `dcr_providers:\n  - ref: filed\n    name: ${name}\n    provider_type: okta\n    issuer: https://example.okta.com/oauth2/default\n    dcr_config:\n      dcr_token: !file ${spec}\n`;

describe('config !file secrets against the sandbox', function () {
  this.timeout(120_000);
  let api: Api;
  let sb: TestSandbox;
  let dir: string;
  let outside: string;
  const token = rememberSecret(`ssws_${randomPat().slice(5)}`);
  const elsewhere = rememberSecret(`ssws_${randomPat().slice(5)}`);
  const leaks = (): string[] => {
    const where: string[] = [];
    const check = (what: string, text: string): void => {
      for (const v of [token, elsewhere]) if (text.includes(v)) where.push(what);
    };
    check('the log', api.testing.logTail.snapshot().join('\n'));
    check('messages', JSON.stringify([api.testing.prompts.shown, api.testing.prompts.asked]));
    for (const d of vscode.workspace.textDocuments)
      if (d.uri.scheme !== 'file' || !d.uri.fsPath.endsWith('.token')) check(d.uri.toString(), d.getText());
    for (const f of fs.readdirSync(dir)) if (f.endsWith('.json')) check(f, fs.readFileSync(path.join(dir, f), 'utf8'));
    return where;
  };

  before(async () => {
    api = await extensionApi();
    await signOutAll(api);
    sb = await startTestSandbox();
    const r = await run<{ ok: boolean; message: string }>('konnectDcr.signIn', {
      name: 'file-secret-sandbox',
      baseUrl: sb.konnectUrl,
      token: sb.token,
    });
    assert.equal(r.ok, true, r.message);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'a workspace folder is open');
    dir = fs.mkdtempSync(path.join(folder, 'kdcr-file-secret-test-'));
    fs.mkdirSync(path.join(dir, 'secrets'));
    fs.writeFileSync(path.join(dir, 'secrets', 'okta.token'), `${token}\n`);
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'kdcr-file-secret-outside-'));
    fs.writeFileSync(path.join(outside, 'their.token'), elsewhere);
    fs.symlinkSync(path.join(outside, 'their.token'), path.join(dir, 'secrets', 'link.token'));
  });
  after(async () => {
    api?.testing.prompts.clearScript();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await signOutAll(api);
    await sb?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    if (outside) fs.rmSync(outside, { recursive: true, force: true });
  });

  it('Apply sends the content of the file; Save Plan… keeps only its path', async () => {
    const uri = vscode.Uri.file(path.join(dir, 'konnect-dcr.file-secret.yaml'));
    fs.writeFileSync(uri.fsPath, file('File Secret Okta', 'secrets/okta.token'));
    const saved = await run<SavedPlanOutcome>(
      'konnectDcr.config.savePlan',
      uri,
      vscode.Uri.file(path.join(dir, 'file-secret.plan.json')),
      'apply',
    );
    assert.match(fs.readFileSync(saved.uri.fsPath, 'utf8'), /"path": "secrets\/okta\.token"/);
    api.testing.prompts.script({ id: 'config.apply.confirm', answer: 'Apply' });
    const applied = await run<ApplyOutcome>('konnectDcr.config.apply', uri);
    assert.ok(applied.result?.ok, applied.message);
    assert.match(applied.text, /dcr_config\.dcr_token: will be sent \(from the file secrets\/okta\.token\)/);
    const stored = [...sb.emulator.store.providers.values()].find((p) => p.name === 'File Secret Okta');
    assert.equal(stored?.secrets.dcr_token, token, 'the file content, without its trailing newline');
    assert.deepEqual(leaks(), []);
  });

  for (const [what, spec] of [
    ['a path out of the workspace folder', '../../outside.token'],
    ['a symlink out of it', 'secrets/link.token'],
  ] as const)
    it(`${what}: an error on the secret's line; Plan and Apply do nothing`, async () => {
      const name = `Escaping Okta ${spec.length}`;
      const uri = vscode.Uri.file(path.join(dir, `konnect-dcr.escape-${spec.length}.yaml`));
      fs.writeFileSync(uri.fsPath, file(name, spec));
      await vscode.window.showTextDocument(uri);
      const d = await waitFor('the !file problem', () =>
        vscode.languages.getDiagnostics(uri).find((x) => x.code === 'secret-file'),
      );
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(d.range.start.line, 6, 'on the dcr_token line');
      assert.match(d.message, /^dcr_config\.dcr_token: !file .* (is outside the workspace folder|is a symbolic link)/);

      const from = sb.emulator.requests.length;
      assert.equal(await run('konnectDcr.config.plan', uri), undefined);
      assert.equal(await run('konnectDcr.config.apply', uri), undefined);
      assert.match(api.testing.prompts.shown.at(-1)?.message ?? '', /^Konnect DCR: nothing was done: Escaping Okta/);
      assert.deepEqual(sb.emulator.requests.slice(from), [], 'Konnect was not even asked');
      assert.ok(![...sb.emulator.store.providers.values()].some((p) => p.name === name));
      assert.deepEqual(leaks(), []);
      assert.equal(api.testing.prompts.clearScript(), 0);
    });
});
