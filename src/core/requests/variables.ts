/**
 * Variable resolution for parsed requests: `{{name}}` (file variables, the selected environment, `.env`), the system
 * variables (`$secret`, `$dotenv`, `$processEnv`, `$guid`, `$timestamp`, `$randomInt`, …) and chaining into earlier
 * named responses (`{{token.response.body.access_token}}`, `{{token.response.body.$.access_token}}`,
 * `{{token.response.headers.Location}}`, httpYac's `{{token.access_token}}`).
 *
 * Every source is handed in (no file system, no process.env, no SecretStorage here): see `VariableSources`.
 */
import { randomInt, randomUUID } from 'node:crypto';
import {
  VARIABLE_PATTERN,
  basicProblem,
  checkExpression,
  fileVariableAt,
  namedRequest,
  type FileVariable,
  type ParsedFile,
  type ParsedRequest,
} from './parser';

/** What a named request left for the ones after it. */
export interface NamedResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: string;
  /** `body` parsed, when whoever kept the response parsed it already (a JSON object); undefined: `body` is parsed. */
  readonly json?: Readonly<Record<string, unknown>> | undefined;
}

export interface VariableSources {
  /** The selected environment (its values over `$shared`). */
  readonly environment: Readonly<Record<string, string>>;
  /** `.env` next to the file (or the workspace's). */
  readonly dotenv: Readonly<Record<string, string>>;
  processEnv(name: string): string | undefined;
  /** A secret by key (SecretStorage in VS Code); undefined when there is none (the caller may ask for it first). */
  secret(key: string, signal: AbortSignal): Promise<string | undefined>;
  /** The response of a named request: run it if needed. Rejects if it cannot be had. */
  response(name: string, signal: AbortSignal): Promise<NamedResponse>;
  /** Injected time (ms since the epoch), for `$timestamp`. */
  now(): number;
}

export type VariableErrorCode = 'undefined' | 'missing-secret' | 'missing-env' | 'chain' | 'cycle' | 'unsupported';

export class VariableError extends Error {
  constructor(
    readonly code: VariableErrorCode,
    message: string,
    readonly variable: string,
  ) {
    super(message);
    this.name = 'VariableError';
  }
}

export interface ResolvedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body?: string | undefined;
  /** Values that must never be shown or kept in clear: `$secret`s, tokens taken from earlier responses, secret-looking variables. */
  readonly secrets: readonly string[];
  /** Names of the secrets used (`$secret clientSecret` → `clientSecret`). */
  readonly secretKeys: readonly string[];
}

/** Variable names whose values are secret: `clientSecret`, `password`, `apiKey`, `accessToken`, `token` (not `tokenUrl`). */
const SECRETISH = /secret|passw(?:or)?d|api[-_]?key|credential|(?:^|[-_.])token$|Token$/i;

/** The value of a dotted / bracketed path (`$.a.b[0]`, `a.b.0`) into parsed JSON. */
export function jsonPath(value: unknown, path: string): unknown {
  const parts = path
    .replace(/^\$\.?/, '')
    .split(/\.|\[(\d+)\]/)
    .filter((p) => p !== undefined && p !== '');
  let cur: unknown = value;
  for (const p of parts) {
    if (cur === null || cur === undefined) return undefined;
    if (Array.isArray(cur) && /^\d+$/.test(p)) cur = cur[Number(p)];
    else if (typeof cur === 'object') cur = (cur as Record<string, unknown>)[p];
    else return undefined;
  }
  return cur;
}

function stringify(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v);
}

const hasVariables = (text: string): boolean => text.includes('{{');

