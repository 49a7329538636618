// The Testing view as a user sees it, in a real workbench against the local sandbox (connected through
// $KONNECT_DCR_SANDBOX_STATE, which also gives Prove DCR its gateway and test developer): the Konnect DCR controller's
// "Prove DCR · sandbox" group with one item per DCR auth strategy, and a .http file whose requests are linked to a
// strategy (credentials from .env). "Test: Run All Tests" runs them; the tree rows then carry VS Code's own result
// in their aria-label ("<label> (Passed)" / "(Failed)"): the published strategy and the two requests pass, the
// unpublished strategy (step 2) and a request with an opaque Bearer token (the gateway's 401) fail.
// Screenshot: test/ui/screenshots/testing-view.png.
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
  parkMouse,
  runCommand,
  screenshotFailures,
  setSideBarWidth,
  type KdcrWorkbench,
  type Page,
} from './workbench';

interface Row {
  readonly level: number;
  /** The item's label as shown (without its description). */
  readonly label: string;
  readonly description: string;
  /** What a screen reader reads; VS Code puts the result in it: "… (Passed)", "… (Failed), in 12ms". */
  readonly aria: string;
  /** The state icon's codicon, e.g. testing-passed-icon. */
  readonly icon: string;
  readonly collapsed: boolean;
}

/** The test explorer's rendered rows, in order. */
async function explorerRows(page: Page): Promise<Row[]> {
  return page.evaluate(() => {
    type El = {
      getAttribute(n: string): string | null;
      querySelector(s: string): El | null;
      childNodes: ArrayLike<{ nodeType: number; textContent: string | null }>;
      textContent: string | null;
      className: string;
    };
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<El> } }).document;
    return Array.from(doc.querySelectorAll('.test-explorer .monaco-list-row')).map((e) => {
      const label = e.querySelector('.monaco-tl-contents .label');
      const own = label ? Array.from(label.childNodes).filter((n) => n.nodeType === 3) : [];
      const icon = /codicon-(testing-[\w-]+)/.exec(e.querySelector('.computed-state')?.className ?? '');
      return {
        level: Number(e.getAttribute('aria-level')),
        label: own.map((n) => n.textContent ?? '').join(''),
        description: label?.querySelector('.test-label-description')?.textContent ?? '',
        aria: e.getAttribute('aria-label') ?? '',
        icon: icon?.[1] ?? '',
        collapsed: e.getAttribute('aria-expanded') === 'false',
      };
    });
  });
}

/** Wait until `pred` holds for the explorer's rows; on a time-out, say what the rows were. */
async function waitForRows(page: Page, what: string, pred: (rows: Row[]) => boolean, timeout = 90_000): Promise<Row[]> {
  let rows: Row[] = [];
  for (const t0 = Date.now(); Date.now() - t0 < timeout; await new Promise((r) => setTimeout(r, 250))) {
    rows = await explorerRows(page);
    if (pred(rows)) return rows;
  }
  throw new Error(`${what}: not within ${timeout} ms; the rows were ${JSON.stringify(rows, null, 1)}`);
}

const result = (r: Row): string =>
  /\((Passed|Failed|Errored|Skipped|Queued|Running|Not yet run)\)/.exec(r.aria)?.[1] ?? '?';

