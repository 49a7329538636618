// Applications and registrations, admin side, against the sandbox: the Portals view (settings, developers,
// applications with their strategy, DCR provider, client id, granted scopes and owner, registrations by status), a
// strategy's "Used by" list, and every action (approve / reject / revoke a registration, approve a developer, delete an
// application, link and unlink a Gateway Consumer, the flow settings). Each action's effect is read back from the
// emulator's store, and the emulator validates every request and answer against the spec files: no spec violation,
// no request it refused as invalid.
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { createApp, setUpFlavour, type FlavourSetup } from '../../sandbox/scenarios';
import type { AdminNode } from '../../src/ui/portals/nodes';
import { PortalCommands } from '../../src/ui/portals/ids';
import type { TreeNode } from '../../src/ui/tree/nodes';
import { extensionApi, labelOf, run, signOutAll, waitFor, type Api } from './support/helpers';
import { startTestSandbox, type TestSandbox } from './support/sandbox';
import { rememberSecret } from './support/secrets';

interface Row<N> {
  readonly label: string;
  readonly description: string;
  readonly contextValue: string;
  readonly node: N;
}

interface Provider<N> {
  getChildren(n?: N): Promise<N[]>;
  getTreeItem(n: N): vscode.TreeItem;
}

async function rows<N>(tree: Provider<N>, parent?: N): Promise<Row<N>[]> {
  return (await tree.getChildren(parent)).map((node) => {
    const item = tree.getTreeItem(node);
    return {
      label: labelOf(item),
      description: typeof item.description === 'string' ? item.description : '',
      contextValue: item.contextValue ?? '',
      node,
    };
  });
}

function row<N>(list: readonly Row<N>[], label: string | RegExp): Row<N> {
  const r = list.find((x) => (typeof label === 'string' ? x.label === label : label.test(x.label)));
  assert.ok(r, `"${String(label)}" among ${list.map((x) => x.label).join(' | ')}`);
  return r;
}

const CP = '6a1d4f7e-2b1c-4e3a-9f0d-5c8b7a6e4d21';

