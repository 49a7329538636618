/**
 * THE schema of a Konnect DCR config file, a kongctl declarative file: the one source of truth for the format
 * (docs/design.md §5). It validates the tag-free JSON view of the file (document.ts) twice:
 * - at run time: `ConfigFileSchema.safeParse(view)` → issues → diagnostics on the exact YAML nodes (issues.ts);
 * - at build time: `z.toJSONSchema` → media/schemas/konnect-dcr.schema.json, contributed through `yamlValidation`
 *   for completion and hovers (jsonSchema.ts, `npm run generate-schema`).
 *
 * The format is kongctl's (docs/declarative-resource-reference.md): `_defaults.kongctl`, `dcr_providers`,
 * `application_auth_strategies` with `ref`, `configs.openid_connect` / `configs.key_auth` (kongctl also accepts the
 * wire spelling `openid-connect` / `key-auth`), plus one section kongctl does not have: `kong_identity_auth_servers`.
 * Any other top-level key (portals, apis, control_planes, …) is kept as it is and not checked.
 *
 * Field rules come from the wire schemas (src/core/model, docs/konnect-api.md §2–§4), relaxed where the file holds
 * something else than the wire value: a `!ref` instead of an id or issuer, a `!secret` instead of a write-only value.
 */
import * as z from 'zod';
import { HttpUrlSchema, LabelsSchema } from '../model/common';
import { KeyAuthTtlSchema, PrincipalsSchema } from '../model/authStrategy';
import { DCR_FIELDS, PROVIDER_TYPES, type ProviderType } from '../model/providerTypes';
import {
  GrantTypeSchema,
  ResponseTypeSchema,
  SigningAlgorithmSchema,
  TokenEndpointAuthMethodSchema,
} from '../model/kongIdentity';

/** A kongctl `ref`: unique across the loaded files. */
export const RefSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'letters, digits, _ . - only')
  .meta({
    description:
      'kongctl ref: names this resource inside the config files (unique across them). Other entries point at it with `!ref <ref>`.',
  });

