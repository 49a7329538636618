/**
 * API Catalog v3 (`/v3/apis`, implementations, publications) and Portal Management v3 portals (`/v3/portals`):
 * what the "Prove DCR" flow needs to publish an API with a DCR strategy (docs/konnect-api.md §5.1).
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

// ---------------------------------------------------------------------------------------------------------------
// APIs

const ApiAttributes = z.record(z.string(), z.array(z.string().min(1).max(512)).min(1).max(20).nullable());

export const CreateApiRequestSchema = z.strictObject({
  name: z.string().min(1).max(255),
  description: z.string().nullable().optional(),
  version: z.string().min(1).max(255).nullable().optional(),
  slug: z
    .string()
    .regex(/^[\w-]+$/)
    .nullable()
    .optional(),
  labels: LabelsSchema.optional(),
  attributes: ApiAttributes.optional(),
  /** The OpenAPI/AsyncAPI document, as text. */
  spec_content: z.string().optional(),
});
export type CreateApiRequest = z.infer<typeof CreateApiRequestSchema>;

export const UpdateApiRequestSchema = z.strictObject({
  name: z.string().min(1).max(255).optional(),
  description: z.string().nullable().optional(),
  version: z.string().min(1).max(255).nullable().optional(),
  slug: z
    .string()
    .regex(/^[\w-]+$/)
    .nullable()
    .optional(),
  labels: LabelsUpdateSchema.optional(),
  attributes: ApiAttributes.optional(),
});
export type UpdateApiRequest = z.infer<typeof UpdateApiRequestSchema>;

