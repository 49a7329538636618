/**
 * Application auth strategies: `/v2/application-auth-strategies` (docs/konnect-api.md §3).
 *
 * The config keys on the wire are hyphenated: `configs["key-auth"]` and `configs["openid-connect"]`. The
 * openid-connect config allows additional properties (other OIDC plugin settings such as `token_post_args_names`),
 * so its schemas keep unknown keys instead of dropping them.
 */
import * as z from 'zod';
import {
  IdSchema,
  LabelsResponseSchema,
  LabelsSchema,
  LabelsUpdateSchema,
  TimestampSchema,
  UuidSchema,
  HttpUrlSchema,
  paginated,
} from './common';
import { ProviderTypeSchema } from './dcrProvider';

export const STRATEGY_TYPES = ['key_auth', 'openid_connect'] as const;
export const StrategyTypeSchema = z.enum(STRATEGY_TYPES);
export type StrategyType = z.infer<typeof StrategyTypeSchema>;

const StrategyName = z.string().min(1).max(256);
/** Required, but may be empty (docs/konnect-api.md §8.6). */
const StrategyDisplayName = z.string().max(256);

export const KeyAuthTtlSchema = z.strictObject({
  value: z.number().int().min(1),
  unit: z.enum(['days', 'weeks', 'years']),
});

export const PrincipalsSchema = z.strictObject({ enabled: z.boolean() });

// ---------------------------------------------------------------------------------------------------------------
// Configs in requests

/** `AppAuthStrategyConfigKeyAuth`. `key_names` is not required by the spec, though every example sends it. */
export const KeyAuthConfigSchema = z.strictObject({
  key_names: z.array(z.string().max(256)).min(1).max(10).optional(),
  ttl: KeyAuthTtlSchema.optional(),
});
/** `PartialAppAuthStrategyConfigKeyAuth`: `ttl: null` unsets it. */
export const PartialKeyAuthConfigSchema = z.strictObject({
  key_names: z.array(z.string().max(256)).min(1).max(10).optional(),
  ttl: KeyAuthTtlSchema.nullable().optional(),
});

const oidcFields = {
  issuer: HttpUrlSchema.max(256),
  credential_claim: z.array(z.string().max(128)).max(10),
  /** Required on create; may be `[]` (docs/konnect-api.md §8.7). */
  scopes: z.array(z.string().max(128)).max(50),
  auth_methods: z.array(z.string().max(64)).max(10),
};
/** `AppAuthStrategyConfigOpenIDConnect` (`additionalProperties: true`). */
export const OidcConfigSchema = z.looseObject(oidcFields);
/** `PartialAppAuthStrategyConfigOpenIDConnect`. */
export const PartialOidcConfigSchema = z.looseObject({
  issuer: oidcFields.issuer.optional(),
  credential_claim: oidcFields.credential_claim.optional(),
  scopes: oidcFields.scopes.optional(),
  auth_methods: oidcFields.auth_methods.optional(),
});

// ---------------------------------------------------------------------------------------------------------------
// Create / replace request (POST, PUT): oneOf by strategy_type

export const CreateKeyAuthStrategyRequestSchema = z.strictObject({
  name: StrategyName,
  display_name: StrategyDisplayName,
  strategy_type: z.literal('key_auth'),
  configs: z.strictObject({ 'key-auth': KeyAuthConfigSchema }),
  labels: LabelsSchema.optional(),
  principals: PrincipalsSchema.optional(),
});
export const CreateOidcStrategyRequestSchema = z.strictObject({
  name: StrategyName,
  display_name: StrategyDisplayName,
  strategy_type: z.literal('openid_connect'),
  configs: z.strictObject({ 'openid-connect': OidcConfigSchema }),
  dcr_provider_id: UuidSchema.nullable().optional(),
  labels: LabelsSchema.optional(),
  principals: PrincipalsSchema.optional(),
});
export const CreateAppAuthStrategyRequestSchema = z.discriminatedUnion('strategy_type', [
  CreateKeyAuthStrategyRequestSchema,
  CreateOidcStrategyRequestSchema,
]);
export type CreateAppAuthStrategyRequest = z.infer<typeof CreateAppAuthStrategyRequestSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Update request (PATCH): strategy_type cannot change

