// loadAllPages (src/ui/tree/paging.ts, no vscode): every page up to a cap, page 1 as a first screen, and — what
// "Load more" relies on — going on from a later page with the cap counted from there.
import * as assert from 'node:assert/strict';
import { Limiter, loadAllPages } from '../../../src/ui/tree/paging';

/** A list of `total` items served 100 a page; records the page numbers asked for. */
function served(total: number): {
  asked: number[];
  listPage: (
    n: number,
    size: number,
  ) => Promise<{ data: { id: string }[]; meta: { page: { number: number; size: number; total: number } } }>;
} {
  const asked: number[] = [];
  return {
    asked,
    listPage: (n, size) => {
      asked.push(n);
      const data = Array.from({ length: Math.max(0, Math.min(size, total - (n - 1) * size)) }, (_v, i) => ({
        id: `item-${(n - 1) * size + i}`,
      }));
      return Promise.resolve({ data, meta: { page: { number: n, size, total } } });
    },
  };
}

describe('loadAllPages', () => {
  const opts = { pageSize: 100, limiter: new Limiter(6), signal: new AbortController().signal };

  it('stops at the cap and says so; page 1 is the first screen', async () => {
    const s = served(1050);
    let firstScreen: number | undefined;
    const r = await loadAllPages(s.listPage, {
      ...opts,
      cap: 500,
      onFirstPage: (items) => (firstScreen = items.length),
    });
    assert.equal(r.items.length, 500);
    assert.equal(r.total, 1050);
    assert.equal(r.truncated, true);
    assert.equal(firstScreen, 100);
    assert.deepEqual(
      [...s.asked].sort((a, b) => a - b),
      [1, 2, 3, 4, 5],
    );
  });

  it('goes on from a later page: the cap counts from there, and only the pages that exist are asked for', async () => {
    const s = served(1050);
    const r = await loadAllPages(s.listPage, { ...opts, cap: 1000, startPage: 6 });
    assert.deepEqual(
      [...s.asked].sort((a, b) => a - b),
      [6, 7, 8, 9, 10, 11],
    );
    assert.equal(r.items.length, 550);
    assert.equal(r.items[0]!.id, 'item-500');
    assert.equal(r.items.at(-1)!.id, 'item-1049');
    assert.equal(r.truncated, false, 'the rest of the list is in');
    const capped = await loadAllPages(served(1050).listPage, { ...opts, cap: 200, startPage: 6 });
    assert.deepEqual([capped.items.length, capped.truncated], [200, true]);
  });
});
