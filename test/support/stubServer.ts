/**
 * A loopback HTTP(S) stub server for tests: routes by method and path, records every request, and can answer with
 * JSON, problem+json, raw text, a delay, no answer at all (`hang`) or a dropped connection (`destroy`).
 *
 *   const stub = await startStubServer();
 *   stub.on('GET', '/v2/dcr-providers', { json: page });
 *   stub.on('POST', '/v2/dcr-providers', [problemReply(503, 'Service Unavailable'), { status: 201, json: p }]);  // one per hit
 *   stub.hits('POST', '/v2/dcr-providers');   // 2
 *   await stub.close();
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Raw request target, e.g. `/v2/dcr-providers?page[size]=10`. */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Parsed JSON body, if any. */
  json: unknown;
}

export interface StubReply {
  status?: number;
  headers?: Record<string, string | string[]>;
  /** Serialised as JSON (content-type application/json unless set). */
  json?: unknown;
  /** Raw body. */
  body?: string;
  /** Wait before answering (ms, real time: keep it tiny). */
  delayMs?: number;
  /** Never answer (the socket is closed when the server closes). */
  hang?: boolean;
  /** Destroy the connection instead of answering (a reset, as the client sees it). */
  destroy?: boolean;
}

export type StubHandler = (req: RecordedRequest) => StubReply | Promise<StubReply>;
type Route = StubReply | StubHandler | StubReply[];

export interface StubServer {
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Answer `method path` (path without query) with a reply, a handler, or a sequence (one per hit; the last repeats). */
  on(method: string, path: string, route: Route): void;
  /** For requests no route matches (default: 404 problem+json). */
  fallback(handler: StubHandler): void;
  /** Requests seen for `method path` (either may be omitted). */
  hits(method?: string, path?: string): number;
  close(): Promise<void>;
}

/** A problem+json reply as Konnect sends it. */
export function problemReply(
  status: number,
  title: string,
  detail = title,
  extra: Record<string, unknown> = {},
): StubReply {
  return {
    status,
    headers: { 'content-type': 'application/problem+json' },
    json: { status, title, instance: `kong:trace:${1000000 + status}`, detail, ...extra },
  };
}

export async function startStubServer(options: { tls?: { key: string; cert: string } } = {}): Promise<StubServer> {
  const routes = new Map<string, Route>();
  const counters = new Map<string, number>();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let fallback: StubHandler = (req) => problemReply(404, 'Not Found', `No stub for ${req.method} ${req.path}`);

  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const target = new URL(req.url ?? '/', 'http://stub.invalid');
        let json: unknown;
        try {
          json = body ? JSON.parse(body) : undefined;
        } catch {
          json = undefined;
        }
        const rec: RecordedRequest = {
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          path: target.pathname,
          query: target.searchParams,
          headers: req.headers,
          body,
          json,
        };
        requests.push(rec);
        const key = `${rec.method} ${rec.path}`;
        const n = counters.get(key) ?? 0;
        counters.set(key, n + 1);
        const route = routes.get(key);
        let reply: StubReply;
        try {
          if (route === undefined) reply = await fallback(rec);
          else if (Array.isArray(route)) reply = route[Math.min(n, route.length - 1)] ?? {};
          else if (typeof route === 'function') reply = await route(rec);
          else reply = route;
        } catch (err) {
          reply = problemReply(500, 'Stub handler failed', String(err));
        }
        if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
        if (reply.hang) return;
        if (reply.destroy) {
          req.socket.destroy();
          return;
        }
        const headers: Record<string, string | string[]> = { ...(reply.headers ?? {}) };
        let payload = reply.body ?? '';
        if (reply.json !== undefined) {
          payload = JSON.stringify(reply.json);
          if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
            headers['content-type'] = 'application/json';
        }
        res.writeHead(reply.status ?? 200, headers);
        res.end(payload);
      })();
    });
  };

  const server = options.tls
    ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, listener)
    : http.createServer(listener);
  server.on(options.tls ? 'secureConnection' : 'connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  if (options.tls)
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `${options.tls ? 'https' : 'http'}://${options.tls ? 'localhost' : '127.0.0.1'}:${port}`,
    port,
    requests,
    on(method, path, route) {
      routes.set(`${method.toUpperCase()} ${path}`, route);
      counters.delete(`${method.toUpperCase()} ${path}`);
    },
    fallback(handler) {
      fallback = handler;
    },
    hits(method, path) {
      return requests.filter((r) => (!method || r.method === method.toUpperCase()) && (!path || r.path === path))
        .length;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
