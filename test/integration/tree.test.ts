// The three trees against the local Konnect sandbox: what they show equals what the sandbox holds, for all six
// DCR provider types, both strategy types and Kong Identity (auth server → scopes, claims, clients).
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { AppAuthStrategy, DcrProvider } from '../../src/core/api/index';
import { extensionApi, find, run, shown, signOutAll, tooltipText, waitFor, type Api } from './support/helpers';
import { startTestSandbox, type TestSandbox } from './support/sandbox';
import { seed, type Seeded } from './support/seed';

const TYPE_LABELS: [DcrProvider['provider_type'], string][] = [
  ['kongIdentity', 'Kong Identity'],
  ['auth0', 'Auth0'],
  ['azureAd', 'Azure AD'],
  ['curity', 'Curity'],
  ['okta', 'Okta'],
  ['http', 'HTTP'],
];
const byName = (a: { name: string }, b: { name: string }): number =>
  a.name.localeCompare(b.name, undefined, { sensitivity: 'base' });

describe('trees against the sandbox', () => {
  let api: Api;
  let sb: TestSandbox;
  let data: Seeded;
  let providers: DcrProvider[];
  let strategies: AppAuthStrategy[];

  before(async () => {
    api = await extensionApi();
    await signOutAll(api);
    sb = await startTestSandbox();
    data = await seed(sb);
    // one strategy with application principals on and one with them off, so the tree shows both
    const [on, off] = (await sb.client.authStrategies.listAll()).filter((s) => s.strategy_type === 'openid_connect');
    await sb.client.authStrategies.update(on!.id, { principals: { enabled: true } });
    await sb.client.authStrategies.update(off!.id, { principals: { enabled: false } });
    providers = await sb.client.dcrProviders.listAll();
    strategies = await sb.client.authStrategies.listAll();
    const r = await run<{ ok: boolean; message: string }>('konnectDcr.signIn', {
      name: 'tree-sandbox',
      baseUrl: sb.konnectUrl,
      token: sb.token,
    });
    assert.equal(r.ok, true, r.message);
  });
  after(async () => {
    await signOutAll(api);
    await sb?.stop();
  });

  it('groups the DCR providers by provider_type, one group per type with a codicon each', async () => {
    const groups = await shown(api.testing.trees.providers, undefined, 2);
    assert.deepEqual(
      groups.map((g) => g.label),
      TYPE_LABELS.map(([, l]) => l),
    );
    const icons = new Set(groups.map((g) => (g.item.iconPath as vscode.ThemeIcon).id));
    assert.equal(icons.size, 6, 'six different codicons');
    for (const [type, label] of TYPE_LABELS) {
      const group = find(groups, label);
      const expected = providers.filter((p) => p.provider_type === type).sort(byName);
      assert.equal(group.description, String(expected.length));
      assert.deepEqual(
        group.children!.map((c) => c.label),
        expected.map((p) => p.name),
        `${label} providers`,
      );
      for (const p of expected) {
        const node = find(group.children!, p.name);
        assert.equal(node.description, `${p.active ? 'active' : 'inactive'} · ${p.issuer}`);
        assert.match(node.contextValue, /^provider;.*\bverifiable\b/);
        const tip = tooltipText(node.item);
        for (const v of [p.issuer, p.id, p.provider_type]) assert.ok(tip.includes(v), `tooltip has ${v}: ${tip}`);
        // its children: the strategies that use it
        const users = strategies.filter((s) => s.dcr_provider?.id === p.id).sort(byName);
        assert.deepEqual(
          node.children!.map((c) => c.label),
          users.map((s) => s.name),
          `strategies under ${p.name}`,
        );
      }
    }
  });

  it('says in the view description how many providers and strategies there are', async () => {
    await waitFor(
      'counts',
      () => api.testing.views['konnectDcr.providers'].description === `${providers.length} providers`,
    );
    assert.equal(api.testing.views['konnectDcr.strategies'].description, `${strategies.length} strategies`);
  });

  it('lists every auth strategy with its type, linked provider, scopes, claims, auth methods, key names and principals', async () => {
    const principalsShown: boolean[] = [];
    const roots = await shown(api.testing.trees.strategies, undefined, 1);
    assert.deepEqual(
      roots.map((r) => r.label),
      [...strategies].sort(byName).map((s) => s.name),
    );
    for (const s of strategies) {
      const node = find(roots, s.name);
      assert.ok(node.description.startsWith(s.strategy_type), node.description);
      const fields = Object.fromEntries(node.children!.map((c) => [c.label, c.description]));
      // shown where the answer has it
      if (s.principals) assert.equal(fields['Application principals'], s.principals.enabled ? 'enabled' : 'disabled');
      else assert.equal(fields['Application principals'], undefined);
      delete fields['Application principals'];
      if (s.principals) principalsShown.push(s.principals.enabled);
      if (s.strategy_type === 'openid_connect') {
        const c = s.configs['openid-connect'];
        const p = s.dcr_provider ? providers.find((x) => x.id === s.dcr_provider!.id)! : undefined;
        const label = p && TYPE_LABELS.find(([t]) => t === p.provider_type)![1];
        assert.deepEqual(fields, {
          'DCR provider': p ? `${p.name} (${label})` : 'none (self-managed client credentials)',
          Issuer: c.issuer,
          Scopes: c.scopes.length ? c.scopes.join(', ') : '(none)',
          'Credential claims': c.credential_claim.join(', '),
          'Auth methods': c.auth_methods.join(', '),
          // the applications that use it, loaded when expanded (test/integration/portals.test.ts)
          'Used by': 'applications',
        });
      } else {
        const c = s.configs['key-auth'];
        assert.deepEqual(fields, {
          'Key names': c.key_names!.join(', '),
          TTL: `${c.ttl!.value} ${c.ttl!.unit}`,
          'Used by': 'applications',
        });
      }
    }
    assert.deepEqual(principalsShown.sort(), [false, true], 'both settings were shown');
  });

  it('shows Kong Identity auth servers with their scopes, claims and clients', async () => {
    const servers = await sb.client.identity.authServers.listAll();
    const roots = await shown(api.testing.trees.identity, undefined, 2);
    assert.deepEqual(
      roots.map((r) => r.label),
      servers.map((a) => a.name).sort(),
    );
    const server = find(roots, data.authServer.name);
    assert.equal(server.description, data.authServer.issuer);
    const [scopes, claims, clients] = await Promise.all([
      sb.client.identity.scopes.listAll(data.authServer.id),
      sb.client.identity.claims.listAll(data.authServer.id),
      sb.client.identity.clients.listAll(data.authServer.id),
    ]);
    assert.deepEqual(
      server.children!.map((g) => [g.label, g.description]),
      [
        ['Scopes', String(scopes.length)],
        ['Claims', String(claims.length)],
        ['Clients', String(clients.length)],
      ],
    );
    assert.deepEqual(
      find(server.children!, 'Scopes').children!.map((c) => c.label),
      scopes.map((x) => x.name),
    );
    assert.deepEqual(
      find(server.children!, 'Claims').children!.map((c) => [c.label, c.description]),
      claims.map((x) => [x.name, x.value]),
    );
    assert.deepEqual(
      find(server.children!, 'Clients').children!.map((c) => c.label),
      clients.map((x) => x.name),
    );
    assert.ok(find(server.children!, 'Clients').children![0]!.description.startsWith(clients[0]!.id));
  });

  it('refreshes: a provider created in Konnect shows up after Refresh', async () => {
    const p = await sb.client.dcrProviders.create({
      provider_type: 'kongIdentity',
      name: 'aaa-late-provider',
      issuer: data.authServer.issuer,
    });
    await run('konnectDcr.refresh');
    const groups = await shown(api.testing.trees.providers, undefined, 1);
    assert.ok(find(groups, 'Kong Identity').children!.some((c) => c.label === p.name));
    await sb.client.dcrProviders.delete(p.id);
    await run('konnectDcr.refresh');
  });

  it('Cancel Refresh stops a slow refresh and keeps what the views showed', async () => {
    const before = api.testing.model.peekCatalog();
    assert.ok(before);
    sb.emulator.faults.add({ path: '^/v2/dcr-providers$', method: 'GET', kind: 'latency', delayMs: 5000, times: 1 });
    const t0 = Date.now();
    const refreshing = run('konnectDcr.refresh', 'catalog');
    await waitFor('the refresh to be running', () => api.testing.model.loading);
    await run('konnectDcr.cancelRefresh');
    await refreshing;
    assert.ok(Date.now() - t0 < 4000, 'did not wait for the slow answer');
    assert.equal(api.testing.model.loading, false);
    assert.equal(api.testing.model.peekCatalog(), before, 'the previous data stays');
    assert.equal((await shown(api.testing.trees.providers)).length, 6, 'the tree still shows the six groups');
    sb.emulator.faults.clear();
  });

  it('loads every page of large lists, with bounded concurrency', async () => {
    sb.emulator.seed({ providers: 250, strategies: 230, prefix: 'bulk' });
    sb.emulator.requests.length = 0;
    await run('konnectDcr.refresh', 'catalog');
    const c = api.testing.model.peekCatalog()!;
    assert.equal(c.providers.length, providers.length + 250);
    assert.equal(c.strategies.length, strategies.length + 230);
    const lists = sb.emulator.requests.filter(
      (r) => r.method === 'GET' && /^\/v2\/(dcr-providers|application-auth-strategies)$/.test(r.path),
    );
    assert.equal(lists.length, 3 + 3, 'three pages of 100 per list');
    assert.equal(api.testing.views['konnectDcr.providers'].description, `${c.providers.length} providers`);
  });

  it('shows the first page of each list while the other pages load, then the whole list', async function () {
    this.timeout(60_000);
    // three pages per list (the test before seeded them; on its own, this test does)
    if ((api.testing.model.peekCatalog()?.strategies.length ?? 0) <= 200) {
      sb.emulator.seed({ providers: 250, strategies: 230, prefix: 'first' });
      await run('konnectDcr.refresh', 'catalog');
    }
    const total = api.testing.model.peekCatalog()!;
    assert.ok(total.strategies.length > 200 && total.providers.length > 200);
    // page 1 of each list answers at once (the first matching fault fires first), every later page takes 1.5 s
    for (const path of ['^/v2/dcr-providers$', '^/v2/application-auth-strategies$']) {
      sb.emulator.faults.add({ path, method: 'GET', kind: 'latency', delayMs: 0, times: 1 });
      sb.emulator.faults.add({ path, method: 'GET', kind: 'latency', delayMs: 1500 });
    }
    try {
      const refreshing = run('konnectDcr.refresh', 'catalog');
      await waitFor('the refresh to be running', () => api.testing.model.loading);
      const first = await shown(api.testing.trees.strategies);
      assert.equal(api.testing.model.loading, true, 'the first screen came before the other pages');
      assert.equal(first.length, 101, 'the first page of strategies and a loading line');
      assert.equal(first.at(-1)!.label, `Loading… (100 of ${total.strategies.length} strategies shown)`);
      const groups = await shown(api.testing.trees.providers, undefined, 1);
      assert.match(
        groups.at(-1)!.label,
        new RegExp(`^Loading… \\(100 of ${total.providers.length} providers shown\\)$`),
      );
      assert.equal(
        groups.reduce((n, g) => n + (g.children?.length ?? 0), 0),
        100,
        'the groups hold the first page of providers',
      );
      await refreshing;
      const all = await shown(api.testing.trees.strategies);
      assert.equal(all.length, total.strategies.length, 'then every strategy, no loading line');
      assert.ok(!all.some((n) => n.label.startsWith('Loading')));
      assert.equal(api.testing.model.peekCatalog()!.complete, true);
    } finally {
      sb.emulator.faults.clear();
    }
  });
});
