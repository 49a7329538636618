/**
 * A tiny HTTP client for contract tests: every request body it sends and every response it gets is checked against
 * the Konnect OpenAPI specs, and every (operation, status) it sees is recorded in `coverage`.
 */
import assert from 'node:assert/strict';
import { specs } from '../../konnect/openapi';

/** Response bodies are validated against the spec schemas first, then read freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type Json = any;

export interface CallOptions {
  body?: unknown;
  /** Sent verbatim (no request validation), e.g. broken JSON. */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Send the bearer token / portal cookie (default true). */
  auth?: boolean;
  /** The body is meant to be invalid: assert the spec validator rejects it too (instead of accepting it). */
  invalidRequest?: boolean;
  /** Assert this status. */
  expect?: number;
  /** Accept a status the spec does not declare for the operation (the body must still be a BaseError). */
  allowUndeclared?: boolean;
}

export interface CallResult {
  status: number;
  body: Json;
  headers: Headers;
  text: string;
}

/** `${operationId} ${status}` for every answer seen, across all contract test files. */
export const coverage = new Set<string>();

export class SpecClient {
  cookie: string | undefined;

  constructor(
    readonly base: string,
    private readonly bearer: string | undefined,
  ) {}

  /** A client for another base URL (a portal's Portal API) sharing nothing but the checks. */
  static portal(base: string): SpecClient {
    return new SpecClient(base, undefined);
  }

  async call(method: string, path: string, opts: CallOptions = {}): Promise<CallResult> {
    const m = method.toUpperCase();
    const pathOnly = path.split('?')[0] ?? path;
    const control = pathOnly.startsWith('/_sandbox');
    const found = control ? undefined : specs().findOperation(m, pathOnly);
    if (!control) assert.ok(found, `${m} ${pathOnly} is not an operation of the Konnect specs`);

    if (found && opts.rawBody === undefined && (opts.body !== undefined || opts.invalidRequest)) {
      const r = specs().validateRequest(found.op, opts.body);
      if (opts.invalidRequest)
        assert.ok(
          !r.ok,
          `${m} ${path}: the spec validator accepts a body this test sends as invalid: ${JSON.stringify(opts.body)}`,
        );
      else assert.ok(r.ok, `${m} ${path}: request body does not match the spec: ${r.message}`);
    }

    const headers: Record<string, string> = { accept: 'application/json', ...(opts.headers ?? {}) };
    const auth = opts.auth ?? true;
    if (auth && this.bearer) headers['authorization'] = `Bearer ${this.bearer}`;
    if (auth && this.cookie) headers['cookie'] = this.cookie;
    let payload: string | undefined;
    if (opts.rawBody !== undefined) payload = opts.rawBody;
    else if (opts.body !== undefined) payload = JSON.stringify(opts.body);
    if (payload !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';

    const init: RequestInit = { method: m, headers };
    if (payload !== undefined) init.body = payload;
    const res = await fetch(this.base + path, init);
    const text = await res.text();
    let body: Json = undefined;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }

    if (found) {
      coverage.add(`${found.op.spec}:${found.op.operationId} ${res.status}`);
      const ct = res.headers.get('content-type') ?? undefined;
      const check = specs().validateResponse(found.op, res.status, body, ct);
      if (!check.declared && !opts.allowUndeclared)
        assert.fail(
          `${m} ${path} -> ${res.status}: status not declared by the spec (${found.op.template}); body ${text.slice(0, 500)}`,
        );
      assert.ok(
        check.ok,
        `${m} ${path} -> ${res.status}: response does not match the spec: ${check.message}\nbody: ${text.slice(0, 1500)}`,
      );
      // an error with a body is problem+json; a bodiless one is what its spec declares (the control plane config 404)
      if (res.status >= 400 && text !== '') {
        assert.match(
          ct ?? '',
          /application\/problem\+json/,
          `${m} ${path} -> ${res.status}: errors are application/problem+json`,
        );
        assert.match(String(body?.instance), /^kong:trace:\d+$/, 'problem instance is kong:trace:<digits>');
      }
    }
    if (opts.expect !== undefined)
      assert.equal(
        res.status,
        opts.expect,
        `${m} ${path}: expected ${opts.expect}, got ${res.status}: ${text.slice(0, 1500)}`,
      );
    return { status: res.status, body, headers: res.headers, text };
  }

  get(path: string, opts?: CallOptions): Promise<CallResult> {
    return this.call('GET', path, opts);
  }
  post(path: string, body?: unknown, opts?: CallOptions): Promise<CallResult> {
    return this.call('POST', path, { ...opts, ...(body === undefined ? {} : { body }) });
  }
  put(path: string, body?: unknown, opts?: CallOptions): Promise<CallResult> {
    return this.call('PUT', path, { ...opts, ...(body === undefined ? {} : { body }) });
  }
  patch(path: string, body?: unknown, opts?: CallOptions): Promise<CallResult> {
    return this.call('PATCH', path, { ...opts, ...(body === undefined ? {} : { body }) });
  }
  delete(path: string, opts?: CallOptions): Promise<CallResult> {
    return this.call('DELETE', path, opts);
  }
}

/** Fails listing the operations of `ids` (operationIds, `spec:` prefixed) never answered with a status in `statuses`. */
export function assertCovered(expected: string[]): void {
  const missing = expected.filter((e) => {
    const [op, status] = e.split(' ');
    return ![...coverage].some((c) => c.startsWith(`${op ?? ''} `) && (status === undefined || c === e));
  });
  assert.deepEqual(missing, [], `operations / statuses never exercised: ${missing.join(', ')}`);
}
