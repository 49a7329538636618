/**
 * Sends one resolved request and measures where the time went.
 *
 * undici does the HTTP; the connection is ours: an undici `Agent` whose `connect` opens plain `net` / `tls` sockets
 * (or a CONNECT tunnel through the proxy, then TLS inside it), so the socket's own events give the phases:
 *   dns       start → socket `lookup` (0 / absent for an IP literal)
 *   connect   lookup → TCP `connect`
 *   tls       TCP connect → `secureConnect` (https only)
 *   firstByte connection ready → response headers parsed by undici (server time + one round trip + header parse)
 *   transfer  headers → last body byte read
 *   total     send() called → last body byte (includes undici's own queueing, so ≥ the sum of the phases)
 * Each request gets a fresh connection (as curl does), so the phases are always this request's own; it asks for
 * keep-alive as any HTTP/1.1 client does, and it is this side that closes it, once the answer is read. Through a proxy
 * (phase `proxy`: TCP to the proxy and its CONNECT tunnel; then `tls` to the target inside the tunnel) the times
 * are not split: `viaProxy` says so.
 *
 * Every phase honours the timeout and the caller's signal: undici only looks at a request's signal once it has a
 * connection, so the connect function listens to it itself and destroys its sockets, and the whole exchange is raced
 * against it. The error names the phase it stopped in (`RequestFailedError.phase`, and the AbortError's `phase`).
 * When `execute` settles, every socket it opened is destroyed.
 *
 * undici (its subset in ../util/undici.ts) is loaded on the first send, as `core/api/transport.ts` does. TLS is
 * always verified; `ca` adds to Node's roots.
 */
import type * as Undici from 'undici';
import { STATUS_CODES } from 'node:http';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { certificateHostMismatch, classifyNetworkError, describeHostMismatch, formatDuration } from '../api/errors';
import { linkAbort } from '../util/abort';
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
  /** Whole-request timeout, every phase included (default 30 s). */
  timeoutMs?: number | undefined;
  /** Extra CA certificates (PEM). */
  ca?: string | undefined;
  /** Proxy URL (`http://host:port`, `https://…`, with `user:password@` for Basic proxy authentication). */
  proxy?: string | undefined;
  /** Hosts that bypass the proxy (NO_PROXY style: `idp.internal,.corp.example`). */
  noProxy?: string | undefined;
  /** Loopback hosts (localhost, 127.x, ::1) bypass the proxy (default true). */
  bypassLoopback?: boolean | undefined;
  maxResponseBytes?: number | undefined;
  /** High-resolution clock in ms (default `performance.now`). */
  now?: (() => number) | undefined;
  /** Host name resolution (default `dns.lookup`, as `net.connect` does). */
  lookup?: net.LookupFunction | undefined;
}

/** Where a request was when it stopped: the DNS lookup, the TCP connect, the proxy tunnel, TLS, the wait for the answer, its body. */
export type RequestPhase = 'dns' | 'connect' | 'proxy' | 'tls' | 'firstByte' | 'body';

