/**
 * THE table of DCR provider types: one row per `provider_type` of Konnect's Application Auth Strategies API (2.1.1),
 * holding everything this extension knows about the type. Forms, trees, Verify, the config file's lint, the YAML
 * renderer, the token checks, Explain, the validation requests and Prove DCR all read this table; none of them keeps a
 * list, map or switch of its own keyed by provider type. The zod schemas of the wire (model/dcrProvider.ts) and of
 * the config file (config/schema.ts) are written per type and checked against this table at compile time.
 *
 * Browser-safe on purpose: no imports, only data and small pure functions (the forms webview bundles this file).
 * README "How to add a provider type" says which other files a new row needs.
 */

// ---------------------------------------------------------------------------------------------------------------
// dcr_config fields

export type DcrFieldKind = 'text' | 'url' | 'secret' | 'boolean';

export interface DcrFieldSpec {
  /** The `dcr_config` key, as the wire and the config file spell it. */
  readonly key: string;
  /** `secret`: write-only (sent on create/update, never returned; a password field; `!secret` in files). */
  readonly kind: DcrFieldKind;
  /** Not required on create (a boolean never is). Every other field of a type is required on create. */
  readonly optional?: true;
  /** The wire value may be null: emptied in an edit form, it is sent as null (unset). */
  readonly nullable?: true;
  /** A rule Konnect enforces on the value that the file's schema does not (checked by the file lint on literals). */
  readonly format?: { readonly pattern: RegExp; readonly rule: string };
  /** The form's label, help line and placeholder. */
  readonly label: string;
  readonly help?: string;
  readonly placeholder?: string;
}

/** Every `dcr_config` field of every type, by form field id, in the order forms show them. */
export const DCR_FIELDS = {
  initialClientId: {
    key: 'initial_client_id',
    kind: 'text',
    label: 'Initial client ID',
    help: 'The client Konnect uses to register developer applications.',
  },
  initialClientSecret: { key: 'initial_client_secret', kind: 'secret', label: 'Initial client secret' },
  initialClientAudience: {
    key: 'initial_client_audience',
    kind: 'text',
    optional: true,
    nullable: true,
    label: 'Initial client audience',
    help: 'Auth0 Management API audience, when the tenant uses a custom domain (optional).',
  },
  useDeveloperManagedScopes: {
    key: 'use_developer_managed_scopes',
    kind: 'boolean',
    label: 'Use developer-managed scopes',
  },
  dcrToken: {
    key: 'dcr_token',
    kind: 'secret',
    label: 'DCR token',
    help: 'An Okta API token allowed to manage applications.',
  },
  dcrBaseUrl: {
    key: 'dcr_base_url',
    kind: 'url',
    label: 'DCR base URL',
    help: 'The HTTP bridge, reachable from Konnect.',
    placeholder: 'https://dcr-bridge.example.com',
  },
  apiKey: {
    key: 'api_key',
    kind: 'secret',
    label: 'API key',
    help: '12–256 letters, digits or _ ; sent to the bridge as the Api-Key header.',
    format: { pattern: /^[A-Za-z0-9_]{12,256}$/, rule: '12–256 characters of A–Z, a–z, 0–9 and _' },
  },
  disableEventHooks: { key: 'disable_event_hooks', kind: 'boolean', label: 'Disable event hooks' },
  disableRefreshSecret: { key: 'disable_refresh_secret', kind: 'boolean', label: 'Disable refresh secret' },
  allowMultipleCredentials: { key: 'allow_multiple_credentials', kind: 'boolean', label: 'Allow multiple credentials' },
} as const satisfies Readonly<Record<string, DcrFieldSpec>>;

export type DcrFieldId = keyof typeof DCR_FIELDS;
type KindOf<K extends DcrFieldId> = (typeof DCR_FIELDS)[K]['kind'];
export type DcrSecretFieldId = { [K in DcrFieldId]: KindOf<K> extends 'secret' ? K : never }[DcrFieldId];
export type DcrBooleanFieldId = { [K in DcrFieldId]: KindOf<K> extends 'boolean' ? K : never }[DcrFieldId];

// ---------------------------------------------------------------------------------------------------------------
// Provider types

/** What an identity provider does differently from plain OAuth client credentials. */
export interface ProviderQuirks {
  /** Token requests must name an API (`audience=<API identifier>`); without it the IdP returns an opaque, non-JWT token. */
  readonly tokenAudience?: true;
  /** The client_credentials scope is `<resource>/.default` (v2 token endpoint), or a `resource=<resource>` parameter (v1). */
  readonly resourceScope?: true;
  /** The IdP refuses OpenID scopes (openid, profile…) in a client_credentials token request. */
  readonly noOpenidScope?: true;
  /**
   * The form the DCR provider's issuer must have: `discoveryUrl`, the OpenID discovery URL
   * (`…/.well-known/openid-configuration`; Konnect's UI prefills the strategy's issuer with the provider's); `azureV1`, the
   * Azure v1 tenant issuer `https://sts.windows.net/<tenant>` (or `login.microsoftonline.com/<tenant>`), no slash.
   */
  readonly providerIssuer?: 'discoveryUrl' | 'azureV1';
  /** The issuer is a Kong Identity auth server's: the form offers a picker, a file writes `!ref <auth-server>#issuer`. */
  readonly authServerIssuer?: true;
  /** The strategy's credential claim must include the client-id claim, or Konnect cannot match tokens to apps. */
  readonly credentialClaimMustBeClientId?: true;
  /** The token endpoint also takes a JSON body (`application/json`), not only a form. */
  readonly jsonTokenRequest?: true;
  /** Kong's how-to uses the client-id claim as the credential claim; another claim is worth a look (information). */
  readonly credentialClaimUsuallyClientId?: true;
}

