/** Polls `condition` until it holds (never a fixed sleep). Rejects with `message` after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  options: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 5000);
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline)
      throw new Error(`waitFor: ${options.message ?? 'condition not met'} within ${options.timeoutMs ?? 5000} ms`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 5));
  }
}

/** Resolves with what `promise` rejects with; fails if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject, but it resolved');
}
