/**
 * The seeds' DCR setup, per provider flavour, driven over plain HTTP through the extension's own core client:
 * (Kong Identity: auth server + scope + claim →) DCR provider → openid_connect strategy → API published in a
 * portal with that strategy. Then a developer app (client registered at the IdP by Konnect), a client_credentials
 * token from the IdP's discovered token endpoint, and the gateway call.
 *
 * Used by the sandbox's end-to-end tests, by `npm start` (sample data) and by later in-host tests.
 */
import { createKonnectClient, createPortalClient, type KonnectClient } from '../src/core/api/index';
import type { AppAuthStrategy, DcrProvider } from '../src/core/model/index';
import type { ProviderType } from './contracts';
import { oktaOrgUrl } from './idp/drivers/drivers';
import type { Sandbox } from './index';

export const PROVIDER_TYPES: readonly ProviderType[] = ['kongIdentity', 'auth0', 'azureAd', 'curity', 'okta', 'http'];
export const USER_AGENT = 'konnect-dcr-sandbox-tests/0.1.0';

export function konnectClientFor(sb: Sandbox): KonnectClient {
  return createKonnectClient({
    baseUrl: sb.state.konnectUrl,
    token: sb.state.token,
    userAgent: USER_AGENT,
    timeoutMs: 15_000,
  });
}

/** What a strategy for this flavour looks like in the seeds, and how its token is asked for. */
export interface FlavourSetup {
  type: ProviderType;
  provider: DcrProvider;
  strategy: AppAuthStrategy;
  /** Extra token-request parameters the IdP needs (Auth0 audience, Azure v1 resource). */
  tokenParams: Record<string, string>;
  /** Scopes to request at the token endpoint (space-joined into `scope`); empty: none. */
  requestScopes: string[];
  /** Kong Identity only. */
  authServerId?: string;
}

