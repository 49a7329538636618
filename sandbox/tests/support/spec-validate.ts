/**
 * Validate HTTP traffic against the Konnect OpenAPI specs (sandbox/spec), with ajv.
 *
 *   validateAgainstSpec('GET', '/v2/dcr-providers/{dcrProviderId}', 200, body)   // response: status + schema
 *   validateRequestAgainstSpec('POST', '/v2/dcr-providers', body)                // request body
 *
 * Paths may be templates or concrete paths (`/v2/dcr-providers/5f9f...`); they carry the server prefix (`/v1`,
 * `/v2`, `/v3`, or `/api/v3` for the Portal API). Pass `{ spec: 'bridge' }` for the HTTP DCR bridge contract.
 * Meant for the emulator's contract tests and, later, for the extension's own Konnect client requests.
 */
import type {
  InvalidParameter,
  Operation,
  ResponseValidationResult,
  SpecName,
  ValidationResult,
} from '../../konnect/openapi';
import { specs } from '../../konnect/openapi';

export interface SpecCheckOptions {
  spec?: SpecName;
  /** Response content type (picks `application/json` vs `application/problem+json` when both are declared). */
  contentType?: string;
}

export function findOperation(method: string, path: string, spec?: SpecName): Operation {
  const found = specs().findOperation(method, path, spec);
  if (!found) throw new Error(`no operation in the Konnect specs for ${method.toUpperCase()} ${path}`);
  return found.op;
}

/** Response check: the status must be declared for the operation and the body must match its schema. */
export function validateAgainstSpec(
  method: string,
  path: string,
  status: number,
  body: unknown,
  opts: SpecCheckOptions = {},
): ResponseValidationResult {
  return specs().validateResponse(findOperation(method, path, opts.spec), status, body, opts.contentType);
}

/** Request body check (a missing body is invalid when the operation requires one). */
export function validateRequestAgainstSpec(
  method: string,
  path: string,
  body: unknown,
  opts: SpecCheckOptions = {},
): ValidationResult {
  return specs().validateRequest(findOperation(method, path, opts.spec), body);
}

/** Throws an assertion-style error unless the response matches the spec (declared status + schema). */
export function assertResponseMatchesSpec(
  method: string,
  path: string,
  status: number,
  body: unknown,
  opts: SpecCheckOptions = {},
): void {
  const r = validateAgainstSpec(method, path, status, body, opts);
  if (!r.declared)
    throw new Error(`${method} ${path}: status ${status} is not declared by the spec (${r.operation.template})`);
  if (!r.ok)
    throw new Error(
      `${method} ${path} -> ${status}: response does not match the spec: ${r.message}\nbody: ${JSON.stringify(body).slice(0, 2000)}`,
    );
}

export function assertRequestMatchesSpec(
  method: string,
  path: string,
  body: unknown,
  opts: SpecCheckOptions = {},
): void {
  const r = validateRequestAgainstSpec(method, path, body, opts);
  if (!r.ok) throw new Error(`${method} ${path}: request body does not match the spec: ${r.message}`);
}

export type { InvalidParameter };

/** A `components.examples` value from one of the copied specs (deep copy), e.g. `specExample('aas', 'DcrProviderOktaCreateRequest')`. */
export function specExample(spec: SpecName, name: string): Record<string, unknown> {
  const doc = specs().specs.get(spec)?.original;
  const components = doc?.['components'];
  const examples =
    typeof components === 'object' && components !== null && !Array.isArray(components)
      ? components['examples']
      : undefined;
  const ex = typeof examples === 'object' && examples !== null && !Array.isArray(examples) ? examples[name] : undefined;
  const value = typeof ex === 'object' && ex !== null && !Array.isArray(ex) ? ex['value'] : undefined;
  if (value === undefined) throw new Error(`no example ${name} in spec ${spec}`);
  return structuredClone(value) as Record<string, unknown>;
}
