// Signing in as a user does it, in a real workbench against the local sandbox: the signed-out welcome, its
// "Sign In to Konnect…" button, the three prompts (base URL, name, token as a password), the providers tree with
// one provider of each type expanded, and an error node when the token is later refused.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { startTestSandbox, type TestSandbox } from '../integration/support/sandbox';
import { seed, type Seeded } from '../integration/support/seed';
import {
  collapsePane,
  openContainer,
  openKdcrWorkbench,
  parkMouse,
  runCommand,
  screenshotFailures,
  setSideBarWidth,
  treeRow,
  viewBody,
  waitForToast,
  type KdcrWorkbench,
  type Page,
} from './workbench';

/** Answer the quick input whose title contains `title` (waiting for it: each step replaces the previous one). */
async function quickInput(page: Page, title: string, text: string, opts: { pick?: boolean } = {}): Promise<void> {
  await page
    .locator(`.quick-input-widget .quick-input-title:has-text(${JSON.stringify(title)})`)
    .waitFor({ state: 'visible' });
  await page.keyboard.type(text);
  if (opts.pick)
    await page
      .locator(`.quick-input-list .monaco-list-row:has-text(${JSON.stringify(text)})`)
      .first()
      .waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
}

describe('signing in to the sandbox (UI)', () => {
  let wb: KdcrWorkbench | undefined;
  let sb: TestSandbox;
  let data: Seeded;
  before(async () => {
    sb = await startTestSandbox();
    data = await seed(sb);
    wb = await openKdcrWorkbench();
  });
  after(async () => {
    await wb?.close();
    await sb?.stop();
  });
  screenshotFailures(() => wb);

  it('shows the welcome with "Sign In to Konnect…" in all three views while signed out', async () => {
    const { page } = wb!;
    await openContainer(page, 'Konnect DCR');
    const welcome = viewBody(page, 'DCR Providers').locator('.welcome-view-content');
    await welcome.locator('p:has-text("Konnect DCR is not connected to Konnect yet.")').waitFor({ state: 'visible' });
    await welcome.locator('.monaco-button:has-text("Sign In to Konnect…")').waitFor({ state: 'visible' });
    for (const view of ['Auth Strategies', 'Kong Identity']) {
      await viewBody(page, view)
        .locator('.welcome-view-content .monaco-button:has-text("Sign In to Konnect…")')
        .waitFor({ state: 'visible' });
    }
    await page.locator('.statusbar-item:has-text("Konnect: sign in")').first().waitFor({ state: 'visible' });
    await parkMouse(page);
    const file = await wb!.shot('signin-welcome');
    assert.ok(fs.statSync(file).size > 10_000);
  });

  it('signs in from the welcome button: base URL, name, token; the tree then shows the sandbox', async () => {
    const { page } = wb!;
    await viewBody(page, 'DCR Providers')
      .locator('.welcome-view-content .monaco-button:has-text("Sign In to Konnect…")')
      .click();
    await quickInput(page, '(1/3): region', 'Enter a base URL', { pick: true });
    await quickInput(page, '(1/3): base URL', sb.konnectUrl);
    await quickInput(page, '(2/3): connection name', 'sandbox-ui');
    await page.locator('.quick-input-widget .quick-input-title:has-text("(3/3): token")').waitFor({ state: 'visible' });
    await page.locator('.quick-input-widget input[type="password"]').waitFor({ state: 'visible' });
    await page.keyboard.type(sb.token);
    await parkMouse(page);
    await wb!.shot('signin-token-prompt');
    await page.keyboard.press('Enter');
    await waitForToast(page, 'Signed in to Konnect as "sandbox-ui"');
    for (const group of ['Kong Identity', 'Auth0', 'Azure AD', 'Curity', 'Okta', 'HTTP'])
      await treeRow(page, 'DCR Providers', group).waitFor({ state: 'visible' });
    await page.locator('.statusbar-item:has-text("sandbox-ui")').first().waitFor({ state: 'visible' });
  });

  it('shows one provider of each type expanded, with the strategies that use it', async () => {
    const { page } = wb!;
    await collapsePane(page, 'Auth Strategies');
    await collapsePane(page, 'Kong Identity');
    await setSideBarWidth(page, 560);
    for (const [group, p] of [
      ['Kong Identity', data.providers.kongIdentity],
      ['Auth0', data.providers.auth0],
      ['Azure AD', data.providers.azureAd],
      ['Curity', data.providers.curity],
      ['Okta', data.providers.okta],
      ['HTTP', data.providers.http],
    ] as const) {
      await treeRow(page, 'DCR Providers', group).click();
      await treeRow(page, 'DCR Providers', p.name).click();
      await treeRow(page, 'DCR Providers', `oidc-${p.provider_type}`).waitFor({ state: 'visible' });
    }
    await page.keyboard.press('Home');
    await treeRow(page, 'DCR Providers', 'Kong Identity').waitFor({ state: 'visible' });
    await parkMouse(page);
    const file = await wb!.shot('tree-providers-expanded');
    assert.ok(fs.statSync(file).size > 10_000);
  });

  it('a token refused later: an error node with "Sign in again…", no modal', async () => {
    const { page } = wb!;
    sb.emulator.faults.add({ path: '^/v[0-9]/', kind: 'status', status: 401 });
    await runCommand(page, 'Konnect DCR: Refresh');
    await treeRow(page, 'DCR Providers', 'The token was refused (401 Unauthorized)').waitFor({ state: 'visible' });
    await treeRow(page, 'DCR Providers', 'Sign in again…').waitFor({ state: 'visible' });
    assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'no modal dialog');
    await parkMouse(page);
    await wb!.shot('tree-error-token-refused');
    sb.emulator.faults.clear();
  });
});
