// The request runner as a user sees it, in a real workbench against the local sandbox: a .http file with the token
// request and the gateway call (client credentials from .env), "Send all" clicked on its CodeLens, and the response
// view beside it showing 200, the decoded Bearer token with every check against the strategy passing, its expiry in
// local time and the time split. Screenshot: test/ui/screenshots/runner-response.png.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { KonnectClient } from '../../src/core/api/index';
import { findTokenEndpoint } from '../../src/core/oidc/discovery';
import { createRequestExecutor } from '../../src/core/requests/executor';
import { generateValidationRequests } from '../../src/core/requests/generate';
import { strategyView } from '../../src/core/requests/jwt';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { createApp, konnectClientFor, publish, setUpFlavour } from '../../sandbox/scenarios';
import {
  fixtureWorkspace,
  openKdcrWorkbenchOnSandbox,
  runCommand,
  screenshotFailures,
  waitForToast,
  type KdcrWorkbench,
  type Locator,
  type Page,
} from './workbench';

interface FrameLocator {
  locator(selector: string): Locator;
  frameLocator(selector: string): FrameLocator;
}
/** The response view's document (the webview's inner frame). */
function responseFrame(page: Page): FrameLocator {
  return (page as unknown as { frameLocator(s: string): FrameLocator })
    .frameLocator('iframe.webview.ready')
    .frameLocator('iframe#active-frame');
}

describe('request runner: the response view (UI)', () => {
  let wb: KdcrWorkbench | undefined;
  let sb: Sandbox;
  let konnect: KonnectClient;
  let tmp: string;

  before(async function () {
    this.timeout(120_000);
    sb = await startSandbox();
    konnect = konnectClientFor(sb);
    const setup = await setUpFlavour(sb, konnect, 'okta', 'ui');
    const pub = await publish(sb, konnect, setup.strategy.id, 'orders-ui');
    const app = await createApp(sb, pub.portalApiUrl, setup.strategy.id, 'orders-ui-app', pub.apiId);

    // a workspace with the generated requests; the credentials come from .env instead of secret storage (no typing)
    tmp = fs.mkdtempSync(path.join(os.tmpdir().length <= 40 ? os.tmpdir() : '/tmp', 'kdcr-ui-rn-'));
    const ws = path.join(tmp, 'ws');
    fs.cpSync(fixtureWorkspace, ws, { recursive: true });
    const view = strategyView(setup.strategy)!;
    const endpoint = await findTokenEndpoint(
      createRequestExecutor(),
      view.issuer,
      view.providerType,
      new AbortController().signal,
    );
    const text = generateValidationRequests({
      strategy: view,
      tokenEndpoint: endpoint,
      secretKey: 'x',
      now: Date.now(),
      gatewayUrl: `${sb.state.gatewayUrl}/${pub.slug}/anything`,
    })
      .replace('{{$secret x.clientId}}', '{{$dotenv CLIENT_ID}}')
      .replace('{{$secret x.clientSecret}}', '{{$dotenv CLIENT_SECRET}}');
    fs.writeFileSync(path.join(ws, 'validate.http'), text);
    fs.writeFileSync(path.join(ws, '.env'), `CLIENT_ID=${app.clientId}\nCLIENT_SECRET=${app.clientSecret}\n`);
    wb = await openKdcrWorkbenchOnSandbox(sb.state, { workspace: ws }); // signed in to the sandbox at activation
  });
  after(async () => {
    await wb?.close();
    await konnect?.close();
    await sb?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });
  screenshotFailures(() => wb);

  it('"Send all" from the CodeLens shows the gateway 200 with the decoded, checked token', async function () {
    this.timeout(120_000);
    const { page } = wb!;
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    // open the file by Quick Open
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input').first();
    await input.waitFor({ state: 'visible' });
    await input.fill('validate.http');
    await page
      .locator('.quick-input-list .monaco-list-row:has-text("validate.http")')
      .first()
      .waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    const sendAll = page.locator('.contentWidgets .codelens-decoration a:has-text("Send all")').first();
    await sendAll.waitFor({ state: 'visible', timeout: 60_000 });
    // the lenses of one document render in more than one pass: wait for all of them, not only the first
    const lenses = page.locator('.codelens-decoration a:has-text("Send")');
    for (let t0 = Date.now(); (await lenses.count()) < 3 && Date.now() - t0 < 15_000;)
      await new Promise((r) => setTimeout(r, 100));
    assert.equal((await lenses.count()) >= 3, true, 'Send all + one Send per request');
    await sendAll.click();

    const frame = responseFrame(page);
    const summary = frame.locator('#check-summary');
    await summary.waitFor({ state: 'visible', timeout: 60_000 });
    await frame.locator('h3:has-text("Bearer token sent with the request")').waitFor({ state: 'visible' });
    assert.match((await frame.locator('#status').textContent()) ?? '', /^200 OK$/);
    assert.match((await summary.textContent()) ?? '', /^(\d+)\/\1 token checks passed$/);
    assert.equal(await frame.locator('li.check.fail').count(), 0, 'no failing check');
    assert.ok(
      (await frame.locator('li.check.pass').count()) >= 5,
      'iss, signature, credential claim, scopes, exp pass',
    );
    assert.match((await frame.locator('.expires').first().textContent()) ?? '', /\d/);
    await frame.locator('li.check.pass .label:text-is("iss")').waitFor({ state: 'visible' });
    await frame.locator('li.check.pass .label:text-is("signature")').waitFor({ state: 'visible' });
    await frame.locator('li.check.pass .label:text-is("credential claim app_client_id")').waitFor({ state: 'visible' });
    await frame.locator('#timings').waitFor({ state: 'visible' });
    const file = await wb!.shot('runner-response');
    assert.ok(fs.statSync(file).size > 20_000, 'screenshot written');

    // a button of the page reaches the host (typed command, zod-checked there)
    await frame.locator('button:has-text("Copy as curl")').first().click();
    await waitForToast(page, 'curl command copied (secrets redacted)');
  });
});
