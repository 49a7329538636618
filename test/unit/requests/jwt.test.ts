// JWT decoding and the token checks against a strategy, for the claim shape of every provider flavour's tokens
// (the same shapes the sandbox IdPs issue), and the explanation rules for gateway 401/403 and token errors.
import * as assert from 'node:assert/strict';
import { explain, parseWwwAuthenticate } from '../../../src/core/requests/explain';
import {
  checkToken,
  decodeJwt,
  normalizeIssuer,
  strategyView,
  type StrategyView,
  type TokenCheck,
} from '../../../src/core/requests/jwt';
import type { ProviderType } from '../../../src/core/model/dcrProvider';
import type { AppAuthStrategy } from '../../../src/core/model/authStrategy';
import { fakeJwt } from './tokens';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const nowS = NOW / 1000;
const fmt = (ms: number): string => new Date(ms).toISOString();

const IDP = 'http://127.0.0.1:4100';
interface Flavour {
  strategy: StrategyView;
  claims: Record<string, unknown>;
  asked: string[];
}

/** One strategy + token per provider type, shaped like the sandbox IdPs' tokens and the seeds' strategies. */
const flavours: Record<ProviderType, Flavour> = {
  kongIdentity: {
    strategy: sv('kongIdentity', `${IDP}/kong-identity/as-1`, ['sub'], ['orders:read']),
    claims: {
      iss: `${IDP}/kong-identity/as-1`,
      sub: 'ki-client',
      aud: 'https://api.sandbox.test/x',
      scope: 'orders:read',
      client_name: 'app',
      exp: nowS + 300,
      iat: nowS,
    },
    asked: ['orders:read'],
  },
  auth0: {
    strategy: sv('auth0', `${IDP}/auth0/`, ['azp'], ['read:data'], {
      token_post_args_names: ['audience'],
      token_post_args_values: ['https://portal-api.konnect-sandbox.test'],
    }),
    claims: {
      iss: `${IDP}/auth0/`,
      sub: 'a0client@clients',
      aud: 'https://portal-api.konnect-sandbox.test',
      azp: 'a0client',
      gty: 'client-credentials',
      scope: 'read:data',
      exp: nowS + 86_400,
      iat: nowS,
    },
    asked: ['read:data'],
  },
  azureAd: {
    // strategy issuer in the v1 form without the trailing slash; tokens carry it with one
    strategy: sv(
      'azureAd',
      `${IDP}/azure/03640e99-6c96-4817-b392-b9336037a8e2`,
      ['appid'],
      ['api://konnect-sandbox/.default'],
    ),
    claims: {
      iss: `${IDP}/azure/03640e99-6c96-4817-b392-b9336037a8e2/`,
      aud: 'api://konnect-sandbox',
      appid: 'az-app',
      appidacr: '1',
      tid: '03640e99-6c96-4817-b392-b9336037a8e2',
      ver: '1.0',
      roles: [],
      exp: nowS + 3600,
      nbf: nowS - 10,
    },
    asked: [],
  },
  curity: {
    // strategy issuer given in the discovery-URL form
    strategy: sv(
      'curity',
      `${IDP}/curity/oauth/v2/oauth-anonymous/.well-known/openid-configuration`,
      ['sub'],
      ['read'],
    ),
    claims: {
      iss: `${IDP}/curity/oauth/v2/oauth-anonymous`,
      sub: 'curity-client',
      aud: 'curity-client',
      scope: 'read',
      purpose: 'access_token',
      exp: nowS + 300,
    },
    asked: ['read'],
  },
  okta: {
    strategy: sv('okta', `${IDP}/okta/oauth2/default`, ['app_client_id'], ['api:read']),
    claims: {
      ver: 1,
      jti: 'AT.x',
      iss: `${IDP}/okta/oauth2/default`,
      aud: 'api://default',
      cid: 'okta-client',
      sub: 'okta-client',
      scp: ['api:read'],
      app_client_id: 'okta-client',
      exp: nowS + 3600,
    },
    asked: ['api:read'],
  },
  http: {
    strategy: sv('http', `${IDP}/http/idp`, ['client_id'], ['orders:read']),
    claims: {
      iss: `${IDP}/http/idp`,
      client_id: 'bridge-client',
      sub: 'bridge-client',
      aud: 'https://bridge.sandbox.test',
      scope: 'orders:read',
      exp: nowS + 600,
    },
    asked: ['orders:read'],
  },
};

