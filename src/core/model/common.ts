/**
 * Building blocks shared by the Konnect schemas: labels, timestamps, pagination, problem+json errors.
 *
 * Conventions for every model file (docs/konnect-api.md gives the source of each rule):
 * - Request schemas follow the spec's constraints and are strict (`z.strictObject`) where the spec says
 *   `additionalProperties: false`, so a typo in a config file is caught before Konnect sees it.
 * - Response schemas are forward compatible: unknown extra fields are tolerated and dropped (`z.object` strips), except
 *   where extras carry meaning (openid-connect configs keep them). Wrong types and missing required fields are
 *   rejected. Write-only secrets (`initial_client_secret`, `dcr_token`, `api_key`) are never part of a response schema,
 *   so even a server that echoed one would not pass it on.
 * - Ids and timestamps in responses are plain strings (no uuid/date-time format check): the server is the authority.
 */
import * as z from 'zod';

// ---------------------------------------------------------------------------------------------------------------
// Labels (docs/konnect-api.md §7)

const LABEL_VALUE = /^[a-z0-9A-Z]{1}([a-z0-9A-Z-._]*[a-z0-9A-Z]+)?$/;
const MAX_LABELS = 50;
const LabelKey = z.string().min(1).max(63);
const LabelValue = z
  .string()
  .min(1)
  .max(63)
  .regex(LABEL_VALUE, 'must start and end with a letter or digit; inner characters may also be - . _');

/** `Labels` in a create/replace request. */
export const LabelsSchema = z
  .record(LabelKey, LabelValue)
  .refine((o) => Object.keys(o).length <= MAX_LABELS, { message: `at most ${MAX_LABELS} labels` });
/** `LabelsUpdate` in a PATCH request: a `null` value removes that key; `null` for the whole object is allowed too. */
export const LabelsUpdateSchema = z
  .record(LabelKey, LabelValue.nullable())
  .refine((o) => Object.keys(o).length <= MAX_LABELS, { message: `at most ${MAX_LABELS} labels` })
  .nullable();
/** Labels as returned by Konnect. */
export const LabelsResponseSchema = z.record(z.string(), z.string());

export type Labels = z.infer<typeof LabelsSchema>;

/** A timestamp in a response (ISO-8601 per the spec; not re-validated). */
export const TimestampSchema = z.string();
/** An id in a response. */
export const IdSchema = z.string().min(1);
/** A UUID in a request (8-4-4-4-12 hex, any version). */
export const UuidSchema = z.guid();
/**
 * An http(s) URL in a request. Not `z.httpUrl()`: that one demands a dotted domain name and would refuse the
 * sandbox's `http://127.0.0.1:PORT` and `http://localhost` issuers.
 */
export const HttpUrlSchema = z.url({ protocol: /^https?$/ });

// ---------------------------------------------------------------------------------------------------------------
// Pagination (docs/konnect-api.md §1.3)

export const PageMetaSchema = z.object({ number: z.number(), size: z.number(), total: z.number() });
export const PaginatedMetaSchema = z.object({ page: PageMetaSchema });
export type PageMeta = z.infer<typeof PageMetaSchema>;

/** `{ data: T[], meta: { page: { number, size, total } } }` for an item schema. */
export function paginated<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), meta: PaginatedMetaSchema });
}

/** One page of a list answer. */
export interface Page<T> {
  data: T[];
  meta: { page: PageMeta };
}

// ---------------------------------------------------------------------------------------------------------------
// Errors: application/problem+json (docs/konnect-api.md §1.5)

export const INVALID_RULES = [
  'required',
  'is_array',
  'is_base64',
  'is_boolean',
  'is_date_time',
  'is_integer',
  'is_null',
  'is_number',
  'is_object',
  'is_string',
  'is_uuid',
  'is_fqdn',
  'is_arn',
  'unknown_property',
  'missing_reference',
  'is_label',
  'matches_regex',
  'invalid',
  'is_supported_network_availability_zone_list',
  'is_supported_network_cidr_block',
  'is_supported_provider_region',
  'type',
] as const;

export const InvalidParameterStandardSchema = z.object({
  field: z.string(),
  rule: z.enum(INVALID_RULES).nullable().optional(),
  source: z.string().optional(),
  reason: z.string(),
});
export const InvalidParameterMinimumLengthSchema = z.object({
  field: z.string(),
  rule: z.enum(['min_length', 'min_digits', 'min_lowercase', 'min_uppercase', 'min_symbols', 'min_items', 'min']),
  minimum: z.number().int(),
  source: z.string().optional(),
  reason: z.string(),
});
export const InvalidParameterMaximumLengthSchema = z.object({
  field: z.string(),
  rule: z.enum(['max_length', 'max_items', 'max']),
  maximum: z.number().int(),
  source: z.string().optional(),
  reason: z.string(),
});
export const InvalidParameterChoiceItemSchema = z.object({
  field: z.string(),
  rule: z.literal('enum'),
  choices: z.array(z.unknown()).min(1),
  source: z.string().optional(),
  reason: z.string(),
});
export const InvalidParameterDependentItemSchema = z.object({
  field: z.string(),
  rule: z.literal('dependent_fields').nullable(),
  dependents: z.array(z.unknown()).nullable(),
  source: z.string().optional(),
  reason: z.string(),
});
/** One entry of `invalid_parameters`: the spec's `oneOf`, most specific shapes first. */
export const InvalidParameterSchema = z.union([
  InvalidParameterMinimumLengthSchema,
  InvalidParameterMaximumLengthSchema,
  InvalidParameterChoiceItemSchema,
  InvalidParameterDependentItemSchema,
  InvalidParameterStandardSchema,
]);
export type InvalidParameter = z.infer<typeof InvalidParameterSchema>;

/** `BaseError`, exactly as the spec requires it. */
export const ProblemSchema = z.object({
  status: z.number().int(),
  title: z.string(),
  type: z.string().optional(),
  instance: z.string(),
  detail: z.string(),
  invalid_parameters: z.array(InvalidParameterSchema).min(1).optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;

/**
 * What the client accepts as an error body: every field optional, because an error answer may come from a proxy, a
 * gateway or an older service. Used to build `KonnectApiError`, never to reject an answer.
 */
export const LooseProblemSchema = z.object({
  status: z.number().optional().catch(undefined),
  title: z.string().optional().catch(undefined),
  type: z.string().optional().catch(undefined),
  instance: z.string().optional().catch(undefined),
  detail: z.string().optional().catch(undefined),
  invalid_parameters: z.array(z.unknown()).optional().catch(undefined),
  /** Some Kong services answer `{ message }` instead of problem+json. */
  message: z.string().optional().catch(undefined),
});
