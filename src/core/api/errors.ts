/**
 * The errors the Konnect client throws. Every one is a `KonnectError` with a `kind` and a one-line `userMessage`
 * (what a toast shows; the VS Code error boundary reads `userMessage`):
 *
 * - `KonnectApiError` (kind `api`): Konnect answered with an error status. Carries the problem+json fields.
 * - `KonnectNetworkError`: no usable answer. `kind` says why: `offline` (name does not resolve), `unreachable`
 *   (refused / no route), `reset`, `tls` (certificate refused), `proxy`, `timeout`, `aborted` (the caller cancelled;
 *   its `name` is then `AbortError`, which the error boundary treats as silent), `malformed` (not JSON, or not the
 *   shape the schema expects; the message names the zod issue paths), `other`.
 * - `KonnectLimitError` (kind `limit`): `listAll` would exceed its `maxItems` guard.
 *
 * Messages never contain the token or a secret sent in the request: the client redacts them before building these.
 */
import type * as z from 'zod';
import { InvalidParameterSchema, LooseProblemSchema, type InvalidParameter } from '../model/common';

export type NetworkErrorKind =
  'offline' | 'unreachable' | 'reset' | 'tls' | 'proxy' | 'timeout' | 'aborted' | 'malformed' | 'other';
export type KonnectErrorKind = 'api' | 'limit' | NetworkErrorKind;

/** Where a failed call went: for messages and logs. */
export interface CallSite {
  method: string;
  /** Path without the query string, e.g. `/v2/dcr-providers/123`. */
  path: string;
  host: string;
}

export abstract class KonnectError extends Error {
  abstract readonly kind: KonnectErrorKind;
  /** A short, human, single-line message for the UI. */
  readonly userMessage: string;
  readonly method: string | undefined;
  readonly path: string | undefined;
  /** How many requests were sent (1 = no retry). */
  readonly attempts: number;

  protected constructor(
    message: string,
    userMessage: string,
    site: CallSite | undefined,
    attempts: number,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.userMessage = userMessage;
    this.method = site?.method;
    this.path = site?.path;
    this.attempts = attempts;
  }
}

export function isKonnectError(err: unknown): err is KonnectError {
  return err instanceof KonnectError;
}

// ---------------------------------------------------------------------------------------------------------------
// API errors (problem+json)

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export interface ApiErrorInit {
  status: number;
  title: string;
  detail: string | undefined;
  type: string | undefined;
  /** The trace id, `kong:trace:<id>`: quote it to Kong support. */
  instance: string | undefined;
  invalidParameters: InvalidParameter[];
  /** How long Konnect asked to wait (429/503 `Retry-After`), in ms. */
  retryAfterMs?: number | undefined;
  /** Overrides the default message (e.g. a Retry-After beyond the cap). */
  note?: string | undefined;
}

export class KonnectApiError extends KonnectError {
  readonly kind = 'api' as const;
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly type: string | undefined;
  readonly instance: string | undefined;
  readonly invalidParameters: readonly InvalidParameter[];
  readonly retryAfterMs: number | undefined;

