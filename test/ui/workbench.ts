// Shared helpers for the UI tier: a real VS Code workbench (code-server) in headless chromium, driven by
// playwright-core through test/harness/vscode-pw.js. The extension is installed (symlinked into the extensions
// folder), not loaded in development mode, so toasts and dialogs behave as for a user.
//
//   const wb = await openKdcrWorkbench();
//   try { await openContainer(wb.page, 'Konnect DCR'); await wb.shot('container'); } finally { await wb.close(); }
//
// or withWorkbench(async (wb) => { ... }), which also saves a FAILED-<name>.png when the body throws.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const SANDBOX_STATE_ENV = 'KONNECT_DCR_SANDBOX_STATE';

/** The slice of playwright-core's Locator we use (playwright-core lives in the harness runtime, not node_modules). */
export interface Locator {
  waitFor(options?: { state?: 'attached' | 'detached' | 'visible' | 'hidden'; timeout?: number }): Promise<void>;
  click(options?: { timeout?: number; button?: 'left' | 'right' | 'middle' }): Promise<void>;
  fill(value: string): Promise<void>;
  isVisible(): Promise<boolean>;
  textContent(): Promise<string | null>;
  count(): Promise<number>;
  first(): Locator;
  nth(index: number): Locator;
  locator(selector: string): Locator;
  boundingBox(): Promise<{ x: number; y: number; width: number; height: number } | null>;
}
/** The slice of playwright-core's Page we use. */
export interface Page {
  locator(selector: string): Locator;
  evaluate<R>(fn: () => R): Promise<R>;
  waitForFunction<A>(
    fn: (arg: A) => unknown,
    arg: A,
    options?: { timeout?: number; polling?: number | 'raf' },
  ): Promise<unknown>;
  screenshot(options: { path: string; fullPage?: boolean }): Promise<Buffer>;
  keyboard: { press(key: string): Promise<void>; type(text: string): Promise<void> };
  mouse: {
    move(x: number, y: number, options?: { steps?: number }): Promise<void>;
    down(): Promise<void>;
    up(): Promise<void>;
  };
}
interface HarnessWorkbench {
  page: Page;
  url: string;
  close(): Promise<void>;
}
interface VscodePw {
  openWorkbench(opts: {
    ext: string[];
    ws: string;
    codeServerVersion?: string;
    timeout?: number;
  }): Promise<HarnessWorkbench>;
  waitForToast(page: Page, text: string, timeout?: number): Promise<unknown>;
}

function findRepoRoot(from: string): string {
  for (let d = from; d !== path.dirname(d); d = path.dirname(d)) {
    try {
      if (JSON.parse(fs.readFileSync(path.join(d, 'package.json'), 'utf8')).name === 'konnect-dcr') return d;
    } catch {
      /* keep looking */
    }
  }
  throw new Error(`no konnect-dcr package.json above ${from}`);
}

export const repoRoot = findRepoRoot(__dirname);
export const fixtureWorkspace = path.join(repoRoot, 'test', 'fixtures', 'workspace');
export const screenshotDir = path.join(repoRoot, 'test', 'ui', 'screenshots');
const pw = createRequire(__filename)(path.join(repoRoot, 'test', 'harness', 'vscode-pw.js')) as VscodePw;

export interface KdcrWorkbench {
  readonly page: Page;
  /** The copy of the workspace the workbench opened (edits by the test or the extension land here, not in the repo). */
  readonly workspace: string;
  /** Save test/ui/screenshots/<name>.png; returns its path. */
  shot(name: string): Promise<string>;
  /** Stop chromium and code-server's process group, delete the workspace copy. Safe to call twice. */
  close(): Promise<void>;
}

// mocha has no SIGTERM/SIGINT handler and code-server + chromium run in their own process groups, so a CI timeout
// (`timeout --signal=TERM`) or Ctrl-C would leave them running. On a signal: close every open workbench, wait for
// any still opening (then close it too), and only then exit.
const open = new Set<KdcrWorkbench>();
let opening = 0;
let exitCode: number | undefined;
let handlersInstalled = false;
async function closeAllIfTerminating(): Promise<void> {
  if (exitCode === undefined) return;
  await Promise.allSettled([...open].map((wb) => wb.close()));
  if (opening === 0) process.exit(exitCode);
}
function closeOnSignals(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const [sig, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    process.on(sig, () => {
      if (exitCode !== undefined) return;
      exitCode = code;
      console.error(`\n${sig}: closing ${open.size + opening} workbench(es)`);
      void closeAllIfTerminating();
    });
  }
}

/**
 * Open a workbench with this extension installed on a temp copy of `workspace` (default: test/fixtures/workspace).
 * The copy also keeps the workbench out of the repo's git folder (no "open the parent repository?" toast).
 */
