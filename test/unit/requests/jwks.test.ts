// The signature check against the issuer's keys (discovery → jwks_uri → kid), RS256 / PS256 / ES256, over a stub IdP.
import * as assert from 'node:assert/strict';
import { generateKeyPairSync, sign, constants, type KeyObject } from 'node:crypto';
import { SignatureVerifier } from '../../../src/core/oidc/jwks';
import { createRequestExecutor } from '../../../src/core/requests/executor';
import { decodeJwt } from '../../../src/core/requests/jwt';
import { startStubServer, type StubServer } from '../../support/stubServer';

const never = new AbortController().signal;
const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');

function signJwt(payload: Record<string, unknown>, key: KeyObject, alg: string, kid: string): string {
  const input = `${b64({ alg, kid, typ: 'JWT' })}.${b64(payload)}`;
  const hash = `sha${alg.slice(2)}`;
  const sig = alg.startsWith('RS')
    ? sign(hash, Buffer.from(input), key)
    : alg.startsWith('PS')
      ? sign(hash, Buffer.from(input), {
          key,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
        })
      : sign(hash, Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${sig.toString('base64url')}`;
}

describe('requests: signature check against the issuer keys', () => {
  let stub: StubServer;
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let issuer: string;
  before(async () => {
    stub = await startStubServer();
    issuer = `${stub.url}/idp`;
    stub.on('GET', '/idp/.well-known/openid-configuration', { json: { issuer, jwks_uri: `${stub.url}/idp/jwks` } });
    stub.on('GET', '/idp/jwks', {
      json: {
        keys: [
          { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'rsa-1', use: 'sig' },
          { ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec-1', use: 'sig' },
        ],
      },
    });
  });
  after(async () => {
    await stub.close();
  });

  for (const [alg, key, kid] of [
    ['RS256', rsa.privateKey, 'rsa-1'],
    ['PS256', rsa.privateKey, 'rsa-1'],
    ['ES256', ec.privateKey, 'ec-1'],
  ] as const) {
    it(`${alg}: verifies, and a changed token fails`, async () => {
      const v = new SignatureVerifier(createRequestExecutor());
      const t = signJwt({ iss: issuer, sub: 'a' }, key, alg, kid);
      const ok = await v.check(t, decodeJwt(t)!, issuer, never);
      assert.deepEqual([ok.status, ok.reason], ['pass', `${alg}, verified with the issuer's key ${kid}`]);
      const [h, , s] = t.split('.');
      const tampered = `${h}.${b64({ iss: issuer, sub: 'someone-else' })}.${s}`;
      const bad = await v.check(tampered, decodeJwt(tampered)!, issuer, never);
      assert.equal(bad.status, 'fail');
      assert.match(bad.reason, /^the signature does not verify against the issuer's key/);
    });
  }

  it('a key of another issuer (unknown kid) fails; keys that cannot be loaded skip; keys are fetched once', async () => {
    const v = new SignatureVerifier(createRequestExecutor());
    const before = stub.hits('GET', '/idp/jwks');
    const t = signJwt({ iss: issuer }, other.privateKey, 'RS256', 'elsewhere');
    const r = await v.check(t, decodeJwt(t)!, issuer, never);
    assert.equal(r.status, 'fail');
    assert.match(r.reason, /^no key of the issuer .* matches the token's kid elsewhere/);
    await v.check(t, decodeJwt(t)!, issuer, never);
    assert.equal(stub.hits('GET', '/idp/jwks') - before, 1, 'JWKS cached');
    const s = await v.check(t, decodeJwt(t)!, `${stub.url}/nowhere`, never);
    assert.deepEqual(
      [s.status, s.reason],
      ['skip', "the issuer's keys could not be loaded (discovery answered HTTP 404)"],
    );
    const none = `${b64({ alg: 'none' })}.${b64({ iss: issuer })}.`;
    assert.match((await v.check(none, decodeJwt(none)!, issuer, never)).reason, /not signed/);
  });
});
