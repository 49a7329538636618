/**
 * Application lifecycle shared by the Portal API (developer) and Portal Management (admin) routes. This is where
 * the emulator does what Konnect does on a DCR strategy: register / delete / rotate the client at the IdP through
 * the provider type's `DcrDriver`.
 */
import type { ClientRegistrationRequest, DcrDriver, DcrEventHook, LeftAtIdp } from '../contracts';
import { DcrDriverError } from '../contracts';
import type { Core } from './core';
import { type HttpError, badRequest, conflict, notFound } from './http';
import {
  type ApplicationRec,
  type CredentialRec,
  type DeveloperRec,
  type PortalRec,
  type ProviderRec,
  type RegistrationRec,
  type RegistrationStatus,
  type StrategyRec,
  now,
  randomAlnum,
  uuid,
} from './store';

const AUTH_METHOD_GRANTS: Record<string, string> = {
  client_credentials: 'client_credentials',
  authorization_code: 'authorization_code',
  refresh_token: 'refresh_token',
  password: 'password',
};

const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

export function driverFailure(e: unknown, what: string): HttpError {
  const msg = e instanceof Error ? e.message : String(e);
  return badRequest(
    [{ field: 'auth_strategy_id', rule: 'invalid', reason: `${what}: ${msg}`, source: 'body' }],
    `${what}: ${msg}`,
  );
}

export interface ProviderAndDriver {
  provider: ProviderRec;
  driver: DcrDriver;
}

/** The provider and its driver for a DCR application (400 when the sandbox has no driver for the type). */
export function dcrFor(core: Core, providerId: string | null): ProviderAndDriver | undefined {
  if (!providerId) return undefined;
  const provider = core.store.providers.get(providerId);
  if (!provider) return undefined;
  const driver = core.driverFor(provider.provider_type);
  if (!driver) {
    throw badRequest([
      {
        field: 'auth_strategy_id',
        rule: 'invalid',
        reason: `no DCR driver for provider_type ${provider.provider_type} in this sandbox`,
        source: 'body',
      },
    ]);
  }
  return { provider, driver };
}

/** `audience` from the strategy's openid-connect extras (Auth0's token_post_args), if any. */
function audienceOf(cfg: Record<string, unknown>): string | undefined {
  if (typeof cfg['audience'] === 'string') return cfg['audience'];
  const names = strs(cfg['token_post_args_names']);
  const values = strs(cfg['token_post_args_values']);
  const i = names.indexOf('audience');
  return i >= 0 ? values[i] : undefined;
}

export interface CreateAppInput {
  portal: PortalRec;
  developer: DeveloperRec;
  name: string;
  description: string | null;
  strategyId: string | null | undefined;
  clientId?: string;
  /** PM3 `dcr_client_id`: link an existing client of the DCR provider instead of registering a new one. */
  dcrClientId?: string;
  redirectUri?: string;
  scopes?: string[];
  signal: AbortSignal;
}

