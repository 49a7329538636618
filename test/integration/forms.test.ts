// The forms host in the extension host, driven through its message handler (no browser): a form command opens the
// panel, the test plays the page (`ready`, `forms/submit`) and reads what the host posted back. Against the sandbox:
// every provider type is created for real (and passes /verify), edits keep write-only secrets, and Konnect's 400s
// come back on the form field they concern.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FormHandle } from '../../src/ui/webviews/index';
import { PROVIDER_TYPE_OPTIONS, SECRET_UNCHANGED_PLACEHOLDER } from '../../src/core/forms/fields';
import { FormMethods } from '../../src/shared/forms/methods';
import { emptyProviderValues, emptyStrategyValues } from '../../src/core/forms/payload';
import type {
  InitParams,
  OptionsParams,
  ProviderFormValues,
  StrategyFormValues,
  SubmitResult,
} from '../../src/shared/forms/protocol';
import { extensionApi, run, signOutAll, waitFor, type Api } from './support/helpers';
import { startTestSandbox, type TestSandbox } from './support/sandbox';
import { rememberSecret } from './support/secrets';

let nextId = 1000;

/** Play the page: say `ready`, wait for the init the host sends. */
async function ready(form: FormHandle): Promise<InitParams> {
  const before = form.posted.length;
  await form.receive({ type: 'ready', view: 'forms' });
  const init = [...form.posted.slice(before)]
    .reverse()
    .find((m) => m.type === 'notification' && m.method === FormMethods.init);
  assert.ok(
    init && init.type === 'notification' && init.method === FormMethods.init,
    'the host sent forms/init after ready',
  );
  return init.params as InitParams;
}

async function options(form: FormHandle): Promise<OptionsParams> {
  const m = await waitFor('forms/options', () =>
    [...form.posted].reverse().find((x) => x.type === 'notification' && x.method === FormMethods.options),
  );
  assert.ok(m.type === 'notification' && m.method === FormMethods.options);
  return m.params as OptionsParams;
}

/** Submit as the page does; the host answers with a response carrying the same id. */
async function submit(
  form: FormHandle,
  params: { kind: 'provider'; values: ProviderFormValues } | { kind: 'strategy'; values: StrategyFormValues },
): Promise<SubmitResult> {
  const id = ++nextId;
  await form.receive({ type: 'request', id, method: FormMethods.submit, params });
  const r = form.posted.find((m) => m.type === 'response' && m.id === id);
  assert.ok(r && r.type === 'response', `a response to request ${id}`);
  return r.result;
}

function ok(r: SubmitResult): Extract<SubmitResult, { ok: true }> {
  assert.ok(r.ok, `submit failed: ${JSON.stringify(r.ok ? {} : r.errors)}`);
  return r;
}