  constructor(init: ApiErrorInit, site?: CallSite, attempts = 1) {
    const { message, userMessage } = describeApiError(init, site);
    super(message, userMessage, site, attempts);
    this.name = 'KonnectApiError';
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail;
    this.type = init.type;
    this.instance = init.instance;
    this.invalidParameters = init.invalidParameters;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** `kong:trace:123` → `123`. */
  get traceId(): string | undefined {
    return this.instance?.startsWith('kong:trace:') ? this.instance.slice('kong:trace:'.length) : this.instance;
  }

  /**
   * Builds the error from an error answer. A problem+json body gives the fields; any other body (HTML from a proxy,
   * plain text) still gives a clear message with a short excerpt. `redact` masks secrets in server-provided text.
   */
  static fromResponse(
    res: { status: number; body: string; contentType?: string | undefined },
    site: CallSite,
    redact: (s: string) => string,
    extra: { attempts?: number; retryAfterMs?: number | undefined; note?: string | undefined } = {},
  ): KonnectApiError {
    const fallbackTitle = STATUS_TEXT[res.status] ?? `HTTP ${res.status}`;
    let parsed: unknown;
    try {
      parsed = res.body ? JSON.parse(res.body) : undefined;
    } catch {
      parsed = undefined;
    }
    const problem =
      parsed !== undefined && typeof parsed === 'object' && parsed !== null
        ? LooseProblemSchema.safeParse(parsed)
        : undefined;
    let init: ApiErrorInit;
    if (
      problem?.success &&
      (problem.data.title || problem.data.detail || problem.data.message || problem.data.invalid_parameters)
    ) {
      const p = problem.data;
      init = {
        status: res.status,
        title: redact(p.title ?? fallbackTitle),
        detail: optional(p.detail ?? p.message, redact),
        type: p.type,
        instance: p.instance,
        invalidParameters: (p.invalid_parameters ?? []).map((item) => toInvalidParameter(item, redact)),
        retryAfterMs: extra.retryAfterMs,
        note: extra.note,
      };
    } else {
      const excerpt = bodyExcerpt(res.body, res.contentType);
      init = {
        status: res.status,
        title: fallbackTitle,
        detail: excerpt ? redact(excerpt) : undefined,
        type: undefined,
        instance: undefined,
        invalidParameters: [],
        retryAfterMs: extra.retryAfterMs,
        note: extra.note,
      };
    }
    return new KonnectApiError(init, site, extra.attempts ?? 1);
  }
}

function optional(s: string | undefined, redact: (s: string) => string): string | undefined {
  return s === undefined ? undefined : redact(s);
}

/** An `invalid_parameters` item: the spec's union when it matches, else the best-effort standard shape. */
function toInvalidParameter(item: unknown, redact: (s: string) => string): InvalidParameter {
  const strict = InvalidParameterSchema.safeParse(item);
  const p: InvalidParameter = strict.success
    ? strict.data
    : {
        field: typeof (item as { field?: unknown })?.field === 'string' ? (item as { field: string }).field : '?',
        reason:
          typeof (item as { reason?: unknown })?.reason === 'string'
            ? (item as { reason: string }).reason
            : (JSON.stringify(item) ?? ''),
        rule: null,
      };
  return { ...p, reason: redact(p.reason) };
}

function bodyExcerpt(body: string, contentType: string | undefined): string | undefined {
  let text = body;
  if (contentType?.includes('html') || /^\s*</.test(text)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1];
    text = title ?? text.replace(/<[^>]*>/g, ' ');
  }
  text = text.replace(/\s+/g, ' ').trim();
  if (!text) return undefined;
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function describeApiError(e: ApiErrorInit, site: CallSite | undefined): { message: string; userMessage: string } {
  const where = site ? ` to ${site.method} ${site.path}` : '';
  const detail = e.detail && e.detail !== e.title ? `: ${e.detail}` : '';
  const params = e.invalidParameters.length
    ? ` (${e.invalidParameters.map((p) => `${p.field}: ${p.reason}`).join('; ')})`
    : '';
  const trace = e.instance ? ` [${e.instance}]` : '';
  const head = `${e.status} ${e.title}`;
  const message = `Konnect answered ${head}${where}${detail}${params}${e.note ? ` — ${e.note}` : ''}${trace}`;

  let hint: string;
  switch (e.status) {
    case 401:
      hint =
        'Konnect did not accept the token: check that it is valid, not expired or revoked, and meant for this region.';
      break;
    case 403:
      hint = 'The token has no permission for this (ask an org admin for the right Konnect role).';
      break;
    case 404:
      hint = 'Not found in this region: it may have been deleted, or it lives in another region.';
      break;
    case 409:
      hint = 'Conflict with the current state in Konnect.';
      break;
    case 429:
      hint = 'Konnect is rate limiting these requests; try again shortly.';
      break;
    default:
      hint = e.status >= 500 ? 'Konnect had a problem answering; try again later.' : '';
  }
  const userDetail = `${detail}${params}`;
  const userMessage = e.note
    ? `${head}${where}: ${e.note}`
    : `${hint ? `${hint} ` : ''}(${head}${where}${userDetail})`.trim();
  return { message, userMessage };
}

// ---------------------------------------------------------------------------------------------------------------
// Network errors

export class KonnectNetworkError extends KonnectError {
  readonly kind: NetworkErrorKind;
  /** The underlying error code, e.g. `ECONNREFUSED`, `DEPTH_ZERO_SELF_SIGNED_CERT`, `UND_ERR_SOCKET`. */
  readonly code: string | undefined;
  /** For `malformed` answers: the HTTP status of the answer that could not be used. */
  readonly status: number | undefined;

