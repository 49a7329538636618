/**
 * The Konnect OpenAPI 3.0.3 specs (copied under sandbox/spec/) turned into ajv validators.
 *
 * One `SpecSet` loads every spec once per process. It answers three questions:
 *   - which operation does `METHOD /full/path` hit (templates carry the server prefix: `/v2/dcr-providers/{id}`)
 *   - is this request body valid for that operation (request mode)
 *   - is this response body valid for that operation and status (response mode)
 *
 * OpenAPI 3.0 is not JSON Schema, so each spec is converted before ajv sees it:
 *   - `nullable: true` becomes a `null` member of `type` (or `anyOf [..., {type: null}]` when there is no `type`)
 *   - `discriminator` + `oneOf` becomes `if/then` per tag value. Ajv's own `discriminator: true` refuses `mapping`,
 *     which these specs use everywhere; the if/then form gives the same semantics and one precise error per field.
 *   - `readOnly` properties are not required in requests, `writeOnly` ones are not required in responses
 *   - `format: url` (not a JSON Schema format) means "an absolute http(s) URL"; ajv-formats' `url` regex refuses
 *     loopback and private addresses, which the sandbox lives on. Unknown formats (`path`, `selected`, ...) pass.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';

export type SpecName = 'aas' | 'ki' | 'cat' | 'pm3' | 'papi' | 'cpc' | 'bridge';
export type Mode = 'request' | 'response';

/** File name under sandbox/spec and whether the spec is part of what the emulator serves. */
export const SPEC_FILES: Record<SpecName, { file: string; served: boolean }> = {
  aas: { file: 'application-auth-strategies.v2.openapi.yaml', served: true },
  ki: { file: 'kong-identity.v1.openapi.yaml', served: true },
  cat: { file: 'api-builder.v3.openapi.yaml', served: true },
  pm3: { file: 'portal-management.v3.openapi.yaml', served: true },
  papi: { file: 'dev-portal.v3.openapi.yaml', served: true },
  cpc: { file: 'control-planes-config.v2.openapi.yaml', served: true },
  bridge: { file: 'dcr-http-bridge.openapi.yaml', served: false },
};

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

export interface Operation {
  spec: SpecName;
  method: string;
  /** Full path template including the server prefix, e.g. `/v2/dcr-providers/{dcrProviderId}`. */
  template: string;
  operationId: string;
  /** JSON pointer (in the spec document) of the operation object. */
  pointer: string;
  regex: RegExp;
  params: string[];
  /** Literal segment count, used to prefer `/apis/validate-specification` over `/apis/{apiId}`. */
  literals: number;
}

export interface InvalidParameter {
  field: string;
  rule?: string | null;
  reason: string;
  source?: string;
  minimum?: number;
  maximum?: number;
  choices?: unknown[];
  dependents?: unknown[];
}

export interface ValidationResult {
  ok: boolean;
  /** ajv's raw errors (already filtered), empty when ok. */
  errors: ErrorObject[];
  /** The same errors as Konnect `invalid_parameters`. */
  invalidParameters: InvalidParameter[];
  /** Human-readable summary for assertion messages. */
  message: string;
}

export interface ResponseValidationResult extends ValidationResult {
  /** false when the spec declares no response for this status (then BaseError is used for >= 400). */
  declared: boolean;
  operation: Operation;
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];
const isObj = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const esc = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');
const unesc = (s: string): string => s.replace(/~1/g, '/').replace(/~0/g, '~');

/** Finds sandbox/spec from wherever this file runs (src tree via ts tooling, or out/ after esbuild). */
export function specDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'sandbox', 'spec');
    if (existsSync(join(candidate, SPEC_FILES.aas.file))) return candidate;
    const sibling = join(dir, 'spec');
    if (existsSync(join(sibling, SPEC_FILES.aas.file))) return sibling;
    dir = dirname(dir);
  }
  throw new Error(`sandbox/spec not found above ${__dirname}`);
}

function pointerGet(doc: Json, pointer: string): Json | undefined {
  let cur: Json | undefined = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const part = unesc(raw);
    if (Array.isArray(cur)) cur = cur[Number(part)];
    else if (isObj(cur)) cur = cur[part];
    else return undefined;
  }
  return cur;
}

