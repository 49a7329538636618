// Connections: sign-in checks the token before keeping it (and keeps it only in SecretStorage), sign-out deletes
// it, several connections switch the trees, the sandbox state file makes a connection without network, and later
// failures (401, offline, refused TLS certificate) become error nodes with a way out, never a modal.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TreeNode } from '../../src/ui/tree/nodes';
import { extensionApi, run, shown, signOutAll, tooltipText, waitFor, type Api } from './support/helpers';
import { randomPat, startTestSandbox, type TestSandbox } from './support/sandbox';
import { rememberSecret } from './support/secrets';

interface SignInResult {
  ok: boolean;
  name?: string;
  message: string;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

describe('sign-in and connections', () => {
  let api: Api;
  let a: TestSandbox;
  let b: TestSandbox | undefined;
  /** The modals shown since this was called (by identity: the prompts keep only the last messages, so counts would drift). */
  const modalsSince = (): (() => unknown[]) => {
    const before = new Set(api.testing.prompts.shown);
    return () => api.testing.prompts.shown.filter((m) => m.modal && !before.has(m));
  };

  before(async () => {
    api = await extensionApi();
    await signOutAll(api);
    a = await startTestSandbox();
    await a.client.dcrProviders.create({
      provider_type: 'kongIdentity',
      name: 'provider-in-a',
      issuer: 'https://a.example.com',
    });
  });
  after(async () => {
    await signOutAll(api);
    await Promise.all([a?.stop(), b?.stop()]);
  });
  afterEach(() => assert.equal(api.testing.prompts.clearScript(), 0, 'every scripted answer was used'));

  it('rejects a bad token with a clear message and stores nothing', async () => {
    const wrong = rememberSecret(randomPat());
    const r = await run<SignInResult>('konnectDcr.signIn', {
      name: 'wrong-token',
      baseUrl: a.konnectUrl,
      token: wrong,
    });
    assert.equal(r.ok, false);
    assert.match(
      r.message,
      /^Sign-in failed: 127\.0\.0\.1:\d+ refused the token \(401 Unauthorized\)\. .* Nothing was saved\.$/,
    );
    assert.equal(api.testing.connections.get('wrong-token'), undefined);
    assert.equal(await api.testing.connections.token('wrong-token'), undefined, 'no secret stored');
    assert.ok(
      !JSON.stringify(api.testing.globalState.keys().map((k) => api.testing.globalState.get(k))).includes(
        'wrong-token',
      ),
    );
    const toast = api.testing.prompts.shown.at(-1)!;
    assert.deepEqual(
      [toast.severity, toast.modal, toast.message, toast.items],
      ['error', false, r.message, ['Try Again', 'Show Log']],
    );
    assert.equal(a.emulator.hits('GET', /^\/v2\/dcr-providers$/), 1, 'checked with exactly one call');
    assert.ok(
      a.emulator.requests.at(-1)!.query.includes('page[size]=1') ||
        decodeURIComponent(a.emulator.requests.at(-1)!.query).includes('page[size]=1'),
      'page size 1',
    );
  });

  it('says "offline" when nothing answers at the base URL, and stores nothing', async () => {
    const port = await closedPort();
    const r = await run<SignInResult>('konnectDcr.signIn', {
      name: 'nobody-home',
      baseUrl: `http://127.0.0.1:${port}`,
      token: randomPat(),
    });
    assert.equal(r.ok, false);
    assert.equal(
      r.message,
      `Sign-in failed: Offline: cannot reach 127.0.0.1:${port}, nothing answers there (ECONNREFUSED). Nothing was saved.`,
    );
    assert.equal(api.testing.connections.get('nobody-home'), undefined);
  });

  it('asks for region or base URL, name and token (a password input), then keeps the token only in the secret storage', async () => {
    api.testing.prompts.script(
      { id: 'signIn.target', answer: 'Enter a base URL…' },
      { id: 'signIn.baseUrl', answer: `${a.konnectUrl}/` },
      { id: 'signIn.name', answer: 'sandbox-a' },
      { id: 'signIn.token', answer: a.token },
    );
    const r = await run<SignInResult>('konnectDcr.signIn');
    assert.deepEqual(r, {
      ok: true,
      name: 'sandbox-a',
      message: `Signed in to Konnect as "sandbox-a" (${new URL(a.konnectUrl).host}).`,
    });
    const token = api.testing.prompts.asked.filter((q) => q.id === 'signIn.token').at(-1)!;
    assert.equal(token.password, true, 'the token is asked with a password input');
    assert.deepEqual(api.testing.connections.get('sandbox-a'), { name: 'sandbox-a', baseUrl: a.konnectUrl });
    assert.equal(api.testing.connections.active()?.name, 'sandbox-a');
    assert.equal(await api.testing.connections.token('sandbox-a'), a.token);
    const roots = await shown(api.testing.trees.providers, undefined, 1);
    assert.deepEqual(
      roots.flatMap((g) => g.children!.map((c) => c.label)),
      ['provider-in-a'],
    );
  });

  it('offers the six Konnect regions; Escape at any step stores nothing', async () => {
    api.testing.prompts.script({ id: 'signIn.target', answer: 'EU' }, { id: 'signIn.name', answer: undefined });
    assert.equal(await run('konnectDcr.signIn'), undefined);
    api.testing.prompts.script({ id: 'signIn.target', answer: undefined });
    assert.equal(await run('konnectDcr.signIn'), undefined);
    assert.deepEqual(
      api.testing.connections.list().map((c) => c.name),
      ['sandbox-a'],
    );
  });

  it('a second connection switches the trees; switching back shows the first again', async () => {
    b = await startTestSandbox();
    await b.client.dcrProviders.create({
      provider_type: 'kongIdentity',
      name: 'provider-in-b',
      issuer: 'https://b.example.com',
    });
    const r = await run<SignInResult>('konnectDcr.signIn', {
      name: 'sandbox-b',
      baseUrl: b.konnectUrl,
      token: b.token,
    });
    assert.equal(r.ok, true, r.message);
    const labels = async (): Promise<string[]> =>
      (await shown(api.testing.trees.providers, undefined, 1)).flatMap((g) => (g.children ?? []).map((c) => c.label));
    assert.deepEqual(await labels(), ['provider-in-b']);
    assert.equal(await run('konnectDcr.switchConnection', 'sandbox-a'), 'sandbox-a');
    assert.deepEqual(await labels(), ['provider-in-a']);
    api.testing.prompts.script({ id: 'switchConnection', answer: 'sandbox-b' });
    assert.equal(await run('konnectDcr.switchConnection'), 'sandbox-b');
    assert.deepEqual(await labels(), ['provider-in-b']);
  });

  it('a token refused later shows "The token was refused…" with a Sign in action, not a modal', async () => {
    const modals = modalsSince();
    b!.emulator.faults.add({ path: '^/v[0-9]/', kind: 'status', status: 401 });
    await run('konnectDcr.refresh');
    const roots = await shown(api.testing.trees.providers);
    assert.equal(roots[0]!.label, 'The token was refused (401 Unauthorized)');
    assert.match(
      tooltipText(roots[0]!.item),
      /^The token was refused by 127\.0\.0\.1:\d+ \(401 Unauthorized\): it may be expired, revoked or meant for another region\. Sign in again\.$/,
    );
    assert.equal(roots[0]!.node.kind === 'message' && roots[0]!.node.severity, 'error');
    assert.deepEqual(
      roots.slice(1).map((r) => r.label),
      ['Sign in again…', 'Show Log'],
    );
    const signIn = roots[1]!.item.command!;
    assert.equal(signIn.command, 'konnectDcr.signIn');
    assert.deepEqual(signIn.arguments, [{ name: 'sandbox-b', baseUrl: b!.konnectUrl }]);
    // the other views say the same
    assert.equal((await shown(api.testing.trees.strategies))[0]!.label, 'The token was refused (401 Unauthorized)');
    assert.equal((await shown(api.testing.trees.identity))[0]!.label, 'The token was refused (401 Unauthorized)');
    // the action asks only for a new token, and the tree recovers
    b!.emulator.faults.clear();
    api.testing.prompts.script({ id: 'signIn.token', answer: b!.token });
    const r = await run<SignInResult>(signIn.command, ...signIn.arguments!);
    assert.equal(r.ok, true, r.message);
    assert.equal((await shown(api.testing.trees.providers, undefined, 1))[0]!.children![0]!.label, 'provider-in-b');
    assert.deepEqual(modals(), [], 'no modal');
  });

  it('offline later: the views say so, with Retry', async () => {
    await b!.stop();
    b = undefined;
    await run('konnectDcr.refresh');
    for (const tree of [api.testing.trees.providers, api.testing.trees.strategies, api.testing.trees.identity]) {
      const roots = await shown(tree);
      assert.match(roots[0]!.label, /^Offline: cannot reach 127\.0\.0\.1:\d+$/);
      assert.match(
        tooltipText(roots[0]!.item),
        /^Offline: cannot reach 127\.0\.0\.1:\d+, nothing answers there \(ECONNREFUSED\)\.$/,
      );
      assert.equal(roots[1]!.label, 'Retry');
      assert.equal(roots[1]!.item.command!.command, 'konnectDcr.refresh');
    }
  });

  it('a refused TLS certificate: the views say which, with Retry', async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kdcr-tls-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          path.join(dir, 'k.pem'),
          '-out',
          path.join(dir, 'c.pem'),
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
        ],
        { stdio: 'ignore' },
      );
    } catch {
      fs.rmSync(dir, { recursive: true, force: true });
      this.skip(); // no openssl on this machine
    }
    const server = https.createServer(
      { key: fs.readFileSync(path.join(dir, 'k.pem')), cert: fs.readFileSync(path.join(dir, 'c.pem')) },
      (_req, res) => res.end('{}'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      // sign-in refuses it
      const r = await run<SignInResult>('konnectDcr.signIn', {
        name: 'self-signed',
        baseUrl: `https://127.0.0.1:${port}`,
        token: randomPat(),
      });
      assert.equal(r.ok, false);
      assert.match(
        r.message,
        /^Sign-in failed: The TLS certificate of 127\.0\.0\.1:\d+ was refused \(DEPTH_ZERO_SELF_SIGNED_CERT\)\./,
      );
      // a connection made without a check (the sandbox state file) shows it in the views
      const state = path.join(dir, 'state.json');
      fs.writeFileSync(
        state,
        JSON.stringify({ konnectUrl: `https://127.0.0.1:${port}`, token: rememberSecret(randomPat()) }),
      );
      await signOutAll(api);
      assert.equal(await api.testing.importSandboxState(state), 'created');
      const roots = await shown(api.testing.trees.providers);
      assert.match(roots[0]!.label, /^TLS certificate of 127\.0\.0\.1:\d+ refused$/);
      assert.match(
        tooltipText(roots[0]!.item),
        /^The TLS certificate of 127\.0\.0\.1:\d+ was refused \(DEPTH_ZERO_SELF_SIGNED_CERT\)\. .*Ca File/,
      );
      assert.equal(roots[1]!.label, 'Retry');
    } finally {
      server.closeAllConnections();
      server.close();
      fs.rmSync(dir, { recursive: true, force: true });
      await signOutAll(api);
    }
  });

  it('$KONNECT_DCR_SANDBOX_STATE: creates the "sandbox" connection without a network call; the token is checked on first use', async () => {
    await signOutAll(api);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kdcr-state-'));
    const file = path.join(dir, 'state.json');
    fs.writeFileSync(file, JSON.stringify({ ...a.state }));
    try {
      const before = a.emulator.requests.length;
      assert.equal(await api.testing.importSandboxState(file), 'created');
      assert.equal(a.emulator.requests.length, before, 'no request');
      assert.deepEqual(api.testing.connections.get('sandbox'), { name: 'sandbox', baseUrl: a.konnectUrl });
      assert.equal(api.testing.connections.active()?.name, 'sandbox');
      assert.equal(
        await api.testing.importSandboxState(file),
        'exists',
        'only when there is no "sandbox" connection yet',
      );
      const groups = await shown(api.testing.trees.providers, undefined, 1);
      assert.deepEqual(
        groups.flatMap((g) => g.children!.map((c) => c.label)),
        ['provider-in-a'],
      );
      assert.ok(a.emulator.requests.length > before, 'validated lazily, by the first load');
      fs.writeFileSync(file, '{"konnectUrl": 42}');
      await signOutAll(api);
      assert.equal(await api.testing.importSandboxState(file), 'invalid');
      assert.deepEqual(api.testing.connections.list(), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Sign Out deletes the token from the secret storage and empties the views', async () => {
    const r = await run<SignInResult>('konnectDcr.signIn', {
      name: 'to-sign-out',
      baseUrl: a.konnectUrl,
      token: a.token,
    });
    assert.equal(r.ok, true);
    assert.equal(await api.testing.connections.token('to-sign-out'), a.token);
    assert.equal(await run('konnectDcr.signOut', 'to-sign-out'), 'to-sign-out');
    assert.equal(await api.testing.connections.token('to-sign-out'), undefined, 'secret removed');
    assert.equal(api.testing.connections.get('to-sign-out'), undefined);
    const roots: TreeNode[] = await api.testing.trees.providers.getChildren();
    assert.deepEqual(roots, [], 'empty: the welcome view shows');
    await waitFor('the status bar to say signed out', () => true);
  });
});
