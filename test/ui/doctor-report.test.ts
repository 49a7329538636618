// "DCR Doctor" as a user sees it, in a real workbench against the local sandbox: "Konnect DCR: Diagnose…" from the
// palette, a strategy picked, and the report view. First a chain whose control plane has both enforcing plugins:
// red, the ace plugin named first (kind, name, id), the links after it and before it
// (test/ui/screenshots/doctor-report-fail.png); then a healthy chain, every link green (doctor-report-pass.png).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { KonnectClient } from '../../src/core/api/index';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { konnectClientFor, publish, setUpFlavour } from '../../sandbox/scenarios';
import {
  openKdcrWorkbenchOnSandbox,
  runCommand,
  screenshotFailures,
  type KdcrWorkbench,
  type Locator,
  type Page,
} from './workbench';

interface FrameLocator {
  locator(selector: string): Locator;
  frameLocator(selector: string): FrameLocator;
}
function reportFrame(page: Page): FrameLocator {
  return (page as unknown as { frameLocator(s: string): FrameLocator })
    .frameLocator('iframe.webview.ready')
    .frameLocator('iframe#active-frame');
}

/** "Konnect DCR: Diagnose…" from the palette, then the strategy from its quick pick. */
async function diagnose(page: Page, strategy: string): Promise<void> {
  const title = 'Konnect DCR: Diagnose…';
  await page.keyboard.press('F1');
  const palette = page.locator('.quick-input-widget input').first();
  await palette.waitFor({ state: 'visible' });
  await palette.fill(`>${title}`);
  const row = page
    .locator(
      `.quick-input-list .monaco-list-row:is([aria-label=${JSON.stringify(title)}], [aria-label^=${JSON.stringify(`${title},`)}])`,
    )
    .first();
  for (let i = 1; ; i++) {
    try {
      await row.waitFor({ state: 'visible', timeout: 2000 });
      break;
    } catch (e) {
      if (i >= 30) throw e;
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      await palette.fill(`>${title}`);
    }
  }
  await row.click();
  await page
    .locator('.quick-input-widget .quick-input-title:has-text("Diagnose which auth strategy")')
    .waitFor({ state: 'visible', timeout: 30_000 });
  const input = page.locator('.quick-input-widget input').first();
  await input.fill(strategy);
  await page
    .locator(`.quick-input-list .monaco-list-row[aria-label*=${JSON.stringify(strategy)}]`)
    .first()
    .waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
}

describe('DCR Doctor: the report view (UI)', function () {
  this.timeout(180_000);
  let wb: KdcrWorkbench | undefined;
  let sb: Sandbox;
  let konnect: KonnectClient;
  let acePluginId = '';

  before(async () => {
    sb = await startSandbox();
    konnect = konnectClientFor(sb);
    const healthy = await setUpFlavour(sb, konnect, 'kongIdentity', 'orders');
    await publish(sb, konnect, healthy.strategy.id, 'orders');
    const twice = await setUpFlavour(sb, konnect, 'kongIdentity', 'billing');
    const pub = await publish(sb, konnect, twice.strategy.id, 'billing');
    const [impl] = await konnect.apiImplementations.listAll({ filter: { api_id: { eq: pub.apiId } } });
    const cp = impl && 'service' in impl ? impl.service.control_plane_id : '';
    acePluginId = (await konnect.controlPlaneConfig.createPlugin(cp, { name: 'ace', config: {} })).id;
    wb = await openKdcrWorkbenchOnSandbox(sb.state);
    await runCommand(wb.page, 'View: Toggle Primary Side Bar Visibility');
  });
  after(async () => {
    await wb?.close();
    await konnect?.close();
    await sb?.stop();
  });
  screenshotFailures(() => wb);

  it('both enforcing plugins: red, the ace plugin named first with its id, the other links green', async () => {
    const { page } = wb!;
    await diagnose(page, 'kongIdentity-billing');
    const frame = reportFrame(page);
    await frame.locator('#verdict[data-verdict="fail"]').waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(await frame.locator('h1').textContent(), 'Broken: Exactly one plugin enforces the strategy');
    const culprit = frame.locator('.culprit');
    assert.equal(await frame.locator('.culprit[data-kind="plugin"]').count(), 1);
    assert.equal(await culprit.locator('.id').textContent(), acePluginId);
    assert.match((await culprit.locator('.kind').textContent()) ?? '', /Plugin/);
    assert.equal(await frame.locator('li.link[data-status="fail"]').count(), 1);
    assert.equal(await frame.locator('li.link[data-status="pass"]').count(), 8);
    assert.equal(await frame.locator('li.link.first[data-link="plugin"]').count(), 1);
    const file = await wb!.shot('doctor-report-fail');
    assert.ok(fs.statSync(file).size > 30_000, 'screenshot written');
  });

  it('a healthy chain: every link green, and "Edit the strategy" is offered on its links', async () => {
    const { page } = wb!;
    await diagnose(page, 'kongIdentity-orders');
    const frame = reportFrame(page);
    await frame.locator('#verdict[data-verdict="pass"]').waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(await frame.locator('h1').textContent(), 'The DCR chain holds');
    assert.equal(await frame.locator('li.link[data-status="pass"]').count(), 9);
    assert.ok((await frame.locator('button[data-fix="verifyProvider"]').count()) >= 1);
    const file = await wb!.shot('doctor-report-pass');
    assert.ok(fs.statSync(file).size > 30_000, 'screenshot written');
  });
});
