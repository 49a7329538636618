import * as assert from 'node:assert/strict';
import type * as z from 'zod';
import {
  CreateDcrProviderRequestSchema,
  DcrProviderSchema,
  ListDcrProvidersResponseSchema,
  PROVIDER_TYPES,
  UpdateDcrProviderRequestSchema,
  VerifyDcrProviderResponseSchema,
  DCR_SECRET_FIELDS,
} from '../../../src/core/model/dcrProvider';
import {
  AppAuthStrategySchema,
  CreateAppAuthStrategyRequestSchema,
  ListAppAuthStrategiesResponseSchema,
  UpdateAppAuthStrategyRequestSchema,
} from '../../../src/core/model/authStrategy';
import {
  AuthServerListSchema,
  AuthServerSchema,
  ClaimListSchema,
  ClaimSchema,
  ClientListSchema,
  ClientSchema,
  ClientSecretItemSchema,
  ClientSecretListSchema,
  CreateAuthServerRequestSchema,
  CreateClaimRequestSchema,
  CreateClientRequestSchema,
  CreateScopeRequestSchema,
  CreatedClientSchema,
  ReplaceClientRequestSchema,
  ScopeListSchema,
  ScopeSchema,
  UpdateAuthServerRequestSchema,
  UpdateClaimRequestSchema,
  UpdateClientRequestSchema,
  UpdateScopeRequestSchema,
  TestClaimResultSchema,
  TokenListSchema,
  TokenSchema,
} from '../../../src/core/model/kongIdentity';
import { ProblemSchema } from '../../../src/core/model/common';
import { loadSpecExamples, specExample } from '../../support/fixtures';

const aas = loadSpecExamples('application-auth-strategies-v2.examples.yaml');
const ki = loadSpecExamples('kong-identity-v1.examples.yaml');

function accepts(schema: z.ZodType, value: unknown, what: string): void {
  const r = schema.safeParse(value);
  assert.ok(r.success, `${what} rejected: ${r.success ? '' : JSON.stringify(r.error.issues)}`);
}
function rejects(schema: z.ZodType, value: unknown, what: string, path?: string): void {
  const r = schema.safeParse(value);
  assert.ok(!r.success, `${what} was accepted`);
  if (path)
    assert.ok(
      r.error.issues.some((i) => i.path.join('.') === path),
      `${what}: no issue at ${path}: ${JSON.stringify(r.error.issues)}`,
    );
}

const NAMES: Record<(typeof PROVIDER_TYPES)[number], string> = {
  auth0: 'Auth0',
  azureAd: 'AzureAd',
  curity: 'Curity',
  okta: 'Okta',
  http: 'Http',
  kongIdentity: 'KongIdentity',
};