  constructor(
    kind: NetworkErrorKind,
    message: string,
    opts: {
      site?: CallSite | undefined;
      code?: string | undefined;
      status?: number | undefined;
      attempts?: number;
      cause?: unknown;
      userMessage?: string;
    } = {},
  ) {
    super(message, opts.userMessage ?? message, opts.site, opts.attempts ?? 1, opts.cause);
    // `AbortError` is what the UI layer treats as a silent cancellation.
    this.name = kind === 'aborted' ? 'AbortError' : 'KonnectNetworkError';
    this.kind = kind;
    this.code = opts.code;
    this.status = opts.status;
  }
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'EPROTO',
  'UND_ERR_PRX_TLS',
]);
const OFFLINE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'ENETDOWN', 'ENETUNREACH']);
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'EHOSTDOWN', 'EADDRNOTAVAIL']);
const RESET_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
  'ERR_STREAM_PREMATURE_CLOSE',
]);
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** A certificate for another host name (`ERR_TLS_CERT_ALTNAME_INVALID`): the name asked for and those it is valid for. */
export interface CertificateHostMismatch {
  /** The host name (or IP) the client asked for. */
  readonly host: string | undefined;
  /** The names the certificate is valid for: its subjectAltName entries (`DNS:`/`IP Address:` dropped), else its CN. */
  readonly names: readonly string[];
}

/**
 * Finds a host-name mismatch in an error or its causes: Node's `checkServerIdentity` error carries `host` and the
 * peer certificate (`cert.subjectaltname`, `cert.subject.CN`); without them the names are read from its message
 * ("… is not in the cert's altnames: DNS:a, DNS:b" / "… is not cert's CN: a").
 */
export function certificateHostMismatch(err: unknown): CertificateHostMismatch | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const { code, cause, errors, host, cert, reason, message } = e as {
      code?: unknown;
      cause?: unknown;
      errors?: unknown;
      host?: unknown;
      cert?: unknown;
      reason?: unknown;
      message?: unknown;
    };
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
      const c = cert as { subjectaltname?: unknown; subject?: { CN?: unknown } } | undefined;
      let names: string[] = [];
      if (typeof c?.subjectaltname === 'string') names = c.subjectaltname.split(/,\s*/).map(altName).filter(Boolean);
      if (!names.length && typeof c?.subject?.CN === 'string') names = [c.subject.CN];
      const text = typeof reason === 'string' ? reason : typeof message === 'string' ? message : '';
      if (!names.length) {
        const listed = /.*(?:altnames|list|CN): (.*)$/.exec(text)?.[1];
        names = (listed ?? '').split(/,\s*/).map(altName).filter(Boolean);
      }
      const asked = typeof host === 'string' ? host : /(?:Host|IP): (.+?)\.? is not/.exec(text)?.[1];
      return { host: asked, names };
    }
    if (cause) queue.push(cause);
    if (Array.isArray(errors)) queue.push(...(errors as unknown[]));
  }
  return undefined;
}

function altName(entry: string): string {
  return entry.trim().replace(/^(?:DNS|IP Address|IP|URI|email):/i, '');
}

/** "The TLS certificate of x is for another host: …": what a CA setting cannot fix, and what can. */
export function describeHostMismatch(m: CertificateHostMismatch, where: string): string {
  const asked = m.host ?? where;
  const valid = m.names.length
    ? `it is valid for ${m.names.join(', ')}, not for ${asked}`
    : `it does not name ${asked}`;
  return `The TLS certificate of ${where} is for another host: ${valid}. A custom CA (Konnect DCR: Ca File) cannot fix this: use a host name the certificate lists, or have the server present a certificate for ${asked}.`;
}

