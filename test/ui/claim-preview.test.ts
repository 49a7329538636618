// "Preview Claim…" as a user reaches it: the Kong Identity tree, a claim's context menu, the client picked in the
// quick pick, and the read-only document with the claim as the sandbox's test-claim renders it for that client.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { startTestSandbox, type TestSandbox } from '../integration/support/sandbox';
import { seed, type Seeded } from '../integration/support/seed';
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

describe('Preview Claim… from a claim node (UI)', () => {
  let wb: KdcrWorkbench | undefined;
  let sb: TestSandbox;
  let data: Seeded;
  before(async () => {
    sb = await startTestSandbox();
    data = await seed(sb);
    await sb.client.identity.claims.create(data.authServer.id, {
      name: 'caller',
      value: '${ .Client.Name | upper }@${ .AuthServer.Audience }',
      include_in_token: true,
      include_in_all_scopes: true,
    });
    wb = await openKdcrWorkbenchOnSandbox(sb.state);
  });
  after(async () => {
    await wb?.close();
    await sb?.stop();
  });
  screenshotFailures(() => wb);

  it('shows the templated claim rendered for the picked client', async () => {
    const { page } = wb!;
    await openContainer(page, 'Konnect DCR');
    await setSideBarWidth(page, 420);
    await collapsePane(page, 'DCR Providers');
    await collapsePane(page, 'Auth Strategies');
    await expandPane(page, 'Kong Identity');
    await treeRow(page, 'Kong Identity', data.authServer.name).click();
    await treeRow(page, 'Kong Identity', 'Claims').click();
    const row = treeRow(page, 'Kong Identity', 'caller');
    await row.click({ button: 'right' });
    // the menu acts on the highlighted item: hover it, then Enter (a synthetic click leaves the menu open)
    const item = page.locator('.monaco-menu .action-item:has-text("Preview Claim…")').first();
    await item.waitFor({ state: 'visible' });
    const box = await item.boundingBox();
    if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
    await page.keyboard.press('Enter');
    const pick = page.locator('.quick-input-list .monaco-list-row:has-text("ci-pipeline")').first();
    await pick.waitFor({ state: 'visible' });
    await pick.click();
    await page.locator('.tabs-container .tab:has-text("caller.jsonc")').waitFor({ state: 'visible' });
    await page
      .locator('.editor-instance .view-lines:has-text("CI-PIPELINE@https://payments.example.com")')
      .waitFor({ state: 'visible' });
    await parkMouse(page);
    const file = await wb!.shot('claim-preview');
    assert.ok(fs.statSync(file).size > 10_000);
  });
});
