/** Contract: Kong Identity /v1/auth-servers (scopes, claims, clients, client secrets) against the Kong Identity spec. */
import assert from 'node:assert/strict';
import { type TestKonnect, startTestKonnect } from './support/fakes';
import { type Json, assertCovered } from './support/spec-client';

const MISSING = '5f9fd312-a987-4628-b4c5-bb4f4fddd5f7';

describe('contract: Kong Identity /v1/auth-servers', function () {
  let k: TestKonnect;
  let as: Json;
  before(async () => {
    k = await startTestKonnect();
    as = (
      await k.api.post(
        '/v1/auth-servers',
        {
          name: 'Appointments',
          audience: 'http://myhttpbin.dev',
          description: 'the auth server',
          labels: { env: 'test' },
        },
        { expect: 201 },
      )
    ).body;
  });
  after(async () => {
    await k.stop();
    assert.deepEqual(k.emu.specViolations, [], 'the emulator answered outside the spec');
    assert.deepEqual(
      k.emu.errors.map((e) => e.message),
      [],
    );
  });
  const base = (): string => `/v1/auth-servers/${String(as.id)}`;

  it('401 without the token (undeclared by the KI spec, still a problem+json BaseError)', async () => {
    const r = await k.api.get('/v1/auth-servers', { auth: false, expect: 401, allowUndeclared: true });
    assert.equal(r.body.status, 401);
  });

  it('auth servers: 201 with issuer / metadata_uri / jwks_uri from the KongIdentityBackend, get, list, patch, 409, 400, 404', async () => {
    assert.equal(as.issuer, k.backend.issuerFor(String(as.id)));
    assert.equal(as.metadata_uri, k.backend.metadataUriFor(String(as.id)));
    assert.equal(as.jwks_uri, k.backend.jwksUriFor(String(as.id)));
    assert.equal(as.signing_algorithm, 'RS256');
    assert.deepEqual((await k.api.get(base(), { expect: 200 })).body, as);
    assert.deepEqual(k.emu.identity.authServer(String(as.id)), {
      id: as.id,
      name: 'Appointments',
      audience: 'http://myhttpbin.dev',
      signing_algorithm: 'RS256',
      issuer: as.issuer,
    });

    await k.api.post(
      '/v1/auth-servers',
      { name: 'Second', audience: 'aud-2', signing_algorithm: 'PS256' },
      { expect: 201 },
    );
    const list = await k.api.get('/v1/auth-servers?page[size]=1&page[number]=2', { expect: 200 });
    assert.deepEqual(list.body.meta.page, { number: 2, size: 1, total: 2 });
    assert.equal(
      (await k.api.get('/v1/auth-servers?filter[name][contains]=appoint', { expect: 200 })).body.data.length,
      1,
    );
    assert.equal(
      (await k.api.get('/v1/auth-servers?filter[audience][eq]=aud-2', { expect: 200 })).body.data[0].name,
      'Second',
    );
    assert.equal(
      (await k.api.get('/v1/auth-servers?filter[labels][eq]=env:test', { expect: 200 })).body.data.length,
      1,
    );

    const dup = await k.api.post('/v1/auth-servers', { name: 'Appointments', audience: 'x' }, { expect: 409 });
    assert.match(dup.body.detail, /Appointments/);
    const noAud = await k.api.post('/v1/auth-servers', { name: 'no audience' }, { invalidRequest: true, expect: 400 });
    assert.deepEqual(noAud.body.invalid_parameters, [
      { field: 'audience', rule: 'required', reason: '"audience" is required', source: 'body' },
    ]);
    const badAlg = await k.api.post(
      '/v1/auth-servers',
      { name: 'alg', audience: 'a', signing_algorithm: 'HS256' },
      { invalidRequest: true, expect: 400 },
    );
    assert.equal(badAlg.body.invalid_parameters[0].rule, 'enum');

    const patched = await k.api.patch(
      base(),
      { description: 'changed', labels: { env: null, team: 'id' } },
      { expect: 200 },
    );
    assert.equal(patched.body.description, 'changed');
    assert.deepEqual(patched.body.labels, { team: 'id' });
    await k.api.patch(base(), { name: 'Second' }, { expect: 409 });
    await k.api.get(`/v1/auth-servers/${MISSING}`, { expect: 404 });
    await k.api.patch(`/v1/auth-servers/${MISSING}`, { name: 'x' }, { expect: 404 });
  });

  it('scopes: create 201, duplicate 409, list/get/patch, delete 204, 404', async () => {
    const s = await k.api.post(
      `${base()}/scopes`,
      { name: 'openid', default: true, include_in_metadata: true },
      { expect: 201 },
    );
    assert.equal(s.body.enabled, true);
    assert.equal(s.body.description, '');
    await k.api.post(`${base()}/scopes`, { name: 'openid' }, { expect: 409 });
    await k.api.post(`${base()}/scopes`, { description: 'nameless' }, { invalidRequest: true, expect: 400 });
    const other = await k.api.post(`${base()}/scopes`, { name: 'weather:read' }, { expect: 201 });
    assert.equal((await k.api.get(`${base()}/scopes`, { expect: 200 })).body.meta.page.total, 2);
    assert.equal((await k.api.get(`${base()}/scopes?filter[name][eq]=openid`, { expect: 200 })).body.data.length, 1);
    assert.equal((await k.api.get(`${base()}/scopes/${String(s.body.id)}`, { expect: 200 })).body.name, 'openid');
    assert.equal(
      (await k.api.patch(`${base()}/scopes/${String(other.body.id)}`, { enabled: false }, { expect: 200 })).body
        .enabled,
      false,
    );
    await k.api.patch(`${base()}/scopes/${String(other.body.id)}`, { name: 'openid' }, { expect: 409 });
    assert.deepEqual(
      k.emu.identity
        .scopes(String(as.id))
        .map((x) => x.name)
        .sort(),
      ['openid', 'weather:read'],
    );
    await k.api.delete(`${base()}/scopes/${String(other.body.id)}`, { expect: 204 });
    await k.api.get(`${base()}/scopes/${String(other.body.id)}`, { expect: 404 });
    await k.api.get(`/v1/auth-servers/${MISSING}/scopes`, { expect: 404 });
  });

  it('claims: create 201 with scope ids, missing scope 400, list/get/patch/delete', async () => {
    const scope = (await k.api.get(`${base()}/scopes?filter[name][eq]=openid`, { expect: 200 })).body.data[0];
    const c = await k.api.post(
      `${base()}/claims`,
      { name: 'client_name', value: '{{ .Client.Name }}', include_in_token: true, include_in_scopes: [scope.id] },
      { expect: 201 },
    );
    assert.deepEqual(c.body.include_in_scopes, [scope.id]);
    assert.equal(c.body.include_in_all_scopes, false);
    const bad = await k.api.post(
      `${base()}/claims`,
      { name: 'x', value: 'y', include_in_scopes: [MISSING] },
      { expect: 400 },
    );
    assert.equal(bad.body.invalid_parameters[0].rule, 'missing_reference');
    await k.api.post(`${base()}/claims`, { name: 'no value' }, { invalidRequest: true, expect: 400 });
    assert.equal((await k.api.get(`${base()}/claims`, { expect: 200 })).body.data.length, 1);
    assert.equal(
      (await k.api.get(`${base()}/claims/${String(c.body.id)}`, { expect: 200 })).body.value,
      '{{ .Client.Name }}',
    );
    assert.equal(
      (await k.api.patch(`${base()}/claims/${String(c.body.id)}`, { include_in_all_scopes: true }, { expect: 200 }))
        .body.include_in_all_scopes,
      true,
    );
    assert.equal(k.emu.identity.claims(String(as.id))[0]?.include_in_all_scopes, true);
    const tmp = await k.api.post(`${base()}/claims`, { name: 'tmp', value: 'static' }, { expect: 201 });
    await k.api.delete(`${base()}/claims/${String(tmp.body.id)}`, { expect: 204 });
    await k.api.delete(`${base()}/claims/${String(tmp.body.id)}`, { expect: 404 });
  });

  it('clients: client_secret only in the create answer; list/get/patch/put/delete; the KongIdentityStore sees enabled secrets', async () => {
    const created = await k.api.post(
      `${base()}/clients`,
      { name: 'app-1', grant_types: ['client_credentials'], response_types: ['token'], allow_all_scopes: true },
      { expect: 201 },
    );
    const id = String(created.body.id);
    assert.match(id, /^[A-Za-z0-9]{20}$/);
    assert.equal(typeof created.body.client_secret, 'string');
    assert.equal(created.body.access_token_duration, 300);
    const got = await k.api.get(`${base()}/clients/${id}`, { expect: 200 });
    assert.ok(!('client_secret' in got.body));
    assert.ok(!got.text.includes(String(created.body.client_secret)), 'the secret is not readable back');
    const listed = await k.api.get(`${base()}/clients`, { expect: 200 });
    assert.ok(!listed.text.includes(String(created.body.client_secret)));
    assert.deepEqual(k.emu.identity.client(String(as.id), id)?.secrets, [created.body.client_secret]);

    const badGrant = await k.api.post(
      `${base()}/clients`,
      { name: 'x', grant_types: ['authorization_code'], response_types: ['code'] },
      { invalidRequest: true, expect: 400 },
    );
    assert.equal(badGrant.body.invalid_parameters[0].rule, 'enum');
    const shortTtl = await k.api.post(
      `${base()}/clients`,
      { name: 'x', grant_types: ['client_credentials'], response_types: ['token'], access_token_duration: 10 },
      { invalidRequest: true, expect: 400 },
    );
    assert.deepEqual(shortTtl.body.invalid_parameters, [
      {
        field: 'access_token_duration',
        rule: 'min',
        minimum: 60,
        reason: 'must be greater than or equal to 60',
        source: 'body',
      },
    ]);

    const patched = await k.api.patch(
      `${base()}/clients/${id}`,
      { access_token_duration: 600, labels: { kind: 'test' } },
      { expect: 200 },
    );
    assert.equal(patched.body.access_token_duration, 600);
    assert.deepEqual(patched.body.labels, { kind: 'test' });
    await k.api.patch(`${base()}/clients/nope`, { name: 'x' }, { expect: 404 });

    const put = await k.api.put(
      `${base()}/clients/my-own-id`,
      { name: 'byo', client_secret: 'SecretPassword', grant_types: ['client_credentials'], response_types: ['token'] },
      { expect: 201 },
    );
    assert.equal(put.body.id, 'my-own-id');
    assert.deepEqual(k.emu.identity.client(String(as.id), 'my-own-id')?.secrets, ['SecretPassword']);
    await k.api.put(
      `${base()}/clients/my-own-id`,
      { name: 'byo-2', client_secret: 'Other', grant_types: ['client_credentials'], response_types: ['token'] },
      { expect: 200 },
    );
    await k.api.put(
      `${base()}/clients/my-own-id`,
      { name: 'no secret', grant_types: ['client_credentials'], response_types: ['token'] },
      { invalidRequest: true, expect: 400 },
    );
    await k.api.delete(`${base()}/clients/my-own-id`, { expect: 204 });
    await k.api.get(`${base()}/clients/my-own-id`, { expect: 404 });
    assert.equal(k.emu.identity.client(String(as.id), 'my-own-id'), undefined);
  });

  it('client secrets: create (secret shown once), list without values, a third active one is a 403, disable, delete', async () => {
    const c = (
      await k.api.post(
        `${base()}/clients`,
        { name: 'rotating', grant_types: ['client_credentials'], response_types: ['token'] },
        { expect: 201 },
      )
    ).body;
    const path = `${base()}/clients/${String(c.id)}/secrets`;
    const s2 = await k.api.post(path, { secret: 'second-secret-value' }, { expect: 201 });
    assert.equal(s2.body.secret, 'second-secret-value');
    const list = await k.api.get(path, { expect: 200 });
    assert.equal(list.body.data.length, 2);
    assert.ok(!list.text.includes('second-secret-value'));
    assert.ok(!list.text.includes(String(c.client_secret)));
    assert.deepEqual(k.emu.identity.client(String(as.id), String(c.id))?.secrets, [
      c.client_secret,
      'second-secret-value',
    ]);
    // two active (the one of the create answer and s2): a third active one is the spec's 403 of createClientSecret
    const third = await k.api.post(path, { secret: 'third-secret-value' }, { expect: 403 });
    assert.deepEqual([third.body.status, third.body.title], [403, 'Forbidden']);
    assert.match(third.body.detail, /already has 2 active secrets \(at most 2\)/);
    assert.equal((await k.api.get(path, { expect: 200 })).body.data.length, 2, 'nothing was added');
    // a disabled one is no third active secret
    const spare = await k.api.post(path, { secret: 'spare-secret-value', enabled: false }, { expect: 201 });
    assert.equal(spare.body.enabled, false);
    await k.api.delete(`${path}/${String(spare.body.id)}`, { expect: 204 });
    const off = await k.api.patch(`${path}/${String(s2.body.id)}`, { enabled: false }, { expect: 200 });
    assert.equal(off.body.enabled, false);
    assert.deepEqual(k.emu.identity.client(String(as.id), String(c.id))?.secrets, [c.client_secret]);
    assert.equal((await k.api.get(`${path}/${String(s2.body.id)}`, { expect: 200 })).body.enabled, false);
    // with one active again, a new active secret is accepted
    const s3 = await k.api.post(path, {}, { expect: 201 });
    assert.equal(s3.body.enabled, true);
    await k.api.delete(`${path}/${String(s3.body.id)}`, { expect: 204 });
    await k.api.delete(`${path}/${String(s2.body.id)}`, { expect: 204 });
    await k.api.get(`${path}/${String(s2.body.id)}`, { expect: 404 });
  });

  it('test-claim renders templates; the token list is empty', async () => {
    const c = (
      await k.api.post(
        `${base()}/clients`,
        { name: 'claims-client', grant_types: ['client_credentials'], response_types: ['token'] },
        { expect: 201 },
      )
    ).body;
    const r = await k.api.post(
      `${base()}/clients/${String(c.id)}/test-claim`,
      { aud: '{{ .AuthServer.Audience }}', fixed: 'x' },
      { expect: 200 },
    );
    assert.deepEqual(r.body, { aud: 'http://myhttpbin.dev', fixed: 'x' });
    const tokens = await k.api.get(`${base()}/clients/${String(c.id)}/tokens`, { expect: 200 });
    assert.deepEqual(tokens.body.data, []);
    await k.api.get(`${base()}/clients/${String(c.id)}/tokens/${MISSING}`, { expect: 404 });
    await k.api.delete(`${base()}/clients/${String(c.id)}/tokens`, { expect: 204 });
  });

  it('test-claim renders ${ … } templates as the token would carry them; a template it cannot render is a 400', async () => {
    const c = (
      await k.api.post(
        `${base()}/clients`,
        {
          name: 'preview-client',
          grant_types: ['client_credentials'],
          response_types: ['token'],
          labels: { tenant: 'acme' },
        },
        { expect: 201 },
      )
    ).body;
    const path = `${base()}/clients/${String(c.id)}/test-claim`;
    const r = await k.api.post(
      path,
      {
        client_id: '${ .Client.ID }',
        who: '${ .Client.Name | upper }-${ .Client.Labels.tenant }',
        n: '42',
        env: '${ .Client.Labels.environment | default "production" }',
      },
      { expect: 200 },
    );
    assert.deepEqual(r.body, { client_id: c.id, who: 'PREVIEW-CLIENT-acme', n: 42, env: 'production' });
    const bad = await k.api.post(path, { ok: 'x', broken: '${ .Client.ID', nope: '${ frobnicate }' }, { expect: 400 });
    assert.equal(
      bad.body.detail,
      'Invalid claim template: template: claim:1: unclosed action; template: claim:1: function "frobnicate" not defined',
    );
    assert.deepEqual(
      bad.body.invalid_parameters.map((p: { field: string; rule: string }) => [p.field, p.rule]),
      [
        ['broken', 'invalid'],
        ['nope', 'invalid'],
      ],
    );
    await k.api.post(path, { n: 1 }, { expect: 400 });
    await k.api.post(`${base()}/clients/${MISSING}/test-claim`, { a: 'b' }, { expect: 404 });
  });

  it('DELETE refuses (400) while children exist unless force=true; then 204 and everything is gone', async () => {
    const r = await k.api.delete(base(), { expect: 400 });
    assert.match(r.body.detail, /client|scope|claim/);
    await k.api.delete(`${base()}?force=maybe`, { expect: 400 });
    await k.api.delete(`${base()}?force=true`, { expect: 204 });
    await k.api.get(base(), { expect: 404 });
    assert.equal(k.emu.identity.authServer(String(as.id)), undefined);
    assert.deepEqual(k.emu.identity.scopes(String(as.id)), []);
    const empty = (await k.api.post('/v1/auth-servers', { name: 'empty', audience: 'e' }, { expect: 201 })).body;
    await k.api.delete(`/v1/auth-servers/${String(empty.id)}`, { expect: 204 });
  });

  describe('coverage', () =>
    it('exercised every Kong Identity operation the sandbox serves', () => {
      assertCovered([
        'ki:listAuthServers 200',
        'ki:createAuthServer 201',
        'ki:createAuthServer 400',
        'ki:createAuthServer 409',
        'ki:getAuthServer 200',
        'ki:getAuthServer 404',
        'ki:updateAuthServer 200',
        'ki:updateAuthServer 404',
        'ki:updateAuthServer 409',
        'ki:deleteAuthServer 204',
        'ki:deleteAuthServer 400',
        'ki:listAuthServerScopes 200',
        'ki:createAuthServerScope 201',
        'ki:createAuthServerScope 409',
        'ki:getAuthServerScope 200',
        'ki:updateAuthServerScope 200',
        'ki:deleteAuthServerScope 204',
        'ki:listAuthServerClaims 200',
        'ki:createAuthServerClaim 201',
        'ki:createAuthServerClaim 400',
        'ki:getAuthServerClaim 200',
        'ki:updateAuthServerClaim 200',
        'ki:deleteAuthServerClaim 204',
        'ki:deleteAuthServerClaim 404',
        'ki:listAuthServerClients 200',
        'ki:createAuthServerClient 201',
        'ki:createAuthServerClient 400',
        'ki:getAuthServerClient 200',
        'ki:updateAuthServerClient 200',
        'ki:replaceAuthServerClient 201',
        'ki:replaceAuthServerClient 200',
        'ki:deleteAuthServerClient 204',
        'ki:listClientSecrets 200',
        'ki:createClientSecret 201',
        'ki:createClientSecret 403',
        'ki:getClientSecret 200',
        'ki:updateClientSecret 200',
        'ki:deleteClientSecret 204',
        'ki:testClaimForClient 200',
        'ki:testClaimForClient 400',
        'ki:testClaimForClient 404',
        'ki:listAuthServerClientTokens 200',
        'ki:getAuthServerClientToken 404',
        'ki:deleteAllAuthServerClientTokens 204',
      ]);
    }));
});
