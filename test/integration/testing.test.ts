// The Testing view and the language-model tools in the extension host against the local sandbox: Prove DCR per DCR
// auth strategy and each .http request with expectations are test items (discovered lazily, following the files and
// the sign-in), run one at a time or all at once through the run profile, with pass/fail outcomes, messages naming
// what failed, and durations; each language-model tool answers through vscode.lm.invokeTool with fixed content and
// no secret.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { KonnectClient } from '../../src/core/api/index';
import type { Sandbox } from '../../sandbox/index';
import { createApp, publish, setUpFlavour, type FlavourSetup, type Published } from '../../sandbox/scenarios';
import { strategyView } from '../../src/core/requests/jwt';
import { HISTORY_KEY } from '../../src/core/requests/history';
import { PROVE_GROUP_ID } from '../../src/ui/testing/ids';
import type { TestOutcome } from '../../src/ui/testing/controller';
import { ToolNames } from '../../src/ui/tools/tools';
import { extensionApi, run, signOutAll, startSignedIn, waitFor, type Api } from './support/helpers';
import { rememberSecret } from './support/secrets';

const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
const children = (item: vscode.TestItem): vscode.TestItem[] => {
  const out: vscode.TestItem[] = [];
  item.children.forEach((c) => void out.push(c));
  return out;
};
const oidc = (s: FlavourSetup) => {
  const v = strategyView(s.strategy);
  assert.ok(v, 'an openid_connect strategy');
  return { issuer: v.issuer, credential_claim: v.credentialClaims, scopes: v.scopes, auth_methods: v.authMethods };
};
const textOf = (r: vscode.LanguageModelToolResult): string =>
  r.content
    .map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : (p as { value?: string }).value))
    .join('');

