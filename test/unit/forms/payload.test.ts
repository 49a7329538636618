// Form values → Konnect bodies per provider type and strategy type, resources → form values, and the placement of
// zod issues and Konnect `invalid_parameters` on form fields.
import * as assert from 'node:assert/strict';
import * as z from 'zod';
import { CreateDcrProviderRequestSchema, UpdateDcrProviderRequestSchema } from '../../../src/core/model/dcrProvider';
import {
  CreateAppAuthStrategyRequestSchema,
  UpdateAppAuthStrategyRequestSchema,
} from '../../../src/core/model/authStrategy';
import {
  PROVIDER_TYPE_FIELDS,
  PROVIDER_TYPE_OPTIONS,
  SECRET_UNCHANGED_PLACEHOLDER,
  splitList,
  strategyIssuerFromProvider,
  type ProviderTypeValue,
} from '../../../src/core/forms/fields';
import {
  audienceArgs,
  buildProviderCreate,
  buildProviderUpdate,
  buildStrategyCreate,
  buildStrategyUpdate,
  emptyProviderValues,
  emptyStrategyValues,
  fieldFor,
  fieldSegments,
  placeIssues,
  providerValuesFrom,
  storedSecretsOf,
  strategyValuesFrom,
  visibleProviderFields,
  visibleStrategyFields,
  zodIssue,
  type Built,
} from '../../../src/core/forms/payload';
import type { ProviderFormValues, StrategyFormValues } from '../../../src/shared/forms/protocol';
import { anHttpProvider, anOidcStrategy, anOktaProvider, testId } from '../../support/konnectBuilders';

const ISSUER = 'https://idp.example.com/oauth2/default';

function provider(type: ProviderTypeValue, over: Partial<ProviderFormValues> = {}): ProviderFormValues {
  return { ...emptyProviderValues(), name: `p-${type}`, providerType: type, issuer: ISSUER, ...over };
}
function strategy(over: Partial<StrategyFormValues> = {}): StrategyFormValues {
  return { ...emptyStrategyValues(), name: 's1', issuer: ISSUER, ...over };
}
function body<T>(b: Built<T>): T {
  assert.ok(b.ok, `expected a body, got errors ${JSON.stringify(b.ok ? {} : b.errors)}`);
  return b.body;
}
function errors<T>(b: Built<T>): { fields: Record<string, string | undefined>; form: readonly string[] } {
  assert.ok(!b.ok, `expected errors, got the body ${JSON.stringify(b.ok ? b.body : {})}`);
  return b.errors as { fields: Record<string, string | undefined>; form: readonly string[] };
}

