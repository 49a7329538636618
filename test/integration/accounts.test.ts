// The Accounts menu: the "Konnect" authentication provider shows each signed-in connection as an account whose
// session token is the stored one, signing in from there runs the sign-in flow, its Sign Out (the command the menu
// runs) signs the connection out, and onDidChangeSessions follows the connections. The token it hands out is remembered,
// so secret-scan fails if it reaches the log, settings, workspace files or a message.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Sandbox } from '../../sandbox/index';
import { extensionApi, shown, signOutAll, startSignedIn, waitFor, type Api } from './support/helpers';
import { startTestSandbox, type TestSandbox } from './support/sandbox';

const PROVIDER = 'konnectDcr';

describe('Accounts menu: the Konnect authentication provider', () => {
  let api: Api;
  let sb: Sandbox;
  let other: TestSandbox | undefined;
  const events: vscode.AuthenticationSessionsChangeEvent[] = [];
  let sub: vscode.Disposable;

  before(async () => {
    api = await extensionApi();
    await signOutAll(api);
    sub = vscode.authentication.onDidChangeSessions((e) => {
      if (e.provider.id === PROVIDER) events.push(e);
    });
  });
  after(async () => {
    sub.dispose();
    await signOutAll(api);
    await Promise.all([sb?.stop(), other?.stop()]);
  });
  afterEach(() => assert.equal(api.testing.prompts.clearScript(), 0, 'every scripted answer was used'));

  it('is contributed under its id and label; its activation is implied by the contribution', () => {
    const pkg = vscode.extensions.getExtension('konnect-dcr.konnect-dcr')!.packageJSON as {
      contributes: { authentication?: { id: string; label: string }[] };
    };
    assert.deepEqual(pkg.contributes.authentication, [{ id: PROVIDER, label: 'Konnect' }]);
  });

  it('signed out: no session, and a silent getSession does not prompt', async () => {
    assert.equal(await vscode.authentication.getSession(PROVIDER, [], { silent: true }), undefined);
    assert.deepEqual(await api.testing.accounts.getSessions(), []);
  });

  it('a signed-in connection is a session: account = name + host, accessToken = the stored token', async () => {
    const fired = events.length;
    ({ sb } = await startSignedIn('accounts-a'));
    const label = `accounts-a (${new URL(sb.state.konnectUrl).host})`;
    await waitFor('onDidChangeSessions after sign-in', () => events.length > fired);
    const accounts = (await vscode.authentication.getAccounts(PROVIDER)).map((x) => ({ id: x.id, label: x.label }));
    assert.deepEqual(accounts, [{ id: 'accounts-a', label }], 'the Accounts menu lists the connection');
    // Another extension gets the token only once the user allowed it (VS Code's consent dialog, which cannot show in
    // an in-host test): until then a silent getSession answers nothing, and the provider itself answers VS Code.
    assert.equal(
      await vscode.authentication.getSession(PROVIDER, [], { silent: true }),
      undefined,
      'no token without consent',
    );
    const [session, ...rest] = await api.testing.accounts.getSessions([], { account: { id: 'accounts-a', label } });
    assert.deepEqual(rest, []);
    assert.ok(session);
    assert.equal(session.id, 'accounts-a');
    assert.equal(session.account.label, label);
    assert.equal(session.accessToken, await api.testing.connections.token('accounts-a'));
    assert.equal(session.accessToken, sb.state.token);
  });

  it('"Sign in with Konnect" (a new session) runs the sign-in flow, the same prompts as the command', async () => {
    other = await startTestSandbox();
    api.testing.prompts.script(
      { id: 'signIn.target', answer: 'Enter a base URL…' },
      { id: 'signIn.baseUrl', answer: other.konnectUrl },
      { id: 'signIn.name', answer: 'accounts-b' },
      { id: 'signIn.token', answer: other.token },
    );
    // What VS Code calls after "Sign in with Konnect" in the Accounts menu or another extension's consented request.
    const created = await api.testing.accounts.createSession();
    assert.equal(created.id, 'accounts-b');
    assert.equal(created.accessToken, other.token);
    assert.equal(api.testing.connections.active()?.name, 'accounts-b', 'signed in and active, as after the command');
    await waitFor('both accounts listed', async () => (await vscode.authentication.getAccounts(PROVIDER)).length === 2);
    const ids = (await vscode.authentication.getAccounts(PROVIDER)).map((a) => a.id).sort();
    assert.deepEqual(ids, ['accounts-a', 'accounts-b'], 'both connections are accounts');
    assert.deepEqual(
      (await api.testing.accounts.getSessions()).map((s) => s.id),
      ['accounts-b', 'accounts-a'],
      'the active connection first',
    );
  });

  it('a sign-in cancelled (Escape) rejects and stores nothing', async () => {
    api.testing.prompts.script({ id: 'signIn.target', answer: undefined });
    await assert.rejects(api.testing.accounts.createSession(), /cancelled/);
    assert.equal(api.testing.connections.list().length, 2);
  });

  it("the Accounts menu's Sign Out signs that connection out; the last one leaves the sign-in welcome", async () => {
    const signOut = async (id: string): Promise<void> => {
      const account = (await vscode.authentication.getAccounts(PROVIDER)).find((a) => a.id === id);
      assert.ok(account, `${id} is an account`);
      // What the Accounts menu's "Sign Out" runs (its confirmation dialog says yes in tests).
      await vscode.commands.executeCommand('_signOutOfAccount', { providerId: PROVIDER, accountLabel: account.label });
    };
    let fired = events.length;
    await signOut('accounts-b');
    assert.equal(api.testing.connections.get('accounts-b'), undefined);
    assert.equal(await api.testing.connections.token('accounts-b'), undefined, 'its token was deleted');
    await waitFor('onDidChangeSessions after sign-out', () => events.length > fired);
    fired = events.length;
    await signOut('accounts-a');
    assert.deepEqual(api.testing.connections.list(), []);
    assert.equal(api.testing.connections.active(), undefined, 'signed out: the signedIn context key goes false');
    assert.deepEqual(await shown(api.testing.trees.providers), [], 'empty: the sign-in welcome shows');
    assert.equal(await vscode.authentication.getSession(PROVIDER, [], { silent: true }), undefined);
    await waitFor('no account listed', async () => (await vscode.authentication.getAccounts(PROVIDER)).length === 0);
    await waitFor('onDidChangeSessions after the last sign-out', () => events.length > fired);
  });
});
