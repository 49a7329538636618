/**
 * The forms' view-models: field ids, labels, which field shows for which type, what is required, and the values a
 * form holds. Plain constants and types, no zod, no node: the webview bundle imports this file (and the provider-type
 * table it derives the provider fields from) and stays small; the host-side zod schemas of the protocol
 * (shared/forms/protocol.ts) are built from the same constants.
 */
import {
  DCR_FIELDS,
  PROVIDER_TYPES,
  perProviderType,
  providerType,
  typesWith,
  type DcrBooleanFieldId,
  type DcrFieldId,
  type DcrSecretFieldId,
  type ProviderType,
} from '../model/providerTypes';

export const FORM_KINDS = ['provider', 'strategy'] as const;
export type FormKind = (typeof FORM_KINDS)[number];
export const FORM_MODES = ['create', 'edit'] as const;
export type FormMode = (typeof FORM_MODES)[number];

// ---------------------------------------------------------------------------------------------------------------
// DCR provider form (every type-specific part comes from the provider-type table)

/** The provider types in the order the form lists them, with their labels. */
export const PROVIDER_TYPE_OPTIONS: readonly { readonly value: ProviderType; readonly label: string }[] =
  PROVIDER_TYPES.map((value) => ({ value, label: providerType(value).noun ?? providerType(value).label }));
export type ProviderTypeValue = ProviderType;
export const PROVIDER_TYPE_VALUES = PROVIDER_TYPES;

const DCR_FIELD_IDS = Object.keys(DCR_FIELDS) as DcrFieldId[];

/** The form's fields, in the order it shows them: the common ones, the auth-server picker, the issuer, every dcr_config field. */
export const PROVIDER_FIELDS = [
  'name',
  'displayName',
  'providerType',
  'authServerId',
  'issuer',
  ...DCR_FIELD_IDS,
] as const;
export type ProviderField = 'name' | 'displayName' | 'providerType' | 'authServerId' | 'issuer' | DcrFieldId;

/** Write-only fields: password inputs, never sent back to the webview. */
export type ProviderSecretField = DcrSecretFieldId;
export const PROVIDER_SECRET_FIELDS: readonly ProviderSecretField[] = DCR_FIELD_IDS.filter(
  (f): f is ProviderSecretField => DCR_FIELDS[f].kind === 'secret',
);

export const PROVIDER_BOOLEAN_FIELDS: readonly DcrBooleanFieldId[] = DCR_FIELD_IDS.filter(
  (f): f is DcrBooleanFieldId => DCR_FIELDS[f].kind === 'boolean',
);
/** Fields typed as URLs. */
export const PROVIDER_URL_FIELDS: readonly ProviderField[] = [
  'issuer',
  ...DCR_FIELD_IDS.filter((f) => DCR_FIELDS[f].kind === 'url'),
];

/** The fields that change with the provider type (docs/konnect-api.md §2.3); the others show for every type. */
export const PROVIDER_TYPE_FIELDS: Readonly<Record<ProviderTypeValue, readonly ProviderField[]>> = perProviderType(
  (t) => [...(providerType(t).quirks.authServerIssuer ? ['authServerId' as const] : []), ...providerType(t).dcrConfig],
);
export const PROVIDER_TYPED_FIELDS: readonly ProviderField[] = [...new Set(Object.values(PROVIDER_TYPE_FIELDS).flat())];

/** Fields required on create, per type (the secrets are optional on edit: empty keeps the stored one). */
export const PROVIDER_REQUIRED: Readonly<Record<ProviderTypeValue, readonly ProviderField[]>> = perProviderType((t) => [
  'name',
  'issuer',
  ...providerType(t).dcrConfig.filter((f) => DCR_FIELDS[f].kind !== 'boolean' && !('optional' in DCR_FIELDS[f])),
]);

export interface FieldInfo {
  readonly label: string;
  readonly help?: string;
  readonly placeholder?: string;
}

const info = ({ label, help, placeholder }: FieldInfo): FieldInfo => ({
  label,
  ...(help ? { help } : {}),
  ...(placeholder ? { placeholder } : {}),
});

