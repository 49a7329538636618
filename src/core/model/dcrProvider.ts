/**
 * DCR providers: `/v2/dcr-providers` (Application Auth Strategies spec 2.1.1; docs/konnect-api.md §2).
 *
 * Create, update and response shapes differ per `provider_type` (docs/konnect-api.md §2.2/§2.3). Secrets
 * (`initial_client_secret`, `dcr_token`, `api_key`) are write-only: they appear in the create/update request schemas
 * and never in a response schema.
 */
import * as z from 'zod';
import {
  HttpUrlSchema,
  IdSchema,
  LabelsResponseSchema,
  LabelsSchema,
  LabelsUpdateSchema,
  TimestampSchema,
  paginated,
} from './common';
import { PROVIDER_TYPES, perProviderType, secretKeysOf, type ProviderType } from './providerTypes';

export { PROVIDER_TYPES, type ProviderType } from './providerTypes';
export const ProviderTypeSchema = z.enum(PROVIDER_TYPES);

/** The write-only `dcr_config` fields of each provider type: sent on create/update, never returned. */
export const DCR_SECRET_FIELDS: Readonly<Record<ProviderType, readonly string[]>> = perProviderType(secretKeysOf);

// ---------------------------------------------------------------------------------------------------------------
// Field schemas

const ProviderName = z.string().min(1).max(256);
const ProviderDisplayName = z.string().min(1).max(256);
const Issuer = HttpUrlSchema.max(256);
const InitialClientId = z.string().max(256);
const InitialClientSecret = z.string().max(256);
const InitialClientAudience = z.string().max(256).nullable();
const DcrToken = z.string().max(256);
const ApiKey = z
  .string()
  .min(12)
  .max(256)
  .regex(/^[a-zA-Z0-9_]+$/, 'only letters, digits and _');
const DcrBaseUrl = HttpUrlSchema.max(256);

// ---------------------------------------------------------------------------------------------------------------
// dcr_config in a create request (required fields per type)

export const CreateDcrConfigAuth0Schema = z.strictObject({
  initial_client_id: InitialClientId,
  initial_client_secret: InitialClientSecret,
  initial_client_audience: InitialClientAudience.optional(),
  use_developer_managed_scopes: z.boolean().optional(),
});
export const CreateDcrConfigAzureAdSchema = z.strictObject({
  initial_client_id: InitialClientId,
  initial_client_secret: InitialClientSecret,
});
export const CreateDcrConfigCuritySchema = z.strictObject({
  initial_client_id: InitialClientId,
  initial_client_secret: InitialClientSecret,
});
export const CreateDcrConfigOktaSchema = z.strictObject({ dcr_token: DcrToken });
export const CreateDcrConfigHttpSchema = z.strictObject({
  dcr_base_url: DcrBaseUrl,
  api_key: ApiKey,
  disable_event_hooks: z.boolean().optional(),
  disable_refresh_secret: z.boolean().optional(),
  allow_multiple_credentials: z.boolean().optional(),
});
/** Kong Identity takes no configuration: `{}` or nothing. */
export const CreateDcrConfigKongIdentitySchema = z.strictObject({});

// dcr_config in an update request: every field optional; no Kong Identity variant (docs/konnect-api.md §8.8)
export const UpdateDcrConfigAuth0Schema = CreateDcrConfigAuth0Schema.partial();
export const UpdateDcrConfigAzureAdSchema = CreateDcrConfigAzureAdSchema.partial();
export const UpdateDcrConfigCuritySchema = CreateDcrConfigCuritySchema.partial();
export const UpdateDcrConfigOktaSchema = CreateDcrConfigOktaSchema.partial();
export const UpdateDcrConfigHttpSchema = CreateDcrConfigHttpSchema.partial();

