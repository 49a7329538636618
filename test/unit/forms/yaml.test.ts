// A kongctl YAML entry ↔ the form: read at a line, written back with the form's fields laid over it (other keys and
// comments kept), secrets only as `!secret {source: !env NAME}` in the file.
import * as assert from 'node:assert/strict';
import { ConfigDocument, writeEntry } from '../../../src/core/config/document';
import {
  checkEntry,
  plainView,
  providerEntryFrom,
  providerValuesFromEntry,
  strategyEntryFrom,
  strategyValuesFromEntry,
} from '../../../src/core/forms/yaml';

const FILE = `# DCR setup
dcr_providers:
  - ref: okta-dcr           # the Okta org
    name: okta-prod
    provider_type: okta
    issuer: https://example.okta.com/oauth2/default
    dcr_config:
      dcr_token: !secret {source: !env OKTA_TOKEN}
    labels:
      team: payments
  - ref: auth0-dcr
    name: auth0
    provider_type: auth0
    issuer: https://tenant.us.auth0.com
    dcr_config:
      initial_client_id: abc
      initial_client_secret: !secret {source: !env AUTH0_SECRET}
application_auth_strategies:
  - ref: okta-cc
    name: okta-cc
    display_name: Okta client credentials
    strategy_type: openid_connect
    dcr_provider_id: !ref okta-dcr
    configs:
      openid_connect:
        issuer: https://example.okta.com/oauth2/default
        credential_claim: [client_id]
        scopes: [orders:read]
        auth_methods: [client_credentials, bearer]
        cache_tokens: false
`;

describe('forms: kongctl YAML entries', () => {
  it('reads a provider entry at a line: fields, the type, and which secrets the file references (never their values)', () => {
    const entry = ConfigDocument.parse(FILE).entryAt(5);
    assert.equal(entry?.section, 'dcr_providers');
    const { values, storedSecrets } = providerValuesFromEntry(entry!.value);
    assert.deepEqual(
      [values.name, values.providerType, values.issuer, values.dcrToken],
      ['okta-prod', 'okta', 'https://example.okta.com/oauth2/default', ''],
    );
    assert.deepEqual(storedSecrets, ['dcrToken']);
  });

  it("writes a provider back: other keys and comments kept; a typed secret becomes !secret {source: !env NAME} with the file's own name", () => {
    const entry = ConfigDocument.parse(FILE).entryAt(3)!;
    const { values } = providerValuesFromEntry(entry.value);
    const unchanged = providerEntryFrom(entry.value, { ...values, displayName: 'Okta (prod)' });
    assert.deepEqual(unchanged.secrets, {}, 'an empty secret keeps the reference');
    const { text } = writeEntry(FILE, { section: entry.section, index: entry.index }, unchanged.entry);
    assert.match(text, /- ref: okta-dcr +# the Okta org/);
    assert.match(text, /display_name: Okta \(prod\)/);
    assert.match(
      text,
      /dcr_token: !secret \{ source: !env OKTA_TOKEN \}|dcr_token: !secret \{source: !env OKTA_TOKEN\}/,
    );
    assert.match(text, /team: payments/);

    const typed = providerEntryFrom(entry.value, { ...values, dcrToken: 'tok-123' });
    assert.deepEqual(typed.secrets, { OKTA_TOKEN: 'tok-123' });
    assert.ok(!JSON.stringify(typed.entry).includes('tok-123'), 'the value is not in the entry');
  });

  it("a new secret gets a name from the ref and the field; a type change drops the old type's config", () => {
    const entry = ConfigDocument.parse(FILE).entryAt(3)!;
    const { values } = providerValuesFromEntry(entry.value);
    const http = providerEntryFrom(entry.value, {
      ...values,
      providerType: 'http',
      dcrBaseUrl: 'https://bridge.example.com',
      apiKey: 'abcdefghijkl_1',
    });
    assert.deepEqual(http.secrets, { OKTA_DCR_API_KEY: 'abcdefghijkl_1' });
    assert.deepEqual(plainView(http.entry), {
      ref: 'okta-dcr',
      name: 'okta-prod',
      provider_type: 'http',
      issuer: 'https://example.okta.com/oauth2/default',
      labels: { team: 'payments' },
      dcr_config: { dcr_base_url: 'https://bridge.example.com', api_key: { source: 'OKTA_DCR_API_KEY' } },
    });
    assert.equal(checkEntry('provider', http.entry, { ...values, providerType: 'http' }), undefined);
  });

  it("the config schema's complaints land on the form fields (a missing secret, a bad URL)", () => {
    const entry = ConfigDocument.parse(FILE).entryAt(3)!;
    const { values } = providerValuesFromEntry(entry.value);
    const v = { ...values, providerType: 'auth0' as const, initialClientId: 'cid', issuer: 'not a url' };
    const e = checkEntry('provider', providerEntryFrom(entry.value, v).entry, v);
    assert.ok(e);
    assert.equal(e.fields['initialClientSecret'], 'Required.');
    assert.ok(e.fields['issuer'], JSON.stringify(e));
  });

  it("reads and writes a strategy: the provider !ref, the file's configs spelling, the audience as post args, extra settings kept", () => {
    const entry = ConfigDocument.parse(FILE).entryAt(22)!;
    assert.equal(entry.section, 'application_auth_strategies');
    const values = strategyValuesFromEntry(entry.value);
    assert.deepEqual(
      [values.dcrProviderId, values.scopes, values.credentialClaim, values.authMethods],
      ['!ref okta-dcr', 'orders:read', 'client_id', ['client_credentials', 'bearer']],
    );
    const out = strategyEntryFrom(entry.value, {
      ...values,
      scopes: 'orders:read orders:write',
      audience: 'https://api',
    });
    assert.deepEqual(plainView(out.entry), {
      ref: 'okta-cc',
      name: 'okta-cc',
      display_name: 'Okta client credentials',
      strategy_type: 'openid_connect',
      dcr_provider_id: 'okta-dcr',
      configs: {
        openid_connect: {
          issuer: 'https://example.okta.com/oauth2/default',
          credential_claim: ['client_id'],
          scopes: ['orders:read', 'orders:write'],
          auth_methods: ['client_credentials', 'bearer'],
          cache_tokens: false,
          token_post_args_names: ['audience'],
          token_post_args_values: ['https://api'],
        },
      },
    });
    assert.equal(checkEntry('strategy', out.entry, values), undefined);
    const { text } = writeEntry(FILE, { section: entry.section, index: entry.index }, out.entry);
    assert.match(text, /dcr_provider_id: !ref okta-dcr/);
    const key = strategyEntryFrom(entry.value, { ...values, strategyType: 'key_auth', keyNames: 'apikey' });
    assert.deepEqual(plainView(key.entry), {
      ref: 'okta-cc',
      name: 'okta-cc',
      display_name: 'Okta client credentials',
      strategy_type: 'key_auth',
      configs: { key_auth: { key_names: ['apikey'] } },
    });
  });
});