export const ApiSchema = z.object({
  id: IdSchema,
  name: z.string(),
  description: z.string().nullable().optional(),
  version: z.string().nullable(),
  slug: z.string().nullable(),
  labels: LabelsResponseSchema,
  current_version_summary: z
    .object({
      id: z.string().optional(),
      version: z.string().optional(),
      spec: z.object({ type: z.string().optional() }).optional(),
      created_at: TimestampSchema.optional(),
      updated_at: TimestampSchema.optional(),
    })
    .nullable(),
  portals: z.array(z.object({ id: z.string(), name: z.string(), display_name: z.string() })),
  /** Deprecated in the spec; optional here. */
  api_spec_ids: z.array(z.string()).optional(),
  implementation_mode: z.string().nullable().optional(),
  attributes: z.record(z.string(), z.array(z.string()).nullable()).optional(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type Api = z.infer<typeof ApiSchema>;
export const ApiListSchema = paginated(ApiSchema);
export type ApiFilterField =
  'id' | 'name' | 'version' | 'labels' | 'attributes' | 'implementation_mode' | 'created_at' | 'updated_at';
export type ApiSortField = 'name' | 'version' | 'created_at' | 'updated_at';

// ---------------------------------------------------------------------------------------------------------------
// Implementations: link an API to a Gateway Service (needed for enforcement)

export const CreateApiImplementationRequestSchema = z.union([
  z.strictObject({ service: z.strictObject({ control_plane_id: UuidSchema, id: UuidSchema }) }),
  z.strictObject({ control_plane: z.strictObject({ control_plane_id: UuidSchema }) }),
]);
export type CreateApiImplementationRequest = z.infer<typeof CreateApiImplementationRequestSchema>;

const implementationBase = {
  id: IdSchema,
  /** Present in list answers (`/v3/api-implementations`). */
  api_id: z.string().optional(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
};
export const ApiImplementationSchema = z.union([
  z.object({
    ...implementationBase,
    service: z.object({
      control_plane_id: z.string(),
      id: z.string(),
      auth_strategy_sync_error: z
        .object({ control_plane_error: z.string().optional(), message: z.string(), info: z.unknown().optional() })
        .nullable()
        .optional(),
    }),
  }),
  z.object({
    ...implementationBase,
    control_plane: z.object({
      control_plane_id: z.string(),
      access_control_enforcement_enabled: z.boolean().optional(),
    }),
  }),
]);
export type ApiImplementation = z.infer<typeof ApiImplementationSchema>;
export const ApiImplementationListSchema = paginated(ApiImplementationSchema);
export type ApiImplementationFilterField = 'id' | 'api_id' | 'service_id' | 'control_plane_id';
export type ApiImplementationSortField = 'created_at' | 'updated_at';

// ---------------------------------------------------------------------------------------------------------------
// Publications: PUT /v3/apis/{apiId}/publications/{portalId}

export const VisibilitySchema = z.enum(['public', 'private']);

export const PublishApiRequestSchema = z.strictObject({
  auto_approve_registrations: z.boolean().optional(),
  /** Exactly one strategy id; omit for the portal's default; `null` for no application auth. */
  auth_strategy_ids: z.array(UuidSchema).min(1).max(1).nullable().optional(),
  visibility: VisibilitySchema.optional(),
});
export type PublishApiRequest = z.infer<typeof PublishApiRequestSchema>;

export const ApiPublicationSchema = z.object({
  auto_approve_registrations: z.boolean().optional(),
  auth_strategy_ids: z.array(z.string()).nullable(),
  visibility: VisibilitySchema,
  warnings: z.array(z.string()).optional(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type ApiPublication = z.infer<typeof ApiPublicationSchema>;

export const ApiPublicationListItemSchema = ApiPublicationSchema.extend({
  api_id: z.string(),
  portal_id: z.string(),
  entity_type: z.enum(['api', 'api_package']),
  auto_approve_registrations: z.boolean(),
});
export type ApiPublicationListItem = z.infer<typeof ApiPublicationListItemSchema>;
export const ApiPublicationListSchema = paginated(ApiPublicationListItemSchema);
export type ApiPublicationFilterField =
  'portal_id' | 'portal_name' | 'api_id' | 'api_name' | 'auth_strategy_id' | 'entity_type';
export type ApiPublicationSortField = 'portal_id' | 'portal_name' | 'api_id' | 'api_name' | 'created_at' | 'updated_at';

// ---------------------------------------------------------------------------------------------------------------
// Portals (Portal Management v3)

const portalWritable = {
  name: z.string().min(1).max(255),
  display_name: z.string().min(1).max(255).optional(),
  description: z.string().max(512).nullable().optional(),
  authentication_enabled: z.boolean().optional(),
  rbac_enabled: z.boolean().optional(),
  sipr_enabled: z.boolean().optional(),
  default_api_visibility: VisibilitySchema.optional(),
  default_page_visibility: VisibilitySchema.optional(),
  /** "Newly published APIs will use this authentication strategy unless overridden during publication." */
  default_application_auth_strategy_id: UuidSchema.nullable().optional(),
  auto_approve_developers: z.boolean().optional(),
  auto_approve_applications: z.boolean().optional(),
  labels: LabelsUpdateSchema.optional(),
  notifications_developer_pii_visibility_enabled: z.boolean().optional(),
};
export const CreatePortalRequestSchema = z.strictObject(portalWritable);
export type CreatePortalRequest = z.infer<typeof CreatePortalRequestSchema>;
export const UpdatePortalRequestSchema = z.strictObject({ ...portalWritable, name: portalWritable.name.optional() });
export type UpdatePortalRequest = z.infer<typeof UpdatePortalRequestSchema>;

export const PortalSchema = z.object({
  id: IdSchema,
  name: z.string(),
  display_name: z.string(),
  description: z.string().nullable(),
  authentication_enabled: z.boolean(),
  rbac_enabled: z.boolean(),
  /** Newer than some API versions (docs/konnect-api.md §8.13): optional here. */
  sipr_enabled: z.boolean().optional(),
  default_api_visibility: VisibilitySchema,
  default_page_visibility: VisibilitySchema,
  default_application_auth_strategy_id: z.string().nullable(),
  auto_approve_applications: z.boolean(),
  auto_approve_developers: z.boolean(),
  /** The portal's own host: the developer Portal API (`PortalClient`) lives there. */
  default_domain: z.string(),
  canonical_domain: z.string(),
  labels: LabelsResponseSchema.optional(),
  notifications_developer_pii_visibility_enabled: z.boolean().optional(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type Portal = z.infer<typeof PortalSchema>;
export const PortalListSchema = paginated(PortalSchema);
export type PortalFilterField =
  | 'id'
  | 'name'
  | 'description'
  | 'authentication_enabled'
  | 'rbac_enabled'
  | 'default_api_visibility'
  | 'default_page_visibility'
  | 'default_application_auth_strategy_id'
  | 'auto_approve_developers'
  | 'auto_approve_applications'
  | 'default_domain'
  | 'canonical_domain';
export type PortalSortField =
  | 'name'
  | 'description'
  | 'authentication_enabled'
  | 'rbac_enabled'
  | 'auto_approve_applications'
  | 'auto_approve_developers'
  | 'default_domain'
  | 'canonical_domain'
  | 'created_at'
  | 'updated_at';
