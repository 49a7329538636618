/**
 * Contract: a Kong Identity client's issued tokens (`/v1/auth-servers/{id}/clients/{clientId}/tokens`) against the
 * Kong Identity spec, with the sandbox's real Kong Identity IdP attached to the emulator: every client_credentials
 * token it issues is listed (by its jti, never its value), paged, sorted and filtered like the other lists; get,
 * revoke one, revoke all; deleting the client deletes its tokens.
 */
import assert from 'node:assert/strict';
import { type StartedIdp, startIdp } from '../idp';
import { decodePayload, requestToken } from '../idp/testing';
import { type KonnectEmulator, startKonnectEmulator } from '../konnect/emulator';
import { type Json, SpecClient, assertCovered } from './support/spec-client';

const TOKEN = 'kpat_sandboxTokensContract0123456789';
const MISSING = '5f9fd312-a987-4628-b4c5-bb4f4fddd5f7';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('contract: Kong Identity client tokens', function () {
  let idp: StartedIdp;
  let emu: KonnectEmulator;
  let api: SpecClient;
  let as: Json;
  let client: Json;
  let path: string;

  const issue = async (scope?: string): Promise<Record<string, unknown>> => {
    const r = await requestToken(`${String(as.issuer)}/oauth/token`, {
      clientId: String(client.id),
      clientSecret: String(client.client_secret),
      ...(scope ? { params: { scope } } : {}),
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return { ...decodePayload(String(r.body['access_token'])), raw: r.body['access_token'] };
  };

  before(async () => {
    idp = await startIdp({});
    emu = await startKonnectEmulator({ token: TOKEN, kongIdentity: idp.kongIdentity, drivers: idp.drivers });
    idp.useKongIdentityStore(emu.identity);
    api = new SpecClient(emu.url, TOKEN);
    as = (await api.post('/v1/auth-servers', { name: 'tokens', audience: 'https://tokens.test' }, { expect: 201 }))
      .body;
    const scope = (await api.post(`/v1/auth-servers/${String(as.id)}/scopes`, { name: 'read' }, { expect: 201 })).body;
    client = (
      await api.post(
        `/v1/auth-servers/${String(as.id)}/clients`,
        {
          name: 'machine',
          grant_types: ['client_credentials'],
          response_types: ['token'],
          allow_scopes: [scope.id],
          access_token_duration: 600,
        },
        { expect: 201 },
      )
    ).body;
    path = `/v1/auth-servers/${String(as.id)}/clients/${String(client.id)}/tokens`;
  });
  after(async () => {
    await emu?.stop();
    await idp?.stop();
    assert.deepEqual(emu.specViolations, [], 'the emulator answered outside the spec');
    assert.deepEqual(
      emu.errors.map((e) => e.message),
      [],
    );
  });

  it('lists every token the IdP issued to the client: id = the jti, granted scopes, created/expires from iat/exp', async () => {
    assert.deepEqual((await api.get(path, { expect: 200 })).body.data, []);
    const first = await issue('read');
    const second = await issue();
    assert.match(String(first['jti']), UUID);
    const list = await api.get(`${path}?sort=created_at`, { expect: 200 });
    assert.deepEqual(list.body.meta.page, { number: 1, size: 10, total: 2 });
    const byId = new Map((list.body.data as Json[]).map((t) => [t.id, t]));
    assert.deepEqual(byId.get(first['jti']), {
      id: first['jti'],
      granted_scope_names: ['read'],
      created_at: new Date((first['iat'] as number) * 1000).toISOString(),
      expires_at: new Date((first['exp'] as number) * 1000).toISOString(),
    });
    assert.equal((first['exp'] as number) - (first['iat'] as number), 600, "the client's access_token_duration");
    assert.ok(byId.has(second['jti']));
    assert.ok(!list.text.includes(String(client.client_secret)), 'never a secret');
    // paging and the id filter, as the other lists
    const page2 = await api.get(`${path}?page[size]=1&page[number]=2&sort=created_at`, { expect: 200 });
    assert.deepEqual(page2.body.meta.page, { number: 2, size: 1, total: 2 });
    const one = await api.get(`${path}?filter[id][eq]=${String(second['jti'])}`, { expect: 200 });
    assert.deepEqual(
      (one.body.data as Json[]).map((t) => t.id),
      [second['jti']],
    );
    // a token of another client is not listed here
    const other = (
      await api.post(
        `/v1/auth-servers/${String(as.id)}/clients`,
        { name: 'other', grant_types: ['client_credentials'], response_types: ['token'] },
        { expect: 201 },
      )
    ).body;
    const r = await requestToken(`${String(as.issuer)}/oauth/token`, {
      clientId: String(other.id),
      clientSecret: String(other.client_secret),
    });
    assert.equal(r.status, 200);
    assert.equal((await api.get(path, { expect: 200 })).body.meta.page.total, 2);
    const otherPath = `/v1/auth-servers/${String(as.id)}/clients/${String(other.id)}`;
    assert.equal((await api.get(`${otherPath}/tokens`, { expect: 200 })).body.data.length, 1);
    // "All tokens associated with the client will also be deleted."
    await api.delete(otherPath, { expect: 204 });
    assert.equal(emu.store.tokens.has(`${String(as.id)}/${String(other.id)}`), false);
  });

  it("get one token; revoke it (204, then 404, and the issuer's introspection says inactive); revoke all", async () => {
    const t = await issue('read');
    const got = await api.get(`${path}/${String(t['jti'])}`, { expect: 200 });
    assert.deepEqual(got.body.granted_scope_names, ['read']);
    await api.get(`${path}/${MISSING}`, { expect: 404 });
    const introspect = async (secret = String(client.client_secret)): Promise<{ status: number; body: Json }> => {
      const res = await fetch(`${String(as.issuer)}/oauth/introspect`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: String(t['raw']), client_id: String(client.id), client_secret: secret }),
      });
      return { status: res.status, body: (await res.json()) as Json };
    };
    const live = await introspect();
    assert.deepEqual(
      [live.status, live.body.active, live.body.jti, live.body.client_id, live.body.scope],
      [200, true, t['jti'], client.id, 'read'],
    );
    assert.equal((await introspect('wrong-secret')).status, 401);
    await api.delete(`${path}/${String(t['jti'])}`, { expect: 204 });
    assert.deepEqual((await introspect()).body, { active: false }, 'revoked: inactive at introspection');
    await api.get(`${path}/${String(t['jti'])}`, { expect: 404 });
    await api.delete(`${path}/${String(t['jti'])}`, { expect: 404 });
    assert.equal((await api.get(path, { expect: 200 })).body.meta.page.total, 2);
    await api.delete(path, { expect: 204 });
    assert.deepEqual((await api.get(path, { expect: 200 })).body.data, []);
    await api.get(`/v1/auth-servers/${String(as.id)}/clients/no-such-client/tokens`, { expect: 404 });
  });

  describe('coverage', () =>
    it('exercised every token operation', () => {
      assertCovered([
        'ki:listAuthServerClientTokens 200',
        'ki:listAuthServerClientTokens 404',
        'ki:getAuthServerClientToken 200',
        'ki:getAuthServerClientToken 404',
        'ki:deleteAuthServerClientToken 204',
        'ki:deleteAuthServerClientToken 404',
        'ki:deleteAllAuthServerClientTokens 204',
      ]);
    }));
});
