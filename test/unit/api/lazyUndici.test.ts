import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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

describe('api: the transport works with the bundled undici subset (dist/undici.js)', () => {
  it('requests through Agent and ProxyAgent when `undici` resolves to dist/undici.js', function () {
    this.timeout(10_000);
    const root = repoRoot();
    const vendored = join(root, 'dist', 'undici.js');
    if (!existsSync(vendored)) this.skip();   // built by `node esbuild.mjs` (the test runner does it)
    const index = join(root, 'out', 'src', 'core', 'api', 'index.js');
    const proxyModule = join(root, 'out', 'test', 'support', 'proxy.js');
    const script = `
      const Module = require('node:module');
      const orig = Module._resolveFilename;
      Module._resolveFilename = function (req, ...rest) { return req === 'undici' ? ${JSON.stringify(vendored)} : orig.call(this, req, ...rest); };
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
        const usedVendored = Object.keys(require.cache).includes(${JSON.stringify(vendored)});
        console.log(JSON.stringify({ a: a.status, b: b.status, proxied: proxy.count(), usedVendored }));
        await direct.close(); await viaProxy.close(); await proxy.close(); srv.close();
      });`;
    const out = execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out.trim()), { a: 'success', b: 'success', proxied: 1, usedVendored: true });
  });
});