export class RequestFailedError extends Error {
  readonly phase: RequestPhase | undefined;
  constructor(
    message: string,
    readonly kind: string,
    readonly code: string | undefined,
    readonly elapsedMs: number,
    options?: { cause?: unknown; phase?: RequestPhase | undefined },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RequestFailedError';
    this.phase = options?.phase;
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

/** What the request was doing, as the object of "timed out during …" / "Cancelled during …". */
function phaseText(
  phase: RequestPhase,
  where: { host: string; authority: string; proxy?: string | undefined; bytes: number },
): string {
  switch (phase) {
    case 'dns':
      return `the DNS lookup of ${where.host}`;
    case 'connect':
      return `the TCP connect to ${where.authority}`;
    case 'proxy':
      return `the connection through the proxy ${where.proxy ?? ''} (TCP to it, then its CONNECT tunnel to ${where.authority})`;
    case 'tls':
      return `the TLS handshake with ${where.authority}`;
    case 'firstByte':
      return `the wait for the answer from ${where.authority} (the request was sent, no status line or headers came back)`;
    case 'body':
      return `the transfer of the answer body from ${where.authority} (${where.bytes} bytes received)`;
  }
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
        throw new RequestFailedError(
          `Only http and https URLs can be sent (got ${url.protocol})`,
          'unsupported',
          undefined,
          0,
        );
      }
      let proxy: URL | undefined;
      if (options.proxy && !bypassesProxy(url.hostname, options.noProxy, options.bypassLoopback ?? true)) {
        try {
          proxy = new URL(options.proxy);
        } catch {
          throw new RequestFailedError(`The proxy "${options.proxy}" is not a valid URL`, 'proxy', undefined, 0);
        }
        if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:')
          throw new RequestFailedError(
            `Only http and https proxies are supported (got ${proxy.protocol})`,
            'proxy',
            undefined,
            0,
          );
      }
      const u = loadUndici();
      const host = url.hostname.replace(/^\[|\]$/g, '');
      const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
      const https = url.protocol === 'https:';
      const authority = `${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
      const phases: { lookup?: number; connect?: number; secure?: number; start?: number; ready?: number } = {};
      const state = { phase: (proxy ? 'proxy' : net.isIP(host) ? 'connect' : 'dns') as RequestPhase, bytes: 0 };
      const where = { host, authority, proxy: proxy?.host, bytes: 0 };
      const describe = (): string => phaseText(state.phase, { ...where, bytes: state.bytes });
      const ca = options.ca ? [...tls.rootCertificates, options.ca] : undefined;
      const sockets = new Set<net.Socket>();
      const track = <S extends net.Socket>(socket: S): S => {
        sockets.add(socket);
        socket.on('error', noop);
        return socket;
      };

      const link = linkAbort(signal);
      // the phase a request stopped in is the one it was in when the signal fired (listener added first: runs first)
      let stoppedIn: RequestPhase | undefined;
      link.signal.addEventListener(
        'abort',
        () => {
          stoppedIn ??= state.phase;
        },
        { once: true },
      );
      const timer = setTimeout(() => {
        link.abort(
          new RequestFailedError(
            `No complete answer within ${formatDuration(timeoutMs)} (konnectDcr.requestTimeoutSeconds): timed out during ${describe()}.`,
            'timeout',
            'ETIMEDOUT',
            timeoutMs,
            { phase: state.phase },
          ),
        );
      }, timeoutMs);

      const open = async (): Promise<net.Socket> => {
        phases.start = now();
        if (!proxy) {
          const socket = track(
            https
              ? tls.connect({
                  host,
                  port,
                  servername: net.isIP(host) ? '' : host,
                  rejectUnauthorized: true,
                  ALPNProtocols: ['http/1.1'],
                  ...(ca ? { ca } : {}),
                  ...(options.lookup ? { lookup: options.lookup } : {}),
                })
              : net.connect({ host, port, ...(options.lookup ? { lookup: options.lookup } : {}) }),
          );
          socket.once('lookup', () => {
            phases.lookup = now();
            state.phase = 'connect';
          });
          socket.once('connect', () => {
            phases.connect = now();
            if (https) state.phase = 'tls';
          });
          await ready(socket, https ? 'secureConnect' : 'connect');
          if (https) phases.secure = now();
          return socket;
        }
        const pport = Number(proxy.port) || (proxy.protocol === 'https:' ? 443 : 80);
        const phost = proxy.hostname.replace(/^\[|\]$/g, '');
        const toProxy = track(
          proxy.protocol === 'https:'
            ? tls.connect({
                host: phost,
                port: pport,
                servername: net.isIP(phost) ? '' : phost,
                rejectUnauthorized: true,
                ...(ca ? { ca } : {}),
                ...(options.lookup ? { lookup: options.lookup } : {}),
              })
            : net.connect({ host: phost, port: pport, ...(options.lookup ? { lookup: options.lookup } : {}) }),
        );
        await ready(toProxy, proxy.protocol === 'https:' ? 'secureConnect' : 'connect');
        const auth = proxy.username
          ? `Proxy-Authorization: Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}\r\n`
          : '';
        toProxy.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${auth}\r\n`);
        const status = await connectReply(toProxy);
        // the same words undici's ProxyAgent uses, which the error classifier knows as a proxy refusal
        if (status !== 200) throw new Error(`Proxy response (${status}) !== 200 when HTTP Tunneling`);
        if (!https) return toProxy;
        state.phase = 'tls';
        const socket = track(
          tls.connect({
            socket: toProxy,
            servername: net.isIP(host) ? '' : host,
            rejectUnauthorized: true,
            ALPNProtocols: ['http/1.1'],
            ...(ca ? { ca } : {}),
          }),
        );
        await ready(socket, 'secureConnect');
        return socket;
      };

      const connect = (_opts: unknown, cb: (err: Error | null, socket: unknown) => void): void => {
        let done = false;
        const finish = (err: Error | null, socket: net.Socket | null): void => {
          if (done) return;
          done = true;
          link.signal.removeEventListener('abort', onAbort);
          if (err) {
            for (const s of sockets) s.destroy();
            cb(err, null);
            return;
          }
          state.phase = 'firstByte';
          phases.ready = now();
          cb(null, socket);
        };
        // undici does not abort a request that is still waiting for its connection: stop the connection here
        const onAbort = (): void => finish(asError(link.signal.reason), null);
        if (link.signal.aborted) {
          onAbort();
          return;
        }
        link.signal.addEventListener('abort', onAbort, { once: true });
        open().then(
          (socket) => finish(null, socket),
          (err: unknown) => finish(asError(err), null),
        );
      };
      // one connection, used once: it is destroyed when execute settles. Not `pipelining: 0`, which sends
      // `connection: close`: the server then ends every answer by closing, and undici destroys the socket with an
      // error object (stack captured and formatted) per answer; a plain keep-alive request closed by us costs neither
      const dispatcher = new u.Agent({ connect: connect as never, connections: 1 });

      try {
        const headers: Record<string, string | string[]> = {};
        for (const [k, v] of request.headers) {
          const key = k.toLowerCase();
          const prev = headers[key];
          headers[key] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
        }
        let res: Undici.Dispatcher.ResponseData;
        try {
          res = await raceAbort(
            dispatcher.request({
              origin: url.origin,
              path: `${url.pathname}${url.search}`,
              method: request.method as Undici.Dispatcher.HttpMethod,
              headers,
              body: request.body ?? null,
              signal: link.signal,
              headersTimeout: 0,
              bodyTimeout: 0,
            }),
            link.signal,
          );
        } catch (err) {
          throw failure(err, link.signal, signal, now() - t0, stoppedIn ?? state.phase, describe, authority);
        }
        const tHeaders = now();
        state.phase = 'body';
        const chunks: Buffer[] = [];
        const stopBody = (): void => {
          res.body.destroy(asError(link.signal.reason));
        };
        link.signal.addEventListener('abort', stopBody, { once: true });
        try {
          for await (const chunk of res.body as AsyncIterable<Buffer>) {
            state.bytes += chunk.length;
            if (state.bytes > maxBytes)
              throw new RequestFailedError(
                `The answer is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`,
                'too-large',
                undefined,
                now() - t0,
              );
            chunks.push(chunk);
          }
        } catch (err) {
          res.body.destroy();
          throw err instanceof RequestFailedError && err.kind === 'too-large'
            ? err
            : failure(err, link.signal, signal, now() - t0, stoppedIn ?? state.phase, describe, authority);
        } finally {
          link.signal.removeEventListener('abort', stopBody);
        }
        const tEnd = now();
        const out: Record<string, string | string[] | undefined> = {};
        for (const [k, v] of Object.entries(res.headers)) out[k.toLowerCase()] = v;
        const dns =
          phases.start !== undefined && phases.lookup !== undefined ? phases.lookup - phases.start : undefined;
        const connectStart = phases.lookup ?? phases.start;
        const viaProxy = proxy !== undefined;
        return {
          status: res.statusCode,
          statusText: STATUS_CODES[res.statusCode] ?? '',
          headers: out,
          body: Buffer.concat(chunks).toString('utf8'),
          bytes: state.bytes,
          timings: {
            dnsMs: viaProxy ? undefined : round(dns),
            connectMs: viaProxy
              ? undefined
              : round(
                  phases.connect !== undefined && connectStart !== undefined
                    ? phases.connect - connectStart
                    : undefined,
                ),
            tlsMs: viaProxy
              ? undefined
              : round(
                  phases.secure !== undefined && phases.connect !== undefined
                    ? phases.secure - phases.connect
                    : undefined,
                ),
            firstByteMs: round(tHeaders - (phases.ready ?? t0))!,
            transferMs: round(tEnd - tHeaders)!,
            totalMs: round(tEnd - t0)!,
            viaProxy,
          },
        };
      } finally {
        clearTimeout(timer);
        link.dispose();
        for (const s of sockets) s.destroy();
        void dispatcher.destroy().catch(noop);
      }
    },
  };
}