describe('Testing view: Prove DCR and .http requests as tests (UI)', function () {
  this.timeout(180_000);
  let wb: KdcrWorkbench | undefined;
  let sb: Sandbox;
  let konnect: KonnectClient;
  let tmp: string;

  before(async function () {
    this.timeout(120_000);
    sb = await startSandbox();
    konnect = konnectClientFor(sb);
    const good = await setUpFlavour(sb, konnect, 'okta', 'tv');
    const pub = await publish(sb, konnect, good.strategy.id, 'orders-tv');
    // a strategy no API publishes: Prove DCR fails at step 2
    await setUpFlavour(sb, konnect, 'kongIdentity', 'tv-unpublished');
    const app = await createApp(sb, pub.portalApiUrl, good.strategy.id, 'orders-tv-app', pub.apiId);

    tmp = fs.mkdtempSync(path.join(os.tmpdir().length <= 40 ? os.tmpdir() : '/tmp', 'kdcr-ui-tv-'));
    const ws = path.join(tmp, 'ws');
    fs.cpSync(fixtureWorkspace, ws, { recursive: true });
    const view = strategyView(good.strategy)!;
    const endpoint = await findTokenEndpoint(
      createRequestExecutor(),
      view.issuer,
      view.providerType,
      new AbortController().signal,
    );
    const text =
      generateValidationRequests({
        strategy: view,
        tokenEndpoint: endpoint,
        secretKey: 'x',
        now: Date.now(),
        gatewayUrl: `${sb.state.gatewayUrl}/${pub.slug}/anything`,
      })
        .replace('{{$secret x.clientId}}', '{{$dotenv CLIENT_ID}}')
        .replace('{{$secret x.clientSecret}}', '{{$dotenv CLIENT_SECRET}}') +
      '\n### Refused\n# @name refused\nGET {{gateway}}\nAuthorization: Bearer not-a-jwt\n';
    fs.writeFileSync(path.join(ws, 'orders.http'), text);
    fs.writeFileSync(path.join(ws, '.env'), `CLIENT_ID=${app.clientId}\nCLIENT_SECRET=${app.clientSecret}\n`);
    wb = await openKdcrWorkbenchOnSandbox(sb.state, { workspace: ws });
  });
  after(async () => {
    await wb?.close();
    await konnect?.close();
    await sb?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });
  screenshotFailures(() => wb);

  it('runs all: the strategies and requests show as test items with their pass/fail results', async () => {
    const { page } = wb!;
    await runCommand(page, 'View: Show Testing');
    // the root: the request file and the Prove DCR group of the sandbox connection, not run yet
    let rows = await waitForRows(page, 'the two roots', (rs) => rs.filter((r) => r.level === 1).length === 2);
    assert.deepEqual(rows.map((r) => `${r.label} | ${r.description} | ${result(r)}`).sort(), [
      'Prove DCR · sandbox | auth strategies with a DCR provider | Not yet run',
      'orders.http |  | Not yet run',
    ]);
    await runCommand(page, 'Test: Run All Tests');
    // a finished run: both roots carry a result (the group fails, since one of its strategies does)
    await waitForRows(page, 'the run finished', (rs) =>
      rs.filter((r) => r.level === 1).every((r) => ['Passed', 'Failed'].includes(result(r))),
    );
    // expand each root by its twistie, as a user would
    for (let i = 0; i < 2; i++) {
      const twistie = page.locator(
        '.test-explorer .monaco-list-row[aria-level="1"][aria-expanded="false"] .monaco-tl-twistie',
      );
      if ((await twistie.count()) === 0) break;
      await twistie.first().click();
    }
    rows = await waitForRows(page, 'the five items with results', (rs) => rs.filter((r) => r.level === 2).length === 5);
    const shown = rows.map((r) => `${'  '.repeat(r.level - 1)}${r.label}: ${result(r)} ${r.icon}`);
    assert.deepEqual(
      shown,
      [
        'orders.http: Failed testing-failed-icon',
        '  token: Passed testing-passed-icon',
        '  gateway: Passed testing-passed-icon',
        '  refused: Failed testing-failed-icon',
        'Prove DCR · sandbox: Failed testing-failed-icon',
        '  kongIdentity-tv-unpublished: Failed testing-failed-icon',
        '  okta-tv: Passed testing-passed-icon',
      ],
      JSON.stringify(rows, null, 1),
    );
    // each item's duration is shown beside it
    for (const r of rows.filter((x) => x.level === 2)) assert.match(r.description, /\d+(\.\d+)?m?s/, r.label);
    // the Test Results panel (opened by the run) lists each failure with its message
    for (const message of [
      'Expected a success, got HTTP 401 Unauthorized',
      'Step 2 (Strategy is published on the API) failed',
    ])
      await page
        .locator(`.part.panel .monaco-list-row:has-text(${JSON.stringify(message)})`)
        .first()
        .waitFor({ state: 'attached', timeout: 15_000 });
    await setSideBarWidth(page, 640);
    await parkMouse(page);
    await wb!.shot('testing-view');
  });
});
