/**
 * A tiny loopback HTTP proxy that counts what goes through it: CONNECT tunnels (what undici's ProxyAgent uses, for
 * http and https targets alike) and absolute-form requests (`GET http://host/path`). Optionally demands
 * `Proxy-Authorization`.
 */
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface CountingProxy {
  readonly url: string;
  /** `host:port` of every CONNECT, in order. */
  readonly connects: string[];
  /** Absolute URLs of forwarded plain requests. */
  readonly forwarded: string[];
  /** CONNECTs + forwarded requests. */
  count(): number;
  close(): Promise<void>;
}

export async function startCountingProxy(options: { requireAuth?: string } = {}): Promise<CountingProxy> {
  const connects: string[] = [];
  const forwarded: string[] = [];
  const sockets = new Set<net.Socket>();
  const authorized = (h: http.IncomingHttpHeaders): boolean =>
    !options.requireAuth || h['proxy-authorization'] === options.requireAuth;

  const server = http.createServer((req, res) => {
    if (!authorized(req.headers)) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic' });
      res.end();
      return;
    }
    forwarded.push(req.url ?? '');
    const target = new URL(req.url ?? '');
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: req.method,
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (!authorized(req.headers)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
      return;
    }
    connects.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host ?? '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    forwarded,
    count: () => connects.length + forwarded.length,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
