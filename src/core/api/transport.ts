/**
 * The HTTP transport: one request out, one fully read answer back. The client gets it through its constructor
 * (docs/design.md §2), so tests and the sandbox can pass their own.
 *
 * `createUndiciTransport` is the production one. It loads undici (the subset in ../util/undici.ts: `Agent`,
 * `ProxyAgent`, `errors`, the dispatcher methods) on the first request, not at import time.
 */
import type * as Undici from 'undici';
import { loadUndici } from '../util/undici';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

export interface HttpRequest {
  readonly method: HttpMethod;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | undefined;
  /** Aborting it must reject `send` promptly, also while the body is being read. */
  readonly signal: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  /** Lower-case names; repeated headers are arrays (`set-cookie`). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The whole body, decoded as UTF-8. */
  readonly body: string;
}

export interface HttpTransport {
  /** Rejects with the underlying error (e.g. `ECONNREFUSED`, a TLS error, an abort); the client classifies it. */
  send(request: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}

/** First value of a header, if any. */
export function headerValue(res: Pick<HttpResponse, 'headers'>, name: string): string | undefined {
  const v = res.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** All values of a header. */
export function headerValues(res: Pick<HttpResponse, 'headers'>, name: string): string[] {
  const v = res.headers[name.toLowerCase()];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export interface UndiciTransportOptions {
  /** Extra certificate authorities (PEM, one or more certificates), trusted in addition to Node's bundled roots. */
  ca?: string | undefined;
  /** `http://host:port` (or `https://…`, with credentials if needed): every request goes through it (CONNECT). */
  proxy?: string | undefined;
  /** Answers larger than this are refused (default 20 MB). */
  maxResponseBytes?: number | undefined;
  /** TCP+TLS connect timeout (default 15 s); the client's per-call timeout also applies. */
  connectTimeoutMs?: number | undefined;
}

/** Thrown (as a cause) when an answer exceeds `maxResponseBytes`. */
export class ResponseTooLargeError extends Error {
  readonly code = 'KDCR_RESPONSE_TOO_LARGE';
  constructor(readonly limit: number) {
    super(`The answer is larger than ${Math.round(limit / 1024 / 1024)} MB`);
    this.name = 'ResponseTooLargeError';
  }
}

const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

/** The production transport over an undici `Agent` (or `ProxyAgent`), created on first use. TLS is always verified. */
export function createUndiciTransport(options: UndiciTransportOptions = {}): HttpTransport {
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_BYTES;
  let dispatcher: Undici.Dispatcher | undefined;

  const getDispatcher = (): Undici.Dispatcher => {
    if (dispatcher) return dispatcher;
    const u = loadUndici();
    const tls = options.ca
      ? {
          // `ca` replaces Node's default roots, so keep them and add the custom ones.
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          ca: [...(require('node:tls') as typeof import('node:tls')).rootCertificates, options.ca],
          rejectUnauthorized: true,
        }
      : { rejectUnauthorized: true };
    const connect = { ...tls, timeout: options.connectTimeoutMs ?? 15_000 };
    dispatcher = options.proxy
      ? new u.ProxyAgent({ uri: options.proxy, requestTls: connect, proxyTls: connect })
      : new u.Agent({ connect });
    return dispatcher;
  };

  return {
    async send(req) {
      const d = getDispatcher();
      const res = await d.request({
        origin: req.url.origin,
        path: `${req.url.pathname}${req.url.search}`,
        method: req.method,
        headers: req.headers,
        body: req.body ?? null,
        signal: req.signal,
        // The client enforces its own per-call timeout; these are only a backstop.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      const chunks: Buffer[] = [];
      let size = 0;
      try {
        for await (const chunk of res.body as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > maxBytes) throw new ResponseTooLargeError(maxBytes);
          chunks.push(chunk);
        }
      } catch (err) {
        res.body.destroy();
        throw err;
      }
      const headers: Record<string, string | string[] | undefined> = {};
      for (const [k, v] of Object.entries(res.headers)) headers[k.toLowerCase()] = v;
      return { status: res.statusCode, headers, body: Buffer.concat(chunks).toString('utf8') };
    },
    async close() {
      const d = dispatcher;
      dispatcher = undefined;
      if (d) await d.close();
    },
  };
}