export const UpdateAppAuthStrategyRequestSchema = z.strictObject({
  name: StrategyName.optional(),
  display_name: StrategyDisplayName.optional(),
  labels: LabelsUpdateSchema.optional(),
  dcr_provider_id: UuidSchema.nullable().optional(),
  configs: z
    .union([
      z.strictObject({ 'openid-connect': PartialOidcConfigSchema }),
      z.strictObject({ 'key-auth': PartialKeyAuthConfigSchema }),
    ])
    .optional(),
  principals: PrincipalsSchema.optional(),
});
export type UpdateAppAuthStrategyRequest = z.infer<typeof UpdateAppAuthStrategyRequestSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Response: AppAuthStrategy, oneOf by strategy_type

/** The provider summary a strategy carries (the response has no `dcr_provider_id`: read `dcr_provider.id`). */
export const StrategyDcrProviderSchema = z.object({
  id: IdSchema,
  name: z.string(),
  display_name: z.string().optional(),
  provider_type: ProviderTypeSchema,
});
export type StrategyDcrProvider = z.infer<typeof StrategyDcrProviderSchema>;

const KeyAuthConfigResponseSchema = z.object({
  key_names: z.array(z.string()).optional(),
  ttl: z.object({ value: z.number(), unit: z.enum(['days', 'weeks', 'years']) }).optional(),
});
const OidcConfigResponseSchema = z.looseObject({
  issuer: z.string(),
  credential_claim: z.array(z.string()),
  scopes: z.array(z.string()),
  auth_methods: z.array(z.string()),
});

const strategyResponseBase = {
  id: IdSchema,
  name: z.string(),
  display_name: z.string(),
  active: z.boolean(),
  dcr_provider: StrategyDcrProviderSchema.nullable(),
  labels: LabelsResponseSchema,
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
  supports_multiple_credentials: z.boolean().optional(),
  principals: z.object({ enabled: z.boolean() }).optional(),
};

export const KeyAuthStrategySchema = z.object({
  ...strategyResponseBase,
  strategy_type: z.literal('key_auth'),
  configs: z.object({ 'key-auth': KeyAuthConfigResponseSchema }),
});
export const OidcStrategySchema = z.object({
  ...strategyResponseBase,
  strategy_type: z.literal('openid_connect'),
  configs: z.object({ 'openid-connect': OidcConfigResponseSchema }),
});
export const AppAuthStrategySchema = z.discriminatedUnion('strategy_type', [KeyAuthStrategySchema, OidcStrategySchema]);
export type AppAuthStrategy = z.infer<typeof AppAuthStrategySchema>;
export type KeyAuthStrategy = z.infer<typeof KeyAuthStrategySchema>;
export type OidcStrategy = z.infer<typeof OidcStrategySchema>;

export const ListAppAuthStrategiesResponseSchema = paginated(AppAuthStrategySchema);

/** deepObject `filter[...]` fields of `GET /v2/application-auth-strategies`. */
export const AUTH_STRATEGY_FILTER_FIELDS = [
  'strategy_type',
  'name',
  'display_name',
  'dcr_provider_name',
  'dcr_provider_type',
  'dcr_provider_id',
] as const;
export type AuthStrategyFilterField = (typeof AUTH_STRATEGY_FILTER_FIELDS)[number];
export const AUTH_STRATEGY_SORT_FIELDS = [
  'created_at',
  'updated_at',
  'strategy_type',
  'name',
  'display_name',
  'dcr_provider_id',
  'dcr_provider_name',
  'dcr_provider_type',
] as const;
export type AuthStrategySortField = (typeof AUTH_STRATEGY_SORT_FIELDS)[number];
