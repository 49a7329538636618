/** Small AbortSignal helpers shared by the core (no DOM, no vscode). */

/** An Error named `AbortError`: the VS Code error boundary treats that name as a silent cancellation. */
export function abortError(reason?: unknown, message = 'The operation was cancelled.'): Error {
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const err = new Error(message, reason === undefined ? undefined : { cause: reason });
  err.name = 'AbortError';
  return err;
}

export function isAbortError(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

export interface LinkedAbort {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
  /** Stop listening to the parents (call in `finally`, or listeners pile up on long-lived signals). */
  dispose(): void;
}

/** A controller that also aborts when any of `parents` aborts. */
export function linkAbort(...parents: (AbortSignal | undefined)[]): LinkedAbort {
  const ctrl = new AbortController();
  const unlinks: (() => void)[] = [];
  for (const parent of parents) {
    if (!parent) continue;
    if (parent.aborted) {
      ctrl.abort(parent.reason);
      break;
    }
    const onAbort = (): void => ctrl.abort(parent.reason);
    parent.addEventListener('abort', onAbort, { once: true });
    unlinks.push(() => parent.removeEventListener('abort', onAbort));
  }
  return {
    signal: ctrl.signal,
    abort: (reason) => ctrl.abort(reason),
    dispose: () => {
      for (const u of unlinks.splice(0)) u();
    },
  };
}