const TIME_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export class RequestResolver {
  private readonly secrets = new Set<string>();
  private readonly secretKeys = new Set<string>();

  constructor(
    private readonly file: ParsedFile,
    private readonly sources: VariableSources,
  ) {}

  /** Substitute every `{{…}}` of `request`. Form bodies get substituted values percent-encoded. */
  async resolve(request: ParsedRequest, signal: AbortSignal): Promise<ResolvedRequest> {
    const at = request.requestLine;
    // text without `{{` is taken as it is, without a promise and a wait for it (most header lines)
    let url = hasVariables(request.url) ? await this.substitute(request.url, at, signal, false) : request.url;
    const headers: (readonly [string, string])[] = [];
    for (const h of request.headers) {
      const name = hasVariables(h.name) ? await this.substitute(h.name, at, signal, false) : h.name;
      let value = hasVariables(h.value) ? await this.substitute(h.value, at, signal, false) : h.value;
      if (name.toLowerCase() === 'authorization') value = basicShorthand(value);
      headers.push([name, value]);
    }
    if (url.startsWith('/')) url = await this.absolute(url, headers, at, signal);
    const body =
      request.body === undefined || !hasVariables(request.body)
        ? request.body
        : await this.substitute(request.body, at, signal, request.bodyKind === 'form');
    return { method: request.method, url, headers, body, secrets: [...this.secrets], secretKeys: [...this.secretKeys] };
  }

  /**
   * A URL that is only a path, as both tools complete it: from the Host header (https for port 443 or 8443, else
   * http: REST Client and httpYac), else prefixed with the `host` variable (httpYac). Left as it is without either.
   */
  private async absolute(
    path: string,
    headers: readonly (readonly [string, string])[],
    line: number,
    signal: AbortSignal,
  ): Promise<string> {
    const host = headers.find(([k]) => k.toLowerCase() === 'host')?.[1].trim();
    if (host) {
      const port = host.split(':')[1];
      return `${port === '443' || port === '8443' ? 'https' : 'http'}://${host}${path}`;
    }
    const known =
      this.fileVariable('host', line) !== undefined ||
      Object.prototype.hasOwnProperty.call(this.sources.environment, 'host') ||
      Object.prototype.hasOwnProperty.call(this.sources.dotenv, 'host');
    return known ? `${await this.evaluate('host', line, signal, 0)}${path}` : path;
  }

  private async substitute(
    text: string,
    line: number,
    signal: AbortSignal,
    formEncode: boolean,
    depth = 0,
  ): Promise<string> {
    if (!hasVariables(text)) return text;
    let out = '';
    let last = 0;
    for (const m of text.matchAll(VARIABLE_PATTERN)) {
      out += text.slice(last, m.index);
      last = (m.index ?? 0) + m[0].length;
      const value = await this.evaluate(m[1]!.trim(), line, signal, depth);
      const sent = formEncode ? encodeURIComponent(value) : value;
      // a secret goes out percent-encoded in a form body: that form must be masked too
      if (sent !== value && this.secrets.has(value)) this.keep(sent);
      out += sent;
    }
    return out + text.slice(last);
  }

  private async evaluate(expr: string, line: number, signal: AbortSignal, depth: number): Promise<string> {
    const problem = checkExpression(expr);
    if (problem) throw new VariableError('unsupported', problem, expr);
    if (depth > 20)
      throw new VariableError('cycle', `Variable {{${expr}}} refers to itself (through other variables)`, expr);
    if (expr.startsWith('$')) return this.system(expr, signal);

    const [head, ...rest] = expr.split('.');
    const name = head!;
    // a named request's response (by its name, or httpYac's variable spelling of it)
    const named = namedRequest(this.file.requests, name);
    if (named && rest.length > 0) return this.chain(named.name!, rest.join('.'), signal);

    const fileVar = this.fileVariable(name, line);
    if (fileVar && rest.length === 0) {
      const v = hasVariables(fileVar.value)
        ? await this.substitute(fileVar.value, fileVar.line, signal, false, depth + 1)
        : fileVar.value;
      if (SECRETISH.test(name)) this.keep(v);
      return v;
    }
    if (rest.length === 0 && Object.prototype.hasOwnProperty.call(this.sources.environment, name)) {
      const raw = this.sources.environment[name]!;
      const v = hasVariables(raw) ? await this.substitute(raw, line, signal, false, depth + 1) : raw;
      if (SECRETISH.test(name)) this.keep(v);
      return v;
    }
    if (rest.length === 0 && Object.prototype.hasOwnProperty.call(this.sources.dotenv, name)) {
      const v = this.sources.dotenv[name]!;
      if (SECRETISH.test(name)) this.keep(v);
      return v;
    }
    if (named) return this.chain(named.name!, '', signal);
    throw new VariableError(
      'undefined',
      `Variable {{${expr}}} is not defined (no file variable, environment value, .env entry or named request "${name}")`,
      expr,
    );
  }

  private fileVariable(name: string, line: number): FileVariable | undefined {
    return fileVariableAt(this.file.variables, name, line);
  }

  private async chain(name: string, path: string, signal: AbortSignal): Promise<string> {
    const res = await this.sources.response(name, signal);
    let value: unknown;
    const parts = path.split('.');
    if (parts[0] === 'response' && parts[1] === 'headers') {
      const header = parts.slice(2).join('.').toLowerCase();
      const v = res.headers[header];
      if (v === undefined)
        throw new VariableError(
          'chain',
          `The response of "${name}" has no header ${parts.slice(2).join('.')}`,
          `${name}.${path}`,
        );
      value = Array.isArray(v) ? v[0] : v;
    } else {
      const bodyPath = parts[0] === 'response' && parts[1] === 'body' ? parts.slice(2).join('.') : path;
      if (!bodyPath || bodyPath === '*' || bodyPath === '$') value = res.body;
      else {
        let json: unknown;
        try {
          json = res.json ?? JSON.parse(res.body);
        } catch {
          throw new VariableError(
            'chain',
            `The response of "${name}" is not JSON, so {{${name}.${path}}} cannot be read`,
            `${name}.${path}`,
          );
        }
        value = jsonPath(json, bodyPath);
        if (value === undefined) {
          throw new VariableError(
            'chain',
            `The response of "${name}" (HTTP ${res.status}) has no ${bodyPath.replace(/^\$\.?/, '')}`,
            `${name}.${path}`,
          );
        }
      }
    }
    const s = stringify(value);
    if (/token|secret/i.test(path) || looksLikeJwt(s)) this.keep(s);
    return s;
  }

  private async system(expr: string, signal: AbortSignal): Promise<string> {
    const [name, ...args] = expr.split(/\s+/);
    const arg = args.join(' ');
    switch (name) {
      case '$secret': {
        const v = await this.sources.secret(arg, signal);
        if (v === undefined)
          throw new VariableError(
            'missing-secret',
            `No secret "${arg}" is stored: run the request again to enter it`,
            expr,
          );
        this.keep(v);
        this.secretKeys.add(arg);
        return v;
      }
      case '$dotenv': {
        const v = this.sources.dotenv[arg];
        if (v === undefined)
          throw new VariableError('missing-env', `{{$dotenv ${arg}}}: no ${arg} in the .env file`, expr);
        if (SECRETISH.test(arg)) this.keep(v);
        return v;
      }
      case '$processEnv': {
        const v = this.sources.processEnv(arg);
        if (v === undefined)
          throw new VariableError(
            'missing-env',
            `{{$processEnv ${arg}}}: the environment variable ${arg} is not set`,
            expr,
          );
        if (SECRETISH.test(arg)) this.keep(v);
        return v;
      }
      case '$guid':
      case '$uuid':
        return randomUUID();
      case '$timestamp': {
        const offset = /^(-?\d+)\s*(ms|s|m|h|d|w)$/.exec(arg);
        const ms = this.sources.now() + (offset ? Number(offset[1]) * TIME_UNITS[offset[2]!]! : 0);
        return String(Math.floor(ms / 1000));
      }
      case '$isoTimestamp':
        return new Date(this.sources.now()).toISOString();
      case '$randomInt': {
        const [min = 0, max = 1000] = args.map(Number);
        if (!Number.isFinite(min) || !Number.isFinite(max) || max <= min)
          throw new VariableError('unsupported', `{{$randomInt ${arg}}}: needs two numbers, min < max`, expr);
        return String(randomInt(Math.ceil(min), Math.floor(max)));
      }
      default:
        throw new VariableError('unsupported', `{{${name}}} is not supported by the Konnect DCR runner`, expr);
    }
  }

  private keep(v: string): void {
    if (v.length >= 6) this.secrets.add(v);
  }
}

