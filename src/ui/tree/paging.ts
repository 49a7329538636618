/**
 * Loads every page of a Konnect list with bounded concurrency: page 1 tells the total, the rest are fetched by a
 * few workers sharing one limiter, in any order, and put back in page order. Stops at `cap` items.
 * Plain TypeScript (no vscode): the model uses it for all its lists.
 */
import type { Page } from '../../core/model/common';

/** At most `n` tasks at a time across everyone holding this limiter. */
export class Limiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly n: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.n) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

export interface Loaded<T> {
  readonly items: T[];
  /** What Konnect says the list holds (`meta.page.total`). */
  readonly total: number;
  /** True when `cap` stopped the load before `total`. */
  readonly truncated: boolean;
  readonly pages: number;
}

export interface LoadAllOptions<T = unknown> {
  readonly pageSize: number;
  /** Stop after this many items (a "Load more" node offers the rest). */
  readonly cap: number;
  readonly limiter: Limiter;
  readonly signal: AbortSignal;
  /**
   * Called once page 1 is in when more pages follow, with page 1's items and the list's total, before any other page
   * is asked for: what lets a view show its first screen while the rest is still loading.
   */
  readonly onFirstPage?: ((items: readonly T[], total: number) => void) | undefined;
  /** Start at this page (default 1): "Load more" goes on after the pages it has; `cap` counts from there. */
  readonly startPage?: number | undefined;
}

export async function loadAllPages<T extends { id: string }>(
  listPage: (pageNumber: number, pageSize: number, signal: AbortSignal) => Promise<Page<T>>,
  opts: LoadAllOptions<T>,
): Promise<Loaded<T>> {
  const start = Math.max(1, Math.floor(opts.startPage ?? 1));
  const first = await opts.limiter.run(() => listPage(start, opts.pageSize, opts.signal));
  const total = first.meta.page.total;
  // Konnect may clamp the page size: the answer's size is the one the page numbers count in.
  const size = first.meta.page.size > 0 ? Math.min(first.meta.page.size, opts.pageSize) : opts.pageSize;
  const before = (start - 1) * size;
  const wanted = Math.min(Math.max(0, total - before), opts.cap);
  const pageCount = Math.max(1, Math.ceil(wanted / size));
  const pages: T[][] = [first.data];
  if (pageCount > 1 && first.data.length > 0) {
    opts.onFirstPage?.(first.data.slice(0, opts.cap), total);
    const ctrl = new AbortController();
    const onAbort = (): void => ctrl.abort(opts.signal.reason);
    opts.signal.addEventListener('abort', onAbort, { once: true });
    try {
      await Promise.all(
        Array.from({ length: pageCount - 1 }, (_v, i) => i + 1).map((i) =>
          opts.limiter
            .run(async () => {
              if (ctrl.signal.aborted) return;
              pages[i] = (await listPage(start + i, opts.pageSize, ctrl.signal)).data;
            })
            .catch((err: unknown) => {
              ctrl.abort(err);
              throw err;
            }),
        ),
      );
    } finally {
      opts.signal.removeEventListener('abort', onAbort);
    }
  }
  const seen = new Set<string>();
  const items: T[] = [];
  for (const page of pages) {
    for (const item of page ?? []) {
      if (seen.has(item.id) || items.length >= opts.cap) continue;
      seen.add(item.id);
      items.push(item);
    }
  }
  return { items, total, truncated: total - before > items.length && items.length >= opts.cap, pages: pageCount };
}
