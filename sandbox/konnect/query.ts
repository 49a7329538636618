/** List endpoints: `page[size]`/`page[number]`, `sort`, and `filter[field][op]` parsing, with Konnect-shaped 400s. */
import { badRequest } from './http';
import type { InvalidParameter } from './openapi';

export type FilterOp = 'eq' | 'neq' | 'contains' | 'ocontains' | 'oeq' | 'lt' | 'lte' | 'gt' | 'gte';
export const STRING_OPS: readonly FilterOp[] = ['eq', 'contains', 'ocontains', 'oeq', 'neq'];
export const UUID_OPS: readonly FilterOp[] = ['eq', 'oeq', 'neq'];
export const LEGACY_OPS: readonly FilterOp[] = ['eq', 'contains'];
export const EQ_OPS: readonly FilterOp[] = ['eq'];
export const DATE_OPS: readonly FilterOp[] = ['eq', 'lt', 'lte', 'gt', 'gte'];

type Value = string | number | boolean | null | undefined;

export interface FilterField<T> {
  ops: readonly FilterOp[];
  /** One value, or several (labels, arrays): the filter matches when any of them does. */
  get: (item: T) => Value | Value[];
  /** `filter[x]=v` (no operator) is allowed as an alias of `eq` (default true). */
  shorthand?: boolean;
}

export interface ListOptions {
  defaultPageSize: number;
  maxPageSize: number;
}

export interface Page<T> {
  data: T[];
  meta: { page: { number: number; size: number; total: number } };
}

const FILTER_KEY = /^filter\[([^\]]+)\](?:\[([^\]]+)\])?$/;

function asList(v: Value | Value[]): string[] {
  const arr = Array.isArray(v) ? v : [v];
  return arr.filter((x) => x !== undefined && x !== null).map((x) => String(x));
}

function matches(op: FilterOp, actual: string[], wanted: string): boolean {
  const lower = actual.map((a) => a.toLowerCase());
  switch (op) {
    case 'eq':
      return actual.includes(wanted);
    case 'neq':
      return !actual.includes(wanted);
    case 'contains':
      return lower.some((a) => a.includes(wanted.toLowerCase()));
    case 'ocontains':
      return wanted.split(',').some((w) => lower.some((a) => a.includes(w.trim().toLowerCase())));
    case 'oeq':
      return wanted.split(',').some((w) => actual.includes(w.trim()));
    case 'lt':
      return actual.some((a) => a < wanted);
    case 'lte':
      return actual.some((a) => a <= wanted);
    case 'gt':
      return actual.some((a) => a > wanted);
    case 'gte':
      return actual.some((a) => a >= wanted);
  }
}

/** Builds the predicate for the `filter[...]` query parameters; unknown fields/operators are 400 `unknown_property`. */
export function filterPredicate<T>(
  query: URLSearchParams,
  fields: Record<string, FilterField<T>>,
): (item: T) => boolean {
  const tests: ((item: T) => boolean)[] = [];
  const invalid: InvalidParameter[] = [];
  for (const [key, value] of query) {
    if (!key.startsWith('filter')) continue;
    const m = FILTER_KEY.exec(key);
    const name = m?.[1];
    const field = name !== undefined ? fields[name] : undefined;
    if (!m || name === undefined || !field) {
      invalid.push({ field: key, rule: 'unknown_property', reason: `"${key}" is not allowed`, source: 'query' });
      continue;
    }
    const op = (m[2] ?? (field.shorthand === false ? undefined : 'eq')) as FilterOp | undefined;
    if (op === undefined || !field.ops.includes(op)) {
      invalid.push({ field: key, rule: 'unknown_property', reason: `"${key}" is not allowed`, source: 'query' });
      continue;
    }
    tests.push((item) => matches(op, asList(field.get(item)), value));
  }
  if (invalid.length) throw badRequest(invalid);
  return (item) => tests.every((t) => t(item));
}

function intParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw.trim())) {
    throw badRequest([{ field: name, rule: 'is_number', reason: `"${name}" must be a number`, source: 'query' }]);
  }
  const n = Number(raw);
  if (n < 1)
    throw badRequest([
      { field: name, rule: 'min', minimum: 1, reason: `"${name}" must be greater than or equal to 1`, source: 'query' },
    ]);
  return n;
}

