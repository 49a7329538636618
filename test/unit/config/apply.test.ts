// Apply and pull against the Konnect emulator (sandbox, in-process): dependency order with !ref resolved,
// plan → apply → plan is a no-op, a failure half-way says what exists, no duplicates ever, missing secrets stop
// everything before the first call, pull → apply is a no-op.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createKonnectClient, type KonnectClient } from '../../../src/core/api/index';
import {
  MissingSecretsError,
  NothingAppliedError,
  analyzeConfig,
  applyConfig,
  computePlan,
  isNoop,
  pullConfig,
  renderApplyResult,
  renderPlan,
  type DesiredState,
} from '../../../src/core/config/index';
import { TOKEN, startTestKonnect, type TestKonnect } from '../../../sandbox/tests/support/fakes';
import { FIXTURES } from './support';

const SECRETS: Record<string, string> = {
  KDCR_TEST_AUTH0_SECRET: 'auth0-initial-secret-0001',
  KDCR_TEST_AZURE_SECRET: 'azure-initial-secret-0002',
  KDCR_TEST_CURITY_SECRET: 'curity-initial-secret-0003',
  KDCR_TEST_OKTA_TOKEN: 'okta-ssws-token-0004',
  KDCR_TEST_HTTP_API_KEY: 'http_bridge_api_key_0005',
};
const resolveSecret = (name: string): Promise<string | undefined> => Promise.resolve(SECRETS[name]);
const COMPLETE = fs.readFileSync(path.join(FIXTURES, 'complete.konnect-dcr.yaml'), 'utf8');

function model(text: string): DesiredState {
  const a = analyzeConfig(text, { fileName: 'konnect-dcr.yaml' });
  assert.equal(a.errorCount, 0, JSON.stringify(a.diagnostics.map((d) => d.message)));
  return a.model!;
}