describe('portals: applications and registrations (admin side)', function () {
  this.timeout(120_000);
  let api: Api;
  let sb: TestSandbox;
  let flavour: FlavourSetup;
  let portalId: string;
  let bulkPortalId: string;
  let apiA: string;
  let apiB: string;
  let appId: string;
  let requestsBefore: number;

  const tree = (): Api['testing']['portals']['tree'] => api.testing.portals.tree;
  const portalRow = async (name: string): Promise<Row<AdminNode>> => row(await rows(tree()), name);
  const groupRow = async (portal: string, group: string): Promise<Row<AdminNode>> =>
    row(await rows(tree(), (await portalRow(portal)).node), group);
  const appRow = async (name: string): Promise<Row<AdminNode>> =>
    row(await rows(tree(), (await groupRow('Admin portal', 'Applications')).node), name);
  const appChildren = async (name: string): Promise<Row<AdminNode>[]> => rows(tree(), (await appRow(name)).node);
  const store = (): TestSandbox['emulator']['store'] => sb.emulator.store;

  before(async () => {
    api = await extensionApi();
    await signOutAll(api);
    sb = await startTestSandbox();
    const konnect = sb.client;
    flavour = await setUpFlavour(sb.sandbox, konnect, 'kongIdentity', 'portals');
    portalId = (
      await konnect.portals.create({
        name: 'Admin portal',
        auto_approve_applications: false,
        auto_approve_developers: false,
      })
    ).id;
    apiA = (await konnect.apis.create({ name: 'Orders', version: 'v1' })).id;
    apiB = (await konnect.apis.create({ name: 'Orders', version: 'v2' })).id;
    for (const id of [apiA, apiB]) {
      const service = await konnect.controlPlaneConfig.createService(CP, {
        name: `orders-${id.slice(0, 8)}`,
        host: 'orders.invalid',
      });
      await konnect.apiImplementations.create(id, { service: { control_plane_id: CP, id: service.id } });
      await konnect.apiPublications.publish(id, portalId, {
        auth_strategy_ids: [flavour.strategy.id],
        auto_approve_registrations: false,
      });
    }
    const created = await createApp(
      sb.sandbox,
      sb.emulator.portalApiUrl(portalId),
      flavour.strategy.id,
      'Orders app',
      apiA,
    );
    rememberSecret(created.clientSecret);
    appId = created.applicationId;
    // a second registration, pending too, to reject
    const [r] = [...store().registrations.values()].filter((x) => x.application_id === appId);
    assert.equal(r?.status, 'pending');
    store().registrations.set('11111111-2222-4333-8444-555555555555', {
      ...r!,
      id: '11111111-2222-4333-8444-555555555555',
      api_id: apiB,
    });
    bulkPortalId = (await konnect.portals.create({ name: 'Bulk portal' })).id;
    const r0 = await run<{ ok: boolean; message: string }>('konnectDcr.signIn', {
      name: 'portals',
      baseUrl: sb.konnectUrl,
      token: sb.token,
    });
    assert.equal(r0.ok, true, r0.message);
    requestsBefore = sb.emulator.requests.length;
  });

  after(async () => {
    await signOutAll(api);
    await sb?.stop();
  });

  it('lists the portals, each with Settings, Developers, Applications and Registrations', async () => {
    const roots = await rows(tree());
    assert.deepEqual(
      roots.map((r) => r.label),
      ['Admin portal', 'Bulk portal'],
    );
    assert.deepEqual(
      (await rows(tree(), roots[0]!.node)).map((r) => r.label),
      ['Settings', 'Developers', 'Applications', 'Registrations'],
    );
  });

  it('shows the flow settings and changes them: auto-approve toggles, default strategy picked and cleared', async () => {
    const settings = async (): Promise<Row<AdminNode>[]> =>
      rows(tree(), (await groupRow('Admin portal', 'Settings')).node);
    let s = await settings();
    assert.deepEqual(
      s.map((r) => [r.label, r.description]),
      [
        ['Auto-approve developers', 'off'],
        ['Auto-approve applications', 'off'],
        ['Default application auth strategy', 'none'],
      ],
    );
    const out = await run<{ done: boolean }>(PortalCommands.toggleSetting, row(s, 'Auto-approve developers').node);
    assert.equal(out.done, true);
    assert.equal(store().portals.get(portalId)!.auto_approve_developers, true);
    s = await settings();
    assert.equal(row(s, 'Auto-approve developers').description, 'on');
    await run(PortalCommands.toggleSetting, row(s, 'Auto-approve developers').node);
    assert.equal(store().portals.get(portalId)!.auto_approve_developers, false);

    // picked from the strategies (a scripted pick of the quick pick the command shows)
    api.testing.prompts.script({ id: 'portals.defaultStrategy', answer: flavour.strategy.name });
    await run(PortalCommands.setDefaultStrategy, row(await settings(), 'Default application auth strategy').node);
    assert.equal(store().portals.get(portalId)!.default_application_auth_strategy_id, flavour.strategy.id);
    await waitFor(
      'the catalog, for the strategy name',
      async () => (await api.testing.model.getCatalog()).state === 'ready',
    );
    assert.equal(row(await settings(), 'Default application auth strategy').description, flavour.strategy.name);
    await run(PortalCommands.setDefaultStrategy, row(await settings(), 'Default application auth strategy').node, null);
    assert.equal(store().portals.get(portalId)!.default_application_auth_strategy_id, null);
  });

  it('approves a pending developer', async () => {
    const pending = store().addDeveloper(portalId, { email: 'newcomer@example.com', status: 'pending' });
    await run(PortalCommands.refresh);
    const devs = await rows(tree(), (await groupRow('Admin portal', 'Developers')).node);
    const r = row(devs, 'newcomer@example.com');
    assert.match(r.description, /pending$/);
    assert.match(r.contextValue, /(^|;)developerApprovable(;|$)/);
    assert.doesNotMatch(row(devs, sb.state.developer.email).contextValue, /developerApprovable/);
    const out = await run<{ done: boolean }>(PortalCommands.approveDeveloper, r.node);
    assert.equal(out.done, true);
    assert.equal(store().developers.get(pending.id)!.status, 'approved');
    const after = row(await rows(tree(), (await groupRow('Admin portal', 'Developers')).node), 'newcomer@example.com');
    assert.match(after.description, /approved$/);
  });

  it("shows an application's strategy, DCR provider, client id, granted scopes, owner and registrations", async () => {
    const app = store().applications.get(appId)!;
    const a = await appRow('Orders app');
    assert.equal(a.description, `${flavour.strategy.display_name} · ${app.client_id}`);
    const children = await appChildren('Orders app');
    const developer = [...store().developers.values()].find(
      (d) => d.portal_id === portalId && d.email === sb.state.developer.email,
    )!;
    assert.deepEqual(
      children.slice(0, 5).map((r) => [r.label, r.description]),
      [
        ['Auth strategy', `${flavour.strategy.display_name} (client_credentials)`],
        ['DCR provider', flavour.provider.name],
        ['Client ID', app.client_id],
        ['Granted scopes', app.scopes ? app.scopes.join(', ') || '(none)' : '(not known)'],
        ['Owner', `developer ${developer.email}`],
      ],
    );
    assert.deepEqual(
      children.slice(5).map((r) => [r.label, r.description]),
      [
        ['Orders v1', 'pending'],
        ['Orders v2', 'pending'],
      ],
    );
    const pendingGroup = row(await rows(tree(), (await groupRow('Admin portal', 'Registrations')).node), 'Pending');
    assert.deepEqual(
      (await rows(tree(), pendingGroup.node)).map((r) => r.label),
      ['Orders app → Orders v1', 'Orders app → Orders v2'],
    );
  });

  it('approves a registration, revokes it after a confirmation (not without), and rejects a pending one', async () => {
    const reg = async (label: string): Promise<Row<AdminNode>> =>
      row((await appChildren('Orders app')).slice(5), label);
    const v1 = await reg('Orders v1');
    assert.match(v1.contextValue, /(^|;)approvable(;|$)/);
    assert.match(v1.contextValue, /(^|;)rejectable(;|$)/);
    assert.equal((await run<{ done: boolean }>(PortalCommands.approveRegistration, v1.node)).done, true);
    const regId = (v1.node as Extract<AdminNode, { kind: 'registration' }>).registration.id;
    assert.equal(store().registrations.get(regId)!.status, 'approved');
    const approved = await reg('Orders v1');
    assert.equal(approved.description, 'approved');
    assert.match(approved.contextValue, /(^|;)revocable(;|$)/);

    api.testing.prompts.script({ id: 'portals.revoke', answer: undefined });
    assert.equal((await run<{ done: boolean }>(PortalCommands.revokeRegistration, approved.node)).done, false);
    assert.equal(store().registrations.get(regId)!.status, 'approved', 'nothing changed without the confirmation');
    const asked = api.testing.prompts.asked.at(-1);
    assert.equal(asked?.modal, true);
    api.testing.prompts.script({ id: 'portals.revoke', answer: 'Revoke' });
    assert.equal((await run<{ done: boolean }>(PortalCommands.revokeRegistration, approved.node)).done, true);
    assert.equal(store().registrations.get(regId)!.status, 'revoked');
    assert.equal((await reg('Orders v1')).description, 'revoked');

    api.testing.prompts.script({ id: 'portals.reject', answer: 'Reject' });
    const v2 = await reg('Orders v2');
    assert.equal((await run<{ done: boolean }>(PortalCommands.rejectRegistration, v2.node)).done, true);
    assert.equal(store().registrations.get('11111111-2222-4333-8444-555555555555')!.status, 'rejected');
    assert.equal((await reg('Orders v2')).description, 'rejected');
    // approved again for what follows
    await run(PortalCommands.approveRegistration, (await reg('Orders v1')).node);
  });

  it('links a Gateway Consumer picked from the Gateway of the API, shown on the registration, and unlinks it', async () => {
    const consumer = await sb.client.request({
      method: 'POST',
      path: `/v2/control-planes/${CP}/core-entities/consumers`,
      body: { username: 'orders-consumer', custom_id: 'orders-1' },
    });
    assert.equal(consumer.status, 201);
    const consumerId = (JSON.parse(consumer.body) as { id: string }).id;
    const v1 = row((await appChildren('Orders app')).slice(5), 'Orders v1');
    assert.match(v1.contextValue, /(^|;)consumerLinkable(;|$)/);
    api.testing.prompts.script({ id: 'portals.consumer', answer: 'orders-consumer' });
    assert.equal((await run<{ done: boolean }>(PortalCommands.linkConsumer, v1.node)).done, true);
    assert.equal(store().applicationConsumers.get(`${appId}/${CP}`), consumerId);
    const linked = row((await appChildren('Orders app')).slice(5), 'Orders v1');
    assert.equal(linked.description, 'approved · consumer orders-consumer');
    assert.match(linked.contextValue, /(^|;)consumerLinked(;|$)/);
    // the other registration's API is in the same Gateway: the same mapping
    assert.equal(
      row((await appChildren('Orders app')).slice(5), 'Orders v2').description,
      'rejected · consumer orders-consumer',
    );

    api.testing.prompts.script({ id: 'portals.unlinkConsumer', answer: 'Unlink' });
    assert.equal((await run<{ done: boolean }>(PortalCommands.unlinkConsumer, linked.node)).done, true);
    assert.equal(store().applicationConsumers.has(`${appId}/${CP}`), false);
    assert.equal(row((await appChildren('Orders app')).slice(5), 'Orders v1').description, 'approved');
  });

  it("lists a strategy's users under it in Auth Strategies, with their portal", async () => {
    await api.testing.model.refresh(['catalog']);
    const strategies = await api.testing.trees.strategies.getChildren();
    const strategy = strategies.find((n) => n.kind === 'strategy' && n.strategy.id === flavour.strategy.id)!;
    assert.ok(strategy, 'the strategy node');
    const fields = await rows<TreeNode>(api.testing.trees.strategies, strategy);
    const users = row(fields, 'Used by');
    const apps = await rows<TreeNode>(api.testing.trees.strategies, users.node);
    assert.deepEqual(
      apps.map((r) => r.label),
      ['Orders app'],
    );
    assert.match(apps[0]!.description, /· Admin portal$/);
    assert.match(api.testing.trees.strategies.getTreeItem(users.node).description as string, /^1 applications$/);
  });

  it('deletes an application after a confirmation, from the strategy\'s "Used by" list too', async () => {
    const strategies = await api.testing.trees.strategies.getChildren();
    const strategy = strategies.find((n) => n.kind === 'strategy' && n.strategy.id === flavour.strategy.id)!;
    const users = row(await rows<TreeNode>(api.testing.trees.strategies, strategy), 'Used by');
    const app = row(await rows<TreeNode>(api.testing.trees.strategies, users.node), 'Orders app');
    assert.match(app.contextValue, /(^|;)appDeletable(;|$)/);
    api.testing.prompts.script({ id: 'portals.deleteApplication', answer: 'Delete' });
    assert.equal((await run<{ done: boolean }>(PortalCommands.deleteApplication, app.node)).done, true);
    assert.equal(store().applications.has(appId), false);
    assert.equal([...store().registrations.values()].filter((r) => r.application_id === appId).length, 0);
    const left = await rows(tree(), (await groupRow('Admin portal', 'Applications')).node);
    assert.deepEqual(
      left.map((r) => r.label),
      ['No applications'],
    );
  });

  it('5,000 applications: the first page at once with a loading line, then all of them', async () => {
    const seeded = sb.emulator.seedApplications({
      portalId: bulkPortalId,
      strategyId: flavour.strategy.id,
      count: 5000,
      developers: 50,
      prefix: 'bulk',
    });
    assert.equal(seeded.applications.length, 5000);
    await run(PortalCommands.refresh);
    // from expanding the portal (which asks for page 1 of its lists) to the Applications group's first screen
    const t0 = performance.now();
    const group = await groupRow('Bulk portal', 'Applications');
    const first = await rows(tree(), group.node);
    const firstMs = performance.now() - t0;
    assert.equal(first.length, 101, 'page 1 and the loading line');
    assert.equal(first[0]!.label, 'bulk-app-0000');
    assert.equal(first.at(-1)!.label, 'Loading… (100 of 5,000 applications shown)');
    const all = await waitFor(
      'all 5,000 applications',
      async () => {
        const r = await rows(tree(), (await groupRow('Bulk portal', 'Applications')).node);
        return r.length === 5000 && r;
      },
      60_000,
    );
    const allMs = performance.now() - t0;
    assert.equal(all.at(-1)!.label, 'bulk-app-4999');
    assert.equal(tree().getTreeItem((await groupRow('Bulk portal', 'Applications')).node).description, '5,000');
    console.log(`      5,000 applications: first screen ${Math.round(firstMs)} ms, all ${Math.round(allMs)} ms`);
  });

  it('25,050 applications: the list stops at its cap of 25,000 with "Load more…", which loads every one', async function () {
    this.timeout(240_000);
    const capped = (await sb.client.portals.create({ name: 'Capped portal' })).id;
    sb.emulator.seedApplications({
      portalId: capped,
      strategyId: flavour.strategy.id,
      count: 25_050,
      developers: 5,
      prefix: 'cap',
    });
    // the portal offers the strategy (its default), so the strategy's "Used by" reads this portal's applications too
    await sb.client.portals.update(capped, { default_application_auth_strategy_id: flavour.strategy.id });
    await run(PortalCommands.refresh);
    const list = async (): Promise<Row<AdminNode>[]> =>
      rows(tree(), (await groupRow('Capped portal', 'Applications')).node);
    const first = await waitFor(
      'the first 25,000',
      async () => {
        const r = await list();
        return r.at(-1)?.contextValue === 'loadMore' && r;
      },
      120_000,
    );
    assert.equal(first.length, 25_001, 'the cap, then "Load more…"');
    assert.equal(first.at(-2)!.label, 'cap-app-24999');
    assert.equal(first.at(-1)!.label, 'Load more… (25,000 of 25,050 shown)');
    // "Used by" says that it looked at the first 25,000 of that portal only
    await api.testing.model.refresh(['catalog']);
    const strategy = (await api.testing.trees.strategies.getChildren()).find(
      (n) => n.kind === 'strategy' && n.strategy.id === flavour.strategy.id,
    )!;
    const users = row(await rows<TreeNode>(api.testing.trees.strategies, strategy), 'Used by');
    const usedBy = await rows<TreeNode>(api.testing.trees.strategies, users.node);
    assert.equal(usedBy.filter((r) => r.label.startsWith('cap-app-')).length, 25_000);
    assert.equal(usedBy.at(-1)!.label, 'Portal "Capped portal": only the applications read so far were looked at');
    const more = tree().getTreeItem(first.at(-1)!.node).command!;
    const sent = sb.emulator.requests.length;
    await run(more.command, ...(more.arguments ?? []));
    const all = await waitFor(
      'all 25,050',
      async () => {
        const r = await list();
        return r.length === 25_050 && r;
      },
      120_000,
    );
    assert.equal(all.at(-1)!.label, 'cap-app-25049');
    assert.deepEqual(
      sb.emulator.requests
        .slice(sent)
        .filter((q) => q.path === `/v3/portals/${capped}/applications`)
        .map((q) => new URLSearchParams(q.query).get('page[number]')),
      ['251'],
      'it goes on after the pages shown: only page 251 is asked for',
    );
    assert.ok(
      all.every((r) => r.contextValue !== 'loadMore' && !r.label.startsWith('Loading')),
      'every one, nothing more to load',
    );
  });

  it('sent only requests the spec accepts, and got only answers the spec allows', () => {
    const mine = sb.emulator.requests.slice(requestsBefore).filter((r) => r.operationId);
    assert.ok(mine.length > 60, `${mine.length} requests`);
    const ops = new Set(mine.map((r) => r.operationId));
    for (const op of [
      'update-portal',
      'update-developer',
      'list-portal-developers',
      'list-applications',
      'list-registrations',
      'list-registrations-by-application',
      'update-application-registration',
      'update-application-registration-consumer',
      'delete-application-registration-consumer',
      'delete-application',
      'list-consumer',
    ])
      assert.ok(ops.has(op), `${op} was called`);
    assert.deepEqual(
      mine.filter((r) => r.status >= 400).map((r) => `${r.method} ${r.path} -> ${r.status}`),
      [],
    );
    assert.deepEqual(sb.emulator.specViolations, [], 'answers outside the spec');
  });
});
