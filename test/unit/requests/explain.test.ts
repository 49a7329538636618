// Explain tells a token endpoint's refusal from a gateway's by what the runner knows about the request (grant_type in
// the body, the issuer's discovered token_endpoint, a request others chain an access_token from), not by the URL's
// path or the answer's shape: IdPs refuse with a bare 401/403 and an empty body, and token endpoints live at paths
// without "token". A refusal without an OAuth error is explained as client authentication (the secret, or
// client_secret_basic vs client_secret_post) and scope, never as a missing or non-Bearer Authorization header.
import * as assert from 'node:assert/strict';
import { clientAuthOf, explain, isTokenRequest, type ExplainInput } from '../../../src/core/requests/explain';
import { createRequestExecutor } from '../../../src/core/requests/executor';
import type { StrategyView } from '../../../src/core/requests/jwt';
import { parseRequestFile } from '../../../src/core/requests/parser';
import { RequestRunner, RunSession, chainsTokenFrom } from '../../../src/core/requests/runner';
import type { TokenEndpoint } from '../../../src/core/oidc/discovery';
import { nullLogger } from '../../../src/core/util/logger';
import { Redactor } from '../../../src/core/util/redact';
import { startStubServer, type StubServer } from '../../support/stubServer';
import { fakeJwt } from './tokens';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const never = new AbortController().signal;
const FORM: [string, string] = ['Content-Type', 'application/x-www-form-urlencoded'];
const okta: StrategyView = {
  id: 's1',
  name: 'orders',
  issuer: 'https://idp.example.com/oauth2/default',
  credentialClaims: ['cid'],
  scopes: ['orders:read'],
  authMethods: ['client_credentials'],
  audiences: [],
  providerType: 'okta',
  extra: {},
};

type Req = ExplainInput['request'];
function refusal(
  status: number,
  body: string,
  request: Partial<Req> & { url?: string } = {},
  strategy?: StrategyView,
): ReturnType<typeof explain> {
  return explain({
    request: { method: 'POST', url: 'https://idp.example.com/as/issue', headers: [FORM], ...request },
    response: { status, headers: body ? { 'content-type': 'text/html' } : {}, body },
    strategy,
    now: NOW,
  });
}
const rules = (e: ReturnType<typeof explain>): string[] => e.findings.map((f) => f.rule);
const text = (e: ReturnType<typeof explain>): string => e.findings.map((f) => f.text).join('\n');

