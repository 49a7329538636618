/**
 * Form values → Konnect request bodies, validated with the core's own wire schemas; Konnect resources → form values;
 * and the way back for errors: a zod issue path or an `invalid_parameters[].field` (`dcr_config.initial_client_id`,
 * `configs.openid-connect.scopes.2`) → the form field it belongs to. Host side only (the webview never imports it).
 * The provider parts follow the provider-type table: each type's dcr_config fields and their kinds.
 */
import * as z from 'zod';
import {
  DCR_PROVIDER_SCHEMAS,
  UpdateDcrProviderRequestSchema,
  type CreateDcrProviderRequest,
  type DcrProvider,
  type UpdateDcrProviderRequest,
} from '../model/dcrProvider';
import {
  CreateKeyAuthStrategyRequestSchema,
  CreateOidcStrategyRequestSchema,
  PartialKeyAuthConfigSchema,
  PartialOidcConfigSchema,
  UpdateAppAuthStrategyRequestSchema,
  type AppAuthStrategy,
  type StrategyType,
  type CreateAppAuthStrategyRequest,
  type UpdateAppAuthStrategyRequest,
} from '../model/authStrategy';
import { DCR_FIELDS, PROVIDER_TYPES, dcrFieldsOf, providerType, type DcrFieldId } from '../model/providerTypes';
import {
  DEFAULT_AUTH_METHODS,
  PROVIDER_FIELD_INFO,
  PROVIDER_REQUIRED,
  PROVIDER_SECRET_FIELDS,
  PROVIDER_TYPED_FIELDS,
  PROVIDER_TYPE_FIELDS,
  STRATEGY_FIELD_INFO,
  STRATEGY_REQUIRED,
  STRATEGY_TYPED_FIELDS,
  STRATEGY_TYPE_FIELDS,
  formatKeyTtl,
  joinList,
  parseKeyTtl,
  splitList,
  type FormErrors,
  type FormKind,
  type StrategyTypeValue,
  type FormMode,
  type ProviderField,
  type ProviderFormValues,
  type ProviderSecretField,
  type StrategyField,
  type StrategyFormValues,
} from './fields';

// The form's strategy types and the core's enum are the same set, in any order.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _strategyTypesMatch: Same<StrategyTypeValue, StrategyType> = true;
void _strategyTypesMatch;

export type Built<T> = { readonly ok: true; readonly body: T } | { readonly ok: false; readonly errors: FormErrors };