function sv(
  providerType: ProviderType,
  issuer: string,
  credentialClaims: string[],
  scopes: string[],
  extra: Record<string, unknown> = {},
): StrategyView {
  const audiences = extra['token_post_args_names'] ? [String((extra['token_post_args_values'] as string[])[0])] : [];
  return {
    id: `s-${providerType}`,
    name: `oidc-${providerType}`,
    issuer,
    credentialClaims,
    scopes,
    authMethods: ['client_credentials', 'bearer'],
    audiences,
    providerType,
    extra,
  };
}

const failed = (cs: readonly TokenCheck[]) => cs.filter((c) => c.status === 'fail');
const check = (f: Flavour, claims = f.claims, now = NOW) =>
  checkToken(decodeJwt(fakeJwt(claims))!, f.strategy, { now, requestedScopes: f.asked, formatTime: fmt });

describe('requests: JWT decoding and checks', () => {
  it('decodes header and claims; opaque tokens are not JWTs', () => {
    const d = decodeJwt(fakeJwt({ sub: 'x' }));
    assert.deepEqual(d, { header: { alg: 'RS256', typ: 'JWT', kid: 'k1' }, payload: { sub: 'x' }, hasSignature: true });
    assert.equal(decodeJwt('opaque-token-123'), undefined);
    assert.equal(decodeJwt('a.b.c'), undefined);
  });

  it('normalizes issuers: discovery-URL form and trailing slashes', () => {
    assert.equal(
      normalizeIssuer('https://x/oauth/v2/anon/.well-known/openid-configuration'),
      'https://x/oauth/v2/anon',
    );
    assert.equal(normalizeIssuer('https://tenant.auth0.com/'), 'https://tenant.auth0.com');
  });

  for (const [type, f] of Object.entries(flavours) as [ProviderType, Flavour][]) {
    it(`${type}: a good token passes every check`, () => {
      const cs = check(f);
      assert.deepEqual(failed(cs), [], JSON.stringify(cs, null, 1));
      assert.ok(cs.some((c) => c.id === 'iss' && c.status === 'pass'));
      for (const claim of f.strategy.credentialClaims)
        assert.ok(
          cs.some((c) => c.id === 'credential_claim' && c.claim === claim && c.status === 'pass'),
          claim,
        );
      assert.match(cs.find((c) => c.id === 'exp')!.reason, /^expires at 2026-11-2\dT.* \(in \d+ (s|min|h)\)$/);
    });

    it(`${type}: a missing credential claim, an expired token and another issuer fail with the reason`, () => {
      const claim = f.strategy.credentialClaims[0]!;
      const { [claim]: _drop, ...without } = f.claims;
      const c1 = failed(check(f, without));
      assert.deepEqual(
        c1.map((c) => c.id),
        ['credential_claim'],
      );
      assert.match(
        c1[0]!.reason,
        new RegExp(`the token has no \`${claim}\` claim; the strategy's credential claim is \`${claim}\``),
      );
      const c2 = failed(check(f, { ...f.claims, exp: nowS - 120 }));
      assert.deepEqual(
        c2.map((c) => [c.id, c.reason]),
        [['exp', `the token expired at ${fmt((nowS - 120) * 1000)} (2 min ago)`]],
      );
      const c3 = failed(check(f, { ...f.claims, iss: 'https://evil.example.com' }));
      assert.deepEqual(
        c3.map((c) => c.id),
        ['iss'],
      );
      assert.match(
        c3[0]!.reason,
        /^issuer mismatch: the token's iss is https:\/\/evil\.example\.com, the strategy's issuer is /,
      );
    });
  }

  it('scopes: granted from a `scope` string or an `scp` array; a missing one fails', () => {
    const okta = flavours.okta;
    assert.deepEqual(failed(check(okta)), []);
    const cs = failed(
      checkToken(decodeJwt(fakeJwt({ ...okta.claims, scp: ['api:write'] }))!, okta.strategy, {
        now: NOW,
        requestedScopes: ['api:read'],
      }),
    );
    assert.deepEqual(
      cs.map((c) => c.id),
      ['scopes', 'strategy_scopes'],
    );
    assert.match(cs[0]!.reason, /asked for api:read but api:read was not granted \(token scopes: api:write\)/);
  });

  it('aud: Auth0 needs the strategy audience', () => {
    const a = flavours.auth0;
    const cs = failed(check(a, { ...a.claims, aud: 'https://tenant/api/v2/' }));
    assert.deepEqual(
      cs.map((c) => c.id),
      ['aud'],
    );
    assert.match(
      cs[0]!.reason,
      /not the strategy's https:\/\/portal-api\.konnect-sandbox\.test; Auth0 needs audience=/,
    );
    const noAudStrategy: StrategyView = { ...a.strategy, audiences: [] };
    const { aud: _a, ...noAud } = a.claims;
    assert.match(
      failed(checkToken(decodeJwt(fakeJwt(noAud))!, noAudStrategy, { now: NOW }))[0]!.reason,
      /Auth0 tokens need an audience/,
    );
  });

  it('strategyView reads a Konnect openid_connect strategy (audience from token_post_args)', () => {
    const s = {
      id: '5f9fd312-a987-4628-b4c5-bb4f4fddd5f7',
      name: 'orders',
      display_name: 'Orders',
      strategy_type: 'openid_connect',
      active: true,
      dcr_provider: { id: 'p', name: 'a0', provider_type: 'auth0' },
      labels: {},
      created_at: '',
      updated_at: '',
      configs: {
        'openid-connect': {
          issuer: 'https://t.auth0.com/',
          credential_claim: ['azp'],
          scopes: ['read'],
          auth_methods: ['bearer'],
          token_post_args_names: ['audience'],
          token_post_args_values: ['https://api'],
        },
      },
    } as unknown as AppAuthStrategy;
    const v = strategyView(s)!;
    assert.deepEqual(
      [v.issuer, v.credentialClaims, v.audiences, v.providerType],
      ['https://t.auth0.com/', ['azp'], ['https://api'], 'auth0'],
    );
  });
});