/** Follows `$ref` chains (local refs only) and returns the final node and its pointer. */
function deref(doc: Json, node: Json | undefined, pointer: string): { node: Json | undefined; pointer: string } {
  let cur = node,
    ptr = pointer;
  for (let i = 0; i < 20 && isObj(cur) && typeof cur['$ref'] === 'string'; i++) {
    const ref: string = cur['$ref'];
    if (!ref.startsWith('#/')) break;
    ptr = ref.slice(1);
    cur = pointerGet(doc, ptr);
  }
  return { node: cur, pointer: ptr };
}

function clone<T extends Json>(v: T): T {
  return structuredClone(v);
}

/** Converts one spec document (a deep clone) into JSON Schema for the given mode. */
function convertDocument(original: JsonObject, mode: Mode, unknownFormats: Set<string>): JsonObject {
  const doc = clone(original);
  const flag = mode === 'request' ? 'readOnly' : 'writeOnly';

  /** Is the (possibly $ref'd, possibly allOf-wrapped) property schema marked readOnly/writeOnly in the original? */
  const marked = (prop: Json | undefined, depth = 0): boolean => {
    if (!isObj(prop) || depth > 10) return false;
    if (prop[flag] === true) return true;
    if (typeof prop['$ref'] === 'string' && prop['$ref'].startsWith('#/'))
      return marked(pointerGet(original, prop['$ref'].slice(1)), depth + 1);
    const all = prop['allOf'];
    return Array.isArray(all) && all.length === 1 && marked(all[0], depth + 1);
  };

  /** The tag values a oneOf branch accepts, from its (resolved) `properties[tag]` enum/const. */
  const branchValues = (branch: Json, tag: string, depth = 0): string[] => {
    if (!isObj(branch) || depth > 10) return [];
    if (typeof branch['$ref'] === 'string')
      return branchValues(pointerGet(original, branch['$ref'].slice(1)) ?? null, tag, depth + 1);
    const props = branch['properties'];
    const p = isObj(props) ? props[tag] : undefined;
    if (isObj(p)) {
      if (typeof p['const'] === 'string') return [p['const']];
      const en = p['enum'];
      if (Array.isArray(en)) return en.filter((x): x is string => typeof x === 'string');
    }
    const all = branch['allOf'];
    return Array.isArray(all) ? all.flatMap((b) => branchValues(b, tag, depth + 1)) : [];
  };

  const visit = (s: Json | undefined): void => {
    if (!isObj(s)) return;
    // children first
    const props = s['properties'];
    if (isObj(props)) for (const k of Object.keys(props)) visit(props[k]);
    for (const k of ['items', 'additionalProperties', 'not']) visit(s[k]);
    for (const k of ['allOf', 'anyOf', 'oneOf']) {
      const arr = s[k];
      if (Array.isArray(arr)) arr.forEach(visit);
    }

    // readOnly / writeOnly: not required on the side that never carries them
    const req = s['required'];
    if (Array.isArray(req) && isObj(props)) {
      s['required'] = req.filter((name) => typeof name !== 'string' || !marked(props[name]));
    }

    // formats
    if (s['format'] === '') delete s['format'];
    else if (typeof s['format'] === 'string' && !KNOWN_FORMATS.has(s['format'])) unknownFormats.add(s['format']);

    // discriminator -> if/then
    const disc = s['discriminator'];
    const oneOf = s['oneOf'];
    if (isObj(disc) && typeof disc['propertyName'] === 'string' && Array.isArray(oneOf)) {
      const tag = disc['propertyName'];
      const byValue = new Map<string, Json>();
      const mapping = disc['mapping'];
      if (isObj(mapping)) {
        for (const [value, ref] of Object.entries(mapping))
          if (typeof ref === 'string') byValue.set(value, { $ref: ref });
      }
      for (const branch of oneOf)
        for (const v of branchValues(branch, tag)) if (!byValue.has(v)) byValue.set(v, clone(branch));
      if (byValue.size > 0) {
        const values = [...byValue.keys()];
        const allOf: Json[] = Array.isArray(s['allOf']) ? s['allOf'] : [];
        allOf.push({ required: [tag], properties: { [tag]: { type: 'string', enum: values } } });
        for (const [v, target] of byValue) {
          allOf.push({ if: { properties: { [tag]: { const: v } }, required: [tag] }, then: target });
        }
        s['allOf'] = allOf;
        delete s['oneOf'];
      }
      delete s['discriminator'];
    } else if (disc !== undefined) {
      delete s['discriminator'];
    }

    // nullable
    if (s['nullable'] === true) {
      delete s['nullable'];
      const t = s['type'];
      if (typeof t === 'string') {
        s['type'] = [t, 'null'];
        const en = s['enum'];
        if (Array.isArray(en) && !en.includes(null)) en.push(null);
      } else {
        const inner: JsonObject = {};
        for (const k of Object.keys(s)) {
          inner[k] = s[k] ?? null;
          delete s[k];
        }
        s['anyOf'] = [inner, { type: 'null' }];
      }
    } else if (s['nullable'] === false) {
      delete s['nullable'];
    }
  };

  const components = doc['components'];
  if (isObj(components)) {
    const schemas = components['schemas'];
    if (isObj(schemas)) for (const k of Object.keys(schemas)) visit(schemas[k]);
    for (const section of ['parameters', 'requestBodies', 'responses', 'headers']) {
      const sec = components[section];
      if (isObj(sec)) for (const k of Object.keys(sec)) visitContainer(sec[k], visit);
    }
  }
  const paths = doc['paths'];
  if (isObj(paths)) {
    for (const item of Object.values(paths)) {
      if (!isObj(item)) continue;
      const params = item['parameters'];
      if (Array.isArray(params)) params.forEach((p) => visitContainer(p, visit));
      for (const m of METHODS) {
        const op = item[m];
        if (!isObj(op)) continue;
        const opParams = op['parameters'];
        if (Array.isArray(opParams)) opParams.forEach((p) => visitContainer(p, visit));
        visitContainer(op['requestBody'], visit);
        const responses = op['responses'];
        if (isObj(responses)) for (const r of Object.values(responses)) visitContainer(r, visit);
      }
    }
  }
  return doc;
}

