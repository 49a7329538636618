// Kong Identity client secrets and issued tokens from the editor, in the extension host against the local sandbox:
// the client's Secrets and Issued tokens in the tree, "Rotate Secret…" (add → two active → a third refused →
// disable the old → delete it), and the tokens the sandbox's Kong Identity issuer hands out for client_credentials,
// revoked one by one and all at once. Every secret value and access token is remembered for the secret scans.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KonnectClient } from '../../src/core/api/index';
import type { AuthServer, CreatedClient } from '../../src/core/model/kongIdentity';
import type { RotateOutcome, SecretOutcome, TokenOutcome } from '../../src/ui/identity/secrets';
import type { Sandbox } from '../../sandbox/index';
import { extensionApi, find, run, shown, signOutAll, startSignedIn, tooltipText, type Api } from './support/helpers';
import { rememberSecret } from './support/secrets';

const C = {
  add: 'konnectDcr.identity.addSecret',
  enable: 'konnectDcr.identity.enableSecret',
  disable: 'konnectDcr.identity.disableSecret',
  del: 'konnectDcr.identity.deleteSecret',
  rotate: 'konnectDcr.identity.rotateSecret',
  revoke: 'konnectDcr.identity.revokeToken',
  revokeAll: 'konnectDcr.identity.revokeAllTokens',
};
const STORED_AS = 'ROTATION_AUTH_BILLING_CLIENT_SECRET';

