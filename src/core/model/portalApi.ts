/**
 * The developer-facing Portal API (Portal API 3.4.0), served on the portal's own domain under `/api/v3/...` and
 * authenticated with the `portalaccesstoken` cookie (docs/konnect-api.md §1.2, §5.3). Used by the "Prove DCR" flow
 * to act as a developer: create an application (Konnect registers the client at the IdP and shows its secret once),
 * register it for an API, rotate its secret.
 */
import * as z from 'zod';
import { IdSchema, TimestampSchema, UuidSchema, paginated } from './common';

export const DeveloperCredentialsSchema = z.strictObject({
  /** The developer's e-mail address. */
  username: z.string().min(1),
  password: z.string().min(1),
});
export type DeveloperCredentials = z.infer<typeof DeveloperCredentialsSchema>;

export const PortalKeyAuthStrategySchema = z.object({
  id: IdSchema,
  name: z.string(),
  credential_type: z.literal('key_auth'),
  key_names: z.array(z.string()),
  ttl: z.object({ value: z.number(), unit: z.enum(['days', 'weeks', 'years']) }).optional(),
  supports_multiple_credentials: z.boolean().optional(),
});
export const PortalClientCredentialsStrategySchema = z.object({
  id: IdSchema,
  name: z.string(),
  credential_type: z.enum(['client_credentials', 'self_managed_client_credentials']),
  auth_methods: z.array(z.string()),
  available_scopes: z.array(z.string()).optional(),
  supports_multiple_credentials: z.boolean().optional(),
  min_allowed_credentials: z.number().optional(),
  max_allowed_credentials: z.number().optional(),
});
/** A strategy as a developer sees it (`auth_strategy` of an application, `/api/v3/application-auth-strategies`). */
export const PortalAuthStrategySchema = z.union([PortalKeyAuthStrategySchema, PortalClientCredentialsStrategySchema]);
export type PortalAuthStrategy = z.infer<typeof PortalAuthStrategySchema>;
export const PortalAuthStrategyListSchema = paginated(PortalAuthStrategySchema);

export const CreateApplicationRequestSchema = z.strictObject({
  name: z.string().min(1).max(255),
  /** Omit for the portal's default strategy. */
  auth_strategy_id: UuidSchema.nullable().optional(),
  /** Only honoured when the strategy supports it. */
  scopes: z.array(z.string()).optional(),
  /** Self-managed client credentials only. */
  client_id: z.string().max(255).optional(),
  redirect_uri: z.url().optional(),
  description: z.string().max(255).optional(),
  team_id: UuidSchema.nullable().optional(),
});
export type CreateApplicationRequest = z.infer<typeof CreateApplicationRequestSchema>;

export const DeveloperApplicationSchema = z.object({
  id: IdSchema,
  name: z.string(),
  description: z.string().nullable(),
  redirect_uri: z.string().nullable().optional(),
  client_id: z.string().optional(),
  auth_strategy: PortalAuthStrategySchema,
  scopes: z.array(z.string()).optional(),
  team_id: z.string().nullable().optional(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type DeveloperApplication = z.infer<typeof DeveloperApplicationSchema>;
/** The create answer: for DCR strategies `client_id` and `client_secret` appear here, once. */
export const CreatedApplicationSchema = DeveloperApplicationSchema.extend({ client_secret: z.string().optional() });
export type CreatedApplication = z.infer<typeof CreatedApplicationSchema>;

export const RegeneratedSecretSchema = z.object({ client_id: z.string(), client_secret: z.string() });
export type RegeneratedSecret = z.infer<typeof RegeneratedSecretSchema>;

export const CreateRegistrationRequestSchema = z.strictObject({ api_id: UuidSchema });
export type CreateRegistrationRequest = z.infer<typeof CreateRegistrationRequestSchema>;

export const RegistrationSchema = z.object({
  id: IdSchema,
  status: z.enum(['approved', 'pending', 'rejected', 'revoked']),
  application_id: z.string(),
  api_id: z.string(),
  api_name: z.string(),
  api_slug: z.string().optional(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type Registration = z.infer<typeof RegistrationSchema>;

export const CreateCredentialRequestSchema = z.strictObject({ display_name: z.string().optional() });
export type CreateCredentialRequest = z.infer<typeof CreateCredentialRequestSchema>;
/** A new client-secret credential (multi-credential DCR): the secret is shown once. */
export const CreatedClientSecretCredentialSchema = z.object({
  type: z.literal('client_secret'),
  id: IdSchema,
  display_name: z.string().nullable().optional(),
  client_id: z.string(),
  client_secret: z.string(),
  created_at: TimestampSchema.nullable(),
  expires_at: TimestampSchema.nullable().optional(),
});
export const CreatedApiKeyCredentialSchema = z.object({
  type: z.literal('api_key'),
  id: IdSchema,
  display_name: z.string(),
  credential: z.string(),
  status: z.enum(['active', 'expired', 'revoked']).optional(),
  expires_at: TimestampSchema.nullable().optional(),
  created_at: TimestampSchema,
});
export const CreatedCredentialSchema = z.discriminatedUnion('type', [
  CreatedClientSecretCredentialSchema,
  CreatedApiKeyCredentialSchema,
]);
export type CreatedCredential = z.infer<typeof CreatedCredentialSchema>;
