/**
 * An `HttpTransport` for the extension's own core client that checks, on the client's side, every request it sends
 * and every answer it gets against the Konnect OpenAPI specs (the operation exists, the JSON body matches its request
 * schema, the status is declared, the answer matches its response schema, errors are problem+json), independently
 * of the emulator's own checks. Each (operation, status) seen goes into the contract tests' shared `coverage`.
 */
import {
  createUndiciTransport,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
} from '../../../src/core/api/index';
import { specs } from '../../konnect/openapi';
import { coverage } from './spec-client';

export interface SpecCheckedTransport extends HttpTransport {
  /** What did not match, one line each (should stay empty). */
  readonly violations: string[];
  /** `${spec}:${operationId} ${status}` of every exchange, in order. */
  readonly seen: string[];
}

export function specCheckedTransport(): SpecCheckedTransport {
  const inner = createUndiciTransport();
  const violations: string[] = [];
  const seen: string[] = [];
  return {
    violations,
    seen,
    async send(req: HttpRequest): Promise<HttpResponse> {
      const path = req.url.pathname;
      const found = path.startsWith('/_sandbox') ? undefined : specs().findOperation(req.method, path);
      if (!path.startsWith('/_sandbox') && !found)
        violations.push(`${req.method} ${path}: not an operation of the specs`);
      if (found && req.body !== undefined) {
        const r = specs().validateRequest(found.op, JSON.parse(req.body) as unknown);
        if (!r.ok) violations.push(`${req.method} ${path}: request body: ${r.message}`);
      }
      const res = await inner.send(req);
      if (found) {
        const label = `${found.op.spec}:${found.op.operationId} ${res.status}`;
        seen.push(label);
        coverage.add(label);
        const ct = typeof res.headers['content-type'] === 'string' ? res.headers['content-type'] : undefined;
        let body: unknown = undefined;
        if (res.body) {
          try {
            body = JSON.parse(res.body);
          } catch {
            body = res.body;
          }
        }
        const check = specs().validateResponse(found.op, res.status, body, ct);
        if (!check.declared) violations.push(`${req.method} ${path} -> ${res.status}: status not declared`);
        else if (!check.ok) violations.push(`${req.method} ${path} -> ${res.status}: answer: ${check.message}`);
        if (res.status >= 400 && res.body && !/application\/problem\+json/.test(ct ?? ''))
          violations.push(`${req.method} ${path} -> ${res.status}: an error that is not application/problem+json`);
      }
      return res;
    },
    close: () => inner.close(),
  };
}