/** Visits the schemas inside a parameter / requestBody / response object. */
function visitContainer(c: Json | undefined, visit: (s: Json | undefined) => void): void {
  if (!isObj(c)) return;
  visit(c['schema']);
  const content = c['content'];
  if (isObj(content)) for (const media of Object.values(content)) if (isObj(media)) visit(media['schema']);
  const headers = c['headers'];
  if (isObj(headers)) for (const h of Object.values(headers)) if (isObj(h)) visit(h['schema']);
}

const KNOWN_FORMATS = new Set([
  'date',
  'time',
  'date-time',
  'iso-time',
  'iso-date-time',
  'duration',
  'uri',
  'uri-reference',
  'uri-template',
  'url',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'regex',
  'uuid',
  'json-pointer',
  'relative-json-pointer',
  'byte',
  'int32',
  'int64',
  'float',
  'double',
  'password',
  'binary',
]);

/** `format: url`: an absolute http(s) URL with a host (loopback allowed: the sandbox lives there). */
export function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0 && !/\s/.test(s);
  } catch {
    return false;
  }
}

function makeAjv(unknownFormats: Set<string>): Ajv {
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    allowUnionTypes: true,
    unicodeRegExp: false,
    validateSchema: false,
    discriminator: false,
    messages: true,
    verbose: false,
  });
  addFormats(ajv);
  ajv.addFormat('url', { type: 'string', validate: isHttpUrl });
  for (const f of unknownFormats) ajv.addFormat(f, true);
  return ajv;
}

interface LoadedSpec {
  name: SpecName;
  original: JsonObject;
  prefix: string;
  ids: Record<Mode, string>;
}