describe('requests: Explain rules', () => {
  const gateway = (status: number, body: unknown, www?: string, token?: string, strategy?: StrategyView) =>
    explain({
      request: {
        method: 'GET',
        url: 'http://127.0.0.1:8000/orders/anything',
        headers: token ? [['Authorization', `Bearer ${token}`]] : [],
      },
      response: { status, headers: www ? { 'www-authenticate': www } : {}, body: JSON.stringify(body) },
      sentToken: token ? decodeJwt(token) : undefined,
      sentTokenRaw: token,
      strategy,
      now: NOW,
      formatTime: fmt,
    });

  it('parses WWW-Authenticate', () => {
    assert.deepEqual(
      parseWwwAuthenticate('Bearer realm="kong", error="invalid_token", error_description="the \\"token\\" expired"'),
      { scheme: 'Bearer', realm: 'kong', error: 'invalid_token', error_description: 'the "token" expired' },
    );
  });

  it('no token sent', () => {
    const e = gateway(401, { message: 'Unauthorized' }, 'Bearer realm="kong"');
    assert.deepEqual(
      e.findings.map((f) => f.rule),
      ['gw.no_token'],
    );
  });

  it("token has no azp claim; the strategy's credential claim is azp (Auth0)", () => {
    const a = flavours.auth0;
    const { azp: _z, ...claims } = a.claims;
    const e = gateway(
      403,
      { message: 'Forbidden: the token has none of the credential claims azp that identify the application' },
      undefined,
      fakeJwt(claims),
      a.strategy,
    );
    assert.equal(e.findings[0]!.rule, 'gw.credential_claim');
    assert.match(
      e.findings[0]!.text,
      /^The token has no `azp` claim; the strategy's credential claim is `azp`\. Auth0 tokens carry the client id in `azp`\. This token has `sub`/,
    );
    assert.match(e.summary, /^403 Forbidden: The token has no `azp` claim;/);
  });

  it('app is registered for another API', () => {
    const k = flavours.kongIdentity;
    const e = gateway(
      403,
      { message: 'The application ki-client (sub) is registered for the API orders-a, not for billing-a' },
      undefined,
      fakeJwt(k.claims),
      k.strategy,
    );
    assert.deepEqual(
      e.findings.map((f) => f.rule),
      ['gw.other_api'],
    );
    assert.match(e.findings[0]!.text, /^The app is registered for another API \(orders-a\), not for billing-a/);
  });

  it('app is not registered for this API', () => {
    const k = flavours.kongIdentity;
    const e = gateway(
      403,
      { message: 'The application ki-client (sub) is not registered for the API orders-a' },
      undefined,
      fakeJwt(k.claims),
      k.strategy,
    );
    assert.deepEqual(
      e.findings.map((f) => f.rule),
      ['gw.not_registered'],
    );
  });

  it('token expired at … (local time)', () => {
    const o = flavours.okta;
    const exp = nowS - 600;
    const e = gateway(
      401,
      { message: 'Unauthorized: the token expired' },
      'Bearer realm="kong", error="invalid_token", error_description="the token expired at x"',
      fakeJwt({ ...o.claims, exp }),
      o.strategy,
    );
    assert.equal(e.findings[0]!.rule, 'gw.expired');
    assert.equal(
      e.findings[0]!.text,
      `The token expired at ${fmt(exp * 1000)} (10 min ago): get a new one (send the token request again).`,
    );
  });

  it('issuer mismatch, with the Azure v1/v2 hint', () => {
    const az = flavours.azureAd;
    const e = gateway(
      401,
      {},
      'Bearer error="invalid_token", error_description="the token issuer … is not the issuer of this API"',
      fakeJwt({ ...az.claims, iss: 'https://login.microsoftonline.com/t/v2.0' }),
      { ...az.strategy, issuer: 'https://sts.windows.net/t' },
    );
    assert.equal(e.findings[0]!.rule, 'gw.issuer');
    assert.match(
      e.findings[0]!.text,
      /^Issuer mismatch: the token was issued by https:\/\/login\.microsoftonline\.com\/t\/v2\.0, but the strategy's issuer is https:\/\/sts\.windows\.net\/t\. The token is a v2 Azure token/,
    );
  });

  it('insufficient scope', () => {
    const c = flavours.curity;
    const e = gateway(
      403,
      {},
      'Bearer realm="kong", error="insufficient_scope", scope="read"',
      fakeJwt({ ...c.claims, scope: 'write' }),
      c.strategy,
    );
    assert.ok(
      e.findings.some(
        (f) => f.rule === 'gw.scope' && /lacks scopes the API requires \(read\); it has write/.test(f.text),
      ),
    );
  });

  it('a signature that does not verify', () => {
    const h = flavours.http;
    const e = gateway(
      401,
      {},
      'Bearer error="invalid_token", error_description="the token signature does not verify against the issuer\'s keys"',
      fakeJwt(h.claims),
      h.strategy,
    );
    assert.deepEqual(
      e.findings.map((f) => f.rule),
      ['gw.signature'],
    );
  });

  it('token endpoint: wrong secret (invalid_client), invalid_scope, Auth0 without audience', () => {
    const tokenErr = (body: unknown, params: Record<string, string>, strategy?: StrategyView) =>
      explain({
        request: {
          method: 'POST',
          url: 'http://127.0.0.1:4100/auth0/oauth/token',
          headers: [['Content-Type', 'application/x-www-form-urlencoded']],
          params,
        },
        response: { status: 401, headers: {}, body: JSON.stringify(body) },
        strategy,
        now: NOW,
      });
    const e1 = tokenErr(
      { error: 'invalid_client', error_description: 'client authentication failed' },
      { grant_type: 'client_credentials', client_id: 'x' },
    );
    assert.deepEqual(
      e1.findings.map((f) => f.rule),
      ['token.invalid_client'],
    );
    assert.match(
      e1.summary,
      /^The IdP refused the client credentials \(invalid_client: client authentication failed\)/,
    );
    const e2 = tokenErr({ error: 'invalid_scope' }, { scope: 'admin', client_id: 'x' }, flavours.auth0.strategy);
    assert.deepEqual(
      e2.findings.map((f) => f.rule),
      ['token.invalid_scope', 'token.auth0_audience'],
    );
  });
});