/** An issue as both zod and Konnect report it: where, and why. */
export interface FieldIssue {
  readonly field: string;
  readonly reason: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Empty forms and forms from Konnect resources

export function emptyProviderValues(): ProviderFormValues {
  const dcr = Object.fromEntries(
    (Object.keys(DCR_FIELDS) as DcrFieldId[]).map((f) => [f, DCR_FIELDS[f].kind === 'boolean' ? false : '']),
  );
  return {
    name: '',
    displayName: '',
    providerType: PROVIDER_TYPES[0],
    authServerId: '',
    issuer: '',
    ...dcr,
  } as ProviderFormValues;
}

export function emptyStrategyValues(): StrategyFormValues {
  return {
    name: '',
    displayName: '',
    strategyType: 'openid_connect',
    dcrProviderId: '',
    issuer: '',
    scopes: '',
    credentialClaim: '',
    authMethods: [...DEFAULT_AUTH_METHODS],
    audience: '',
    otherSettings: '',
    keyNames: '',
    keyTtl: '',
    principals: false,
  };
}

/** A provider as the edit form shows it. The secrets are never in a response, so they stay empty. */
export function providerValuesFrom(p: DcrProvider): ProviderFormValues {
  const v: Record<string, unknown> = {
    ...emptyProviderValues(),
    name: p.name,
    displayName: p.display_name ?? '',
    providerType: p.provider_type,
    issuer: p.issuer,
  };
  const cfg = p.dcr_config as Record<string, unknown>;
  for (const f of dcrFieldsOf(p.provider_type)) {
    if (f.kind === 'boolean') v[f.id] = cfg[f.key] === true;
    else if (f.kind !== 'secret') v[f.id] = typeof cfg[f.key] === 'string' ? cfg[f.key] : '';
  }
  return v as ProviderFormValues;
}

/** The write-only fields Konnect holds for a provider of this type (every secret of the type is required on create). */
export function storedSecretsOf(type: ProviderFormValues['providerType']): ProviderSecretField[] {
  return PROVIDER_SECRET_FIELDS.filter((f) => PROVIDER_TYPE_FIELDS[type].includes(f));
}

/** `token_post_args_names`/`_values` as parallel string lists (anything else: empty). */
function postArgs(cfg: Record<string, unknown>): { names: string[]; values: string[] } {
  const names = cfg['token_post_args_names'];
  const values = cfg['token_post_args_values'];
  if (!Array.isArray(names) || !Array.isArray(values) || names.length !== values.length)
    return { names: [], values: [] };
  if (![...names, ...values].every((x) => typeof x === 'string')) return { names: [], values: [] };
  return { names: names as string[], values: values as string[] };
}

export function audienceOf(cfg: Record<string, unknown>): string {
  const { names, values } = postArgs(cfg);
  const i = names.indexOf('audience');
  return i >= 0 ? (values[i] ?? '') : '';
}

export function strategyValuesFrom(s: AppAuthStrategy): StrategyFormValues {
  const base = {
    ...emptyStrategyValues(),
    name: s.name,
    displayName: s.display_name,
    strategyType: s.strategy_type,
    authMethods: [] as string[],
    principals: s.principals?.enabled ?? false,
  };
  if (s.strategy_type === 'key_auth') {
    const c = s.configs['key-auth'];
    return { ...base, keyNames: joinList(c.key_names), keyTtl: formatKeyTtl(c.ttl) };
  }
  const c = s.configs['openid-connect'];
  const other = otherOidcSettings(c);
  return {
    ...base,
    dcrProviderId: s.dcr_provider?.id ?? '',
    issuer: c.issuer,
    scopes: joinList(c.scopes),
    credentialClaim: joinList(c.credential_claim),
    authMethods: [...c.auth_methods],
    audience: audienceOf(c),
    otherSettings: Object.keys(other).length ? JSON.stringify(other) : '',
  };
}

/** The openid-connect keys the form has fields for (the post args carry the audience; other post args are kept). */
const OIDC_FORM_KEYS: readonly string[] = [
  'issuer',
  'credential_claim',
  'scopes',
  'auth_methods',
  'token_post_args_names',
  'token_post_args_values',
];

/** The strategy's other openid-connect settings (`additionalProperties` in the spec), e.g. `cache_tokens`. */
export function otherOidcSettings(cfg: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(cfg).filter(([k]) => !OIDC_FORM_KEYS.includes(k)));
}