/** Loads every spec once; compiles validators lazily and caches them. */
export class SpecSet {
  readonly specs = new Map<SpecName, LoadedSpec>();
  readonly operations: Operation[] = [];
  private readonly ajv: Record<Mode, Ajv>;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(dir = specDir()) {
    const unknownFormats = new Set<string>();
    const converted: { name: SpecName; doc: Record<Mode, JsonObject> }[] = [];
    for (const [name, { file }] of Object.entries(SPEC_FILES) as [SpecName, { file: string }][]) {
      const original = parseYaml(readFileSync(join(dir, file), 'utf8')) as JsonObject;
      const servers = original['servers'];
      const first = Array.isArray(servers) && isObj(servers[0]) ? servers[0]['url'] : undefined;
      const prefix = name === 'bridge' || typeof first !== 'string' ? '' : new URL(first).pathname.replace(/\/$/, '');
      const spec: LoadedSpec = {
        name,
        original,
        prefix,
        ids: { request: `kdcr:req:${name}`, response: `kdcr:res:${name}` },
      };
      this.specs.set(name, spec);
      converted.push({
        name,
        doc: {
          request: convertDocument(original, 'request', unknownFormats),
          response: convertDocument(original, 'response', unknownFormats),
        },
      });
      const paths = original['paths'];
      if (!isObj(paths)) continue;
      for (const [path, item] of Object.entries(paths)) {
        if (!isObj(item)) continue;
        for (const m of METHODS) {
          const op = item[m];
          if (!isObj(op)) continue;
          const template = prefix + path;
          const params: string[] = [];
          const segments = template.split('/');
          const re = segments
            .map((seg) => {
              const mm = /^\{(.+)\}$/.exec(seg);
              if (mm) {
                params.push(mm[1] ?? '');
                return '([^/]+)';
              }
              return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
            })
            .join('/');
          this.operations.push({
            spec: name,
            method: m.toUpperCase(),
            template,
            operationId: String(op['operationId'] ?? ''),
            pointer: `/paths/${esc(path)}/${m}`,
            regex: new RegExp(`^${re}/?$`),
            params,
            literals: segments.filter((x) => x && !x.startsWith('{')).length,
          });
        }
      }
    }
    this.ajv = { request: makeAjv(unknownFormats), response: makeAjv(unknownFormats) };
    for (const { name, doc } of converted) {
      const spec = this.specs.get(name);
      if (!spec) continue;
      this.ajv.request.addSchema(doc.request, spec.ids.request);
      this.ajv.response.addSchema(doc.response, spec.ids.response);
    }
    // literal-heavy templates first so `/apis/validate-specification` wins over `/apis/{apiId}`
    this.operations.sort((a, b) => b.literals - a.literals || b.template.length - a.template.length);
  }

  /**
   * The operation for a method and a path: either the template itself (`/v2/dcr-providers/{dcrProviderId}`) or a
   * concrete path (`/v2/dcr-providers/5f9f...`). `spec` restricts the search (needed for the bridge, whose paths are `/...`).
   */
  findOperation(
    method: string,
    path: string,
    spec?: SpecName | readonly SpecName[],
  ): { op: Operation; params: Record<string, string> } | undefined {
    const m = method.toUpperCase();
    const clean = path.split('?')[0] ?? path;
    const allowed = spec === undefined ? undefined : typeof spec === 'string' ? [spec] : spec;
    const candidates = this.operations.filter(
      (o) => (m === '*' || o.method === m) && (allowed ? allowed.includes(o.spec) : SPEC_FILES[o.spec].served),
    );
    const exact = candidates.find((o) => o.template === clean);
    if (exact) return { op: exact, params: {} };
    for (const op of candidates) {
      const mm = op.regex.exec(clean);
      if (!mm) continue;
      const params: Record<string, string> = {};
      op.params.forEach((p, i) => {
        params[p] = decodeURIComponent(mm[i + 1] ?? '');
      });
      return { op, params };
    }
    return undefined;
  }

  /** The operation object as written in the spec (for parameters, declared statuses, ...). */
  operationObject(op: Operation): JsonObject {
    const spec = this.mustSpec(op.spec);
    const node = pointerGet(spec.original, op.pointer);
    return isObj(node) ? node : {};
  }