// dcr_config in a response: no secrets
export const DcrConfigAuth0ResponseSchema = z.object({
  initial_client_id: z.string(),
  initial_client_audience: z.string().nullable(),
  use_developer_managed_scopes: z.boolean(),
});
export const DcrConfigAzureAdResponseSchema = z.object({ initial_client_id: z.string() });
export const DcrConfigCurityResponseSchema = z.object({ initial_client_id: z.string() });
export const DcrConfigOktaResponseSchema = z.object({});
export const DcrConfigKongIdentityResponseSchema = z.object({});
export const DcrConfigHttpResponseSchema = z.object({
  dcr_base_url: z.string(),
  disable_event_hooks: z.boolean().optional(),
  disable_refresh_secret: z.boolean().optional(),
  allow_multiple_credentials: z.boolean().optional(),
});

// ---------------------------------------------------------------------------------------------------------------
// Create request: oneOf by provider_type

const createBase = {
  name: ProviderName,
  display_name: ProviderDisplayName.optional(),
  issuer: Issuer,
  labels: LabelsSchema.optional(),
};

export const CreateDcrProviderRequestAuth0Schema = z.strictObject({
  ...createBase,
  provider_type: z.literal('auth0'),
  dcr_config: CreateDcrConfigAuth0Schema,
});
export const CreateDcrProviderRequestAzureAdSchema = z.strictObject({
  ...createBase,
  provider_type: z.literal('azureAd'),
  dcr_config: CreateDcrConfigAzureAdSchema,
});
export const CreateDcrProviderRequestCuritySchema = z.strictObject({
  ...createBase,
  provider_type: z.literal('curity'),
  dcr_config: CreateDcrConfigCuritySchema,
});
export const CreateDcrProviderRequestOktaSchema = z.strictObject({
  ...createBase,
  provider_type: z.literal('okta'),
  dcr_config: CreateDcrConfigOktaSchema,
});
export const CreateDcrProviderRequestHttpSchema = z.strictObject({
  ...createBase,
  provider_type: z.literal('http'),
  dcr_config: CreateDcrConfigHttpSchema,
});
export const CreateDcrProviderRequestKongIdentitySchema = z.strictObject({
  ...createBase,
  provider_type: z.literal('kongIdentity'),
  dcr_config: CreateDcrConfigKongIdentitySchema.optional(),
});

export const CreateDcrProviderRequestSchema = z.discriminatedUnion('provider_type', [
  CreateDcrProviderRequestAuth0Schema,
  CreateDcrProviderRequestAzureAdSchema,
  CreateDcrProviderRequestCuritySchema,
  CreateDcrProviderRequestOktaSchema,
  CreateDcrProviderRequestHttpSchema,
  CreateDcrProviderRequestKongIdentitySchema,
]);
export type CreateDcrProviderRequest = z.infer<typeof CreateDcrProviderRequestSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Update request (PATCH): no provider_type; dcr_config is anyOf the per-type partials

export const UpdateDcrProviderRequestSchema = z.strictObject({
  name: ProviderName.optional(),
  display_name: ProviderDisplayName.optional(),
  issuer: Issuer.optional(),
  labels: LabelsUpdateSchema.optional(),
  dcr_config: z
    .union([
      UpdateDcrConfigAuth0Schema,
      UpdateDcrConfigAzureAdSchema,
      UpdateDcrConfigCuritySchema,
      UpdateDcrConfigOktaSchema,
      UpdateDcrConfigHttpSchema,
    ])
    .optional(),
});
export type UpdateDcrProviderRequest = z.infer<typeof UpdateDcrProviderRequestSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Response: DcrProviderBase + per-type dcr_config