describe('Kong Identity client secrets and tokens from the editor', function () {
  this.timeout(60_000);
  let api: Api;
  let sb: Sandbox;
  let konnect: KonnectClient;
  let server: AuthServer;
  let client: CreatedClient;

  /** The client's secrets as the emulator keeps them (values included: what the scans look for). */
  const stored = () => sb.konnect.store.clients.get(`${server.id}/${client.id}`)!.secrets;
  const valueOf = (id: string | undefined): string => rememberSecret(stored().find((s) => s.id === id)!.secret);
  const clientNode = async () => {
    const tree = api.testing.trees.identity;
    const groups = await shown(tree, find(await shown(tree), 'rotation-auth').node);
    return find(await shown(tree, find(groups, 'Clients').node), 'billing').node;
  };
  const group = async (label: 'Secrets' | 'Issued tokens') =>
    find(await shown(api.testing.trees.identity, await clientNode()), label);
  const listed = async (label: 'Secrets' | 'Issued tokens') =>
    shown(api.testing.trees.identity, (await group(label)).node);

  before(async () => {
    api = await extensionApi();
    await signOutAll(api);
    ({ sb, konnect } = await startSignedIn('ki-secrets-sandbox'));
    server = await konnect.identity.authServers.create({ name: 'rotation-auth', audience: 'https://billing.example' });
    client = await konnect.identity.clients.create(server.id, {
      name: 'billing',
      grant_types: ['client_credentials'],
      response_types: ['token'],
    });
    rememberSecret(client.client_secret);
    await api.testing.model.refresh(['identity']);
  });
  after(async () => {
    api?.testing.prompts.clearScript();
    await vscode.env.clipboard.writeText('');
    await run('konnectDcr.config.forgetSecret', STORED_AS);
    await signOutAll(api);
    await konnect?.close();
    await sb?.stop();
  });
  afterEach(() => assert.equal(api.testing.prompts.clearScript(), 0, 'every scripted answer was used'));

  it("lists a client's secrets (id, active, created; never the value) and its issued tokens", async () => {
    const secrets = await listed('Secrets');
    const only = stored()[0]!;
    assert.deepEqual(
      secrets.map((s) => [s.label, s.contextValue]),
      [[only.id, 'clientSecret;enabled']],
    );
    assert.match(secrets[0]!.description, /^active · created \d{4}-/);
    assert.ok(!JSON.stringify(secrets.map((s) => [s.description, tooltipText(s.item)])).includes(only.secret));
    assert.deepEqual(
      (await listed('Issued tokens')).map((t) => t.label),
      ['No issued tokens'],
    );
  });

  it('Rotate Secret…: a new secret kept and copied, two active, a third refused, the old disabled, then deleted', async () => {
    const old = stored()[0]!.id;
    api.testing.prompts.script(
      { id: 'identity.secret.keep', answer: 'Keep in SecretStorage and copy' },
      { id: 'identity.rotate.moved', answer: undefined },
    );
    const r = await run<RotateOutcome>(C.rotate, await clientNode());
    assert.deepEqual([r.stage, r.oldSecretId, r.kept], ['added', old, ['secretStorage', 'clipboard']]);
    const value = valueOf(r.newSecretId);
    assert.equal(await vscode.env.clipboard.readText(), value, 'the value went to the clipboard');
    assert.ok(api.testing.globalState.get<string[]>('konnectDcr.configSecretNames')?.includes(STORED_AS));
    assert.match(r.message ?? '', new RegExp(`its value: in SecretStorage as ${STORED_AS}, copied`));
    assert.ok(!JSON.stringify(r).includes(value));
    assert.deepEqual(
      (await listed('Secrets')).map((s) => s.contextValue),
      ['clientSecret;enabled', 'clientSecret;enabled'],
    );

    // a third active secret: refused (the user keeps both), nothing is sent
    api.testing.prompts.script({ id: 'identity.secret.disableOldest', answer: undefined });
    const third = await run<SecretOutcome>(C.add, (await group('Secrets')).node);
    assert.equal(third.done, false);
    assert.match(api.testing.prompts.asked.at(-1)?.text ?? '', /already has 2 active secrets: at most 2 may be active/);
    assert.equal(stored().length, 2);
    // nor may a disabled one be enabled as a third
    const spare = await konnect.identity.clients.createSecret(server.id, client.id, { enabled: false });
    rememberSecret(spare.secret!);
    api.testing.prompts.script({ id: 'identity.secret.disableOldest', answer: undefined });
    const ids = { authServerId: server.id, clientId: client.id };
    assert.equal((await run<SecretOutcome>(C.enable, { ...ids, secretId: spare.id })).done, false);
    assert.equal(stored().find((s) => s.id === spare.id)?.enabled, false);
    api.testing.prompts.script({ id: 'identity.secret.delete', answer: 'Delete' });
    assert.equal((await run<SecretOutcome>(C.del, { ...ids, secretId: spare.id })).done, true);

    // the apps moved: disable the old one (no question: another one is active), then delete it (asked)
    const oldNode = (await listed('Secrets')).find((s) => s.label === old)!.node;
    assert.equal((await run<SecretOutcome>(C.disable, oldNode)).done, true);
    assert.equal(stored().find((s) => s.id === old)?.enabled, false);
    assert.equal((await listed('Secrets')).find((s) => s.label === old)?.contextValue, 'clientSecret;disabled');
    api.testing.prompts.script({ id: 'identity.secret.delete', answer: undefined });
    assert.equal((await run<SecretOutcome>(C.del, oldNode)).done, false, '"No" keeps it');
    api.testing.prompts.script({ id: 'identity.secret.delete', answer: 'Delete' });
    assert.equal((await run<SecretOutcome>(C.del, oldNode)).done, true);
    assert.deepEqual(
      stored().map((s) => [s.id, s.enabled]),
      [[r.newSecretId, true]],
    );

    // the whole rotation in one go: copied only, the old one disabled and deleted
    api.testing.prompts.script(
      { id: 'identity.secret.keep', answer: 'Copy' },
      { id: 'identity.rotate.moved', answer: 'Disable Old Secret' },
      { id: 'identity.rotate.delete', answer: 'Delete Old Secret' },
    );
    const again = await run<RotateOutcome>(C.rotate, ids);
    assert.deepEqual([again.stage, again.oldSecretId, again.kept], ['oldDeleted', r.newSecretId, ['clipboard']]);
    assert.equal(await vscode.env.clipboard.readText(), valueOf(again.newSecretId));
    assert.deepEqual(
      stored().map((s) => [s.id, s.enabled]),
      [[again.newSecretId, true]],
    );

    // disabling the last active secret asks first
    api.testing.prompts.script({ id: 'identity.secret.disableLast', answer: undefined });
    assert.equal((await run<SecretOutcome>(C.disable, { ...ids, secretId: again.newSecretId })).done, false);
    assert.equal(stored()[0]?.enabled, true);
    // no message or question showed a value
    const said = JSON.stringify([api.testing.prompts.shown, api.testing.prompts.asked]);
    assert.ok(!stored().some((s) => said.includes(s.secret)) && !said.includes(value));
  });

  it('lists the tokens the Kong Identity issuer gave the client; Revoke one, then Revoke All', async () => {
    const secret = stored().find((s) => s.enabled)!.secret;
    const issue = async (): Promise<string> => {
      const res = await fetch(`${server.issuer}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.id, client_secret: secret }),
      });
      assert.equal(res.status, 200);
      const token = rememberSecret(String(((await res.json()) as { access_token: string }).access_token));
      return String(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')).jti);
    };
    const jtis = [await issue(), await issue()];
    const tokens = await listed('Issued tokens');
    assert.deepEqual(tokens.map((t) => t.label).sort(), [...jtis].sort());
    assert.match(tokens[0]!.description, /^created \d{4}-.* · expires \d{4}-/);
    assert.equal(tokens[0]!.contextValue, 'clientToken');

    api.testing.prompts.script({ id: 'identity.token.revoke', answer: 'Revoke' });
    const one = await run<TokenOutcome>(C.revoke, tokens.find((t) => t.label === jtis[0])!.node);
    assert.equal(one.revoked, 1);
    assert.deepEqual(
      (await konnect.identity.clients.listTokens(server.id, client.id)).data.map((t) => t.id),
      [jtis[1]],
    );

    api.testing.prompts.script({ id: 'identity.token.revokeAll', answer: undefined });
    assert.equal((await run<TokenOutcome>(C.revokeAll, (await group('Issued tokens')).node)).revoked, 0);
    api.testing.prompts.script({ id: 'identity.token.revokeAll', answer: 'Revoke All' });
    const all = await run<TokenOutcome>(C.revokeAll, (await group('Issued tokens')).node);
    assert.equal(all.revoked, 1);
    assert.equal(api.testing.prompts.asked.at(-1)?.text, 'Revoke every token of "billing" (1 listed)?');
    assert.deepEqual(
      (await listed('Issued tokens')).map((t) => t.label),
      ['No issued tokens'],
    );
  });
});
