// The walkthroughs (Welcome page > Walkthroughs), one per identity provider of Kong's DCR how-tos: each is contributed
// with steps whose buttons run commands that exist, and each step is checked off by a context key the extension sets
// from real state. Against the sandbox, the test presses the steps' own buttons (the command links of the manifest,
// with their arguments), fills the forms they open, and reads the keys back: signed in, a provider and a strategy of
// each type, a Kong Identity auth server, Prove DCR's publication and verdict; a sign-out clears them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { KonnectClient } from '../../src/core/api/index';
import { emptyProviderValues, emptyStrategyValues } from '../../src/core/forms/payload';
import type { ProviderType } from '../../src/core/model/providerTypes';
import { FormMethods } from '../../src/shared/forms/methods';
import type { ProviderFormValues, StrategyFormValues, SubmitResult } from '../../src/shared/forms/protocol';
import type { FormHandle } from '../../src/ui/webviews/index';
import { WALKTHROUGH_IDS, WalkthroughKeys } from '../../src/ui/walkthroughs/ids';
import type { Sandbox } from '../../sandbox/index';
import { publish, setUpFlavour } from '../../sandbox/scenarios';
import { EXTENSION_ID, extensionApi, run, signOutAll, startSignedIn, waitFor, type Api } from './support/helpers';
import { rememberSecret } from './support/secrets';

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string };
  completionEvents?: string[];
}
interface Walkthrough {
  id: string;
  title: string;
  description: string;
  steps: Step[];
}

const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
const manifest = ext.packageJSON as {
  contributes: { walkthroughs: Walkthrough[]; commands: { command: string }[] };
};
const walkthroughs = manifest.contributes.walkthroughs;
const walkthrough = (id: string): Walkthrough => walkthroughs.find((w) => w.id === id)!;
const stepOf = (w: string, s: string): Step => walkthrough(w).steps.find((x) => x.id === `${w}.${s}`)!;

/** The `[label](command:id?args)` buttons of a step, as VS Code runs them: args are URI-encoded JSON (an array spreads). */
function buttons(step: Step): { label: string; command: string; args: unknown[] }[] {
  return [...step.description.matchAll(/\[([^\]]+)\]\((command:[^)\s]+)\)/g)].map(([, label, href]) => {
    const [command, query] = href!.slice('command:'.length).split('?') as [string, string | undefined];
    const parsed: unknown = query ? JSON.parse(decodeURIComponent(query)) : [];
    return { label: label!, command, args: Array.isArray(parsed) ? parsed : [parsed] };
  });
}
const button = (step: Step, command: string): { command: string; args: unknown[] } => {
  const b = buttons(step).find((x) => x.command === command);
  assert.ok(b, `step ${step.id} has a ${command} button: ${step.description}`);
  return b;
};

/** The keys a step's `onContext:` events name (each a bare key: VS Code matches the serialized expression). */
const contextKeysOf = (step: Step): string[] =>
  (step.completionEvents ?? []).filter((e) => e.startsWith('onContext:')).map((e) => e.slice('onContext:'.length));

let nextId = 5000;
async function ready(form: FormHandle): Promise<void> {
  await form.receive({ type: 'ready', view: 'forms' });
  await waitFor('forms/init', () =>
    form.posted.some((m) => m.type === 'notification' && m.method === FormMethods.init),
  );
}
async function submit(
  form: FormHandle,
  params: { kind: 'provider'; values: ProviderFormValues } | { kind: 'strategy'; values: StrategyFormValues },
): Promise<Extract<SubmitResult, { ok: true }>> {
  const id = ++nextId;
  await form.receive({ type: 'request', id, method: FormMethods.submit, params });
  const r = form.posted.find((m) => m.type === 'response' && m.id === id);
  assert.ok(r && r.type === 'response', `a response to request ${id}`);
  const result = r.result as SubmitResult;
  assert.ok(result.ok, `submit failed: ${JSON.stringify(result.ok ? {} : result.errors)}`);
  return result;
}

