import * as assert from 'node:assert/strict';
import {
  KONNECT_REGIONS,
  checkBearerToken,
  konnectTokenKind,
  looksLikeKonnectToken,
  normalizeBaseUrl,
  regionBaseUrl,
  resolveBaseUrl,
} from '../../../src/core/api/regions';
import { encodeQuery, listQueryParams } from '../../../src/core/api/query';
import { parseRetryAfter } from '../../../src/core/api/engine';
import { certificateHostMismatch, classifyNetworkError } from '../../../src/core/api/errors';

describe('api: regions and base URLs', () => {
  it('maps every region to https://{region}.api.konghq.com', () => {
    assert.deepEqual([...KONNECT_REGIONS], ['us', 'eu', 'au', 'me', 'in', 'sg']);
    for (const r of KONNECT_REGIONS) assert.equal(regionBaseUrl(r), `https://${r}.api.konghq.com`);
    assert.equal(resolveBaseUrl({ region: 'eu' }), 'https://eu.api.konghq.com');
  });
  it('an explicit base URL wins and is normalised (trailing slash dropped, path prefix kept)', () => {
    assert.equal(resolveBaseUrl({ region: 'us', baseUrl: 'http://127.0.0.1:8080/' }), 'http://127.0.0.1:8080');
    assert.equal(normalizeBaseUrl('http://localhost:9/konnect//'), 'http://localhost:9/konnect');
  });
  it('refuses unknown regions, non-http URLs, credentials and queries', () => {
    assert.throws(() => resolveBaseUrl({ region: 'xx' as never }), /Unknown Konnect region "xx"/);
    assert.throws(() => resolveBaseUrl({}), /region or a base URL/);
    assert.throws(() => normalizeBaseUrl('ftp://x'), /http or https/);
    assert.throws(() => normalizeBaseUrl('https://u:p@x'), /credentials/);
    assert.throws(() => normalizeBaseUrl('https://x/?a=1'), /query/);
    assert.throws(() => normalizeBaseUrl('not a url'), /Not a valid URL/);
  });
});

describe('api: tokens', () => {
  it('tells PATs and SPATs from other tokens, loosely', () => {
    assert.equal(konnectTokenKind('kpat_' + 'a1B2'.repeat(10)), 'pat');
    assert.equal(konnectTokenKind('spat_' + 'Z9'.repeat(15)), 'spat');
    assert.equal(konnectTokenKind('kpat_short'), 'other');
    assert.equal(konnectTokenKind('sandbox-token'), 'other');
    assert.equal(looksLikeKonnectToken('kpat_' + 'x'.repeat(30)), true);
    assert.equal(looksLikeKonnectToken('Bearer kpat_' + 'x'.repeat(30)), false);
  });
  it('accepts any printable token but refuses ones that would break the header', () => {
    assert.equal(checkBearerToken('  sandbox-token \n'), 'sandbox-token');
    assert.throws(() => checkBearerToken('   '), /empty/);
    assert.throws(() => checkBearerToken('a b'), /spaces/);
    assert.throws(() => checkBearerToken('abc\r\nX-Evil: 1'), /control/);
    assert.throws(() => checkBearerToken('kpat_é'), /non-ASCII/);
  });
});

describe('api: list query encoding', () => {
  it('encodes page, sort and filters with literal brackets and encoded values', () => {
    const pairs = listQueryParams({
      pageSize: 10,
      pageNumber: 2,
      sort: ['name', 'created_at desc'],
      filter: {
        name: { contains: 'a b&c' },
        provider_type: { eq: 'okta' },
        id: 'x',
        issuer: { oeq: ['u1', 'u2'] },
        dcr_provider_id: undefined,
      },
    });
    assert.deepEqual(pairs, [
      ['page[size]', '10'],
      ['page[number]', '2'],
      ['sort', 'name,created_at desc'],
      ['filter[name][contains]', 'a b&c'],
      ['filter[provider_type][eq]', 'okta'],
      ['filter[id]', 'x'],
      ['filter[issuer][oeq]', 'u1,u2'],
    ]);
    assert.equal(
      encodeQuery(pairs),
      '?page[size]=10&page[number]=2&sort=name%2Ccreated_at%20desc&filter[name][contains]=a%20b%26c&filter[provider_type][eq]=okta&filter[id]=x&filter[issuer][oeq]=u1%2Cu2',
    );
    assert.equal(encodeQuery([]), '');
  });
  it('refuses a non-positive page size or number', () => {
    assert.throws(() => listQueryParams({ pageSize: 0 }), /pageSize/);
    assert.throws(() => listQueryParams({ pageNumber: 1.5 }), /pageNumber/);
  });
});

