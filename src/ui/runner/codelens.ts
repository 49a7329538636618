import * as vscode from 'vscode';
import { parseRequestFile, type ParsedFile } from '../../core/requests/parser';
import { RunnerCommands } from './ids';
import type { RunnerState } from './state';

/** Parses (and caches per document version) with the pure core parser. */
export class ParseCache {
  private readonly cache = new Map<string, { version: number; file: ParsedFile }>();
  get(doc: vscode.TextDocument): ParsedFile {
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version) return hit.file;
    const file = parseRequestFile(doc.getText());
    this.cache.set(key, { version: doc.version, file });
    return file;
  }
  forget(uri: vscode.Uri): void {
    this.cache.delete(uri.toString());
  }
}

/**
 * "Send" above each request, "Send all" at the top, "Cancel" while a request runs, "Explain" after a 401/403.
 * A thin adapter: requests and ranges come from the core parser; lens arguments are `(uri, line)`.
 */
export class RequestCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly parses: ParseCache,
    private readonly state: RunnerState,
  ) {
    // only running-state and result changes need new lenses; edits re-query by themselves
    // and trust: Restricted Mode shows what Send would do without a Send (README "Restricted Mode")
    this.sub = vscode.Disposable.from(
      state.onDidChange(() => this.changed.fire()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
    );
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const file = this.parses.get(doc);
    const lenses: vscode.CodeLens[] = [];
    const runnable = file.requests.filter((r) => r.method);
    const trusted = vscode.workspace.isTrusted;
    if (runnable.length > 1 && trusted) {
      const top = new vscode.Range(0, 0, 0, 0);
      lenses.push(
        this.state.anyRunning(doc.uri)
          ? new vscode.CodeLens(top, {
              title: vscode.l10n.t('$(debug-stop) Cancel all'),
              command: RunnerCommands.cancel,
              arguments: [doc.uri],
            })
          : new vscode.CodeLens(top, {
              title: vscode.l10n.t('$(run-all) Send all'),
              tooltip: vscode.l10n.t('Send every request of this file, in order'),
              command: RunnerCommands.sendAll,
              arguments: [doc.uri],
            }),
      );
    }
    for (const r of file.requests) {
      const range = new vscode.Range(r.requestLine, 0, r.requestLine, 0);
      if (this.state.isRunning(doc.uri, r.index)) {
        lenses.push(
          new vscode.CodeLens(range, {
            title: vscode.l10n.t('$(loading~spin) Sending… Cancel'),
            command: RunnerCommands.cancel,
            arguments: [doc.uri, r.requestLine],
          }),
        );
        continue;
      }
      if (!trusted) {
        lenses.push(
          new vscode.CodeLens(range, {
            title: vscode.l10n.t('$(workspace-untrusted) Restricted Mode: trust the workspace to send'),
            tooltip: vscode.l10n.t('Sending would send what this file of an untrusted workspace says to a server.'),
            command: 'workbench.trust.manage',
          }),
        );
        continue;
      }
      if (r.blocking.length) {
        lenses.push(
          new vscode.CodeLens(range, {
            title: vscode.l10n.t('$(error) Cannot send: see Problems'),
            tooltip: r.blocking.map((d) => d.message).join('\n'),
            command: '',
          }),
        );
        continue;
      }
      lenses.push(
        new vscode.CodeLens(range, {
          title: vscode.l10n.t('$(play) Send'),
          tooltip: r.name
            ? vscode.l10n.t('Send {0} "{1}" (Ctrl+Alt+Enter)', r.method, r.name)
            : vscode.l10n.t('Send {0} request (Ctrl+Alt+Enter)', r.method),
          command: RunnerCommands.send,
          arguments: [doc.uri, r.requestLine],
        }),
      );
      const s = this.state.status(doc.uri, r.index);
      if (s?.explainable)
        lenses.push(
          new vscode.CodeLens(range, {
            title: vscode.l10n.t('$(question) Explain'),
            tooltip: vscode.l10n.t('Why was this refused?'),
            command: RunnerCommands.explain,
            arguments: [doc.uri, r.requestLine],
          }),
        );
      if (s)
        lenses.push(
          new vscode.CodeLens(range, {
            title: vscode.l10n.t('$(copy) Copy as curl'),
            command: RunnerCommands.copyAsCurl,
            arguments: [doc.uri, r.requestLine],
          }),
        );
    }
    return lenses;
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
