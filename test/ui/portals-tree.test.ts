// The Portals view on the sandbox as an admin sees it: a portal's flow settings, an application with its strategy,
// DCR provider, client id, granted scopes, owner and its registrations (approved with a Gateway Consumer, pending),
// the portal's registrations by status; and a strategy's "Used by" list in Auth Strategies.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createApp, setUpFlavour, type FlavourSetup } from '../../sandbox/scenarios';
import { startTestSandbox, type TestSandbox } from '../integration/support/sandbox';
import {
  collapsePane,
  expandPane,
  openContainer,
  openKdcrWorkbenchOnSandbox,
  parkMouse,
  screenshotFailures,
  setSideBarWidth,
  treeRow,
  type KdcrWorkbench,
} from './workbench';

const CP = '3f0e2d1c-4b5a-4697-8877-665544332211';

describe('the Portals view on the sandbox (UI)', () => {
  let wb: KdcrWorkbench | undefined;
  let sb: TestSandbox;
  let flavour: FlavourSetup;
  before(async () => {
    sb = await startTestSandbox();
    const c = sb.client;
    flavour = await setUpFlavour(sb.sandbox, c, 'kongIdentity', 'ui');
    const portal = await c.portals.create({
      name: 'Payments portal',
      auto_approve_developers: true,
      auto_approve_applications: false,
      default_application_auth_strategy_id: flavour.strategy.id,
    });
    const apis: string[] = [];
    for (const version of ['v1', 'v2']) {
      const api = await c.apis.create({ name: 'Orders', version });
      const service = await c.controlPlaneConfig.createService(CP, {
        name: `orders-${version}`,
        host: 'orders.invalid',
      });
      await c.apiImplementations.create(api.id, { service: { control_plane_id: CP, id: service.id } });
      await c.apiPublications.publish(api.id, portal.id, {
        auth_strategy_ids: [flavour.strategy.id],
        auto_approve_registrations: false,
      });
      apis.push(api.id);
    }
    const url = sb.emulator.portalApiUrl(portal.id);
    const orders = await createApp(sb.sandbox, url, flavour.strategy.id, 'Orders app', apis[0]);
    const billing = await createApp(sb.sandbox, url, flavour.strategy.id, 'Billing app', apis[0]);
    const store = sb.emulator.store;
    const regs = (appId: string) => [...store.registrations.values()].filter((r) => r.application_id === appId);
    // Orders app: v1 approved with a Gateway Consumer, v2 pending; Billing app: v1 revoked
    regs(orders.applicationId)[0]!.status = 'approved';
    store.registrations.set('0a0b0c0d-1111-4222-8333-444455556666', {
      ...regs(orders.applicationId)[0]!,
      id: '0a0b0c0d-1111-4222-8333-444455556666',
      api_id: apis[1]!,
      status: 'pending',
    });
    regs(billing.applicationId)[0]!.status = 'revoked';
    const consumer = await c.request({
      method: 'POST',
      path: `/v2/control-planes/${CP}/core-entities/consumers`,
      body: { username: 'orders-consumer' },
    });
    store.applicationConsumers.set(`${orders.applicationId}/${CP}`, (JSON.parse(consumer.body) as { id: string }).id);
    store.addDeveloper(portal.id, { email: 'newcomer@example.com', full_name: 'New Comer', status: 'pending' });
    wb = await openKdcrWorkbenchOnSandbox(sb.state);
  });
  after(async () => {
    await wb?.close();
    await sb?.stop();
  });
  screenshotFailures(() => wb);

  it("shows a portal's settings, developers, an application with its details and registrations", async () => {
    const { page } = wb!;
    await openContainer(page, 'Konnect DCR');
    await treeRow(page, 'DCR Providers', 'Kong Identity').waitFor({ state: 'visible' });
    await setSideBarWidth(page, 620);
    for (const v of ['DCR Providers', 'Auth Strategies', 'Kong Identity']) await collapsePane(page, v);
    await expandPane(page, 'Portals');
    await treeRow(page, 'Portals', 'Payments portal').click();
    for (const label of ['Settings', 'Developers', 'Applications']) await treeRow(page, 'Portals', label).click();
    await treeRow(page, 'Portals', 'Auto-approve applications').waitFor({ state: 'visible' });
    await treeRow(page, 'Portals', 'newcomer@example.com').waitFor({ state: 'visible' });
    await treeRow(page, 'Portals', 'Orders app').click();
    for (const label of [
      'Auth strategy',
      'DCR provider',
      'Client ID',
      'Granted scopes',
      'Owner',
      'Orders v1',
      'Orders v2',
    ])
      await treeRow(page, 'Portals', label).first().waitFor({ state: 'visible' });
    await treeRow(page, 'Portals', 'Orders v1')
      .first()
      .locator('.label-description:has-text("consumer orders-consumer")')
      .waitFor({ state: 'visible' });
    await parkMouse(page);
    const file = await wb!.shot('tree-portals');
    assert.ok(fs.statSync(file).size > 10_000, 'screenshot written');
  });

  it("shows the portal's registrations by status, each with its application and API", async () => {
    const { page } = wb!;
    // fold what the first screenshot showed, open Registrations and its status groups
    for (const label of ['Settings', 'Developers', 'Applications']) await treeRow(page, 'Portals', label).click();
    await treeRow(page, 'Portals', 'Registrations').click();
    for (const label of ['Pending', 'Approved', 'Revoked']) await treeRow(page, 'Portals', label).click();
    for (const label of ['Orders app → Orders v2', 'Orders app → Orders v1', 'Billing app → Orders v1'])
      await treeRow(page, 'Portals', label).waitFor({ state: 'visible' });
    await parkMouse(page);
    await wb!.shot('tree-portals-registrations');
  });

  it('lists who uses a strategy under it in Auth Strategies, with their portal', async () => {
    const { page } = wb!;
    await collapsePane(page, 'Portals');
    await expandPane(page, 'Auth Strategies');
    await treeRow(page, 'Auth Strategies', flavour.strategy.name).click();
    await treeRow(page, 'Auth Strategies', 'Used by').click();
    for (const app of ['Billing app', 'Orders app'])
      await treeRow(page, 'Auth Strategies', app).waitFor({ state: 'visible' });
    await parkMouse(page);
    await wb!.shot('tree-strategy-used-by');
  });
});