describe('requests: Explain of token-endpoint refusals', () => {
  it('a token endpoint whose path has no "token" is still the token endpoint (grant_type in the body)', () => {
    const e = explain({
      request: {
        method: 'POST',
        url: 'https://idp.example.com/as/issue',
        headers: [FORM],
        params: { grant_type: 'client_credentials', client_id: 'app-1' },
      },
      response: {
        status: 401,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ error: 'invalid_client' }),
      },
      now: NOW,
    });
    assert.deepEqual(rules(e), ['token.invalid_client']);
    assert.match(e.summary, /^The IdP refused the client credentials \(invalid_client\)/);
  });

  it('an empty 403 to the token request: client authentication (basic vs post, the secret) and scope, not the gateway', () => {
    const e = refusal(
      403,
      '',
      { params: { grant_type: 'client_credentials', client_id: 'app-1' }, clientAuth: 'client_secret_post' },
      okta,
    );
    assert.deepEqual(rules(e), ['token.refused', 'token.client_auth', 'token.no_scope']);
    assert.match(e.summary, /^The token endpoint refused the token request with 403 Forbidden and an empty body\./);
    assert.match(
      text(e),
      /the form body \(client_secret_post\): if the client is registered for client_secret_basic.*Authorization: Basic <base64 of client_id:client_secret>/,
    );
    assert.match(text(e), /client secret \(or id\) is wrong/);
    assert.match(text(e), /asks for no scope.*scope=orders:read/);
    assert.doesNotMatch(text(e), /Authorization header is not a Bearer|sent no Authorization header/);
  });

  it('an empty 401 to a token request authenticated with Basic: suggests client_secret_post; a scope it asked for is named', () => {
    const e = refusal(
      401,
      '',
      {
        headers: [FORM, ['Authorization', 'Basic YXBwLTE6c2VjcmV0']],
        params: { grant_type: 'client_credentials', scope: 'orders:write' },
      },
      okta,
    );
    assert.deepEqual(rules(e), ['token.refused', 'token.client_auth', 'token.scope']);
    assert.match(
      text(e),
      /Authorization: Basic header \(client_secret_basic\): if the client is registered for client_secret_post.*client_id and client_secret in the form body/,
    );
    assert.match(text(e), /may not have the scope "orders:write".*the strategy's scopes are orders:read/);
    assert.ok(!rules(e).some((r) => r.startsWith('gw.')), rules(e).join());
  });

  it('a 400 without JSON: names the body, a missing grant_type and a body that is not a form', () => {
    const e = refusal(400, '<html><body><h1>Bad Request</h1></body></html>', {
      headers: [['Content-Type', 'application/json']],
      tokenRequest: true,
      clientAuth: 'client_secret_post',
    });
    assert.deepEqual(rules(e), ['token.bad_request', 'token.grant_type', 'token.content_type', 'token.client_auth']);
    assert.match(
      e.summary,
      /^The token endpoint answered 400 Bad Request and no OAuth error \(the body says "Bad Request"\)\./,
    );
    assert.match(text(e), /no grant_type: add grant_type=client_credentials/);
    assert.match(text(e), /application\/x-www-form-urlencoded/);
  });

  it('the method the discovery document lists wins over guessing; both methods at once and none are named', () => {
    const wrong = refusal(401, '', {
      params: { grant_type: 'client_credentials' },
      clientAuth: 'client_secret_post',
      tokenEndpointAuthMethods: ['client_secret_basic', 'private_key_jwt'],
    });
    assert.equal(wrong.findings[1]!.rule, 'token.auth_method');
    assert.match(
      wrong.findings[1]!.text,
      /^The token endpoint accepts client_secret_basic, private_key_jwt \(token_endpoint_auth_methods_supported\), and this request uses client_secret_post\./,
    );
    const both = refusal(401, '', { params: { grant_type: 'client_credentials' }, clientAuth: 'both' });
    assert.match(both.findings[1]!.text, /client secret twice/);
    const none = refusal(401, '', { params: { grant_type: 'client_credentials' }, clientAuth: 'none' });
    assert.match(none.findings[1]!.text, /sends no client secret/);
  });

  it("who is the token request: the caller's word, then grant_type, then a token-endpoint-only OAuth code with no Bearer sent", () => {
    const base = (request: Partial<Req>, body: unknown, bearer?: string): ExplainInput => ({
      request: { method: 'POST', url: 'https://x.example/a', headers: [], ...request },
      now: NOW,
      response: { status: 401, headers: {}, body: JSON.stringify(body) },
      sentTokenRaw: bearer,
    });
    assert.equal(isTokenRequest(base({ tokenRequest: true }, {})), true);
    assert.equal(
      isTokenRequest(
        base({ tokenRequest: false, params: { grant_type: 'client_credentials' } }, { error: 'invalid_client' }),
      ),
      false,
    );
    assert.equal(isTokenRequest(base({ params: { grant_type: 'client_credentials' } }, {})), true);
    assert.equal(isTokenRequest(base({}, { error: 'invalid_scope' })), true);
    // a gateway's RFC 6750 error, or any error to a request that sent a Bearer token, is the gateway's
    assert.equal(isTokenRequest(base({}, { error: 'invalid_token' })), false);
    assert.equal(isTokenRequest(base({}, { error: 'invalid_client' }, 'eyJ.x.y')), false);
    // the path does not decide either way
    assert.equal(isTokenRequest(base({ url: 'https://x.example/oauth/token' }, { message: 'Unauthorized' })), false);
  });

  it('clientAuthOf reads the Basic header and a client_secret in the body', () => {
    assert.equal(clientAuthOf([['authorization', 'Basic eA==']], false), 'client_secret_basic');
    assert.equal(clientAuthOf([['authorization', 'Bearer x']], true), 'client_secret_post');
    assert.equal(clientAuthOf([['Authorization', 'basic eA==']], true), 'both');
    assert.equal(clientAuthOf([], false), 'none');
  });
});