describe('Testing view and language-model tools against the sandbox', function () {
  this.timeout(180_000);
  let api: Api;
  let sb: Sandbox;
  let konnect: KonnectClient;
  let good: FlavourSetup;
  let unpublished: FlavourSetup;
  let pub: Published;
  let app: { clientId: string; clientSecret: string };
  let dir: vscode.Uri;
  let file: vscode.Uri;
  let tests: Api['testing']['tests'];

  const runProfile = async (include?: readonly vscode.TestItem[]): Promise<TestOutcome[]> => {
    const n = tests.backend.runs.length;
    const cts = new vscode.CancellationTokenSource();
    await tests.profile.runHandler(new vscode.TestRunRequest(include), cts.token);
    cts.dispose();
    assert.equal(tests.backend.runs.length, n + 1, 'one run recorded');
    return tests.backend.runs.at(-1)!;
  };
  const byLabel = (outcomes: readonly TestOutcome[], label: string): TestOutcome => {
    const o = outcomes.find((x) => x.label === label);
    assert.ok(o, `${label} among ${outcomes.map((x) => x.label).join(', ')}`);
    return o;
  };
  const noSecret = (s: string): void => {
    for (const secret of [app.clientSecret, sb.state.token, sb.state.developer.password])
      assert.ok(!s.includes(secret), 'no secret in what is shown');
  };

  before(async () => {
    api = await extensionApi();
    tests = api.testing.tests;
    await signOutAll(api);
    ({ sb, konnect } = await startSignedIn('testing-view-sandbox'));
    good = await setUpFlavour(sb, konnect, 'kongIdentity', 'tv-good');
    unpublished = await setUpFlavour(sb, konnect, 'kongIdentity', 'tv-unpublished');
    pub = await publish(sb, konnect, good.strategy.id, 'testing-view-api');
    app = await createApp(sb, pub.portalApiUrl, good.strategy.id, 'testing-view-app', pub.apiId);
    rememberSecret(app.clientSecret);
    await api.testing.model.refresh(['catalog']);

    const ws = vscode.workspace.workspaceFolders![0]!.uri;
    dir = vscode.Uri.joinPath(ws, 'testing-view');
    fs.rmSync(dir.fsPath, { recursive: true, force: true });
    fs.mkdirSync(dir.fsPath, { recursive: true });
    // no strategy linked: not a test
    fs.writeFileSync(path.join(dir.fsPath, 'plain.http'), 'GET http://127.0.0.1:9/plain\n');
    api.testing.prompts.script(
      { id: 'runner.clientId', answer: app.clientId },
      { id: 'runner.clientSecret', answer: app.clientSecret },
    );
    file = (await run<vscode.Uri>('konnectDcr.runner.createValidationRequests', good.strategy.id, {
      gatewayUrl: `${sb.state.gatewayUrl}/${pub.slug}/anything`,
      target: path.join(dir.fsPath, 'orders.http'),
      open: false,
    }))!;
    // a third request the gateway refuses: an opaque Bearer token
    fs.appendFileSync(
      file.fsPath,
      '\n### Refused\n# @name refused\nGET {{gateway}}\nAuthorization: Bearer not-a-jwt\n',
    );
    assert.equal(api.testing.prompts.clearScript(), 0);
  });
  after(async () => {
    api?.testing.prompts.clearScript();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (dir) fs.rmSync(dir.fsPath, { recursive: true, force: true });
    await signOutAll(api);
    await konnect?.close();
    await sb?.stop();
  });

  it('lists Prove DCR per DCR strategy and the .http requests with expectations, lazily', async () => {
    const c = tests.controller;
    assert.equal(c.id, 'konnectDcr');
    assert.equal(tests.profile.isDefault, true);
    assert.equal(tests.profile.kind, vscode.TestRunProfileKind.Run);
    await c.resolveHandler!(undefined);
    const group = c.items.get(PROVE_GROUP_ID);
    assert.ok(group, 'the Prove DCR group (signed in)');
    assert.equal(group.label, 'Prove DCR · testing-view-sandbox');
    assert.equal(group.children.size, 0, 'strategies are listed when the group is expanded');
    await c.resolveHandler!(group);
    assert.deepEqual(
      children(group)
        .map((i) => `${i.label} | ${i.description}`)
        .sort(),
      [good, unpublished].map((s) => `${s.strategy.name} | ${s.provider.name} (kongIdentity)`).sort(),
    );

    const fileItem = c.items.get(file.toString());
    assert.ok(fileItem, 'orders.http is listed');
    assert.equal(fileItem.label, 'testing-view/orders.http');
    assert.ok(!c.items.get(vscode.Uri.joinPath(dir, 'plain.http').toString()), 'a file with no strategy is not');
    assert.equal(fileItem.children.size, 0, 'its requests are listed when it is expanded');
    await c.resolveHandler!(fileItem);
    const lines = fs.readFileSync(file.fsPath, 'utf8').split('\n');
    assert.deepEqual(
      children(fileItem).map((i) => `${i.label} @${i.range?.start.line}`),
      [
        `token @${lines.indexOf('POST {{tokenUrl}}')}`,
        `gateway @${lines.indexOf('GET {{gateway}}')}`,
        `refused @${lines.lastIndexOf('GET {{gateway}}')}`,
      ],
    );
  });

  it('runs a single item: Prove DCR passes, with its duration', async () => {
    api.testing.prompts.script(
      { id: 'prove.mode', answer: 'As a test developer' },
      { id: 'prove.developerEmail', answer: sb.state.developer.email },
      { id: 'prove.developerPassword', answer: sb.state.developer.password },
      { id: 'prove.gatewayUrl', answer: `${sb.state.gatewayUrl}/${pub.slug}/anything` },
    );
    const item = tests.controller.items.get(PROVE_GROUP_ID)!.children.get(`${PROVE_GROUP_ID}/${good.strategy.id}`)!;
    const before = sb.konnect.store.applications.size;
    const [o, ...rest] = await runProfile([item]);
    assert.deepEqual(rest, [], 'only that item ran');
    assert.equal(o!.outcome, 'passed', o!.message);
    assert.ok(o!.durationMs! > 0 && Number.isInteger(o!.durationMs), `duration ${o!.durationMs}`);
    assert.equal(sb.konnect.store.applications.size, before, 'the test application was deleted');
    assert.equal(api.testing.prompts.clearScript(), 0, 'every scripted answer was used');
  });

  it('runs everything: passes and failures, each failure naming what failed, with durations', async () => {
    const outcomes = await runProfile();
    assert.deepEqual(
      outcomes.map((o) => `${o.label}: ${o.outcome}`),
      [
        'token: passed',
        'gateway: passed',
        'refused: failed',
        ...[good, unpublished]
          .map((s) => s.strategy.name)
          .sort((a, b) => a.localeCompare(b))
          .map((n) => `${n}: ${n === good.strategy.name ? 'passed' : 'failed'}`),
      ],
      JSON.stringify(outcomes, null, 1),
    );
    for (const o of outcomes) assert.ok(o.durationMs! > 0, `${o.label} has a duration`);
    assert.match(byLabel(outcomes, 'refused').message!, /^Expected a success, got HTTP 401 Unauthorized: /);
    assert.match(
      byLabel(outcomes, unpublished.strategy.name).message!,
      /^Step 2 \(Strategy is published on the API\) failed: /,
    );
    noSecret(JSON.stringify(outcomes));
  });

  it('follows the file: an edit on disk adds the request, deleting the file removes it', async () => {
    const fileItem = tests.controller.items.get(file.toString())!;
    fs.appendFileSync(file.fsPath, '\n### Again\nGET {{gateway}}\nAuthorization: Bearer {{token.access_token}}\n');
    await waitFor('the new request', () => fileItem.children.size === 4, 15_000);
    assert.equal(children(fileItem)[3]!.label, 'Again');
    const extra = vscode.Uri.joinPath(dir, 'extra.http');
    fs.writeFileSync(
      extra.fsPath,
      `# @strategy ${good.strategy.id}\nGET ${sb.state.gatewayUrl}/${pub.slug}/anything\n`,
    );
    await waitFor('a new file', () => tests.controller.items.get(extra.toString()), 15_000);
    fs.rmSync(extra.fsPath);
    await waitFor('the file gone', () => !tests.controller.items.get(extra.toString()), 15_000);
  });

  describe('language-model tools', () => {
    const invoke = async (name: string, input: object): Promise<string> =>
      textOf(await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }));

    it('are contributed and registered', () => {
      const names = vscode.lm.tools.map((t) => t.name);
      for (const n of Object.values(ToolNames)) assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
    });

    it('list DCR providers and auth strategies', async () => {
      const out = await invoke(ToolNames.list, {});
      assert.equal(await invoke(ToolNames.list, {}), out, 'the same answer twice');
      const lines = out.split('\n');
      assert.equal(lines[0], 'Connection "testing-view-sandbox": 2 DCR provider(s), 2 auth strategy(ies).');
      assert.equal(lines[2], 'DCR providers:');
      assert.ok(
        lines.includes(
          `- ${good.provider.name} · type kongIdentity · issuer ${good.provider.issuer} · id ${good.provider.id} · used by ${good.strategy.name}`,
        ),
        out,
      );
      const v = oidc(good);
      assert.ok(
        lines.includes(
          `- ${good.strategy.name} · openid_connect · DCR provider ${good.provider.name} (kongIdentity) · issuer ${v.issuer} · credential claim ${v.credential_claim.join(', ')} · scopes ${v.scopes.join(' ') || '—'} · auth methods ${v.auth_methods.join(', ')} · in use by an API · id ${good.strategy.id}`,
        ),
        out,
      );
    });

    it('check a token against a strategy, never repeating the token', async () => {
      const v = oidc(good);
      const now = Math.floor(Date.now() / 1000);
      const claims = Object.fromEntries(v.credential_claim.map((c) => [c, 'client-123']));
      const jwt = (iss: string): string =>
        `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ iss, ...claims, scope: v.scopes.join(' '), iat: now, exp: now + 3600 })}.c2ln`;
      const ok = await invoke(ToolNames.checkToken, { token: jwt(v.issuer), strategy: good.strategy.name });
      assert.match(ok.split('\n')[0]!, /^The token against the auth strategy ".+": every check passed/);
      assert.ok(ok.includes('\n- iss: pass. '), ok);
      const bad = await invoke(ToolNames.checkToken, {
        token: `Bearer ${jwt('https://elsewhere.example.com')}`,
        strategy: good.strategy.id,
      });
      assert.match(bad.split('\n')[0]!, /: 1 check\(s\) failed/);
      assert.ok(bad.includes('\n- iss: fail. '), bad);
      assert.ok(!bad.includes(jwt('https://elsewhere.example.com')) && !bad.includes('eyJ'), 'the token is not in it');
    });

    it('explain a refused request from its last run, sending nothing', async () => {
      const line = fs.readFileSync(file.fsPath, 'utf8').split('\n').indexOf('# @name refused') + 2;
      const history = (): string => JSON.stringify(api.testing.globalState.get(HISTORY_KEY));
      const sent = history();
      const out = await invoke(ToolNames.explain, { file: 'testing-view/orders.http', line });
      assert.equal(history(), sent, "nothing sent (the runner's history is as it was)");
      const explained = await run<{ summary: string }>('konnectDcr.runner.explain', file, line - 1);
      assert.equal(
        out.split('\n').slice(0, 2).join('\n'),
        `"refused · GET /${pub.slug}/anything" (testing-view/orders.http, line ${line}) answered HTTP 401 Unauthorized.\nExplanation: ${explained.summary}`,
      );
      const never = await invoke(ToolNames.explain, { file: 'testing-view/plain.http', line: 1 });
      assert.match(never, /^No run of that request in this window: send it first/);
    });

    it('prove DCR only after a confirmation, and report the steps without secrets', async () => {
      const tool = api.testing.tools[ToolNames.prove];
      const cts = new vscode.CancellationTokenSource();
      const prepared = await tool.prepareInvocation!({ input: { strategy: good.strategy.name } }, cts.token);
      assert.equal(prepared?.confirmationMessages?.title, `Prove DCR for "${good.strategy.name}"?`);
      assert.match(
        (prepared.confirmationMessages.message as vscode.MarkdownString).value,
        /creates a \*\*test application\*\*.*\*\*deletes the application\*\*/,
      );
      // vscode.lm.invokeTool outside a chat asks in a modal dialog, which no in-host test can answer: invoke it directly
      const out = textOf(
        (await tool.invoke({ input: { strategy: good.strategy.name }, toolInvocationToken: undefined }, cts.token))!,
      );
      const lines = out.split('\n');
      assert.match(lines[0]!, new RegExp(`^Prove DCR for "${good.strategy.name}": PASSED in \\d+ ms\\.$`));
      assert.deepEqual(
        lines.slice(1, 8).map((l) => l.replace(/ \(\d+ ms\)\..*$/, '')),
        [
          '1. DCR provider verifies: pass',
          '2. Strategy is published on the API: pass',
          '3. Test application created and registered: pass',
          '4. Token from the identity provider: pass',
          '5. Token matches the strategy: pass',
          '6. Gateway accepts the token: pass',
          '7. Test application and its IdP client deleted: pass',
        ],
      );
      noSecret(out);
      assert.ok(!/eyJ[\w-]+\.[\w-]+/.test(out), 'no token');
      cts.dispose();
    });
  });

  // last (mocha runs a suite's own tests before its nested suites)
  describe('signed out', () => {
    it('the Prove DCR group goes away', async () => {
      await signOutAll(api);
      await waitFor('no Prove DCR group', () => !tests.controller.items.get(PROVE_GROUP_ID));
      assert.ok(tests.controller.items.get(file.toString()), 'the request files stay');
    });
  });
});