export async function openKdcrWorkbench(opts: { workspace?: string } = {}): Promise<KdcrWorkbench> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir().length <= 40 ? os.tmpdir() : '/tmp', 'kdcr-ui-'));
  const ws = path.join(tmp, 'workspace');
  fs.cpSync(opts.workspace ?? fixtureWorkspace, ws, { recursive: true });
  closeOnSignals();
  let wb: HarnessWorkbench;
  opening++;
  try {
    wb = await pw.openWorkbench({ ext: [repoRoot], ws });
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    opening--;
    await closeAllIfTerminating();
    throw e;
  }
  opening--;
  let closed = false;
  const handle: KdcrWorkbench = {
    page: wb.page,
    workspace: ws,
    shot: (name) => screenshot(wb.page, name),
    close: async () => {
      if (closed) return;
      closed = true;
      open.delete(handle);
      try {
        await wb.close();
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    },
  };
  open.add(handle);
  await closeAllIfTerminating();
  return handle;
}

/**
 * A workbench connected to a running sandbox the way `npm start` connects it: `state` (the sandbox's SandboxState)
 * goes to a 0600 temp file named by $KONNECT_DCR_SANDBOX_STATE in code-server's environment, which the extension
 * host inherits. The variable is set only while code-server starts (it copies the environment then); the file is
 * kept until close, since the extension reads it again later (Prove DCR's gateway and developer).
 */
export async function openKdcrWorkbenchOnSandbox(
  state: unknown,
  opts: { workspace?: string } = {},
): Promise<KdcrWorkbench> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir().length <= 40 ? os.tmpdir() : '/tmp', 'kdcr-ui-sb-'));
  const file = path.join(dir, 'sandbox-state.json');
  fs.writeFileSync(file, JSON.stringify(state), { mode: 0o600 });
  const saved = process.env[SANDBOX_STATE_ENV];
  process.env[SANDBOX_STATE_ENV] = file;
  let wb: KdcrWorkbench;
  try {
    wb = await openKdcrWorkbench(opts);
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  } finally {
    if (saved === undefined) delete process.env[SANDBOX_STATE_ENV];
    else process.env[SANDBOX_STATE_ENV] = saved;
  }
  const inner = wb;
  return {
    ...inner,
    close: async () => {
      try {
        await inner.close();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** In a mocha suite: save FAILED-<test title>.png of the suite's workbench after each failed test. */
export function screenshotFailures(workbench: () => KdcrWorkbench | undefined): void {
  afterEach(async function () {
    const wb = workbench();
    if (wb && this.currentTest?.state === 'failed')
      await wb.shot(`FAILED-${this.currentTest.title}`).catch(() => undefined);
  });
}

/** Run `body` against a fresh workbench; on failure save FAILED-<name>.png; always close. */
export async function withWorkbench<T>(
  name: string,
  body: (wb: KdcrWorkbench) => Promise<T>,
  opts: { workspace?: string } = {},
): Promise<T> {
  const wb = await openKdcrWorkbench(opts);
  try {
    return await body(wb);
  } catch (e) {
    await wb.shot(`FAILED-${name}`).catch(() => undefined);
    throw e;
  } finally {
    await wb.close();
  }
}

/** Save a screenshot of the whole workbench to test/ui/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Click a view container in the activity bar and wait until the side bar shows it (its title). */
export async function openContainer(page: Page, title: string): Promise<void> {
  const item = page.locator(`.activitybar .action-label[aria-label^=${JSON.stringify(title)}]`).first();
  await item.waitFor({ state: 'visible' });
  await item.click();
  await page
    .locator(`.part.sidebar .composite.title h2:text-is(${JSON.stringify(title)})`)
    .waitFor({ state: 'visible' });
}

/**
 * Matches the header of the view `name`: its aria-label is "<name> Section", or "<name> - <description> Section"
 * once the view sets a description (e.g. a count).
 */
function paneHeaderSelector(name: string): string {
  return `.pane-header:is([aria-label=${JSON.stringify(`${name} Section`)}], [aria-label^=${JSON.stringify(`${name} - `)}][aria-label$=" Section"])`;
}

/** The header of a view (pane) in the side bar, by the view's name. */
export function viewHeader(page: Page, name: string): Locator {
  return page.locator(`.part.sidebar ${paneHeaderSelector(name)}`);
}

/** The body of a view (pane) in the side bar, by the view's name: the pane whose header is `name`. */
export function viewBody(page: Page, name: string): Locator {
  return page.locator(`.part.sidebar .pane:has(> ${paneHeaderSelector(name)}) > .pane-body`);
}

/** True when the view's pane is expanded. */
export async function paneExpanded(page: Page, name: string): Promise<boolean> {
  return (await page.locator(`.part.sidebar ${paneHeaderSelector(name)}.expanded`).count()) > 0;
}

/** Drag the sash between the side bar and the editor so that the side bar is `width` px wide (for readable screenshots). */
export async function setSideBarWidth(page: Page, width: number): Promise<void> {
  const box = await page.locator('.part.sidebar').first().boundingBox();
  if (!box) throw new Error('the side bar is not showing');
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 8 });
  await page.mouse.up();
  await page.waitForFunction(
    (w) => {
      const el = (
        globalThis as unknown as {
          document: { querySelector(s: string): { getBoundingClientRect(): { width: number } } | null };
        }
      ).document.querySelector('.part.sidebar');
      return !!el && Math.abs(el.getBoundingClientRect().width - w) < 40;
    },
    width,
    { timeout: 5000 },
  );
}

/**
 * Run a command by its palette title ("Category: Title"). Fills the palette in one go (no typing race) and clicks the
 * row with exactly that label (Enter would run whichever row is focused, and VS Code adds "similar commands" rows).
 * Right after start the extension host may not have registered the command yet: re-open until it is listed.
 */
export async function runCommand(page: Page, title: string, attempts = 30): Promise<void> {
  await startCommand(page, title, attempts);
  await page.locator('.quick-input-widget input').first().waitFor({ state: 'hidden' });
}

/**
 * Like runCommand, for a command that asks something with its own quick pick or input box: returns once the
 * command's row is clicked (the quick input widget stays open for the command's question).
 */
export async function startCommand(page: Page, title: string, attempts = 30): Promise<void> {
  const row = page
    .locator(
      `.quick-input-list .monaco-list-row:is([aria-label=${JSON.stringify(title)}], [aria-label^=${JSON.stringify(`${title},`)}])`,
    )
    .first();
  const input = page.locator('.quick-input-widget input').first();
  for (let i = 1; ; i++) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    try {
      await row.waitFor({ state: 'visible', timeout: 2000 });
      break;
    } catch {
      if (i >= attempts)
        throw new Error(`the command palette never listed ${JSON.stringify(title)} (${attempts} tries)`);
      await page.keyboard.press('Escape');
      await input.waitFor({ state: 'hidden' });
    }
  }
  await row.click();
}