describe('requests: the runner knows which request is the token request', () => {
  let stub: StubServer;
  beforeEach(async () => {
    stub = await startStubServer();
  });
  afterEach(async () => {
    await stub.close();
  });

  function run(lines: string[], index: number, extra: { strategy?: StrategyView; endpoint?: TokenEndpoint } = {}) {
    const runner = new RequestRunner({
      executor: createRequestExecutor(),
      now: () => NOW,
      redactor: new Redactor(),
      logger: nullLogger,
      resolveStrategy: extra.strategy ? async () => extra.strategy : undefined,
      findTokenEndpoint: extra.endpoint ? async () => extra.endpoint! : undefined,
    });
    const session = new RunSession(parseRequestFile(lines.join('\n')), {
      environment: { stub: stub.url },
      dotenv: {},
      processEnv: () => undefined,
      now: () => NOW,
      secret: async () => 'client-secret-explain-1',
    });
    return runner.run(session, index, never);
  }

  it('grant_type in the form: an empty 403 from /as/issue is a client-authentication refusal', async () => {
    stub.on('POST', '/as/issue', { status: 403, body: '' });
    const r = await run(
      [
        'POST {{stub}}/as/issue',
        'Content-Type: application/x-www-form-urlencoded',
        '',
        'grant_type=client_credentials&client_id=app-1&client_secret={{$secret s}}',
      ],
      0,
    );
    assert.equal(r.response?.status, 403);
    assert.deepEqual(
      r.explanation?.findings.map((f) => f.rule),
      ['token.refused', 'token.client_auth', 'token.no_scope'],
    );
    assert.match(r.explanation!.findings[1]!.text, /client_secret_post/);
  });

  it('the request others chain an access_token from (no grant_type, Basic auth): its empty 401 is not "not a Bearer token"', async () => {
    stub.on('POST', '/session', { status: 401, body: '' });
    const lines = [
      '# @name login',
      'POST {{stub}}/session',
      'Authorization: Basic YXBwLTE6c2VjcmV0',
      '',
      '###',
      'GET {{stub}}/api',
      'Authorization: Bearer {{login.response.body.access_token}}',
    ];
    assert.equal(
      chainsTokenFrom(parseRequestFile(lines.join('\n')), parseRequestFile(lines.join('\n')).requests[0]!),
      true,
    );
    const r = await run(lines, 0);
    assert.equal(r.explanation?.findings[0]?.rule, 'token.refused');
    assert.match(r.explanation!.findings[1]!.text, /\(client_secret_basic\)/);
    assert.ok(!r.explanation!.findings.some((f) => f.rule.startsWith('gw.')));
  });

  it("the discovered token_endpoint of the linked strategy: its bare 401 is the IdP's, with the methods discovery lists", async () => {
    stub.on('POST', '/oauth2/v1/issue', { status: 401, body: '' });
    const endpoint: TokenEndpoint = {
      url: `${stub.url}/oauth2/v1/issue`,
      source: 'discovery',
      discoveryUrl: `${stub.url}/.well-known/openid-configuration`,
      authMethods: ['client_secret_post'],
    };
    const r = await run(
      [
        '# @strategy orders',
        'POST {{stub}}/oauth2/v1/issue',
        'Authorization: Basic YXBwLTE6c2VjcmV0',
        'Content-Type: application/json',
        '',
        '{"audience": "x"}',
      ],
      0,
      { strategy: okta, endpoint },
    );
    assert.deepEqual(
      r.explanation?.findings.map((f) => f.rule),
      ['token.refused', 'token.auth_method', 'token.no_scope'],
    );
    assert.match(
      r.explanation!.findings[1]!.text,
      /accepts client_secret_post .* this request uses client_secret_basic/,
    );
  });

  it('a 400 without JSON to the token request is explained (it was not at all)', async () => {
    stub.on('POST', '/as/issue', { status: 400, headers: { 'content-type': 'text/plain' }, body: 'bad request' });
    const r = await run(
      [
        'POST {{stub}}/as/issue',
        'Content-Type: application/x-www-form-urlencoded',
        '',
        'grant_type=client_credentials&client_id=app-1&client_secret={{$secret s}}',
      ],
      0,
    );
    assert.equal(r.explanation?.findings[0]?.rule, 'token.bad_request');
    assert.match(r.explanation!.summary, /the body says "bad request"/);
  });

  it("a gateway call is still the gateway's: an empty 401 to a Bearer request is explained as the gateway", async () => {
    stub.on('GET', '/api', { status: 401, body: '' });
    const tok = fakeJwt({ iss: okta.issuer, cid: 'app-1', scp: ['orders:read'], exp: NOW / 1000 + 300 });
    const r = await run(['GET {{stub}}/api', `Authorization: Bearer ${tok}`], 0);
    assert.ok(
      r.explanation!.findings.every((f) => f.rule.startsWith('gw.')),
      r.explanation!.findings.map((f) => f.rule).join(),
    );
  });
});
