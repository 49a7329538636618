// Every diagnostic and lint rule of the config analyzer, each on the exact key or value it is about.
import * as assert from 'node:assert/strict';
import { analyzeConfig, type ConfigDiagnostic } from '../../../src/core/config/index';
import { at } from './support';

function diags(
  text: string,
  fileName = 'test.kongctl.yaml',
  externalRefs?: Map<string, 'provider'>,
): ConfigDiagnostic[] {
  return [...analyzeConfig(text, { fileName, externalRefs }).diagnostics];
}
function only(text: string, code: string, fileName?: string): ConfigDiagnostic {
  const found = diags(text, fileName).filter((d) => d.code === code);
  assert.equal(
    found.length,
    1,
    `one ${code}: ${JSON.stringify(diags(text, fileName).map((d) => [d.code, d.message]))}`,
  );
  return found[0]!;
}
/** The diagnostic covers exactly `needle` (the occurrence-th). */
function on(d: ConfigDiagnostic, text: string, needle: string, occurrence = 0): void {
  assert.deepEqual(
    d.range,
    { start: at(text, needle, occurrence), end: at(text, needle, occurrence, needle.length) },
    `${d.code} on "${needle}"`,
  );
}

const OKTA = (extra = '', issuer = 'https://example.okta.com/oauth2/default') => `dcr_providers:
  - ref: okta-dcr
    name: Okta DCR
    provider_type: okta
    issuer: ${issuer}
    dcr_config:
      dcr_token: !secret {source: !env OKTA_DCR_TOKEN}
${extra}`;

const STRATEGY = (provider: string, cfg: string) => `${provider}application_auth_strategies:
  - ref: s
    name: S
    display_name: S
    strategy_type: openid_connect
    dcr_provider_id: !ref ${provider.match(/ref: (\S+)/)?.[1] ?? 'x'}
    configs:
      openid_connect:
${cfg}`;

