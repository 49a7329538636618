// The forms' warnings: the provider lint pack on what the provider/strategy form holds, on the right field, with the
// severity and the Kong page of each rule; a form without the mistake has none.
import * as assert from 'node:assert/strict';
import { emptyProviderValues, emptyStrategyValues } from '../../../src/core/forms/payload';
import { providerFormWarnings, strategyFormWarnings, type FormWarning } from '../../../src/core/forms/warnings';
import type { StrategyFormValues } from '../../../src/core/forms/fields';

const TENANT = '03640e99-6c96-4817-b392-b9336037a8e2';
const provider = (providerType: 'azureAd' | 'curity', issuer: string) => ({
  ...emptyProviderValues(),
  providerType,
  issuer,
});
const strategy = (v: Partial<StrategyFormValues>): StrategyFormValues => ({
  ...emptyStrategyValues(),
  name: 's',
  issuer: 'https://idp.example.com',
  credentialClaim: 'sub',
  ...v,
});
const brief = (ws: FormWarning[]) =>
  ws.map((w) => ({ field: w.field, severity: w.severity, code: w.code, source: w.source }));
const page = (p: string) => `https://developer.konghq.com${p}`;

describe('form warnings (provider lint pack)', () => {
  it('provider form, Azure: the v1 issuer without trailing slash', () => {
    assert.deepEqual(brief(providerFormWarnings(provider('azureAd', `https://sts.windows.net/${TENANT}/`))), [
      { field: 'issuer', severity: 'warning', code: 'azure-issuer', source: page('/how-to/azure-ad-dcr/') },
    ]);
    assert.deepEqual(providerFormWarnings(provider('azureAd', `https://sts.windows.net/${TENANT}`)), []);
  });

  it('provider form, Curity: the issuer as the discovery URL', () => {
    assert.deepEqual(
      brief(providerFormWarnings(provider('curity', 'https://c.example.com/oauth/v2/oauth-anonymous'))),
      [{ field: 'issuer', severity: 'warning', code: 'curity-issuer', source: page('/how-to/curity-dcr/') }],
    );
    assert.deepEqual(
      providerFormWarnings(
        provider('curity', 'https://c.example.com/oauth/v2/oauth-anonymous/.well-known/openid-configuration'),
      ),
      [],
    );
  });

  it('strategy form, Azure: a credential claim other than appid is information', () => {
    const az = { providerType: 'azureAd', issuer: `https://sts.windows.net/${TENANT}` };
    assert.deepEqual(brief(strategyFormWarnings(strategy({ credentialClaim: 'client_id' }), az)), [
      { field: 'credentialClaim', severity: 'information', code: 'azure-appid', source: page('/how-to/azure-ad-dcr/') },
    ]);
    assert.deepEqual(strategyFormWarnings(strategy({ credentialClaim: 'appid' }), az), []);
  });

  it('strategy form, Auth0: azp and the audience', () => {
    const a0 = { providerType: 'auth0', issuer: 'https://t.us.auth0.com' };
    assert.deepEqual(brief(strategyFormWarnings(strategy({ credentialClaim: 'client_id' }), a0)), [
      { field: 'audience', severity: 'warning', code: 'auth0-audience', source: page('/how-to/auth0-dcr/') },
      { field: 'credentialClaim', severity: 'warning', code: 'auth0-azp', source: page('/how-to/auth0-dcr/') },
    ]);
    assert.deepEqual(strategyFormWarnings(strategy({ credentialClaim: 'azp', audience: 'https://api' }), a0), []);
  });

  for (const [type, slug, p] of [
    ['okta', 'okta', '/how-to/okta-dcr/'],
    ['curity', 'curity', '/how-to/curity-dcr/'],
  ] as const) {
    it(`strategy form, ${type}: no openid scope with client_credentials`, () => {
      const picked = { providerType: type, issuer: 'https://idp.example.com' };
      assert.deepEqual(brief(strategyFormWarnings(strategy({ scopes: 'payments, openid' }), picked)), [
        { field: 'scopes', severity: 'warning', code: `${slug}-openid-scope`, source: page(p) },
      ]);
      assert.deepEqual(
        strategyFormWarnings(strategy({ scopes: 'payments, openid', authMethods: ['bearer'] }), picked),
        [],
      );
      assert.deepEqual(strategyFormWarnings(strategy({ scopes: 'payments' }), picked), []);
    });
  }

  it("strategy form, Kong Identity: the issuer is the auth server's (the picked provider's issuer)", () => {
    const ki = { providerType: 'kongIdentity', issuer: 'https://abc.us.identity.konghq.com/auth' };
    assert.deepEqual(brief(strategyFormWarnings(strategy({ issuer: 'https://other.example.com' }), ki)), [
      {
        field: 'issuer',
        severity: 'warning',
        code: 'kong-identity-issuer',
        source: page('/how-to/kong-identity-dcr/'),
      },
    ]);
    assert.deepEqual(strategyFormWarnings(strategy({ issuer: ki.issuer }), ki), []);
  });

  it('no provider, a type this version does not know, or key auth: no warnings', () => {
    const bad = strategy({ scopes: 'openid', credentialClaim: 'x' });
    assert.deepEqual(strategyFormWarnings(bad, undefined), []);
    assert.deepEqual(strategyFormWarnings(bad, { providerType: 'newIdp', issuer: 'https://x' }), []);
    assert.deepEqual(
      strategyFormWarnings({ ...bad, strategyType: 'key_auth' }, { providerType: 'okta', issuer: 'https://x' }),
      [],
    );
  });
});