describe('forms host (in-host, sandbox)', () => {
  let api: Api;
  let sb: TestSandbox;
  const forms: FormHandle[] = [];
  const open = async (command: string, ...args: unknown[]): Promise<FormHandle> => {
    const f = await run<FormHandle | undefined>(command, ...args);
    assert.ok(f, `${command} returned its form`);
    forms.push(f);
    return f;
  };

  before(async () => {
    api = await extensionApi();
    await signOutAll(api);
    sb = await startTestSandbox();
    const r = await run<{ ok: boolean; message: string }>('konnectDcr.signIn', {
      name: 'forms',
      baseUrl: sb.konnectUrl,
      token: sb.token,
    });
    assert.equal(r.ok, true, r.message);
  });
  afterEach(() => {
    for (const f of forms.splice(0)) f.dispose();
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await signOutAll(api);
    await sb?.stop();
  });

  it('"New DCR Provider" opens an empty create form and lists the Kong Identity auth servers', async () => {
    const as = await sb.client.identity.authServers.create({ name: 'forms-as', audience: 'https://forms.example.com' });
    const form = await open('konnectDcr.newProvider');
    assert.equal(form.panel.title, 'New DCR Provider');
    const init = await ready(form);
    assert.equal(init.kind, 'provider');
    assert.equal(init.mode, 'create');
    assert.deepEqual(init.target, { kind: 'konnect', connection: 'forms' });
    assert.equal(init.kind === 'provider' && init.values.name, '');
    const opts = await options(form);
    assert.ok(
      opts.authServers?.some((a) => a.id === as.id && a.issuer === as.issuer),
      `auth servers: ${JSON.stringify(opts)}`,
    );
  });

  it("creates a provider of every type in the sandbox from the form values; each passes Konnect's verify", async () => {
    const f = sb.state.flavours;
    const as = await sb.client.identity.authServers.create({
      name: 'forms-ki',
      audience: 'https://forms-ki.example.com',
    });
    const cases: Record<ProviderFormValues['providerType'], Partial<ProviderFormValues>> = {
      auth0: {
        issuer: f.auth0.issuer,
        initialClientId: f.auth0.initialClientId,
        initialClientSecret: rememberSecret(f.auth0.initialClientSecret),
        initialClientAudience: f.auth0.managementApi,
      },
      azureAd: {
        issuer: f.azureAd.issuer,
        initialClientId: f.azureAd.initialClientId,
        initialClientSecret: rememberSecret(f.azureAd.initialClientSecret),
      },
      curity: {
        issuer: f.curity.discoveryUrl,
        initialClientId: f.curity.initialClientId,
        initialClientSecret: rememberSecret(f.curity.initialClientSecret),
      },
      okta: { issuer: f.okta.issuer, dcrToken: rememberSecret(f.okta.dcrToken) },
      http: { issuer: f.http.issuer, dcrBaseUrl: f.http.dcrBaseUrl, apiKey: rememberSecret(f.http.apiKey) },
      kongIdentity: { issuer: as.issuer, authServerId: as.id },
    };
    for (const { value: type } of PROVIDER_TYPE_OPTIONS) {
      const form = await open('konnectDcr.newProvider');
      await ready(form);
      const values = {
        ...emptyProviderValues(),
        name: `form-${type}`,
        displayName: `Form ${type}`,
        providerType: type,
        ...cases[type],
      };
      const r = ok(await submit(form, { kind: 'provider', values }));
      assert.match(r.message, new RegExp(`Created DCR provider "form-${type}"`));
      const saved = await sb.client.dcrProviders.get(r.id ?? '');
      assert.equal(saved.provider_type, type);
      assert.equal(saved.issuer, values.issuer);
      assert.equal(saved.display_name, `Form ${type}`);
      const verified = await sb.client.dcrProviders.verify(saved.id);
      assert.deepEqual(verified, { status: 'success', errors: [] }, `${type} verifies (the secret reached Konnect)`);
      // the form now edits the new provider, and no secret came back to the page
      assert.equal(r.next?.mode, 'edit');
      assert.equal(
        form.panel.title,
        `DCR Provider: form-${type} (${PROVIDER_TYPE_OPTIONS.find((o) => o.value === type)?.label})`,
      );
      const text = JSON.stringify(form.posted);
      for (const s of [values.initialClientSecret, values.dcrToken, values.apiKey].filter(Boolean))
        assert.ok(!text.includes(s), `${type}: a secret was posted to the page`);
    }
  });

  it('refuses values the core schema refuses, on their fields, without calling Konnect', async () => {
    const form = await open('konnectDcr.newProvider');
    await ready(form);
    const before = sb.emulator.requests.filter((e) => e.method === 'POST').length;
    const r = await submit(form, {
      kind: 'provider',
      values: {
        ...emptyProviderValues(),
        name: 'bad-http',
        providerType: 'http',
        issuer: 'not a url',
        dcrBaseUrl: 'http://127.0.0.1:1',
        apiKey: 'short!',
      },
    });
    assert.ok(!r.ok);
    assert.match(r.errors.fields['issuer'] ?? '', /URL/);
    assert.match(r.errors.fields['apiKey'] ?? '', /At least 12 characters/);
    assert.equal(sb.emulator.requests.filter((e) => e.method === 'POST').length, before, 'nothing was sent to Konnect');
  });

  it('a 400 from Konnect comes back on its field: a strategy whose DCR provider was deleted meanwhile', async () => {
    const provider = await sb.client.dcrProviders.create({
      name: 'soon-gone',
      provider_type: 'okta',
      issuer: sb.state.flavours.okta.issuer,
      dcr_config: { dcr_token: sb.state.flavours.okta.dcrToken },
    });
    const form = await open('konnectDcr.newStrategy', provider.id);
    const init = await ready(form);
    assert.equal(
      init.kind === 'strategy' && init.values.dcrProviderId,
      provider.id,
      'the provider argument preselects it',
    );
    const opts = await options(form);
    assert.ok(opts.providers?.some((p) => p.id === provider.id));
    await sb.client.dcrProviders.delete(provider.id);
    const values = {
      ...emptyStrategyValues(),
      name: 'orphan',
      dcrProviderId: provider.id,
      issuer: sb.state.flavours.okta.issuer,
      credentialClaim: 'client_id',
      scopes: 'api:read',
    };
    const r = await submit(form, { kind: 'strategy', values });
    assert.ok(!r.ok, 'Konnect refused it');
    assert.match(r.errors.fields['dcrProviderId'] ?? '', /does not exist/, JSON.stringify(r.errors));
    assert.match(r.errors.form[0] ?? '', /400/);
    assert.equal(Object.keys(r.errors.fields).length, 1, 'only the provider field is marked');
  });

  it('creates an OIDC strategy with the Auth0 audience as token_post_args, and a key_auth strategy', async () => {
    const f = sb.state.flavours;
    const provider = await sb.client.dcrProviders.create({
      name: 'auth0-for-strategy',
      provider_type: 'auth0',
      issuer: f.auth0.issuer,
      dcr_config: { initial_client_id: f.auth0.initialClientId, initial_client_secret: f.auth0.initialClientSecret },
    });
    const form = await open('konnectDcr.newStrategy');
    await ready(form);
    const r = ok(
      await submit(form, {
        kind: 'strategy',
        values: {
          ...emptyStrategyValues(),
          name: 'auth0-cc',
          displayName: 'Auth0 client credentials',
          dcrProviderId: provider.id,
          issuer: f.auth0.issuer,
          scopes: 'read:data',
          credentialClaim: 'azp',
          authMethods: ['client_credentials', 'bearer'],
          audience: f.auth0.apiAudience,
        },
      }),
    );
    const s = await sb.client.authStrategies.get(r.id ?? '');
    assert.equal(s.dcr_provider?.id, provider.id);
    assert.ok(s.strategy_type === 'openid_connect');
    const cfg = s.configs['openid-connect'];
    assert.deepEqual(
      [cfg.scopes, cfg.credential_claim, cfg.auth_methods],
      [['read:data'], ['azp'], ['client_credentials', 'bearer']],
    );
    assert.deepEqual(
      [cfg['token_post_args_names'], cfg['token_post_args_values']],
      [['audience'], [f.auth0.apiAudience]],
    );

    const key = await open('konnectDcr.newStrategy');
    await ready(key);
    const k = ok(
      await submit(key, {
        kind: 'strategy',
        values: { ...emptyStrategyValues(), name: 'keys', strategyType: 'key_auth', keyNames: 'apikey, x-api-key' },
      }),
    );
    const ks = await sb.client.authStrategies.get(k.id ?? '');
    assert.ok(ks.strategy_type === 'key_auth');
    assert.deepEqual(ks.configs['key-auth'].key_names, ['apikey', 'x-api-key']);
  });

  it('edit provider: no secret in the form; empty keeps the stored secret, a typed one replaces it', async () => {
    const f = sb.state.flavours;
    const p = await sb.client.dcrProviders.create({
      name: 'edit-me',
      provider_type: 'okta',
      issuer: f.okta.issuer,
      dcr_config: { dcr_token: f.okta.dcrToken },
    });
    const form = await open('konnectDcr.editProvider', p.id);
    assert.equal(
      (await run<FormHandle>('konnectDcr.editProvider', p.id)).panel,
      form.panel,
      'editing it again reveals the same panel',
    );
    const init = await ready(form);
    assert.ok(init.kind === 'provider');
    assert.equal(init.mode, 'edit');
    assert.deepEqual(init.locked, ['providerType']);
    assert.deepEqual(init.storedSecrets, ['dcrToken']);
    assert.equal(init.values.dcrToken, '');
    assert.ok(!JSON.stringify(form.posted).includes(f.okta.dcrToken));
    assert.equal(SECRET_UNCHANGED_PLACEHOLDER, 'unchanged — leave empty to keep');

    ok(await submit(form, { kind: 'provider', values: { ...init.values, displayName: 'Edited' } }));
    assert.equal((await sb.client.dcrProviders.get(p.id)).display_name, 'Edited');
    assert.equal(
      sb.emulator.store.providers.get(p.id)?.secrets.dcr_token,
      f.okta.dcrToken,
      'the empty secret kept the stored one',
    );
    assert.equal((await sb.client.dcrProviders.verify(p.id)).status, 'success');

    const wrong = rememberSecret(`wrong-${Date.now()}`);
    ok(await submit(form, { kind: 'provider', values: { ...init.values, dcrToken: wrong } }));
    assert.equal(sb.emulator.store.providers.get(p.id)?.secrets.dcr_token, wrong, 'a typed secret replaced it');
    assert.equal((await sb.client.dcrProviders.verify(p.id)).status, 'failed', 'and Okta now refuses it');
    // a page that tries to change the type of an existing provider does not
    ok(
      await submit(form, {
        kind: 'provider',
        values: { ...init.values, providerType: 'http', dcrToken: f.okta.dcrToken },
      }),
    );
    assert.equal((await sb.client.dcrProviders.get(p.id)).provider_type, 'okta');
  });

  it('edit strategy from a tree node: fields prefilled; clearing the audience unsets the post args', async () => {
    const s = await sb.client.authStrategies.create({
      name: 'with-aud',
      display_name: 'With audience',
      strategy_type: 'openid_connect',
      configs: {
        'openid-connect': {
          issuer: 'https://issuer.example.com',
          credential_claim: ['azp'],
          scopes: ['a', 'b'],
          auth_methods: ['bearer'],
          token_post_args_names: ['audience'],
          token_post_args_values: ['aud-1'],
        },
      },
    });
    const form = await open('konnectDcr.editStrategy', { kind: 'strategy', key: 'x', strategy: s });
    const init = await ready(form);
    assert.ok(init.kind === 'strategy');
    assert.deepEqual([init.values.scopes, init.values.audience, init.values.credentialClaim], ['a, b', 'aud-1', 'azp']);
    ok(await submit(form, { kind: 'strategy', values: { ...init.values, audience: '', scopes: 'a' } }));
    const after = await sb.client.authStrategies.get(s.id);
    assert.ok(after.strategy_type === 'openid_connect');
    assert.deepEqual(after.configs['openid-connect'].scopes, ['a']);
    assert.equal(after.configs['openid-connect']['token_post_args_names'], undefined);
  });

  it('ignores malformed messages and logs only where they failed, never their content', async () => {
    const form = await open('konnectDcr.newProvider');
    await ready(form);
    const count = form.posted.length;
    const secret = rememberSecret(`leak-${Date.now()}`);
    await form.receive({
      type: 'request',
      id: 1,
      method: FormMethods.submit,
      params: { kind: 'provider', values: { ...emptyProviderValues(), providerType: 'keycloak', apiKey: secret } },
    });
    await form.receive({ type: 'command', method: 'forms/rm-rf', params: {} });
    await form.receive('hello');
    assert.equal(form.posted.length, count, 'nothing answered');
    const tail = api.testing.logTail.snapshot().join('\n');
    assert.match(tail, /ignored a malformed message from the form webview/);
    assert.ok(!tail.includes(secret));
  });

  it('the page is served with a strict CSP: nonce script, no inline, resources only from dist/webview and media', () => {
    return (async () => {
      const form = await open('konnectDcr.newProvider');
      const html = form.panel.webview.html;
      const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
      assert.match(csp, /default-src 'none'/);
      const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
      assert.ok(nonce && nonce.length >= 22, 'a long nonce');
      assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'));
      assert.match(
        html,
        new RegExp(`<script nonce="${nonce.replace(/[+/=]/g, (c) => `\\${c}`)}" src="[^"]+/dist/webview/forms\\.js"`),
      );
      assert.ok(!/<script(?![^>]*\bsrc=)/.test(html), 'no inline script');
      assert.ok(!/style=/.test(html) && !/<style/.test(html), 'no inline style');
      const roots = (form.panel.webview.options.localResourceRoots ?? []).map((u) => u.path);
      assert.equal(roots.length, 2, `roots: ${roots.join(', ')}`);
      assert.ok(roots[0]?.endsWith('/dist/webview') && roots[1]?.endsWith('/media'), `roots: ${roots.join(', ')}`);
      const other = await open('konnectDcr.newStrategy');
      const nonce2 = /'nonce-([^']+)'/.exec(other.panel.webview.html)?.[1];
      assert.notEqual(nonce2, nonce, 'a fresh nonce per page');
    })();
  });
});
