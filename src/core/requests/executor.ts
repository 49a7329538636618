/**
 * Sends one resolved request and measures where the time went.
 *
 * Direct connections go through an undici `Agent` whose `connect` is ours (plain `net` / `tls` sockets), so the
 * socket's own events give the phases:
 *   dns       start → socket `lookup` (0 / absent for an IP literal)
 *   connect   lookup → TCP `connect`
 *   tls       TCP connect → `secureConnect` (https only)
 *   firstByte connection ready → response headers parsed by undici (server time + one round trip + header parse)
 *   transfer  headers → last body byte read
 *   total     send() called → last body byte (includes undici's own queueing, so ≥ the sum of the phases)
 * Each request gets a fresh connection (as curl does), so the phases are always this request's own. Through a proxy
 * (ProxyAgent: CONNECT tunnel) the socket is undici's, so connect/TLS are not split out: `viaProxy` says so.
 *
 * undici (its subset in ../util/undici.ts) is loaded on the first send, as `core/api/transport.ts` does. TLS is
 * always verified; `ca` adds to Node's roots.
 */
import type * as Undici from 'undici';
import { STATUS_CODES } from 'node:http';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { classifyNetworkError } from '../api/errors';
import { abortError, linkAbort } from '../util/abort';
import { loadUndici } from '../util/undici';

export interface OutgoingRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body?: string | undefined;
}

export interface Timings {
  readonly dnsMs?: number | undefined;
  readonly connectMs?: number | undefined;
  readonly tlsMs?: number | undefined;
  readonly firstByteMs: number;
  readonly transferMs: number;
  readonly totalMs: number;
  readonly viaProxy: boolean;
}

export interface ExecutedResponse {
  readonly status: number;
  readonly statusText: string;
  /** Lower-case names; repeated headers are arrays. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  readonly bytes: number;
  readonly timings: Timings;
}

export interface RequestExecutor {
  /** Rejects with a `RequestFailedError` (or an `AbortError` when `signal` aborts). */
  execute(request: OutgoingRequest, signal: AbortSignal): Promise<ExecutedResponse>;
}

export interface ExecutorOptions {
  /** Whole-request timeout (default 30 s). */
  timeoutMs?: number | undefined;
  /** Extra CA certificates (PEM). */
  ca?: string | undefined;
  /** Proxy URL (`http://host:port`). */
  proxy?: string | undefined;
  /** Hosts that bypass the proxy (NO_PROXY style: `idp.internal,.corp.example`). */
  noProxy?: string | undefined;
  /** Loopback hosts (localhost, 127.x, ::1) bypass the proxy (default true). */
  bypassLoopback?: boolean | undefined;
  maxResponseBytes?: number | undefined;
  /** High-resolution clock in ms (default `performance.now`). */
  now?: (() => number) | undefined;
}

export class RequestFailedError extends Error {
  constructor(message: string, readonly kind: string, readonly code: string | undefined, readonly elapsedMs: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RequestFailedError';
  }
}

const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

export function bypassesProxy(host: string, noProxy: string | undefined, bypassLoopback = true): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bypassLoopback && (h === 'localhost' || h === '::1' || h.startsWith('127.'))) return true;
  for (const raw of (noProxy ?? '').split(/[,\s]+/)) {
    const e = raw.trim().toLowerCase().replace(/:\d+$/, '');
    if (!e) continue;
    if (e === '*') return true;
    const suffix = e.startsWith('.') ? e : `.${e}`;
    if (h === e.replace(/^\./, '') || h.endsWith(suffix)) return true;
  }
  return false;
}