export interface ProviderTypeSpec {
  /** Short name: tree groups, pickers, `name (Okta)`. */
  readonly label: string;
  /** The name in sentences and in the form's type list, when it differs from `label`. */
  readonly noun?: string;
  /** Short id in diagnostic codes and rule ids (`azure-issuer`, `token.auth0_audience`). */
  readonly slug: string;
  /** Codicon of the tree group and its providers. */
  readonly icon: string;
  /** Position in the DCR Providers view (the forms list the types in table order). */
  readonly treeOrder: number;
  /** Its `dcr_config` fields. None: Konnect takes no `dcr_config` for this type (create `{}` or nothing, no update). */
  readonly dcrConfig: readonly DcrFieldId[];
  /** The access-token claim where this IdP puts the client id. */
  readonly clientIdClaim: string;
  /** Said after the client-id claim in hints, e.g. another place it can be. */
  readonly clientIdNote?: string;
  /** The credential claim a strategy of this type usually needs (the strategy form proposes it). */
  readonly defaultCredentialClaim: string;
  /**
   * The IdP's documented token endpoint, used when OpenID discovery cannot be read. `base` is the issuer without its
   * discovery suffix and trailing slashes. Undefined: no convention (discovery only).
   */
  readonly tokenEndpoint?: (base: string) => string | undefined;
  /** Kong's public page for setting up DCR with this IdP (what the lint rules of the type cite). */
  readonly howTo: string;
  /** What to check when the IdP refused the credentials Konnect uses for this provider (Verify, Prove DCR). */
  readonly verifyHint: string;
  readonly quirks: ProviderQuirks;
}

const azureTenant = (base: string): string | undefined =>
  /sts\.windows\.net\/([^/]+)/.exec(base)?.[1] ?? /login\.microsoftonline\.com\/([^/]+)/.exec(base)?.[1];

/** One row per provider type, in the spec's order (the order forms and messages list them). */
export const PROVIDER_TYPE_TABLE = {
  auth0: {
    label: 'Auth0',
    slug: 'auth0',
    icon: 'lock',
    treeOrder: 1,
    dcrConfig: ['initialClientId', 'initialClientSecret', 'initialClientAudience', 'useDeveloperManagedScopes'],
    clientIdClaim: 'azp',
    defaultCredentialClaim: 'azp',
    tokenEndpoint: (base) => `${base}/oauth/token`,
    howTo: 'https://developer.konghq.com/how-to/auth0-dcr/',
    verifyHint: 'check the initial client id and secret (a Machine-to-Machine app with the Management API scopes)',
    quirks: { tokenAudience: true, credentialClaimMustBeClientId: true, jsonTokenRequest: true },
  },
  azureAd: {
    label: 'Azure AD',
    slug: 'azure',
    icon: 'azure',
    treeOrder: 2,
    dcrConfig: ['initialClientId', 'initialClientSecret'],
    clientIdClaim: 'appid',
    defaultCredentialClaim: 'appid',
    tokenEndpoint: (base) => {
      const t = azureTenant(base);
      return t ? `https://login.microsoftonline.com/${t}/oauth2/v2.0/token` : undefined;
    },
    howTo: 'https://developer.konghq.com/how-to/azure-ad-dcr/',
    verifyHint: 'check the initial client id and secret of the app registration',
    quirks: { resourceScope: true, providerIssuer: 'azureV1', credentialClaimUsuallyClientId: true },
  },
  curity: {
    label: 'Curity',
    slug: 'curity',
    icon: 'workspace-trusted',
    treeOrder: 3,
    dcrConfig: ['initialClientId', 'initialClientSecret'],
    clientIdClaim: 'sub',
    defaultCredentialClaim: 'sub',
    tokenEndpoint: (base) => base.replace(/\/oauth\/v2\/[^/]+$/, '/oauth/v2/oauth-token'),
    howTo: 'https://developer.konghq.com/how-to/curity-dcr/',
    verifyHint: 'check the initial client id and secret',
    quirks: { providerIssuer: 'discoveryUrl', noOpenidScope: true },
  },
  okta: {
    label: 'Okta',
    slug: 'okta',
    icon: 'organization',
    treeOrder: 4,
    dcrConfig: ['dcrToken'],
    clientIdClaim: 'cid',
    clientIdNote: 'or a custom claim with the value app.clientId',
    defaultCredentialClaim: 'client_id',
    tokenEndpoint: (base) => `${base}/v1/token`,
    howTo: 'https://developer.konghq.com/how-to/okta-dcr/',
    verifyHint: 'check the DCR token (an Okta API token)',
    quirks: { noOpenidScope: true },
  },
  http: {
    label: 'HTTP',
    noun: 'HTTP bridge',
    slug: 'http',
    icon: 'globe',
    treeOrder: 5,
    dcrConfig: ['dcrBaseUrl', 'apiKey', 'disableEventHooks', 'disableRefreshSecret', 'allowMultipleCredentials'],
    clientIdClaim: 'client_id',
    defaultCredentialClaim: 'client_id',
    howTo: 'https://developer.konghq.com/dev-portal/dynamic-client-registration/',
    verifyHint: 'check the API key the DCR bridge expects',
    quirks: {},
  },
  kongIdentity: {
    label: 'Kong Identity',
    slug: 'kong-identity',
    icon: 'verified',
    treeOrder: 0,
    dcrConfig: [],
    clientIdClaim: 'sub',
    defaultCredentialClaim: 'sub',
    tokenEndpoint: (base) => `${base}/oauth/token`,
    howTo: 'https://developer.konghq.com/how-to/kong-identity-dcr/',
    verifyHint: 'check that the auth server still exists',
    quirks: { authServerIssuer: true },
  },
} as const satisfies Readonly<Record<string, ProviderTypeSpec>>;