/** What `!ref <ref>#<field>` looks like once the tag is dropped. */
const RefWithField = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*#[a-z_]+$/, 'a reference such as !ref my-auth-server#issuer');
/** What `!ref <ref>` looks like once the tag is dropped. */
const RefName = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*(#id)?$/, 'a reference such as !ref okta-dcr');

const KongctlMetaSchema = z
  .strictObject({
    namespace: z
      .string()
      .min(1)
      .meta({
        description:
          'kongctl namespace: stored in the `KONGCTL-namespace` label; kongctl only manages resources of the namespaces it is given.',
      })
      .optional(),
    protected: z
      .boolean()
      .meta({
        description:
          'kongctl protection: stored as the `KONGCTL-protected: "true"` label; a protected resource is not changed or deleted.',
      })
      .optional(),
  })
  .meta({ description: 'kongctl metadata (kept in Konnect labels).' });

/**
 * A write-only value: a literal (flagged by lint), `!env VAR`, `!secret {source: !env VAR}` or
 * `!secret {parts: [...]}`. In the JSON view the tags are gone: `!env VAR` is the string `VAR`,
 * `!secret {source: !env VAR}` is `{source: 'VAR'}`.
 */
const SecretExpressionSchema = z.union([
  z.strictObject({
    source: z.string().min(1).meta({
      description:
        "Where the secret comes from: `!env VAR`. This extension looks VAR up in VS Code's SecretStorage first, then in the environment; kongctl reads the environment.",
    }),
  }),
  z.strictObject({
    parts: z.array(z.string()).min(1).meta({ description: 'Literal text and `!env VAR` parts, joined.' }),
  }),
]);
function secret(literal: z.ZodString, what: string) {
  return z.union([literal, SecretExpressionSchema]).meta({
    description: `${what} Write-only: Konnect never returns it. Write \`!secret {source: !env VAR}\` (kongctl's form) and keep the value in VS Code's SecretStorage ("Konnect DCR: Store Secret…") or the environment, never in the file.`,
  });
}

const Name256 = z.string().min(1).max(256);
/** An http(s) URL (the pattern makes the JSON Schema as strict as zod about the scheme). */
const Url = HttpUrlSchema.max(256).regex(/^https?:\/\//i, 'an http:// or https:// URL');
const Issuer = z.union([Url, RefWithField]);
const LabelsWithKongctl = LabelsSchema.meta({
  description:
    "Konnect labels. Keys 1–63 characters; values 1–63 characters, starting and ending with a letter or digit. `KONGCTL-*` labels are kongctl's own: use `kongctl:` instead.",
});

// ---------------------------------------------------------------------------------------------------------------
// DCR providers (docs/konnect-api.md §2)

const providerBase = {
  ref: RefSchema,
  name: Name256.meta({ description: "The provider's name in Konnect (unique; this is how plan/apply find it)." }),
  display_name: Name256.meta({ description: 'The name developers see in the Dev Portal.' }).optional(),
  issuer: Issuer.meta({
    description: "The identity provider's issuer URL (max 256). For Kong Identity, `!ref <auth-server-ref>#issuer`.",
  }),
  labels: LabelsWithKongctl.optional(),
  kongctl: KongctlMetaSchema.optional(),
};
const InitialClientId = z
  .string()
  .min(1)
  .max(256)
  .meta({ description: 'The client id of the admin client Konnect uses to register clients.' });
const InitialClientSecret = secret(z.string().min(1).max(256), "The admin client's secret.");

export const Auth0ProviderSchema = z
  .strictObject({
    ...providerBase,
    provider_type: z.literal('auth0'),
    dcr_config: z.strictObject({
      initial_client_id: InitialClientId,
      initial_client_secret: InitialClientSecret,
      initial_client_audience: z
        .string()
        .max(256)
        .nullable()
        .meta({ description: 'With a custom Auth0 domain: the Management API audience. Blank: the issuer is used.' })
        .optional(),
      use_developer_managed_scopes: z
        .boolean()
        .meta({ description: 'Let developers pick scopes (needs read:resource_servers).' })
        .optional(),
    }),
  })
  .meta({ description: 'An Auth0 DCR provider.' });
export const AzureAdProviderSchema = z
  .strictObject({
    ...providerBase,
    provider_type: z.literal('azureAd'),
    dcr_config: z.strictObject({ initial_client_id: InitialClientId, initial_client_secret: InitialClientSecret }),
  })
  .meta({
    description:
      'An Azure AD (Entra ID) DCR provider. Issuer in the v1 form https://sts.windows.net/<tenant>, no trailing slash.',
  });
export const CurityProviderSchema = z
  .strictObject({
    ...providerBase,
    provider_type: z.literal('curity'),
    dcr_config: z.strictObject({ initial_client_id: InitialClientId, initial_client_secret: InitialClientSecret }),
  })
  .meta({
    description:
      "A Curity DCR provider. Issuer: the token profile's discovery URL, …/oauth/v2/oauth-anonymous/.well-known/openid-configuration.",
  });
export const OktaProviderSchema = z
  .strictObject({
    ...providerBase,
    provider_type: z.literal('okta'),
    dcr_config: z.strictObject({
      dcr_token: secret(z.string().min(1).max(256), 'An Okta API token (SSWS) that may manage applications.'),
    }),
  })
  .meta({
    description:
      'An Okta DCR provider. Issuer: the authorization server URL, e.g. https://example.okta.com/oauth2/default.',
  });
export const HttpProviderSchema = z
  .strictObject({
    ...providerBase,
    provider_type: z.literal('http'),
    dcr_config: z.strictObject({
      dcr_base_url: Url.meta({ description: "The HTTP DCR bridge's base URL (reachable from Konnect)." }),
      api_key: secret(
        z.string().min(1).max(256),
        'Sent as X-API-KEY to the bridge: 12–256 characters of A–Z, a–z, 0–9 and _.',
      ),
      disable_event_hooks: z.boolean().optional(),
      disable_refresh_secret: z.boolean().optional(),
      allow_multiple_credentials: z.boolean().optional(),
    }),
  })
  .meta({ description: 'An HTTP DCR bridge provider (konnect-portal-dcr-handler contract).' });
export const KongIdentityProviderSchema = z
  .strictObject({
    ...providerBase,
    provider_type: z.literal('kongIdentity'),
    dcr_config: z.strictObject({}).optional(),
  })
  .meta({
    description: "A Kong Identity DCR provider: its issuer is the auth server's (`!ref <auth-server-ref>#issuer`).",
  });

export const DcrProviderEntrySchema = z.discriminatedUnion('provider_type', [
  Auth0ProviderSchema,
  AzureAdProviderSchema,
  CurityProviderSchema,
  OktaProviderSchema,
  HttpProviderSchema,
  KongIdentityProviderSchema,
]);
export type DcrProviderEntry = z.infer<typeof DcrProviderEntrySchema>;
// one entry schema per row of the provider-type table
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _entriesCoverTable: Same<DcrProviderEntry['provider_type'], ProviderType> = true;
void _entriesCoverTable;

// ---------------------------------------------------------------------------------------------------------------
// Application auth strategies (docs/konnect-api.md §3)

const KeyAuthConfig = z.strictObject({
  key_names: z
    .array(z.string().min(1).max(256))
    .min(1)
    .max(10)
    .meta({ description: 'Header names that carry the API key (1–10).' }),
  ttl: KeyAuthTtlSchema.meta({ description: 'How long keys stay valid.' }).optional(),
});
const OidcConfig = z
  .looseObject({
    issuer: Issuer.meta({ description: 'The issuer the gateway validates tokens against (max 256).' }),
    credential_claim: z.array(z.string().min(1).max(128)).max(10).meta({
      description:
        'Token claims that hold the client id (e.g. client_id, azp for Auth0, appid for Azure, sub for Curity and Kong Identity).',
    }),
    scopes: z
      .array(z.string().min(1).max(128))
      .max(50)
      .meta({ description: 'Scopes developers may request (may be empty).' }),
    auth_methods: z
      .array(z.string().min(1).max(64))
      .max(10)
      .meta({ description: 'e.g. client_credentials, bearer, session, authorization_code.' }),
  })
  .meta({
    description:
      'OpenID Connect settings. Other OIDC plugin settings (e.g. token_post_args_names / token_post_args_values) may be added here.',
  });

const strategyBase = {
  ref: RefSchema,
  name: Name256.meta({ description: "The strategy's name in Konnect (unique; this is how plan/apply find it)." }),
  display_name: z
    .string()
    .max(256)
    .meta({ description: 'The name developers see in the Dev Portal (required, may be empty).' }),
  labels: LabelsWithKongctl.optional(),
  principals: PrincipalsSchema.optional(),
  kongctl: KongctlMetaSchema.optional(),
};
export const KeyAuthStrategySchema = z
  .strictObject({
    ...strategyBase,
    strategy_type: z.literal('key_auth'),
    configs: z.union([z.strictObject({ key_auth: KeyAuthConfig }), z.strictObject({ 'key-auth': KeyAuthConfig })]),
  })
  .meta({ description: 'A key-auth strategy (API keys).' });
export const OidcStrategySchema = z
  .strictObject({
    ...strategyBase,
    strategy_type: z.literal('openid_connect'),
    dcr_provider_id: z
      .union([z.guid(), RefName])
      .nullable()
      .meta({
        description:
          'The DCR provider: `!ref <provider-ref>` (or a provider UUID). Leave out for self-managed client credentials.',
      })
      .optional(),
    configs: z.union([
      z.strictObject({ openid_connect: OidcConfig }),
      z.strictObject({ 'openid-connect': OidcConfig }),
    ]),
  })
  .meta({ description: 'An OpenID Connect strategy (with a DCR provider for Dynamic Client Registration).' });

export const AuthStrategyEntrySchema = z.discriminatedUnion('strategy_type', [
  KeyAuthStrategySchema,
  OidcStrategySchema,
]);
export type AuthStrategyEntry = z.infer<typeof AuthStrategyEntrySchema>;

// ---------------------------------------------------------------------------------------------------------------
// Kong Identity auth servers (docs/konnect-api.md §4): not a kongctl resource

export const ScopeEntrySchema = z.strictObject({
  name: z.string().min(1).meta({ description: 'The scope (unique in this auth server).' }),
  description: z.string().optional(),
  default: z.boolean().meta({ description: 'Granted when a client asks for no scope.' }).optional(),
  include_in_metadata: z.boolean().meta({ description: 'Listed in the discovery document.' }).optional(),
  enabled: z.boolean().optional(),
});
export const ClaimEntrySchema = z.strictObject({
  name: z.string().min(1).meta({ description: 'The claim (unique in this auth server).' }),
  value: z.string().min(1).meta({ description: 'A static value or a template, e.g. ${ client.id }.' }),
  include_in_token: z.boolean().optional(),
  include_in_all_scopes: z.boolean().optional(),
  include_in_scopes: z
    .array(z.string().min(1))
    .meta({ description: 'Names of scopes of this auth server (turned into scope ids on apply).' })
    .optional(),
  enabled: z.boolean().optional(),
});
const TokenDuration = z.number().int().min(60).max(2592000);
/**
 * A client of the auth server: the writable fields of the Kong Identity `CreateClient` body. Its id (the OAuth
 * client_id) and secret are Konnect's: the secret is issued once, on create, and is never part of the file.
 */
export const ClientEntrySchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .meta({ description: 'The client (unique in this auth server; this is how plan/apply find it).' }),
  grant_types: z.array(GrantTypeSchema).meta({ description: 'OAuth 2.0 grant types: client_credentials, implicit.' }),
  response_types: z
    .array(ResponseTypeSchema)
    .meta({ description: 'OpenID Connect response types: none, token, code, id_token.' }),
  redirect_uris: z.array(z.string().min(1)).optional(),
  login_uri: z.string().min(1).nullable().optional(),
  access_token_duration: TokenDuration.meta({ description: 'Seconds (60–2592000).' }).optional(),
  id_token_duration: TokenDuration.meta({ description: 'Seconds (60–2592000).' }).optional(),
  allow_all_scopes: z.boolean().meta({ description: 'May ask for every scope of the auth server.' }).optional(),
  allow_scopes: z
    .array(z.string().min(1))
    .meta({
      description: 'Names of scopes of this auth server the client may ask for (turned into scope ids on apply).',
    })
    .optional(),
  labels: LabelsWithKongctl.optional(),
  token_endpoint_auth_method: TokenEndpointAuthMethodSchema.optional(),
});
export const AuthServerEntrySchema = z
  .strictObject({
    ref: RefSchema,
    name: z
      .string()
      .min(1)
      .meta({ description: "The auth server's name in Konnect (unique; this is how plan/apply find it)." }),
    audience: z.string().min(1).meta({ description: 'Becomes the `aud` claim of access tokens.' }),
    description: z.string().optional(),
    signing_algorithm: SigningAlgorithmSchema.optional(),
    labels: LabelsWithKongctl.optional(),
    trusted_origins: z.array(z.string().min(1)).optional(),
    scopes: z.array(ScopeEntrySchema).optional(),
    claims: z.array(ClaimEntrySchema).optional(),
    clients: z
      .array(ClientEntrySchema)
      .meta({
        description:
          "Clients of this auth server. Apply creates the missing ones; the client secret Konnect issues on create is never written to the file (Konnect DCR keeps it in VS Code's SecretStorage).",
      })
      .optional(),
  })
  .meta({
    description:
      'A Kong Identity auth server with its scopes, claims and clients. DCR providers of type kongIdentity point at it with `issuer: !ref <ref>#issuer`.',
  });