  /** Path-level + operation-level parameters, $refs resolved. */
  parameters(op: Operation): JsonObject[] {
    const spec = this.mustSpec(op.spec);
    const itemPtr = op.pointer.slice(0, op.pointer.lastIndexOf('/'));
    const out: JsonObject[] = [];
    for (const ptr of [itemPtr, op.pointer]) {
      const holder = pointerGet(spec.original, ptr);
      const params = isObj(holder) ? holder['parameters'] : undefined;
      if (!Array.isArray(params)) continue;
      for (const p of params) {
        const { node } = deref(spec.original, p, '');
        if (isObj(node)) out.push(node);
      }
    }
    return out;
  }

  declaredStatuses(op: Operation): string[] {
    const responses = this.operationObject(op)['responses'];
    return isObj(responses) ? Object.keys(responses) : [];
  }

  /** Validates a request body for an operation. A missing body is invalid when the spec says it is required. */
  validateRequest(op: Operation, body: unknown, source = 'body'): ValidationResult {
    const spec = this.mustSpec(op.spec);
    const opObj = pointerGet(spec.original, op.pointer);
    const rb = isObj(opObj) ? opObj['requestBody'] : undefined;
    if (rb === undefined) return ok();
    const { node, pointer } = deref(spec.original, rb, `${op.pointer}/requestBody`);
    if (!isObj(node)) return ok();
    if (body === undefined) {
      return node['required'] === true
        ? fail([], [{ field: 'body', rule: 'required', reason: 'request body is required', source }])
        : ok();
    }
    const content = node['content'];
    if (!isObj(content)) return ok();
    const mediaKey = Object.keys(content).find((k) => k.includes('json')) ?? Object.keys(content)[0];
    const media = mediaKey === undefined ? undefined : content[mediaKey];
    if (mediaKey === undefined || !isObj(media) || media['schema'] === undefined) return ok();
    return this.validatePointer('request', op.spec, `${pointer}/content/${esc(mediaKey)}/schema`, body, source);
  }

  /** Validates a response body for an operation and status (falls back to `NXX`, `default`, then BaseError for errors). */
  validateResponse(op: Operation, status: number, body: unknown, contentType?: string): ResponseValidationResult {
    const spec = this.mustSpec(op.spec);
    const opObj = pointerGet(spec.original, op.pointer);
    const responses = isObj(opObj) ? opObj['responses'] : undefined;
    const key = isObj(responses)
      ? [String(status), `${String(status)[0]}XX`, 'default'].find((k) => responses[k] !== undefined)
      : undefined;
    if (key === undefined || !isObj(responses)) {
      if (status >= 400 && this.hasSchema(op.spec, 'BaseError')) {
        const r = this.validatePointer('response', op.spec, '/components/schemas/BaseError', body, 'body');
        return {
          ...r,
          declared: false,
          operation: op,
          message: `status ${status} not declared for ${op.method} ${op.template}; as BaseError: ${r.message}`,
        };
      }
      return {
        ...fail([], []),
        declared: false,
        operation: op,
        message: `status ${status} not declared for ${op.method} ${op.template} (declared: ${this.declaredStatuses(op).join(', ')})`,
      };
    }
    const { node, pointer } = deref(spec.original, responses[key], `${op.pointer}/responses/${key}`);
    const content = isObj(node) ? node['content'] : undefined;
    if (!isObj(content) || Object.keys(content).length === 0) {
      const empty = body === undefined || body === null || body === '';
      return {
        ...(empty ? ok() : fail([], [{ field: 'body', reason: `status ${status} declares no body` }])),
        declared: true,
        operation: op,
      };
    }
    const keys = Object.keys(content);
    const mediaKey =
      (contentType ? keys.find((k) => contentType.startsWith(k)) : undefined) ??
      keys.find((k) => k.includes('json')) ??
      keys[0] ??
      '';
    const media = content[mediaKey];
    if (!isObj(media) || media['schema'] === undefined) return { ...ok(), declared: true, operation: op };
    const r = this.validatePointer('response', op.spec, `${pointer}/content/${esc(mediaKey)}/schema`, body, 'body');
    return { ...r, declared: true, operation: op };
  }