describe('config apply and pull (Konnect emulator)', function () {
  this.timeout(30_000);
  let k: TestKonnect;
  let client: KonnectClient;
  const desired = model(COMPLETE);

  beforeEach(async () => {
    k = await startTestKonnect();
    client = createKonnectClient({ baseUrl: k.emu.url, token: TOKEN, userAgent: 'konnect-dcr-tests/1' });
  });
  afterEach(async () => {
    await client.close();
    await k.stop();
  });

  it('plan → apply → plan: creates in dependency order with refs resolved, then there is nothing left to do', async () => {
    const plan = await computePlan(client, desired);
    assert.equal(plan.counts.create, 12);
    const progress: string[] = [];
    const r = await applyConfig(client, desired, {
      resolveSecret,
      expected: plan,
      onProgress: (_d, _t, m) => progress.push(m),
    });
    assert.ok(r.ok, renderApplyResult(r));
    assert.equal(r.applied.length, 12);
    assert.deepEqual(progress.slice(0, 4), [
      'Creating auth server "Payments auth server"',
      'Creating scope "payments:read" of "Payments auth server"',
      'Creating claim "tier" of "Payments auth server"',
      'Creating DCR provider "Payments Kong Identity"',
    ]);

    // what Konnect has now
    const [server] = await client.identity.authServers.listAll();
    const providers = await client.dcrProviders.listAll();
    const strategies = await client.authStrategies.listAll();
    const ki = providers.find((p) => p.name === 'Payments Kong Identity')!;
    assert.equal(ki.issuer, server!.issuer.replace(/\/+$/, ''), 'kongIdentity issuer resolved from the auth server');
    const payments = strategies.find((s) => s.name === 'Payments OIDC')!;
    assert.equal(payments.dcr_provider?.id, ki.id, 'dcr_provider_id: !ref resolved to the new provider');
    assert.equal(
      payments.strategy_type === 'openid_connect' && payments.configs['openid-connect'].issuer,
      server!.issuer,
    );
    assert.deepEqual(
      providers.map((p) => p.labels?.['KONGCTL-namespace']),
      providers.map(() => 'payments'),
    );
    const [scope] = await client.identity.scopes.listAll(server!.id);
    const [claim] = await client.identity.claims.listAll(server!.id);
    assert.deepEqual(claim!.include_in_scopes, [scope!.id]);
    // the write-only secrets reached Konnect, resolved
    const stored = [...k.emu.store.providers.values()];
    assert.equal(stored.find((p) => p.name === 'Okta DCR')!.secrets.dcr_token, SECRETS['KDCR_TEST_OKTA_TOKEN']);
    assert.equal(stored.find((p) => p.name === 'HTTP DCR bridge')!.secrets.api_key, SECRETS['KDCR_TEST_HTTP_API_KEY']);

    const again = await computePlan(client, desired);
    assert.ok(isNoop(again), renderPlan(again));
    assert.equal(again.counts.unchanged, 12);
    const writes = k.emu.hits('POST', /.*/) + k.emu.hits('PATCH', /.*/);
    const second = await applyConfig(client, desired, { resolveSecret: () => Promise.resolve(undefined) });
    assert.ok(second.ok);
    assert.equal(second.applied.length, 0, 'a second apply is a no-op (and needs no secret)');
    assert.equal(k.emu.hits('POST', /.*/) + k.emu.hits('PATCH', /.*/), writes, 'no write at all');
    assert.equal(k.emu.specViolations.length, 0, JSON.stringify(k.emu.specViolations));
  });

  it('updates only what changed, with PATCH bodies Konnect accepts', async () => {
    await applyConfig(client, desired, { resolveSecret });
    const changed = model(
      COMPLETE.replace('https://idp.example.com', 'https://idp2.example.com')
        .replace('[apikey, x-api-key]', '[apikey]')
        .replace('team: identity', 'team: platform'),
    );
    const plan = await computePlan(client, changed);
    assert.deepEqual(
      plan.steps
        .filter((s) => s.action === 'update')
        .map((s) => `${s.name}: ${s.changes.map((c) => c.field).join(', ')}`),
      ['Okta DCR: labels.team', 'HTTP DCR bridge: issuer', 'API keys: configs.key_auth.key_names'],
    );
    const r = await applyConfig(client, changed, { resolveSecret: () => Promise.resolve(undefined), expected: plan });
    assert.ok(r.ok, renderApplyResult(r));
    assert.equal(r.applied.filter((a) => a.action === 'updated').length, 3);
    assert.ok(isNoop(await computePlan(client, changed)));
    assert.equal(k.emu.specViolations.length, 0);
  });

  it('a missing secret stops the apply before anything is sent, naming the variable', async () => {
    const { KDCR_TEST_OKTA_TOKEN: _gone, ...rest } = SECRETS;
    await assert.rejects(
      applyConfig(client, desired, { resolveSecret: (n) => Promise.resolve(rest[n]) }),
      (e: unknown) => {
        assert.ok(e instanceof MissingSecretsError);
        assert.deepEqual(e.names, ['KDCR_TEST_OKTA_TOKEN']);
        assert.match(e.message, /Store Secret/);
        return true;
      },
    );
    assert.equal(k.emu.hits('POST', /.*/), 0);
  });

  it('a secret value Konnect would refuse stops the apply before its first write', async () => {
    await assert.rejects(
      applyConfig(client, desired, {
        resolveSecret: (n) => Promise.resolve(n === 'KDCR_TEST_HTTP_API_KEY' ? 'has-dashes-0001' : SECRETS[n]),
      }),
      (e: unknown) => {
        assert.ok(e instanceof NothingAppliedError);
        assert.match(
          e.message,
          /Nothing was applied: The DCR provider "HTTP DCR bridge" cannot be sent to Konnect: dcr_config\.api_key/,
        );
        assert.ok(!e.message.includes('has-dashes-0001'));
        return true;
      },
    );
    assert.equal(k.emu.hits('POST', /.*/) + k.emu.hits('PATCH', /.*/), 0);
  });

  it('a create sent without an answer is reported as possibly existing', async () => {
    k.emu.faults.add({ path: '^/v2/application-auth-strategies$', method: 'POST', kind: 'drop', times: 1 });
    const r = await applyConfig(client, desired, { resolveSecret });
    assert.equal(r.ok, false);
    assert.equal(r.failed?.uncertain, true);
    assert.match(renderApplyResult(r), /auth strategy "Payments OIDC" may have been created anyway/);
    assert.match(renderApplyResult(r), /and maybe auth strategy "Payments OIDC"\.$/);
    const again = await applyConfig(client, desired, { resolveSecret: () => Promise.resolve(undefined) });
    assert.ok(again.ok, renderApplyResult(again));
    assert.equal((await client.authStrategies.listAll()).length, 3, 'no duplicate');
  });

  it('a failure half-way reports exactly what exists now; applying again finishes without duplicates', async () => {
    k.emu.faults.add({
      path: '^/v2/application-auth-strategies$',
      method: 'POST',
      kind: 'status',
      status: 400,
      times: 1,
    });
    // one step at a time, so that "half-way" is one exact point (with concurrency the siblings in flight finish too:
    // applyConcurrency.test.ts)
    const r = await applyConfig(client, desired, { resolveSecret, concurrency: 1 });
    assert.equal(r.ok, false);
    assert.equal(r.failed?.step.name, 'Payments OIDC');
    assert.deepEqual(
      r.notDone.map((s) => s.name),
      ['Payments OIDC', 'Auth0 OIDC', 'API keys'],
    );
    const existing = r.existing.map((e) => `${e.kind} ${e.name}`).sort();
    assert.deepEqual(existing, [
      'authServer Payments auth server',
      'claim tier',
      'provider Auth0 DCR',
      'provider Azure DCR',
      'provider Curity DCR',
      'provider HTTP DCR bridge',
      'provider Okta DCR',
      'provider Payments Kong Identity',
      'scope payments:read',
    ]);
    const providers = await client.dcrProviders.listAll();
    assert.deepEqual(
      r.existing
        .filter((e) => e.kind === 'provider')
        .map((e) => e.id)
        .sort(),
      providers.map((p) => p.id).sort(),
      'the report matches Konnect',
    );
    assert.match(renderApplyResult(r), /Failed at auth strategy "Payments OIDC"[\s\S]*Exists in Konnect now: /);

    const second = await applyConfig(client, desired, { resolveSecret: () => Promise.resolve(undefined) });
    assert.ok(second.ok, renderApplyResult(second));
    assert.deepEqual(
      second.applied.map((a) => a.name),
      ['Payments OIDC', 'Auth0 OIDC', 'API keys'],
    );
    assert.equal((await client.dcrProviders.listAll()).length, 6);
    assert.equal((await client.authStrategies.listAll()).length, 3);
    assert.equal((await client.identity.authServers.listAll()).length, 1);
  });

  /** A client whose read (`listAll`) of `api` misses the resource `id`: Konnect has it, the apply's read does not show it. */
  function missing(api: 'dcrProviders' | 'authServers', id: string): KonnectClient {
    const hide = <T extends object>(t: T): T =>
      new Proxy(t, {
        get: (target, p) => {
          const v = Reflect.get(target, p) as unknown;
          if (p === 'listAll')
            return async (...a: unknown[]) =>
              ((await (v as (...x: unknown[]) => Promise<{ id: string }[]>).apply(target, a)) ?? []).filter(
                (x) => x.id !== id,
              );
          return typeof v === 'function' ? (v as (...x: unknown[]) => unknown).bind(target) : v;
        },
      });
    return new Proxy(client, {
      get(target, prop) {
        if (api === 'dcrProviders' && prop === 'dcrProviders') return hide(target.dcrProviders);
        if (api === 'authServers' && prop === 'identity')
          return new Proxy(target.identity, {
            get: (t, p) => (p === 'authServers' ? hide(t.authServers) : (Reflect.get(t, p) as unknown)),
          });
        return Reflect.get(target, prop) as unknown;
      },
    });
  }
  const lookUps = (): number => k.emu.requests.filter((r) => /filter(?:%5B|\[)name/.test(r.query)).length;

  it('a clean apply asks for nothing by name: its read says what exists, then only the creates are sent', async () => {
    const r = await applyConfig(client, desired, { resolveSecret, concurrency: 1 });
    assert.ok(r.ok, renderApplyResult(r));
    assert.deepEqual(r.maybeCreated, []);
    assert.equal(lookUps(), 0, 'no look-up by name');
    const posts = k.emu.requests.filter((q) => q.method === 'POST');
    assert.equal(posts.length, 12, 'one create per resource');
    assert.equal(posts.filter((q) => q.status === 201).length, 12);
    // every other request is a page of the read at the start (providers, strategies, auth servers)
    assert.deepEqual(
      [...new Set(k.emu.requests.filter((q) => q.method !== 'POST').map((q) => `${q.method} ${q.path}`))].sort(),
      ['GET /v1/auth-servers', 'GET /v2/application-auth-strategies', 'GET /v2/dcr-providers'],
    );
  });

  it('a create an earlier apply sent without an answer is looked up by name first, and used: no duplicate', async () => {
    // Konnect carried the earlier create out after this apply read it (here: a read that misses it)
    const created = await client.dcrProviders.create({
      provider_type: 'okta',
      name: 'Okta DCR',
      issuer: 'https://example.okta.com/oauth2/default',
      dcr_config: { dcr_token: 'x-token-0000' },
    });
    const r = await applyConfig(missing('dcrProviders', created.id), desired, {
      resolveSecret,
      lookUpFirst: [{ kind: 'provider', name: 'Okta DCR' }],
    });
    assert.ok(r.ok, renderApplyResult(r));
    assert.equal(r.applied.find((a) => a.name === 'Okta DCR')?.action, 'matched');
    assert.equal(lookUps(), 1, 'that create alone is looked up');
    assert.equal((await client.dcrProviders.listAll()).filter((p) => p.name === 'Okta DCR').length, 1);
    assert.deepEqual(r.maybeCreated, [], 'resolved: it exists');
  });

  it('a create Konnect answers 409 (the name was taken since the read) looks the resource up and uses it', async () => {
    const taken = await client.identity.authServers.create({
      name: 'Payments auth server',
      audience: 'https://elsewhere.example.com',
    });
    const posts = k.emu.hits('POST', /^\/v1\/auth-servers$/);
    const r = await applyConfig(missing('authServers', taken.id), desired, { resolveSecret });
    assert.ok(r.ok, renderApplyResult(r));
    assert.equal(r.applied.find((a) => a.kind === 'authServer')?.action, 'matched');
    assert.equal(k.emu.hits('POST', /^\/v1\/auth-servers$/) - posts, 1, 'one create, answered 409');
    assert.equal(k.emu.requests.filter((q) => q.method === 'POST' && q.status === 409).length, 1);
    assert.equal((await client.identity.authServers.listAll()).length, 1, 'no duplicate');
  });

  it('a plan that Konnect outdated is not applied (stale)', async () => {
    const plan = await computePlan(client, desired);
    await client.dcrProviders.create({
      provider_type: 'okta',
      name: 'Okta DCR',
      issuer: 'https://example.okta.com/oauth2/default',
      dcr_config: { dcr_token: 'x-token-0000' },
    });
    const r = await applyConfig(client, desired, { resolveSecret, expected: plan });
    assert.equal(r.stale, true);
    assert.equal(r.applied.length, 0);
    assert.equal((await client.dcrProviders.listAll()).length, 1);
  });

  it('cancellation stops between steps and reports what was done', async () => {
    const ctrl = new AbortController();
    const r = await applyConfig(client, desired, {
      resolveSecret,
      signal: ctrl.signal,
      onProgress: (done) => {
        if (done === 2) ctrl.abort();
      },
    });
    assert.equal(r.cancelled, true);
    assert.equal(r.applied.length, 2);
    assert.equal(r.notDone.length, 10);
  });

  it('pull → apply is a no-op; the pulled file is valid and holds no secret value', async () => {
    await applyConfig(client, desired, { resolveSecret });
    // and some resources made elsewhere, without kongctl labels
    await client.authStrategies.create({
      strategy_type: 'openid_connect',
      name: 'Self-managed',
      display_name: '',
      configs: {
        'openid-connect': {
          issuer: 'https://login.example.com',
          credential_claim: ['sub'],
          scopes: [],
          auth_methods: ['bearer'],
        },
      },
    });
    // a Kong Identity client made elsewhere (its secret is shown once, here): pulled as an entry, never its secret
    const [kiServer] = await client.identity.authServers.listAll();
    const [kiScope] = await client.identity.scopes.listAll(kiServer!.id);
    const made = await client.identity.clients.create(kiServer!.id, {
      name: 'made-elsewhere',
      grant_types: ['client_credentials'],
      response_types: ['token'],
      allow_scopes: [kiScope!.id],
      access_token_duration: 900,
      labels: { team: 'ci' },
    });
    const pulled = await pullConfig(client);
    for (const v of Object.values(SECRETS)) assert.ok(!pulled.text.includes(v), 'no secret in the pulled file');
    assert.ok(!pulled.text.includes(made.client_secret), 'no client secret in the pulled file');
    assert.match(
      pulled.text,
      new RegExp(
        `\\n {4}clients:\\n {6}# client_id ${made.id}.*\\n {6}- name: made-elsewhere\\n(?: {8}.*\\n)*? {8}allow_scopes:\\n {10}- ${kiScope!.name}\\n`,
      ),
      'the client is an entry of its auth server, its allowed scopes by name',
    );
    assert.match(pulled.text, /dcr_token: !secret \{source: !env OKTA_DCR_DCR_TOKEN\}/);
    assert.match(pulled.text, /dcr_provider_id: !ref payments-kong-identity/);
    assert.deepEqual(pulled.secretNames.length, 5);
    // Kong Identity too: the auth server with its scopes and claims (claims name their scopes), so that the
    // kongIdentity provider's issuer and the strategies come back with what they rely on
    assert.equal(pulled.authServers, desired.authServers.length);
    assert.ok(pulled.authServers > 0);
    assert.match(pulled.text, /^kong_identity_auth_servers:\n(?: {2}#.*\n)* {2}- ref: /m);
    for (const a of desired.authServers) {
      assert.match(pulled.text, new RegExp(`name: ${a.name.replace(/[()]/g, '\\$&')}\n`));
      for (const sc of a.scopes) assert.match(pulled.text, new RegExp(`- name: ${sc.name}\n`));
      for (const c of a.claims) assert.match(pulled.text, new RegExp(`- name: ${c.name}\n`));
    }
    const a = analyzeConfig(pulled.text, { fileName: 'pulled.kongctl.yaml' });
    assert.equal(a.model?.authServers.length, desired.authServers.length, 'the pulled auth servers are planned');
    assert.deepEqual(
      a.model?.authServers.flatMap((x) => x.clients.map((c) => c.name)),
      ['made-elsewhere'],
      'and their clients',
    );
    assert.equal(a.errorCount, 0, JSON.stringify(a.diagnostics));
    const plan = await computePlan(client, a.model!);
    assert.ok(isNoop(plan), renderPlan(plan));
    const r = await applyConfig(client, a.model!, { resolveSecret: () => Promise.resolve(undefined) });
    assert.ok(r.ok && r.applied.length === 0);
  });
  it('Kong Identity clients: created after their scopes with scope ids, the issued secret kept once and nowhere else; updated; pull → plan is no change', async () => {
    const file = (duration: number, scopes: string): string => `kong_identity_auth_servers:
  - ref: orders-ki
    name: Orders auth server
    audience: api://orders
    scopes:
      - name: orders:read
      - name: orders:write
    clients:
      - name: ci-pipeline
        grant_types: [client_credentials]
        response_types: [token]
        allow_scopes: [${scopes}]
        access_token_duration: ${duration}
        token_endpoint_auth_method: client_secret_post
        labels:
          team: ci
`;
    const first = model(file(600, 'orders:read'));
    const plan = await computePlan(client, first);
    assert.deepEqual(
      plan.steps.map((s) => `${s.action} ${s.kind} ${s.name}`),
      [
        'create authServer Orders auth server',
        'create scope orders:read',
        'create scope orders:write',
        'create client ci-pipeline',
      ],
    );
    const planned = plan.steps.find((s) => s.kind === 'client')!;
    assert.deepEqual(
      planned.changes.map((c) => c.field),
      [
        'grant_types',
        'response_types',
        'access_token_duration',
        'allow_scopes',
        'labels.team',
        'token_endpoint_auth_method',
        'client_secret',
      ],
    );
    assert.match(renderPlan(plan), /client_secret: issued by Konnect once, kept in VS Code's SecretStorage/);

    const kept = new Map<string, string>();
    const progress: string[] = [];
    const r = await applyConfig(client, first, {
      resolveSecret,
      expected: plan,
      keepSecret: (name, value) => {
        kept.set(name, value);
        return Promise.resolve();
      },
      onProgress: (_d, _t, m) => progress.push(m),
    });
    assert.ok(r.ok, renderApplyResult(r));
    // the client is created after its auth server and the scopes it names
    assert.deepEqual(progress.slice(0, 4), [
      'Creating auth server "Orders auth server"',
      'Creating scope "orders:read" of "Orders auth server"',
      'Creating scope "orders:write" of "Orders auth server"',
      'Creating client "ci-pipeline" of "Orders auth server"',
    ]);
    const [server] = await client.identity.authServers.listAll();
    const scopes = await client.identity.scopes.listAll(server!.id);
    const [made] = await client.identity.clients.listAll(server!.id);
    assert.equal(made!.name, 'ci-pipeline');
    assert.deepEqual(made!.allow_scopes, [scopes.find((x) => x.name === 'orders:read')!.id], 'scope names → ids');
    assert.equal(made!.access_token_duration, 600);
    assert.equal(made!.labels['team'], 'ci');
    // the secret: handed to keepSecret once, under a name the report gives; not in the result, the plan or the report
    assert.deepEqual([...kept.keys()], ['ORDERS_KI_CI_PIPELINE_CLIENT_SECRET']);
    const secret = kept.get('ORDERS_KI_CI_PIPELINE_CLIENT_SECRET')!;
    assert.ok(secret.length >= 8);
    const step = r.applied.find((a) => a.kind === 'client')!;
    assert.deepEqual(
      [step.action, step.id, step.secretKeptAs],
      ['created', made!.id, 'ORDERS_KI_CI_PIPELINE_CLIENT_SECRET'],
    );
    const report = renderApplyResult(r);
    assert.match(
      report,
      /Konnect issued a secret for client "ci-pipeline" of "Orders auth server" \(client_id [^)]+\): kept in VS Code's SecretStorage as ORDERS_KI_CI_PIPELINE_CLIENT_SECRET/,
    );
    for (const text of [report, JSON.stringify(r), JSON.stringify(plan), renderPlan(r.plan)])
      assert.ok(!text.includes(secret), 'the client secret appears in no result, plan or report');

    // applied again: nothing to do (the secret is never compared)
    const again = await computePlan(client, first);
    assert.ok(isNoop(again), renderPlan(again));
    assert.equal(again.steps.find((s) => s.kind === 'client')!.action, 'unchanged');

    // an update: only what changed, allowed scopes by name
    const second = model(file(900, 'orders:read, orders:write'));
    const up = await computePlan(client, second);
    const u = up.steps.find((s) => s.kind === 'client')!;
    assert.equal(u.action, 'update');
    assert.deepEqual(
      u.changes.map((c) => [c.field, c.from, c.to]),
      [
        ['access_token_duration', 600, 900],
        ['allow_scopes', ['orders:read'], ['orders:read', 'orders:write']],
      ],
    );
    const r2 = await applyConfig(client, second, {
      resolveSecret,
      expected: up,
      keepSecret: () => Promise.reject(new Error('no create')),
    });
    assert.ok(r2.ok, renderApplyResult(r2));
    const [after] = await client.identity.clients.listAll(server!.id);
    assert.equal(after!.access_token_duration, 900);
    assert.deepEqual([...after!.allow_scopes].sort(), scopes.map((x) => x.id).sort());
    assert.ok(isNoop(await computePlan(client, second)));

    // without keepSecret, the report says the secret was issued and not kept
    const third = model(`${file(900, 'orders:read')}      - name: second-client
        grant_types: [client_credentials]
        response_types: [token]
`);
    const r3 = await applyConfig(client, third, { resolveSecret });
    assert.ok(r3.ok, renderApplyResult(r3));
    assert.equal(r3.applied.find((a) => a.name === 'second-client')!.secretKeptAs, null);
    assert.match(
      renderApplyResult(r3),
      /secret for client "second-client" of "Orders auth server" \(client_id [^)]+\) and it was not kept/,
    );

    // pull → plan is no change, apply sends nothing
    const pulled = await pullConfig(client);
    assert.ok(!pulled.text.includes(secret));
    assert.doesNotMatch(pulled.text, /^\s*-? ?client_secret:/m);
    const back = model(pulled.text);
    assert.deepEqual(
      back.authServers[0]!.clients.map((c) => [c.name, c.allow_scopes]),
      [
        ['ci-pipeline', ['orders:read']],
        ['second-client', undefined],
      ],
    );
    const pulledPlan = await computePlan(client, back);
    assert.ok(isNoop(pulledPlan), renderPlan(pulledPlan));
    assert.deepEqual(
      pulledPlan.steps.filter((s) => s.kind === 'client').map((s) => s.action),
      ['unchanged', 'unchanged'],
    );
    const r4 = await applyConfig(client, back, { resolveSecret: () => Promise.resolve(undefined) });
    assert.ok(r4.ok && r4.applied.length === 0, renderApplyResult(r4));
  });
  it('strategy extras round-trip: other openid-connect settings, principals and a key-auth TTL pull and plan as no change', async () => {
    await client.authStrategies.create({
      strategy_type: 'openid_connect',
      name: 'with-extras',
      display_name: 'Extras',
      principals: { enabled: true },
      configs: {
        'openid-connect': {
          issuer: 'https://login.example.com',
          credential_claim: ['client_id'],
          scopes: ['read'],
          auth_methods: ['client_credentials'],
          cache_tokens: true,
          hide_credentials: false,
          token_post_args_names: ['resource'],
          token_post_args_values: ['https://api.example.com'],
        },
      },
    });
    await client.authStrategies.create({
      strategy_type: 'key_auth',
      name: 'keys-ttl',
      display_name: 'Keys',
      configs: { 'key-auth': { key_names: ['apikey'], ttl: { value: 2, unit: 'weeks' } } },
    });
    const pulled = await pullConfig(client);
    for (const kept of [/cache_tokens: true/, /hide_credentials: false/, /enabled: true/, /unit: weeks/])
      assert.match(pulled.text, kept);
    const a = analyzeConfig(pulled.text, { fileName: 'pulled.kongctl.yaml' });
    assert.equal(a.errorCount, 0, JSON.stringify(a.diagnostics));
    const plan = await computePlan(client, a.model!);
    assert.ok(isNoop(plan), renderPlan(plan));
    // and a change to one of them is planned as exactly that change
    const changed = analyzeConfig(pulled.text.replace('cache_tokens: true', 'cache_tokens: false'), {
      fileName: 'pulled.kongctl.yaml',
    });
    const rendered = renderPlan(await computePlan(client, changed.model!));
    assert.match(rendered, /cache_tokens/);
    assert.doesNotMatch(rendered, /hide_credentials|principals|\.ttl/);
  });
});
