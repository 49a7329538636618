/**
 * A paginated list endpoint: one page (`list`), an async iterator over pages (`pages`), and `listAll` with a
 * max-items guard. Pagination follows docs/konnect-api.md §1.3: `page[size]`/`page[number]` in, `meta.page.total` out.
 */
import type * as z from 'zod';
import type { Page } from '../model/common';
import type { CallOptions, RestEngine } from './engine';
import { KonnectLimitError } from './errors';
import { listQueryParams, type ListQuery, type QueryParams } from './query';

/** Page size used by `pages()` and `listAll()` when the query sets none. */
export const DEFAULT_PAGE_SIZE = 100;
/** `listAll()` refuses lists longer than this unless told otherwise. */
export const DEFAULT_MAX_ITEMS = 1000;

export interface ListAllOptions extends CallOptions {
  /** Fail with `KonnectLimitError` rather than load more than this many items (default 1000). */
  maxItems?: number | undefined;
}

/** A page query for `pages()`/`listAll()` (they manage `pageNumber` themselves, from `pageNumber` or 1). */
export type PagesQuery<F extends string, S extends string> = ListQuery<F, S>;

export class Collection<T, F extends string = string, S extends string = string> {
  constructor(
    private readonly engine: RestEngine,
    private readonly path: string,
    private readonly schema: z.ZodType<Page<T>>,
    /** Fixed extra parameters (e.g. a parent filter). */
    private readonly fixed: QueryParams = {},
  ) {}

  /** One page, exactly as asked (no defaults: Konnect picks the page size if none is given). */
  list(query?: ListQuery<F, S>, opts?: CallOptions): Promise<Page<T>> {
    const pairs = listQueryParams(query);
    for (const [k, v] of Object.entries(this.fixed)) if (v !== undefined) pairs.push([k, String(v)]);
    return this.engine.json({ method: 'GET', path: this.path, query: pairs }, this.schema, opts);
  }

  /**
   * Every page from `query.pageNumber` (default 1), `query.pageSize` (default 100) items each. Stops at
   * `meta.page.total`, at an empty page, or after 10 000 pages whatever the server claims.
   */
  async *pages(query: PagesQuery<F, S> = {}, opts?: CallOptions): AsyncGenerator<Page<T>, void, undefined> {
    const size = query.pageSize ?? DEFAULT_PAGE_SIZE;
    const first = query.pageNumber ?? 1;
    const offset = (first - 1) * size;
    let seen = 0;
    for (let n = first; n < first + 10_000; n++) {
      const page = await this.list({ ...query, pageSize: size, pageNumber: n }, opts);
      yield page;
      seen += page.data.length;
      if (page.data.length === 0 || offset + seen >= page.meta.page.total) return;
    }
  }

  /** All items, page by page; throws `KonnectLimitError` when the total exceeds `maxItems`. */
  async listAll(query: PagesQuery<F, S> = {}, opts: ListAllOptions = {}): Promise<T[]> {
    const maxItems = opts.maxItems ?? DEFAULT_MAX_ITEMS;
    const items: T[] = [];
    const site = { method: 'GET', path: this.path, host: new URL(this.engine.baseUrl).host };
    for await (const page of this.pages(query, opts)) {
      if (page.meta.page.total > maxItems) throw new KonnectLimitError(page.meta.page.total, maxItems, site);
      items.push(...page.data);
      if (items.length > maxItems) throw new KonnectLimitError(items.length, maxItems, site);
    }
    return items;
  }
}