const noop = (): void => undefined;

function asError(reason: unknown): Error {
  if (reason instanceof Error) return reason;
  const err = new Error(String(reason ?? 'aborted'));
  err.name = 'AbortError';
  return err;
}

/** Resolves when `socket` emits `event`; rejects on its error, or when it closes first. */
function ready(socket: net.Socket, event: 'connect' | 'secureConnect'): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const cleanup = (): void => {
      socket.off(event, onReady);
      socket.off('error', onError);
      socket.off('close', onClose);
    };
    const onReady = (): void => {
      cleanup();
      resolve();
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const onClose = (): void => {
      cleanup();
      reject(Object.assign(new Error('The connection closed before it was established'), { code: 'ECONNRESET' }));
    };
    socket.once(event, onReady);
    socket.once('error', onError);
    socket.once('close', onClose);
  });
}

/** Reads the proxy's answer to CONNECT (status line and headers) and returns its status; the socket is left paused. */
function connectReply(socket: net.Socket): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const cleanup = (): void => {
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buf.length > 16_384) {
          cleanup();
          reject(
            Object.assign(new Error('The proxy answered CONNECT with more than 16 KB of headers'), {
              code: 'HPE_HEADER_OVERFLOW',
            }),
          );
        }
        return;
      }
      cleanup();
      socket.pause();
      const rest = buf.subarray(end + 4);
      if (rest.length) socket.unshift(rest);
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(buf.subarray(0, end).toString('latin1'));
      if (!m) {
        reject(Object.assign(new Error("The proxy's answer to CONNECT is not HTTP"), { code: 'HPE_INVALID_CONSTANT' }));
        return;
      }
      resolve(Number(m[1]));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const onClose = (): void => {
      cleanup();
      reject(
        Object.assign(new Error('The proxy closed the connection before answering CONNECT'), { code: 'ECONNRESET' }),
      );
    };
    socket.on('data', onData);
    socket.once('error', onError);
    socket.once('close', onClose);
  });
}

