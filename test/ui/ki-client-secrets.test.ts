// A Kong Identity client's Secrets and Issued tokens as a user sees them: the Kong Identity tree expanded down to the
// client, two active secrets (rotation in progress) and one disabled, and the token the issuer just gave it, with the
// secret rows' context menu offering the rotation actions.
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

describe("a Kong Identity client's secrets and issued tokens (UI)", () => {
  let wb: KdcrWorkbench | undefined;
  let sb: TestSandbox;
  let data: Seeded;
  let clientId: string;
  let secretIds: { old: string; spare: string; next: string };
  let jti: string;
  before(async () => {
    sb = await startTestSandbox();
    data = await seed(sb);
    const ki = sb.client.identity;
    const client = (await ki.clients.listAll(data.authServer.id)).find((c) => c.name === 'ci-pipeline')!;
    clientId = client.id;
    const [first] = (await ki.clients.listSecrets(data.authServer.id, clientId)).data;
    const spare = await ki.clients.createSecret(data.authServer.id, clientId, { enabled: false });
    const next = await ki.clients.createSecret(data.authServer.id, clientId);
    secretIds = { old: first!.id, spare: spare.id, next: next.id };
    const res = await fetch(`${data.authServer.issuer}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: next.secret! }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    const token = String(((await res.json()) as { access_token: string }).access_token);
    jti = String(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')).jti);
    wb = await openKdcrWorkbenchOnSandbox(sb.state);
  });
  after(async () => {
    await wb?.close();
    await sb?.stop();
  });
  screenshotFailures(() => wb);

  it('shows two active secrets and a disabled one, the issued token, and the rotation actions on a secret', async () => {
    const { page } = wb!;
    await openContainer(page, 'Konnect DCR');
    await setSideBarWidth(page, 780);
    await collapsePane(page, 'DCR Providers');
    await collapsePane(page, 'Auth Strategies');
    await expandPane(page, 'Kong Identity');
    await treeRow(page, 'Kong Identity', data.authServer.name).click();
    await treeRow(page, 'Kong Identity', 'Clients').click();
    await treeRow(page, 'Kong Identity', 'ci-pipeline').click();
    await treeRow(page, 'Kong Identity', 'Secrets').click();
    await treeRow(page, 'Kong Identity', 'Issued tokens').click();
    // rows say when, to the minute (the tooltip has the exact time)
    for (const id of [secretIds.old, secretIds.next])
      await treeRow(page, 'Kong Identity', id)
        .locator('.label-description:text-matches("^active · created [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$")')
        .waitFor();
    await treeRow(page, 'Kong Identity', secretIds.spare).locator('.label-description:has-text("disabled")').waitFor();
    await treeRow(page, 'Kong Identity', jti).waitFor({ state: 'visible' });
    // the oldest active secret: its menu offers Disable (the rotation's next step) and Delete, not Enable
    await treeRow(page, 'Kong Identity', secretIds.old).click({ button: 'right' });
    const menu = page.locator('.monaco-menu');
    await menu.locator('.action-item:has-text("Disable")').first().waitFor({ state: 'visible' });
    const labels = menu.locator('.action-item .action-label');
    const items: string[] = [];
    for (let i = 0; i < (await labels.count()); i++) items.push(((await labels.nth(i).textContent()) ?? '').trim());
    assert.ok(items.some((t) => /Disable/.test(t)) && items.some((t) => /Delete/.test(t)), items.join(' | '));
    assert.ok(!items.some((t) => /^Enable/.test(t)), items.join(' | '));
    await parkMouse(page);
    await new Promise((r) => setTimeout(r, 400)); // the menu fades in
    const file = await wb!.shot('ki-client-secrets');
    assert.ok(fs.statSync(file).size > 10_000);
    await page.keyboard.press('Escape');
  });
});
