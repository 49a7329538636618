/**
 * Problems on every config file: open ones as they are edited (debounced), closed ones found in the workspace at
 * start-up and kept up to date by a file watcher. The core analyzer (yaml + zod) is loaded on the first config file,
 * never at activation. Refs defined in other config files of the same folder count (kongctl loads folders as one set).
 */
import * as vscode from 'vscode';
import type { Analysis, ConfigDiagnostic, ConfigFix, DefinedRef, RefKind } from '../../core/config/index';
import type { ChannelLogger } from '../platform/logger';
import { isWorkspaceFile } from '../platform/workspaceFiles';
import { configGlobs, isConfigDocument } from './files';
import { CONFIG_FILES_SETTING, DIAGNOSTIC_SOURCE } from './ids';
import { secretFileBase } from './secretFiles';

/** The config core (yaml, zod, analyzer, plan/apply/pull), loaded on the first config file or command. */
export function loadConfigCore(): typeof import('../../core/config/index') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: required on first use (README "Bundles")
  return require('../../core/config/index');
}

const SEVERITY: Record<ConfigDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

interface Entry {
  readonly version: number | undefined;
  readonly analysis: Analysis;
  readonly items: readonly { readonly diagnostic: vscode.Diagnostic; readonly source: ConfigDiagnostic }[];
  /** Problems of `!file` secrets (the file system's answer, not the text's): Plan and Apply refuse while there are some. */
  readonly secretFiles: readonly string[];
}

const dirOf = (uri: vscode.Uri): string => uri.with({ path: uri.path.replace(/\/[^/]*$/, '') || '/' }).toString();
const baseName = (uri: vscode.Uri): string => uri.path.slice(uri.path.lastIndexOf('/') + 1);