const responseBase = {
  id: IdSchema,
  name: z.string(),
  display_name: z.string().optional(),
  issuer: z.string(),
  active: z.boolean(),
  labels: LabelsResponseSchema.optional(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
};

export const DcrProviderAuth0Schema = z.object({
  ...responseBase,
  provider_type: z.literal('auth0'),
  dcr_config: DcrConfigAuth0ResponseSchema,
});
export const DcrProviderAzureAdSchema = z.object({
  ...responseBase,
  provider_type: z.literal('azureAd'),
  dcr_config: DcrConfigAzureAdResponseSchema,
});
export const DcrProviderCuritySchema = z.object({
  ...responseBase,
  provider_type: z.literal('curity'),
  dcr_config: DcrConfigCurityResponseSchema,
});
export const DcrProviderOktaSchema = z.object({
  ...responseBase,
  provider_type: z.literal('okta'),
  dcr_config: DcrConfigOktaResponseSchema,
});
export const DcrProviderHttpSchema = z.object({
  ...responseBase,
  provider_type: z.literal('http'),
  dcr_config: DcrConfigHttpResponseSchema,
});
export const DcrProviderKongIdentitySchema = z.object({
  ...responseBase,
  provider_type: z.literal('kongIdentity'),
  dcr_config: DcrConfigKongIdentityResponseSchema,
});

/** `DcrProviderResponse` (also the create response, `CreateDcrProviderResponse`). */
export const DcrProviderSchema = z.discriminatedUnion('provider_type', [
  DcrProviderAuth0Schema,
  DcrProviderAzureAdSchema,
  DcrProviderCuritySchema,
  DcrProviderOktaSchema,
  DcrProviderHttpSchema,
  DcrProviderKongIdentitySchema,
]);
export type DcrProvider = z.infer<typeof DcrProviderSchema>;

/**
 * The wire schemas of each type: the create request, and the `dcr_config` of an update (none: the type takes no
 * `dcr_config` on update). A `Record` over the provider-type table, so a type without its schemas does not compile.
 */
export const DCR_PROVIDER_SCHEMAS: {
  readonly [T in ProviderType]: { readonly create: z.ZodType; readonly updateConfig?: z.ZodType };
} = {
  auth0: { create: CreateDcrProviderRequestAuth0Schema, updateConfig: UpdateDcrConfigAuth0Schema },
  azureAd: { create: CreateDcrProviderRequestAzureAdSchema, updateConfig: UpdateDcrConfigAzureAdSchema },
  curity: { create: CreateDcrProviderRequestCuritySchema, updateConfig: UpdateDcrConfigCuritySchema },
  okta: { create: CreateDcrProviderRequestOktaSchema, updateConfig: UpdateDcrConfigOktaSchema },
  http: { create: CreateDcrProviderRequestHttpSchema, updateConfig: UpdateDcrConfigHttpSchema },
  kongIdentity: { create: CreateDcrProviderRequestKongIdentitySchema },
};

// The unions above and the provider-type table name the same types.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _createCoversTable: Same<CreateDcrProviderRequest['provider_type'], ProviderType> = true;
const _responseCoversTable: Same<DcrProvider['provider_type'], ProviderType> = true;
void _createCoversTable;
void _responseCoversTable;

export const ListDcrProvidersResponseSchema = paginated(DcrProviderSchema);
export type ListDcrProvidersResponse = z.infer<typeof ListDcrProvidersResponseSchema>;

/** `POST /v2/dcr-providers/{id}/verify`. A 200 may still say `failed` (docs/konnect-api.md §8.5). */
export const VerifyDcrProviderResponseSchema = z.object({
  status: z.enum(['success', 'failed']),
  errors: z.array(z.string()),
});
export type VerifyDcrProviderResponse = z.infer<typeof VerifyDcrProviderResponseSchema>;

/** Filterable fields of `GET /v2/dcr-providers` (explicit query parameters in the spec). */
export const DCR_PROVIDER_FILTER_FIELDS = [
  'id',
  'issuer',
  'name',
  'provider_type',
  'initial_client_id',
  'initial_client_audience',
] as const;
export type DcrProviderFilterField = (typeof DCR_PROVIDER_FILTER_FIELDS)[number];
export const DCR_PROVIDER_SORT_FIELDS = ['created_at', 'updated_at', 'provider_type', 'issuer', 'name'] as const;
export type DcrProviderSortField = (typeof DCR_PROVIDER_SORT_FIELDS)[number];
