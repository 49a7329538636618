import * as assert from 'node:assert/strict';
import { REDACTED, Redactor } from '../../../src/core/util/redact';

describe('Redactor', () => {
  const r = new Redactor();

  it('masks known values wherever they appear', () => {
    const rr = new Redactor();
    rr.add('s3cr3t-value');
    assert.equal(rr.redact('x s3cr3t-value y s3cr3t-value'), `x ${REDACTED} y ${REDACTED}`);
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