/** `Authorization: Basic id:secret` (or `Basic id secret`) becomes base64, as REST Client and httpYac do. */
export function basicShorthand(value: string): string {
  const problem = basicProblem(value);
  if (problem) throw new VariableError('unsupported', problem, 'Authorization');
  const m = /^Basic\s+(.+)$/i.exec(value.trim());
  if (!m) return value;
  const cred = m[1]!.trim();
  const pair = /^([^\s:]+)(?::|\s+)(.*)$/.exec(cred);
  if (!pair || (!cred.includes(':') && !/\s/.test(cred))) return value;
  return `Basic ${Buffer.from(`${pair[1]}:${pair[2]}`, 'utf8').toString('base64')}`;
}

export function looksLikeJwt(s: string): boolean {
  return /^eyJ[\w-]+\.[\w-]+\.[\w-]*$/.test(s);
}

/** Scopes asked for in a token request body (form or JSON `scope`). */
export function requestedScopes(body: string | undefined, contentType: string | undefined): string[] {
  if (!body) return [];
  let scope: unknown;
  if ((contentType ?? '').includes('json')) {
    try {
      scope = (JSON.parse(body) as Record<string, unknown>)['scope'];
    } catch {
      return [];
    }
  } else scope = new URLSearchParams(body).get('scope');
  return typeof scope === 'string' ? scope.split(/\s+/).filter(Boolean) : [];
}

/** A request-body parameter (form or JSON), e.g. `grant_type`, `audience`. */
export function bodyParam(body: string | undefined, contentType: string | undefined, name: string): string | undefined {
  if (!body) return undefined;
  if ((contentType ?? '').includes('json')) {
    try {
      const v = (JSON.parse(body) as Record<string, unknown>)[name];
      return typeof v === 'string' ? v : undefined;
    } catch {
      return undefined;
    }
  }
  return new URLSearchParams(body).get(name) ?? undefined;
}
