/**
 * Gateway entities of a control plane, read through Konnect's control plane config API
 * (`/v2/control-planes/{controlPlaneId}/core-entities/...`, Kong Gateway's Admin API per control plane), and the
 * admin view of a portal's application registrations. Only the fields DCR Doctor reads are typed; the rest passes.
 */
import * as z from 'zod';
import { paginated } from './common';

const ForeignSchema = z.object({ id: z.string() }).nullable().optional();

export const GatewayServiceSchema = z.looseObject({
  id: z.string(),
  name: z.string().nullable().optional(),
  host: z.string().optional(),
  enabled: z.boolean().nullable().optional(),
});
export type GatewayService = z.infer<typeof GatewayServiceSchema>;

export const GatewayPluginSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean().nullable().optional(),
  service: ForeignSchema,
  route: ForeignSchema,
  consumer: ForeignSchema,
  consumer_group: ForeignSchema,
  config: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type GatewayPlugin = z.infer<typeof GatewayPluginSchema>;

/** Kong's own paging: `size` / `offset` in, `offset` (and `next`) out while there is more. */
export function gatewayPage<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), offset: z.string().nullable().optional() });
}
export const GatewayPluginPageSchema = gatewayPage(GatewayPluginSchema);

export const RegistrationStatusSchema = z.enum(['approved', 'pending', 'revoked', 'rejected']);
export const AdminRegistrationSchema = z.looseObject({
  id: z.string(),
  status: RegistrationStatusSchema,
  api: z.looseObject({ id: z.string(), name: z.string() }),
  application: z.looseObject({ id: z.string(), name: z.string() }),
  created_at: z.string().optional(),
});
export type AdminRegistration = z.infer<typeof AdminRegistrationSchema>;
export const AdminRegistrationListSchema = paginated(AdminRegistrationSchema);
export type RegistrationFilterField = 'developer_id' | 'application_name' | 'status';