export type AuthServerEntry = z.infer<typeof AuthServerEntrySchema>;

// ---------------------------------------------------------------------------------------------------------------
// The file

export const DefaultsSchema = z
  .looseObject({
    kongctl: KongctlMetaSchema.optional(),
  })
  .meta({
    description:
      'File-level defaults: `kongctl.namespace` and `kongctl.protected` apply to every resource of this file.',
  });

export const ConfigFileSchema = z
  .looseObject({
    _defaults: DefaultsSchema.optional(),
    dcr_providers: z
      .array(DcrProviderEntrySchema)
      .meta({ description: 'Konnect DCR providers (kongctl resource `dcr_providers`).' })
      .optional(),
    application_auth_strategies: z
      .array(AuthStrategyEntrySchema)
      .meta({ description: 'Konnect application auth strategies (kongctl resource `application_auth_strategies`).' })
      .optional(),
    kong_identity_auth_servers: z
      .array(AuthServerEntrySchema)
      .meta({
        description:
          'Kong Identity auth servers (Konnect DCR extension; kongctl has no such resource and rejects unknown keys, so keep this section in a konnect-dcr*.yaml file kongctl does not read).',
      })
      .optional(),
  })
  .meta({
    title: 'Konnect DCR config (kongctl declarative format)',
    description:
      'DCR providers, auth strategies and Kong Identity auth servers for Kong Konnect. Other kongctl resources may share the file.',
  });