/** Creates the IdP-side prerequisites, the DCR provider and its strategy. `suffix` keeps names unique. */
export async function setUpFlavour(
  sb: Sandbox,
  konnect: KonnectClient,
  type: ProviderType,
  suffix: string = type,
): Promise<FlavourSetup> {
  const f = sb.state.flavours;
  const name = `${type}-${suffix}`;
  const oidc = (issuer: string, credential_claim: string[], scopes: string[], extra: Record<string, unknown> = {}) => ({
    issuer,
    credential_claim,
    scopes,
    auth_methods: ['client_credentials', 'bearer'],
    ...extra,
  });
  switch (type) {
    case 'kongIdentity': {
      const as = await konnect.identity.authServers.create({
        name: `as-${suffix}`,
        audience: `https://api.sandbox.test/${suffix}`,
      });
      const scope = await konnect.identity.scopes.create(as.id, {
        name: 'orders:read',
        description: 'read orders',
        enabled: true,
      });
      await konnect.identity.claims.create(as.id, {
        name: 'client_name',
        value: '${ .Client.Name }',
        include_in_token: true,
        include_in_all_scopes: true,
        enabled: true,
      });
      const provider = await konnect.dcrProviders.create({ name, provider_type: 'kongIdentity', issuer: as.issuer });
      const strategy = await createStrategy(konnect, name, provider.id, oidc(as.issuer, ['sub'], [scope.name]));
      return { type, provider, strategy, tokenParams: {}, requestScopes: [scope.name], authServerId: as.id };
    }
    case 'auth0': {
      const provider = await konnect.dcrProviders.create({
        name,
        provider_type: 'auth0',
        issuer: f.auth0.issuer,
        dcr_config: {
          initial_client_id: f.auth0.initialClientId,
          initial_client_secret: f.auth0.initialClientSecret,
          initial_client_audience: f.auth0.managementApi,
        },
      });
      const strategy = await createStrategy(
        konnect,
        name,
        provider.id,
        oidc(f.auth0.issuer, ['azp'], ['read:data'], {
          token_post_args_names: ['audience'],
          token_post_args_values: [f.auth0.apiAudience],
          audience_required: [f.auth0.apiAudience],
        }),
      );
      return { type, provider, strategy, tokenParams: { audience: f.auth0.apiAudience }, requestScopes: ['read:data'] };
    }
    case 'azureAd': {
      const provider = await konnect.dcrProviders.create({
        name,
        provider_type: 'azureAd',
        issuer: f.azureAd.issuer,
        dcr_config: {
          initial_client_id: f.azureAd.initialClientId,
          initial_client_secret: f.azureAd.initialClientSecret,
        },
      });
      const strategy = await createStrategy(
        konnect,
        name,
        provider.id,
        oidc(f.azureAd.issuer, ['appid'], ['api://konnect-sandbox/.default']),
      );
      return { type, provider, strategy, tokenParams: { resource: 'api://konnect-sandbox' }, requestScopes: [] };
    }
    case 'curity': {
      // The Kong how-to gives Curity's issuer as its discovery URL; Konnect accepts that form.
      const provider = await konnect.dcrProviders.create({
        name,
        provider_type: 'curity',
        issuer: f.curity.discoveryUrl,
        dcr_config: {
          initial_client_id: f.curity.initialClientId,
          initial_client_secret: f.curity.initialClientSecret,
        },
      });
      const strategy = await createStrategy(konnect, name, provider.id, oidc(f.curity.issuer, ['sub'], ['read']));
      return { type, provider, strategy, tokenParams: {}, requestScopes: ['read'] };
    }
    case 'okta': {
      const provider = await konnect.dcrProviders.create({
        name,
        provider_type: 'okta',
        issuer: f.okta.issuer,
        dcr_config: { dcr_token: f.okta.dcrToken },
      });
      const strategy = await createStrategy(
        konnect,
        name,
        provider.id,
        oidc(f.okta.issuer, [f.okta.clientIdClaim], ['api:read']),
      );
      return { type, provider, strategy, tokenParams: {}, requestScopes: ['api:read'] };
    }
    case 'http': {
      const provider = await konnect.dcrProviders.create({
        name,
        provider_type: 'http',
        issuer: f.http.issuer,
        dcr_config: { dcr_base_url: f.http.dcrBaseUrl, api_key: f.http.apiKey },
      });
      const strategy = await createStrategy(
        konnect,
        name,
        provider.id,
        oidc(f.http.issuer, ['client_id'], ['orders:read']),
      );
      return { type, provider, strategy, tokenParams: {}, requestScopes: ['orders:read'] };
    }
  }
}

function createStrategy(
  konnect: KonnectClient,
  name: string,
  dcrProviderId: string,
  config: Record<string, unknown> & {
    issuer: string;
    credential_claim: string[];
    scopes: string[];
    auth_methods: string[];
  },
): Promise<AppAuthStrategy> {
  return konnect.authStrategies.create({
    name,
    display_name: name,
    strategy_type: 'openid_connect',
    dcr_provider_id: dcrProviderId,
    configs: { 'openid-connect': config },
  });
}

const slugifyName = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'service';

export interface Published {
  apiId: string;
  slug: string;
  portalId: string;
  portalApiUrl: string;
}

/** An API (with a gateway implementation) published to a (new or given) portal with one strategy, auto-approved. */
export async function publish(
  sb: Sandbox,
  konnect: KonnectClient,
  strategyId: string,
  apiName: string,
  portalId?: string,
): Promise<Published> {
  const api = await konnect.apis.create({ name: apiName, version: 'v1' });
  // a Gateway Service in a control plane, with the Konnect Application Auth plugin enforcing the strategy on it
  const controlPlaneId = crypto.randomUUID();
  const service = await konnect.controlPlaneConfig.createService(controlPlaneId, {
    name: slugifyName(apiName),
    host: 'upstream.sandbox.invalid',
  });
  await konnect.controlPlaneConfig.createPlugin(controlPlaneId, {
    name: 'konnect-application-auth',
    service: { id: service.id },
    config: {},
  });
  await konnect.apiImplementations.create(api.id, { service: { control_plane_id: controlPlaneId, id: service.id } });
  const portal = portalId
    ? await konnect.portals.get(portalId)
    : await konnect.portals.create({ name: `portal-${apiName}`, auto_approve_applications: true });
  await konnect.apiPublications.publish(api.id, portal.id, {
    auth_strategy_ids: [strategyId],
    visibility: 'public',
    auto_approve_registrations: true,
  });
  if (!api.slug) throw new Error(`API ${api.id} has no slug`);
  return { apiId: api.id, slug: api.slug, portalId: portal.id, portalApiUrl: sb.konnect.portalApiUrl(portal.id) };
}