describe('config diagnostics: errors', () => {
  it('a valid file has none, and yields the desired state with kongctl defaults applied', () => {
    const text = `_defaults:\n  kongctl:\n    namespace: team-a\n${OKTA()}`;
    const a = analyzeConfig(text, { fileName: 'x.kongctl.yaml' });
    assert.deepEqual(a.diagnostics, []);
    const p = a.model!.providers[0]!;
    assert.equal(p.namespace, 'team-a');
    assert.deepEqual(p.secrets['dcr_token'], { kind: 'expression', parts: [{ env: 'OKTA_DCR_TOKEN' }] });
    assert.deepEqual(p.config, {});
    assert.deepEqual(p.issuer, { kind: 'value', value: 'https://example.okta.com/oauth2/default' });
  });

  it('an empty or comment-only file has no problem and an empty desired state (Plan: nothing to do)', () => {
    for (const t of ['', '# only comments\n', '---\n']) {
      const a = analyzeConfig(t, { fileName: 'x.kongctl.yaml' });
      assert.equal(a.errorCount, 0);
      assert.deepEqual(a.model, { authServers: [], providers: [], strategies: [] });
    }
  });

  it('YAML syntax error: only that, on its position (no schema noise)', () => {
    const text = 'dcr_providers:\n  - ref: a\n    name: "unclosed\n';
    const ds = diags(text);
    assert.ok(
      ds.length >= 1 && ds.every((d) => d.code === 'yaml-syntax' && d.severity === 'error'),
      JSON.stringify(ds),
    );
  });

  it('unknown provider_type: on the value, naming the valid ones (and the likely one)', () => {
    const text = OKTA().replace('provider_type: okta', 'provider_type: Okta');
    const d = only(text, 'unknown-provider-type');
    on(d, text, 'Okta', 1);
    assert.match(d.message, /did you mean okta\?/);
    assert.match(d.message, /auth0, azureAd, curity, okta, http, kongIdentity/);
  });

  it('unknown key: on the key, with a suggestion', () => {
    const text = OKTA().replace('    issuer:', '    isuer:');
    const d = diags(text).find((x) => x.code === 'unknown-key')!;
    on(d, text, 'isuer');
    assert.match(d.message, /did you mean `issuer`/);
    const missing = diags(text).find((x) => x.code === 'missing-key')!;
    on(missing, text, 'ref', 0);
    assert.match(missing.message, /Missing required key `issuer`/);
  });

  it('wrong value: on the value, in plain words', () => {
    const text = OKTA('', 'not a url');
    const d = only(text, 'schema');
    on(d, text, 'not a url');
    assert.match(d.message, /`issuer` must be an http:\/\/ or https:\/\/ URL; it is "not a url"/);
    const t2 = `application_auth_strategies:\n  - ref: k\n    name: k\n    display_name: k\n    strategy_type: key_auth\n    configs:\n      key_auth:\n        key_names: []\n`;
    const d2 = only(t2, 'schema');
    on(d2, t2, '[]');
    assert.match(d2.message, /`key_names` needs at least one item/);
  });

  it('duplicate refs (across sections) and duplicate names: on the second one', () => {
    const text = `${OKTA()}  - ref: okta-dcr\n    name: Okta DCR\n    provider_type: kongIdentity\n    issuer: https://ki.example.com\n`;
    on(only(text, 'duplicate-ref'), text, 'okta-dcr', 1);
    on(only(text, 'duplicate-name'), text, 'Okta DCR', 1);
    const across = `${OKTA()}application_auth_strategies:\n  - ref: okta-dcr\n    name: K\n    display_name: K\n    strategy_type: key_auth\n    configs:\n      key_auth:\n        key_names: [apikey]\n`;
    assert.match(only(across, 'duplicate-ref').message, /already used by the DCR provider on line 2/);
  });

  it('dangling !ref: on the ref, listing what exists; a ref of a sibling file counts', () => {
    const text = STRATEGY(
      OKTA(),
      '        issuer: https://i\n        credential_claim: [sub]\n        scopes: []\n        auth_methods: [bearer]\n',
    ).replace('!ref okta-dcr', '!ref okta-dc');
    const d = only(text, 'dangling-ref');
    on(d, text, 'okta-dc', 1);
    assert.match(d.message, /did you mean `okta-dcr`/);
    const ext = text.replace('!ref okta-dc', '!ref elsewhere');
    assert.equal(
      diags(ext, 'a.kongctl.yaml', new Map([['elsewhere', 'provider']])).filter((x) => x.code === 'dangling-ref')
        .length,
      0,
    );
  });

  it('!ref to the wrong kind or field', () => {
    const kinds = `kong_identity_auth_servers:\n  - ref: ki\n    name: KI\n    audience: a\n${STRATEGY('', '        issuer: !ref ki#issuer\n        credential_claim: [sub]\n        scopes: []\n        auth_methods: [bearer]\n').replace('!ref x', '!ref ki')}`;
    const d = only(kinds, 'ref-kind', 'konnect-dcr.yaml');
    assert.deepEqual(d.range.start, at(kinds, 'dcr_provider_id: !ref ki', 0, 22));
    assert.match(d.message, /is a Kong Identity auth server, but dcr_provider_id must reference a DCR provider/);
    const field = `kong_identity_auth_servers:\n  - ref: ki\n    name: KI\n    audience: a\ndcr_providers:\n  - ref: p\n    name: p\n    provider_type: kongIdentity\n    issuer: !ref ki#id\n`;
    on(only(field, 'ref-field', 'konnect-dcr.yaml'), field, 'ki#id');
  });

  it('dcr_provider_id written without !ref: error with a quick fix', () => {
    const text = STRATEGY(
      OKTA(),
      '        issuer: https://i\n        credential_claim: [sub]\n        scopes: []\n        auth_methods: [bearer]\n',
    ).replace('!ref okta-dcr', 'okta-dcr');
    const d = only(text, 'ref-untagged');
    on(d, text, 'okta-dcr', 1);
    assert.deepEqual(d.fix, {
      kind: 'replace',
      path: ['application_auth_strategies', 0, 'dcr_provider_id'],
      text: '!ref okta-dcr',
      title: 'Make it !ref okta-dcr',
    });
  });

  it('!secret in a shape kongctl refuses', () => {
    const noEnv = OKTA().replace('!secret {source: !env OKTA_DCR_TOKEN}', '!secret {source: OKTA_DCR_TOKEN}');
    assert.match(only(noEnv, 'secret-source').message, /must be `!env VAR`/);
    const extra = OKTA().replace(
      '!secret {source: !env OKTA_DCR_TOKEN}',
      '!secret {source: !env OKTA_DCR_TOKEN, vscode: true}',
    );
    const d = diags(extra).filter((x) => x.code === 'secret-source');
    assert.equal(d.length, 1);
    assert.match(d[0]!.message, /exactly one of `source` or `parts`/);
    const badName = OKTA().replace('!env OKTA_DCR_TOKEN', '!env 1-TOKEN');
    on(only(badName, 'secret-source'), badName, '1-TOKEN');
  });

  it('Kong Identity: duplicate scopes, claims naming unknown scopes', () => {
    const text = `kong_identity_auth_servers:\n  - ref: ki\n    name: KI\n    audience: a\n    scopes:\n      - name: read\n      - name: read\n    claims:\n      - name: c\n        value: v\n        include_in_scopes: [read, write]\n`;
    on(only(text, 'duplicate-name', 'konnect-dcr.yaml'), text, 'read', 1);
    const d = only(text, 'dangling-ref', 'konnect-dcr.yaml');
    on(d, text, 'write');
    assert.match(d.message, /no scope "write"/);
  });

  it('Kong Identity clients: duplicate names, allowed scopes the auth server does not have, unknown grant types', () => {
    const text = `kong_identity_auth_servers:\n  - ref: ki\n    name: KI\n    audience: a\n    scopes:\n      - name: read\n    clients:\n      - name: ci\n        grant_types: [client_credentials]\n        response_types: [token]\n        allow_scopes: [read, orders]\n      - name: ci\n        grant_types: [client_credentials]\n        response_types: [token]\n`;
    on(only(text, 'duplicate-name', 'konnect-dcr.yaml'), text, 'ci', 1);
    const d = only(text, 'dangling-ref', 'konnect-dcr.yaml');
    on(d, text, 'orders');
    assert.match(d.message, /no scope "orders" \(scopes: read\)/);
    const bad = text.replace('grant_types: [client_credentials]', 'grant_types: [password]');
    assert.ok(
      diags(bad, 'konnect-dcr.yaml').some(
        (x) => x.severity === 'error' && /grant_types|password|client_credentials/.test(x.message),
      ),
      JSON.stringify(diags(bad, 'konnect-dcr.yaml').map((x) => x.message)),
    );
  });
});

