/**
 * The form view-models both bundles share: field ids, labels, which field shows for which type, and the protocol's
 * method names. Plain constants, no zod: the webview bundle imports this file and stays small; the host-side zod
 * schemas (protocol.ts) are built from the same constants.
 */

export const FORM_KINDS = ['provider', 'strategy'] as const;
export type FormKind = (typeof FORM_KINDS)[number];
export const FORM_MODES = ['create', 'edit'] as const;
export type FormMode = (typeof FORM_MODES)[number];

/** The `view` a forms webview announces in its `ready` message. */
export const FORMS_VIEW = 'forms';

/** Method names of the forms protocol (namespaced `forms/…`). */
export const FormMethods = {
  /** host → webview notification: what to show (mode, values, which secrets are stored). */
  init: 'forms/init',
  /** host → webview notification: the pickable Konnect resources (auth servers, DCR providers), loaded after init. */
  options: 'forms/options',
  /** webview → host request: submit the values; answered with a SubmitResult. */
  submit: 'forms/submit',
  /** webview → host command: reload the pickable resources. */
  reloadOptions: 'forms/reloadOptions',
  /** webview → host command: close the form. */
  cancel: 'forms/cancel',
  /** webview → host command: something the host should log (CSP violations, script errors). */
  log: 'forms/log',
} as const;
export type FormMethod = (typeof FormMethods)[keyof typeof FormMethods];

// ---------------------------------------------------------------------------------------------------------------
// DCR provider form

/** The provider types in the order the form lists them, with their labels. Checked against the core's enum host-side. */
export const PROVIDER_TYPE_OPTIONS = [
  { value: 'auth0', label: 'Auth0' },
  { value: 'azureAd', label: 'Azure AD' },
  { value: 'curity', label: 'Curity' },
  { value: 'okta', label: 'Okta' },
  { value: 'http', label: 'HTTP bridge' },
  { value: 'kongIdentity', label: 'Kong Identity' },
] as const;
export type ProviderTypeValue = (typeof PROVIDER_TYPE_OPTIONS)[number]['value'];
export const PROVIDER_TYPE_VALUES = PROVIDER_TYPE_OPTIONS.map((o) => o.value) as unknown as readonly [ProviderTypeValue, ...ProviderTypeValue[]];

export const PROVIDER_FIELDS = [
  'name', 'displayName', 'providerType', 'authServerId', 'issuer',
  'initialClientId', 'initialClientSecret', 'initialClientAudience', 'useDeveloperManagedScopes',
  'dcrToken', 'dcrBaseUrl', 'apiKey', 'disableEventHooks', 'disableRefreshSecret', 'allowMultipleCredentials',
] as const;
export type ProviderField = (typeof PROVIDER_FIELDS)[number];

/** Write-only fields: password inputs, never sent back to the webview. */
export const PROVIDER_SECRET_FIELDS = ['initialClientSecret', 'dcrToken', 'apiKey'] as const satisfies readonly ProviderField[];
export type ProviderSecretField = (typeof PROVIDER_SECRET_FIELDS)[number];

export const PROVIDER_BOOLEAN_FIELDS = [
  'useDeveloperManagedScopes', 'disableEventHooks', 'disableRefreshSecret', 'allowMultipleCredentials',
] as const satisfies readonly ProviderField[];

/** The fields that change with the provider type (docs/konnect-api.md §2.3); the others show for every type. */
export const PROVIDER_TYPE_FIELDS: Readonly<Record<ProviderTypeValue, readonly ProviderField[]>> = {
  auth0: ['initialClientId', 'initialClientSecret', 'initialClientAudience', 'useDeveloperManagedScopes'],
  azureAd: ['initialClientId', 'initialClientSecret'],
  curity: ['initialClientId', 'initialClientSecret'],
  okta: ['dcrToken'],
  http: ['dcrBaseUrl', 'apiKey', 'disableEventHooks', 'disableRefreshSecret', 'allowMultipleCredentials'],
  kongIdentity: ['authServerId'],
};
export const PROVIDER_TYPED_FIELDS: readonly ProviderField[] = [...new Set(Object.values(PROVIDER_TYPE_FIELDS).flat())];

/** Fields required on create, per type (the secrets are optional on edit: empty keeps the stored one). */
export const PROVIDER_REQUIRED: Readonly<Record<ProviderTypeValue, readonly ProviderField[]>> = {
  auth0: ['name', 'issuer', 'initialClientId', 'initialClientSecret'],
  azureAd: ['name', 'issuer', 'initialClientId', 'initialClientSecret'],
  curity: ['name', 'issuer', 'initialClientId', 'initialClientSecret'],
  okta: ['name', 'issuer', 'dcrToken'],
  http: ['name', 'issuer', 'dcrBaseUrl', 'apiKey'],
  kongIdentity: ['name', 'issuer'],
};

export interface FieldInfo {
  readonly label: string;
  readonly help?: string;
  readonly placeholder?: string;
}

