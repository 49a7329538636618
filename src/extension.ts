import * as vscode from 'vscode';
import { Redactor } from './core/util/redact';
import { registerCommands } from './ui/commands/index';
import { ChannelLogger } from './ui/platform/logger';
import { ContextKeys, Views } from './ui/platform/ids';

/** What activate() returns: used by the integration tests and the benchmark, not a public API. */
export interface KonnectDcrApi {
  readonly activatedAt: number;
}

/** Composition root: build the core, wire the thin VS Code adapters, hand every disposable to the context. */
export function activate(context: vscode.ExtensionContext): KonnectDcrApi {
  const channel = vscode.window.createOutputChannel('Konnect DCR', { log: true });
  const redactor = new Redactor();
  const log = new ChannelLogger(channel, redactor);
  context.subscriptions.push(channel, ...registerCommands({ log, channel }));

  const empty: vscode.TreeDataProvider<never> = { getTreeItem: (e) => e, getChildren: () => [] };
  for (const id of [Views.providers, Views.strategies, Views.identity]) {
    context.subscriptions.push(vscode.window.registerTreeDataProvider(id, empty));
  }
  void vscode.commands.executeCommand('setContext', ContextKeys.signedIn, false);
  log.info(`activated (VS Code ${vscode.version})`);
  return { activatedAt: Date.now() };
}

export function deactivate(): void {}