describe('api: Retry-After and error classification', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);
  it('parses delta-seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('3', now), 3000);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
    assert.equal(parseRetryAfter(new Date(now + 7000).toUTCString(), now), 7000);
    assert.equal(parseRetryAfter(new Date(now - 7000).toUTCString(), now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter('-1', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });
  it('classifies Node and undici failures by code, looking through causes', () => {
    const withCode = (code: string, message = code): Error => Object.assign(new Error(message), { code });
    assert.equal(classifyNetworkError(withCode('ENOTFOUND')).kind, 'offline');
    assert.equal(classifyNetworkError(withCode('EAI_AGAIN')).kind, 'offline');
    assert.equal(classifyNetworkError(withCode('ECONNREFUSED')).kind, 'unreachable');
    assert.equal(classifyNetworkError(withCode('ECONNRESET')).kind, 'reset');
    assert.equal(classifyNetworkError(withCode('UND_ERR_SOCKET')).kind, 'reset');
    assert.equal(classifyNetworkError(withCode('UND_ERR_CONNECT_TIMEOUT')).kind, 'timeout');
    for (const c of [
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'CERT_HAS_EXPIRED',
      'ERR_TLS_CERT_ALTNAME_INVALID',
      'ERR_SSL_WRONG_VERSION_NUMBER',
    ]) {
      assert.equal(classifyNetworkError(withCode(c)).kind, 'tls', c);
    }
    const wrapped = new TypeError('fetch failed', { cause: withCode('ECONNREFUSED') });
    assert.deepEqual(
      { ...classifyNetworkError(wrapped), detail: '' },
      { kind: 'unreachable', code: 'ECONNREFUSED', detail: '' },
    );
    const aggregate = Object.assign(new AggregateError([withCode('ECONNREFUSED')], ''), { code: 'ECONNREFUSED' });
    assert.equal(classifyNetworkError(aggregate).kind, 'unreachable');
    assert.equal(
      classifyNetworkError(withCode('UND_ERR_ABORTED', 'Proxy response (407) !== 200 when HTTP Tunneling')).kind,
      'proxy',
    );
    assert.equal(classifyNetworkError(new Error('boom')).kind, 'other');
  });
  it('finds a certificate for another host name in an error or its causes: the peer certificate, else the message', () => {
    const altname = (message: string, extra: Record<string, unknown> = {}): Error =>
      Object.assign(new Error(message), { code: 'ERR_TLS_CERT_ALTNAME_INVALID', ...extra });
    const fromCert = altname('x', {
      host: 'idp.example.com',
      cert: { subjectaltname: 'DNS:login.example.net, IP Address:10.0.0.7', subject: { CN: 'ignored' } },
    });
    assert.deepEqual(certificateHostMismatch(new TypeError('fetch failed', { cause: fromCert })), {
      host: 'idp.example.com',
      names: ['login.example.net', '10.0.0.7'],
    });
    assert.deepEqual(
      certificateHostMismatch(altname('x', { host: 'a.example', cert: { subject: { CN: 'b.example' } } })),
      { host: 'a.example', names: ['b.example'] },
    );
    const viaProxy = Object.assign(new Error('TLS error'), {
      code: 'UND_ERR_PRX_TLS',
      cause: altname(
        "Hostname/IP does not match certificate's altnames: Host: a.example. is not in the cert's altnames: DNS:b.example, DNS:*.c.example",
      ),
    });
    assert.deepEqual(certificateHostMismatch(viaProxy), { host: 'a.example', names: ['b.example', '*.c.example'] });
    assert.equal(
      certificateHostMismatch(Object.assign(new Error('x'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })),
      undefined,
    );
  });
});