export const PROVIDER_FIELD_INFO: Readonly<Record<ProviderField, FieldInfo>> = {
  name: { label: 'Name', help: 'Identifies the provider in the Konnect UI.', placeholder: 'okta-prod' },
  displayName: { label: 'Display name', help: 'Shown to developers in the Dev Portal (optional).' },
  providerType: { label: 'Provider type', help: 'Cannot be changed after creation.' },
  authServerId: { label: 'Kong Identity auth server', help: 'Picking one fills in its issuer.' },
  issuer: { label: 'Issuer', help: 'The identity provider\'s issuer URL.', placeholder: 'https://idp.example.com/oauth2/default' },
  initialClientId: { label: 'Initial client ID', help: 'The client Konnect uses to register developer applications.' },
  initialClientSecret: { label: 'Initial client secret' },
  initialClientAudience: { label: 'Initial client audience', help: 'Auth0 Management API audience, when the tenant uses a custom domain (optional).' },
  useDeveloperManagedScopes: { label: 'Use developer-managed scopes' },
  dcrToken: { label: 'DCR token', help: 'An Okta API token allowed to manage applications.' },
  dcrBaseUrl: { label: 'DCR base URL', help: 'The HTTP bridge, reachable from Konnect.', placeholder: 'https://dcr-bridge.example.com' },
  apiKey: { label: 'API key', help: '12–256 letters, digits or _ ; sent to the bridge as the Api-Key header.' },
  disableEventHooks: { label: 'Disable event hooks' },
  disableRefreshSecret: { label: 'Disable refresh secret' },
  allowMultipleCredentials: { label: 'Allow multiple credentials' },
};

// ---------------------------------------------------------------------------------------------------------------
// Auth strategy form

export const STRATEGY_TYPE_OPTIONS = [
  { value: 'openid_connect', label: 'OpenID Connect (DCR)' },
  { value: 'key_auth', label: 'Key auth' },
] as const;
export type StrategyTypeValue = (typeof STRATEGY_TYPE_OPTIONS)[number]['value'];
export const STRATEGY_TYPE_VALUES = STRATEGY_TYPE_OPTIONS.map((o) => o.value) as unknown as readonly [StrategyTypeValue, ...StrategyTypeValue[]];

export const STRATEGY_FIELDS = [
  'name', 'displayName', 'strategyType', 'dcrProviderId', 'issuer', 'scopes', 'credentialClaim', 'authMethods', 'audience', 'keyNames',
] as const;
export type StrategyField = (typeof STRATEGY_FIELDS)[number];

export const STRATEGY_TYPE_FIELDS: Readonly<Record<StrategyTypeValue, readonly StrategyField[]>> = {
  openid_connect: ['dcrProviderId', 'issuer', 'scopes', 'credentialClaim', 'authMethods', 'audience'],
  key_auth: ['keyNames'],
};
export const STRATEGY_TYPED_FIELDS: readonly StrategyField[] = [...new Set(Object.values(STRATEGY_TYPE_FIELDS).flat())];

export const STRATEGY_REQUIRED: Readonly<Record<StrategyTypeValue, readonly StrategyField[]>> = {
  openid_connect: ['name', 'issuer', 'authMethods'],
  key_auth: ['name', 'keyNames'],
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

export const STRATEGY_FIELD_INFO: Readonly<Record<StrategyField, FieldInfo>> = {
  name: { label: 'Name', help: 'Identifies the strategy in the Konnect UI.', placeholder: 'okta-client-credentials' },
  displayName: { label: 'Display name', help: 'Shown to developers in the Dev Portal.' },
  strategyType: { label: 'Strategy type', help: 'Cannot be changed after creation.' },
  dcrProviderId: { label: 'DCR provider', help: 'Registers developer applications in this identity provider.' },
  issuer: { label: 'Issuer', help: 'Defaults to the DCR provider\'s issuer.', placeholder: 'https://idp.example.com/oauth2/default' },
  scopes: { label: 'Scopes', help: 'Separated by commas or spaces; may be empty.', placeholder: 'openid, orders:read' },
  credentialClaim: { label: 'Credential claims', help: 'The token claim(s) holding the client id, e.g. client_id, azp (Auth0), appid (Azure), sub.', placeholder: 'client_id' },
  authMethods: { label: 'Auth methods' },
  audience: { label: 'Audience (Auth0)', help: 'Sent to the token endpoint as token_post_args audience=<value> (optional).' },
  keyNames: { label: 'Key names', help: 'The header(s) or query parameter(s) carrying the API key, separated by commas.', placeholder: 'apikey' },
};

/** The credential claim a provider type usually needs (docs), proposed when the field is empty. */
export const DEFAULT_CREDENTIAL_CLAIM: Readonly<Record<ProviderTypeValue, string>> = {
  auth0: 'azp', azureAd: 'appid', curity: 'sub', okta: 'client_id', http: 'client_id', kongIdentity: 'sub',
};

/** A provider's issuer as a strategy's default issuer: Curity's provider issuer is the discovery URL. */
export function strategyIssuerFromProvider(issuer: string): string {
  return issuer.replace(/\/\.well-known\/openid-configuration\/?$/, '');
}

/** `a, b  c` → `['a', 'b', 'c']`: the list fields (scopes, claims, key names) are typed as one line. */
export function splitList(text: string): string[] {
  return text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
}

export function joinList(items: readonly string[] | undefined): string {
  return (items ?? []).join(', ');
}

/** What the webview shows for a secret that is stored but not sent back. */
export const SECRET_UNCHANGED_PLACEHOLDER = 'unchanged — leave empty to keep';