export type ProviderType = keyof typeof PROVIDER_TYPE_TABLE;

/** The provider types in table order (a non-empty tuple, for `z.enum`). */
export const PROVIDER_TYPES = Object.keys(PROVIDER_TYPE_TABLE) as [ProviderType, ...ProviderType[]];

/** A map over every provider type, computed from its row: how every per-type map of this extension is made. */
export function perProviderType<V>(
  f: (type: ProviderType, spec: ProviderTypeSpec) => V,
): Readonly<Record<ProviderType, V>> {
  return Object.fromEntries(PROVIDER_TYPES.map((t) => [t, f(t, PROVIDER_TYPE_TABLE[t])])) as unknown as Record<
    ProviderType,
    V
  >;
}

/** The row of a type (widened: every optional column readable). */
export function providerType(type: ProviderType): ProviderTypeSpec {
  return PROVIDER_TYPE_TABLE[type];
}

export function isProviderType(v: unknown): v is ProviderType {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(PROVIDER_TYPE_TABLE, v);
}

/** The name of a type in sentences ("HTTP bridge", "Auth0"); an unknown type as it is. */
export function providerNoun(type: string): string {
  return isProviderType(type) ? (providerType(type).noun ?? providerType(type).label) : type;
}

/** The short name of a type (tree groups, pickers); an unknown type as it is. */
export function providerLabel(type: string): string {
  return isProviderType(type) ? providerType(type).label : type;
}

/** The types in the order of the DCR Providers view. */
export function providerTypesInTreeOrder(): ProviderType[] {
  return [...PROVIDER_TYPES].sort((a, b) => providerType(a).treeOrder - providerType(b).treeOrder);
}

/** A type's `dcr_config` fields with their specs. */
export function dcrFieldsOf(type: ProviderType): readonly (DcrFieldSpec & { readonly id: DcrFieldId })[] {
  return providerType(type).dcrConfig.map((id) => ({ id, ...(DCR_FIELDS[id] as DcrFieldSpec) }));
}

/** The write-only `dcr_config` keys of a type (never in a Konnect answer). */
export function secretKeysOf(type: ProviderType): string[] {
  return dcrFieldsOf(type)
    .filter((f) => f.kind === 'secret')
    .map((f) => f.key);
}

/** Every write-only `dcr_config` key of any type (what redaction masks wherever it appears). */
export const DCR_SECRET_KEYS: readonly string[] = [
  ...new Set(
    Object.values(DCR_FIELDS)
      .filter((f) => f.kind === 'secret')
      .map((f) => f.key),
  ),
];

/** Every client-id claim of the table, `client_id` first and `sub` (which every token has) last. */
export const CLIENT_ID_LIKE_CLAIMS: readonly string[] = [
  'client_id',
  ...new Set(PROVIDER_TYPES.map((t) => providerType(t).clientIdClaim).filter((c) => c !== 'client_id' && c !== 'sub')),
  'sub',
];

/** The types that have this quirk, in table order. */
export function typesWith(quirk: keyof ProviderQuirks): ProviderType[] {
  return PROVIDER_TYPES.filter((t) => providerType(t).quirks[quirk] !== undefined);
}

/** `quirk` of a type that may be unknown (a strategy without a DCR provider has none). */
export function hasQuirk(type: ProviderType | undefined, quirk: keyof ProviderQuirks): boolean {
  return type !== undefined && providerType(type).quirks[quirk] !== undefined;
}