describe('forms: DCR provider payloads', () => {
  it('lists the six provider types with their labels, and each type shows its own fields', () => {
    assert.deepEqual(
      PROVIDER_TYPE_OPTIONS.map((o) => o.label),
      ['Auth0', 'Azure AD', 'Curity', 'Okta', 'HTTP bridge', 'Kong Identity'],
    );
    assert.ok(visibleProviderFields({ providerType: 'okta' }).has('dcrToken'));
    assert.ok(!visibleProviderFields({ providerType: 'okta' }).has('initialClientSecret'));
    assert.ok(visibleProviderFields({ providerType: 'kongIdentity' }).has('authServerId'));
    assert.ok(visibleProviderFields({ providerType: 'http' }).has('issuer'), 'issuer shows for every type');
  });

  it('auth0: client id/secret, audience and developer-managed scopes', () => {
    const b = body(
      buildProviderCreate(
        provider('auth0', {
          displayName: ' Auth0 prod ',
          initialClientId: 'cid',
          initialClientSecret: 'sec',
          initialClientAudience: 'https://mgmt/api/v2/',
          useDeveloperManagedScopes: true,
        }),
      ),
    );
    assert.deepEqual(b, {
      name: 'p-auth0',
      provider_type: 'auth0',
      issuer: ISSUER,
      display_name: 'Auth0 prod',
      dcr_config: {
        initial_client_id: 'cid',
        initial_client_secret: 'sec',
        initial_client_audience: 'https://mgmt/api/v2/',
        use_developer_managed_scopes: true,
      },
    });
    assert.ok(CreateDcrProviderRequestSchema.safeParse(b).success);
  });

  it('azureAd and curity: client id and secret only (fields of other types are not sent)', () => {
    for (const type of ['azureAd', 'curity'] as const) {
      const b = body(
        buildProviderCreate(
          provider(type, { initialClientId: 'cid', initialClientSecret: 'sec', dcrToken: 'stray', apiKey: 'stray' }),
        ),
      );
      assert.deepEqual(b, {
        name: `p-${type}`,
        provider_type: type,
        issuer: ISSUER,
        dcr_config: { initial_client_id: 'cid', initial_client_secret: 'sec' },
      });
    }
  });

  it('okta: the DCR token', () => {
    assert.deepEqual(body(buildProviderCreate(provider('okta', { dcrToken: 'abc123xyz098!' }))), {
      name: 'p-okta',
      provider_type: 'okta',
      issuer: ISSUER,
      dcr_config: { dcr_token: 'abc123xyz098!' },
    });
  });

  it('http: base URL, API key and the three switches', () => {
    assert.deepEqual(
      body(
        buildProviderCreate(
          provider('http', {
            dcrBaseUrl: 'http://127.0.0.1:9000/dcr',
            apiKey: 'gYmrbDfu_7PTsZWH',
            allowMultipleCredentials: true,
          }),
        ),
      ),
      {
        name: 'p-http',
        provider_type: 'http',
        issuer: ISSUER,
        dcr_config: {
          dcr_base_url: 'http://127.0.0.1:9000/dcr',
          api_key: 'gYmrbDfu_7PTsZWH',
          disable_event_hooks: false,
          disable_refresh_secret: false,
          allow_multiple_credentials: true,
        },
      },
    );
  });

  it('kongIdentity: no dcr_config at all', () => {
    assert.deepEqual(body(buildProviderCreate(provider('kongIdentity', { authServerId: testId() }))), {
      name: 'p-kongIdentity',
      provider_type: 'kongIdentity',
      issuer: ISSUER,
    });
  });

  it('create: a missing required field (secret included) is marked on its field', () => {
    const e = errors(buildProviderCreate(provider('auth0', { name: ' ', initialClientId: 'cid' })));
    assert.equal(e.fields['name'], 'Required.');
    assert.equal(e.fields['initialClientSecret'], 'Required.');
    assert.equal(e.fields['initialClientId'], undefined);
    assert.deepEqual(e.form, []);
    assert.match(
      errors(buildProviderCreate(provider('kongIdentity', { issuer: '' }))).fields['issuer'] ?? '',
      /pick an auth server/,
    );
  });

  it("create: the core schema's constraints come back on the fields (URL, API key pattern and length)", () => {
    const e = errors(
      buildProviderCreate(provider('http', { issuer: 'not a url', dcrBaseUrl: 'ftp://x', apiKey: 'short-key!' })),
    );
    assert.match(e.fields['issuer'] ?? '', /http\(s\) URL/);
    assert.match(e.fields['dcrBaseUrl'] ?? '', /http\(s\) URL/);
    assert.match(e.fields['apiKey'] ?? '', /At least 12 characters/);
    assert.match(e.fields['apiKey'] ?? '', /letters, digits and _/);
  });

  it('edit: secrets only when typed (empty keeps the stored one), audience cleared with null, no provider_type', () => {
    const b = body(buildProviderUpdate(provider('auth0', { initialClientId: 'cid2' })));
    assert.deepEqual(b, {
      name: 'p-auth0',
      issuer: ISSUER,
      dcr_config: { initial_client_id: 'cid2', initial_client_audience: null, use_developer_managed_scopes: false },
    });
    assert.ok(UpdateDcrProviderRequestSchema.safeParse(b).success);
    const withSecret = body(buildProviderUpdate(provider('okta', { dcrToken: 'new-token' })));
    assert.deepEqual(withSecret, { name: 'p-okta', issuer: ISSUER, dcr_config: { dcr_token: 'new-token' } });
    assert.deepEqual(body(buildProviderUpdate(provider('kongIdentity'))), { name: 'p-kongIdentity', issuer: ISSUER });
  });

  it('a provider from Konnect fills the form without any secret; the stored secrets are named', () => {
    const v = providerValuesFrom(
      anHttpProvider({ dcr_config: { dcr_base_url: 'https://dcr.example.com', allow_multiple_credentials: true } }),
    );
    assert.equal(v.providerType, 'http');
    assert.equal(v.dcrBaseUrl, 'https://dcr.example.com');
    assert.equal(v.allowMultipleCredentials, true);
    assert.equal(v.apiKey, '');
    assert.deepEqual(storedSecretsOf('http'), ['apiKey']);
    assert.deepEqual(storedSecretsOf('auth0'), ['initialClientSecret']);
    assert.deepEqual(storedSecretsOf('kongIdentity'), []);
    assert.equal(providerValuesFrom(anOktaProvider()).dcrToken, '');
    assert.equal(SECRET_UNCHANGED_PLACEHOLDER, 'unchanged — leave empty to keep');
  });

  it('zod wording: a missing value is "Required.", a value of the wrong type says what was expected', () => {
    const r = z
      .strictObject({
        a: z.string(),
        b: z.string(),
        c: z.union([
          z.string(),
          z.union([z.strictObject({ source: z.string() }), z.strictObject({ parts: z.array(z.string()) })]),
        ]),
      })
      .safeParse({ b: 5 });
    assert.ok(!r.success);
    assert.deepEqual(r.error.issues.map(zodIssue), [
      { field: 'a', reason: 'Required.' },
      { field: 'b', reason: 'Expected string.' },
      { field: 'c', reason: 'Required.' },
    ]);
  });

  it("every provider type's typed fields are known to the field list", () => {
    for (const [type, fields] of Object.entries(PROVIDER_TYPE_FIELDS)) {
      for (const f of fields)
        assert.ok(visibleProviderFields({ providerType: type as ProviderTypeValue }).has(f), `${type}.${f}`);
    }
  });
});