/** Creates an application; for DCR strategies registers the client at the IdP. Returns the one-time secret too. */
export async function createApplication(
  core: Core,
  input: CreateAppInput,
): Promise<{ app: ApplicationRec; strategy: StrategyRec; clientSecret?: string }> {
  const { store } = core;
  const { portal, developer } = input;
  const strategyId = input.strategyId ?? portal.default_application_auth_strategy_id;
  if (!strategyId) {
    throw badRequest([
      {
        field: 'auth_strategy_id',
        rule: 'required',
        reason: '"auth_strategy_id" is required: the portal has no default application auth strategy',
        source: 'body',
      },
    ]);
  }
  const strategy = store.strategies.get(strategyId);
  if (!strategy || !store.portalStrategyIds(portal.id).has(strategyId)) {
    throw notFound(
      `Application auth strategy ${strategyId} is not available in portal "${portal.name}" (it must be used by an API published there, or be the portal default)`,
    );
  }
  for (const a of store.applications.values()) {
    if (a.portal_id === portal.id && a.owner.id === developer.id && a.name === input.name)
      throw conflict(`An application named "${input.name}" already exists`);
  }
  const cfg = strategy.configs['openid-connect'] ?? {};
  const strategyScopes = strs(cfg['scopes']);
  if (input.scopes) {
    const bad = input.scopes.filter((s) => !strategyScopes.includes(s));
    if (bad.length)
      throw badRequest([
        {
          field: 'scopes',
          rule: 'invalid',
          reason: `scopes not offered by the auth strategy: ${bad.join(', ')}`,
          source: 'body',
        },
      ]);
  }
  const ts = now();
  const app: ApplicationRec = {
    id: uuid(),
    portal_id: portal.id,
    name: input.name,
    description: input.description,
    auth_strategy_id: strategy.id,
    owner: { type: 'developer', id: developer.id },
    client_id: null,
    dcr_provider_id: null,
    redirect_uri: input.redirectUri ?? null,
    scopes: input.scopes ?? null,
    labels: {},
    credentials: [],
    created_at: ts,
    updated_at: ts,
  };
  let clientSecret: string | undefined;
  if (strategy.strategy_type === 'key_auth') {
    if (input.clientId !== undefined)
      throw badRequest([
        {
          field: 'client_id',
          rule: 'invalid',
          reason: 'client_id cannot be set for a key_auth application',
          source: 'body',
        },
      ]);
  } else if (strategy.dcr_provider_id) {
    if (input.clientId !== undefined) {
      throw badRequest([
        {
          field: 'client_id',
          rule: 'invalid',
          reason: 'client_id cannot be set when using Dynamic Client Registration',
          source: 'body',
        },
      ]);
    }
    if (input.dcrClientId !== undefined) {
      await linkClient(core, app, strategy.dcr_provider_id, input.dcrClientId, input.signal);
      store.applications.set(app.id, app);
      return { app, strategy };
    }
    const dcr = dcrFor(core, strategy.dcr_provider_id);
    if (!dcr)
      throw badRequest([
        {
          field: 'auth_strategy_id',
          rule: 'missing_reference',
          reason: "the auth strategy's DCR provider no longer exists",
          source: 'body',
        },
      ]);
    const authMethods = strs(cfg['auth_methods']);
    const grants = [
      ...new Set(authMethods.map((m) => AUTH_METHOD_GRANTS[m]).filter((g): g is string => g !== undefined)),
    ];
    const request: ClientRegistrationRequest = {
      application_id: app.id,
      application_name: app.name,
      portal_id: portal.id,
      organization_id: store.organizationId,
      developer_id: developer.id,
      auth_strategy_id: strategy.id,
      dcr_provider_id: dcr.provider.id,
      scopes: input.scopes ?? strategyScopes,
      auth_methods: authMethods,
      credential_claim: strs(cfg['credential_claim']),
      grant_types: grants.length ? grants : ['client_credentials'],
      redirect_uris: input.redirectUri ? [input.redirectUri] : [],
      token_endpoint_auth_method: 'client_secret_post',
      portal_url: `https://${portal.canonical_domain || portal.default_domain}`,
    };
    if (app.description !== null) request.application_description = app.description;
    const audience = audienceOf(cfg);
    if (audience !== undefined) request.audience = audience;
    let registered;
    try {
      registered = await core.callDriver(input.signal, (sig) =>
        dcr.driver.register(structuredClone(dcr.provider), request, sig),
      );
    } catch (e) {
      if (e instanceof DcrDriverError && e.leftAtIdp)
        leaveAtIdp(core, app, dcr.provider, e.leftAtIdp.client_id, 'create_application', e.leftAtIdp.reason);
      throw driverFailure(e, 'Unable to create the DCR application');
    }
    app.client_id = registered.client_id;
    app.dcr_provider_id = dcr.provider.id;
    if (registered.management) app.dcr_management = registered.management;
    clientSecret = registered.client_secret;
    app.credentials.push({
      id: uuid(),
      type: 'client_secret',
      display_name: null,
      client_id: registered.client_id,
      status: 'active',
      expires_at: null,
      created_at: ts,
    });
  } else {
    // self-managed client credentials: the developer brings the client id
    if (!input.clientId)
      throw badRequest([
        {
          field: 'client_id',
          rule: 'required',
          reason: '"client_id" is required for a self-managed client credentials strategy',
          source: 'body',
        },
      ]);
    app.client_id = input.clientId;
  }
  if (input.dcrClientId !== undefined && !app.dcr_linked)
    throw badRequest([
      {
        field: 'dcr_client_id',
        rule: 'invalid',
        reason: 'dcr_client_id can only be set for an auth strategy with a DCR provider',
        source: 'body',
      },
    ]);
  store.applications.set(app.id, app);
  return clientSecret === undefined ? { app, strategy } : { app, strategy, clientSecret };
}

/**
 * `dcr_client_id`: the application uses a client that already exists in the DCR provider's IdP. Where the driver can
 * read clients it must exist (else 400); the application is marked linked, so its deletion leaves the client alone.
 */
