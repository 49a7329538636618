// Two native VS Code surfaces as a user sees them, connected to the sandbox through $KONNECT_DCR_SANDBOX_STATE: the
// Accounts menu of the activity bar lists the Konnect connection (the authentication provider's account), and the
// Okta walkthrough on the Welcome page has its steps checked off by state: signed in, and the provider and strategy
// that the sandbox holds once the trees have loaded them. Nothing in the walkthrough was clicked.
import { startTestSandbox, type TestSandbox } from '../integration/support/sandbox';
import { seed } from '../integration/support/seed';
import {
  openContainer,
  openKdcrWorkbenchOnSandbox,
  parkMouse,
  runCommand,
  screenshotFailures,
  startCommand,
  treeRow,
  type KdcrWorkbench,
} from './workbench';

describe('Accounts menu and walkthroughs (UI)', () => {
  let wb: KdcrWorkbench | undefined;
  let sb: TestSandbox;
  before(async () => {
    sb = await startTestSandbox();
    await seed(sb);
    wb = await openKdcrWorkbenchOnSandbox(sb.state);
  });
  after(async () => {
    await wb?.close();
    await sb?.stop();
  });
  screenshotFailures(() => wb);

  it('the Accounts menu lists the Konnect connection', async () => {
    const { page } = wb!;
    // VS Code's walkthrough service checks a step off when its context key turns true after the walkthroughs are
    // registered; a key already true then counts as seen and never checks the step off in that window. The Welcome
    // page registers them, so it opens first (as it does at start-up by default), then the trees load.
    await runCommand(page, 'Help: Welcome');
    await openContainer(page, 'Konnect DCR');
    await treeRow(page, 'DCR Providers', 'Okta').waitFor({ state: 'visible' });
    const host = new URL(sb.state.konnectUrl).host;
    await page.locator('.activitybar .action-label[aria-label^="Accounts"]').first().click();
    const entry = page.locator(`.monaco-menu .action-item:has-text("sandbox (${host})")`).first();
    await entry.waitFor({ state: 'visible', timeout: 15_000 });
    // hovering the account opens its submenu (Manage Trusted Extensions, Sign Out)
    const box = await entry.boundingBox();
    if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
    await page.locator('.monaco-menu .action-label:has-text("Sign Out")').first().waitFor({ state: 'visible' });
    await wb!.shot('accounts-menu');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
  });

  it('the Okta walkthrough opens on the Welcome page with its steps checked off by state', async () => {
    const { page } = wb!;
    await startCommand(page, 'Welcome: Open Walkthrough...');
    const input = page.locator('.quick-input-widget input').first();
    await input.fill('Set up DCR with Okta');
    await page.locator('.quick-input-list .monaco-list-row:has-text("Set up DCR with Okta")').first().click();
    const step = (id: string) => page.locator(`button.getting-started-step[data-step-id$="okta.${id}"]`).first();
    await step('signIn').waitFor({ state: 'visible', timeout: 15_000 });
    for (const id of ['idp', 'provider', 'strategy'])
      await page
        .locator(`button.getting-started-step[data-step-id$="okta.${id}"][aria-checked="true"]`)
        .first()
        .waitFor({ state: 'attached', timeout: 15_000 });
    for (const id of ['publish', 'prove'])
      await page
        .locator(`button.getting-started-step[data-step-id$="okta.${id}"][aria-checked="false"]`)
        .first()
        .waitFor({ state: 'attached' });
    await step('provider').click();
    await page
      .locator('.getting-started-step.expanded:has-text("New Okta DCR Provider")')
      .first()
      .waitFor({ state: 'visible' });
    await parkMouse(page);
    await wb!.shot('walkthrough-okta');
  });
});
