// Admin-mode "Prove DCR" in the extension host against the whole local sandbox: no developer credentials at all. For
// Kong Identity the run creates the client itself (its secret is seen only by the run: caught here as the sandbox
// stores it, and handed to the secret scan); for Okta, Auth0 and Azure AD it links the test application to a client the admin created in
// the IdP beforehand (asked once, kept in SecretStorage). After each run the application, the developer and the
// Kong Identity client are gone, and the admin's own client still gets tokens.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KonnectClient } from '../../src/core/api/index';
import type { ProveReport } from '../../src/core/prove/types';
import type { ProveViewModel } from '../../src/shared/prove/protocol';
import type { Sandbox } from '../../sandbox/index';
import { registrationRequest } from '../../sandbox/idp/testing';
import { createOktaClient, publish, setUpFlavour } from '../../sandbox/scenarios';
import { extensionApi, run, signOutAll, startSignedIn, type Api } from './support/helpers';
import { rememberSecret } from './support/secrets';

type Report = Omit<ProveReport, 'accessToken'>;
const statuses = (r: Report): string => r.steps.map((s) => `${s.id}:${s.status}`).join(' ');
const ALL_PASS = 'verify:pass publication:pass application:pass token:pass claims:pass gateway:pass cleanup:pass';

describe('Prove DCR in admin mode against the sandbox (no developer credentials)', function () {
  this.timeout(120_000);
  let api: Api;
  let sb: Sandbox;
  let konnect: KonnectClient;
  /** Secrets of the Kong Identity clients the sandbox stored while the tests ran. */
  const kiSecrets: string[] = [];

  before(async () => {
    api = await extensionApi();
    await signOutAll(api);
    ({ sb, konnect } = await startSignedIn('prove-admin'));
    rememberSecret(sb.state.flavours.okta.dcrToken);
    const clients = sb.konnect.store.clients;
    const set = clients.set.bind(clients);
    clients.set = (k, v) => {
      for (const s of v.secrets) kiSecrets.push(rememberSecret(s.secret));
      return set(k, v);
    };
    // nothing stored: the first run must not find a test developer
    assert.equal(await run<boolean>('konnectDcr.prove.forgetDeveloper'), false);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await signOutAll(api);
    await konnect?.close();
    await sb?.stop();
  });
  afterEach(() => assert.equal(api.testing.prompts.clearScript(), 0, 'every scripted answer was used'));

  const store = () => sb.konnect.store;

  it('Kong Identity: offered as a choice when no developer is stored; all seven steps pass; nothing is left', async () => {
    const setup = await setUpFlavour(sb, konnect, 'kongIdentity', 'admin-ki');
    const pub = await publish(sb, konnect, setup.strategy.id, 'admin-ki-api');
    const developers = [...store().developers.values()].filter((d) => d.portal_id === pub.portalId).length;
    const n0 = api.testing.prompts.asked.length;
    api.testing.prompts.script({ id: 'prove.mode', answer: 'As the admin' });
    const report = await run<Report>('konnectDcr.prove', {
      strategy: setup.strategy.id,
      gatewayUrl: sb.state.gatewayUrl,
      show: false,
    });
    assert.equal(statuses(report), ALL_PASS, JSON.stringify(report.steps, null, 1));
    assert.equal(report.mode, 'admin');
    assert.deepEqual(
      api.testing.prompts.asked.slice(n0).map((a) => a.id),
      ['prove.mode'],
      'no developer email or password was asked',
    );
    const app = report.steps.find((s) => s.id === 'application')!;
    assert.match(
      app.detail,
      /^As the admin: test developer \S+ created; application "\S+" linked with dcr_client_id to Kong Identity client (\S+), created on the auth server "as-admin-ki"/,
    );
    const clientId = /Kong Identity client (\S+),/.exec(app.detail)![1]!;
    assert.equal(report.application?.clientId, clientId);
    assert.ok(kiSecrets.length > 0, "the run's Kong Identity client secret was caught in the sandbox");
    // gone: the application, the developer, the Kong Identity client
    assert.equal(
      [...store().applications.values()].some((a) => a.name === report.application?.name),
      false,
    );
    assert.equal([...store().developers.values()].filter((d) => d.portal_id === pub.portalId).length, developers);
    assert.equal(store().clients.has(`${setup.authServerId}/${clientId}`), false, 'the KI client was deleted');
    assert.match(api.testing.prompts.shown.at(-1)?.message ?? '', /DCR proven for "[^"]+" \(admin mode\)/);
  });

  it('Okta: links the admin-owned client (asked once, hidden); the client is never deleted and still works', async () => {
    const setup = await setUpFlavour(sb, konnect, 'okta', 'admin-okta');
    const pub = await publish(sb, konnect, setup.strategy.id, 'admin-okta-api');
    const owned = await createOktaClient(sb, 'admin-owned');
    rememberSecret(owned.clientSecret);
    const apps0 = store().applications.size;
    api.testing.prompts.script(
      { id: 'prove.ownedClientId', answer: owned.clientId },
      { id: 'prove.ownedClientSecret', answer: owned.clientSecret },
    );
    const first = await run<Report>('konnectDcr.prove', {
      strategy: setup.strategy.id,
      gatewayUrl: sb.state.gatewayUrl,
      mode: 'admin',
    });
    assert.equal(statuses(first), ALL_PASS, JSON.stringify(first.steps, null, 1));
    assert.equal(first.mode, 'admin');
    assert.equal(first.application?.clientId, owned.clientId);
    assert.equal(api.testing.prompts.asked.find((a) => a.id === 'prove.ownedClientSecret')?.password, true);
    assert.match(
      first.steps.find((s) => s.id === 'cleanup')!.detail,
      new RegExp(`your client ${owned.clientId} was left as it is`),
    );
    assert.equal(store().applications.size, apps0, 'the test application was deleted');
    assert.equal(
      [...store().developers.values()].some((d) => d.portal_id === pub.portalId && d.email.startsWith('kdcr-prove-')),
      false,
      'and its developer',
    );
    // the admin's client is still at the IdP and still gets tokens
    const res = await fetch(sb.state.flavours.okta.tokenEndpoint, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: owned.clientId,
        client_secret: owned.clientSecret,
        scope: 'api:read',
      }),
    });
    const text = await res.text();
    const token = (JSON.parse(text) as { access_token?: string }).access_token;
    if (token) rememberSecret(token);
    assert.equal(res.status, 200, text);

    // the second run asks nothing: the client is in SecretStorage
    const n1 = api.testing.prompts.asked.length;
    const again = await run<Report>('konnectDcr.prove', {
      strategy: setup.strategy.id,
      gatewayUrl: sb.state.gatewayUrl,
      mode: 'admin',
      show: true,
    });
    assert.equal(again.verdict, 'pass');
    assert.deepEqual(api.testing.prompts.asked.slice(n1), []);
    const model = await run<ProveViewModel>('konnectDcr.prove.showLast');
    assert.equal(model.mode, 'admin', 'the report view says which mode ran');
    assert.equal(model.steps[2]?.title, 'Test developer and application created by the admin, registered');
    assert.equal(JSON.stringify(model).includes(owned.clientSecret), false);

    // "Forget Prove DCR Admin Client…" lists the providers with a stored client; the next run asks again
    api.testing.prompts.script({ id: 'prove.forgetOwnedClient', answer: setup.provider.name });
    assert.equal(await run<boolean>('konnectDcr.prove.forgetOwnedClient'), true);
    assert.match(api.testing.prompts.shown.at(-1)!.message, /forgot your Prove DCR client for/);
    assert.equal(await run<boolean>('konnectDcr.prove.forgetOwnedClient'), false, 'nothing stored any more');
    api.testing.prompts.script({ id: 'prove.ownedClientId', answer: undefined });
    const asked = await run<Report | undefined>('konnectDcr.prove', {
      strategy: setup.strategy.id,
      gatewayUrl: sb.state.gatewayUrl,
      mode: 'admin',
    });
    assert.equal(asked, undefined, 'asked for the client again, and escaped');
  });

  const audienceOf = (oidc: Record<string, unknown> | undefined): { audience?: string } => {
    const names = (oidc?.['token_post_args_names'] as string[] | undefined) ?? [];
    const values = (oidc?.['token_post_args_values'] as string[] | undefined) ?? [];
    const i = names.indexOf('audience');
    return i >= 0 && values[i] ? { audience: values[i] } : {};
  };

  // the same code path for every IdP but Kong Identity: two more, with a client registered at the IdP beforehand as
  // Konnect's DCR would for this strategy (its scopes and credential claim)
  for (const type of ['auth0', 'azureAd'] as const)
    it(`${type}: links the admin-owned client; all seven steps pass; the client is left at the IdP`, async () => {
      const setup = await setUpFlavour(sb, konnect, type, `admin-${type}`);
      await publish(sb, konnect, setup.strategy.id, `admin-${type}-api`);
      const stored = store().providers.get(setup.provider.id)!;
      const driver = sb.idp.drivers[type]!;
      const oidc =
        setup.strategy.strategy_type === 'openid_connect' ? setup.strategy.configs['openid-connect'] : undefined;
      const owned = await driver.register(
        stored,
        registrationRequest({
          application_name: `admin-owned ${type}`,
          dcr_provider_id: stored.id,
          auth_strategy_id: setup.strategy.id,
          scopes: [...(oidc?.scopes ?? [])],
          credential_claim: [...(oidc?.credential_claim ?? ['client_id'])],
          // the API the token is for (Auth0: its client grant), as the strategy sends it in the token request
          ...audienceOf(oidc),
        }),
      );
      rememberSecret(owned.client_secret);
      api.testing.prompts.script(
        { id: 'prove.ownedClientId', answer: owned.client_id },
        { id: 'prove.ownedClientSecret', answer: owned.client_secret },
      );
      const r = await run<Report>('konnectDcr.prove', {
        strategy: setup.strategy.id,
        gatewayUrl: sb.state.gatewayUrl,
        mode: 'admin',
      });
      assert.equal(statuses(r), ALL_PASS, JSON.stringify(r.steps, null, 1));
      assert.equal(r.mode, 'admin');
      assert.equal(r.application?.clientId, owned.client_id);
      assert.equal(await driver.clientExists!(stored, owned.client_id), true, 'the admin client is still at the IdP');
    });
});
