// Runs after everything else, after secret-scan (test/integration/index.ts: LAST). secret-scan looks for the secrets the
// other suites handed out in settings, workspace files, global state, the log and shown messages. This file adds the
// secrets that never pass through a test's hands, and the places that scan does not look at:
//   - a Prove DCR run (test application kept, so its client secret goes to SecretStorage for the runner), one that
//     deletes it, and one in admin mode (the run creates a Kong Identity client itself and deletes it): the DCR client secrets Konnect returned once (caught as the sandbox's Kong Identity stores them) and
//     the access tokens (caught by a proxy in front of the gateway) must not be in the report, its view, the history…
//   - the request runner on that strategy: Send all, Copy as curl (the returned text and the clipboard), the history
//     entries (and the one picked from it: clipboard), the last response view;
// then every place: settings, workspace files, the generated request file, global state, the log (file and tail),
// every message and question shown, the profile's storage files, the clipboard, and what the commands returned.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ResponseViewModel } from '../../src/shared/response/protocol';
import { startFaultProxy, type FaultProxy } from '../reliability/support/faultProxy';
import { konnectClientFor, publish, setUpFlavour } from '../../sandbox/scenarios';
import { extensionApi, run, signOutAll, type Api } from './support/helpers';
import { startTestSandbox, type TestSandbox } from './support/sandbox';
import { rememberSecret, rememberedSecrets } from './support/secrets';

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