describe('forms: auth strategy payloads', () => {
  it('openid_connect: provider, issuer, scopes, claims, auth methods; display name defaults to the name', () => {
    const pid = testId();
    const b = body(
      buildStrategyCreate(
        strategy({
          dcrProviderId: pid,
          scopes: 'openid, orders:read  orders:write',
          credentialClaim: 'client_id',
          authMethods: ['client_credentials', 'bearer', 'bearer'],
        }),
      ),
    );
    assert.deepEqual(b, {
      name: 's1',
      display_name: 's1',
      strategy_type: 'openid_connect',
      dcr_provider_id: pid,
      configs: {
        'openid-connect': {
          issuer: ISSUER,
          credential_claim: ['client_id'],
          scopes: ['openid', 'orders:read', 'orders:write'],
          auth_methods: ['client_credentials', 'bearer'],
        },
      },
    });
    assert.ok(CreateAppAuthStrategyRequestSchema.safeParse(b).success);
  });

  it('openid_connect: the Auth0 audience becomes token_post_args_names/values', () => {
    const b = body(buildStrategyCreate(strategy({ audience: 'https://api.example.com' })));
    const cfg = (b.configs as Record<string, Record<string, unknown>>)['openid-connect'];
    assert.deepEqual(cfg?.['token_post_args_names'], ['audience']);
    assert.deepEqual(cfg?.['token_post_args_values'], ['https://api.example.com']);
  });

  it('audience args keep other post args, and unset them on edit when nothing is left', () => {
    const existing = { token_post_args_names: ['resource', 'audience'], token_post_args_values: ['r1', 'old'] };
    assert.deepEqual(audienceArgs('new', existing, 'edit'), {
      token_post_args_names: ['resource', 'audience'],
      token_post_args_values: ['r1', 'new'],
    });
    assert.deepEqual(audienceArgs('', existing, 'edit'), {
      token_post_args_names: ['resource'],
      token_post_args_values: ['r1'],
    });
    assert.deepEqual(audienceArgs('', { token_post_args_names: ['audience'], token_post_args_values: ['a'] }, 'edit'), {
      token_post_args_names: null,
      token_post_args_values: null,
    });
    assert.equal(audienceArgs('', undefined, 'create'), undefined);
  });

  it('key_auth: key names only (no DCR provider, no OIDC config)', () => {
    const b = body(
      buildStrategyCreate(
        strategy({
          strategyType: 'key_auth',
          keyNames: 'apikey, x-api-key',
          dcrProviderId: testId(),
          displayName: 'Key',
        }),
      ),
    );
    assert.deepEqual(b, {
      name: 's1',
      display_name: 'Key',
      strategy_type: 'key_auth',
      configs: { 'key-auth': { key_names: ['apikey', 'x-api-key'] } },
    });
  });

  it('create: required fields and the core constraints land on their fields', () => {
    const e = errors(
      buildStrategyCreate(strategy({ name: '', issuer: 'nope', authMethods: [], dcrProviderId: 'not-a-uuid' })),
    );
    assert.equal(e.fields['name'], 'Required.');
    assert.match(e.fields['authMethods'] ?? '', /at least one/);
    assert.match(e.fields['issuer'] ?? '', /URL/);
    assert.match(e.fields['dcrProviderId'] ?? '', /UUID/);
    const k = errors(buildStrategyCreate(strategy({ strategyType: 'key_auth', keyNames: '' })));
    assert.equal(k.fields['keyNames'], 'Required.');
    const tooMany = errors(
      buildStrategyCreate(strategy({ strategyType: 'key_auth', keyNames: 'a b c d e f g h i j k' })),
    );
    assert.match(tooMany.fields['keyNames'] ?? '', /At most 10 items/);
  });

  it('edit: PATCH with every field, the provider unlinked with null, other post args kept', () => {
    const s = anOidcStrategy({
      configs: {
        'openid-connect': {
          issuer: ISSUER,
          credential_claim: ['azp'],
          scopes: [],
          auth_methods: ['bearer'],
          token_post_args_names: ['audience'],
          token_post_args_values: ['aud1'],
          cache_tokens: false,
        },
      },
    });
    const v = strategyValuesFrom(s);
    assert.equal(v.audience, 'aud1');
    assert.equal(v.credentialClaim, 'azp');
    const b = body(buildStrategyUpdate({ ...v, audience: '' }, s));
    assert.deepEqual(b, {
      name: 'oidc',
      display_name: 'OIDC',
      dcr_provider_id: null,
      configs: {
        'openid-connect': {
          issuer: ISSUER,
          credential_claim: ['azp'],
          scopes: [],
          auth_methods: ['bearer'],
          token_post_args_names: null,
          token_post_args_values: null,
        },
      },
    });
    assert.ok(UpdateAppAuthStrategyRequestSchema.safeParse(b).success);
    assert.deepEqual(body(buildStrategyUpdate(strategy({ strategyType: 'key_auth', keyNames: 'apikey' }))), {
      name: 's1',
      display_name: 's1',
      configs: { 'key-auth': { key_names: ['apikey'] } },
    });
  });

  it('helpers: list splitting and the strategy issuer from a Curity discovery URL', () => {
    assert.deepEqual(splitList(' a,b ,, c\nd '), ['a', 'b', 'c', 'd']);
    assert.equal(
      strategyIssuerFromProvider('https://curity.example/oauth/v2/oauth-anonymous/.well-known/openid-configuration'),
      'https://curity.example/oauth/v2/oauth-anonymous',
    );
    assert.equal(strategyIssuerFromProvider(ISSUER), ISSUER);
  });
});

