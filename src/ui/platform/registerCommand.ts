import * as vscode from 'vscode';
import { shellHost } from './host';

/** Every command handler is registered through here, so the activation shell's proxies reach it once main is loaded. */
export function registerCommand(id: string, fn: (...args: never[]) => unknown): vscode.Disposable {
  const host = shellHost();
  return host
    ? host.registerCommand(id, fn)
    : vscode.commands.registerCommand(id, fn as (...args: unknown[]) => unknown);
}
