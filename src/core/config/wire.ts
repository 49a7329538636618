/**
 * File entries → Konnect request bodies. Every body is checked with the wire schema of src/core/model before it is
 * sent (zod at the boundary), so a value the file could not express correctly fails here with a plain message, not
 * as a 400 half-way through an apply. The file's spelling differs from the wire's in three places: `configs.key_auth`
 * / `configs.openid_connect` become `key-auth` / `openid-connect`; `!ref`s become ids or issuers; `!secret`s become
 * their values.
 */
import type * as z from 'zod';
import {
  CreateAppAuthStrategyRequestSchema,
  UpdateAppAuthStrategyRequestSchema,
  type CreateAppAuthStrategyRequest,
  type UpdateAppAuthStrategyRequest,
} from '../model/authStrategy';
import {
  CreateDcrProviderRequestSchema,
  UpdateDcrProviderRequestSchema,
  type CreateDcrProviderRequest,
  type UpdateDcrProviderRequest,
} from '../model/dcrProvider';
import {
  CreateAuthServerRequestSchema,
  CreateClaimRequestSchema,
  CreateClientRequestSchema,
  CreateScopeRequestSchema,
  UpdateAuthServerRequestSchema,
  UpdateClaimRequestSchema,
  UpdateClientRequestSchema,
  UpdateScopeRequestSchema,
  type CreateAuthServerRequest,
  type CreateClaimRequest,
  type CreateClientRequest,
  type CreateScopeRequest,
  type UpdateAuthServerRequest,
  type UpdateClaimRequest,
  type UpdateClientRequest,
  type UpdateScopeRequest,
} from '../model/kongIdentity';
import { providerType } from '../model/providerTypes';
import type {
  DesiredAuthServer,
  DesiredClaim,
  DesiredClient,
  DesiredProvider,
  DesiredScope,
  DesiredStrategy,
} from './model';
import { DEFAULT_NAMESPACE, NAMESPACE_LABEL, PROTECTED_LABEL } from './model';

/** A request body failed its wire schema. The message names fields and rules, never values. */
export class WireValidationError extends Error {
  constructor(
    readonly what: string,
    readonly problems: readonly string[],
  ) {
    super(`The ${what} cannot be sent to Konnect: ${problems.join('; ')}.`);
    this.name = 'WireValidationError';
  }
}

function check<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  throw new WireValidationError(
    what,
    r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`),
  );
}

/** kongctl trims a trailing `/` from a DCR provider issuer before sending it (NormalizeDCRProviderIssuer). */
export function normalizeProviderIssuer(issuer: string): string {
  return issuer.trim().replace(/\/+$/, '');
}

/** The wire config key of a strategy type. */
export function wireConfigKey(strategyType: DesiredStrategy['strategyType']): 'key-auth' | 'openid-connect' {
  return strategyType === 'key_auth' ? 'key-auth' : 'openid-connect';
}

/** Labels of a new resource: the user's, plus kongctl's namespace (always, as kongctl does) and protection. */
export function createLabels(d: {
  labels: Readonly<Record<string, string>> | undefined;
  namespace: string | undefined;
  protected: boolean | undefined;
}): Record<string, string> {
  return {
    ...(d.labels ?? {}),
    [NAMESPACE_LABEL]: d.namespace ?? DEFAULT_NAMESPACE,
    ...(d.protected ? { [PROTECTED_LABEL]: 'true' } : {}),
  };
}

function defined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function providerCreateBody(
  p: DesiredProvider,
  issuer: string,
  secrets: Readonly<Record<string, string>>,
): CreateDcrProviderRequest {
  const body = defined({
    name: p.name,
    display_name: p.displayName,
    provider_type: p.providerType,
    issuer: normalizeProviderIssuer(issuer),
    labels: createLabels(p),
    // a type without dcr_config fields (Kong Identity) sends none
    dcr_config: providerType(p.providerType).dcrConfig.length ? { ...p.config, ...secrets } : undefined,
  });
  return check(CreateDcrProviderRequestSchema, body, `DCR provider "${p.name}"`);
}

export function providerUpdateBody(name: string, patch: Record<string, unknown>): UpdateDcrProviderRequest {
  return check(UpdateDcrProviderRequestSchema, patch, `update of DCR provider "${name}"`);
}

export function strategyCreateBody(
  s: DesiredStrategy,
  issuer: string | undefined,
  providerId: string | null | undefined,
): CreateAppAuthStrategyRequest {
  const key = wireConfigKey(s.strategyType);
  const inner = s.strategyType === 'openid_connect' ? { issuer, ...s.config } : { ...s.config };
  const body = defined({
    name: s.name,
    display_name: s.displayName,
    strategy_type: s.strategyType,
    configs: { [key]: inner },
    dcr_provider_id: s.strategyType === 'openid_connect' ? (providerId ?? undefined) : undefined,
    labels: createLabels(s),
    principals: s.principals,
  });
  return check(CreateAppAuthStrategyRequestSchema, body, `auth strategy "${s.name}"`);
}

export function strategyUpdateBody(name: string, patch: Record<string, unknown>): UpdateAppAuthStrategyRequest {
  return check(UpdateAppAuthStrategyRequestSchema, patch, `update of auth strategy "${name}"`);
}

export function authServerCreateBody(a: DesiredAuthServer): CreateAuthServerRequest {
  return check(
    CreateAuthServerRequestSchema,
    defined({
      name: a.name,
      audience: a.audience,
      description: a.description,
      signing_algorithm: a.signingAlgorithm,
      trusted_origins: a.trustedOrigins ? [...a.trustedOrigins] : undefined,
      labels: a.labels && Object.keys(a.labels).length ? { ...a.labels } : undefined,
    }) as unknown,
    `auth server "${a.name}"`,
  );
}

export function authServerUpdateBody(name: string, patch: Record<string, unknown>): UpdateAuthServerRequest {
  return check(UpdateAuthServerRequestSchema, patch, `update of auth server "${name}"`);
}

export function scopeCreateBody(s: DesiredScope): CreateScopeRequest {
  return check(CreateScopeRequestSchema, defined({ ...s }), `scope "${s.name}"`);
}

export function scopeUpdateBody(name: string, patch: Record<string, unknown>): UpdateScopeRequest {
  return check(UpdateScopeRequestSchema, patch, `update of scope "${name}"`);
}

export function claimCreateBody(c: DesiredClaim, scopeIds: readonly string[] | undefined): CreateClaimRequest {
  return check(
    CreateClaimRequestSchema,
    defined({ ...c, include_in_scopes: scopeIds ? [...scopeIds] : undefined }),
    `claim "${c.name}"`,
  );
}

export function claimUpdateBody(name: string, patch: Record<string, unknown>): UpdateClaimRequest {
  return check(UpdateClaimRequestSchema, patch, `update of claim "${name}"`);
}

/** A client's create body (`allow_scopes` as scope ids); Konnect generates its id and secret. */
export function clientCreateBody(c: DesiredClient, scopeIds: readonly string[] | undefined): CreateClientRequest {
  return check(
    CreateClientRequestSchema,
    defined({
      ...c,
      allow_scopes: scopeIds ? [...scopeIds] : undefined,
      labels: c.labels && Object.keys(c.labels).length ? { ...c.labels } : undefined,
    }),
    `client "${c.name}"`,
  );
}

export function clientUpdateBody(name: string, patch: Record<string, unknown>): UpdateClientRequest {
  return check(UpdateClientRequestSchema, patch, `update of client "${name}"`);
}
