// Runs last but one (test/integration/index.ts: LAST): after every sign-in, tree, action and error flow above,
// no token or other secret the tests handed out may be found in settings, workspace files, global state, the log
// (the channel's file under context.logUri and its in-memory tail) or any message the extension showed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { extensionApi, run, shown, signOutAll, type Api } from './support/helpers';
import { startTestSandbox, type TestSandbox } from './support/sandbox';
import { rememberedSecrets } from './support/secrets';
import { seed } from './support/seed';

function files(dir: string, out: string[] = [], max = 5000): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    if (out.length >= max) break;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== '.git') files(p, out, max);
    } else if (e.isFile()) out.push(p);
  }
  return out;
}

function leaks(where: string, text: string, secrets: readonly string[]): string[] {
  return secrets.filter((s) => text.includes(s)).map((s) => `${where} contains a secret starting ${s.slice(0, 6)}…`);
}

describe('no secret anywhere after the flows above', () => {
  let api: Api;
  let sb: TestSandbox;
  let secrets: readonly string[];
  before(async () => {
    api = await extensionApi();
    // Scan while signed in (a connection stored, a token in the secret storage, trees and a details document loaded).
    sb = await startTestSandbox();
    const data = await seed(sb, 'scan-');
    const r = await run<{ ok: boolean; message: string }>('konnectDcr.signIn', {
      name: 'scan',
      baseUrl: sb.konnectUrl,
      token: sb.token,
    });
    assert.equal(r.ok, true, r.message);
    await shown(api.testing.trees.providers, undefined, 2);
    await shown(api.testing.trees.identity, undefined, 2);
    await run(
      'konnectDcr.copyYaml',
      (await shown(api.testing.trees.strategies)).find((n) => n.label === data.oidc.okta.name)!.node,
    );
    secrets = rememberedSecrets();
  });
  after(async () => {
    await signOutAll(api);
    await sb?.stop();
  });

  it('had secrets to look for (the other suites ran)', () => {
    assert.ok(secrets.length >= 5, `only ${secrets.length} secrets remembered: run the whole integration suite`);
  });

  it('not in the user, machine or workspace settings.json', () => {
    const userDir = path.resolve(api.testing.globalStorageUri.fsPath, '..', '..');
    const candidates = [
      path.join(userDir, 'settings.json'),
      path.join(userDir, '..', 'Machine', 'settings.json'),
      ...(vscode.workspace.workspaceFolders ?? []).map((f) => path.join(f.uri.fsPath, '.vscode', 'settings.json')),
    ];
    const found = candidates.filter((f) => fs.existsSync(f));
    assert.ok(
      found.includes(path.join(userDir, 'settings.json')),
      `the user settings.json is where expected (${userDir})`,
    );
    assert.deepEqual(
      found.flatMap((f) => leaks(f, fs.readFileSync(f, 'utf8'), secrets)),
      [],
    );
  });

  it('not in the workspace files', () => {
    const all = (vscode.workspace.workspaceFolders ?? []).flatMap((f) => files(f.uri.fsPath));
    assert.deepEqual(
      all.flatMap((f) => leaks(f, fs.readFileSync(f, 'latin1'), secrets)),
      [],
    );
  });

  it('not in global state (keys or values)', () => {
    const gs = api.testing.globalState;
    const keys = gs.keys();
    assert.ok(keys.includes('konnectDcr.connections'), 'the connections list is in global state');
    assert.deepEqual(gs.get('konnectDcr.connections'), [{ name: 'scan', baseUrl: sb.konnectUrl }]);
    assert.deepEqual(
      keys.flatMap((k) => leaks(`globalState[${k}]`, `${k}=${JSON.stringify(gs.get(k))}`, secrets)),
      [],
    );
  });

  it("not in the log: neither the channel's log file nor the in-memory tail", () => {
    const tail = api.testing.logTail.snapshot();
    assert.ok(
      tail.some((l) => l.includes('Signed in to Konnect as')),
      'the tail saw the sign-ins',
    );
    assert.deepEqual(leaks('the log tail', tail.join('\n'), secrets), []);
    // The LogOutputChannel writes "Konnect DCR.log" under the extension's log folder (context.logUri) or its parent.
    const logDir = api.testing.logUri.fsPath;
    const logFiles = [
      ...files(logDir),
      ...files(path.dirname(logDir)).filter((f) => /Konnect DCR/.test(path.basename(f))),
    ];
    const channelFile = logFiles.find((f) => fs.readFileSync(f, 'utf8').includes('[ext] activated'));
    assert.ok(channelFile, `found the channel's log file among ${logFiles.join(', ') || '(none)'} under ${logDir}`);
    assert.ok(fs.readFileSync(channelFile, 'utf8').includes('Signed in to Konnect as'), 'the file has the flows too');
    assert.deepEqual(
      logFiles.flatMap((f) => leaks(f, fs.readFileSync(f, 'utf8'), secrets)),
      [],
    );
  });

  it('not in any message or question the extension showed', () => {
    const text = JSON.stringify([api.testing.prompts.shown, api.testing.prompts.asked]);
    assert.ok(api.testing.prompts.shown.length > 5);
    assert.deepEqual(leaks('the messages', text, secrets), []);
  });

  it("not in the profile's storage files either (state database, global storage)", () => {
    const userDir = path.resolve(api.testing.globalStorageUri.fsPath, '..', '..');
    const all = files(userDir).filter((f) => fs.statSync(f).size < 50 * 2 ** 20);
    assert.ok(all.length > 0);
    assert.deepEqual(
      all.flatMap((f) => leaks(f, fs.readFileSync(f, 'latin1'), secrets)),
      [],
    );
  });
});
