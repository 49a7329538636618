/**
 * Kong Identity: `/v1/auth-servers` with scopes, claims, clients and client secrets (Konnect "Sliver" 1.0.2;
 * docs/konnect-api.md §4). The client secret is returned once, in the create-client answer
 * (`CreatedClient.client_secret`) and in the create-secret answer (`ClientSecretItem.secret`). A client's issued
 * tokens are listed by id, scopes and times only (`Token`); deleting one revokes it.
 */
import * as z from 'zod';
import {
  IdSchema,
  LabelsResponseSchema,
  LabelsSchema,
  LabelsUpdateSchema,
  TimestampSchema,
  UuidSchema,
  paginated,
} from './common';

export const SIGNING_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'] as const;
export const SigningAlgorithmSchema = z.enum(SIGNING_ALGORITHMS);
export const GRANT_TYPES = ['implicit', 'client_credentials'] as const;
export const GrantTypeSchema = z.enum(GRANT_TYPES);
export const RESPONSE_TYPES = ['none', 'token', 'code', 'id_token'] as const;
export const ResponseTypeSchema = z.enum(RESPONSE_TYPES);
export const TOKEN_ENDPOINT_AUTH_METHODS = ['client_secret_post', 'none'] as const;
export const TokenEndpointAuthMethodSchema = z.enum(TOKEN_ENDPOINT_AUTH_METHODS);

const unique = <T>(a: readonly T[]): boolean => new Set(a).size === a.length;
const TrustedOrigins = z.array(z.url()).refine(unique, { message: 'items must be unique' });
const TokenDuration = z.number().int().min(60).max(2592000);

// ---------------------------------------------------------------------------------------------------------------
// Auth servers

export const CreateAuthServerRequestSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  /** Becomes the `aud` claim of access tokens. */
  audience: z.string().min(1),
  signing_algorithm: SigningAlgorithmSchema.optional(),
  labels: LabelsSchema.optional(),
  trusted_origins: TrustedOrigins.optional(),
});
export type CreateAuthServerRequest = z.infer<typeof CreateAuthServerRequestSchema>;

export const UpdateAuthServerRequestSchema = z.strictObject({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  audience: z.string().min(1).optional(),
  signing_algorithm: SigningAlgorithmSchema.optional(),
  labels: LabelsUpdateSchema.optional(),
  trusted_origins: TrustedOrigins.optional(),
});
export type UpdateAuthServerRequest = z.infer<typeof UpdateAuthServerRequestSchema>;

export const AuthServerSchema = z.object({
  id: IdSchema,
  name: z.string(),
  description: z.string(),
  audience: z.string(),
  signing_algorithm: SigningAlgorithmSchema,
  /** Becomes the `iss` claim; the DCR provider of type `kongIdentity` uses it as its `issuer`. */
  issuer: z.string(),
  metadata_uri: z.string(),
  jwks_uri: z.string().optional(),
  labels: LabelsResponseSchema,
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
  trusted_origins: z.array(z.string()).optional(),
});
export type AuthServer = z.infer<typeof AuthServerSchema>;
export const AuthServerListSchema = paginated(AuthServerSchema);

// ---------------------------------------------------------------------------------------------------------------
// Scopes

export const CreateScopeRequestSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  default: z.boolean().optional(),
  include_in_metadata: z.boolean().optional(),
  enabled: z.boolean().optional(),
});
export type CreateScopeRequest = z.infer<typeof CreateScopeRequestSchema>;
export const UpdateScopeRequestSchema = CreateScopeRequestSchema.partial();
export type UpdateScopeRequest = z.infer<typeof UpdateScopeRequestSchema>;

