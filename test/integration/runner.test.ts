// The request runner in the extension host against the whole local sandbox (Konnect emulator, the six IdP flavours,
// the JWT-checking gateway), driven through the runner's commands: for every provider flavour, the generated
// validation requests get a token and a gateway 200 with every token check passing; then the failures, explained.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { KonnectClient } from '../../src/core/api/index';
import type { ResponseViewModel } from '../../src/shared/response/protocol';
import type { Sandbox } from '../../sandbox/index';
import { createApp, PROVIDER_TYPES, publish, setUpFlavour, type Published } from '../../sandbox/scenarios';
import { extensionApi, run, signOutAll, startSignedIn, waitFor, type Api } from './support/helpers';
import { rememberSecret } from './support/secrets';

const C = {
  send: 'konnectDcr.runner.send',
  sendAll: 'konnectDcr.runner.sendAll',
  cancel: 'konnectDcr.runner.cancel',
  explain: 'konnectDcr.runner.explain',
  create: 'konnectDcr.runner.createValidationRequests',
  forget: 'konnectDcr.runner.forgetSecrets',
  last: 'konnectDcr.runner.showLastResponse',
  history: 'konnectDcr.runner.showHistory',
  curl: 'konnectDcr.runner.copyAsCurl',
};

const failedChecks = (m: ResponseViewModel) =>
  m.tokens.flatMap((t) => (t.checks ?? []).filter((c) => c.status === 'fail'));
const lineOf = (uri: vscode.Uri, prefix: string): number =>
  fs
    .readFileSync(uri.fsPath, 'utf8')
    .split('\n')
    .findIndex((l) => l.startsWith(prefix));

