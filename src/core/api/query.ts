/**
 * List query parameters (docs/konnect-api.md §1.3/§1.4): `page[size]`, `page[number]`, `sort`, and
 * `filter[field][op]=value`. Brackets are sent literally (as in Konnect's docs); values are percent-encoded.
 */

export type FilterOperator = 'eq' | 'neq' | 'contains' | 'ocontains' | 'oeq' | 'lt' | 'lte' | 'gt' | 'gte';
type Scalar = string | number | boolean;
/**
 * A condition on one field: a bare value (`filter[name]=x`, exact match) or operators
 * (`{ contains: 'x' }` → `filter[name][contains]=x`; arrays for `oeq`/`ocontains` are joined with commas).
 */
export type FilterCondition = Scalar | { readonly [op in FilterOperator]?: Scalar | readonly Scalar[] };
export type Filter<F extends string = string> = { readonly [field in F]?: FilterCondition };

/** A sort attribute, optionally suffixed ` asc` / ` desc`; several are joined with commas. */
export type SortKey<S extends string = string> = S | `${S} asc` | `${S} desc`;
export type Sort<S extends string = string> = SortKey<S> | readonly SortKey<S>[];

export interface ListQuery<F extends string = string, S extends string = string> {
  /** `page[size]`. Konnect documents no default or maximum; the examples use 10. */
  pageSize?: number | undefined;
  /** `page[number]`, from 1. */
  pageNumber?: number | undefined;
  filter?: Filter<F> | undefined;
  sort?: Sort<S> | undefined;
}

export type QueryValue = string | number | boolean | undefined;
/** Extra query parameters for a raw request: name → value (undefined values are skipped). */
export type QueryParams = Readonly<Record<string, QueryValue>>;

/** `{ pageSize: 10, filter: { name: { contains: 'x' } }, sort: 'name' }` → ordered `[name, value]` pairs. */
export function listQueryParams(query: ListQuery | undefined): [string, string][] {
  const out: [string, string][] = [];
  if (!query) return out;
  if (query.pageSize !== undefined) out.push(['page[size]', String(checkPositiveInt(query.pageSize, 'pageSize'))]);
  if (query.pageNumber !== undefined)
    out.push(['page[number]', String(checkPositiveInt(query.pageNumber, 'pageNumber'))]);
  if (query.sort !== undefined) {
    const keys = typeof query.sort === 'string' ? [query.sort] : [...(query.sort as readonly string[])];
    if (keys.length) out.push(['sort', keys.join(',')]);
  }
  for (const [field, cond] of Object.entries(query.filter ?? {}) as [string, FilterCondition | undefined][]) {
    if (cond === undefined) continue;
    if (typeof cond !== 'object') {
      out.push([`filter[${field}]`, String(cond)]);
      continue;
    }
    for (const [op, value] of Object.entries(cond) as [string, Scalar | readonly Scalar[] | undefined][]) {
      if (value === undefined) continue;
      out.push([`filter[${field}][${op}]`, Array.isArray(value) ? value.map(String).join(',') : String(value)]);
    }
  }
  return out;
}

function checkPositiveInt(n: number, name: string): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a positive integer, not ${n}`);
  return n;
}

/** Encodes pairs into a query string (with a leading `?`, or `''`). Keys keep their brackets. */
export function encodeQuery(pairs: readonly (readonly [string, string])[]): string {
  if (!pairs.length) return '';
  const enc = (s: string): string => encodeURIComponent(s).replace(/%5B/gi, '[').replace(/%5D/gi, ']');
  return `?${pairs.map(([k, v]) => `${enc(k)}=${encodeURIComponent(v)}`).join('&')}`;
}

/** A path segment from an id: encoded, never empty. */
export function seg(id: string): string {
  if (typeof id !== 'string' || !id) throw new TypeError('An id is required');
  return encodeURIComponent(id);
}
