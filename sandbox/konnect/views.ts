/** Store records -> response bodies, field for field as the specs' response schemas say. Secrets never leave here. */
import { defined } from './http';
import type {
  ApiRec,
  ApplicationRec,
  AuthServerRec,
  ClaimRec,
  ClientRec,
  ClientSecretRec,
  CredentialRec,
  DeveloperRec,
  ImplementationRec,
  KonnectStore,
  PortalRec,
  ProviderRec,
  PublicationRec,
  RegistrationRec,
  ScopeRec,
  StrategyRec,
  TokenRec,
} from './store';

type Obj = Record<string, unknown>;

export function providerView(p: ProviderRec, store: KonnectStore): Obj {
  return defined({
    id: p.id,
    name: p.name,
    display_name: p.display_name,
    provider_type: p.provider_type,
    issuer: p.issuer,
    active: store.providerActive(p.id),
    dcr_config: { ...p.dcr_config },
    labels: { ...p.labels },
    created_at: p.created_at,
    updated_at: p.updated_at,
  });
}

/** Key auth: always. OIDC+DCR: Entra (azureAd), Okta, and HTTP bridges that allow it (docs: DCR page). */
export function supportsMultipleCredentials(s: StrategyRec, store: KonnectStore): boolean {
  if (s.strategy_type === 'key_auth') return true;
  const provider = s.dcr_provider_id ? store.providers.get(s.dcr_provider_id) : undefined;
  if (!provider) return false;
  if (provider.provider_type === 'azureAd' || provider.provider_type === 'okta') return true;
  if (provider.provider_type === 'http') return provider.dcr_config['allow_multiple_credentials'] === true;
  return false;
}

export function strategyView(s: StrategyRec, store: KonnectStore): Obj {
  const provider = s.dcr_provider_id ? store.providers.get(s.dcr_provider_id) : undefined;
  return defined({
    id: s.id,
    name: s.name,
    display_name: s.display_name,
    strategy_type: s.strategy_type,
    configs: structuredClone(s.configs),
    active: store.strategyActive(s.id),
    dcr_provider: provider
      ? defined({
          id: provider.id,
          name: provider.name,
          display_name: provider.display_name,
          provider_type: provider.provider_type,
        })
      : null,
    labels: { ...s.labels },
    created_at: s.created_at,
    updated_at: s.updated_at,
    supports_multiple_credentials: supportsMultipleCredentials(s, store),
    principals: s.principals ? { ...s.principals } : undefined,
  });
}

export function authServerView(
  a: AuthServerRec,
  store: KonnectStore,
  backend: { metadataUriFor(id: string): string; jwksUriFor(id: string): string },
): Obj {
  return defined({
    id: a.id,
    name: a.name,
    description: a.description,
    audience: a.audience,
    signing_algorithm: a.signing_algorithm,
    issuer: store.issuerOf(a.id),
    metadata_uri: backend.metadataUriFor(a.id),
    jwks_uri: backend.jwksUriFor(a.id),
    labels: { ...a.labels },
    created_at: a.created_at,
    updated_at: a.updated_at,
    trusted_origins: a.trusted_origins ? [...a.trusted_origins] : undefined,
  });
}

export const scopeView = (s: ScopeRec): Obj => ({
  id: s.id,
  name: s.name,
  description: s.description,
  default: s.default,
  include_in_metadata: s.include_in_metadata,
  enabled: s.enabled,
  created_at: s.created_at,
  updated_at: s.updated_at,
});

export const claimView = (c: ClaimRec): Obj => ({
  id: c.id,
  name: c.name,
  value: c.value,
  include_in_token: c.include_in_token,
  include_in_all_scopes: c.include_in_all_scopes,
  include_in_scopes: [...c.include_in_scopes],
  enabled: c.enabled,
  created_at: c.created_at,
  updated_at: c.updated_at,
});

export const clientView = (c: ClientRec): Obj => ({
  id: c.id,
  name: c.name,
  grant_types: [...c.grant_types],
  redirect_uris: [...c.redirect_uris],
  login_uri: c.login_uri,
  access_token_duration: c.access_token_duration,
  id_token_duration: c.id_token_duration,
  allow_all_scopes: c.allow_all_scopes,
  allow_scopes: [...c.allow_scopes],
  labels: { ...c.labels },
  response_types: [...c.response_types],
  token_endpoint_auth_method: c.token_endpoint_auth_method,
  created_at: c.created_at,
  updated_at: c.updated_at,
});

export const tokenView = (t: TokenRec): Obj => ({
  id: t.id,
  granted_scope_names: [...t.granted_scope_names],
  created_at: t.created_at,
  expires_at: t.expires_at,
});

