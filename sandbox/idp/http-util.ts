// Small node:http helpers shared by the IdP flavours, the admin facades and the gateway.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes, randomUUID, timingSafeEqual, createHash } from 'node:crypto';

const BODY_LIMIT = 256 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > BODY_LIMIT) throw new HttpError(413, 'request_too_large', 'request body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** An error the facades turn into an HTTP answer; `body` is sent as is when given. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    description: string,
    readonly body?: unknown,
  ) {
    super(description);
    this.name = 'HttpError';
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, headers);
  res.end();
}

export function contentTypeOf(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Parses a JSON object body; anything else is a 400. */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readBody(req);
  if (raw.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid_request', 'the request body is not valid JSON');
  }
  if (!isRecord(parsed)) throw new HttpError(400, 'invalid_request', 'the request body must be a JSON object');
  return parsed;
}

/** Parses a form or JSON body into string values (the first one of repeated keys is kept, as arrays are refused later). */
export function parseParams(raw: Buffer, contentType: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (k: string, v: string) => out.set(k, [...(out.get(k) ?? []), v]);
  if (contentType === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      return out;
    }
    if (isRecord(parsed)) {
      for (const [k, v] of Object.entries(parsed)) {
        if (typeof v === 'string') add(k, v);
        else if (typeof v === 'number' || typeof v === 'boolean') add(k, String(v));
        else if (Array.isArray(v)) for (const item of v) if (typeof item === 'string') add(k, item);
      }
    }
    return out;
  }
  for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) add(k, v);
  return out;
}

export function encodeForm(params: Map<string, string[]>): string {
  const usp = new URLSearchParams();
  for (const [k, values] of params) for (const v of values) usp.append(k, v);
  return usp.toString();
}

/**
 * Hands an already-read body back to a consumer that reads the request stream itself (oidc-provider reads
 * `req.iterator()` when `req.readable`): this request object is given a one-shot iterator over `body`.
 */
export function replayBody(req: IncomingMessage, body: Buffer | string, contentType: string): void {
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  req.headers['content-type'] = contentType;
  req.headers['content-length'] = String(buf.length);
  delete req.headers['transfer-encoding'];
  Object.defineProperty(req, 'readable', { value: true, configurable: true, writable: true });
  Object.defineProperty(req, 'iterator', {
    configurable: true,
    writable: true,
    value: async function* iterator() {
      yield buf;
    },
  });
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m?.[1];
}

export function constantTimeEqual(a: string, b: string): boolean {
  // Hash first so that the comparison takes the same time whatever the lengths.
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function stringArray(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
}

export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Alphanumeric ids such as Auth0 / Okta client ids. */
export function randomId(length = 20): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

export { randomUUID };

export function epochSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The path part of a request URL, and its query. */
export function splitUrl(url: string | undefined): { path: string; query: URLSearchParams } {
  const u = new URL(url ?? '/', 'http://sandbox.invalid');
  return { path: u.pathname, query: u.searchParams };
}