describe('model: DCR provider schemas against the spec examples', () => {
  for (const type of PROVIDER_TYPES) {
    const n = NAMES[type];
    it(`${type}: the create-request schema accepts DcrProvider${n}CreateRequest`, () => {
      const value = specExample(aas, `DcrProvider${n}CreateRequest`);
      accepts(CreateDcrProviderRequestSchema, value, `${type} create`);
      assert.equal(CreateDcrProviderRequestSchema.parse(value).provider_type, type);
    });
    it(`${type}: the response schema accepts DcrProvider${n}Response and exposes no secret`, () => {
      const value = specExample(aas, `DcrProvider${n}Response`);
      const parsed = DcrProviderSchema.parse(value);
      assert.equal(parsed.provider_type, type);
      for (const secret of DCR_SECRET_FIELDS[type]) assert.ok(!(secret in parsed.dcr_config), `${secret} in response`);
    });
  }

  it('secrets a server might echo are dropped from the parsed response', () => {
    const value = specExample(aas, 'DcrProviderHttpResponse') as { dcr_config: Record<string, unknown> };
    value.dcr_config['api_key'] = 'gYmrbDfu_7PTsZWH';
    const parsed = DcrProviderSchema.parse(value);
    assert.equal(parsed.provider_type, 'http');
    assert.deepEqual(Object.keys(parsed.dcr_config), ['dcr_base_url']);
  });

  it('create requests need their per-type secret; Kong Identity needs no dcr_config', () => {
    const okta = specExample(aas, 'DcrProviderOktaCreateRequest') as { dcr_config: Record<string, unknown> };
    delete okta.dcr_config['dcr_token'];
    rejects(CreateDcrProviderRequestSchema, okta, 'okta without dcr_token', 'dcr_config.dcr_token');
    const http = specExample(aas, 'DcrProviderHttpCreateRequest') as { dcr_config: Record<string, unknown> };
    http.dcr_config['api_key'] = 'short';
    rejects(CreateDcrProviderRequestSchema, http, 'http with a too short api_key', 'dcr_config.api_key');
    http.dcr_config['api_key'] = 'has-a-dash-not-allowed';
    rejects(CreateDcrProviderRequestSchema, http, 'http with an api_key outside [A-Za-z0-9_]', 'dcr_config.api_key');
    rejects(
      CreateDcrProviderRequestSchema,
      { name: 'x', provider_type: 'Curity', issuer: 'https://x' },
      'capitalised provider_type',
      'provider_type',
    );
    rejects(
      CreateDcrProviderRequestSchema,
      { name: 'x', provider_type: 'kongIdentity', issuer: 'https://x', dcr_config: { a: 1 } },
      'KI with config keys',
    );
    accepts(
      CreateDcrProviderRequestSchema,
      { name: 'x', provider_type: 'kongIdentity', issuer: 'https://x', dcr_config: {} },
      'KI with {}',
    );
    accepts(
      CreateDcrProviderRequestSchema,
      { name: 'x', provider_type: 'kongIdentity', issuer: 'http://127.0.0.1:8080/ki/1' },
      'loopback issuer',
    );
    accepts(
      CreateDcrProviderRequestSchema,
      { name: 'x', provider_type: 'kongIdentity', issuer: 'http://localhost:8080' },
      'localhost issuer',
    );
    rejects(
      CreateDcrProviderRequestSchema,
      { name: 'x', provider_type: 'kongIdentity', issuer: 'ftp://x.example.com' },
      'ftp issuer',
      'issuer',
    );
    rejects(
      CreateDcrProviderRequestSchema,
      { name: 'x', provider_type: 'kongIdentity', issuer: 'https:x.example.com' },
      'malformed issuer',
      'issuer',
    );
  });

  it('the update schema accepts the spec example, has no provider_type, and no Kong Identity config', () => {
    accepts(UpdateDcrProviderRequestSchema, specExample(aas, 'DcrProviderOktaUpdateRequest'), 'okta update');
    rejects(UpdateDcrProviderRequestSchema, { provider_type: 'okta' }, 'update with provider_type');
    accepts(
      UpdateDcrProviderRequestSchema,
      { dcr_config: { api_key: 'gYmrbDfu_7PTsZWH' }, labels: { env: null } },
      'partial http config + label removal',
    );
  });

  it('responses reject wrong types and missing required fields', () => {
    const wrongType = specExample(aas, 'DcrProviderOktaResponse') as Record<string, unknown>;
    wrongType['active'] = 'yes';
    rejects(DcrProviderSchema, wrongType, 'active as a string', 'active');
    const missing = specExample(aas, 'DcrProviderAuth0Response') as { dcr_config: Record<string, unknown> };
    delete missing.dcr_config['use_developer_managed_scopes'];
    rejects(
      DcrProviderSchema,
      missing,
      'auth0 without use_developer_managed_scopes',
      'dcr_config.use_developer_managed_scopes',
    );
    const extra = specExample(aas, 'DcrProviderOktaResponse') as Record<string, unknown>;
    extra['some_future_field'] = { x: 1 };
    accepts(DcrProviderSchema, extra, 'unknown extra field');
  });

  it('list and verify answers', () => {
    const list = ListDcrProvidersResponseSchema.parse(specExample(aas, 'ListDcrProvidersResponse'));
    assert.equal(list.data.length, 3);
    assert.deepEqual(list.meta.page, { number: 1, size: 2, total: 10 });
    assert.equal(
      VerifyDcrProviderResponseSchema.parse(specExample(aas, 'VerifyDcrProviderResponseSuccess')).status,
      'success',
    );
    assert.deepEqual(
      VerifyDcrProviderResponseSchema.parse(specExample(aas, 'VerifyDcrProviderResponseFailed')).errors,
      ['Unable to create the DCR application'],
    );
    rejects(VerifyDcrProviderResponseSchema, { status: 'ok', errors: [] }, 'verify with an unknown status', 'status');
  });
});