export const PROVIDER_FIELD_INFO: Readonly<Record<ProviderField, FieldInfo>> = {
  name: { label: 'Name', help: 'Identifies the provider in the Konnect UI.', placeholder: 'okta-prod' },
  displayName: { label: 'Display name', help: 'Shown to developers in the Dev Portal (optional).' },
  providerType: { label: 'Provider type', help: 'Cannot be changed after creation.' },
  authServerId: { label: 'Kong Identity auth server', help: 'Picking one fills in its issuer.' },
  issuer: {
    label: 'Issuer',
    help: "The identity provider's issuer URL.",
    placeholder: 'https://idp.example.com/oauth2/default',
  },
  ...(Object.fromEntries(DCR_FIELD_IDS.map((f) => [f, info(DCR_FIELDS[f])])) as Record<DcrFieldId, FieldInfo>),
};

/** Everything the DCR provider form holds. Empty strings mean "not set"; the payload builders decide what is sent. */
export type ProviderFormValues = {
  name: string;
  displayName: string;
  providerType: ProviderType;
  authServerId: string;
  issuer: string;
} & { [K in DcrFieldId]: (typeof DCR_FIELDS)[K]['kind'] extends 'boolean' ? boolean : string };

// ---------------------------------------------------------------------------------------------------------------
// Auth strategy form

export const STRATEGY_TYPE_OPTIONS = [
  { value: 'openid_connect', label: 'OpenID Connect (DCR)' },
  { value: 'key_auth', label: 'Key auth' },
] as const;
export type StrategyTypeValue = (typeof STRATEGY_TYPE_OPTIONS)[number]['value'];
export const STRATEGY_TYPE_VALUES = STRATEGY_TYPE_OPTIONS.map((o) => o.value) as unknown as readonly [
  StrategyTypeValue,
  ...StrategyTypeValue[],
];

export const STRATEGY_FIELDS = [
  'name',
  'displayName',
  'strategyType',
  'dcrProviderId',
  'issuer',
  'scopes',
  'credentialClaim',
  'authMethods',
  'audience',
  'otherSettings',
  'keyNames',
  'keyTtl',
  'principals',
] as const;
export type StrategyField = (typeof STRATEGY_FIELDS)[number];

export const STRATEGY_TYPE_FIELDS: Readonly<Record<StrategyTypeValue, readonly StrategyField[]>> = {
  openid_connect: ['dcrProviderId', 'issuer', 'scopes', 'credentialClaim', 'authMethods', 'audience', 'otherSettings'],
  key_auth: ['keyNames', 'keyTtl'],
};
export const STRATEGY_TYPED_FIELDS: readonly StrategyField[] = [...new Set(Object.values(STRATEGY_TYPE_FIELDS).flat())];

export const STRATEGY_REQUIRED: Readonly<Record<StrategyTypeValue, readonly StrategyField[]>> = {
  openid_connect: ['name', 'issuer', 'authMethods'],
  key_auth: ['name', 'keyNames'],
};

/** Everything the auth strategy form holds. The list fields are one line of text each (split by the host). */
export type StrategyFormValues = {
  [K in Exclude<StrategyField, 'strategyType' | 'authMethods' | 'principals'>]: string;
} & {
  strategyType: StrategyTypeValue;
  authMethods: string[];
  principals: boolean;
};

/** The `auth_methods` the docs name, in the order the form shows them (the spec has no enum). */
export const AUTH_METHOD_OPTIONS = [
  { value: 'client_credentials', label: 'client_credentials' },
  { value: 'bearer', label: 'bearer' },
  { value: 'session', label: 'session' },
  { value: 'authorization_code', label: 'authorization_code' },
  { value: 'refresh_token', label: 'refresh_token' },
  { value: 'introspection', label: 'introspection' },
  { value: 'password', label: 'password' },
  { value: 'kong_oauth2', label: 'kong_oauth2' },
] as const;
export const DEFAULT_AUTH_METHODS: readonly string[] = ['client_credentials', 'bearer'];