async function linkClient(
  core: Core,
  app: ApplicationRec,
  providerId: string,
  clientId: string,
  signal: AbortSignal,
): Promise<void> {
  const dcr = dcrFor(core, providerId);
  const invalid = (reason: string) =>
    badRequest([{ field: 'dcr_client_id', rule: 'invalid', reason, source: 'body' }], reason);
  if (!dcr) throw invalid("the auth strategy's DCR provider no longer exists");
  const exists = dcr.driver.clientExists?.bind(dcr.driver);
  if (exists) {
    let found: boolean;
    try {
      found = await core.callDriver(signal, (sig) => exists(structuredClone(dcr.provider), clientId, sig));
    } catch (e) {
      throw driverFailure(e, 'Unable to look up the DCR client');
    }
    if (!found) throw invalid(`client "${clientId}" does not exist in the DCR provider`);
  }
  app.client_id = clientId;
  app.dcr_provider_id = dcr.provider.id;
  app.dcr_linked = true;
  app.credentials.push({
    id: uuid(),
    type: 'client_secret',
    display_name: null,
    client_id: clientId,
    status: 'active',
    expires_at: null,
    created_at: app.created_at,
  });
}

/** Records an IdP client Konnect could not delete (or roll back): no Konnect answer says so, the sandbox does. */
function leaveAtIdp(
  core: Core,
  app: ApplicationRec,
  provider: ProviderRec,
  clientId: string,
  during: LeftAtIdp['during'],
  reason: string,
): void {
  core.store.leftAtIdp.push({
    client_id: clientId,
    dcr_provider_id: provider.id,
    provider_type: provider.provider_type,
    application_id: app.id,
    application_name: app.name,
    during,
    reason,
    at: now(),
  });
}

/**
 * Deletes an application and its registrations; the IdP client goes through the driver, with the RFC 7592
 * management fields of its registration. A failed IdP deletion does not block (the answer is 204 as the spec
 * declares no other), but it is not forgotten either: the client is recorded in `store.leftAtIdp`.
 */
export async function deleteApplication(core: Core, app: ApplicationRec, signal: AbortSignal): Promise<void> {
  const { store } = core;
  if (app.client_id && app.dcr_provider_id && !app.dcr_linked) {
    const provider = store.providers.get(app.dcr_provider_id);
    const driver = provider ? core.driverFor(provider.provider_type) : undefined;
    const clientId = app.client_id;
    if (!provider || !driver) {
      if (provider)
        leaveAtIdp(
          core,
          app,
          provider,
          clientId,
          'delete_application',
          `no DCR driver for provider_type ${provider.provider_type} in this sandbox`,
        );
    } else {
      try {
        const management = app.dcr_management;
        await core.callDriver(signal, (sig) =>
          driver.deleteClient(structuredClone(provider), clientId, sig, management),
        );
      } catch (e) {
        leaveAtIdp(core, app, provider, clientId, 'delete_application', e instanceof Error ? e.message : String(e));
      }
    }
  }
  for (const [k, r] of store.registrations) if (r.application_id === app.id) store.registrations.delete(k);
  for (const k of store.applicationConsumers.keys())
    if (k.startsWith(`${app.id}/`)) store.applicationConsumers.delete(k);
  store.applications.delete(app.id);
}

export async function regenerateSecret(
  core: Core,
  app: ApplicationRec,
  signal: AbortSignal,
): Promise<{ client_id: string; client_secret: string }> {
  if (!app.client_id || !app.dcr_provider_id) {
    throw badRequest([
      {
        field: 'applicationId',
        rule: 'invalid',
        reason: 'only applications using Dynamic Client Registration have a secret to regenerate',
        source: 'path',
      },
    ]);
  }
  if (app.credentials.length > 1)
    throw conflict('The application has more than one credential: rotate them through /credentials instead');
  const dcr = dcrFor(core, app.dcr_provider_id);
  if (!dcr)
    throw badRequest([
      {
        field: 'applicationId',
        rule: 'missing_reference',
        reason: "the application's DCR provider no longer exists",
        source: 'path',
      },
    ]);
  if (dcr.provider.provider_type === 'http' && dcr.provider.dcr_config['disable_refresh_secret'] === true) {
    throw badRequest([
      {
        field: 'applicationId',
        rule: 'invalid',
        reason: 'secret refresh is disabled for this DCR provider (disable_refresh_secret)',
        source: 'path',
      },
    ]);
  }
  try {
    const clientId = app.client_id;
    const management = app.dcr_management;
    const r = await core.callDriver(signal, (sig) =>
      dcr.driver.newSecret(structuredClone(dcr.provider), clientId, sig, management),
    );
    if (r.management) app.dcr_management = r.management;
    app.updated_at = now();
    return { client_id: r.client_id, client_secret: r.client_secret };
  } catch (e) {
    if (e instanceof DcrDriverError && e.status === 404) throw notFound(e.message);
    throw driverFailure(e, 'Unable to regenerate the client secret');
  }
}