/** Applies `page[size]` (clamped to the maximum) and `page[number]` (1-based); beyond the end gives an empty page. */
export function paginate<T>(items: readonly T[], query: URLSearchParams, opts: ListOptions): Page<T> {
  const size = Math.min(intParam(query, 'page[size]') ?? opts.defaultPageSize, opts.maxPageSize);
  const number = intParam(query, 'page[number]') ?? 1;
  const start = (number - 1) * size;
  return { data: items.slice(start, start + size), meta: { page: { number, size, total: items.length } } };
}

/**
 * `sort=name`, `sort=name desc`, `sort=-name`, `sort=name asc,created_at desc`. Unknown attributes are 400 `enum`
 * with the allowed choices, as in the Portal Management spec's examples. The result may be shared with later calls:
 * read it, never change it.
 */
export function sortItems<T>(
  items: T[],
  query: URLSearchParams,
  fields: Record<string, (item: T) => Value>,
): readonly T[] {
  const raw = query.get('sort');
  if (raw === null || raw.trim() === '') return items;
  const keys = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((part) => {
      let desc = false,
        name = part;
      const m = /^(\S+)\s+(asc|desc)$/i.exec(part);
      if (m) {
        name = m[1] ?? part;
        desc = (m[2] ?? '').toLowerCase() === 'desc';
      }
      if (name.startsWith('-')) {
        desc = true;
        name = name.slice(1);
      }
      const get = fields[name];
      if (!get) {
        const choices = Object.keys(fields);
        throw badRequest([
          { field: 'sort', rule: 'enum', choices, reason: `must be one of [${choices.join(', ')}]`, source: 'query' },
        ]);
      }
      return { get, desc };
    });
  const cmp = (a: Value, b: Value): number => {
    if (a === b) return 0;
    if (a === undefined || a === null) return 1;
    if (b === undefined || b === null) return -1;
    return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
  };
  // A client reading a long list asks for the same order once per page: 200 pages of a 20,000-item list sorted 200
  // times with localeCompare was most of the time a tree load spent in the emulator. The order of the last requests
  // is kept and reused only for the same items (same objects, same order in) with the same sort values: one pass
  // over the list per page, no sort.
  const cacheKey = `${Object.keys(fields).join(',')}\n${raw}`;
  const entries = sortCache.get(cacheKey) ?? [];
  const same = (e: SortCacheEntry): boolean => {
    if (e.input.length !== items.length) return false;
    for (let i = 0; i < items.length; i++) {
      const x = items[i]!;
      if (e.input[i] !== x) return false;
      for (let j = 0; j < keys.length; j++) if (e.values[i * keys.length + j] !== keys[j]!.get(x)) return false;
    }
    return true;
  };
  const hit = entries.find(same);
  if (hit) return hit.output as readonly T[];
  const values: Value[] = [];
  for (const x of items) for (const k of keys) values.push(k.get(x));
  const sorted = [...items].sort((x, y) => {
    for (const k of keys) {
      const c = cmp(k.get(x), k.get(y));
      if (c !== 0) return k.desc ? -c : c;
    }
    return 0;
  });
  sortCache.delete(cacheKey);
  sortCache.set(cacheKey, [{ input: items, values, output: sorted }, ...entries].slice(0, SORT_CACHE_PER_KEY));
  for (const k of sortCache.keys()) {
    if (sortCache.size <= SORT_CACHE_KEYS) break;
    sortCache.delete(k);
  }
  return sorted;
}

interface SortCacheEntry {
  readonly input: readonly unknown[];
  readonly values: readonly Value[];
  readonly output: readonly unknown[];
}
/** Recent sorts, per sort expression and field set: the items sorted, their sort values, the order (see sortItems). */
const sortCache = new Map<string, SortCacheEntry[]>();
const SORT_CACHE_PER_KEY = 4;
const SORT_CACHE_KEYS = 32;

/** filter -> sort -> paginate. */
export function list<T, R>(
  items: Iterable<T>,
  query: URLSearchParams,
  opts: ListOptions,
  spec: {
    filters?: Record<string, FilterField<T>>;
    sorts?: Record<string, (item: T) => Value>;
    view: (item: T) => R;
  },
): Page<R> {
  const pred = filterPredicate(query, spec.filters ?? {});
  const filtered = [...items].filter(pred);
  const sorted = sortItems(filtered, query, spec.sorts ?? {});
  const page = paginate(sorted, query, opts);
  return { data: page.data.map(spec.view), meta: page.meta };
}

/** `labels` as filterable values: `key` and `key:value`. */
export function labelValues(labels: Record<string, string> | undefined): string[] {
  return Object.entries(labels ?? {}).flatMap(([k, v]) => [k, `${k}:${v}`, `${k}=${v}`]);
}