/** `p`, or a rejection with the signal's reason as soon as it aborts (a late answer's body is then thrown away). */
function raceAbort(
  p: Promise<Undici.Dispatcher.ResponseData>,
  signal: AbortSignal,
): Promise<Undici.Dispatcher.ResponseData> {
  const discard = (r: Undici.Dispatcher.ResponseData): void => {
    r.body.on('error', noop).destroy();
  };
  if (signal.aborted) {
    p.then(discard, noop);
    return Promise.reject(asError(signal.reason));
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    const onAbort = (): void => {
      if (!settled) {
        settled = true;
        p.then(discard, noop);
        reject(asError(signal.reason));
      }
    };
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (r) => {
        signal.removeEventListener('abort', onAbort);
        if (settled) discard(r);
        else {
          settled = true;
          resolve(r);
        }
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        if (!settled) {
          settled = true;
          reject(err);
        }
      },
    );
  });
}

function round(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : Math.round(ms * 10) / 10;
}

function failure(
  err: unknown,
  linked: AbortSignal,
  outer: AbortSignal,
  elapsed: number,
  phase: RequestPhase,
  describe: () => string,
  authority: string,
): Error {
  if (outer.aborted) {
    const e = new Error(`Cancelled during ${describe()}.`, { cause: outer.reason });
    e.name = 'AbortError';
    return Object.assign(e, { phase });
  }
  if (linked.aborted && linked.reason instanceof RequestFailedError) return linked.reason;
  const c = classifyNetworkError(err);
  const code = c.code ? ` (${c.code})` : '';
  const mismatch = c.kind === 'tls' ? certificateHostMismatch(err) : undefined;
  if (mismatch)
    return new RequestFailedError(`${describeHostMismatch(mismatch, authority)}${code}`, c.kind, c.code, elapsed, {
      cause: err,
      phase,
    });
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
  return new RequestFailedError(`${what[c.kind] ?? c.detail}${code}`, c.kind, c.code, elapsed, { cause: err, phase });
}