/** Walks an error and its causes (and AggregateError members) for the first known code. */
export function classifyNetworkError(err: unknown): {
  kind: NetworkErrorKind;
  code: string | undefined;
  detail: string;
} {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  let firstCode: string | undefined;
  let firstMessage = '';
  while (queue.length) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const { code, message, cause, errors } = e as {
      code?: unknown;
      message?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if (typeof message === 'string' && !firstMessage) firstMessage = message;
    if (typeof code === 'string') {
      firstCode ??= code;
      const kind = kindForCode(code, typeof message === 'string' ? message : '');
      if (kind) return { kind, code, detail: typeof message === 'string' ? message : code };
    }
    if (typeof message === 'string' && /Proxy response \(\d+\)|Proxy Authentication Required/i.test(message)) {
      return { kind: 'proxy', code: typeof code === 'string' ? code : undefined, detail: message };
    }
    if (cause) queue.push(cause);
    if (Array.isArray(errors)) queue.push(...(errors as unknown[]));
  }
  return { kind: 'other', code: firstCode, detail: firstMessage || String(err) };
}

function kindForCode(code: string, message: string): NetworkErrorKind | undefined {
  if (TLS_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return 'tls';
  if (OFFLINE_CODES.has(code)) return 'offline';
  if (UNREACHABLE_CODES.has(code)) return 'unreachable';
  if (TIMEOUT_CODES.has(code)) return 'timeout';
  if (RESET_CODES.has(code)) return 'reset';
  if (code.startsWith('HPE_') || code === 'KDCR_RESPONSE_TOO_LARGE') return 'malformed';
  if (code === 'UND_ERR_ABORTED' && /Proxy/i.test(message)) return 'proxy';
  return undefined;
}

/** The message for a classified transport failure (`certificate`: a host-name mismatch found in the error). */
export function describeNetworkFailure(
  kind: NetworkErrorKind,
  code: string | undefined,
  detail: string,
  site: CallSite,
  timeoutMs?: number,
  certificate?: CertificateHostMismatch,
): string {
  const c = code ? ` (${code})` : '';
  const call = `${site.method} ${site.path}`;
  if (kind === 'tls' && certificate) return `${describeHostMismatch(certificate, site.host)}${c}`;
  switch (kind) {
    case 'offline':
      return `Cannot reach ${site.host}: the name does not resolve or the network is down${c}. Check the connection, the region or the base URL.`;
    case 'unreachable':
      return `Cannot connect to ${site.host}${c}. Is the server running? Check the base URL, the proxy and any firewall.`;
    case 'reset':
      return `The connection to ${site.host} closed before ${call} was answered${c}.`;
    case 'tls':
      return `The TLS certificate of ${site.host} was refused${c}. If a corporate proxy inspects TLS, add its certificate authority as a custom CA bundle. (${detail})`;
    case 'proxy':
      return `The proxy refused ${call}: ${detail}`;
    case 'timeout':
      return `${site.host} did not answer ${call} within ${timeoutMs !== undefined ? formatDuration(timeoutMs) : 'the timeout'}${c}.`;
    case 'aborted':
      return `${call} was cancelled.`;
    case 'malformed':
      return `The answer to ${call} is unusable: ${detail}`;
    case 'other':
      return `${call} failed: ${detail}${c}`;
  }
}

/** A malformed-answer message naming the zod issue paths (never the values: they may be secrets). */
export function describeZodIssues(error: z.ZodError, max = 5): string {
  const parts = error.issues.slice(0, max).map((i) => `${i.path.length ? formatPath(i.path) : '(root)'}: ${i.message}`);
  const more = error.issues.length > max ? ` (+${error.issues.length - max} more)` : '';
  return parts.join('; ') + more;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const k of path) {
    if (typeof k === 'number') out += `[${k}]`;
    else {
      const s = String(k);
      out += /^[A-Za-z_$][\w$]*$/.test(s) ? `${out ? '.' : ''}${s}` : `["${s}"]`;
    }
  }
  return out;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${+(ms / 1000).toFixed(1)} s`;
}

// ---------------------------------------------------------------------------------------------------------------
// Limit

export class KonnectLimitError extends KonnectError {
  readonly kind = 'limit' as const;
  constructor(
    readonly total: number,
    readonly maxItems: number,
    site?: CallSite,
  ) {
    const msg = `${site ? `${site.method} ${site.path}` : 'The list'} has ${total} items, more than the ${maxItems} this view loads at once. Narrow it with a filter.`;
    super(msg, msg, site, 1);
    this.name = 'KonnectLimitError';
  }
}