/** A new API key for a key_auth application (returned once, kept for the gateway). */
export function newApiKey(strategy: StrategyRec, displayName: string | undefined, count: number): CredentialRec {
  const ttl = strategy.configs['key-auth']?.['ttl'] as { value?: number; unit?: string } | undefined;
  let expires_at: string | null = null;
  if (ttl?.value && ttl.unit) {
    const days = ttl.unit === 'weeks' ? 7 : ttl.unit === 'years' ? 365 : 1;
    expires_at = new Date(Date.now() + ttl.value * days * 86_400_000).toISOString();
  }
  return {
    id: uuid(),
    type: 'api_key',
    display_name: displayName ?? `Credential ${count + 1}`,
    key: randomAlnum(32),
    status: 'active',
    expires_at,
    created_at: now(),
  };
}

/**
 * HTTP DCR bridges get event hooks (update_application, add_registration, remove_registration) through the driver's
 * optional `eventHook`; the driver itself skips them when the provider has `disable_event_hooks`. `strict`: a failure
 * is a 400 (the caller's change is not made); otherwise it is ignored.
 */
export async function sendEventHook(
  core: Core,
  app: ApplicationRec,
  event: Pick<DcrEventHook, 'event_type' | 'redirect_uris' | 'api_product_version_id'>,
  signal: AbortSignal,
  strict: boolean,
): Promise<void> {
  if (!app.client_id || !app.dcr_provider_id) return;
  const provider = core.store.providers.get(app.dcr_provider_id);
  const driver = provider ? core.driverFor(provider.provider_type) : undefined;
  if (!provider || !driver?.eventHook) return;
  const strategy = core.store.strategies.get(app.auth_strategy_id);
  const body: DcrEventHook = {
    event_type: event.event_type,
    application_id: app.id,
    application_name: app.name,
    application_description: app.description ?? '',
    portal_id: app.portal_id,
    organization_id: core.store.organizationId,
    developer_id: app.owner.id,
    auth_strategy_id: app.auth_strategy_id,
    dcr_provider_id: provider.id,
  };
  if (event.redirect_uris) body.redirect_uris = event.redirect_uris;
  if (event.api_product_version_id) body.api_product_version_id = event.api_product_version_id;
  const audience = strategy ? audienceOf(strategy.configs['openid-connect'] ?? {}) : undefined;
  if (audience !== undefined && event.event_type !== 'update_application') body.audience = audience;
  try {
    const clientId = app.client_id;
    const hook = driver.eventHook.bind(driver);
    await core.callDriver(signal, (sig) => hook(structuredClone(provider), clientId, body, sig));
  } catch (e) {
    if (strict) throw driverFailure(e, `The DCR provider refused the ${event.event_type} event hook`);
  }
}

/** Registers an application for an API published in its portal. */
export async function createRegistration(
  core: Core,
  app: ApplicationRec,
  apiId: string,
  signal: AbortSignal,
  status?: RegistrationStatus,
): Promise<RegistrationRec> {
  const { store } = core;
  const api = store.apis.get(apiId);
  if (!api) throw notFound(`API ${apiId} not found`);
  const portal = store.portals.get(app.portal_id);
  const pub = store.publications.get(`${api.id}/${app.portal_id}`);
  if (!pub || !portal) throw notFound(`API "${api.name}" is not published to this portal`);
  if (!pub.auth_strategy_ids?.includes(app.auth_strategy_id)) {
    throw badRequest([
      {
        field: 'api_id',
        rule: 'invalid',
        reason: `API "${api.name}" is published with ${pub.auth_strategy_ids ? `auth strategy ${pub.auth_strategy_ids.join(', ')}` : 'no application auth'}, not with the application's auth strategy ${app.auth_strategy_id}`,
        source: 'body',
      },
    ]);
  }
  for (const r of store.registrations.values()) {
    if (r.application_id === app.id && r.api_id === api.id)
      throw conflict(`Application "${app.name}" is already registered for API "${api.name}"`);
  }
  const auto = pub.auto_approve_registrations ?? portal.auto_approve_applications;
  const ts = now();
  const reg: RegistrationRec = {
    id: uuid(),
    application_id: app.id,
    portal_id: app.portal_id,
    api_id: api.id,
    status: status ?? (auto ? 'approved' : 'pending'),
    created_at: ts,
    updated_at: ts,
  };
  await sendEventHook(core, app, { event_type: 'add_registration', api_product_version_id: api.id }, signal, true);
  store.registrations.set(reg.id, reg);
  return reg;
}

/** Removes a registration (the bridge hears remove_registration; its failure does not block). */
export async function deleteRegistration(
  core: Core,
  app: ApplicationRec,
  reg: RegistrationRec,
  signal: AbortSignal,
): Promise<void> {
  core.store.registrations.delete(reg.id);
  await sendEventHook(
    core,
    app,
    { event_type: 'remove_registration', api_product_version_id: reg.api_id },
    signal,
    false,
  );
}