export class ConfigDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('konnect-dcr-config');
  private readonly entries = new Map<string, Entry>();
  private readonly refs = new Map<string, { dir: string; refs: readonly DefinedRef[] }>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly updated = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after a file's problems were published (tests wait on it). */
  readonly onDidUpdate = this.updated.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private watchers: vscode.FileSystemWatcher[] = [];
  private globs = configGlobs();

  constructor(
    private readonly log: ChannelLogger,
    private readonly debounceMs = 250,
  ) {
    this.subscriptions.push(
      this.collection,
      this.updated,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.schedule(e.document);
      }),
      vscode.workspace.onDidSaveTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        // a closed file of the workspace keeps its problems (re-read from disk; the watcher keeps them current);
        // one outside the workspace is not watched, so its problems go with its editor
        if (isConfigDocument(d, this.globs) && isWorkspaceFile(d.uri) && vscode.workspace.getWorkspaceFolder(d.uri))
          this.analyzeInBackground(d.uri);
        else this.forget(d.uri);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(CONFIG_FILES_SETTING)) return;
        this.globs = configGlobs();
        this.collection.clear();
        this.entries.clear();
        this.refs.clear();
        this.start();
      }),
    );
    this.start();
  }

  /** Open documents now, closed files in the background, and the watcher. */
  private start(): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
    for (const w of this.watchers.splice(0)) w.dispose();
    // one watcher and one search per glob: globs may not nest brace groups, so they are not combined
    for (const glob of this.globs) {
      const w = vscode.workspace.createFileSystemWatcher(glob);
      w.onDidCreate((u) => this.analyzeInBackground(u));
      w.onDidChange((u) => this.analyzeInBackground(u));
      w.onDidDelete((u) => this.forget(u));
      this.watchers.push(w);
      void Promise.resolve(vscode.workspace.findFiles(glob, '**/node_modules/**', 500))
        .then(async (uris) => {
          for (const u of uris) await this.analyzeFile(u);
        })
        .then(undefined, (err: unknown) => this.log.warn(`scanning the workspace for ${glob} failed:`, err));
    }
  }

  private isOpen(uri: vscode.Uri): vscode.TextDocument | undefined {
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  }

  schedule(doc: vscode.TextDocument, delay = this.debounceMs): void {
    if (!isConfigDocument(doc, this.globs)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.analyzeDocument(doc).then(undefined, (err: unknown) =>
          this.log.error(`analyzing ${baseName(doc.uri)} failed:`, err),
        );
      }, delay),
    );
  }

  /** Analyzes an open document now and publishes its problems. */
  async analyzeDocument(doc: vscode.TextDocument): Promise<Analysis> {
    const cached = this.entries.get(doc.uri.toString());
    if (cached && cached.version === doc.version && !doc.isClosed) return cached.analysis;
    return this.publish(doc.uri, doc.getText(), doc.isClosed ? undefined : doc.version);
  }

  /** Analyzes a file on disk (unless it is open: the editor's text wins) and publishes its problems. */
  async analyzeFile(uri: vscode.Uri): Promise<Analysis | undefined> {
    const open = this.isOpen(uri);
    if (open) return this.analyzeDocument(open);
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      this.forget(uri);
      return undefined;
    }
    return this.publish(uri, text, undefined);
  }

  /** A file's analysis nobody waits for (a watcher event, a closed editor, a sibling's refs changed): a failure is logged. */
  private analyzeInBackground(uri: vscode.Uri): void {
    void this.analyzeFile(uri).then(undefined, (err: unknown) =>
      this.log.error(`analyzing ${baseName(uri)} failed:`, err),
    );
  }

  /** The latest analysis of a text (for commands): analyzes it if needed. */
  async analysisOf(uri: vscode.Uri, text: string, version: number | undefined): Promise<Analysis> {
    const cached = this.entries.get(uri.toString());
    if (cached && version !== undefined && cached.version === version) return cached.analysis;
    return this.publish(uri, text, version);
  }

  private externalRefs(uri: vscode.Uri): Map<string, RefKind> {
    const dir = dirOf(uri);
    const out = new Map<string, RefKind>();
    for (const [k, v] of this.refs)
      if (k !== uri.toString() && v.dir === dir) for (const r of v.refs) out.set(r.ref, r.kind);
    return out;
  }

  /** Sibling files' refs, with names (so that a plan can find them in Konnect). */
  siblingRefs(uri: vscode.Uri): DefinedRef[] {
    const dir = dirOf(uri);
    return [...this.refs].filter(([k, v]) => k !== uri.toString() && v.dir === dir).flatMap(([, v]) => [...v.refs]);
  }

  private async publish(uri: vscode.Uri, text: string, version: number | undefined): Promise<Analysis> {
    const c = loadConfigCore();
    const analysis = c.analyzeConfig(text, { fileName: baseName(uri), externalRefs: this.externalRefs(uri) });
    const items = analysis.diagnostics.map((d) => {
      const diagnostic = new vscode.Diagnostic(
        new vscode.Range(d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character),
        d.message,
        SEVERITY[d.severity],
      );
      diagnostic.source = DIAGNOSTIC_SOURCE;
      diagnostic.code = d.code;
      return { diagnostic, source: d };
    });
    const secretFiles: string[] = [];
    for (const ref of analysis.model ? c.fileSecrets(analysis.model) : []) {
      const base = secretFileBase(uri);
      const problem =
        typeof base === 'string'
          ? base
          : await c.locateSecretFile(ref.spec, base.dir, base.root).then(
              () => undefined,
              (err: unknown) => (err instanceof Error ? err.message : String(err)),
            );
      if (!problem) continue;
      const r = analysis.doc.valueRange(ref.at);
      const diagnostic = new vscode.Diagnostic(
        new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character),
        vscode.l10n.t('{0}: {1}', ref.field, problem),
        vscode.DiagnosticSeverity.Error,
      );
      diagnostic.source = DIAGNOSTIC_SOURCE;
      diagnostic.code = 'secret-file';
      items.push({
        diagnostic,
        source: { code: 'secret-file', severity: 'error', message: diagnostic.message, range: r, path: ref.at },
      });
      secretFiles.push(`${ref.provider}: ${diagnostic.message}`);
    }
    const key = uri.toString();
    // the file checks took a moment: a newer text of the same document may have been published meanwhile
    const newer = this.entries.get(key)?.version;
    if (secretFiles.length && version !== undefined && newer !== undefined && newer > version) return analysis;
    this.entries.set(key, { version, analysis, items, secretFiles });
    this.collection.set(
      uri,
      items.map((i) => i.diagnostic),
    );
    // refs changed: the siblings' dangling-ref checks may change too
    const before = JSON.stringify(this.refs.get(key)?.refs.map((r) => [r.ref, r.kind]) ?? []);
    this.refs.set(key, { dir: dirOf(uri), refs: analysis.refs });
    if (JSON.stringify(analysis.refs.map((r) => [r.ref, r.kind])) !== before) this.recheckSiblings(uri);
    this.updated.fire(uri);
    return analysis;
  }

  private recheckSiblings(uri: vscode.Uri): void {
    const dir = dirOf(uri);
    for (const [k, v] of this.refs) {
      if (k === uri.toString() || v.dir !== dir) continue;
      const sibling = vscode.Uri.parse(k);
      const open = this.isOpen(sibling);
      if (open) this.schedule(open);
      else this.analyzeInBackground(sibling);
    }
  }

  forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.entries.delete(key);
    if (this.refs.delete(key)) this.recheckSiblings(uri);
    this.collection.delete(uri);
  }

  /** The quick fix behind a published diagnostic, if the analysis is still the document's. */
  fixFor(doc: vscode.TextDocument, d: vscode.Diagnostic): { fix: ConfigFix; analysis: Analysis } | undefined {
    const e = this.entries.get(doc.uri.toString());
    if (!e || (e.version !== undefined && e.version !== doc.version)) return undefined;
    const item = e.items.find(
      (i) =>
        i.diagnostic === d ||
        (i.diagnostic.code === d.code && i.diagnostic.range.isEqual(d.range) && i.diagnostic.message === d.message),
    );
    return item?.source.fix ? { fix: item.source.fix, analysis: e.analysis } : undefined;
  }

  /** The `!file` secret problems of a file's latest analysis (Plan and Apply refuse while there are some). */
  secretFileProblems(uri: vscode.Uri): readonly string[] {
    return this.entries.get(uri.toString())?.secretFiles ?? [];
  }

  /** The config files known (open or on disk), for pickers. */
  knownFiles(): vscode.Uri[] {
    return [...this.entries.keys()].map((k) => vscode.Uri.parse(k));
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const w of this.watchers) w.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
