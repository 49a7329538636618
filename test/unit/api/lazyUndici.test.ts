import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../support/fixtures';

describe('api: undici is loaded lazily', () => {
  it('importing the client and constructing it does not load undici; the first request does', function () {
    this.timeout(10_000);
    const root = repoRoot();
    const index = join(root, 'out', 'src', 'core', 'api', 'index.js');
    const script = `
      const loaded = () => Object.keys(require.cache).some((k) => k.includes('node_modules/undici/'));
      const api = require(${JSON.stringify(index)});
      const c = api.createKonnectClient({ region: 'us', token: 'kpat_x', userAgent: 'konnect-dcr-vscode/0.1.0' });
      const afterConstruct = loaded();
      const http = require('node:http');
      const srv = http.createServer((q, s) => { s.setHeader('content-type', 'application/json'); s.end('{"status":"success","errors":[]}'); });
      srv.listen(0, '127.0.0.1', async () => {
        const k = api.createKonnectClient({ baseUrl: 'http://127.0.0.1:' + srv.address().port, token: 't', userAgent: 'ua/1' });
        await k.dcrProviders.verify('x');
        console.log(JSON.stringify({ afterConstruct, afterRequest: loaded() }));
        await k.close(); await c.close(); srv.close();
      });`;
    const out = execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out.trim()), { afterConstruct: false, afterRequest: true });
  });
});

describe('api: the transport works with the undici subset the bundle ships (core/util/undici.ts)', () => {
  it("requests through Agent and ProxyAgent without ever loading undici's index (fetch, WebSocket, mocks, caches)", function () {
    this.timeout(10_000);
    const root = repoRoot();
    const index = join(root, 'out', 'src', 'core', 'api', 'index.js');
    const proxyModule = join(root, 'out', 'test', 'support', 'proxy.js');
    const script = `
      const api = require(${JSON.stringify(index)});
      const { startCountingProxy } = require(${JSON.stringify(proxyModule)});
      const http = require('node:http');
      const srv = http.createServer((q, s) => { s.setHeader('content-type', 'application/json'); s.end('{"status":"success","errors":[]}'); });
      srv.listen(0, '127.0.0.1', async () => {
        const proxy = await startCountingProxy();
        const base = { baseUrl: 'http://127.0.0.1:' + srv.address().port, token: 't', userAgent: 'ua/1' };
        const direct = api.createKonnectClient(base);
        const viaProxy = api.createKonnectClient({ ...base, proxy: proxy.url });
        const a = await direct.dcrProviders.verify('x');
        const b = await viaProxy.dcrProviders.verify('x');
        const undici = Object.keys(require.cache).filter((k) => k.includes('node_modules/undici/'));
        const fullIndex = undici.some((k) => k.endsWith('node_modules/undici/index.js'));
        console.log(JSON.stringify({ a: a.status, b: b.status, proxied: proxy.count(), subsetLoaded: undici.length > 0, fullIndex }));
        await direct.close(); await viaProxy.close(); await proxy.close(); srv.close();
      });`;
    const out = execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out.trim()), {
      a: 'success',
      b: 'success',
      proxied: 1,
      subsetLoaded: true,
      fullIndex: false,
    });
  });
});