describe('forms: invalid_parameters → form fields', () => {
  it('normalises the spellings of a path', () => {
    assert.deepEqual(fieldSegments('dcr_config.initial_client_id'), ['dcr_config', 'initial_client_id']);
    assert.deepEqual(fieldSegments('/dcr_config/api_key'), ['dcr_config', 'api_key']);
    assert.deepEqual(fieldSegments('body.configs["openid-connect"].scopes[2]'), [
      'configs',
      'openid-connect',
      'scopes',
      '2',
    ]);
    assert.deepEqual(fieldSegments('configs.openid_connect.issuer'), ['configs', 'openid-connect', 'issuer']);
  });

  it('maps provider and strategy fields by their longest known prefix', () => {
    assert.deepEqual(fieldFor('provider', 'dcr_config.initial_client_id'), { field: 'initialClientId', rest: [] });
    assert.deepEqual(fieldFor('provider', 'dcr_config.api_key'), { field: 'apiKey', rest: [] });
    assert.deepEqual(fieldFor('strategy', 'configs.openid-connect.scopes'), { field: 'scopes', rest: [] });
    assert.deepEqual(fieldFor('strategy', 'configs.openid-connect.scopes.3'), { field: 'scopes', rest: ['3'] });
    assert.deepEqual(fieldFor('strategy', 'configs.openid-connect.token_post_args_values'), {
      field: 'audience',
      rest: [],
    });
    assert.deepEqual(fieldFor('strategy', 'configs.key-auth.key_names'), { field: 'keyNames', rest: [] });
    assert.deepEqual(fieldFor('strategy', 'dcr_provider_id'), { field: 'dcrProviderId', rest: [] });
    assert.equal(fieldFor('provider', 'labels.env'), undefined);
    assert.equal(fieldFor('strategy', 'configs'), undefined);
  });

  it('puts each issue on a shown field, others (unknown or hidden) at the top with their path', () => {
    const placed = placeIssues(
      'provider',
      [
        { field: 'dcr_config.initial_client_id', reason: 'must be a string' },
        { field: 'issuer', reason: 'bad' },
        { field: 'issuer', reason: 'worse' },
        { field: 'labels.env', reason: 'is_label' },
        { field: 'dcr_config.dcr_token', reason: 'not allowed for auth0' },
      ],
      visibleProviderFields({ providerType: 'auth0' }),
    );
    assert.deepEqual(placed.fields, { initialClientId: 'must be a string', issuer: 'bad worse' });
    assert.deepEqual(placed.form, ['labels.env: is_label', 'dcr_config.dcr_token: not allowed for auth0']);
    const s = placeIssues(
      'strategy',
      [
        { field: 'configs.openid-connect.scopes.1', reason: 'too long' },
        { field: 'dcr_provider_id', reason: 'DCR provider "x" does not exist' },
      ],
      visibleStrategyFields({ strategyType: 'openid_connect' }),
    );
    assert.deepEqual(s.fields, { scopes: 'Item 2: too long', dcrProviderId: 'DCR provider "x" does not exist' });
    const hidden = placeIssues(
      'strategy',
      [{ field: 'configs.openid-connect.scopes', reason: 'x' }],
      visibleStrategyFields({ strategyType: 'key_auth' }),
    );
    assert.deepEqual(hidden, { fields: {}, form: ['configs.openid-connect.scopes: x'] });
  });
});
