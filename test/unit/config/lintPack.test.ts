// The provider lint pack in the config file: each rule on the exact value (or key) it is about, with its severity and
// the Kong page it comes from; and the same file without the mistake has no such diagnostic.
import * as assert from 'node:assert/strict';
import { analyzeConfig, type ConfigDiagnostic } from '../../../src/core/config/index';
import { at } from './support';

const diags = (text: string): ConfigDiagnostic[] => [
  ...analyzeConfig(text, { fileName: 'test.kongctl.yaml' }).diagnostics,
];
const withCode = (text: string, code: string): ConfigDiagnostic[] => diags(text).filter((d) => d.code === code);
function one(text: string, code: string): ConfigDiagnostic {
  const found = withCode(text, code);
  assert.equal(found.length, 1, `one ${code}: ${JSON.stringify(diags(text).map((d) => [d.code, d.message]))}`);
  return found[0]!;
}
function on(d: ConfigDiagnostic, text: string, needle: string, occurrence = 0): void {
  assert.deepEqual(
    d.range,
    { start: at(text, needle, occurrence), end: at(text, needle, occurrence, needle.length) },
    `${d.code} on "${needle}"`,
  );
}
function cites(d: ConfigDiagnostic, page: string): void {
  assert.equal(d.source, `https://developer.konghq.com${page}`);
  assert.ok(d.message.includes(`https://developer.konghq.com${page}`), `${d.code} cites ${page} in its message`);
}

const TENANT = '03640e99-6c96-4817-b392-b9336037a8e2';
const provider = (
  ref: string,
  type: string,
  issuer: string,
  cfg = '      initial_client_id: id\n      initial_client_secret: !secret {source: !env S}\n',
) =>
  `dcr_providers:\n  - ref: ${ref}\n    name: ${ref}\n    provider_type: ${type}\n    issuer: ${issuer}\n${cfg ? `    dcr_config:\n${cfg}` : ''}`;
const strategy = (ref: string, cfg: string) => `application_auth_strategies:
  - ref: s
    name: S
    display_name: S
    strategy_type: openid_connect
    dcr_provider_id: !ref ${ref}
    configs:
      openid_connect:
${cfg}`;
const oidc = (o: { issuer?: string; claim?: string; scopes?: string; methods?: string; extra?: string }) =>
  `        issuer: ${o.issuer ?? 'https://idp.example.com'}\n        credential_claim: ${o.claim ?? '[sub]'}\n        scopes: ${o.scopes ?? '[]'}\n        auth_methods: ${o.methods ?? '[client_credentials, bearer]'}\n${o.extra ?? ''}`;