describe('model: auth strategy schemas against the spec examples', () => {
  for (const name of [
    'CreateAppAuthStrategyKeyAuthRequest',
    'CreateAppAuthStrategyOpenIDConnectRequest',
    'CreateAppAuthStrategyOpenIDConnectDCRRequest',
  ]) {
    it(`the create-request schema accepts ${name}`, () =>
      accepts(CreateAppAuthStrategyRequestSchema, specExample(aas, name), name));
  }
  for (const name of ['UpdateAppAuthStrategyKeyAuthRequest', 'UpdateAppAuthStrategyOpenIDConnectRequest']) {
    it(`the update schema accepts ${name}`, () =>
      accepts(UpdateAppAuthStrategyRequestSchema, specExample(aas, name), name));
  }
  it('the response schema accepts AppAuthStrategyResponseExample1 and the list example', () => {
    const s = AppAuthStrategySchema.parse(specExample(aas, 'AppAuthStrategyResponseExample1'));
    assert.equal(s.strategy_type, 'openid_connect');
    assert.equal(s.dcr_provider?.provider_type, 'http');
    assert.equal(
      ListAppAuthStrategiesResponseSchema.parse(specExample(aas, 'ListAppAuthStrategyResponseExample1')).data.length,
      1,
    );
  });
  it('openid-connect keeps additional properties (request and response); key-auth does not allow them', () => {
    const req = specExample(aas, 'CreateAppAuthStrategyOpenIDConnectRequest') as {
      configs: { 'openid-connect': Record<string, unknown> };
    };
    req.configs['openid-connect']['token_post_args_names'] = ['audience'];
    const parsed = CreateAppAuthStrategyRequestSchema.parse(req);
    assert.ok(parsed.strategy_type === 'openid_connect');
    assert.deepEqual(parsed.configs['openid-connect']['token_post_args_names'], ['audience']);
    const res = specExample(aas, 'AppAuthStrategyResponseExample1') as {
      configs: { 'openid-connect': Record<string, unknown> };
    };
    res.configs['openid-connect']['cache_tokens'] = false;
    const out = AppAuthStrategySchema.parse(res);
    assert.ok(out.strategy_type === 'openid_connect');
    assert.equal(out.configs['openid-connect']['cache_tokens'], false);
    const ka = specExample(aas, 'CreateAppAuthStrategyKeyAuthRequest') as {
      configs: { 'key-auth': Record<string, unknown> };
    };
    ka.configs['key-auth']['extra'] = 1;
    rejects(CreateAppAuthStrategyRequestSchema, ka, 'key-auth with an extra key');
  });
  it('wire keys are hyphenated: configs.openid_connect is refused', () => {
    const req = specExample(aas, 'CreateAppAuthStrategyOpenIDConnectRequest') as { configs: Record<string, unknown> };
    req.configs = { openid_connect: req.configs['openid-connect'] };
    rejects(CreateAppAuthStrategyRequestSchema, req, 'underscore config key');
  });
  it('key_auth may not carry dcr_provider_id; a response needs dcr_provider (nullable)', () => {
    const ka = specExample(aas, 'CreateAppAuthStrategyKeyAuthRequest') as Record<string, unknown>;
    ka['dcr_provider_id'] = '73f8380e-7798-4566-99e3-2edf2b57d281';
    rejects(CreateAppAuthStrategyRequestSchema, ka, 'key_auth with dcr_provider_id');
    const res = specExample(aas, 'AppAuthStrategyResponseExample1') as Record<string, unknown>;
    res['dcr_provider'] = null;
    accepts(AppAuthStrategySchema, res, 'dcr_provider: null');
    delete res['dcr_provider'];
    rejects(AppAuthStrategySchema, res, 'without dcr_provider', 'dcr_provider');
  });
});

