// The DCR provider and auth strategy forms as a user sees them, in a real workbench signed in to the local sandbox:
// "New DCR Provider…" from the palette, the fields filled inside the webview, "Create Provider" clicked, and the
// provider checked in the sandbox; then an auth strategy whose DCR provider vanished meanwhile, refused by Konnect,
// with the error shown on the "DCR provider" field.
// Screenshots: test/ui/screenshots/forms-provider-created.png, forms-strategy-server-error.png.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { KonnectClient } from '../../src/core/api/index';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { konnectClientFor } from '../../sandbox/scenarios';
import {
  fixtureWorkspace,
  openContainer,
  openKdcrWorkbenchOnSandbox,
  runCommand,
  screenshotFailures,
  type KdcrWorkbench,
  type Locator,
  type Page,
} from './workbench';

/** playwright-core's Locator, with the reads and the choice this test needs beyond workbench.ts's slice. */
type FormLocator = Locator & {
  inputValue(): Promise<string>;
  getAttribute(name: string): Promise<string | null>;
  selectOption(option: { label: string }): Promise<string[]>;
};
interface FrameLocator {
  locator(selector: string): FormLocator;
  frameLocator(selector: string): FrameLocator;
}
/** The document of the active webview (its inner frame). */
function formFrame(page: Page): FrameLocator {
  return (page as unknown as { frameLocator(s: string): FrameLocator })
    .frameLocator('iframe.webview.ready')
    .frameLocator('iframe#active-frame');
}

/** Types into a vscode-textfield (its input sits in the component's shadow root; playwright's CSS pierces it). */
async function fillField(frame: FrameLocator, field: string, value: string): Promise<void> {
  await frame.locator(`#f-${field} input`).fill(value);
}

/** Chooses the option with this label in a field's native select, as a user picking from its dropdown does. */
async function pick(frame: FrameLocator, field: string, label: string): Promise<void> {
  const select = frame.locator(`select#f-${field}`);
  await select.waitFor({ state: 'visible' });
  const [value] = await select.selectOption({ label });
  assert.equal(await select.inputValue(), value, `${field}: ${label}`);
}

async function cspViolations(frame: FrameLocator): Promise<string | null> {
  return frame.locator('body').getAttribute('data-csp-violations');
}