export interface DeveloperApp {
  applicationId: string;
  clientId: string;
  clientSecret: string;
}

/** A developer signs in to the portal and creates an application with the strategy; optionally registers it for an API. */
export async function createApp(
  sb: Sandbox,
  portalApiUrl: string,
  strategyId: string,
  name: string,
  registerFor?: string,
): Promise<DeveloperApp> {
  const portal = createPortalClient({ portalUrl: portalApiUrl, userAgent: USER_AGENT, timeoutMs: 15_000 });
  try {
    await portal.authenticate({ username: sb.state.developer.email, password: sb.state.developer.password });
    const app = await portal.createApplication({ name, auth_strategy_id: strategyId });
    if (!app.client_id || !app.client_secret)
      throw new Error(`application ${name} came back without client credentials`);
    if (registerFor) await portal.createRegistration(app.id, { api_id: registerFor });
    return { applicationId: app.id, clientId: app.client_id, clientSecret: app.client_secret };
  } finally {
    await portal.close();
  }
}

/**
 * A client an admin created in the Okta flavour by hand (with the org's API token, as in Okta's console): what
 * admin-mode Prove DCR links its test application to, and must never delete.
 */
export async function createOktaClient(sb: Sandbox, name: string): Promise<{ clientId: string; clientSecret: string }> {
  const f = sb.state.flavours.okta;
  const res = await fetch(`${oktaOrgUrl(f.issuer)}/oauth2/v1/clients`, {
    method: 'POST',
    headers: { authorization: `SSWS ${f.dcrToken}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      client_name: name,
      application_type: 'service',
      grant_types: ['client_credentials'],
      response_types: ['token'],
      token_endpoint_auth_method: 'client_secret_post',
    }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await res.json()) as { client_id?: unknown; client_secret?: unknown };
  if (res.status !== 201 || typeof body.client_id !== 'string' || typeof body.client_secret !== 'string')
    throw new Error(`creating an Okta client answered ${res.status}`);
  return { clientId: body.client_id, clientSecret: body.client_secret };
}

/** The token endpoint from the issuer's discovery document (issuer may itself be the discovery URL, as for Curity). */
export async function discoverTokenEndpoint(issuer: string): Promise<string> {
  const url = issuer.includes('/.well-known/')
    ? issuer
    : `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`discovery ${url} answered ${res.status}`);
  const doc = (await res.json()) as { token_endpoint?: unknown };
  if (typeof doc.token_endpoint !== 'string') throw new Error(`discovery ${url} has no token_endpoint`);
  return doc.token_endpoint;
}

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** client_credentials with client_secret_post (how Konnect registers DCR clients). */
export async function requestToken(
  setup: FlavourSetup,
  app: { clientId: string; clientSecret: string },
): Promise<TokenAnswer> {
  const cfg = 'openid-connect' in setup.strategy.configs ? setup.strategy.configs['openid-connect'] : undefined;
  const endpoint = await discoverTokenEndpoint(cfg?.issuer ?? setup.provider.issuer);
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: app.clientId,
    client_secret: app.clientSecret,
    ...setup.tokenParams,
  });
  if (setup.requestScopes.length) form.set('scope', setup.requestScopes.join(' '));
  const res = await fetch(endpoint, {
    method: 'POST',
    body: form,
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export async function callGateway(
  sb: Sandbox,
  slug: string,
  token?: string,
): Promise<{ status: number; wwwAuthenticate: string | null; body: unknown }> {
  const res = await fetch(`${sb.state.gatewayUrl}/${slug}/anything`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, wwwAuthenticate: res.headers.get('www-authenticate'), body };
}
