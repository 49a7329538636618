/**
 * Turns any error into what the UI says about it: one plain sentence, and which way out to offer. Duck-typed on the
 * core's `KonnectError` (`kind`, `status`, `code`, `userMessage`) so that this module loads without the core client.
 */
import * as vscode from 'vscode';

export type ErrorKind = 'auth' | 'forbidden' | 'offline' | 'tls' | 'timeout' | 'notFound' | 'cancelled' | 'other';

export interface Classified {
  readonly kind: ErrorKind;
  /** A few words, for a tree node's label ("The token was refused (401)"). */
  readonly headline: string;
  /** One line, no stack: what happened and what to do. */
  readonly message: string;
  /** The way out: sign in again, or try again. */
  readonly action: 'signIn' | 'retry';
}

interface Shape {
  name?: unknown;
  message?: unknown;
  userMessage?: unknown;
  kind?: unknown;
  status?: unknown;
  code?: unknown;
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}

/** A short, human message for a toast: never a stack. Errors may carry a `userMessage`. */
export function describeError(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as Shape;
    if (typeof e.userMessage === 'string') return firstLine(e.userMessage);
    if (typeof e.message === 'string') return firstLine(e.message) || vscode.l10n.t('Unexpected error');
  }
  return firstLine(String(err));
}

export function isCancellationLike(err: unknown): boolean {
  return (
    !!err && typeof err === 'object' && ((err as Shape).name === 'AbortError' || (err as Shape).name === 'Canceled')
  );
}

export function classify(err: unknown, host?: string): Classified {
  const e = (err && typeof err === 'object' ? err : {}) as Shape;
  const code = typeof e.code === 'string' ? ` (${e.code})` : '';
  const where = host ?? 'Konnect';
  if (isCancellationLike(err))
    return {
      kind: 'cancelled',
      headline: vscode.l10n.t('Loading was cancelled'),
      message: vscode.l10n.t('Loading was cancelled.'),
      action: 'retry',
    };
  if (e.kind === 'api' && e.status === 401) {
    return {
      kind: 'auth',
      headline: vscode.l10n.t('The token was refused (401 Unauthorized)'),
      message: vscode.l10n.t(
        'The token was refused by {0} (401 Unauthorized): it may be expired, revoked or meant for another region. Sign in again.',
        where,
      ),
      action: 'signIn',
    };
  }
  if (e.kind === 'api' && e.status === 403) {
    return {
      kind: 'forbidden',
      headline: vscode.l10n.t('Not allowed (403 Forbidden)'),
      message: vscode.l10n.t(
        'The token may not read this (403 Forbidden): ask an org admin for a Konnect role that can (e.g. DCR Provider Creator, Auth Strategy Creator).',
      ),
      action: 'signIn',
    };
  }
  if (e.kind === 'api' && e.status === 404)
    return {
      kind: 'notFound',
      headline: vscode.l10n.t('Not found (404)'),
      message: describeError(err),
      action: 'retry',
    };
  if (e.kind === 'offline' || e.kind === 'unreachable') {
    const why =
      e.kind === 'offline'
        ? vscode.l10n.t('the name does not resolve or the network is down')
        : vscode.l10n.t('nothing answers there');
    return {
      kind: 'offline',
      headline: vscode.l10n.t('Offline: cannot reach {0}', where),
      message: vscode.l10n.t('Offline: cannot reach {0}, {1}{2}.', where, why, code),
      action: 'retry',
    };
  }
  if (e.kind === 'tls') {
    return {
      kind: 'tls',
      headline: vscode.l10n.t('TLS certificate of {0} refused', where),
      message: vscode.l10n.t(
        'The TLS certificate of {0} was refused{1}. Behind a TLS-inspecting proxy, set "Konnect DCR: Ca File" to its CA bundle.',
        where,
        code,
      ),
      action: 'retry',
    };
  }
  if (e.kind === 'timeout')
    return {
      kind: 'timeout',
      headline: vscode.l10n.t('{0} did not answer in time', where),
      message: vscode.l10n.t('{0} did not answer in time{1}.', where, code),
      action: 'retry',
    };
  const message = describeError(err);
  return {
    kind: 'other',
    headline: message.length > 60 ? `${message.slice(0, 57)}…` : message,
    message,
    action: 'retry',
  };
}