describe('DCR provider and auth strategy forms (UI)', () => {
  let wb: KdcrWorkbench | undefined;
  let sb: Sandbox;
  let konnect: KonnectClient;

  before(async function () {
    this.timeout(120_000);
    sb = await startSandbox();
    konnect = konnectClientFor(sb);
    wb = await openKdcrWorkbenchOnSandbox(sb.state, { workspace: fixtureWorkspace }); // signed in to the sandbox after activation
    // opening the views activates the extension; its form commands are listed once it is signed in
    await openContainer(wb.page, 'Konnect DCR');
  });
  after(async () => {
    await wb?.close();
    await konnect?.close();
    await sb?.stop();
  });
  screenshotFailures(() => wb);

  it('"New DCR Provider…": fill the Okta fields, Create Provider, and the provider is in Konnect', async function () {
    this.timeout(120_000);
    const { page } = wb!;
    await runCommand(page, 'Konnect DCR: New DCR Provider…');
    const frame = formFrame(page);
    await frame.locator('h1:text-is("New DCR Provider")').waitFor({ state: 'visible', timeout: 60_000 });
    // Auth0 is the first type: its client id/secret show, Okta's token does not
    await frame.locator('[data-field="initialClientSecret"]').waitFor({ state: 'visible' });
    assert.equal(await frame.locator('[data-field="dcrToken"]').isVisible(), false);

    await fillField(frame, 'name', 'okta-from-form');
    await fillField(frame, 'displayName', 'Okta (from the form)');
    await pick(frame, 'providerType', 'Okta');
    await frame.locator('[data-field="dcrToken"]').waitFor({ state: 'visible' });
    assert.equal(
      await frame.locator('[data-field="initialClientSecret"]').isVisible(),
      false,
      'the Auth0 fields are hidden for Okta',
    );
    assert.equal(
      await frame.locator('#f-dcrToken input[type="password"]').count(),
      1,
      'the DCR token is a password field',
    );
    await fillField(frame, 'issuer', sb.state.flavours.okta.issuer);
    await fillField(frame, 'dcrToken', sb.state.flavours.okta.dcrToken);
    await frame.locator('#submit').click();

    const notice = frame.locator('#notice');
    await notice.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match((await notice.textContent()) ?? '', /Created DCR provider "okta-from-form" in Konnect \(sandbox\)/);
    const found = await konnect.dcrProviders.list({ filter: { name: { eq: 'okta-from-form' } } });
    assert.equal(found.data.length, 1, 'the provider exists in the sandbox');
    const p = found.data[0]!;
    assert.equal(p.provider_type, 'okta');
    assert.equal(p.display_name, 'Okta (from the form)');
    assert.equal(p.issuer, sb.state.flavours.okta.issuer);
    assert.deepEqual(
      await konnect.dcrProviders.verify(p.id),
      { status: 'success', errors: [] },
      'the DCR token typed in the form reached Konnect',
    );

    // the form now edits the new provider: the type is locked, the token input is empty and says it is kept
    await frame.locator('h1:text-is("DCR Provider: okta-from-form (Okta)")').waitFor({ state: 'visible' });
    assert.equal(await frame.locator('#f-dcrToken input').inputValue(), '');
    assert.equal(
      await frame.locator('#f-dcrToken input').getAttribute('placeholder'),
      'unchanged — leave empty to keep',
    );
    assert.equal(await cspViolations(frame), null, 'no CSP violation on the page');
    const file = await wb!.shot('forms-provider-created');
    assert.ok(fs.statSync(file).size > 20_000, 'screenshot written');
  });

  it('"New Auth Strategy…": Konnect\'s 400 (the DCR provider was deleted meanwhile) is shown on the DCR provider field', async function () {
    this.timeout(120_000);
    const { page } = wb!;
    const f = sb.state.flavours;
    const doomed = await konnect.dcrProviders.create({
      name: 'auth0-short-lived',
      provider_type: 'auth0',
      issuer: f.auth0.issuer,
      dcr_config: { initial_client_id: f.auth0.initialClientId, initial_client_secret: f.auth0.initialClientSecret },
    });
    await page.keyboard.press('Escape');
    await runCommand(page, 'Konnect DCR: New Auth Strategy…');
    const frame = formFrame(page);
    await frame.locator('h1:text-is("New Auth Strategy")').waitFor({ state: 'visible', timeout: 60_000 });
    await fillField(frame, 'name', 'auth0-client-credentials');
    await pick(frame, 'dcrProviderId', 'auth0-short-lived (Auth0)');
    // the provider fills in the defaults: its issuer, Auth0's credential claim; the Auth0 audience field shows
    assert.equal(await frame.locator('#f-issuer input').inputValue(), f.auth0.issuer);
    assert.equal(await frame.locator('#f-credentialClaim input').inputValue(), 'azp');
    await frame.locator('[data-field="audience"]').waitFor({ state: 'visible' });
    await fillField(frame, 'audience', f.auth0.apiAudience);
    await fillField(frame, 'scopes', 'read:data');

    await konnect.dcrProviders.delete(doomed.id);
    await frame.locator('#submit').click();
    const error = frame.locator('[data-error-for="dcrProviderId"]');
    await error.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match((await error.textContent()) ?? '', /does not exist/);
    assert.match((await frame.locator('#form-errors').textContent()) ?? '', /400/);
    assert.equal(await frame.locator('.field-error:visible').count(), 1, 'only the provider field is marked');
    const strategies = await konnect.authStrategies.list({ filter: { name: { eq: 'auth0-client-credentials' } } });
    assert.equal(strategies.data.length, 0, 'nothing was created');
    await wb!.shot('forms-strategy-server-error');
  });
});
