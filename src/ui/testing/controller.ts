/**
 * The Testing view (loaded with main; the controller and its run profile are the activation shell's): Prove DCR on
 * each DCR auth strategy of the active connection, and each `.http` request with expectations (linked to a strategy,
 * see core/requests/expectations.ts), as test items. Discovered lazily: the root when the Testing view first asks,
 * the strategies and a file's requests when their item is expanded or run. Request files follow the workspace (a
 * watcher, and open editors as you type); the strategies follow the connection and the trees' refresh.
 */
import * as vscode from 'vscode';
import { judge, requestLabel, requestsWithExpectations } from '../../core/requests/expectations';
import { parseRequestFile } from '../../core/requests/parser';
import { REDACTED, type Redactor } from '../../core/util/redact';
import type { ConnectionStore } from '../auth/connections';
import type { TestsBackend } from '../platform/host';
import { toAbortSignal } from '../platform/errorBoundary';
import { describeError, isCancellationLike } from '../platform/errors';
import type { ChannelLogger } from '../platform/logger';
import type { Prompts } from '../platform/prompts';
import { refuseUntrusted } from '../platform/trust';
import type { ProveController, PublicReport } from '../prove/controller';
import type { RunnerController } from '../runner/controller';
import type { KonnectModel } from '../tree/model';
import { PROVE_GROUP_ID, REQUEST_FILE_GLOB } from './ids';

export interface TestsDeps {
  readonly controller: vscode.TestController;
  readonly connections: ConnectionStore;
  readonly model: KonnectModel;
  readonly prompts: Prompts;
  readonly redactor: Redactor;
  readonly log: ChannelLogger;
  runner(): Promise<RunnerController>;
  prove(): Promise<ProveController>;
}

type Kind =
  | { readonly kind: 'group' }
  | { readonly kind: 'strategy'; readonly strategyId: string }
  | { readonly kind: 'file' }
  | { readonly kind: 'request'; readonly line: number };

/** One item's result in a run, as the in-host tests read it (the Testing view's results are not readable from an extension). */
export interface TestOutcome {
  readonly id: string;
  readonly label: string;
  readonly outcome: 'passed' | 'failed' | 'errored' | 'skipped';
  readonly message?: string | undefined;
  readonly durationMs?: number | undefined;
}