describe('Walkthroughs: one per IdP, checked off by real state', function () {
  this.timeout(120_000);
  let api: Api;
  let sb: Sandbox;
  let konnect: KonnectClient;
  const forms: FormHandle[] = [];
  const keys = (): Record<string, unknown> => api.testing.contextKeys();
  /** Which steps of a walkthrough VS Code checks off now: a step is done when one of its context keys holds. */
  const done = (w: string): string[] =>
    walkthrough(w)
      .steps.filter((s) => contextKeysOf(s).some((k) => keys()[k] === true))
      .map((s) => s.id.slice(w.length + 1));

  before(async () => {
    api = await extensionApi();
    await signOutAll(api);
  });
  afterEach(() => {
    for (const f of forms.splice(0)) f.dispose();
    assert.equal(api.testing.prompts.clearScript(), 0, 'every scripted answer was used');
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await signOutAll(api);
    await konnect?.close();
    await sb?.stop();
  });

  it('contributes one walkthrough per IdP of Kong how-tos, each following the how-to with shipped, short media', () => {
    assert.deepEqual(
      walkthroughs.map((w) => w.id),
      [...WALKTHROUGH_IDS],
    );
    for (const w of walkthroughs) {
      const ids = w.steps.map((s) => s.id.slice(w.id.length + 1));
      const idpStep = w.id === 'kongIdentity' ? 'authServer' : 'idp';
      assert.deepEqual(ids, ['signIn', idpStep, 'provider', 'strategy', 'publish', 'prove'], w.id);
      for (const s of w.steps) {
        assert.ok(s.title && s.description, `${s.id} has a title and a description`);
        const md = s.media.markdown;
        assert.ok(md && md.startsWith('media/walkthroughs/') && md.endsWith('.md'), `${s.id}: markdown media`);
        const file = path.join(ext.extensionPath, md);
        assert.ok(fs.existsSync(file), `${md} exists (media/ is shipped)`);
        assert.ok(fs.statSync(file).size < 2500, `${md} stays short`);
      }
    }
  });

  it("every step's buttons run contributed, registered commands, and every step has a completion event", async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
    const known = new Set<string>(['konnectDcr.signedIn', WalkthroughKeys.authServer]);
    for (const t of WALKTHROUGH_IDS)
      for (const k of [
        WalkthroughKeys.provider,
        WalkthroughKeys.strategy,
        WalkthroughKeys.published,
        WalkthroughKeys.proved,
      ])
        known.add(k(t));
    for (const w of walkthroughs)
      for (const s of w.steps) {
        for (const b of buttons(s)) {
          assert.ok(contributed.has(b.command), `${s.id}: ${b.command} is contributed`);
          assert.ok(registered.has(b.command), `${s.id}: ${b.command} is registered`);
        }
        assert.ok(s.completionEvents?.length, `${s.id} is checked off by something`);
        for (const e of s.completionEvents ?? []) {
          const [kind, what] = [e.slice(0, e.indexOf(':')), e.slice(e.indexOf(':') + 1)];
          if (kind === 'onContext') assert.ok(known.has(what), `${s.id}: ${what} is a key the extension sets`);
          else if (kind === 'onCommand') assert.ok(registered.has(what), `${s.id}: ${what} exists`);
          else assert.fail(`${s.id}: ${e} is not checked off by state`);
        }
      }
    // the provider buttons open the form on the walkthrough's type
    for (const t of WALKTHROUGH_IDS)
      assert.deepEqual(button(stepOf(t, 'provider'), 'konnectDcr.newProvider').args, [{ values: { providerType: t } }]);
  });

  it('signed out, nothing is checked off; the sign-in step is checked off by signing in', async () => {
    await waitFor('signed-out keys', () => keys()['konnectDcr.signedIn'] === false);
    for (const w of WALKTHROUGH_IDS) assert.deepEqual(done(w), [], w);
    ({ sb, konnect } = await startSignedIn('walkthroughs'));
    await waitFor('signedIn', () => keys()['konnectDcr.signedIn'] === true);
    for (const w of WALKTHROUGH_IDS) assert.deepEqual(done(w), ['signIn'], w);
  });

  it('the Kong Identity auth-server step is checked off by the auth server its button creates', async () => {
    const b = button(stepOf('kongIdentity', 'authServer'), 'konnectDcr.identity.newAuthServer');
    api.testing.prompts.script(
      { id: 'identity.authServer.name', answer: 'Appointments Dev' },
      { id: 'identity.authServer.audience', answer: 'http://myhttpbin.dev' },
      { id: 'identity.authServer.description', answer: 'Auth server for the Appointment dev environment' },
    );
    await run(b.command, ...b.args);
    await waitFor(WalkthroughKeys.authServer, () => keys()[WalkthroughKeys.authServer] === true);
    assert.deepEqual(done('kongIdentity'), ['signIn', 'authServer']);
  });

  it("each IdP's provider and strategy steps are checked off by what their buttons' forms create", async () => {
    const f = sb.state.flavours;
    const authServer = (await konnect.identity.authServers.list({ pageSize: 100 })).data.find(
      (a) => a.name === 'Appointments Dev',
    );
    assert.ok(authServer, 'the auth server of the previous step');
    const providerValues: Record<ProviderType, Partial<ProviderFormValues>> = {
      kongIdentity: { issuer: authServer.issuer, authServerId: authServer.id },
      curity: {
        issuer: f.curity.discoveryUrl,
        initialClientId: f.curity.initialClientId,
        initialClientSecret: rememberSecret(f.curity.initialClientSecret),
      },
      okta: { issuer: f.okta.issuer, dcrToken: rememberSecret(f.okta.dcrToken) },
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
      http: { issuer: f.http.issuer, dcrBaseUrl: f.http.dcrBaseUrl, apiKey: rememberSecret(f.http.apiKey) },
    };
    for (const t of WALKTHROUGH_IDS) {
      const before = done(t);
      const p = button(stepOf(t, 'provider'), 'konnectDcr.newProvider');
      const pform = await run<FormHandle>(p.command, ...p.args);
      forms.push(pform);
      await ready(pform);
      const created = await submit(pform, {
        kind: 'provider',
        values: { ...emptyProviderValues(), name: `wt-${t}`, providerType: t, ...providerValues[t] },
      });
      await waitFor(`${t} provider key`, () => keys()[WalkthroughKeys.provider(t)] === true);
      assert.equal(keys()[WalkthroughKeys.strategy(t)], false, `no ${t} strategy yet`);
      const idpStep = t === 'kongIdentity' ? [] : ['idp'];
      assert.deepEqual(done(t), [...before, ...idpStep, 'provider'], `${t}: the provider checks off its step`);

      const s = button(stepOf(t, 'strategy'), 'konnectDcr.newStrategy');
      const sform = await run<FormHandle>(s.command, ...s.args);
      forms.push(sform);
      await ready(sform);
      await submit(sform, {
        kind: 'strategy',
        values: {
          ...emptyStrategyValues(),
          name: `wt-${t}-strategy`,
          displayName: `WT ${t}`,
          dcrProviderId: created.id ?? '',
          issuer: String(providerValues[t].issuer),
          credentialClaim: t === 'auth0' ? 'azp' : t === 'azureAd' ? 'appid' : 'sub',
          scopes: t === 'curity' ? '' : 'openid',
          ...(t === 'auth0' ? { audience: 'https://payments.example.com' } : {}),
        },
      });
      await waitFor(`${t} strategy key`, () => keys()[WalkthroughKeys.strategy(t)] === true);
      assert.deepEqual(done(t), [...before, ...idpStep, 'provider', 'strategy'], t);
    }
    // one type's state checks off only its own walkthrough
    assert.equal(keys()[WalkthroughKeys.proved('okta')], false);
  });

  it('the publish and prove steps are checked off by a Prove DCR that finds the publication and passes', async () => {
    const setup = await setUpFlavour(sb, konnect, 'okta', 'wt-prove');
    const pub = await publish(sb, konnect, setup.strategy.id, 'wt-prove-api');
    await run('konnectDcr.refresh');
    const b = button(stepOf('okta', 'prove'), 'konnectDcr.prove');
    assert.deepEqual(b.args, [], 'the button asks which strategy');
    api.testing.prompts.script(
      { id: 'prove.mode', answer: 'As a test developer' },
      { id: 'prove.developerEmail', answer: sb.state.developer.email },
      { id: 'prove.developerPassword', answer: sb.state.developer.password },
      { id: 'prove.gatewayUrl', answer: `${sb.state.gatewayUrl}/${pub.slug}/anything` },
    );
    // the button's command with the strategy the pick would return (the same handler)
    const report = await run<{ verdict: string }>(b.command, setup.strategy);
    assert.equal(report.verdict, 'pass');
    assert.equal(keys()[WalkthroughKeys.published('okta')], true);
    assert.equal(keys()[WalkthroughKeys.proved('okta')], true);
    assert.deepEqual(done('okta'), ['signIn', 'idp', 'provider', 'strategy', 'publish', 'prove']);
    assert.deepEqual(done('auth0'), ['signIn', 'idp', 'provider', 'strategy'], 'other IdPs are not proved by it');
  });

  it('signing out clears what the connection held', async () => {
    await signOutAll(api);
    await waitFor('signed out', () => keys()['konnectDcr.signedIn'] === false);
    for (const w of WALKTHROUGH_IDS) assert.deepEqual(done(w), [], w);
  });
});
