import * as assert from 'node:assert/strict';
import { REDACTED, Redactor } from '../../../src/core/util/redact';

describe('Redactor', () => {
  const r = new Redactor();

  it('masks known values wherever they appear', () => {
    const rr = new Redactor();
    rr.add('s3cr3t-value');
    assert.equal(rr.redact('x s3cr3t-value y s3cr3t-value'), `x ${REDACTED} y ${REDACTED}`);
  });

  it('masks known values at the start, the end, side by side and overlapping (the longer one whole)', () => {
    const rr = new Redactor();
    for (const v of ['abcdef-1', 'abcdef-1-longer', 'xyz987654', 'short']) rr.add(v);
    assert.equal(rr.redact('abcdef-1'), REDACTED);
    assert.equal(rr.redact('abcdef-1xyz987654'), `${REDACTED}${REDACTED}`);
    assert.equal(rr.redact('[abcdef-1-longer]'), `[${REDACTED}]`, 'the longer value is masked whole');
    assert.equal(rr.redact('end: xyz987654'), `end: ${REDACTED}`);
    assert.equal(rr.redact('short stays: short'), 'short stays: short', 'values under 6 characters are not kept');
    assert.equal(rr.redact('abcdef-'), 'abcdef-', 'a prefix alone is not a match');
  });

  it('masks each of many known values (an apply of 1,000 resources knows 1,000 secrets)', () => {
    const rr = new Redactor();
    const values = Array.from(
      { length: 1000 },
      (_, i) => `sec-${i.toString(36).padStart(4, '0')}-${(i * 7919) % 9973}`,
    );
    for (const v of values) rr.add(v);
    const text = values.map((v, i) => `#${i}=${v}`).join(' ');
    const out = rr.redact(text);
    for (const v of values) assert.ok(!out.includes(v), v);
    assert.equal(out.split(REDACTED).length - 1, values.length);
  });

  it('masks token shapes: PAT/SPAT, bearer/basic/SSWS credentials, JWTs', () => {
    const out = r.redact('kpat_abcdefghijkl Bearer abc.def.ghi SSWS 00aBcDeFgHiJ eyJhbGciOi.eyJzdWIiOi.sig');
    assert.doesNotMatch(out, /kpat_abcdefghijkl|00aBcDeFgHiJ|eyJhbGciOi/);
  });

  it('masks secret-named fields in JSON and form bodies, including registration_access_token and a bare secret', () => {
    const json = r.redact(
      '{"client_secret":"cs-123456","registration_access_token":"rat-123456","secret":"ki-123456","apikey":"ak-123456","name":"kept"}',
    );
    for (const v of ['cs-123456', 'rat-123456', 'ki-123456', 'ak-123456'])
      assert.ok(!json.includes(v), `${v} masked in ${json}`);
    assert.match(json, /"name":"kept"/, 'other fields are left alone');
    const form = r.redact('grant_type=client_credentials&client_secret=abc%2B123456&api-key=zzz123456');
    assert.doesNotMatch(form, /abc%2B123456|zzz123456/);
    assert.match(form, /grant_type=client_credentials/);
  });
});
