/**
 * A tiny loopback reverse proxy that injects the emulator's fault kinds in front of anything the emulator does not
 * serve itself (the IdP token endpoints, the gateway), or in front of the emulator when a fault must follow a
 * pattern its registry cannot express (a 429 storm on one request in three).
 *
 *   const p = await startFaultProxy('http://127.0.0.1:4000');
 *   p.faults.add({ path: '^/oauth2/v1/token$', method: 'POST', kind: 'drop', times: 1 });   // same FaultSpec as the emulator
 *   p.policy = (method, path, n) => (n % 3 === 0 ? { kind: 'status', status: 429, retryAfter: 0 } : undefined);
 *   p.url + '/oauth2/v1/token'
 *
 * Kinds (as in sandbox/konnect/faults.ts): latency (then forwarded), status (problem+json; Retry-After on
 * 429/503), malformed (200 with truncated JSON, not forwarded), drop (socket destroyed, not forwarded), slow-body
 * (forwarded, the answer dribbled out over delayMs). A request whose client went away during a latency fault is still
 * forwarded, as a real server would still process it.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultRegistry, type FaultSpec } from '../../../sandbox/konnect/faults';

/**
 * What the proxy can do to one request: the emulator's kinds, plus `truncate` (policy only): forwarded, the server's
 * answer kept (status, headers) but its body cut in half — "it was done, the answer got lost on the way".
 */
export type ProxyFault = Omit<FaultSpec, 'path' | 'method' | 'times' | 'kind'> & {
  kind: FaultSpec['kind'] | 'truncate';
};

export interface ProxyHit {
  method: string;
  path: string;
  status: number;
  fault?: string | undefined;
  at: number;
  /** The request's Authorization header (the secrets audit collects the bearer tokens that went through). */
  authorization?: string | undefined;
}

export interface FaultProxy {
  readonly url: string;
  readonly faults: FaultRegistry;
  /** Consulted before the registry with the request's 1-based sequence number; return a fault or undefined. */
  policy: ((method: string, path: string, n: number) => ProxyFault | undefined) | undefined;
  readonly hits: ProxyHit[];
  stop(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  // every pending wait, so that stop() leaves no timer behind (a 10 s latency fault must not hold the process)
  const timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  let stopped = false;
  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = {
        timer: setTimeout(() => {
          timers.delete(t);
          resolve();
        }, ms),
        resolve,
      };
      timers.add(t);
    });
  const faults = new FaultRegistry();
  const hits: ProxyHit[] = [];
  const agent = new http.Agent({ keepAlive: true });
  let n = 0;
  const proxy: FaultProxy = { url: '', faults, policy: undefined, hits, stop: async () => undefined };

  const server = http.createServer((req, res) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = new URL(req.url ?? '/', 'http://proxy').pathname;
    const hit: ProxyHit = { method, path, status: 0, at: Date.now(), authorization: req.headers.authorization };
    hits.push(hit);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const fault = proxy.policy?.(method, path, ++n) ?? faults.take(method, path);
        hit.fault = fault?.kind;
        let slowMs = 0;
        let truncate = false;
        switch (fault?.kind) {
          case 'drop':
            req.socket.destroy();
            return;
          case 'status': {
            const status = fault.status ?? 503;
            const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
            if (status === 429 || status === 503 || fault.retryAfter !== undefined)
              headers['retry-after'] = String(fault.retryAfter ?? 1);
            hit.status = status;
            res.writeHead(status, headers);
            res.end(
              JSON.stringify({
                status,
                title: http.STATUS_CODES[status] ?? `HTTP ${status}`,
                detail: `Injected fault: ${status}`,
              }),
            );
            return;
          }
          case 'malformed': {
            const text = '{"access_token":"eyJhbGciOiJSUzI1NiJ9.trunc';
            hit.status = 200;
            res.writeHead(200, {
              'content-type': 'application/json',
              'content-length': String(Buffer.byteLength(text)),
            });
            res.end(text);
            return;
          }
          case 'latency':
            await delay(fault.delayMs ?? 200);
            break;
          case 'slow-body':
            slowMs = fault.delayMs ?? 200;
            break;
          case 'truncate':
            truncate = true;
            break;
          default:
            break;
        }
        if (stopped) {
          req.socket.destroy();
          return;
        }
        const headers = { ...req.headers, host: upstream.host };
        const up = http.request(
          { host: upstream.hostname, port: upstream.port, method, path: req.url, headers, agent },
          (ur) => {
            const body: Buffer[] = [];
            ur.on('data', (c: Buffer) => body.push(c));
            ur.on('end', () => {
              void (async () => {
                const whole = Buffer.concat(body);
                const buf = truncate ? whole.subarray(0, whole.length >> 1) : whole;
                hit.status = ur.statusCode ?? 502;
                const h = { ...ur.headers };
                delete h['transfer-encoding'];
                h['content-length'] = String(buf.length);
                if (res.destroyed) return;
                res.writeHead(hit.status, h);
                if (!slowMs) {
                  res.end(buf);
                  return;
                }
                const parts = 10;
                const step = Math.max(1, Math.ceil(buf.length / parts));
                for (let i = 0; i < buf.length; i += step) {
                  if (res.destroyed || stopped) return;
                  res.write(buf.subarray(i, i + step));
                  await delay(slowMs / parts);
                }
                res.end();
              })();
            });
          },
        );
        up.on('error', () => {
          hit.status = 502;
          if (!res.headersSent) {
            res.writeHead(502);
            res.end();
          } else res.destroy();
        });
        up.end(Buffer.concat(chunks));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  Object.assign(proxy, {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        stopped = true;
        for (const t of timers) {
          clearTimeout(t.timer);
          t.resolve();
        }
        timers.clear();
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return proxy;
}