  /** Validates a value against a named component schema (e.g. `UpdateDcrConfigAuth0InRequest`). */
  validateSchema(
    mode: Mode,
    spec: SpecName,
    schemaName: string,
    value: unknown,
    source = 'body',
    fieldPrefix = '',
  ): ValidationResult {
    return this.validatePointer(mode, spec, `/components/schemas/${esc(schemaName)}`, value, source, fieldPrefix);
  }

  hasSchema(spec: SpecName, schemaName: string): boolean {
    const s = this.mustSpec(spec);
    return pointerGet(s.original, `/components/schemas/${esc(schemaName)}`) !== undefined;
  }

  private validatePointer(
    mode: Mode,
    specName: SpecName,
    pointer: string,
    value: unknown,
    source: string,
    fieldPrefix = '',
  ): ValidationResult {
    const spec = this.mustSpec(specName);
    const key = `${mode}|${spec.ids[mode]}#${pointer}`;
    let fn = this.cache.get(key);
    if (!fn) {
      fn = this.ajv[mode].compile({ $ref: `${spec.ids[mode]}#${pointer}` });
      this.cache.set(key, fn);
    }
    if (fn(value)) return ok();
    const errors = relevantErrors(fn.errors ?? []);
    return fail(errors, toInvalidParameters(errors, source, fieldPrefix));
  }

  private mustSpec(name: SpecName): LoadedSpec {
    const s = this.specs.get(name);
    if (!s) throw new Error(`unknown spec ${name}`);
    return s;
  }
}

function ok(): ValidationResult {
  return { ok: true, errors: [], invalidParameters: [], message: 'ok' };
}