export const clientSecretView = (s: ClientSecretRec, withSecret: boolean): Obj =>
  defined({
    id: s.id,
    enabled: s.enabled,
    secret: withSecret ? s.secret : undefined,
    created_at: s.created_at,
    updated_at: s.updated_at,
  });

export function apiView(a: ApiRec, store: KonnectStore): Obj {
  const portals = [...store.publications.values()]
    .filter((p) => p.api_id === a.id)
    .map((p) => store.portals.get(p.portal_id))
    .filter((p): p is PortalRec => p !== undefined)
    .map((p) => ({ id: p.id, name: p.name, display_name: p.display_name }));
  const impl = [...store.implementations.values()].some((i) => i.api_id === a.id);
  return {
    id: a.id,
    name: a.name,
    description: a.description,
    version: a.version,
    current_version_summary: null,
    slug: a.slug,
    api_spec_ids: [],
    portals,
    labels: { ...a.labels },
    implementation_mode: impl ? 'gateway_entity' : null,
    attributes: structuredClone(a.attributes),
    created_at: a.created_at,
    updated_at: a.updated_at,
  };
}

export const implementationView = (i: ImplementationRec): Obj =>
  defined({
    id: i.id,
    created_at: i.created_at,
    updated_at: i.updated_at,
    service: i.service ? { ...i.service } : undefined,
    control_plane: i.control_plane ? { ...i.control_plane } : undefined,
  });

export const publicationView = (p: PublicationRec): Obj =>
  defined({
    auth_strategy_ids: p.auth_strategy_ids ? [...p.auth_strategy_ids] : null,
    visibility: p.visibility,
    auto_approve_registrations: p.auto_approve_registrations,
    created_at: p.created_at,
    updated_at: p.updated_at,
  });

export const publicationListItemView = (p: PublicationRec): Obj => ({
  api_id: p.api_id,
  portal_id: p.portal_id,
  auto_approve_registrations: p.auto_approve_registrations ?? false,
  entity_type: 'api',
  visibility: p.visibility,
  auth_strategy_ids: p.auth_strategy_ids ? [...p.auth_strategy_ids] : null,
  created_at: p.created_at,
  updated_at: p.updated_at,
});

export function portalView(p: PortalRec): Obj {
  return {
    id: p.id,
    name: p.name,
    display_name: p.display_name,
    description: p.description,
    authentication_enabled: p.authentication_enabled,
    rbac_enabled: p.rbac_enabled,
    sipr_enabled: p.sipr_enabled,
    default_api_visibility: p.default_api_visibility,
    default_page_visibility: p.default_page_visibility,
    default_application_auth_strategy_id: p.default_application_auth_strategy_id,
    auto_approve_developers: p.auto_approve_developers,
    auto_approve_applications: p.auto_approve_applications,
    default_domain: p.default_domain,
    canonical_domain: p.canonical_domain,
    labels: { ...p.labels },
    notifications_developer_pii_visibility_enabled: p.notifications_developer_pii_visibility_enabled,
    created_at: p.created_at,
    updated_at: p.updated_at,
  };
}

export const developerView = (d: DeveloperRec): Obj => ({
  id: d.id,
  email: d.email,
  full_name: d.full_name,
  status: d.status,
  created_at: d.created_at,
  updated_at: d.updated_at,
});

export const developerMeView = (d: DeveloperRec): Obj => ({
  id: d.id,
  email: d.email,
  full_name: d.full_name,
  created_at: d.created_at,
  updated_at: d.updated_at,
});

/** Portal API `PortalAuthStrategy` (what a developer sees). */
export function portalStrategyView(s: StrategyRec, store: KonnectStore): Obj {
  const name = s.display_name || s.name;
  if (s.strategy_type === 'key_auth') {
    const cfg = s.configs['key-auth'] ?? {};
    return defined({
      id: s.id,
      name,
      credential_type: 'key_auth',
      key_names: Array.isArray(cfg['key_names']) ? [...(cfg['key_names'] as string[])] : [],
      ttl: cfg['ttl'] ?? undefined,
      supports_multiple_credentials: true,
    });
  }
  const cfg = s.configs['openid-connect'] ?? {};
  return {
    id: s.id,
    name,
    credential_type: s.dcr_provider_id ? 'client_credentials' : 'self_managed_client_credentials',
    auth_methods: Array.isArray(cfg['auth_methods']) ? [...(cfg['auth_methods'] as string[])] : [],
    available_scopes: Array.isArray(cfg['scopes']) ? [...(cfg['scopes'] as string[])] : [],
    supports_multiple_credentials: supportsMultipleCredentials(s, store),
  };
}