/** A file is looked at only if it links something to a strategy: the cheap test before parsing. */
const LINKS_STRATEGY = /^[ \t]*(?:#|\/\/)[ \t]*@strategy\b/m;
const crlf = (s: string): string => s.replace(/\r?\n/g, '\r\n');

export class TestsController implements TestsBackend, vscode.Disposable {
  private readonly kinds = new WeakMap<vscode.TestItem, Kind>();
  private readonly subs: vscode.Disposable[] = [];
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private rootResolved = false;
  private proveResolved = false;
  /** Files whose requests were listed (the others wait for their item to be expanded). */
  private readonly resolvedFiles = new Set<string>();
  /** The outcomes of each run of this window, newest last (tests; at most 20 kept). */
  readonly runs: TestOutcome[][] = [];

  constructor(private readonly deps: TestsDeps) {}

  private get items(): vscode.TestItemCollection {
    return this.deps.controller.items;
  }

  // ------------------------------------------------------------------------------------------- discovery

  async resolve(item?: vscode.TestItem): Promise<void> {
    if (!item) return this.resolveRoot();
    const k = this.kinds.get(item);
    if (k?.kind === 'group') return this.resolveStrategies(item);
    if (k?.kind === 'file' && item.uri) return this.resolveFile(item.uri);
  }

  /** The refresh button: everything is listed again. */
  async refresh(): Promise<void> {
    this.resolvedFiles.clear();
    this.proveResolved = false;
    this.items.replace([]);
    this.rootResolved = false;
    await this.resolveRoot();
  }

  private async resolveRoot(): Promise<void> {
    if (!this.rootResolved) {
      this.rootResolved = true;
      const watcher = vscode.workspace.createFileSystemWatcher(REQUEST_FILE_GLOB);
      this.subs.push(
        watcher,
        watcher.onDidCreate((u) => this.schedule(u)),
        watcher.onDidChange((u) => this.schedule(u)),
        watcher.onDidDelete((u) => this.removeFile(u)),
        vscode.workspace.onDidChangeTextDocument((e) => {
          if (e.contentChanges.length && this.items.get(e.document.uri.toString())) this.schedule(e.document.uri);
        }),
        this.deps.connections.onDidChange(() => this.later(this.syncProveGroup(true))),
        this.deps.model.onDidChange((section) => {
          if (section === 'catalog') this.later(this.syncProveGroup(false));
        }),
      );
    }
    await this.syncProveGroup(false);
    const uris = await vscode.workspace.findFiles(REQUEST_FILE_GLOB, '**/node_modules/**');
    await Promise.all(uris.map((u) => this.updateFile(u)));
  }

  private later(p: Promise<unknown>): void {
    p.catch((err: unknown) => this.deps.log.warn(`Testing view: ${describeError(err)}`));
  }

  /** The Prove DCR group exists while a connection with a token is active; a new connection lists its strategies. */
  private async syncProveGroup(connectionChanged: boolean): Promise<void> {
    const active = this.deps.connections.active();
    const signedIn = !!active && (await this.deps.connections.hasToken(active.name));
    if (!signedIn || !active) {
      this.items.delete(PROVE_GROUP_ID);
      this.proveResolved = false;
      return;
    }
    let group = this.items.get(PROVE_GROUP_ID);
    if (!group || connectionChanged) {
      group = this.deps.controller.createTestItem(PROVE_GROUP_ID, vscode.l10n.t('Prove DCR · {0}', active.name));
      group.canResolveChildren = true;
      group.description = vscode.l10n.t('auth strategies with a DCR provider');
      this.kinds.set(group, { kind: 'group' });
      this.items.add(group);
      this.proveResolved = false;
    } else if (this.proveResolved) await this.resolveStrategies(group);
  }

  private async resolveStrategies(group: vscode.TestItem): Promise<void> {
    group.busy = true;
    try {
      const catalog = await this.deps.model.getCatalog();
      if (catalog.state === 'signedOut') {
        group.children.replace([]);
        return;
      }
      if (catalog.state === 'error') {
        group.error = catalog.error.message;
        return;
      }
      group.error = undefined;
      const dcr = catalog.value.strategies.filter((s) => s.strategy_type === 'openid_connect' && s.dcr_provider);
      group.children.replace(
        dcr.map((s) => {
          const item = this.deps.controller.createTestItem(`${PROVE_GROUP_ID}/${s.id}`, s.name);
          item.description = s.dcr_provider ? `${s.dcr_provider.name} (${s.dcr_provider.provider_type})` : '';
          item.sortText = s.name.toLowerCase();
          this.kinds.set(item, { kind: 'strategy', strategyId: s.id });
          return item;
        }),
      );
      this.proveResolved = true;
    } finally {
      group.busy = false;
    }
  }

  private schedule(uri: vscode.Uri): void {
    const k = uri.toString();
    clearTimeout(this.timers.get(k));
    this.timers.set(
      k,
      setTimeout(() => {
        this.timers.delete(k);
        this.later(this.updateFile(uri));
      }, 200),
    );
  }

  private removeFile(uri: vscode.Uri): void {
    this.items.delete(uri.toString());
    this.resolvedFiles.delete(uri.toString());
  }

  /** What the editor has (unsaved edits included), else the file on disk. */
  private async textOf(uri: vscode.Uri): Promise<string | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return open.getText();
    try {
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      return undefined;
    }
  }

  /** A file is listed when it links a request to a strategy; its requests are listed once it was expanded. */
  private async updateFile(uri: vscode.Uri): Promise<void> {
    const text = await this.textOf(uri);
    const key = uri.toString();
    if (text === undefined || !LINKS_STRATEGY.test(text)) return this.removeFile(uri);
    if (!this.items.get(key)) {
      const item = this.deps.controller.createTestItem(key, vscode.workspace.asRelativePath(uri), uri);
      item.canResolveChildren = true;
      this.kinds.set(item, { kind: 'file' });
      this.items.add(item);
    }
    if (this.resolvedFiles.has(key)) await this.resolveFile(uri, text);
  }

  private async resolveFile(uri: vscode.Uri, known?: string): Promise<void> {
    const key = uri.toString();
    const item = this.items.get(key);
    if (!item) return;
    const text = known ?? (await this.textOf(uri));
    const reqs = text === undefined ? [] : requestsWithExpectations(parseRequestFile(text));
    if (!reqs.length) return this.removeFile(uri);
    this.resolvedFiles.add(key);
    item.children.replace(
      reqs.map((r) => {
        const child = this.deps.controller.createTestItem(`${key}#${r.index}`, requestLabel(r), uri);
        child.range = new vscode.Range(r.requestLine, 0, r.requestLine, 0);
        // `@strategy` is the .http file's own keyword, kept as typed
        child.description = vscode.l10n.t('{0} · @strategy {1}', r.method, r.strategy ?? '');
        this.kinds.set(child, { kind: 'request', line: r.requestLine });
        return child;
      }),
    );
  }

  // ------------------------------------------------------------------------------------------- running

  async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const leaves = await this.leaves(request);
    const run = this.deps.controller.createTestRun(request);
    const outcomes: TestOutcome[] = [];
    this.runs.push(outcomes);
    if (this.runs.length > 20) this.runs.shift();
    const signal = toAbortSignal(token);
    const record = (item: vscode.TestItem, o: Omit<TestOutcome, 'id' | 'label'>): void => {
      outcomes.push({ id: item.id, label: item.label, ...o });
    };
    try {
      for (const item of leaves) run.enqueued(item);
      // Restricted Mode: a request file of an untrusted workspace is not sent (as Send refuses); Prove reads Konnect.
      const refusal = leaves.some((i) => this.kinds.get(i)?.kind === 'request')
        ? refuseUntrusted(this.deps.prompts, vscode.l10n.t('Running .http requests as tests'))
        : undefined;
      for (const item of leaves) {
        if (signal.aborted) {
          run.skipped(item);
          record(item, { outcome: 'skipped', message: 'cancelled' });
          continue;
        }
        const k = this.kinds.get(item);
        if (k?.kind === 'request' && refusal) {
          run.errored(item, new vscode.TestMessage(refusal.message));
          record(item, { outcome: 'errored', message: refusal.message });
          continue;
        }
        run.started(item);
        if (k?.kind === 'strategy') await this.runProve(run, item, k.strategyId, signal, record);
        else if (k?.kind === 'request' && item.uri) await this.runRequest(run, item, item.uri, k.line, signal, record);
      }
    } finally {
      run.end();
    }
  }

  /** The test items a request runs: what it includes (default: all), groups and files expanded, minus the excluded. */
  private async leaves(request: vscode.TestRunRequest): Promise<vscode.TestItem[]> {
    if (!this.rootResolved) await this.resolveRoot();
    const excluded = new Set((request.exclude ?? []).map((i) => i.id));
    const out: vscode.TestItem[] = [];
    const visit = async (item: vscode.TestItem): Promise<void> => {
      if (excluded.has(item.id)) return;
      const k = this.kinds.get(item);
      if (k?.kind === 'strategy' || k?.kind === 'request') {
        out.push(item);
        return;
      }
      if (k?.kind === 'group' && !this.proveResolved) await this.resolveStrategies(item);
      if (k?.kind === 'file' && item.uri && !this.resolvedFiles.has(item.id)) await this.resolveFile(item.uri);
      const children: vscode.TestItem[] = [];
      item.children.forEach((c) => void children.push(c));
      for (const c of children) await visit(c);
    };
    const top: vscode.TestItem[] = [];
    if (request.include) top.push(...request.include);
    else this.items.forEach((i) => void top.push(i));
    // request files first, in path order, then the Prove DCR group
    top.sort((a, b) => Number(a.id === PROVE_GROUP_ID) - Number(b.id === PROVE_GROUP_ID) || a.id.localeCompare(b.id));
    for (const i of top) await visit(i);
    return out;
  }

  private async runProve(
    run: vscode.TestRun,
    item: vscode.TestItem,
    strategyId: string,
    signal: AbortSignal,
    record: (item: vscode.TestItem, o: Omit<TestOutcome, 'id' | 'label'>) => void,
  ): Promise<void> {
    const t0 = Date.now();
    let report: PublicReport | undefined;
    try {
      report = await (await this.deps.prove()).proveQuietly(strategyId, signal);
    } catch (err) {
      return this.errored(run, item, err, Date.now() - t0, record);
    }
    if (!report || report.cancelled) {
      run.skipped(item);
      record(item, {
        outcome: 'skipped',
        message: report ? vscode.l10n.t('cancelled') : vscode.l10n.t('a question was dismissed'),
      });
      return;
    }
    const lines = report.steps.map(
      (s, i) =>
        `${s.status === 'pass' ? '✓' : s.status === 'fail' ? '✗' : '–'} ${i + 1}. ${s.title} (${s.ms} ms): ${s.detail}`,
    );
    run.appendOutput(
      crlf(
        this.deps.redactor.redact(
          `${vscode.l10n.t('Prove DCR for "{0}" ({1} mode)', report.strategy.name, report.mode)}\n${lines.join('\n')}\n`,
        ),
      ),
      undefined,
      item,
    );
    if (report.verdict === 'pass') {
      run.passed(item, report.ms);
      record(item, { outcome: 'passed', durationMs: report.ms });
      return;
    }
    const failed = report.steps.find((s) => s.status === 'fail');
    const message = this.deps.redactor.redact(
      failed
        ? vscode.l10n.t(
            'Step {0} ({1}) failed: {2}',
            report.steps.indexOf(failed) + 1,
            failed.title,
            failed.explanation?.summary ?? failed.detail,
          ) +
            (failed.explanation?.findings.length
              ? `\n${failed.explanation.findings.map((f) => `• ${f.text}`).join('\n')}`
              : '')
        : vscode.l10n.t(
            'Prove DCR did not complete: {0} skipped',
            report.steps
              .filter((s) => s.status === 'skip')
              .map((s) => s.title)
              .join(', '),
          ),
    );
    run.failed(item, new vscode.TestMessage(message), report.ms);
    record(item, { outcome: 'failed', message, durationMs: report.ms });
  }

  private async runRequest(
    run: vscode.TestRun,
    item: vscode.TestItem,
    uri: vscode.Uri,
    line: number,
    signal: AbortSignal,
    record: (item: vscode.TestItem, o: Omit<TestOutcome, 'id' | 'label'>) => void,
  ): Promise<void> {
    const t0 = Date.now();
    let ran;
    try {
      ran = await (await this.deps.runner()).runForTest(uri, line, signal);
    } catch (err) {
      if (signal.aborted || isCancellationLike(err)) {
        run.skipped(item);
        record(item, { outcome: 'skipped', message: 'cancelled' });
        return;
      }
      return this.errored(run, item, err, Date.now() - t0, record);
    }
    const { result, model, req } = ran;
    const mask = (s: string): string => {
      let out = this.deps.redactor.redact(s);
      for (const secret of result.secrets) if (secret.length >= 4) out = out.split(secret).join(REDACTED);
      return out;
    };
    const v = judge(result);
    const ms = v.ms ?? Date.now() - t0;
    run.appendOutput(
      crlf(
        `${model.request.method} ${model.request.url} → ${model.status ?? '—'} ${model.statusText ?? model.error ?? ''}${
          model.checkSummary ? ` · ${model.checkSummary}` : ''
        }\n`,
      ),
      new vscode.Location(uri, new vscode.Position(req.requestLine, 0)),
      item,
    );
    if (v.outcome === 'passed') {
      run.passed(item, ms);
      record(item, { outcome: 'passed', durationMs: ms });
      return;
    }
    const message = mask(v.message ?? 'failed');
    const tm = new vscode.TestMessage(message);
    tm.location = new vscode.Location(uri, new vscode.Position(req.requestLine, 0));
    if (v.outcome === 'failed') run.failed(item, tm, ms);
    else run.errored(item, tm, ms);
    record(item, { outcome: v.outcome, message, durationMs: ms });
  }

  private errored(
    run: vscode.TestRun,
    item: vscode.TestItem,
    err: unknown,
    ms: number,
    record: (item: vscode.TestItem, o: Omit<TestOutcome, 'id' | 'label'>) => void,
  ): void {
    const message = this.deps.redactor.redact(describeError(err));
    run.errored(item, new vscode.TestMessage(message), ms);
    record(item, { outcome: 'errored', message, durationMs: ms });
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const s of this.subs.splice(0)) s.dispose();
  }
}
