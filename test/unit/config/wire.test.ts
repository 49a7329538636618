// The wire payloads for each provider type and each strategy type, built from file entries: kongctl spelling in,
// Konnect spelling out (hyphenated configs, resolved refs, secrets in place, kongctl labels), checked by the wire
// schemas before sending.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  WireValidationError,
  analyzeConfig,
  providerCreateBody,
  strategyCreateBody,
  type DesiredState,
} from '../../../src/core/config/index';
import { FIXTURES } from './support';

function model(text: string): DesiredState {
  const a = analyzeConfig(text, { fileName: 'konnect-dcr.yaml' });
  assert.equal(a.errorCount, 0, JSON.stringify(a.diagnostics));
  return a.model!;
}

describe('config wire payloads', () => {
  const m = model(fs.readFileSync(path.join(FIXTURES, 'complete.konnect-dcr.yaml'), 'utf8'));
  const provider = (ref: string) => m.providers.find((p) => p.ref === ref)!;
  const strategy = (ref: string) => m.strategies.find((s) => s.ref === ref)!;
  const NS = { 'KONGCTL-namespace': 'payments' };

  it('kongIdentity: issuer resolved from the auth server, no dcr_config', () => {
    assert.deepEqual(providerCreateBody(provider('payments-ki'), 'https://ki.example.com/auth/', {}), {
      name: 'Payments Kong Identity',
      display_name: 'Kong Identity',
      provider_type: 'kongIdentity',
      issuer: 'https://ki.example.com/auth',
      labels: NS,
    });
  });

  it('auth0: public fields and the initial client secret', () => {
    assert.deepEqual(
      providerCreateBody(provider('auth0-dcr'), 'https://tenant.eu.auth0.com', {
        initial_client_secret: 's3cret-auth0',
      }),
      {
        name: 'Auth0 DCR',
        provider_type: 'auth0',
        issuer: 'https://tenant.eu.auth0.com',
        labels: NS,
        dcr_config: {
          initial_client_id: 'auth0-initial-client',
          initial_client_audience: 'https://tenant.eu.auth0.com/api/v2/',
          use_developer_managed_scopes: true,
          initial_client_secret: 's3cret-auth0',
        },
      },
    );
  });

  it('azureAd and curity: initial client id and secret', () => {
    assert.deepEqual(
      providerCreateBody(provider('azure-dcr'), 'https://sts.windows.net/03640e99-6c96-4817-b392-b9336037a8e2', {
        initial_client_secret: 'az',
      }).dcr_config,
      { initial_client_id: 'azure-initial-client', initial_client_secret: 'az' },
    );
    const c = providerCreateBody(
      provider('curity-dcr'),
      'https://curity.example.com/oauth/v2/oauth-anonymous/.well-known/openid-configuration',
      { initial_client_secret: 'cu' },
    );
    assert.equal(c.provider_type, 'curity');
    assert.equal(c.issuer, 'https://curity.example.com/oauth/v2/oauth-anonymous/.well-known/openid-configuration');
    assert.deepEqual(c.dcr_config, { initial_client_id: 'curity-initial-client', initial_client_secret: 'cu' });
  });

  it("okta: the DCR token, user labels kept beside kongctl's", () => {
    assert.deepEqual(
      providerCreateBody(provider('okta-dcr'), 'https://example.okta.com/oauth2/default', { dcr_token: 'ssws-token' }),
      {
        name: 'Okta DCR',
        provider_type: 'okta',
        issuer: 'https://example.okta.com/oauth2/default',
        labels: { team: 'identity', 'KONGCTL-namespace': 'payments' },
        dcr_config: { dcr_token: 'ssws-token' },
      },
    );
  });

  it('http: base URL, API key and flags; an API key Konnect would refuse fails before sending, without the value', () => {
    assert.deepEqual(
      providerCreateBody(provider('http-dcr'), 'https://idp.example.com', { api_key: 'good_api_key_1234' }).dcr_config,
      {
        dcr_base_url: 'https://dcr-bridge.example.com/v1',
        allow_multiple_credentials: true,
        api_key: 'good_api_key_1234',
      },
    );
    assert.throws(
      () => providerCreateBody(provider('http-dcr'), 'https://idp.example.com', { api_key: 'bad key!' }),
      (e: unknown) => {
        assert.ok(e instanceof WireValidationError);
        assert.match(e.message, /dcr_config\.api_key/);
        assert.ok(!e.message.includes('bad key!'));
        return true;
      },
    );
  });

  it('trims a trailing slash from a provider issuer, as kongctl does', () => {
    assert.equal(
      providerCreateBody(provider('payments-ki'), 'https://x.example.com///', {}).issuer,
      'https://x.example.com',
    );
  });

  it('openid_connect strategy: configs["openid-connect"], the provider id, extra OIDC settings kept', () => {
    assert.deepEqual(
      strategyCreateBody(
        strategy('auth0-oidc'),
        'https://tenant.eu.auth0.com/',
        'a5d8a6a4-8f2b-4f4e-9a57-0b8f6f7d0e11',
      ),
      {
        name: 'Auth0 OIDC',
        display_name: 'Auth0 client credentials',
        strategy_type: 'openid_connect',
        labels: NS,
        dcr_provider_id: 'a5d8a6a4-8f2b-4f4e-9a57-0b8f6f7d0e11',
        configs: {
          'openid-connect': {
            issuer: 'https://tenant.eu.auth0.com/',
            credential_claim: ['azp'],
            scopes: [],
            auth_methods: ['client_credentials', 'bearer'],
            token_post_args_names: ['audience'],
            token_post_args_values: ['https://payments.example.com'],
          },
        },
      },
    );
  });

  it('key_auth strategy: configs["key-auth"], no dcr_provider_id', () => {
    assert.deepEqual(strategyCreateBody(strategy('api-keys'), undefined, undefined), {
      name: 'API keys',
      display_name: 'API key',
      strategy_type: 'key_auth',
      labels: NS,
      configs: { 'key-auth': { key_names: ['apikey', 'x-api-key'], ttl: { value: 30, unit: 'days' } } },
    });
  });

  it('accepts the wire spelling configs["openid-connect"] in the file too', () => {
    const m2 = model(
      'application_auth_strategies:\n  - ref: o\n    name: o\n    display_name: o\n    strategy_type: openid_connect\n    configs:\n      openid-connect:\n        issuer: https://i\n        credential_claim: [sub]\n        scopes: []\n        auth_methods: [bearer]\n',
    );
    assert.deepEqual(Object.keys(strategyCreateBody(m2.strategies[0]!, 'https://i', undefined).configs), [
      'openid-connect',
    ]);
  });

  it('kongctl.protected adds KONGCTL-protected; no namespace declared means kongctl\'s "default"', () => {
    const m3 = model(
      'dcr_providers:\n  - ref: k\n    name: k\n    provider_type: kongIdentity\n    issuer: https://k\n    kongctl:\n      protected: true\n',
    );
    assert.deepEqual(providerCreateBody(m3.providers[0]!, 'https://k', {}).labels, {
      'KONGCTL-namespace': 'default',
      'KONGCTL-protected': 'true',
    });
  });
});