function fail(errors: ErrorObject[], invalidParameters: InvalidParameter[]): ValidationResult {
  const message = errors.length
    ? errors.map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`).join('; ')
    : invalidParameters.map((p) => `${p.field}: ${p.reason}`).join('; ');
  return { ok: false, errors, invalidParameters, message };
}

/** Drops the combinator noise (if/anyOf/oneOf summaries, the `null` branch of nullable wrappers) when details exist. */
function relevantErrors(all: ErrorObject[]): ErrorObject[] {
  const noise = (e: ErrorObject): boolean =>
    e.keyword === 'if' ||
    e.keyword === 'anyOf' ||
    e.keyword === 'oneOf' ||
    (e.keyword === 'type' && (e.params as { type?: unknown }).type === 'null');
  const detailed = all.filter((e) => !noise(e));
  const picked = detailed.length ? detailed : all;
  const seen = new Set<string>();
  return picked.filter((e) => {
    const k = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const TYPE_RULES: Record<string, string> = {
  string: 'is_string',
  integer: 'is_integer',
  number: 'is_number',
  boolean: 'is_boolean',
  array: 'is_array',
  object: 'is_object',
  null: 'is_null',
};
const FORMAT_RULES: Record<string, string> = {
  uuid: 'is_uuid',
  'date-time': 'is_date_time',
  hostname: 'is_fqdn',
  byte: 'is_base64',
};
const FORMAT_WORDS: Record<string, string> = {
  uuid: 'a valid UUID',
  'date-time': 'a valid date-time',
  url: 'a valid URL',
  uri: 'a valid URI',
  hostname: 'a valid hostname',
  email: 'a valid email address',
};

/** `/dcr_config/initial_client_id` -> `dcr_config.initial_client_id`; array indexes stay numeric (`scopes.0`). */
function fieldOf(instancePath: string, extra?: string, prefix = ''): string {
  const parts = instancePath.split('/').slice(1).map(unesc);
  if (extra !== undefined) parts.push(extra);
  const f = parts.join('.');
  return prefix ? (f ? `${prefix}.${f}` : prefix) : f || 'body';
}

/** ajv errors -> Konnect `invalid_parameters` items, in the shapes of the spec's `InvalidParameter*` schemas. */
export function toInvalidParameters(errors: ErrorObject[], source = 'body', prefix = ''): InvalidParameter[] {
  const out: InvalidParameter[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const p = e.params as Record<string, unknown>;
    let item: InvalidParameter;
    switch (e.keyword) {
      case 'required': {
        const field = fieldOf(e.instancePath, String(p['missingProperty']), prefix);
        item = { field, rule: 'required', reason: `"${field}" is required`, source };
        break;
      }
      case 'additionalProperties': {
        const field = fieldOf(e.instancePath, String(p['additionalProperty']), prefix);
        item = { field, rule: 'unknown_property', reason: `"${field}" is not allowed`, source };
        break;
      }
      case 'enum': {
        const choices = (Array.isArray(p['allowedValues']) ? p['allowedValues'] : []).filter((x) => x !== null);
        const field = fieldOf(e.instancePath, undefined, prefix);
        item = { field, rule: 'enum', choices, reason: `must be one of [${choices.join(', ')}]`, source };
        break;
      }
      case 'const': {
        const field = fieldOf(e.instancePath, undefined, prefix);
        item = {
          field,
          rule: 'enum',
          choices: [p['allowedValue']],
          reason: `must be one of [${String(p['allowedValue'])}]`,
          source,
        };
        break;
      }
      case 'maxLength':
      case 'maxItems':
      case 'maximum':
      case 'maxProperties': {
        const field = fieldOf(e.instancePath, undefined, prefix);
        const rule = e.keyword === 'maxLength' ? 'max_length' : e.keyword === 'maximum' ? 'max' : 'max_items';
        const maximum = Number(p['limit']);
        const unit = e.keyword === 'maxLength' ? ' characters' : e.keyword === 'maximum' ? '' : ' items';
        item = {
          field,
          rule,
          maximum,
          reason:
            e.keyword === 'maximum'
              ? `must be less than or equal to ${maximum}`
              : `must not have more than ${maximum}${unit}`,
          source,
        };
        break;
      }
      case 'minLength':
      case 'minItems':
      case 'minimum':
      case 'minProperties': {
        const field = fieldOf(e.instancePath, undefined, prefix);
        const rule = e.keyword === 'minLength' ? 'min_length' : e.keyword === 'minimum' ? 'min' : 'min_items';
        const minimum = Number(p['limit']);
        const unit = e.keyword === 'minLength' ? ' characters' : e.keyword === 'minimum' ? '' : ' items';
        item = {
          field,
          rule,
          minimum,
          reason:
            e.keyword === 'minimum'
              ? `must be greater than or equal to ${minimum}`
              : `must have at least ${minimum}${unit}`,
          source,
        };
        break;
      }
      case 'type': {
        const field = fieldOf(e.instancePath, undefined, prefix);
        const t = String(Array.isArray(p['type']) ? (p['type'] as unknown[]).find((x) => x !== 'null') : p['type']);
        item = {
          field,
          rule: TYPE_RULES[t] ?? 'type',
          reason: `"${field}" must be ${t === 'integer' || t === 'array' || t === 'object' ? 'an' : 'a'} ${t}`,
          source,
        };
        break;
      }
      case 'format': {
        const field = fieldOf(e.instancePath, undefined, prefix);
        const f = String(p['format']);
        item = {
          field,
          rule: FORMAT_RULES[f] ?? 'invalid',
          reason: `"${field}" must be ${FORMAT_WORDS[f] ?? `a valid ${f}`}`,
          source,
        };
        break;
      }
      case 'pattern': {
        const field = fieldOf(e.instancePath, undefined, prefix);
        item = {
          field,
          rule: 'matches_regex',
          reason: `"${field}" must match the pattern ${String(p['pattern'])}`,
          source,
        };
        break;
      }
      case 'uniqueItems': {
        const field = fieldOf(e.instancePath, undefined, prefix);
        item = { field, rule: 'invalid', reason: `"${field}" must not contain duplicate items`, source };
        break;
      }
      default: {
        const field = fieldOf(e.instancePath, undefined, prefix);
        item = { field, rule: 'invalid', reason: `"${field}" ${e.message ?? 'is invalid'}`, source };
      }
    }
    const k = JSON.stringify(item);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(item);
    }
  }
  return out;
}

let shared: SpecSet | undefined;
/** The process-wide SpecSet (loading + converting the specs takes a few hundred ms; do it once). */
export function specs(): SpecSet {
  shared ??= new SpecSet();
  return shared;
}