/** `azp (Auth0), appid (Azure AD), sub (Curity, Kong Identity), …`: the usual credential claim of each type. */
function claimsByType(): string {
  const by = new Map<string, string[]>();
  for (const t of PROVIDER_TYPES)
    by.set(providerType(t).defaultCredentialClaim, [
      ...(by.get(providerType(t).defaultCredentialClaim) ?? []),
      providerType(t).label,
    ]);
  return [...by].map(([claim, labels]) => `${claim} (${labels.join(', ')})`).join(', ');
}

export const STRATEGY_FIELD_INFO: Readonly<Record<StrategyField, FieldInfo>> = {
  name: { label: 'Name', help: 'Identifies the strategy in the Konnect UI.', placeholder: 'okta-client-credentials' },
  displayName: { label: 'Display name', help: 'Shown to developers in the Dev Portal.' },
  strategyType: { label: 'Strategy type', help: 'Cannot be changed after creation.' },
  dcrProviderId: { label: 'DCR provider', help: 'Registers developer applications in this identity provider.' },
  issuer: {
    label: 'Issuer',
    help: "Defaults to the DCR provider's issuer.",
    placeholder: 'https://idp.example.com/oauth2/default',
  },
  scopes: { label: 'Scopes', help: 'Separated by commas or spaces; may be empty.', placeholder: 'openid, orders:read' },
  credentialClaim: {
    label: 'Credential claims',
    help: `The token claim(s) holding the client id: ${claimsByType()}.`,
    placeholder: 'client_id',
  },
  authMethods: { label: 'Auth methods' },
  audience: {
    label: `Audience (${typesWith('tokenAudience')
      .map((t) => providerType(t).label)
      .join(', ')})`,
    help: 'Sent to the token endpoint as token_post_args audience=<value> (optional).',
  },
  otherSettings: {
    label: 'Other OpenID Connect settings (JSON)',
    help: 'Any other openid-connect plugin settings the strategy carries, as a JSON object, e.g. {"cache_tokens": true, "hide_credentials": true}. Kept as they are; a key removed here is unset.',
    placeholder: '{}',
  },
  keyNames: {
    label: 'Key names',
    help: 'The header(s) or query parameter(s) carrying the API key, separated by commas.',
    placeholder: 'apikey',
  },
  keyTtl: {
    label: 'Key TTL',
    help: 'How long the API keys developers create stay valid: a number and days, weeks or years (optional).',
    placeholder: '30 days',
  },
  principals: {
    label: 'Application principals',
    help: 'Whether application principals are enabled for this strategy (principals.enabled).',
  },
};

/** `30 days`, `1 week`, `2 years` → a key-auth `ttl`; undefined: not that form. */
export function parseKeyTtl(text: string): { value: number; unit: 'days' | 'weeks' | 'years' } | undefined {
  const m = /^\s*(\d{1,9})\s*(day|week|year)s?\s*$/i.exec(text);
  if (!m || Number(m[1]) < 1) return undefined;
  return { value: Number(m[1]), unit: `${m[2]!.toLowerCase()}s` as 'days' | 'weeks' | 'years' };
}

export function formatKeyTtl(ttl: { readonly value: number; readonly unit: string } | undefined): string {
  return ttl ? `${ttl.value} ${ttl.unit}` : '';
}

/** The credential claim a provider type usually needs (docs), proposed when the field is empty. */
export const DEFAULT_CREDENTIAL_CLAIM: Readonly<Record<ProviderTypeValue, string>> = perProviderType(
  (_t, spec) => spec.defaultCredentialClaim,
);

/** A provider's issuer as a strategy's default issuer: a provider issuer may be the discovery URL (Curity). */
export function strategyIssuerFromProvider(issuer: string): string {
  return issuer.replace(/\/\.well-known\/openid-configuration\/?$/, '');
}

/** `a, b  c` → `['a', 'b', 'c']`: the list fields (scopes, claims, key names) are typed as one line. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function joinList(items: readonly string[] | undefined): string {
  return (items ?? []).join(', ');
}

/** What the webview shows for a secret that is stored but not sent back. */
export const SECRET_UNCHANGED_PLACEHOLDER = 'unchanged — leave empty to keep';

/** Where the errors of a failed submit belong: on a field (by field id), or at the top of the form. */
export interface FormErrors {
  readonly fields: Readonly<Partial<Record<string, string>>>;
  readonly form: readonly string[];
}