/** A row of a view's tree, by its label (exactly). */
export function treeRow(page: Page, view: string, label: string): Locator {
  return viewBody(page, view).locator(
    `.monaco-list-row:has(.label-name .monaco-highlighted-label:text-is(${JSON.stringify(label)}))`,
  );
}

/** Collapse a view's pane (to give the others room), if it is expanded. */
export async function collapsePane(page: Page, view: string): Promise<void> {
  // click the title, not the header's middle: that may be one of the view's title actions
  if (await paneExpanded(page, view)) await viewHeader(page, view).locator('.title').first().click();
}

/** Expand a view's pane, if it is collapsed. */
export async function expandPane(page: Page, view: string): Promise<void> {
  if (!(await paneExpanded(page, view))) await viewHeader(page, view).locator('.title').first().click();
}

/** Park the mouse over the editor area, so that no hover or tooltip covers what a screenshot should show. */
export async function parkMouse(page: Page): Promise<void> {
  await page.mouse.move(1100, 700);
}

/** Wait for a notification toast containing `text`. */
export async function waitForToast(page: Page, text: string, timeout = 30_000): Promise<void> {
  await pw.waitForToast(page, text, timeout);
}

/** What the Output panel shows right now: the selected channel and the visible text (undefined when hidden). */
export async function outputPanel(page: Page): Promise<{ channel: string | undefined; text: string }> {
  return page.evaluate(() => {
    type El = { value?: string; textContent: string | null; offsetParent: unknown };
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<El> } }).document;
    const shown = (s: string) => Array.from(doc.querySelectorAll(s)).filter((e) => e.offsetParent !== null);
    // the switcher exists twice (panel title and view toolbar); the visible one is the one the user sees
    const select = shown('.part.panel select.monaco-select-box[aria-label="Switch Output"]')[0];
    // monaco renders spaces as U+00A0
    const text = shown('.part.panel .output-view .view-lines')
      .map((e) => e.textContent ?? '')
      .join('\n')
      .replace(/\u00a0/g, ' ');
    return { channel: select?.value, text };
  });
}

/** Wait until the Output panel shows the channel `name` and its text contains `contains`; says what it saw if not. */
export async function waitForOutputChannel(
  page: Page,
  name: string,
  contains: string,
  timeout = 30_000,
): Promise<void> {
  try {
    await page.waitForFunction(
      ({ name, contains }) => {
        type El = { value?: string; textContent: string | null; offsetParent: unknown };
        const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<El> } }).document;
        const shown = (s: string) => Array.from(doc.querySelectorAll(s)).filter((e) => e.offsetParent !== null);
        const select = shown('.part.panel select.monaco-select-box[aria-label="Switch Output"]')[0];
        const text = shown('.part.panel .output-view .view-lines')
          .map((e) => e.textContent ?? '')
          .join('\n')
          .replace(/\u00a0/g, ' ');
        return select?.value === name && text.includes(contains);
      },
      { name, contains },
      { timeout, polling: 200 },
    );
  } catch (e) {
    const seen = await outputPanel(page).catch(() => undefined);
    if (!seen) throw e;
    throw new Error(
      `the Output panel did not show channel ${JSON.stringify(name)} containing ${JSON.stringify(contains)} within ${timeout} ms; ` +
        `it shows ${seen.channel === undefined ? 'no channel (hidden)' : `channel ${JSON.stringify(seen.channel)}`} with text ${JSON.stringify(seen.text.slice(0, 400))}`,
    );
  }
}