describe('secrets audit: Prove DCR and the runner, then every place a secret could land', function () {
  this.timeout(180_000);
  let api: Api;
  let sb: TestSandbox;
  let gw: FaultProxy;
  let tmp: string;
  /** What the commands returned (reports, view models, curl text, history entries). */
  const returned: { what: string; value: unknown }[] = [];
  /** Secrets seen only inside the sandbox: DCR client secrets Konnect handed out, access tokens sent to the gateway. */
  const caught = new Set<string>();
  /** The secrets of each Kong Identity client the sandbox stored, by client name. */
  const clientSecretsByName = new Map<string, string[]>();
  let clipboardWorks = false;
  const clipboardSeen: string[] = [];

  const catchSecrets = (value: unknown): void => {
    const walk = (v: unknown, key = ''): void => {
      if (typeof v === 'string') {
        if (/secret/i.test(key) && v.length >= 8) caught.add(v);
        return;
      }
      if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
    };
    walk(value);
  };
  const readClipboard = async (): Promise<void> => {
    if (clipboardWorks) clipboardSeen.push(await vscode.env.clipboard.readText());
  };

  before(async () => {
    api = await extensionApi();
    await signOutAll(api);
    sb = await startTestSandbox();
    rememberSecret(sb.state.developer.password);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kdcr-audit-'));
    // every Kong Identity client the sandbox creates (a DCR registration) or deletes: its secrets
    const clients = sb.emulator.store.clients;
    const set = clients.set.bind(clients),
      del = clients.delete.bind(clients);
    clients.set = (k, v) => {
      catchSecrets(v);
      clientSecretsByName.set(
        v.name,
        v.secrets.map((x) => x.secret),
      );
      return set(k, v);
    };
    clients.delete = (k) => {
      catchSecrets(clients.get(k));
      return del(k);
    };
    gw = await startFaultProxy(sb.state.gatewayUrl);
    const r = await run<{ ok: boolean; message: string }>('konnectDcr.signIn', {
      name: 'audit',
      baseUrl: sb.konnectUrl,
      token: sb.token,
    });
    assert.equal(r.ok, true, r.message);
    // can this host read back what the extension copies? (the web workbench may refuse without a user gesture)
    try {
      const marker = `kdcr-clipboard-${Date.now()}`;
      await vscode.env.clipboard.writeText(marker);
      clipboardWorks = (await vscode.env.clipboard.readText()) === marker;
    } catch {
      clipboardWorks = false;
    }
  });
  after(async () => {
    api?.testing.prompts.clearScript();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await signOutAll(api);
    await gw?.stop();
    await sb?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('runs Prove DCR twice (keeping the test application, then deleting it) and the runner on the same strategy', async () => {
    const konnect = konnectClientFor(sb.sandbox);
    try {
      const setup = await setUpFlavour(sb.sandbox, konnect, 'kongIdentity', 'audit');
      const pub = await publish(sb.sandbox, konnect, setup.strategy.id, 'audit-orders');
      const routeUrl = `${gw.url}/${pub.slug}/anything`;
      api.testing.prompts.script(
        { id: 'prove.mode', answer: 'As a test developer' },
        { id: 'prove.developerEmail', answer: sb.state.developer.email },
        { id: 'prove.developerPassword', answer: sb.state.developer.password },
      );
      const kept = await run<{ verdict: string; application?: { kept: boolean } }>('konnectDcr.prove', {
        strategy: setup.strategy.name,
        routeUrl,
        keepApp: true,
      });
      returned.push({ what: 'the Prove DCR report (app kept)', value: kept });
      assert.equal(kept.verdict, 'pass', JSON.stringify(kept));
      assert.equal(kept.application?.kept, true);
      const deleted = await run<{ verdict: string }>('konnectDcr.prove', {
        strategy: setup.strategy.name,
        routeUrl,
        keepApp: false,
      });
      returned.push({ what: 'the Prove DCR report', value: deleted });
      assert.equal(deleted.verdict, 'pass', JSON.stringify(deleted));
      // admin mode: no developer signs in; the run creates the Kong Identity client itself, so its secret is seen
      // only by the run (and caught above as the sandbox stores it)
      const admin = await run<{ verdict: string; mode: string; application?: { name: string } }>('konnectDcr.prove', {
        strategy: setup.strategy.name,
        routeUrl,
        mode: 'admin',
      });
      returned.push({ what: 'the admin-mode Prove DCR report', value: admin });
      assert.equal(admin.verdict, 'pass', JSON.stringify(admin));
      assert.equal(admin.mode, 'admin');
      const adminSecrets = clientSecretsByName.get(admin.application?.name ?? '') ?? [];
      assert.ok(
        adminSecrets.length && adminSecrets.every((x) => caught.has(x)),
        "the admin run's KI client secret is audited",
      );
      returned.push({ what: 'the Prove DCR view (show last)', value: await run('konnectDcr.prove.showLast') });

      // the runner on that strategy: the kept application's credentials are already in SecretStorage
      const uri = await run<vscode.Uri | undefined>('konnectDcr.runner.createValidationRequests', setup.strategy.id, {
        gatewayUrl: routeUrl,
        target: path.join(tmp, 'audit.http'),
      });
      assert.ok(uri, 'a request file was written');
      assert.equal(api.testing.prompts.clearScript(), 0, 'every scripted answer was used');
      const views = await run<ResponseViewModel[]>('konnectDcr.runner.sendAll', uri);
      returned.push({ what: 'the response views (Send all)', value: views });
      assert.deepEqual(
        views.map((v) => v.status),
        [200, 200],
        JSON.stringify(views.map((v) => v.error ?? v.status)),
      );
      const tokenLine = fs
        .readFileSync(uri.fsPath, 'utf8')
        .split('\n')
        .findIndex((l) => l.startsWith('POST '));
      returned.push({ what: 'Copy as curl', value: await run<string>('konnectDcr.runner.copyAsCurl', uri, tokenLine) });
      await readClipboard();
      api.testing.prompts.script({ id: 'runner.history', answer: '200 POST' });
      returned.push({ what: 'the history', value: await run('konnectDcr.runner.showHistory') });
      await readClipboard();
      api.testing.prompts.clearScript();
      returned.push({ what: 'the last response view', value: await run('konnectDcr.runner.showLastResponse') });
    } finally {
      await konnect.close();
    }
    for (const h of gw.hits) {
      const m = /^Bearer\s+(\S+)/i.exec(h.authorization ?? '');
      if (m) caught.add(m[1]!);
    }
    assert.ok(caught.size >= 4, `caught the DCR client secrets and the access tokens (${caught.size})`);
  });

  describe('none of them, nor any secret the other suites handed out, is anywhere', () => {
    let secrets: string[];
    before(() => {
      secrets = [...new Set([...rememberedSecrets(), ...caught])];
    });
    const leaks = (where: string, text: string): string[] =>
      secrets.filter((s) => text.includes(s)).map((s) => `${where} contains a secret starting ${s.slice(0, 6)}…`);

    it('not in what the commands returned (reports, views, curl, history)', () => {
      assert.ok(returned.length >= 7);
      assert.deepEqual(
        returned.flatMap((r) => leaks(r.what, JSON.stringify(r.value) ?? '')),
        [],
      );
    });

    it('not on the clipboard after Copy as curl and a pick from the history', function () {
      if (!clipboardWorks) this.skip(); // the web workbench did not let the host read the clipboard back
      assert.equal(clipboardSeen.length, 2);
      assert.match(clipboardSeen[0]!, /^curl /);
      assert.deepEqual(
        clipboardSeen.flatMap((t, i) => leaks(`the clipboard (copy ${i + 1})`, t)),
        [],
      );
    });

    it('not in the generated request file, the workspace files or the settings', () => {
      const userDir = path.resolve(api.testing.globalStorageUri.fsPath, '..', '..');
      const all = [
        ...files(tmp),
        ...(vscode.workspace.workspaceFolders ?? []).flatMap((f) => files(f.uri.fsPath)),
        path.join(userDir, 'settings.json'),
        path.join(userDir, '..', 'Machine', 'settings.json'),
      ].filter((f) => fs.existsSync(f));
      assert.ok(all.some((f) => f.endsWith('audit.http')));
      assert.deepEqual(
        all.flatMap((f) => leaks(f, fs.readFileSync(f, 'latin1'))),
        [],
      );
    });

    it('not in global state: the runner history, the Prove DCR routes, the connections', () => {
      const gs = api.testing.globalState;
      const history = gs.get<unknown[]>('konnectDcr.runner.history') ?? [];
      assert.ok(history.length >= 2, 'the runs are in the history');
      assert.deepEqual(
        gs.keys().flatMap((k) => leaks(`globalState[${k}]`, `${k}=${JSON.stringify(gs.get(k))}`)),
        [],
      );
    });

    it('not in the log (tail and file) nor in any message or question shown', () => {
      const tail = api.testing.logTail.snapshot();
      assert.ok(
        tail.some((l) => /prove/i.test(l)),
        'the log saw the Prove DCR runs',
      );
      assert.deepEqual(leaks('the log tail', tail.join('\n')), []);
      const logDir = api.testing.logUri.fsPath;
      const logFiles = [
        ...files(logDir),
        ...files(path.dirname(logDir)).filter((f) => /Konnect DCR/.test(path.basename(f))),
      ];
      assert.deepEqual(
        logFiles.flatMap((f) => leaks(f, fs.readFileSync(f, 'utf8'))),
        [],
      );
      assert.deepEqual(
        leaks('the messages and questions', JSON.stringify([api.testing.prompts.shown, api.testing.prompts.asked])),
        [],
      );
    });

    it("not in the profile's storage files (state database, global storage)", () => {
      const userDir = path.resolve(api.testing.globalStorageUri.fsPath, '..', '..');
      const all = files(userDir).filter((f) => fs.statSync(f).size < 50 * 2 ** 20);
      assert.deepEqual(
        all.flatMap((f) => leaks(f, fs.readFileSync(f, 'latin1'))),
        [],
      );
    });
  });
});
