// "Prove DCR" as a user sees it, in a real workbench against the local sandbox (connected through
// $KONNECT_DCR_SANDBOX_STATE, which also gives the gateway and the test developer): the command from the palette,
// the strategy picked, and the report view: all seven steps passing with the decoded token and its checks
// (test/ui/screenshots/prove-report-pass.png); then a strategy whose credential claim the IdP does not issue, failing
// at step 5 with the explanation and the button to dig in with the .http requests (prove-report-fail.png).
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
/** The report view's document (the webview's inner frame). */
function reportFrame(page: Page): FrameLocator {
  return (page as unknown as { frameLocator(s: string): FrameLocator })
    .frameLocator('iframe.webview.ready')
    .frameLocator('iframe#active-frame');
}

/** "Konnect DCR: Prove DCR…" from the palette, then the strategy from its quick pick. */
async function prove(page: Page, strategy: string): Promise<void> {
  // not runCommand(): it waits for the palette to close, and the strategy pick replaces it at once
  const title = 'Konnect DCR: Prove DCR…';
  await page.keyboard.press('F1');
  const palette = page.locator('.quick-input-widget input').first();
  await palette.waitFor({ state: 'visible' });
  await palette.fill(`>${title}`);
  const row = page
    .locator(
      `.quick-input-list .monaco-list-row:is([aria-label=${JSON.stringify(title)}], [aria-label^=${JSON.stringify(`${title},`)}])`,
    )
    .first();
  // listed once the extension is active and signed in to the sandbox (the palette entry is gated on it)
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
    .locator('.quick-input-widget .quick-input-title:has-text("Prove DCR for which auth strategy?")')
    .waitFor({ state: 'visible', timeout: 30_000 });
  const input = page.locator('.quick-input-widget input').first();
  await input.fill(strategy);
  await page
    .locator(`.quick-input-list .monaco-list-row[aria-label^=${JSON.stringify(strategy)}]`)
    .first()
    .waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
}

describe('Prove DCR: the report view (UI)', function () {
  this.timeout(180_000);
  let wb: KdcrWorkbench | undefined;
  let sb: Sandbox;
  let konnect: KonnectClient;

  before(async () => {
    sb = await startSandbox();
    konnect = konnectClientFor(sb);
    const okta = await setUpFlavour(sb, konnect, 'okta', 'ui');
    await publish(sb, konnect, okta.strategy.id, 'orders');
    // the same IdP, but a credential claim its tokens do not carry
    const http = await setUpFlavour(sb, konnect, 'http', 'ui');
    const cfg = http.strategy.strategy_type === 'openid_connect' ? http.strategy.configs['openid-connect'] : undefined;
    const broken = await konnect.authStrategies.create({
      name: 'payments-tenant-claim',
      display_name: 'Payments',
      strategy_type: 'openid_connect',
      dcr_provider_id: http.provider.id,
      configs: {
        'openid-connect': {
          issuer: cfg!.issuer,
          credential_claim: ['tenant_ref'],
          scopes: cfg!.scopes,
          auth_methods: ['client_credentials', 'bearer'],
        },
      },
    });
    await publish(sb, konnect, broken.id, 'payments');
    wb = await openKdcrWorkbenchOnSandbox(sb.state);
    await runCommand(wb.page, 'View: Toggle Primary Side Bar Visibility');
  });
  after(async () => {
    await wb?.close();
    await konnect?.close();
    await sb?.stop();
  });
  screenshotFailures(() => wb);

  it("a passing proof: seven green steps with their times, the token's claims and checks", async () => {
    const { page } = wb!;
    await prove(page, 'okta-ui');
    const frame = reportFrame(page);
    await frame.locator('#verdict[data-verdict="pass"]').waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(await frame.locator('h1').textContent(), 'DCR proven');
    assert.equal(await frame.locator('li.step[data-status="pass"]').count(), 7, 'all seven steps passed');
    assert.match((await frame.locator('li.step[data-step="gateway"] .detail').textContent()) ?? '', /answered 200/);
    assert.equal(await frame.locator('#checks li.check.fail').count(), 0);
    assert.ok((await frame.locator('#checks li.check.pass').count()) >= 3);
    await frame.locator('#claims th:text-is("iss")').waitFor({ state: 'visible' });
    await page
      .locator('.notifications-toasts .notification-toast:has-text("DCR proven for \\"okta-ui\\"")')
      .first()
      .waitFor({ state: 'visible' });
    await runCommand(page, 'Notifications: Clear All Notifications');
    const file = await wb!.shot('prove-report-pass');
    assert.ok(fs.statSync(file).size > 30_000, 'screenshot written');
    // further down: the decoded token, checked against the strategy
    await (frame.locator('#token') as Locator & { scrollIntoViewIfNeeded(): Promise<void> }).scrollIntoViewIfNeeded();
    await frame.locator('#checks li.check.pass .label:text-is("iss")').waitFor({ state: 'visible' });
    await wb!.shot('prove-report-token');
  });

  it("a failing proof: step 5 names the missing claim, the gateway's refusal is explained, a button opens the .http requests", async () => {
    const { page } = wb!;
    await prove(page, 'payments-tenant-claim');
    const frame = reportFrame(page);
    await frame.locator('#verdict[data-verdict="fail"]').waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(await frame.locator('h1').textContent(), 'Failed at step 5: Token matches the strategy');
    const claims = frame.locator('li.step[data-step="claims"]');
    assert.equal(await frame.locator('li.step[data-step="claims"][data-status="fail"]').count(), 1);
    assert.match((await claims.locator('.explain .summary').textContent()) ?? '', /no tenant_ref claim/);
    assert.equal(
      await frame.locator('li.step[data-step="cleanup"][data-status="pass"]').count(),
      1,
      'the test application was deleted',
    );
    await frame
      .locator('#checks li.check.fail .label:text-is("credential claim tenant_ref")')
      .waitFor({ state: 'visible' });
    await page
      .locator('.notifications-toasts .notification-toast:has-text("failed at step 5")')
      .first()
      .waitFor({ state: 'visible' });
    await runCommand(page, 'Notifications: Clear All Notifications');
    const file = await wb!.shot('prove-report-fail');
    assert.ok(fs.statSync(file).size > 30_000, 'screenshot written');
    // "Dig in": the runner writes the requests; it first asks for a developer app's client id (the test app is gone)
    await claims.locator('button:has-text("Dig in with the .http requests")').click();
    await page
      .locator('.quick-input-widget .quick-input-title:has-text("client id of a developer app")')
      .waitFor({ state: 'visible', timeout: 30_000 });
    await page.keyboard.press('Escape');
  });
});