export const ScopeSchema = z.object({
  id: IdSchema,
  name: z.string(),
  description: z.string(),
  default: z.boolean(),
  include_in_metadata: z.boolean(),
  enabled: z.boolean(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type Scope = z.infer<typeof ScopeSchema>;
export const ScopeListSchema = paginated(ScopeSchema);

// ---------------------------------------------------------------------------------------------------------------
// Claims

export const CreateClaimRequestSchema = z.strictObject({
  name: z.string().min(1),
  /** A static value or a template such as `${ uuidv4 }`. */
  value: z.string().min(1),
  include_in_token: z.boolean().optional(),
  include_in_all_scopes: z.boolean().optional(),
  /** Scope ids. */
  include_in_scopes: z.array(UuidSchema).optional(),
  enabled: z.boolean().optional(),
});
export type CreateClaimRequest = z.infer<typeof CreateClaimRequestSchema>;
export const UpdateClaimRequestSchema = CreateClaimRequestSchema.partial();
export type UpdateClaimRequest = z.infer<typeof UpdateClaimRequestSchema>;

export const ClaimSchema = z.object({
  id: IdSchema,
  name: z.string(),
  value: z.string(),
  include_in_token: z.boolean(),
  include_in_all_scopes: z.boolean(),
  include_in_scopes: z.array(z.string()),
  enabled: z.boolean(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type Claim = z.infer<typeof ClaimSchema>;
export const ClaimListSchema = paginated(ClaimSchema);

// ---------------------------------------------------------------------------------------------------------------
// Claim test (`POST /v1/auth-servers/{authServerId}/clients/{clientId}/test-claim`)

/** `TestClaimPayload`: claim name → its value or template (a map<string>string), rendered for one client. */
export const TestClaimRequestSchema = z.record(z.string().min(1), z.string());
export type TestClaimRequest = z.infer<typeof TestClaimRequestSchema>;
/** `TestClaimResult`: claim name → the value as a token would carry it (hydrated by type, so any JSON). */
export const TestClaimResultSchema = z.record(z.string(), z.unknown());
export type TestClaimResult = z.infer<typeof TestClaimResultSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Clients

const clientWritable = {
  name: z.string().min(1),
  grant_types: z.array(GrantTypeSchema).refine(unique, { message: 'items must be unique' }),
  response_types: z.array(ResponseTypeSchema),
  redirect_uris: z.array(z.url()).optional(),
  login_uri: z.url().nullable().optional(),
  access_token_duration: TokenDuration.optional(),
  id_token_duration: TokenDuration.optional(),
  allow_all_scopes: z.boolean().optional(),
  /** Scope ids. */
  allow_scopes: z.array(UuidSchema).refine(unique, { message: 'items must be unique' }).optional(),
  labels: LabelsSchema.optional(),
  token_endpoint_auth_method: TokenEndpointAuthMethodSchema.optional(),
};

export const CreateClientRequestSchema = z.strictObject(clientWritable);
export type CreateClientRequest = z.infer<typeof CreateClientRequestSchema>;

/** PUT: "create a client with the matching ID and secret". */
export const ReplaceClientRequestSchema = z.strictObject({ ...clientWritable, client_secret: z.string().min(1) });
export type ReplaceClientRequest = z.infer<typeof ReplaceClientRequestSchema>;

export const UpdateClientRequestSchema = z.strictObject({
  name: clientWritable.name.optional(),
  client_secret: z.string().min(1).optional(),
  grant_types: clientWritable.grant_types.optional(),
  response_types: clientWritable.response_types.optional(),
  redirect_uris: clientWritable.redirect_uris,
  login_uri: clientWritable.login_uri,
  access_token_duration: clientWritable.access_token_duration,
  id_token_duration: clientWritable.id_token_duration,
  allow_all_scopes: clientWritable.allow_all_scopes,
  allow_scopes: clientWritable.allow_scopes,
  token_endpoint_auth_method: clientWritable.token_endpoint_auth_method,
  labels: LabelsUpdateSchema.optional(),
});
export type UpdateClientRequest = z.infer<typeof UpdateClientRequestSchema>;

export const ClientSchema = z.object({
  /** The OAuth client_id. */
  id: IdSchema,
  name: z.string(),
  grant_types: z.array(GrantTypeSchema),
  redirect_uris: z.array(z.string()),
  login_uri: z.string().nullable().optional(),
  access_token_duration: z.number(),
  id_token_duration: z.number(),
  allow_all_scopes: z.boolean(),
  allow_scopes: z.array(z.string()),
  labels: LabelsResponseSchema,
  response_types: z.array(ResponseTypeSchema),
  token_endpoint_auth_method: TokenEndpointAuthMethodSchema.optional(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type Client = z.infer<typeof ClientSchema>;
/** The create-client answer: the only time the secret is shown. */
export const CreatedClientSchema = ClientSchema.extend({ client_secret: z.string() });
export type CreatedClient = z.infer<typeof CreatedClientSchema>;
export const ClientListSchema = paginated(ClientSchema);

// ---------------------------------------------------------------------------------------------------------------
// Client secrets

export const CreateClientSecretRequestSchema = z.strictObject({
  secret: z.string().optional(),
  enabled: z.boolean().optional(),
});
export type CreateClientSecretRequest = z.infer<typeof CreateClientSecretRequestSchema>;
export const UpdateClientSecretRequestSchema = z.strictObject({ enabled: z.boolean().optional() });
export type UpdateClientSecretRequest = z.infer<typeof UpdateClientSecretRequestSchema>;

export const ClientSecretItemSchema = z.object({
  id: IdSchema,
  enabled: z.boolean(),
  /** Only in the create answer. */
  secret: z.string().optional(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type ClientSecretItem = z.infer<typeof ClientSecretItemSchema>;
export const ClientSecretListSchema = paginated(ClientSecretItemSchema);

// ---------------------------------------------------------------------------------------------------------------
// Tokens a client was issued (never the token itself)

export const TokenSchema = z.object({
  id: IdSchema,
  granted_scope_names: z.array(z.string()),
  created_at: TimestampSchema,
  expires_at: TimestampSchema,
});
export type Token = z.infer<typeof TokenSchema>;
export const TokenListSchema = paginated(TokenSchema);

// ---------------------------------------------------------------------------------------------------------------
// List filters / sorts

export const AUTH_SERVER_FILTER_FIELDS = ['name', 'description', 'audience', 'id', 'labels'] as const;
export type AuthServerFilterField = (typeof AUTH_SERVER_FILTER_FIELDS)[number];
export const AUTH_SERVER_SORT_FIELDS = ['created_at', 'updated_at', 'name', 'audience'] as const;
export type AuthServerSortField = (typeof AUTH_SERVER_SORT_FIELDS)[number];
/** Scopes and claims filter on `name` and `id`; clients also on `labels`. */
export type ScopeFilterField = 'name' | 'id';
export type ClaimFilterField = 'name' | 'id';
export type ClientFilterField = 'name' | 'id' | 'labels';
export type IdentitySortField = 'created_at' | 'updated_at' | 'name';
