/** Problem+json errors and the small HTTP plumbing the emulator's handlers share. */
import { randomInt } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { InvalidParameter, Operation } from './openapi';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string | string[]>;
}

/** Thrown by handlers; rendered as `application/problem+json`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly invalidParameters?: InvalidParameter[],
    readonly headers?: Record<string, string>,
  ) {
    super(`${status} ${title}: ${detail}`);
    this.name = 'HttpError';
  }
}

const TITLES: Record<number, string> = {
  400: 'Invalid Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export const titleFor = (status: number): string => TITLES[status] ?? 'Error';

export const badRequest = (invalid: InvalidParameter[], detail = 'Invalid Parameters'): HttpError =>
  new HttpError(400, 'Invalid Request', detail, invalid);
export const notFound = (detail = 'Not found'): HttpError => new HttpError(404, 'Not Found', detail);
export const conflict = (detail: string): HttpError => new HttpError(409, 'Conflict', detail);
export const unauthorized = (detail = 'Unauthorized'): HttpError => new HttpError(401, 'Unauthorized', detail);
export const forbidden = (detail = 'You do not have permission to perform this action'): HttpError =>
  new HttpError(403, 'Forbidden', detail);

/** `kong:trace:<digits>`, as Konnect's `instance`. */
export function traceId(): string {
  return `kong:trace:${String(randomInt(1, 2 ** 47))}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
}

export function problemBody(
  status: number,
  title: string,
  detail: string,
  invalid?: InvalidParameter[],
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    status,
    title,
    type: `https://httpstatuses.com/${status}`,
    instance: traceId(),
    detail,
  };
  if (invalid && invalid.length) body['invalid_parameters'] = invalid;
  return body;
}

export function problemReply(e: HttpError): Reply {
  const headers: Record<string, string> = { 'content-type': 'application/problem+json', ...(e.headers ?? {}) };
  // a 400 always carries a non-empty invalid_parameters (BadRequestError requires it)
  const invalid =
    e.status === 400 && !e.invalidParameters?.length
      ? [{ field: 'body', rule: 'invalid', reason: e.detail, source: 'body' }]
      : e.invalidParameters;
  return { status: e.status, body: problemBody(e.status, e.title, e.detail, invalid), headers };
}

/** Reads the whole body (max 1 MiB). */
export async function readBody(req: IncomingMessage, limit = 1 << 20): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) throw new HttpError(413, 'Payload Too Large', `request body larger than ${limit} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** JSON body or undefined when empty; 400 (`invalid`) when it is not JSON. */
export function parseJsonBody(raw: Buffer, headers: IncomingHttpHeaders): unknown {
  if (raw.length === 0) return undefined;
  const ct = String(headers['content-type'] ?? '');
  const text = raw.toString('utf8');
  if (ct && !/json/i.test(ct) && !/^\s*[{[]/.test(text)) {
    throw new HttpError(415, 'Unsupported Media Type', `unsupported content type ${ct}: send application/json`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest(
      [{ field: 'body', rule: 'invalid', reason: 'request body must be valid JSON', source: 'body' }],
      'Invalid JSON body',
    );
  }
}

export function cookies(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of String(headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

export interface Ctx<Extra = unknown> {
  method: string;
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  body: unknown;
  headers: IncomingHttpHeaders;
  op: Operation;
  signal: AbortSignal;
  extra: Extra;
}

export type Handler<Extra = unknown> = (ctx: Ctx<Extra>) => Reply | Promise<Reply>;

export const json = (status: number, body: unknown, headers?: Record<string, string | string[]>): Reply =>
  headers ? { status, body, headers } : { status, body };
export const noContent = (): Reply => ({ status: 204 });

/** `{a: 1}` picks only defined values (keeps response objects free of `undefined`). */
export function defined<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}