export type ConfigFile = z.infer<typeof ConfigFileSchema>;

/** The provider types, for messages ("use one of …"). */
export const VALID_PROVIDER_TYPES: readonly string[] = PROVIDER_TYPES;

/** Every key the schema knows, for "did you mean" suggestions. */
export const KNOWN_KEYS: readonly string[] = [
  '_defaults',
  'kongctl',
  'namespace',
  'protected',
  'dcr_providers',
  'application_auth_strategies',
  'kong_identity_auth_servers',
  'ref',
  'name',
  'display_name',
  'issuer',
  'labels',
  'provider_type',
  'dcr_config',
  ...Object.values(DCR_FIELDS).map((f) => f.key),
  'strategy_type',
  'configs',
  'key_auth',
  'openid_connect',
  'key_names',
  'ttl',
  'value',
  'unit',
  'credential_claim',
  'scopes',
  'auth_methods',
  'dcr_provider_id',
  'principals',
  'enabled',
  'audience',
  'description',
  'signing_algorithm',
  'trusted_origins',
  'claims',
  'default',
  'include_in_metadata',
  'include_in_token',
  'include_in_all_scopes',
  'include_in_scopes',
  'clients',
  'grant_types',
  'response_types',
  'redirect_uris',
  'login_uri',
  'access_token_duration',
  'id_token_duration',
  'allow_all_scopes',
  'allow_scopes',
  'token_endpoint_auth_method',
  'source',
  'parts',
];
