// The three views on the sandbox as a user sees them, connected through $KONNECT_DCR_SANDBOX_STATE (the way
// `npm start` connects VS Code to the sandbox: no prompt, no network at activation): Auth Strategies with their
// linked provider, scopes, claims and methods; Kong Identity with scopes, claims and clients; a details document
// opened from a tree item; and Find.
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
  startCommand,
  treeRow,
  viewBody,
  type KdcrWorkbench,
} from './workbench';

describe('the Konnect DCR views on the sandbox (UI)', () => {
  let wb: KdcrWorkbench | undefined;
  let sb: TestSandbox;
  let data: Seeded;
  before(async () => {
    sb = await startTestSandbox();
    data = await seed(sb);
    wb = await openKdcrWorkbenchOnSandbox(sb.state);
  });
  after(async () => {
    await wb?.close();
    await sb?.stop();
  });
  screenshotFailures(() => wb);

  it('is connected to the sandbox without signing in', async () => {
    const { page } = wb!;
    await openContainer(page, 'Konnect DCR');
    await treeRow(page, 'DCR Providers', 'Okta').waitFor({ state: 'visible' });
    await page.locator('.statusbar-item:has-text("sandbox")').first().waitFor({ state: 'visible' });
    await setSideBarWidth(page, 620);
  });

  it('shows auth strategies with their DCR provider, scopes, claims, methods and key names', async () => {
    const { page } = wb!;
    await collapsePane(page, 'DCR Providers');
    await collapsePane(page, 'Kong Identity');
    for (const name of [data.oidc.okta.name, data.keyAuth.name]) await treeRow(page, 'Auth Strategies', name).click();
    for (const field of ['DCR provider', 'Issuer', 'Scopes', 'Credential claims', 'Auth methods', 'Key names', 'TTL']) {
      await treeRow(page, 'Auth Strategies', field).first().waitFor({ state: 'visible' });
    }
    await viewBody(page, 'Auth Strategies')
      .locator(`.monaco-list-row:has-text("${data.providers.okta.name} (Okta)")`)
      .waitFor({ state: 'visible' });
    await parkMouse(page);
    await wb!.shot('tree-strategies');
  });

  it('shows Kong Identity auth servers with their scopes, claims and clients', async () => {
    const { page } = wb!;
    await collapsePane(page, 'Auth Strategies');
    await expandPane(page, 'Kong Identity');
    await treeRow(page, 'Kong Identity', data.authServer.name).click();
    for (const group of ['Scopes', 'Claims', 'Clients']) await treeRow(page, 'Kong Identity', group).click();
    for (const leaf of ['payments:read', 'tier', 'ci-pipeline'])
      await treeRow(page, 'Kong Identity', leaf).waitFor({ state: 'visible' });
    await parkMouse(page);
    await wb!.shot('tree-identity');
  });

  it("opens a provider's details as kongctl YAML from its inline action", async () => {
    const { page } = wb!;
    await collapsePane(page, 'Kong Identity');
    await expandPane(page, 'DCR Providers');
    await treeRow(page, 'DCR Providers', 'Auth0').click();
    const row = treeRow(page, 'DCR Providers', data.providers.auth0.name);
    await row.click();
    await row.locator('.action-label[aria-label^="Open Details"]').click();
    await page
      .locator(`.tabs-container .tab:has-text("${data.providers.auth0.name}.yaml")`)
      .waitFor({ state: 'visible' });
    await page.locator('.editor-instance .view-lines:has-text("dcr_providers:")').waitFor({ state: 'visible' });
    await page
      .locator('.editor-instance .view-lines:has-text("initial_client_secret: !secret")')
      .waitFor({ state: 'visible' });
    await parkMouse(page);
    const file = await wb!.shot('details-yaml');
    assert.ok(fs.statSync(file).size > 10_000);
  });

  it('Find jumps to a resource typed by name', async () => {
    const { page } = wb!;
    await startCommand(page, 'Konnect DCR: Find by Name or ID…');
    await page.locator('.quick-input-widget input[placeholder$=" resources"]').waitFor({ state: 'visible' });
    await page.keyboard.type(data.providers.curity.name);
    await page
      .locator(`.quick-input-list .monaco-list-row:has-text("${data.providers.curity.name}")`)
      .first()
      .waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    await viewBody(page, 'DCR Providers')
      .locator(`.monaco-list-row.selected:has-text("${data.providers.curity.name}")`)
      .waitFor({ state: 'visible' });
    await parkMouse(page);
    await wb!.shot('find-reveal');
  });
});
