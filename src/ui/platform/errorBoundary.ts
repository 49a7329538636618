import * as vscode from 'vscode';
import type { Logger } from '../../core/util/logger';
import { classify, describeError, isCancellationLike } from './errors';
import { Commands } from './ids';
import type { Prompts } from './prompts';

export { describeError };

/**
 * Wraps every command handler: logs the full error (stack included) and shows one short actionable toast
 * ("Sign In…" for a refused token, "Show Log" always). Cancellation is silent. Returns the handler's result
 * (`undefined` after an error), so tests and other commands can use it. Never waits for the toast.
 */
export function guard<A extends unknown[], R>(
  log: Logger,
  prompts: Prompts,
  name: string,
  fn: (...args: A) => R | Promise<R>,
): (...args: A) => Promise<R | undefined> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (err) {
      if (isCancellation(err)) {
        log.debug(`${name}: cancelled`);
        return undefined;
      }
      log.error(`${name} failed:`, err);
      const c = classify(err);
      const showLog = vscode.l10n.t('Show Log');
      const items = c.kind === 'auth' ? [vscode.l10n.t('Sign In…'), showLog] : [showLog];
      prompts.notify(
        'error',
        vscode.l10n.t('Konnect DCR: {0}', c.kind === 'other' ? describeError(err) : c.message),
        items,
        (choice) => vscode.commands.executeCommand(choice === showLog ? Commands.showLog : Commands.signIn),
      );
      return undefined;
    }
  };
}

export function isCancellation(err: unknown): boolean {
  return err instanceof vscode.CancellationError || isCancellationLike(err);
}

/** The single bridge from VS Code's CancellationToken to the core's AbortSignal. */
export function toAbortSignal(token: vscode.CancellationToken | undefined): AbortSignal {
  const ctrl = new AbortController();
  if (!token) return ctrl.signal;
  if (token.isCancellationRequested) ctrl.abort();
  else token.onCancellationRequested(() => ctrl.abort());
  return ctrl.signal;
}