describe('model: Kong Identity schemas against the spec examples', () => {
  const requests: [string, z.ZodType][] = [
    ['CreateAuthServer', CreateAuthServerRequestSchema],
    ['UpdateAuthServer', UpdateAuthServerRequestSchema],
    ['CreateScope', CreateScopeRequestSchema],
    ['UpdateScope', UpdateScopeRequestSchema],
    ['CreateClaim', CreateClaimRequestSchema],
    ['UpdateClaim', UpdateClaimRequestSchema],
    ['CreateClient', CreateClientRequestSchema],
    ['UpdateClient', UpdateClientRequestSchema],
    ['ReplaceClient', ReplaceClientRequestSchema],
  ];
  for (const [name, schema] of requests) it(`request ${name}`, () => accepts(schema, specExample(ki, name), name));
  const responses: [string, z.ZodType][] = [
    ['AuthServer', AuthServerSchema],
    ['AuthServerList', AuthServerListSchema],
    ['Scope', ScopeSchema],
    ['ScopeList', ScopeListSchema],
    ['Claim', ClaimSchema],
    ['ClaimList', ClaimListSchema],
    ['Client', ClientSchema],
    ['ClientList', ClientListSchema],
    ['CreatedClient', CreatedClientSchema],
    ['ClientSecretBody', ClientSecretItemSchema],
    ['ClientSecretList', ClientSecretListSchema],
    ['TestClaimResult', TestClaimResultSchema],
    ['Token', TokenSchema],
    ['TokenList', TokenListSchema],
  ];
  for (const [name, schema] of responses) it(`response ${name}`, () => accepts(schema, specExample(ki, name), name));
  it('the created client carries client_secret; a plain client answer without it is not a CreatedClient', () => {
    assert.equal(
      CreatedClientSchema.parse(specExample(ki, 'CreatedClient')).client_secret,
      'YAzsyUlNZ5gNGeKS9H3VAdxVPzhPo4ae',
    );
    rejects(CreatedClientSchema, specExample(ki, 'Client'), 'Client as CreatedClient', 'client_secret');
  });
  it('rejects an unknown grant type and a missing audience', () => {
    rejects(
      CreateClientRequestSchema,
      { name: 'c', grant_types: ['password'], response_types: ['token'] },
      'password grant',
      'grant_types.0',
    );
    rejects(CreateAuthServerRequestSchema, { name: 'a' }, 'no audience', 'audience');
  });
});

describe('model: problem+json', () => {
  it('accepts the spec error examples', () => {
    for (const name of ['UnauthorizedExample', 'ForbiddenExample', 'NotFoundExample'])
      accepts(ProblemSchema, specExample(aas, name), name);
    accepts(
      ProblemSchema,
      {
        status: 400,
        title: 'Invalid Request',
        instance: 'kong:trace:1433447772874964729',
        detail: 'Invalid Parameters',
        invalid_parameters: [
          {
            field: 'auth_strategy_id',
            rule: 'is_uuid',
            reason: '"auth_strategy_id" must be a valid UUID',
            source: 'body',
          },
        ],
      },
      'PM3 400',
    );
  });
});
