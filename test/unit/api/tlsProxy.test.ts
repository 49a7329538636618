import * as assert from 'node:assert/strict';
import {
  KonnectNetworkError,
  createKonnectClient,
  type KonnectClient,
  type KonnectClientOptions,
} from '../../../src/core/api/index';
import { FakeClock } from '../../support/clock';
import { startCountingProxy, type CountingProxy } from '../../support/proxy';
import { startStubServer, type StubServer } from '../../support/stubServer';
import { makeSelfSignedCert, type TestCert } from '../../support/tlsCert';
import { rejectionOf } from '../../support/waitFor';
import { aPage } from '../../support/konnectBuilders';

const base = {
  token: 'sandbox-token',
  userAgent: 'konnect-dcr-vscode/0.1.0',
  timeoutMs: 5000,
  retry: { maxAttempts: 1 },
} as const;

describe('api: custom CA and proxy (real undici transport)', function () {
  const clients: KonnectClient[] = [];
  const closers: (() => Promise<void>)[] = [];
  const make = (o: Partial<KonnectClientOptions> & { baseUrl: string }): KonnectClient => {
    const c = createKonnectClient({ ...base, clock: new FakeClock(), ...o });
    clients.push(c);
    return c;
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    for (const close of closers.splice(0)) await close();
  });

  describe('HTTPS with a self-signed certificate', () => {
    let cert: TestCert | undefined;
    let stub: StubServer;
    before(function () {
      cert = makeSelfSignedCert();
      if (!cert) this.skip(); // no openssl CLI on this machine
    });
    beforeEach(async () => {
      stub = await startStubServer({ tls: cert! });
      closers.push(() => stub.close());
      stub.on('GET', '/v2/dcr-providers', { json: aPage([], 1, 10) });
    });

    it('is refused without the CA, as a "tls" error naming the certificate problem', async () => {
      const err = await rejectionOf(make({ baseUrl: stub.url }).dcrProviders.list());
      assert.ok(err instanceof KonnectNetworkError, String(err));
      assert.equal(err.kind, 'tls');
      assert.equal(err.code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
      assert.match(err.userMessage, /TLS certificate of localhost:\d+ was refused.*custom CA/);
      assert.equal(stub.hits(), 0);
    });

    it('works with the CA passed in (public roots still trusted alongside)', async () => {
      const page = await make({ baseUrl: stub.url, ca: cert!.cert }).dcrProviders.list();
      assert.equal(page.meta.page.total, 0);
      assert.equal(stub.hits(), 1);
    });

    it('a different CA does not help: TLS stays verified', async () => {
      const other = makeSelfSignedCert('other');
      const err = await rejectionOf(make({ baseUrl: stub.url, ca: other!.cert }).dcrProviders.list());
      assert.ok(err instanceof KonnectNetworkError && err.kind === 'tls', String(err));
    });

    it('through a proxy (CONNECT tunnel) with the CA', async () => {
      const proxy = await startCountingProxy();
      closers.push(() => proxy.close());
      await make({ baseUrl: stub.url, ca: cert!.cert, proxy: proxy.url }).dcrProviders.list();
      assert.deepEqual(proxy.connects, [`localhost:${stub.port}`]);
      assert.equal(stub.hits(), 1);
    });
  });

  describe('a certificate for another host name (trusted, but not for this host)', () => {
    let cert: TestCert | undefined;
    let stub: StubServer;
    before(function () {
      cert = makeSelfSignedCert('api.other.example', 'DNS:api.other.example,DNS:*.other.example');
      if (!cert) this.skip(); // no openssl CLI on this machine
    });
    beforeEach(async () => {
      stub = await startStubServer({ tls: cert! });
      closers.push(() => stub.close());
      stub.on('GET', '/v2/dcr-providers', { json: aPage([], 1, 10) });
    });

    it('says the certificate is for another host and which names it is valid for, not to add a CA', async () => {
      const err = await rejectionOf(make({ baseUrl: stub.url, ca: cert!.cert }).dcrProviders.list());
      assert.ok(err instanceof KonnectNetworkError, String(err));
      assert.equal(err.kind, 'tls');
      assert.equal(err.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
      assert.match(
        err.userMessage,
        /^The TLS certificate of localhost:\d+ is for another host: it is valid for api\.other\.example, \*\.other\.example, not for localhost\. A custom CA \(Konnect DCR: Ca File\) cannot fix this/,
      );
      assert.doesNotMatch(err.userMessage, /add its certificate authority/);
      assert.equal(stub.hits(), 0);
    });

    it("the same through a proxy (the check is on the target's certificate inside the tunnel)", async () => {
      const proxy = await startCountingProxy();
      closers.push(() => proxy.close());
      const err = await rejectionOf(make({ baseUrl: stub.url, ca: cert!.cert, proxy: proxy.url }).dcrProviders.list());
      assert.ok(err instanceof KonnectNetworkError && err.kind === 'tls', String(err));
      assert.match(
        err.userMessage,
        /is for another host: it is valid for api\.other\.example, \*\.other\.example, not for localhost/,
      );
    });
  });

  describe('proxy', () => {
    let stub: StubServer;
    let proxy: CountingProxy;
    beforeEach(async () => {
      stub = await startStubServer();
      closers.push(() => stub.close());
      stub.on('GET', '/v2/dcr-providers', { json: aPage([], 1, 10) });
    });

    it('every request goes through the configured proxy', async () => {
      proxy = await startCountingProxy();
      closers.push(() => proxy.close());
      const c = make({ baseUrl: stub.url, proxy: proxy.url });
      await c.dcrProviders.list();
      await c.dcrProviders.list();
      assert.ok(proxy.count() >= 1, 'the proxy saw the traffic');
      assert.equal(proxy.connects[0], `127.0.0.1:${stub.port}`);
      assert.equal(stub.hits(), 2);
    });

    it('without the proxy option the proxy sees nothing', async () => {
      proxy = await startCountingProxy();
      closers.push(() => proxy.close());
      await make({ baseUrl: stub.url }).dcrProviders.list();
      assert.equal(proxy.count(), 0);
      assert.equal(stub.hits(), 1);
    });

    it('a proxy that demands credentials gives a "proxy" error; credentials in the proxy URL satisfy it', async () => {
      proxy = await startCountingProxy({ requireAuth: `Basic ${Buffer.from('u:p').toString('base64')}` });
      closers.push(() => proxy.close());
      const err = await rejectionOf(make({ baseUrl: stub.url, proxy: proxy.url }).dcrProviders.list());
      assert.ok(err instanceof KonnectNetworkError, String(err));
      assert.equal(err.kind, 'proxy');
      assert.match(err.message, /407/);
      assert.equal(stub.hits(), 0);
      await make({ baseUrl: stub.url, proxy: proxy.url.replace('http://', 'http://u:p@') }).dcrProviders.list();
      assert.equal(stub.hits(), 1);
    });
  });
});
