/**
 * Loopback servers that stall a client in one phase of a request, and say whether the client closed its connection:
 *
 *   silent      accepts TCP, reads, never writes: an https client waits in its TLS handshake, an http one for the
 *               first byte of the answer
 *   mid-body    reads the request head, answers a status line, headers and part of a Content-Length body, then stalls
 *   proxy-mute  a proxy that accepts TCP and never answers CONNECT
 *   proxy-to    a proxy that answers CONNECT with 200 and tunnels to `target` (e.g. a silent server)
 *
 * Every accepted socket is read (so the client's FIN is seen) and counted: `open()` is how many the client has not
 * closed yet.
 */
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';

export type StallMode = 'silent' | 'mid-body' | 'proxy-mute' | { proxyTo: number };

export interface StallServer {
  readonly port: number;
  /** Connections accepted so far. */
  accepted(): number;
  /** Accepted connections the client has not closed. */
  open(): number;
  close(): Promise<void>;
}

export async function startStallServer(mode: StallMode): Promise<StallServer> {
  const sockets = new Set<net.Socket>();
  const clients = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    clients.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      clients.delete(socket);
    });
    socket.on('error', () => undefined);
    let head = '';
    const onData = (chunk: Buffer): void => {
      if (mode === 'silent') return;
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      if (mode === 'mid-body') {
        socket.write(
          'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{"access_token": "',
        );
        socket.resume(); // keep reading: the client's FIN must be seen
        return;
      }
      if (mode === 'proxy-mute') {
        socket.resume();
        return;
      }
      const upstream = net.connect(mode.proxyTo, '127.0.0.1', () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      sockets.add(upstream);
      upstream.on('close', () => {
        sockets.delete(upstream);
        socket.destroy();
      });
      upstream.on('error', () => socket.destroy());
      socket.on('close', () => upstream.destroy());
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    accepted: () => accepted,
    open: () => clients.size,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Client-side sockets of this process (the servers' own accepted sockets included): for a before/after count. */
export function activeSockets(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'TLSWrap' || r === 'PipeWrap')
    .length;
}