/** The "other settings" text as an object, or why it is not one. */
export function parseOtherSettings(text: string): { value: Record<string, unknown> } | { error: string } {
  if (!text.trim()) return { value: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { error: `Not JSON: ${err instanceof Error ? err.message : String(err)}.` };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    return { error: 'A JSON object, e.g. {"cache_tokens": true}.' };
  const own = Object.keys(parsed).filter((k) => OIDC_FORM_KEYS.includes(k));
  if (own.length)
    return { error: `${own.join(', ')}: set ${own.length > 1 ? 'these' : 'this'} in the form's own fields.` };
  return { value: parsed as Record<string, unknown> };
}

/** Field errors of the strategy form's parsed fields (TTL, other settings), merged with the required ones. */
export function parsedFieldErrors(v: StrategyFormValues): Record<string, string> {
  const out: Record<string, string> = {};
  if (v.strategyType === 'key_auth' && v.keyTtl.trim() && !parseKeyTtl(v.keyTtl))
    out['keyTtl'] = 'A number and a unit: e.g. 30 days, 2 weeks, 1 year.';
  if (v.strategyType === 'openid_connect') {
    const other = parseOtherSettings(v.otherSettings);
    if ('error' in other) out['otherSettings'] = other.error;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// DCR provider bodies

const t = (s: string): string => s.trim();
/** Secrets are taken as typed (a leading space may be part of one), but an all-blank entry counts as empty. */
const secret = (s: string): string | undefined => (s.trim() ? s : undefined);

function requiredErrors<F extends string>(
  kind: FormKind,
  required: readonly F[],
  values: Readonly<Record<F, unknown>>,
  skip: readonly F[] = [],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of required) {
    if (skip.includes(f)) continue;
    const v = values[f];
    if ((typeof v === 'string' && !v.trim()) || (Array.isArray(v) && !v.length)) out[f] = requiredMessage(kind, f);
  }
  return out;
}

/** `for Kong Identity, pick an auth server`: the types whose issuer is an auth server's. */
const AUTH_SERVER_HINT = `for ${PROVIDER_TYPES.filter((t) => providerType(t).quirks.authServerIssuer)
  .map((t) => providerType(t).label)
  .join(' or ')}, pick an auth server`;

function requiredMessage(kind: FormKind, field: string): string {
  if (kind === 'provider' && field === 'issuer') return `Required: the issuer URL (${AUTH_SERVER_HINT}).`;
  if (kind === 'strategy' && field === 'authMethods') return 'Pick at least one auth method.';
  return 'Required.';
}

/**
 * The `dcr_config` a provider form describes (undefined: the type takes none). Secrets only when typed (on edit an
 * empty one keeps the stored value); an optional text left empty is left out, or unset (null) on edit when nullable.
 */
function dcrConfig(v: ProviderFormValues, mode: FormMode): Record<string, unknown> | undefined {
  const fields = dcrFieldsOf(v.providerType);
  if (!fields.length) return undefined;
  const values = v as unknown as Record<DcrFieldId, string | boolean>;
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const value = values[f.id];
    if (f.kind === 'boolean') out[f.key] = value === true;
    else if (f.kind === 'secret') {
      const s = secret(String(value));
      if (s !== undefined) out[f.key] = s;
    } else {
      const text = t(String(value));
      if (text || !f.optional) out[f.key] = text;
      else if (f.nullable && mode === 'edit') out[f.key] = null;
    }
  }
  return out;
}

export function buildProviderCreate(v: ProviderFormValues): Built<CreateDcrProviderRequest> {
  const missing = requiredErrors('provider', PROVIDER_REQUIRED[v.providerType], v);
  const cfg = dcrConfig(v, 'create');
  const body: Record<string, unknown> = {
    name: t(v.name),
    provider_type: v.providerType,
    issuer: t(v.issuer),
    ...(t(v.displayName) ? { display_name: t(v.displayName) } : {}),
    ...(cfg ? { dcr_config: cfg } : {}),
  };
  return check<CreateDcrProviderRequest>(
    'provider',
    DCR_PROVIDER_SCHEMAS[v.providerType].create,
    body,
    missing,
    visibleProviderFields(v),
  );
}

/** PATCH body: every form field (the type cannot change); secrets only when typed. */
export function buildProviderUpdate(v: ProviderFormValues): Built<UpdateDcrProviderRequest> {
  const secrets = storedSecretsOf(v.providerType);
  const missing = requiredErrors('provider', PROVIDER_REQUIRED[v.providerType], v, secrets);
  const cfg = dcrConfig(v, 'edit');
  const body: Record<string, unknown> = {
    name: t(v.name),
    issuer: t(v.issuer),
    ...(t(v.displayName) ? { display_name: t(v.displayName) } : {}),
    ...(cfg ? { dcr_config: cfg } : {}),
  };
  const updateConfig = DCR_PROVIDER_SCHEMAS[v.providerType].updateConfig;
  const schema = updateConfig
    ? UpdateDcrProviderRequestSchema.extend({ dcr_config: updateConfig.optional() })
    : UpdateDcrProviderRequestSchema.omit({ dcr_config: true });
  return check<UpdateDcrProviderRequest>('provider', schema, body, missing, visibleProviderFields(v));
}

export function visibleProviderFields(v: Pick<ProviderFormValues, 'providerType'>): Set<string> {
  const typed = new Set<ProviderField>(PROVIDER_TYPE_FIELDS[v.providerType]);
  return new Set(
    Object.keys(PROVIDER_FIELD_INFO).filter(
      (f) => !PROVIDER_TYPED_FIELDS.includes(f as ProviderField) || typed.has(f as ProviderField),
    ),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Auth strategy bodies

/**
 * The audience as `token_post_args_names: [audience]` / `token_post_args_values: [<aud>]`, keeping any other post
 * args the strategy already had. `undefined`: leave the keys out; `null`: unset them (PATCH).
 */
export function audienceArgs(
  audience: string,
  existing: Record<string, unknown> | undefined,
  mode: FormMode,
): { token_post_args_names: string[] | null; token_post_args_values: string[] | null } | undefined {
  const before = postArgs(existing ?? {});
  const names: string[] = [];
  const values: string[] = [];
  before.names.forEach((n, i) => {
    if (n !== 'audience') {
      names.push(n);
      values.push(before.values[i] ?? '');
    }
  });
  const aud = audience.trim();
  if (aud) {
    names.push('audience');
    values.push(aud);
  }
  if (names.length) return { token_post_args_names: names, token_post_args_values: values };
  return mode === 'edit' && before.names.length
    ? { token_post_args_names: null, token_post_args_values: null }
    : undefined;
}

function oidcConfig(
  v: StrategyFormValues,
  mode: FormMode,
  existing?: Record<string, unknown>,
): Record<string, unknown> {
  const parsed = parseOtherSettings(v.otherSettings);
  const typed = 'value' in parsed ? parsed.value : {};
  // PATCH merges the config: send what changed, and unset (null) a setting the form no longer lists
  const before = mode === 'edit' && existing ? otherOidcSettings(existing) : {};
  const other = Object.fromEntries([
    ...Object.keys(before)
      .filter((k) => !(k in typed))
      .map((k) => [k, null]),
    ...Object.entries(typed).filter(([k, v]) => JSON.stringify(before[k]) !== JSON.stringify(v)),
  ]);
  return {
    ...other,
    issuer: t(v.issuer),
    credential_claim: splitList(v.credentialClaim),
    scopes: splitList(v.scopes),
    auth_methods: [...new Set(v.authMethods)],
    ...audienceArgs(v.audience, existing, mode),
  };
}

export function buildStrategyCreate(v: StrategyFormValues): Built<CreateAppAuthStrategyRequest> {
  const missing = { ...parsedFieldErrors(v), ...requiredErrors('strategy', STRATEGY_REQUIRED[v.strategyType], v) };
  const displayName = t(v.displayName) || t(v.name);
  const principals = v.principals ? { principals: { enabled: true } } : {};
  if (v.strategyType === 'key_auth') {
    const ttl = parseKeyTtl(v.keyTtl);
    const body = {
      name: t(v.name),
      display_name: displayName,
      strategy_type: 'key_auth',
      configs: { 'key-auth': { key_names: splitList(v.keyNames), ...(ttl ? { ttl } : {}) } },
      ...principals,
    };
    return check<CreateAppAuthStrategyRequest>(
      'strategy',
      CreateKeyAuthStrategyRequestSchema,
      body,
      missing,
      visibleStrategyFields(v),
    );
  }
  const body = {
    name: t(v.name),
    display_name: displayName,
    strategy_type: 'openid_connect',
    ...(t(v.dcrProviderId) ? { dcr_provider_id: t(v.dcrProviderId) } : {}),
    configs: { 'openid-connect': oidcConfig(v, 'create') },
    ...principals,
  };
  return check<CreateAppAuthStrategyRequest>(
    'strategy',
    CreateOidcStrategyRequestSchema,
    body,
    missing,
    visibleStrategyFields(v),
  );
}

/**
 * PATCH body: every form field; `existing` is the strategy as loaded, so other OIDC post args survive and a TTL or
 * other setting taken out of the form is unset (null).
 */
export function buildStrategyUpdate(
  v: StrategyFormValues,
  existing?: AppAuthStrategy,
): Built<UpdateAppAuthStrategyRequest> {
  const missing = { ...parsedFieldErrors(v), ...requiredErrors('strategy', STRATEGY_REQUIRED[v.strategyType], v) };
  // principals only when they change (a strategy without them reads as disabled)
  const principals =
    v.principals !== (existing?.principals?.enabled ?? false) ? { principals: { enabled: v.principals } } : {};
  const base = { name: t(v.name), display_name: t(v.displayName) || t(v.name), ...principals };
  if (v.strategyType === 'key_auth') {
    const ttl = parseKeyTtl(v.keyTtl);
    const hadTtl = existing?.strategy_type === 'key_auth' && !!existing.configs['key-auth'].ttl;
    const body = {
      ...base,
      configs: {
        'key-auth': { key_names: splitList(v.keyNames), ...(ttl ? { ttl } : hadTtl ? { ttl: null } : {}) },
      },
    };
    const schema = UpdateAppAuthStrategyRequestSchema.extend({
      configs: z.strictObject({ 'key-auth': PartialKeyAuthConfigSchema }),
    });
    return check<UpdateAppAuthStrategyRequest>('strategy', schema, body, missing, visibleStrategyFields(v));
  }
  const before =
    existing && existing.strategy_type === 'openid_connect' ? existing.configs['openid-connect'] : undefined;
  const body = {
    ...base,
    dcr_provider_id: t(v.dcrProviderId) || null,
    configs: { 'openid-connect': oidcConfig(v, 'edit', before) },
  };
  const schema = UpdateAppAuthStrategyRequestSchema.extend({
    configs: z.strictObject({ 'openid-connect': PartialOidcConfigSchema }),
  });
  return check<UpdateAppAuthStrategyRequest>('strategy', schema, body, missing, visibleStrategyFields(v));
}

export function visibleStrategyFields(v: Pick<StrategyFormValues, 'strategyType'>): Set<string> {
  const typed = new Set<StrategyField>(STRATEGY_TYPE_FIELDS[v.strategyType]);
  return new Set(
    Object.keys(STRATEGY_FIELD_INFO).filter(
      (f) => !STRATEGY_TYPED_FIELDS.includes(f as StrategyField) || typed.has(f as StrategyField),
    ),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Validation and error placement

function check<T>(
  kind: FormKind,
  schema: z.ZodType,
  body: unknown,
  missing: Record<string, string>,
  visible: ReadonlySet<string>,
): Built<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success && !Object.keys(missing).length) return { ok: true, body: parsed.data as T };
  const issues = parsed.success ? [] : parsed.error.issues.map(zodIssue);
  const placed = placeIssues(kind, issues, visible);
  // "Required." from the form's own check wins over zod's wording for the same field
  return { ok: false, errors: { fields: { ...placed.fields, ...missing }, form: placed.form } };
}

/** A zod issue in the words a form shows, at its wire path (`configs.openid-connect.issuer`). */
export function zodIssue(issue: z.core.$ZodIssue): FieldIssue {
  const path = issue.path.map(String).join('.');
  return { field: path || '(body)', reason: zodMessage(issue) };
}

/** A missing value: "received undefined", also inside unions (every branch says so). */
function missing(issue: z.core.$ZodIssue): boolean {
  if (issue.code === 'invalid_type') return / received undefined$/.test(issue.message);
  if (issue.code === 'invalid_union')
    return (
      issue.errors.length > 0 && issue.errors.every((b) => b.length === 1 && b[0]!.path.length === 0 && missing(b[0]!))
    );
  return false;
}

function zodMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    // issues carry no input (zod's reportInput is off): "received undefined" in the message means a missing value
    case 'invalid_type':
      return missing(issue) ? 'Required.' : `Expected ${issue.expected}.`;
    case 'invalid_union':
      return missing(issue) ? 'Required.' : issue.message;
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1 ? 'Required.' : `At least ${issue.minimum} characters.`;
      if (issue.origin === 'array') return `At least ${issue.minimum} item${Number(issue.minimum) === 1 ? '' : 's'}.`;
      return `At least ${issue.minimum}.`;
    case 'too_big':
      if (issue.origin === 'string') return `At most ${issue.maximum} characters.`;
      if (issue.origin === 'array') return `At most ${issue.maximum} items.`;
      return `At most ${issue.maximum}.`;
    case 'invalid_format':
      if (issue.format === 'url') return 'Must be an http(s) URL, e.g. https://idp.example.com.';
      if (issue.format === 'guid' || issue.format === 'uuid') return 'Must be a UUID.';
      if (issue.format === 'regex') return `Invalid: ${issue.message}.`;
      return `Invalid ${issue.format}.`;
    case 'unrecognized_keys':
      return `Not allowed: ${issue.keys.join(', ')}.`;
    default:
      return issue.message;
  }
}

const PROVIDER_WIRE: Readonly<Record<string, ProviderField>> = {
  name: 'name',
  display_name: 'displayName',
  provider_type: 'providerType',
  issuer: 'issuer',
  ...Object.fromEntries((Object.keys(DCR_FIELDS) as DcrFieldId[]).map((f) => [`dcr_config.${DCR_FIELDS[f].key}`, f])),
};
const STRATEGY_WIRE: Readonly<Record<string, StrategyField>> = {
  name: 'name',
  display_name: 'displayName',
  strategy_type: 'strategyType',
  dcr_provider_id: 'dcrProviderId',
  'configs.openid-connect.issuer': 'issuer',
  'configs.openid-connect.scopes': 'scopes',
  'configs.openid-connect.credential_claim': 'credentialClaim',
  'configs.openid-connect.auth_methods': 'authMethods',
  'configs.openid-connect.token_post_args_names': 'audience',
  'configs.openid-connect.token_post_args_values': 'audience',
  'configs.key-auth.key_names': 'keyNames',
  'configs.key-auth.ttl': 'keyTtl',
  principals: 'principals',
};

/**
 * `body.configs["openid-connect"].scopes[2]`, `/dcr_config/api_key`, `configs.openid_connect.issuer` → segments
 * `['configs', 'openid-connect', 'scopes', '2']` (the spellings Konnect, ajv and zod use for the same place).
 */
export function fieldSegments(field: string): string[] {
  const segs = field
    .replace(/\[\s*["']([^"']*)["']\s*\]/g, '.$1')
    .replace(/\[(\d+)\]/g, '.$1')
    .split(/[./]/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (segs[0] === 'body' || segs[0] === '$') segs.shift();
  return segs.map((s) => (s === 'openid_connect' ? 'openid-connect' : s === 'key_auth' ? 'key-auth' : s));
}

/**
 * The form field a wire path belongs to (the longest known prefix: `configs.openid-connect.scopes.2` → `scopes`), and
 * what is left of the path (`2`: an item of a list). `undefined` when no field of this form matches.
 */
export function fieldFor(kind: FormKind, wireField: string): { field: string; rest: string[] } | undefined {
  const table = kind === 'provider' ? PROVIDER_WIRE : STRATEGY_WIRE;
  const segs = fieldSegments(wireField);
  for (let n = segs.length; n > 0; n--) {
    const f = table[segs.slice(0, n).join('.')];
    if (f) return { field: f, rest: segs.slice(n) };
  }
  return undefined;
}

/**
 * Puts each issue on its field when that field is shown (`visible`), else at the top of the form with its wire
 * path. Several issues on one field are joined. Used for zod issues and for Konnect's `invalid_parameters`.
 */
export function placeIssues(kind: FormKind, issues: readonly FieldIssue[], visible: ReadonlySet<string>): FormErrors {
  const fields: Record<string, string> = {};
  const form: string[] = [];
  for (const issue of issues) {
    const hit = fieldFor(kind, issue.field);
    if (hit && visible.has(hit.field)) {
      const index = hit.rest.length && /^\d+$/.test(hit.rest[0]!) ? Number(hit.rest[0]) : undefined;
      const reason = index !== undefined ? `Item ${index + 1}: ${issue.reason}` : issue.reason;
      fields[hit.field] = fields[hit.field] ? `${fields[hit.field]} ${reason}` : reason;
    } else {
      form.push(`${issue.field}: ${issue.reason}`);
    }
  }
  return { fields, form };
}