export function createRequestExecutor(options: ExecutorOptions = {}): RequestExecutor {
  const now = options.now ?? (() => performance.now());
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_BYTES;
  const timeoutMs = options.timeoutMs ?? 30_000;

  return {
    async execute(request, signal) {
      const t0 = now();
      let url: URL;
      try {
        url = new URL(request.url);
      } catch {
        throw new RequestFailedError(`Cannot send: "${request.url}" is not a valid URL`, 'invalid-url', undefined, 0);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new RequestFailedError(`Only http and https URLs can be sent (got ${url.protocol})`, 'unsupported', undefined, 0);
      }
      const u = loadUndici();
      const phases: { lookup?: number; connect?: number; secure?: number; start?: number } = {};
      const viaProxy = !!options.proxy && !bypassesProxy(url.hostname, options.noProxy, options.bypassLoopback ?? true);
      const ca = options.ca ? [...tls.rootCertificates, options.ca] : undefined;
      let dispatcher: Undici.Dispatcher;
      if (viaProxy) {
        const connect = { rejectUnauthorized: true, ...(ca ? { ca } : {}) };
        dispatcher = new u.ProxyAgent({ uri: options.proxy!, requestTls: connect, proxyTls: connect });
      } else {
        const connect = (opts: { hostname: string; host?: string; port: string; protocol: string; servername?: string }, cb: (err: Error | null, socket: unknown) => void): void => {
          phases.start = now();
          const host = opts.hostname.replace(/^\[|\]$/g, '');
          const port = Number(opts.port) || (opts.protocol === 'https:' ? 443 : 80);
          const socket = opts.protocol === 'https:'
            ? tls.connect({ host, port, servername: net.isIP(host) ? '' : (opts.servername || host), rejectUnauthorized: true, ALPNProtocols: ['http/1.1'], ...(ca ? { ca } : {}) })
            : net.connect({ host, port });
          socket.setNoDelay(true);
          socket.once('lookup', () => { phases.lookup = now(); });
          socket.once('connect', () => { phases.connect = now(); });
          const ready = opts.protocol === 'https:' ? 'secureConnect' : 'connect';
          const onReady = (): void => { socket.off('error', onError); if (ready === 'secureConnect') phases.secure = now(); cb(null, socket); };
          const onError = (err: Error): void => { socket.off(ready, onReady); socket.destroy(); cb(err, null); };
          socket.once(ready, onReady);
          socket.once('error', onError);
        };
        dispatcher = new u.Agent({ connect: connect as never, connections: 1, pipelining: 0 });
      }
      const link = linkAbort(signal);
      const timer = setTimeout(() => link.abort(new RequestFailedError(`No complete answer within ${Math.round(timeoutMs / 1000)} s (konnectDcr.requestTimeoutSeconds)`, 'timeout', 'ETIMEDOUT', timeoutMs)), timeoutMs);
      try {
        const headers: Record<string, string | string[]> = {};
        for (const [k, v] of request.headers) {
          const key = k.toLowerCase();
          const prev = headers[key];
          headers[key] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
        }
        let res: Undici.Dispatcher.ResponseData;
        try {
          res = await dispatcher.request({
            origin: url.origin, path: `${url.pathname}${url.search}`, method: request.method as Undici.Dispatcher.HttpMethod,
            headers, body: request.body ?? null, signal: link.signal, headersTimeout: 0, bodyTimeout: 0,
          });
        } catch (err) {
          throw failure(err, link.signal, signal, now() - t0);
        }
        const tHeaders = now();
        const chunks: Buffer[] = [];
        let size = 0;
        try {
          for await (const chunk of res.body as AsyncIterable<Buffer>) {
            size += chunk.length;
            if (size > maxBytes) throw new RequestFailedError(`The answer is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`, 'too-large', undefined, now() - t0);
            chunks.push(chunk);
          }
        } catch (err) {
          res.body.destroy();
          throw err instanceof RequestFailedError ? err : failure(err, link.signal, signal, now() - t0);
        }
        const tEnd = now();
        const out: Record<string, string | string[] | undefined> = {};
        for (const [k, v] of Object.entries(res.headers)) out[k.toLowerCase()] = v;
        const ready = phases.secure ?? phases.connect;
        const dns = phases.start !== undefined && phases.lookup !== undefined ? phases.lookup - phases.start : undefined;
        const connectStart = phases.lookup ?? phases.start;
        return {
          status: res.statusCode,
          statusText: STATUS_CODES[res.statusCode] ?? '',
          headers: out,
          body: Buffer.concat(chunks).toString('utf8'),
          bytes: size,
          timings: {
            dnsMs: round(dns),
            connectMs: round(phases.connect !== undefined && connectStart !== undefined ? phases.connect - connectStart : undefined),
            tlsMs: round(phases.secure !== undefined && phases.connect !== undefined ? phases.secure - phases.connect : undefined),
            firstByteMs: round(tHeaders - (ready ?? t0))!,
            transferMs: round(tEnd - tHeaders)!,
            totalMs: round(tEnd - t0)!,
            viaProxy,
          },
        };
      } finally {
        clearTimeout(timer);
        link.dispose();
        void dispatcher.destroy().catch(() => undefined);
      }
    },
  };
}

function round(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : Math.round(ms * 10) / 10;
}

function failure(err: unknown, linked: AbortSignal, outer: AbortSignal, elapsed: number): Error {
  if (outer.aborted) return abortError(outer.reason);
  if (linked.aborted && linked.reason instanceof RequestFailedError) return linked.reason;
  const c = classifyNetworkError(err);
  const code = c.code ? ` (${c.code})` : '';
  const what: Record<string, string> = {
    offline: 'The host name does not resolve or the network is down',
    unreachable: 'Nothing answers there (connection refused or unreachable)',
    tls: 'The TLS certificate was refused: set "Konnect DCR: Ca File" for a private CA or a TLS-inspecting proxy',
    timeout: 'The connection timed out',
    reset: 'The connection was closed before a complete answer',
    proxy: 'The proxy refused the connection',
    malformed: 'The answer is not valid HTTP',
    other: c.detail,
  };
  return new RequestFailedError(`${what[c.kind] ?? c.detail}${code}`, c.kind, c.code, elapsed, { cause: err });
}
