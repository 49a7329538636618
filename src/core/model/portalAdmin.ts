/**
 * The admin side of a portal's developers, applications and registrations (Portal Management v3:
 * `/v3/portals/{portalId}/developers`, `/applications`, `/application-registrations`, and an application's
 * `/registrations/{id}` with its Gateway Consumer mapping `/registrations/{id}/consumer`).
 *
 * Field names and enums are the spec's (`PortalDeveloper`, `ClientCredentialsApplication` / `KeyAuthApplication`,
 * `ApplicationRegistration`). Responses tolerate extra fields (forward compatible); requests are strict.
 */
import * as z from 'zod';
import { IdSchema, LabelsResponseSchema, LabelsSchema, TimestampSchema, UuidSchema, paginated } from './common';

/** `DeveloperStatus`: only approved developers can sign in and create applications. */
export const DeveloperStatusSchema = z.enum(['approved', 'pending', 'revoked', 'rejected']);
export type DeveloperStatus = z.infer<typeof DeveloperStatusSchema>;

export const PortalDeveloperSchema = z.object({
  id: IdSchema,
  email: z.string(),
  full_name: z.string(),
  status: DeveloperStatusSchema,
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type PortalDeveloper = z.infer<typeof PortalDeveloperSchema>;
export const PortalDeveloperListSchema = paginated(PortalDeveloperSchema);
export type DeveloperFilterField = 'name' | 'status' | 'email';
export type DeveloperSortField = 'created_at' | 'updated_at' | 'email' | 'name' | 'status';

/** `UpdateDeveloperRequest`. */
export const UpdateDeveloperRequestSchema = z.strictObject({ status: DeveloperStatusSchema.optional() });
export type UpdateDeveloperRequest = z.infer<typeof UpdateDeveloperRequestSchema>;

/** `CreateDeveloperRequest`: without `status`, the portal's `auto_approve_developers` decides. */
export const CreateDeveloperRequestSchema = z.strictObject({
  email: z.email().max(255),
  full_name: z.string().max(255),
  status: DeveloperStatusSchema.optional(),
  send_invitation_email: z.boolean().optional(),
});
export type CreateDeveloperRequest = z.infer<typeof CreateDeveloperRequestSchema>;

/** `ApplicationOwner`: a developer or a team. */
export const ApplicationOwnerSchema = z.object({ type: z.enum(['developer', 'team']), id: IdSchema });
export type ApplicationOwner = z.infer<typeof ApplicationOwnerSchema>;

/**
 * `CreateApplicationRequest` (admin side). `client_id` cannot be set when the strategy uses DCR; `dcr_client_id`
 * links the application to a client that already exists in the DCR provider's IdP instead of having Konnect create one.
 */
export const CreatePortalApplicationRequestSchema = z.strictObject({
  name: z.string().max(255),
  description: z.string().max(255).optional(),
  labels: LabelsSchema.optional(),
  dcr_client_id: z.string().max(255).optional(),
  client_id: z.string().max(255).optional(),
  auth_strategy_id: UuidSchema.optional(),
  owner: z.strictObject({ type: z.enum(['developer', 'team']), id: UuidSchema }),
});
export type CreatePortalApplicationRequest = z.infer<typeof CreatePortalApplicationRequestSchema>;

/** `AuthStrategyClientCredentials` | `AuthStrategyKeyAuth` as an application carries it. */
export const ApplicationAuthStrategySchema = z.object({
  id: IdSchema,
  name: z.string(),
  credential_type: z.enum(['client_credentials', 'self_managed_client_credentials', 'key_auth']),
  auth_methods: z.array(z.string()).optional(),
  available_scopes: z.array(z.string()).optional(),
  key_names: z.array(z.string()).optional(),
});
export type ApplicationAuthStrategy = z.infer<typeof ApplicationAuthStrategySchema>;

/**
 * `Application` (one of `ClientCredentialsApplication`, `KeyAuthApplication`): the client-credentials kind has
 * `client_id`, `dcr_provider` (null when self-managed) and `granted_scopes` (null when the IdP cannot tell).
 */
export const PortalApplicationSchema = z.object({
  id: IdSchema,
  name: z.string(),
  description: z.string().nullable(),
  labels: LabelsResponseSchema.nullable().optional(),
  registration_count: z.number(),
  portal: z.object({ id: IdSchema }),
  auth_strategy: ApplicationAuthStrategySchema,
  client_id: z.string().optional(),
  dcr_provider: z.object({ id: IdSchema }).nullable().optional(),
  granted_scopes: z.array(z.string()).nullable().optional(),
  owner: ApplicationOwnerSchema.optional(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type PortalApplication = z.infer<typeof PortalApplicationSchema>;
export const PortalApplicationListSchema = paginated(PortalApplicationSchema);
export type ApplicationFilterField = 'developer_id' | 'name' | 'team_id';
export type ApplicationSortField = 'created_at' | 'developer_id' | 'name';

/** `ApplicationRegistrationStatus`: only approved registrations let traffic through. */
export const ApplicationRegistrationStatusSchema = z.enum(['approved', 'pending', 'revoked', 'rejected']);
export type ApplicationRegistrationStatus = z.infer<typeof ApplicationRegistrationStatusSchema>;

/** `CreateApplicationRegistrationRequest`: without `status`, the publication's or portal's auto-approve decides. */
export const CreateApplicationRegistrationRequestSchema = z.strictObject({
  api_id: UuidSchema,
  status: z.enum(['approved', 'pending']).optional(),
});
export type CreateApplicationRegistrationRequest = z.infer<typeof CreateApplicationRegistrationRequestSchema>;

/** `ApplicationRegistration` (admin view). */
export const ApplicationRegistrationSchema = z.object({
  id: IdSchema,
  status: ApplicationRegistrationStatusSchema,
  api: z.object({
    id: IdSchema,
    name: z.string(),
    version: z.string().nullable().optional(),
    entity_type: z.string().optional(),
  }),
  application: z.object({ id: IdSchema, name: z.string() }),
  /** The Gateway Consumer mapped to the application in the API's Gateway context, if any. */
  consumer: z
    .object({
      id: IdSchema,
      control_plane_id: IdSchema,
      custom_id: z.string().optional(),
      username: z.string().optional(),
    })
    .optional(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type ApplicationRegistration = z.infer<typeof ApplicationRegistrationSchema>;
export const ApplicationRegistrationListSchema = paginated(ApplicationRegistrationSchema);
export type PortalRegistrationFilterField = 'developer_id' | 'application_name' | 'status';
export type RegistrationSortField = 'created_at' | 'updated_at' | 'status' | 'developer_id';

/** `UpdateRegistrationConsumerRequest`: the id of an existing Gateway Consumer. */
export const UpdateRegistrationConsumerRequestSchema = z.strictObject({ id: UuidSchema });
export type UpdateRegistrationConsumerRequest = z.infer<typeof UpdateRegistrationConsumerRequestSchema>;

/** A Gateway Consumer of a control plane (`/v2/control-planes/{id}/core-entities/consumers`), as far as read here. */
export const GatewayConsumerSchema = z.looseObject({
  id: IdSchema,
  username: z.string().nullable().optional(),
  custom_id: z.string().nullable().optional(),
});
export type GatewayConsumer = z.infer<typeof GatewayConsumerSchema>;
export const GatewayConsumerPageSchema = z.object({
  data: z.array(GatewayConsumerSchema),
  offset: z.string().nullable().optional(),
});
