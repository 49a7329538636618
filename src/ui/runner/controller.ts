/**
 * The runner's VS Code side (loaded on the first runner command, not at activation): sends requests of `.http`
 * documents through the core runner under a cancellable progress, shows the response view, the inline result on the
 * request line, keeps the redacted history, and writes generated validation requests for a strategy.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AppAuthStrategy } from '../../core/model/authStrategy';
import { findTokenEndpoint } from '../../core/oidc/discovery';
import { SignatureVerifier } from '../../core/oidc/jwks';
import { toCurl } from '../../core/requests/curl';
import { ENV_FILES, parseDotenv, parseEnvironmentFiles } from '../../core/requests/environments';
import { createRequestExecutor, type RequestExecutor } from '../../core/requests/executor';
import type { Explanation } from '../../core/requests/explain';
import { generateValidationRequests, secretKeyFor } from '../../core/requests/generate';
import { RunHistory, type HistoryEntry } from '../../core/requests/history';
import { formatLocalTime, strategyView, type StrategyView } from '../../core/requests/jwt';
import { requestAt, type ParsedRequest } from '../../core/requests/parser';
import { RequestRunner, RunSession, checkSummary, type RunResult } from '../../core/requests/runner';
import type { VariableSources } from '../../core/requests/variables';
import { linkAbort } from '../../core/util/abort';
import type { Redactor } from '../../core/util/redact';
import type { ResponseCommand, ResponseViewModel } from '../../shared/response/protocol';
import type { Session } from '../auth/session';
import { toAbortSignal } from '../platform/errorBoundary';
import type { ChannelLogger } from '../platform/logger';
import type { Prompts } from '../platform/prompts';
import { isWorkspaceFile, readOnlyRefusal } from '../platform/workspaceFiles';
import type { ParseCache } from './codelens';
import { ENVIRONMENT_KEY, SECRET_INDEX_KEY, SECRET_PREFIX } from './ids';
import { ResponsePanel } from './responsePanel';
import { affectsExecutor, executorOptions } from './settings';
import type { RunnerState } from './state';

export interface RunnerUiDeps {
  readonly context: vscode.ExtensionContext;
  readonly log: ChannelLogger;
  readonly prompts: Prompts;
  readonly session: Session;
  readonly redactor: Redactor;
  readonly state: RunnerState;
  readonly parses: ParseCache;
}

/** What a run left for Explain / Copy as curl / Send again. */
interface LastRun {
  readonly result: RunResult;
  readonly model: ResponseViewModel;
  readonly uri: vscode.Uri;
}