/** Portal Management (admin) view of an application: `ClientCredentialsApplication` or `KeyAuthApplication`. */
export function adminApplicationView(a: ApplicationRec, store: KonnectStore): Obj {
  const s = store.strategies.get(a.auth_strategy_id);
  const base = {
    id: a.id,
    created_at: a.created_at,
    updated_at: a.updated_at,
    name: a.name,
    description: a.description,
    labels: { ...a.labels },
    registration_count: store.registrationCount(a.id),
    portal: { id: a.portal_id },
    owner: { ...a.owner },
  };
  if (s?.strategy_type === 'key_auth') {
    const cfg = s.configs['key-auth'] ?? {};
    return {
      ...base,
      auth_strategy: defined({
        id: s.id,
        name: s.display_name || s.name,
        credential_type: 'key_auth',
        key_names: Array.isArray(cfg['key_names']) ? [...(cfg['key_names'] as string[])] : [],
        ttl: cfg['ttl'] ?? undefined,
      }),
    };
  }
  const cfg = s?.configs['openid-connect'] ?? {};
  return {
    ...base,
    client_id: a.client_id ?? '',
    dcr_provider: a.dcr_provider_id ? { id: a.dcr_provider_id } : null,
    auth_strategy: {
      id: a.auth_strategy_id,
      name: s ? s.display_name || s.name : 'deleted strategy',
      credential_type: a.dcr_provider_id ? 'client_credentials' : 'self_managed_client_credentials',
      auth_methods: Array.isArray(cfg['auth_methods']) ? [...(cfg['auth_methods'] as string[])] : [],
      available_scopes: Array.isArray(cfg['scopes']) ? [...(cfg['scopes'] as string[])] : [],
    },
    granted_scopes: a.scopes ? [...a.scopes] : null,
  };
}

/** Portal API view of an application (the developer's own). */
export function portalApplicationView(a: ApplicationRec, store: KonnectStore): Obj {
  const s = store.strategies.get(a.auth_strategy_id);
  return defined({
    id: a.id,
    name: a.name,
    description: a.description,
    redirect_uri: a.redirect_uri,
    client_id: a.client_id ?? undefined,
    auth_strategy: s ? portalStrategyView(s, store) : undefined,
    scopes: a.scopes ? [...a.scopes] : undefined,
    created_at: a.created_at,
    updated_at: a.updated_at,
  });
}

export function credentialListItemView(c: CredentialRec): Obj {
  if (c.type === 'api_key') {
    return {
      type: 'api_key',
      id: c.id,
      display_name: c.display_name ?? '',
      status: c.status,
      expires_at: c.expires_at,
      created_at: c.created_at,
    };
  }
  return {
    type: 'client_secret',
    id: c.id,
    display_name: c.display_name,
    client_id: c.client_id ?? '',
    created_at: c.created_at,
    expires_at: c.expires_at,
  };
}

export function adminRegistrationView(r: RegistrationRec, store: KonnectStore): Obj {
  const api = store.apis.get(r.api_id);
  const app = store.applications.get(r.application_id);
  return {
    id: r.id,
    created_at: r.created_at,
    updated_at: r.updated_at,
    status: r.status,
    api: { id: r.api_id, name: api?.name ?? '', version: api?.version ?? null, entity_type: 'api' },
    application: { id: r.application_id, name: app?.name ?? '' },
    ...consumerOf(r, store),
  };
}

/** The Gateway Consumer mapped to the registration's application in its API's Gateway context, if any. */
function consumerOf(r: RegistrationRec, store: KonnectStore): Obj {
  const cp = store.controlPlaneOfApi(r.api_id);
  const id = cp ? store.applicationConsumers.get(`${r.application_id}/${cp}`) : undefined;
  if (!cp || !id) return {};
  const body = store.gatewayConsumers.get(`${cp}/${id}`)?.body ?? {};
  return {
    consumer: defined({
      id,
      control_plane_id: cp,
      custom_id: typeof body['custom_id'] === 'string' ? body['custom_id'] : undefined,
      username: typeof body['username'] === 'string' ? body['username'] : undefined,
    }),
  };
}

export function portalRegistrationView(r: RegistrationRec, store: KonnectStore): Obj {
  const api = store.apis.get(r.api_id);
  return {
    id: r.id,
    status: r.status,
    application_id: r.application_id,
    api_name: api?.name ?? '',
    api_id: r.api_id,
    api_slug: api?.slug ?? '',
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}