describe('config diagnostics: warnings (lint)', () => {
  it('unknown tag', () => {
    const text = OKTA().replace('!secret {source: !env OKTA_DCR_TOKEN}', '!vault okta');
    on(only(text, 'unknown-tag'), text, '!vault');
  });

  it('a near-miss section name; other kongctl sections are left alone', () => {
    const text = `dcr_provider: []\nportals: []\napis: []\ncontrol_planes: []\n`;
    const d = only(text, 'unknown-section');
    on(d, text, 'dcr_provider');
    assert.equal(diags(text).length, 1);
  });

  it('kong_identity_auth_servers in a file kongctl reads', () => {
    const text = 'kong_identity_auth_servers:\n  - ref: ki\n    name: KI\n    audience: a\n';
    on(only(text, 'kongctl-strict-section', 'x.kongctl.yaml'), text, 'kong_identity_auth_servers');
    assert.equal(diags(text, 'konnect-dcr.yaml').length, 0);
  });

  it('Azure issuer: trailing slash, v2.0 form, not v1 (with quick fixes)', () => {
    const az = (issuer: string) =>
      `dcr_providers:\n  - ref: az\n    name: az\n    provider_type: azureAd\n    issuer: ${issuer}\n    dcr_config:\n      initial_client_id: id\n      initial_client_secret: !secret {source: !env AZ}\n`;
    const tenant = '03640e99-6c96-4817-b392-b9336037a8e2';
    const slash = az(`https://sts.windows.net/${tenant}/`);
    const d1 = only(slash, 'azure-issuer');
    on(d1, slash, `https://sts.windows.net/${tenant}/`);
    assert.equal(d1.fix?.kind === 'replace' && d1.fix.text, `https://sts.windows.net/${tenant}`);
    const v2 = az(`https://login.microsoftonline.com/${tenant}/v2.0`);
    assert.match(only(v2, 'azure-issuer').message, /v2\.0 issuer.*https:\/\/sts\.windows\.net\/03640e99/);
    assert.match(only(az('https://example.com/tenant'), 'azure-issuer').message, /Not an Azure v1 issuer/);
    assert.equal(diags(az(`https://sts.windows.net/${tenant}`)).length, 0);
    assert.equal(diags(az(`https://login.microsoftonline.com/${tenant}`)).length, 0);
  });

  it('Curity issuer: Konnect expects the discovery URL (docs/konnect-api.md §2.3)', () => {
    const cur = (issuer: string) =>
      `dcr_providers:\n  - ref: c\n    name: c\n    provider_type: curity\n    issuer: ${issuer}\n    dcr_config:\n      initial_client_id: id\n      initial_client_secret: !secret {source: !env C}\n`;
    const bare = cur('https://curity.example.com/oauth/v2/oauth-anonymous');
    const d = only(bare, 'curity-issuer');
    on(d, bare, 'https://curity.example.com/oauth/v2/oauth-anonymous');
    assert.match(d.message, /discovery URL/);
    assert.equal(
      d.fix?.kind === 'replace' && d.fix.text,
      'https://curity.example.com/oauth/v2/oauth-anonymous/.well-known/openid-configuration',
    );
    const other = cur('https://curity.example.com/oauth/v2/oauth-anonymous/.well-known/oauth-authorization-server');
    assert.equal(
      only(other, 'curity-issuer').fix?.kind === 'replace' &&
        (only(other, 'curity-issuer').fix as { text: string }).text,
      'https://curity.example.com/oauth/v2/oauth-anonymous/.well-known/openid-configuration',
    );
    assert.equal(
      diags(cur('https://curity.example.com/oauth/v2/oauth-anonymous/.well-known/openid-configuration')).length,
      0,
    );
  });

  it('openid scope with client_credentials on Okta: on the scope', () => {
    const text = STRATEGY(
      OKTA(),
      '        issuer: https://i\n        credential_claim: [cid]\n        scopes: [payments, openid]\n        auth_methods: [client_credentials, bearer]\n',
    );
    on(only(text, 'okta-openid-scope'), text, 'openid', 2);
    assert.equal(
      diags(text.replace('client_credentials, ', '')).filter((d) => d.code === 'okta-openid-scope').length,
      0,
    );
  });

  it('Auth0 strategy without audience, or without azp', () => {
    const auth0 = `dcr_providers:\n  - ref: a0\n    name: a0\n    provider_type: auth0\n    issuer: https://t.us.auth0.com\n    dcr_config:\n      initial_client_id: id\n      initial_client_secret: !secret {source: !env A0}\n`;
    const text = STRATEGY(
      auth0,
      '        issuer: https://t.us.auth0.com/\n        credential_claim: [client_id]\n        scopes: []\n        auth_methods: [client_credentials]\n',
    );
    on(only(text, 'auth0-audience'), text, 'openid_connect', 1);
    on(only(text, 'auth0-azp'), text, '[client_id]');
    const ok = text
      .replace('[client_id]', '[azp]')
      .replace(
        '        scopes: []',
        '        scopes: []\n        token_post_args_names: [audience]\n        token_post_args_values: [https://api]',
      );
    assert.deepEqual(diags(ok), []);
  });

  it('literal secrets: a warning with the move-to-SecretStorage fix; an http api_key Konnect refuses', () => {
    const text = `dcr_providers:\n  - ref: bridge\n    name: bridge\n    provider_type: http\n    issuer: https://idp\n    dcr_config:\n      dcr_base_url: https://bridge\n      api_key: short-key!\n`;
    const lit = only(text, 'literal-secret');
    on(lit, text, 'short-key!');
    assert.deepEqual(lit.fix, {
      kind: 'moveSecret',
      path: ['dcr_providers', 0, 'dcr_config', 'api_key'],
      varName: 'BRIDGE_API_KEY',
    });
    const key = only(text, 'http-api-key');
    on(key, text, 'short-key!');
    assert.match(
      key.message,
      /12–256 characters of A–Z, a–z, 0–9 and _ \(it has 10 characters, some of them not allowed\)/,
    );
    assert.equal(
      diags(text.replace('short-key!', 'a_good_api_key_123')).filter((d) => d.code === 'http-api-key').length,
      0,
    );
    assert.ok(!JSON.stringify(diags(text)).includes('short-key!'), 'no diagnostic repeats the secret');
  });

  it('KONGCTL-* labels written by hand', () => {
    const text = OKTA('    labels:\n      KONGCTL-namespace: x\n      team: a\n');
    on(only(text, 'kongctl-label'), text, 'KONGCTL-namespace');
  });

  it('warnings do not block the model; errors do', () => {
    const warned = analyzeConfig(OKTA().replace('!secret {source: !env OKTA_DCR_TOKEN}', 'ssws-literal-token'), {
      fileName: 'x.kongctl.yaml',
    });
    assert.equal(warned.errorCount, 0);
    assert.deepEqual(warned.model!.providers[0]!.secrets['dcr_token'], {
      kind: 'literal',
      value: 'ssws-literal-token',
    });
    assert.equal(analyzeConfig(OKTA('', 'nope'), {}).model, undefined);
  });
});