/** Options of "Create validation requests" (all optional: asked for when missing). */
export interface CreateValidationOptions {
  readonly gatewayUrl?: string;
  /** Where to write the file (default: `<workspace>/requests/<strategy>.http`). */
  readonly target?: vscode.Uri | string;
  /** Open the written file in an editor (default true). */
  readonly open?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class RunnerController implements vscode.Disposable {
  private readonly sessions = new Map<string, RunSession>();
  private readonly last = new Map<string, LastRun>();
  private executorP: Promise<RequestExecutor> | undefined;
  private readonly runner: RequestRunner;
  readonly panel: ResponsePanel;
  readonly history: RunHistory;
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
  });
  private readonly subs: vscode.Disposable[] = [];
  /** The last model shown (tests). */
  lastModel: ResponseViewModel | undefined;

  constructor(private readonly deps: RunnerUiDeps) {
    this.history = new RunHistory(deps.context.globalState, deps.redactor);
    const executor: RequestExecutor = { execute: async (req, signal) => (await this.executor()).execute(req, signal) };
    const verifier = new SignatureVerifier(executor);
    this.runner = new RequestRunner({
      executor,
      verifySignature: (raw, jwt, issuer, signal) => verifier.check(raw, jwt, issuer, signal),
      findTokenEndpoint: (issuer, type, signal) => findTokenEndpoint(executor, issuer, type, signal),
      resolveStrategy: (ref, signal) => this.resolveStrategy(ref, signal),
      now: () => Date.now(),
      redactor: deps.redactor,
      logger: deps.log,
      formatTime: formatLocalTime,
    });
    this.panel = new ResponsePanel(deps.context.extensionUri, deps.log, (c) => this.onPanelCommand(c));
    this.subs.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affectsExecutor(e)) this.executorP = undefined;
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!e.contentChanges.length || !this.hasDecorations(e.document.uri)) return;
        deps.state.clearStatuses(e.document.uri);
        this.redecorate(e.document.uri);
      }),
      vscode.window.onDidChangeVisibleTextEditors(() => {
        for (const e of vscode.window.visibleTextEditors) this.redecorate(e.document.uri);
      }),
      deps.session.onDidChange(() => this.runner.forgetStrategies()),
    );
  }

  private executor(): Promise<RequestExecutor> {
    return (this.executorP ??= executorOptions()
      .then((o) => createRequestExecutor(o))
      .catch((err: unknown) => {
        this.executorP = undefined;
        throw err;
      }));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // sending

  /** Send the request at `line` of `uri` (default: the active editor's cursor). Returns the (redacted) view model. */
  async send(uri?: vscode.Uri | string, line?: number): Promise<ResponseViewModel | undefined> {
    const { doc, req } = await this.locate(uri, line);
    const result = await this.runWithProgress(doc, [req]);
    return result[0];
  }

  /** Send every request of the file, in order; stops at cancellation. */
  async sendAll(uri?: vscode.Uri | string): Promise<ResponseViewModel[]> {
    const doc = await this.document(uri);
    const reqs = this.deps.parses.get(doc).requests.filter((r) => r.method);
    if (!reqs.length) throw new Error(vscode.l10n.t('This file has no request to send'));
    return this.runWithProgress(doc, reqs);
  }

  cancel(uri?: vscode.Uri | string, line?: number): number {
    const u = uri === undefined ? undefined : typeof uri === 'string' ? vscode.Uri.parse(uri) : uri;
    if (u && line !== undefined) {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === u.toString());
      const req = doc ? requestAt(this.deps.parses.get(doc), line) : undefined;
      return this.deps.state.cancel(u, req?.index);
    }
    return this.deps.state.cancel(u);
  }

  private async runWithProgress(
    doc: vscode.TextDocument,
    reqs: readonly ParsedRequest[],
  ): Promise<ResponseViewModel[]> {
    const label =
      reqs.length === 1
        ? vscode.l10n.t('{0} (line {1})', reqs[0]!.name ?? reqs[0]!.method, reqs[0]!.requestLine + 1)
        : vscode.l10n.t('{0} requests', reqs.length);
    const ctrl = new AbortController();
    // strategies are read again for each user action (and shared by the requests of that action)
    this.runner.forgetStrategies();
    for (const r of reqs) this.deps.state.start(doc.uri, r.index, ctrl);
    try {
      return await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: vscode.l10n.t('Konnect DCR: sending {0}', label),
          cancellable: true,
        },
        async (progress, token) => {
          const link = linkAbort(ctrl.signal, toAbortSignal(token));
          try {
            const out: ResponseViewModel[] = [];
            for (const [i, req] of reqs.entries()) {
              if (link.signal.aborted) break;
              if (reqs.length > 1)
                progress.report({
                  message: `${i + 1}/${reqs.length}: ${req.name ?? vscode.l10n.t('{0} line {1}', req.method, req.requestLine + 1)}`,
                  increment: 100 / reqs.length,
                });
              out.push(await this.runOne(doc, req, link.signal));
              this.deps.state.finish(doc.uri, req.index, ctrl);
            }
            return out;
          } finally {
            link.dispose();
          }
        },
      );
    } finally {
      for (const r of reqs) this.deps.state.finish(doc.uri, r.index, ctrl);
    }
  }

  /**
   * Runs the request at `line` of `uri` for the Testing view, under the test run's cancellation: no progress toast and
   * no response view (the Testing view shows the run); the line status, the history and Explain are as after Send.
   * Returns the run unredacted, for the caller to judge: redact before showing.
   */
  async runForTest(
    uri: vscode.Uri,
    line: number,
    signal: AbortSignal,
  ): Promise<{ result: RunResult; model: ResponseViewModel; req: ParsedRequest }> {
    const { doc, req } = await this.locate(uri, line);
    const ctrl = new AbortController();
    const link = linkAbort(ctrl.signal, signal);
    this.runner.forgetStrategies();
    this.deps.state.start(doc.uri, req.index, ctrl);
    try {
      const model = await this.runOne(doc, req, link.signal, false);
      const result = this.last.get(`${doc.uri.toString()}#${req.index}`)!.result;
      return { result, model, req };
    } finally {
      link.dispose();
      this.deps.state.finish(doc.uri, req.index, ctrl);
    }
  }

  private async runOne(
    doc: vscode.TextDocument,
    req: ParsedRequest,
    signal: AbortSignal,
    show = true,
  ): Promise<ResponseViewModel> {
    const session = await this.session(doc);
    let result: RunResult;
    try {
      result = await this.runner.run(session, req.index, signal);
    } catch (err) {
      if (signal.aborted || (err instanceof Error && err.name === 'AbortError')) {
        this.deps.state.setStatus(doc.uri, req.index, { text: 'cancelled', ok: false, explainable: false });
        this.redecorate(doc.uri);
      }
      throw err;
    }
    const model = this.viewModel(doc, req, result);
    const key = `${doc.uri.toString()}#${req.index}`;
    this.last.delete(key);
    this.last.set(key, { result, model, uri: doc.uri });
    this.lastModel = model;
    const summary = checkSummary(result);
    const status = result.response
      ? [
          `${result.response.status} ${result.response.statusText}`,
          vscode.l10n.t('{0} ms', Math.round(result.response.timings.totalMs)),
          summary,
          result.explanation ? vscode.l10n.t('Explain ↑') : undefined,
        ]
          .filter(Boolean)
          .join(' · ')
      : `✗ ${firstLine(this.deps.redactor.redact(result.error?.message ?? vscode.l10n.t('failed')))}`;
    this.deps.state.setStatus(doc.uri, req.index, {
      text: status,
      ok: !!result.response && result.response.status < 400 && !summary?.includes('failed'),
      explainable: !!result.explanation,
    });
    this.redecorate(doc.uri);
    this.deps.log.info(
      `${model.request.method} ${model.request.url} → ${result.response ? `${result.response.status} in ${Math.round(result.response.timings.totalMs)} ms` : `failed: ${model.error ?? ''}`}${summary ? ` (${summary})` : ''}`,
    );
    await this.history.add({
      id: `${result.startedAt}-${req.index}`,
      at: result.startedAt,
      file: vscode.workspace.asRelativePath(doc.uri),
      line: req.requestLine,
      name: req.name,
      method: model.request.method,
      url: model.request.url,
      status: result.response?.status,
      totalMs: result.response?.timings.totalMs,
      error: model.error,
      curl: result.sent ? toCurl(result.sent, { redactor: this.deps.redactor }) : '',
      checks: summary,
    });
    if (show) this.panel.show(model);
    return model;
  }

  private async session(doc: vscode.TextDocument): Promise<RunSession> {
    const file = this.deps.parses.get(doc);
    const sources = await this.sources(doc);
    const key = doc.uri.toString();
    let s = this.sessions.get(key);
    if (!s) {
      s = new RunSession(file, sources);
      this.sessions.set(key, s);
    }
    s.file = file;
    s.sources = sources;
    return s;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // variable sources: env files, .env, process env, SecretStorage

  private async sources(doc: vscode.TextDocument): Promise<Omit<VariableSources, 'response'>> {
    const dirs = this.searchDirs(doc.uri);
    let environment: Record<string, string> = {};
    for (const dir of dirs) {
      const files: { name: string; text: string }[] = [];
      for (const name of ENV_FILES) {
        const text = await readText(vscode.Uri.joinPath(dir, name));
        if (text !== undefined) files.push({ name, text });
      }
      if (files.length) {
        const set = parseEnvironmentFiles(files);
        const selected = this.deps.context.workspaceState.get<string>(ENVIRONMENT_KEY);
        environment = set.values(selected && set.names.includes(selected) ? selected : undefined);
        break;
      }
    }
    let dotenv: Record<string, string> = {};
    for (const dir of dirs) {
      const text = await readText(vscode.Uri.joinPath(dir, '.env'));
      if (text !== undefined) {
        dotenv = parseDotenv(text);
        break;
      }
    }
    return {
      environment,
      dotenv,
      processEnv: (name) => process.env[name],
      secret: (key) => this.secret(key),
      now: () => Date.now(),
    };
  }

  /** The file's folder, then its workspace folder. */
  private searchDirs(uri: vscode.Uri): vscode.Uri[] {
    const out: vscode.Uri[] = [];
    if (isWorkspaceFile(uri)) out.push(vscode.Uri.joinPath(uri, '..'));
    const ws = vscode.workspace.getWorkspaceFolder(uri) ?? vscode.workspace.workspaceFolders?.[0];
    if (ws && !out.some((u) => u.toString() === ws.uri.toString())) out.push(ws.uri);
    return out;
  }

  /** A `{{$secret key}}`: from SecretStorage, else asked for once (password box) and stored. */
  private async secret(key: string): Promise<string | undefined> {
    const stored = await this.deps.context.secrets.get(SECRET_PREFIX + key);
    if (stored !== undefined) {
      this.deps.redactor.add(stored);
      return stored;
    }
    const value = await this.deps.prompts.input('runner.secret', {
      // the {{…}} go in as a value: VS Code would take `{{$secret {0}` for a placeholder of its own
      title: vscode.l10n.t('Konnect DCR: value of {0}', `{{$secret ${key}}}`),
      prompt: vscode.l10n.t(
        'Kept in VS Code\'s secret storage as "{0}", never in the file. "Konnect DCR: Forget Stored Secrets" removes it.',
        key,
      ),
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter a value (Escape to cancel)')),
    });
    if (value === undefined) return undefined;
    await this.storeSecret(key, value.trim());
    return value.trim();
  }

  private async storeSecret(key: string, value: string): Promise<void> {
    this.deps.redactor.add(value);
    await this.deps.context.secrets.store(SECRET_PREFIX + key, value);
    const index = new Set(this.deps.context.globalState.get<string[]>(SECRET_INDEX_KEY, []));
    index.add(key);
    await this.deps.context.globalState.update(SECRET_INDEX_KEY, [...index]);
  }

  async forgetSecrets(keys?: readonly string[]): Promise<number> {
    const index = this.deps.context.globalState.get<string[]>(SECRET_INDEX_KEY, []);
    let chosen = keys ? [...keys] : index;
    if (!keys && index.length > 1) {
      const all = vscode.l10n.t('$(trash) All stored secrets');
      const pick = await this.deps.prompts.pick(
        'runner.forgetSecret',
        [{ label: all }, ...index.map((k) => ({ label: k }))],
        { title: vscode.l10n.t('Konnect DCR: forget which stored secret?') },
      );
      if (!pick) return 0;
      chosen = pick.label === all ? index : [pick.label];
    }
    for (const k of chosen) await this.deps.context.secrets.delete(SECRET_PREFIX + k);
    await this.deps.context.globalState.update(
      SECRET_INDEX_KEY,
      index.filter((k) => !chosen.includes(k)),
    );
    this.deps.prompts.notify(
      'info',
      chosen.length === 1
        ? vscode.l10n.t('Konnect DCR: forgot 1 stored secret.')
        : vscode.l10n.t('Konnect DCR: forgot {0} stored secrets.', chosen.length),
    );
    return chosen.length;
  }

  async selectEnvironment(name?: string): Promise<string | undefined> {
    const doc = vscode.window.activeTextEditor?.document;
    const dirs = doc ? this.searchDirs(doc.uri) : (vscode.workspace.workspaceFolders?.map((f) => f.uri) ?? []);
    let names: readonly string[] = [];
    for (const dir of dirs) {
      const files: { name: string; text: string }[] = [];
      for (const f of ENV_FILES) {
        const t = await readText(vscode.Uri.joinPath(dir, f));
        if (t !== undefined) files.push({ name: f, text: t });
      }
      if (files.length) {
        names = parseEnvironmentFiles(files).names;
        break;
      }
    }
    if (name === undefined) {
      const none = vscode.l10n.t('(none: $shared only)');
      const pick = await this.deps.prompts.pick(
        'runner.environment',
        [{ label: none }, ...names.map((n) => ({ label: n }))],
        { title: vscode.l10n.t('Konnect DCR: environment for {0} (http-client.env.json)', '{{variables}}') },
      );
      if (!pick) return undefined;
      name = pick.label === none ? '' : pick.label;
    }
    await this.deps.context.workspaceState.update(ENVIRONMENT_KEY, name || undefined);
    return name;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // strategies

  private async resolveStrategy(ref: string, signal: AbortSignal): Promise<StrategyView | undefined> {
    const s = await this.deps.session.active();
    if (!s) throw new Error(vscode.l10n.t('not signed in to Konnect (sign in to check tokens against the strategy)'));
    let strategy: AppAuthStrategy | undefined;
    if (UUID.test(ref)) strategy = await s.client.authStrategies.get(ref, { signal });
    else {
      const page = await s.client.authStrategies.list({ pageSize: 2, filter: { name: { eq: ref } } }, { signal });
      strategy = page.data[0];
    }
    return strategy ? strategyView(strategy) : undefined;
  }

  private async strategyFromArg(arg: unknown, signal: AbortSignal): Promise<AppAuthStrategy> {
    const a = arg as { kind?: unknown; strategy?: unknown; strategy_type?: unknown } | string | undefined;
    if (a && typeof a === 'object' && 'strategy_type' in a) return a as AppAuthStrategy;
    if (a && typeof a === 'object' && a.strategy && typeof a.strategy === 'object')
      return a.strategy as AppAuthStrategy;
    const s = await this.deps.session.active();
    if (!s) throw new Error(vscode.l10n.t('Sign in to Konnect first: the strategy is read from the active connection'));
    if (typeof a === 'string' && a) {
      if (UUID.test(a)) return s.client.authStrategies.get(a, { signal });
      const page = await s.client.authStrategies.list({ pageSize: 2, filter: { name: { eq: a } } }, { signal });
      if (!page.data[0]) throw new Error(vscode.l10n.t('No auth strategy named "{0}"', a));
      return page.data[0];
    }
    const all = await s.client.authStrategies.listAll(
      { filter: { strategy_type: { eq: 'openid_connect' } } },
      { signal, maxItems: 500 },
    );
    const pick = await this.deps.prompts.pick(
      'runner.strategy',
      all.map((x) => ({ label: x.name, description: x.dcr_provider?.provider_type ?? '', detail: x.id, strategy: x })),
      { title: vscode.l10n.t('Konnect DCR: create validation requests for which auth strategy?') },
    );
    if (!pick) throw Object.assign(new Error('cancelled'), { name: 'AbortError' });
    return pick.strategy;
  }

  /** Writes (and opens) a .http file with the token request and the gateway call for a strategy. Returns its URI. */
  async createValidationRequests(
    arg?: unknown,
    options: CreateValidationOptions = {},
  ): Promise<vscode.Uri | undefined> {
    return vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Konnect DCR: creating validation requests'),
        cancellable: true,
      },
      async (_p, token) => {
        const signal = toAbortSignal(token);
        const strategy = await this.strategyFromArg(arg, signal);
        const view = strategyView(strategy);
        if (!view)
          throw new Error(
            vscode.l10n.t(
              '"{0}" is a key_auth strategy: there is no token to validate (send the key in one of its headers: {1})',
              strategy.name,
              strategy.strategy_type === 'key_auth'
                ? (strategy.configs['key-auth'].key_names ?? ['apikey']).join(', ')
                : '',
            ),
          );
        const endpoint = await findTokenEndpoint(await this.executor(), view.issuer, view.providerType, signal);
        const secretKey = secretKeyFor(strategy.id);
        for (const [field, label, password] of [
          ['clientId', vscode.l10n.t('client id'), false],
          ['clientSecret', vscode.l10n.t('client secret'), true],
        ] as const) {
          if ((await this.deps.context.secrets.get(`${SECRET_PREFIX}${secretKey}.${field}`)) !== undefined) continue;
          const v = await this.deps.prompts.input(`runner.${field}`, {
            title: vscode.l10n.t('Konnect DCR: {0} of a developer app of "{1}"', label, strategy.name),
            prompt: vscode.l10n.t(
              "From the Dev Portal app (shown once when the app was created). Kept in VS Code's secret storage, never in the file.",
            ),
            password,
            ignoreFocusOut: true,
            validateInput: (x) => (x.trim() ? undefined : vscode.l10n.t('Enter the {0}', label)),
          });
          if (v === undefined) return undefined;
          await this.storeSecret(`${secretKey}.${field}`, v.trim());
        }
        let gatewayUrl = options.gatewayUrl;
        if (gatewayUrl === undefined) {
          gatewayUrl = await this.deps.prompts.input('runner.gatewayUrl', {
            title: vscode.l10n.t('Konnect DCR: a URL of the API behind the gateway (optional)'),
            prompt: vscode.l10n.t(
              'e.g. {0}. Leave empty to fill it in later in the file (@gateway).',
              'https://gateway.example.com/orders/anything',
            ),
            ignoreFocusOut: true,
            validateInput: (x) =>
              !x.trim() || /^https?:\/\/\S+$/.test(x.trim()) ? undefined : vscode.l10n.t('An http(s) URL, or empty'),
          });
          if (gatewayUrl === undefined) return undefined;
        }
        const text = generateValidationRequests({
          strategy: view,
          tokenEndpoint: endpoint,
          secretKey,
          now: Date.now(),
          gatewayUrl: gatewayUrl.trim() || undefined,
        });
        const target = options.target
          ? typeof options.target === 'string'
            ? vscode.Uri.file(options.target)
            : options.target
          : await this.defaultTarget(strategy);
        let uri: vscode.Uri;
        const refusal = target && readOnlyRefusal(target, vscode.l10n.t('The validation requests'));
        if (refusal) throw new Error(refusal);
        if (target) {
          await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
          uri = target;
        } else {
          uri = (await vscode.workspace.openTextDocument({ language: 'http', content: text })).uri;
        }
        if (options.open !== false) await vscode.window.showTextDocument(uri, { preview: false });
        this.deps.log.info(
          `wrote validation requests for strategy "${strategy.name}" to ${uri.toString()} (token endpoint from ${endpoint.source})`,
        );
        return uri;
      },
    );
  }

  private async defaultTarget(strategy: AppAuthStrategy): Promise<vscode.Uri | undefined> {
    const ws = vscode.workspace.workspaceFolders?.[0];
    // no folder, or a read-only one (a virtual workspace's): the requests open as an untitled file instead
    if (!ws || vscode.workspace.fs.isWritableFileSystem(ws.uri.scheme) === false) return undefined;
    const base = strategy.name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'strategy';
    const dir = vscode.Uri.joinPath(ws.uri, 'requests');
    await vscode.workspace.fs.createDirectory(dir);
    for (let i = 1; ; i++) {
      const uri = vscode.Uri.joinPath(dir, `${base}${i > 1 ? `-${i}` : ''}.http`);
      if ((await readText(uri)) === undefined) return uri;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // after a run: explain, copy, history

  private lastFor(uri?: vscode.Uri | string, line?: number): LastRun | undefined {
    if (uri === undefined) {
      const ed = vscode.window.activeTextEditor;
      if (ed && (ed.document.languageId === 'http' || /\.(http|rest)$/.test(ed.document.fileName)))
        return this.lastFor(ed.document.uri, ed.selection.active.line);
      return [...this.last.values()].pop();
    }
    const u = typeof uri === 'string' ? vscode.Uri.parse(uri) : uri;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === u.toString());
    const req = doc && line !== undefined ? requestAt(this.deps.parses.get(doc), line) : undefined;
    if (req) return this.last.get(`${u.toString()}#${req.index}`);
    return [...this.last.values()].filter((l) => l.uri.toString() === u.toString()).pop();
  }

  /** The view model (redacted) of the last run of that request, else of the last run; nothing is shown or sent. */
  lastRun(uri?: vscode.Uri | string, line?: number): ResponseViewModel | undefined {
    return this.lastFor(uri, line)?.model;
  }

  /** Show (and return) the explanation of the last run of that request. */
  explain(uri?: vscode.Uri | string, line?: number): Explanation | undefined {
    const l = this.lastFor(uri, line);
    if (!l) throw new Error(vscode.l10n.t('Send the request first: Explain looks at its answer'));
    this.panel.show(l.model, false);
    if (!l.result.explanation)
      this.deps.prompts.notify(
        'info',
        vscode.l10n.t('Konnect DCR: nothing to explain (HTTP {0}).', l.result.response?.status ?? '—'),
      );
    return l.result.explanation;
  }

  async copyAsCurl(uri?: vscode.Uri | string, line?: number, withSecrets = false): Promise<string> {
    const l = this.lastFor(uri, line);
    if (!l?.result.sent)
      throw new Error(vscode.l10n.t('Send the request first: the curl command is made from what was sent'));
    const text = toCurl(l.result.sent, withSecrets ? {} : { redactor: this.deps.redactor });
    await vscode.env.clipboard.writeText(text);
    this.deps.prompts.notify(
      'info',
      withSecrets
        ? vscode.l10n.t('Konnect DCR: curl command copied WITH its secrets and tokens.')
        : vscode.l10n.t('Konnect DCR: curl command copied (secrets redacted).'),
    );
    return withSecrets ? '(copied with secrets)' : text;
  }

  async copyAccessToken(uri?: vscode.Uri | string, line?: number): Promise<boolean> {
    const l = this.lastFor(uri, line);
    const t = l?.result.tokens.find((x) => x.source === 'response.access_token') ?? l?.result.tokens[0];
    if (!t) throw new Error(vscode.l10n.t('The last answer has no access token'));
    await vscode.env.clipboard.writeText(t.raw);
    this.deps.prompts.notify('info', vscode.l10n.t('Konnect DCR: access token copied (it is a secret).'));
    return true;
  }

  async showHistory(): Promise<HistoryEntry[]> {
    const entries = this.history.list();
    const pick = await this.deps.prompts.pick(
      'runner.history',
      entries.map((e) => ({
        label: `${e.status ?? '✗'} ${e.method} ${e.url}`,
        description:
          e.totalMs !== undefined
            ? vscode.l10n.t('{0} ms · {1}', Math.round(e.totalMs), new Date(e.at).toLocaleString())
            : new Date(e.at).toLocaleString(),
        detail: `${e.file}:${e.line + 1}${e.checks ? ` · ${e.checks}` : ''}${e.error ? ` · ${e.error}` : ''}`,
        entry: e,
      })),
      {
        title: vscode.l10n.t('Konnect DCR: last runs (pick one to copy its curl command, secrets redacted)'),
        matchOnDescription: true,
        matchOnDetail: true,
      },
    );
    if (pick) {
      await vscode.env.clipboard.writeText(pick.entry.curl);
      this.deps.prompts.notify('info', vscode.l10n.t('Konnect DCR: curl command copied (secrets redacted).'));
    }
    return entries;
  }

  /** Reopen the response view of the last run; returns its model and the text shown on its request line. */
  showLastResponse(): { model: ResponseViewModel; lineStatus: string | undefined; panelVisible: boolean } | undefined {
    const l = [...this.last.values()].pop();
    if (!l) throw new Error(vscode.l10n.t('Nothing was sent yet'));
    this.panel.show(l.model, false);
    return { model: l.model, lineStatus: this.lineStatus(l.uri, l.model.line), panelVisible: this.panel.visible };
  }

  async clearHistory(): Promise<void> {
    await this.history.clear();
  }

  private async onPanelCommand(c: ResponseCommand): Promise<void> {
    const model = this.panel.model;
    if (!model) return;
    const uri = [...this.last.values()].find((l) => l.model === model)?.uri;
    switch (c.method) {
      case 'response/copyCurl':
        await this.copyAsCurl(uri, model.line);
        break;
      case 'response/copyCurlWithSecrets':
        await this.copyAsCurl(uri, model.line, true);
        break;
      case 'response/copyToken':
        await this.copyAccessToken(uri, model.line);
        break;
      case 'response/resend':
        if (uri) await this.send(uri, model.line);
        break;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // view model, decorations

  private viewModel(doc: vscode.TextDocument, req: ParsedRequest, r: RunResult): ResponseViewModel {
    const red = (s: string): string => this.deps.redactor.redact(s);
    const res = r.response;
    let body = res?.body ?? '';
    let bodyKind: ResponseViewModel['bodyKind'] = res ? 'text' : 'none';
    if ((res && /json/i.test(String(res.headers['content-type'] ?? ''))) || /^\s*[{[]/.test(body)) {
      try {
        body = JSON.stringify(JSON.parse(body), null, 2);
        bodyKind = 'json';
      } catch {
        /* keep as text */
      }
    }
    const headers: [string, string][] = res
      ? Object.entries(res.headers).flatMap(([k, v]) =>
          v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x) => [k, red(x)] as [string, string]),
        )
      : [];
    const url = red(r.sent?.url ?? req.url);
    let shortUrl = url;
    try {
      shortUrl = new URL(url).pathname;
    } catch {
      /* unresolved */
    }
    return {
      title: `${req.name ?? `#${req.index + 1}`} · ${req.method} ${shortUrl}`,
      file: vscode.workspace.asRelativePath(doc.uri),
      line: req.requestLine,
      at: new Date(r.startedAt).toLocaleTimeString(),
      request: {
        method: r.sent?.method ?? req.method,
        url,
        headers: (r.sent?.headers ?? []).map(([k, v]) => [k, red(v)] as [string, string]),
        ...(r.sent?.body !== undefined ? { body: red(r.sent.body) } : {}),
      },
      ...(res
        ? {
            status: res.status,
            statusText: res.statusText,
            bytes: res.bytes,
            timings: { ...stripUndefined(res.timings) },
          }
        : {}),
      ...(r.error ? { error: red(r.error.message) } : {}),
      headers,
      body: red(body),
      bodyKind,
      tokens: r.tokens.map((t) => {
        const p = t.decoded?.payload;
        const exp = typeof p?.['exp'] === 'number' ? p['exp'] * 1000 : undefined;
        const iat = typeof p?.['iat'] === 'number' ? p['iat'] * 1000 : undefined;
        return {
          source: t.source,
          jwt: !!t.decoded,
          ...(t.decoded ? { header: { ...t.decoded.header }, payload: { ...t.decoded.payload } } : {}),
          ...(exp !== undefined ? { expires: formatLocalTime(exp) } : {}),
          ...(iat !== undefined ? { issuedAt: formatLocalTime(iat) } : {}),
          ...(t.checks
            ? { checks: t.checks.map((c) => ({ label: c.label, status: c.status, reason: c.reason })) }
            : {}),
        };
      }),
      ...(req.strategy
        ? {
            strategy: {
              ref: req.strategy,
              ...(r.strategy?.name ? { name: r.strategy.name } : {}),
              ...(r.strategy ? { issuer: r.strategy.issuer } : {}),
              ...(r.strategyError ? { error: r.strategyError } : {}),
            },
          }
        : {}),
      ...(checkSummary(r) ? { checkSummary: checkSummary(r)! } : {}),
      ...(r.explanation
        ? {
            explanation: {
              summary: red(r.explanation.summary),
              findings: r.explanation.findings.map((f) => ({ ...f, text: red(f.text) })),
            },
          }
        : {}),
    };
  }

  private hasDecorations(uri: vscode.Uri): boolean {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    return !!doc && this.deps.parses.get(doc).requests.some((r) => this.deps.state.status(uri, r.index));
  }

  private redecorate(uri: vscode.Uri): void {
    for (const ed of vscode.window.visibleTextEditors) {
      if (ed.document.uri.toString() !== uri.toString()) continue;
      const file = this.deps.parses.get(ed.document);
      const opts: vscode.DecorationOptions[] = [];
      for (const r of file.requests) {
        const s = this.deps.state.status(uri, r.index);
        if (!s || r.requestLine >= ed.document.lineCount) continue;
        const end = ed.document.lineAt(r.requestLine).range.end;
        opts.push({
          range: new vscode.Range(end, end),
          renderOptions: {
            after: {
              contentText: s.text,
              color: new vscode.ThemeColor(s.ok ? 'testing.iconPassed' : 'errorForeground'),
            },
          },
        });
      }
      ed.setDecorations(this.decoration, opts);
    }
  }

  /** The decoration text on a request line (tests). */
  lineStatus(uri: vscode.Uri, line: number): string | undefined {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const req = doc ? requestAt(this.deps.parses.get(doc), line) : undefined;
    return req ? this.deps.state.status(uri, req.index)?.text : undefined;
  }

  // ---------------------------------------------------------------------------------------------------------------

  private async document(uri?: vscode.Uri | string): Promise<vscode.TextDocument> {
    if (uri === undefined) {
      const ed = vscode.window.activeTextEditor;
      if (!ed) throw new Error(vscode.l10n.t('Open a .http file first'));
      return ed.document;
    }
    return vscode.workspace.openTextDocument(
      typeof uri === 'string' ? (uri.includes('://') ? vscode.Uri.parse(uri) : vscode.Uri.file(uri)) : uri,
    );
  }

  private async locate(
    uri?: vscode.Uri | string,
    line?: number,
  ): Promise<{ doc: vscode.TextDocument; req: ParsedRequest }> {
    const doc = await this.document(uri);
    const at =
      line ??
      (vscode.window.activeTextEditor?.document === doc ? vscode.window.activeTextEditor.selection.active.line : 0);
    const file = this.deps.parses.get(doc);
    const req = requestAt(file, at) ?? file.requests.find((r) => r.requestLine >= at);
    if (!req) throw new Error(vscode.l10n.t('No request at line {0} of {1}', at + 1, path.basename(doc.fileName)));
    return { doc, req };
  }

  dispose(): void {
    this.deps.state.cancel();
    this.panel.dispose();
    this.decoration.dispose();
    for (const s of this.subs.splice(0)) s.dispose();
  }
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

function firstLine(s: string): string {
  const l = s.split('\n')[0] ?? s;
  return l.length > 120 ? `${l.slice(0, 117)}…` : l;
}

function stripUndefined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}