describe("config lint pack (provider rules citing Kong's how-tos)", () => {
  it('Azure: the v1 issuer without trailing slash (warning on the issuer, with the fix)', () => {
    const text = provider('az', 'azureAd', `https://sts.windows.net/${TENANT}/`);
    const d = one(text, 'azure-issuer');
    on(d, text, `https://sts.windows.net/${TENANT}/`);
    assert.equal(d.severity, 'warning');
    cites(d, '/how-to/azure-ad-dcr/');
    assert.deepEqual(d.fix, {
      kind: 'replace',
      path: ['dcr_providers', 0, 'issuer'],
      text: `https://sts.windows.net/${TENANT}`,
      title: 'Remove the trailing slash',
    });
    assert.equal(
      one(provider('az', 'azureAd', `https://login.microsoftonline.com/${TENANT}/v2.0`), 'azure-issuer').severity,
      'warning',
    );
    assert.deepEqual(diags(provider('az', 'azureAd', `https://sts.windows.net/${TENANT}`)), []);
  });

  it('Azure: a credential claim other than appid is information, on the claim', () => {
    const p = provider('az', 'azureAd', `https://sts.windows.net/${TENANT}`);
    const text = p + strategy('az', oidc({ issuer: `https://sts.windows.net/${TENANT}`, claim: '[client_id]' }));
    const d = one(text, 'azure-appid');
    on(d, text, '[client_id]');
    assert.equal(d.severity, 'information');
    cites(d, '/how-to/azure-ad-dcr/');
    assert.deepEqual(
      withCode(
        p + strategy('az', oidc({ issuer: `https://sts.windows.net/${TENANT}`, claim: '[appid]' })),
        'azure-appid',
      ),
      [],
    );
  });

  it('Auth0: azp as the credential claim, and an audience (warnings)', () => {
    const p = provider('a0', 'auth0', 'https://t.us.auth0.com');
    const text = p + strategy('a0', oidc({ issuer: 'https://t.us.auth0.com/', claim: '[client_id]' }));
    const azp = one(text, 'auth0-azp');
    on(azp, text, '[client_id]');
    assert.equal(azp.severity, 'warning');
    cites(azp, '/how-to/auth0-dcr/');
    const aud = one(text, 'auth0-audience');
    on(aud, text, 'openid_connect', 1);
    assert.equal(aud.severity, 'warning');
    cites(aud, '/how-to/auth0-dcr/');
    const good =
      p +
      strategy(
        'a0',
        oidc({
          issuer: 'https://t.us.auth0.com/',
          claim: '[azp]',
          extra: '        token_post_args_names: [audience]\n        token_post_args_values: [https://api]\n',
        }),
      );
    assert.deepEqual(diags(good), []);
  });

  for (const [type, slug, page, issuer] of [
    ['okta', 'okta', '/how-to/okta-dcr/', 'https://example.okta.com/oauth2/default'],
    [
      'curity',
      'curity',
      '/how-to/curity-dcr/',
      'https://c.example.com/oauth/v2/oauth-anonymous/.well-known/openid-configuration',
    ],
  ] as const) {
    it(`${type}: no openid scope with client_credentials (warning on that scope)`, () => {
      const p =
        type === 'okta'
          ? provider('p', type, issuer, '      dcr_token: !secret {source: !env T}\n')
          : provider('p', type, issuer);
      const text = p + strategy('p', oidc({ issuer, scopes: '[payments, openid]' }));
      const d = one(text, `${slug}-openid-scope`);
      on(d, text, 'openid', text.slice(0, text.indexOf(', openid]')).split('openid').length - 1);
      assert.equal(d.severity, 'warning');
      cites(d, page);
      // without client_credentials, or without openid: nothing
      assert.deepEqual(
        withCode(
          p + strategy('p', oidc({ issuer, scopes: '[payments, openid]', methods: '[bearer]' })),
          `${slug}-openid-scope`,
        ),
        [],
      );
      assert.deepEqual(diags(p + strategy('p', oidc({ issuer, scopes: '[payments]' }))), []);
    });
  }

  it("Curity: the provider issuer is the discovery URL, as Kong's how-to gives it (warning, with the fix)", () => {
    const text = provider('c', 'curity', 'https://c.example.com/oauth/v2/oauth-anonymous');
    const d = one(text, 'curity-issuer');
    on(d, text, 'https://c.example.com/oauth/v2/oauth-anonymous');
    assert.equal(d.severity, 'warning');
    cites(d, '/how-to/curity-dcr/');
    assert.match(d.message, /prefills the strategy's issuer/);
    assert.doesNotMatch(d.message, /keeps the bare issuer/);
    assert.deepEqual(
      diags(provider('c', 'curity', 'https://c.example.com/oauth/v2/oauth-anonymous/.well-known/openid-configuration')),
      [],
    );
  });

  it("Kong Identity: the strategy issuer is the auth server's (literal issuer, or the !ref of another auth server)", () => {
    const ki = 'https://abc.us.identity.konghq.com/auth';
    const p = provider('ki', 'kongIdentity', ki, '');
    const text = p + strategy('ki', oidc({ issuer: 'https://other.us.identity.konghq.com/auth' }));
    const d = one(text, 'kong-identity-issuer');
    on(d, text, 'https://other.us.identity.konghq.com/auth');
    assert.equal(d.severity, 'warning');
    cites(d, '/how-to/kong-identity-dcr/');
    assert.equal(d.fix?.kind === 'replace' && d.fix.text, ki);
    assert.deepEqual(diags(p + strategy('ki', oidc({ issuer: ki }))), []);

    const servers =
      'kong_identity_auth_servers:\n  - ref: as1\n    name: as1\n    audience: a\n  - ref: as2\n    name: as2\n    audience: b\n';
    const pr = provider('ki', 'kongIdentity', '!ref as1#issuer', '');
    const wrong = servers + pr + strategy('ki', oidc({ issuer: '!ref as2#issuer' }));
    const r = one(wrong, 'kong-identity-issuer');
    on(r, wrong, 'as2#issuer');
    assert.equal(r.fix, undefined);
    assert.deepEqual(
      withCode(servers + pr + strategy('ki', oidc({ issuer: '!ref as1#issuer' })), 'kong-identity-issuer'),
      [],
    );
    // a URL against a !ref: the auth server's issuer is not in the file, so nothing to compare
    assert.deepEqual(withCode(servers + pr + strategy('ki', oidc({ issuer: ki })), 'kong-identity-issuer'), []);
  });
});