describe('request runner against the sandbox', function () {
  this.timeout(120_000);
  let api: Api;
  let sb: Sandbox;
  let konnect: KonnectClient;
  let tmp: string;

  before(async () => {
    api = await extensionApi();
    await signOutAll(api);
    ({ sb, konnect } = await startSignedIn('runner-sandbox'));
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kdcr-runner-'));
  });
  after(async () => {
    api?.testing.prompts.clearScript();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await signOutAll(api);
    await konnect?.close();
    await sb?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** Generated requests for a strategy, with the app's credentials answered once. */
  async function generate(
    strategyArg: unknown,
    app: { clientId: string; clientSecret: string } | undefined,
    gatewayUrl: string,
    name: string,
  ): Promise<vscode.Uri> {
    if (app)
      api.testing.prompts.script(
        { id: 'runner.clientId', answer: app.clientId },
        { id: 'runner.clientSecret', answer: app.clientSecret },
      );
    const uri = await run<vscode.Uri | undefined>(C.create, strategyArg, {
      gatewayUrl,
      target: path.join(tmp, `${name}.http`),
    });
    assert.ok(uri, 'a file was written');
    assert.equal(api.testing.prompts.clearScript(), 0, 'every scripted answer was used');
    return uri;
  }

  for (const type of PROVIDER_TYPES) {
    it(`${type}: generated requests → token → gateway 200, every token check passing`, async () => {
      const setup = await setUpFlavour(sb, konnect, type, `rn-${type}`);
      const pub = await publish(sb, konnect, setup.strategy.id, `runner-${type}`);
      const app = await createApp(sb, pub.portalApiUrl, setup.strategy.id, `runner-app-${type}`, pub.apiId);
      rememberSecret(app.clientSecret);
      // by id: the command reads the strategy from the signed-in connection
      const uri = await generate(setup.strategy.id, app, `${sb.state.gatewayUrl}/${pub.slug}/anything`, type);
      const text = fs.readFileSync(uri.fsPath, 'utf8');
      assert.ok(!text.includes(app.clientSecret) && !text.includes(app.clientId), 'no credential in the file');
      assert.match(text, new RegExp(`^# @strategy ${setup.strategy.id}$`, 'm'));
      assert.match(text, /^# The token endpoint comes from .*\/\.well-known\/openid-configuration\.$/m);

      // CodeLens: Send all on top, Send on each request line
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      const titles = lenses.map((l) => `${l.range.start.line}:${l.command?.title}`);
      const tokenLine = lineOf(uri, 'POST {{tokenUrl}}');
      const gatewayLine = lineOf(uri, 'GET {{gateway}}');
      for (const t of ['0:$(run-all) Send all', `${tokenLine}:$(play) Send`, `${gatewayLine}:$(play) Send`])
        assert.ok(titles.includes(t), `${t} in ${titles.join(' | ')}`);

      const [token, gateway] = await run<ResponseViewModel[]>(C.sendAll, uri);
      assert.equal(token?.status, 200, `token endpoint: ${token?.error ?? token?.body}`);
      const at = token.tokens.find((t) => t.source === 'response.access_token');
      assert.ok(at?.jwt, 'the access token is decoded');
      assert.deepEqual(failedChecks(token), [], JSON.stringify(at.checks));
      assert.ok((at.checks ?? []).some((c) => c.label === 'iss' && c.status === 'pass'));
      assert.ok((at.checks ?? []).some((c) => c.label.startsWith('credential claim') && c.status === 'pass'));
      assert.ok(at.expires, 'expiry shown');
      assert.equal(gateway?.status, 200, `gateway: ${gateway?.body}`);
      assert.deepEqual(failedChecks(gateway), []);
      assert.match(gateway.checkSummary ?? '', /^(\d+)\/\1 token checks passed$/);
      assert.match(gateway.request.headers.find(([k]) => k === 'Authorization')?.[1] ?? '', /^Bearer ‹redacted›$/);
      const shown = JSON.stringify([token, gateway]);
      assert.ok(!shown.includes(app.clientSecret), 'the client secret is not in the view');
      assert.ok(gateway.timings && gateway.timings.totalMs > 0);

      const last = await run<{ model: ResponseViewModel; lineStatus: string }>(C.last);
      assert.match(last.lineStatus, /^200 OK · \d+ ms · (\d+)\/\1 token checks passed$/);
    });
  }

  describe('failures, explained', () => {
    let setup: Awaited<ReturnType<typeof setUpFlavour>>;
    let orders: Published;
    let billing: Published;
    let uri: vscode.Uri;
    let tokenLine: number;
    let gatewayLine: number;
    let app: { clientId: string; clientSecret: string };

    before(async () => {
      setup = await setUpFlavour(sb, konnect, 'kongIdentity', 'rn-fail');
      orders = await publish(sb, konnect, setup.strategy.id, 'runner-fail-orders');
      billing = await publish(sb, konnect, setup.strategy.id, 'runner-fail-billing', orders.portalId);
      app = await createApp(sb, orders.portalApiUrl, setup.strategy.id, 'runner-fail-app', orders.apiId);
      rememberSecret(app.clientSecret);
      // a tree node as argument, as the Auth Strategies view passes it
      uri = await generate(
        { kind: 'strategy', strategy: setup.strategy },
        app,
        `${sb.state.gatewayUrl}/${orders.slug}/anything`,
        'fail-orders',
      );
      tokenLine = lineOf(uri, 'POST {{tokenUrl}}');
      gatewayLine = lineOf(uri, 'GET {{gateway}}');
    });

    it("wrong secret: the token endpoint's invalid_client is explained; Explain shows on the request", async () => {
      const key = `strategy.${setup.strategy.id}.clientSecret`;
      assert.equal(await run<number>(C.forget, [key]), 1);
      const wrong = rememberSecret(`${app.clientSecret}-wrong`);
      api.testing.prompts.script({ id: 'runner.secret', answer: wrong });
      const m = await run<ResponseViewModel>(C.send, uri, tokenLine);
      assert.equal(m.status, 401);
      assert.equal(m.explanation?.findings[0]?.rule, 'token.invalid_client');
      assert.match(m.explanation!.summary, /^The IdP refused the client credentials \(invalid_client/);
      assert.ok(!JSON.stringify(m).includes(wrong), 'the wrong secret is redacted too');
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      assert.ok(lenses.some((l) => l.range.start.line === tokenLine && l.command?.title === '$(question) Explain'));
      const e = await run<{ findings: { rule: string }[] }>(C.explain, uri, tokenLine);
      assert.equal(e.findings[0]?.rule, 'token.invalid_client');
      // store the right one again
      await run(C.forget, [key]);
      api.testing.prompts.script({ id: 'runner.secret', answer: app.clientSecret });
      assert.equal((await run<ResponseViewModel>(C.send, uri, tokenLine)).status, 200);
    });

    it('unregistered app: a token for an app registered for another API is explained', async () => {
      const other = await generate(
        setup.strategy.id,
        undefined,
        `${sb.state.gatewayUrl}/${billing.slug}/anything`,
        'fail-billing',
      );
      const [tok, gw] = await run<ResponseViewModel[]>(C.sendAll, other);
      assert.equal(tok?.status, 200);
      assert.equal(gw?.status, 403);
      assert.deepEqual(failedChecks(gw!), [], 'the token itself is fine');
      assert.equal(gw!.explanation?.findings[0]?.rule, 'gw.other_api');
      assert.match(
        gw!.explanation!.findings[0]!.text,
        /^The app is registered for another API \(runner-fail-orders\), not for runner-fail-billing/,
      );
    });

    it("missing claim: the strategy's credential claim is not in the token", async () => {
      await konnect.authStrategies.update(setup.strategy.id, {
        configs: { 'openid-connect': { credential_claim: ['azp'] } },
      });
      try {
        await run(C.send, uri, tokenLine);
        const gw = await run<ResponseViewModel>(C.send, uri, gatewayLine);
        assert.equal(gw.status, 403);
        assert.deepEqual(
          failedChecks(gw).map((c) => c.label),
          ['credential claim azp'],
        );
        const f = gw.explanation?.findings.find((x) => x.rule === 'gw.credential_claim');
        assert.match(
          f?.text ?? '',
          /^The token has no `azp` claim; the strategy's credential claim is `azp`\. Kong Identity tokens carry the client id in `sub`\./,
        );
      } finally {
        await konnect.authStrategies.update(setup.strategy.id, {
          configs: { 'openid-connect': { credential_claim: ['sub'] } },
        });
      }
    });

    it('expired token: explained with the expiry in local time', async () => {
      // the app's client at the Kong Identity auth server issues 1-second tokens from now on (set on the store: the
      // API refuses durations under 60 s)
      const store = sb.konnect.identity as unknown as { clients: Map<string, { access_token_duration: number }> };
      const client = store.clients.get(`${setup.authServerId}/${app.clientId}`);
      assert.ok(client, 'the DCR client is in the Kong Identity store');
      client.access_token_duration = 1;
      try {
        const tok = await run<ResponseViewModel>(C.send, uri, tokenLine);
        const exp = Number(tok.tokens[0]?.payload?.['exp']);
        assert.ok(exp > 0);
        await waitFor('the token to expire', () => Date.now() > exp * 1000 + 20, 5000);
        const gw = await run<ResponseViewModel>(C.send, uri, gatewayLine);
        assert.equal(gw.status, 401);
        assert.deepEqual(
          failedChecks(gw).map((c) => c.label),
          ['exp'],
        );
        assert.equal(gw.explanation?.findings[0]?.rule, 'gw.expired');
        assert.match(gw.explanation!.findings[0]!.text, /^The token expired at .+ \(\d+ s ago\): get a new one/);
      } finally {
        client.access_token_duration = 300;
      }
    });

    it("tampered token: the signature check fails against the issuer's keys, and Explain says so", async () => {
      assert.equal((await run<ResponseViewModel>(C.send, uri, tokenLine)).status, 200);
      assert.equal(await run<boolean>('konnectDcr.runner.copyAccessToken', uri, tokenLine), true);
      const token = rememberSecret(await vscode.env.clipboard.readText());
      const [h, p, s] = token.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
      const tampered = rememberSecret(
        `${h}.${Buffer.from(JSON.stringify({ ...claims, scope: 'orders:read admin' })).toString('base64url')}.${s}`,
      );
      const file = path.join(tmp, 'tampered.http');
      fs.writeFileSync(
        file,
        `# @strategy ${setup.strategy.id}\nGET ${sb.state.gatewayUrl}/${orders.slug}/anything\nAuthorization: Bearer ${tampered}\n`,
      );
      const gw = await run<ResponseViewModel>(C.send, vscode.Uri.file(file), 1);
      await vscode.env.clipboard.writeText('');
      assert.equal(gw.status, 401);
      assert.deepEqual(
        failedChecks(gw).map((c) => c.label),
        ['signature'],
      );
      assert.equal(gw.explanation?.findings[0]?.rule, 'gw.signature');
      assert.match(
        gw.explanation!.findings[0]!.text,
        /^The signature check failed: the signature does not verify against the issuer's key/,
      );
      assert.ok(!JSON.stringify(gw).includes(tampered.slice(0, 60)), 'the token is redacted in the view');
    });

    it('keeps a redacted history and copies curl without secrets', async () => {
      api.testing.prompts.script({ id: 'runner.history', answer: undefined });
      const entries = await run<{ url: string; curl: string; status?: number }[]>(C.history);
      assert.ok(entries.length >= 8 && entries.length <= 50, `${entries.length} entries`);
      const all = JSON.stringify(entries);
      assert.ok(!all.includes(app.clientSecret));
      assert.ok(!/eyJ[\w-]{5,}\.[\w-]{5,}\./.test(all), 'no JWT in the history');
      const curl = await run<string>(C.curl, uri, tokenLine);
      assert.match(curl, /^curl -sS -X POST '.*\/oauth\/token'/);
      assert.ok(!curl.includes(app.clientSecret) && curl.includes('client_secret=‹redacted›'));
    });
  });

  it('cancels a request that hangs (lens turns into "Sending… Cancel" and back)', async () => {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((s) => {
      sockets.add(s);
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const file = path.join(tmp, 'hang.http');
      fs.writeFileSync(file, `GET http://127.0.0.1:${port}/never\n`);
      const uri = vscode.Uri.file(file);
      const sending = run<ResponseViewModel | undefined>(C.send, uri, 0);
      await waitFor('the Cancel lens', async () =>
        (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)).some(
          (l) => l.command?.title === '$(loading~spin) Sending… Cancel',
        ),
      );
      assert.equal(await run<number>(C.cancel, uri, 0), 1);
      assert.equal(await sending, undefined, 'a cancelled send ends quietly');
      await waitFor('the Send lens again', async () =>
        (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)).some(
          (l) => l.command?.title === '$(play) Send',
        ),
      );
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('reads http-client.env.json (the selected environment) and .env next to the file', async () => {
    const http = await import('node:http');
    const seen: { url: string | undefined; auth: string | undefined }[] = [];
    const server = http.createServer((req, res) => {
      seen.push({ url: req.url, auth: req.headers['x-api-key'] as string });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const dir = fs.mkdtempSync(path.join(tmp, 'env-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'http-client.env.json'),
        JSON.stringify({
          $shared: { path: 'shared' },
          dev: { base: `http://127.0.0.1:${port}/dev` },
          prod: { base: 'https://prod.invalid' },
        }),
      );
      fs.writeFileSync(path.join(dir, '.env'), `API_KEY=${rememberSecret('env-file-api-key-123')}\n`);
      fs.writeFileSync(path.join(dir, 'env.http'), 'GET {{base}}/{{path}}\nX-Api-Key: {{$dotenv API_KEY}}\n');
      assert.equal(await run<string>('konnectDcr.runner.selectEnvironment', 'dev'), 'dev');
      const m = await run<ResponseViewModel>(C.send, vscode.Uri.file(path.join(dir, 'env.http')), 0);
      assert.equal(m.status, 200, m.error);
      assert.deepEqual(seen, [{ url: '/dev/shared', auth: 'env-file-api-key-123' }]);
      assert.ok(
        !JSON.stringify(m).includes('env-file-api-key-123'),
        'a secret-looking .env value is redacted in the view',
      );
    } finally {
      await run('konnectDcr.runner.selectEnvironment', '');
      server.close();
    }
  });

  it('shows what it cannot send as problems', async () => {
    const file = path.join(tmp, 'unsupported.http');
    fs.writeFileSync(file, '# @prompt password\nGET https://example.com/a?x={{$randomLoremIpsum}}\n');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const diags = await waitFor('diagnostics', () => {
      const d = vscode.languages.getDiagnostics(doc.uri);
      return d.length >= 2 ? d : undefined;
    });
    assert.ok(
      diags.some((d) => /`@prompt` is not supported/.test(d.message) && d.severity === vscode.DiagnosticSeverity.Error),
    );
    assert.ok(diags.some((d) => /\{\{\$randomLoremIpsum\}\}` is not supported/.test(d.message)));
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    assert.deepEqual(
      lenses.map((l) => l.command?.title),
      ['$(error) Cannot send: see Problems'],
    );
  });
});
