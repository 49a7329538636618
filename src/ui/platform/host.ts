import type * as vscode from 'vscode';
import type { KonnectAuthProvider } from '../auth/accounts';
import type { ConnectionStore } from '../auth/connections';

/**
 * What the activation shell (src/extension.ts, dist/extension.js) hands to the lazily loaded main part
 * (src/main.ts, dist/main.js): the parts that must exist before main is loaded (command ids, tree views, the
 * connection list behind the welcome views and the status bar) so that main plugs into them instead of creating its own.
 */
export interface ShellHost {
  /** Routes a command id the manifest contributes to `fn` (the shell registered the id already); any other id is registered normally. */
  registerCommand(id: string, fn: (...args: never[]) => unknown): vscode.Disposable;
  /** The shell's TreeView for a contributed view id, now backed by `provider`. */
  bindTreeView<T>(viewId: string, provider: vscode.TreeDataProvider<T>): vscode.TreeView<T>;
  readonly connections: ConnectionStore;
  /** The Accounts-menu view of the connections (registered by the shell). */
  readonly accounts: KonnectAuthProvider;
  /** The context keys the shell set (signed in, several connections), as last set. */
  contextKeys(): Record<string, unknown>;
  /** The Testing view's controller and run profile (created by the shell), now backed by what `make` builds on it. */
  bindTests<B extends TestsBackend>(
    make: (controller: vscode.TestController) => B,
  ): { backend: B; controller: vscode.TestController; profile: vscode.TestRunProfile };
  /** Backs a contributed language-model tool; the shell registered its name (when this VS Code has `lm.registerTool`). */
  bindTool(name: string, tool: vscode.LanguageModelTool<object>): vscode.Disposable;
}

/** What main does for the shell's test controller: its resolve handler, run profile and refresh button. */
export interface TestsBackend {
  resolve(item: vscode.TestItem | undefined): Promise<void>;
  run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void>;
  refresh(): Promise<void>;
}

let host: ShellHost | undefined;

/** Set once by main.start(); unset in unit tests, where command registration falls through to VS Code directly. */
export function useShellHost(h: ShellHost | undefined): void {
  host = h;
}

export function shellHost(): ShellHost | undefined {
  return host;
}
