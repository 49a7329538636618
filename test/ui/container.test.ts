// The Konnect DCR view container as a user sees it: activity-bar icon, four views, the signed-out welcome,
// and the Show Log command from the palette.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import {
  openContainer,
  openKdcrWorkbench,
  runCommand,
  screenshotFailures,
  viewBody,
  viewHeader,
  waitForOutputChannel,
  type KdcrWorkbench,
} from './workbench';

describe('Konnect DCR view container (UI)', () => {
  let wb: KdcrWorkbench | undefined;
  before(async () => {
    wb = await openKdcrWorkbench();
  });
  after(async () => {
    await wb?.close();
  });
  screenshotFailures(() => wb);

  it('opens from the activity bar with its four views', async () => {
    const { page } = wb!;
    for (const name of ['DCR Providers', 'Auth Strategies', 'Kong Identity', 'Portals']) {
      assert.equal(
        await viewHeader(page, name).isVisible(),
        false,
        `${name} is not showing before the container is opened`,
      );
    }
    await openContainer(page, 'Konnect DCR');
    for (const name of ['DCR Providers', 'Auth Strategies', 'Kong Identity', 'Portals'])
      await viewHeader(page, name).waitFor({ state: 'visible' });
  });

  it('shows the signed-out welcome in DCR Providers', async () => {
    const { page } = wb!;
    const welcome = viewBody(page, 'DCR Providers').locator('.welcome-view-content');
    await welcome.locator('p:has-text("Konnect DCR is not connected to Konnect yet.")').waitFor({ state: 'visible' });
    await welcome.locator('.monaco-button:has-text("Show Log")').waitFor({ state: 'visible' });
    const file = await wb!.shot('container-open');
    assert.ok(fs.statSync(file).size > 10_000, 'screenshot written');
  });

  it('"Konnect DCR: Show Log" shows the Konnect DCR output channel', async () => {
    const { page } = wb!;
    assert.equal(
      await page.locator('.part.panel .output-view').isVisible(),
      false,
      'the Output panel is not showing yet',
    );
    await runCommand(page, 'Konnect DCR: Show Log');
    await waitForOutputChannel(page, 'Konnect DCR', '[ext] activated (VS Code ');
    await wb!.shot('show-log');
  });
});
