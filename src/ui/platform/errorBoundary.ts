import * as vscode from 'vscode';
import type { Logger } from '../../core/util/logger';
import { Commands } from './ids';

/** A short, human message for a toast: never a stack. Errors may carry a `userMessage`. */
export function describeError(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { userMessage?: unknown; message?: unknown };
    if (typeof e.userMessage === 'string') return e.userMessage;
    if (typeof e.message === 'string') return e.message.split('\n')[0] ?? 'Unexpected error';
  }
  return String(err);
}

/**
 * Wraps every command handler: logs the full error (stack included) and shows one short actionable toast
 * with "Show Log". Cancellation is silent.
 */
export function guard<A extends unknown[]>(log: Logger, name: string, fn: (...args: A) => unknown): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      if (isCancellation(err)) { log.debug(`${name}: cancelled`); return; }
      log.error(`${name} failed:`, err);
      const choice = await vscode.window.showErrorMessage(`Konnect DCR: ${describeError(err)}`, 'Show Log');
      if (choice === 'Show Log') await vscode.commands.executeCommand(Commands.showLog);
    }
  };
}

export function isCancellation(err: unknown): boolean {
  return err instanceof vscode.CancellationError || (err instanceof Error && err.name === 'AbortError');
}

/** The single bridge from VS Code's CancellationToken to the core's AbortSignal. */
export function toAbortSignal(token: vscode.CancellationToken | undefined): AbortSignal {
  const ctrl = new AbortController();
  if (!token) return ctrl.signal;
  if (token.isCancellationRequested) ctrl.abort();
  else token.onCancellationRequested(() => ctrl.abort());
  return ctrl.signal;
}
