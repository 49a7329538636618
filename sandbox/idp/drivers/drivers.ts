// The DCR drivers: what Konnect does against each IdP's own registration API, from a StoredDcrProvider alone
// (issuer, dcr_config, write-only secrets). They work against the sandbox flavours and, by construction, follow
// the real vendors' URL layouts (Okta org + /oauth2/v1/clients, Auth0 tenant + /api/v2/, Graph, RFC 7591).
import {
  DcrDriverError,
  type ClientManagement,
  type ClientRegistrationRequest,
  type DcrDriver,
  type DcrEventHook,
  type RegisteredClient,
  type StoredDcrProvider,
} from '../../contracts';
import { OIDC_SCOPES } from '../scopes';
import {
  WELL_KNOWN,
  call,
  type CallResult,
  clientCredentialsToken,
  describe,
  discover,
  managementOf,
  ok,
  refused,
  requireConfig,
  requireSecret,
  secretOf,
  verifySteps,
  withClientCredentials,
} from './common';

const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
  body: JSON.stringify(body),
});

// ---------------------------------------------------------------------------------------------------------------
// Okta: the org's client API with an API token (SSWS).

/** The Okta org URL from an authorization-server issuer ({org}/oauth2/{id}). */
export function oktaOrgUrl(issuer: string): string {
  const u = new URL(issuer.endsWith(WELL_KNOWN) ? issuer.slice(0, -WELL_KNOWN.length) : issuer);
  const i = u.pathname.indexOf('/oauth2/');
  return `${u.origin}${(i >= 0 ? u.pathname.slice(0, i) : u.pathname).replace(/\/+$/, '')}`;
}

export const oktaDriver: DcrDriver = {
  verify(provider, signal) {
    return verifySteps(async () => {
      await discover(provider.issuer, signal);
      const r = await call(
        `${oktaOrgUrl(provider.issuer)}/oauth2/v1/clients?limit=1`,
        { headers: ssws(provider) },
        signal,
        'Okta client API',
      );
      if (r.status === 401 || r.status === 403)
        throw new DcrDriverError(`Okta rejected the DCR token: ${describe(r)}.`, 400);
      if (!ok(r)) throw refused('Listing Okta clients', r);
    }, signal);
  },
  async register(provider, request, signal) {
    const r = await call(
      `${oktaOrgUrl(provider.issuer)}/oauth2/v1/clients`,
      {
        method: 'POST',
        ...json(
          {
            client_name: request.application_name,
            application_type: 'service',
            grant_types: withClientCredentials(request.grant_types),
            response_types: ['token'],
            token_endpoint_auth_method: request.token_endpoint_auth_method,
            redirect_uris: request.redirect_uris,
          },
          ssws(provider),
        ),
      },
      signal,
      'Okta client registration',
    );
    if (r.status !== 201 && r.status !== 200) throw refused('Registering the client in Okta', r);
    const clientId = secretOf(r.json, 'client_id', 'Okta registration');
    return {
      client_id: clientId,
      client_secret: await secretOrRollBack(r.json, clientId, 'Okta registration', () =>
        oktaDriver.deleteClient(provider, clientId, signal),
      ),
    };
  },
  async deleteClient(provider, clientId, signal) {
    const r = await call(
      `${oktaOrgUrl(provider.issuer)}/oauth2/v1/clients/${encodeURIComponent(clientId)}`,
      { method: 'DELETE', headers: ssws(provider) },
      signal,
      'Okta client deletion',
    );
    if (!ok(r) && r.status !== 404) throw refused(`Deleting Okta client ${clientId}`, r);
  },
  async clientExists(provider, clientId, signal) {
    const r = await call(
      `${oktaOrgUrl(provider.issuer)}/oauth2/v1/clients/${encodeURIComponent(clientId)}`,
      { headers: ssws(provider) },
      signal,
      'Okta client lookup',
    );
    if (r.status === 404) return false;
    if (!ok(r)) throw refused(`Reading Okta client ${clientId}`, r);
    return true;
  },
  async newSecret(provider, clientId, signal) {
    const r = await call(
      `${oktaOrgUrl(provider.issuer)}/oauth2/v1/clients/${encodeURIComponent(clientId)}/lifecycle/newSecret`,
      { method: 'POST', headers: ssws(provider) },
      signal,
      'Okta secret rotation',
    );
    if (!ok(r)) throw refused(`Rotating the secret of Okta client ${clientId}`, r);
    return { client_id: clientId, client_secret: secretOf(r.json, 'client_secret', 'Okta secret rotation') };
  },
};

function ssws(provider: StoredDcrProvider): Record<string, string> {
  return { authorization: `SSWS ${requireSecret(provider, 'dcr_token')}`, accept: 'application/json' };
}

// ---------------------------------------------------------------------------------------------------------------
// Auth0: Management API token (client_credentials for {tenant}/api/v2/), then clients + client-grants.

/** The tenant base URL with a trailing slash, from an issuer given as https://t.auth0.com, …/, …/api/v2/ or the discovery URL. */
export function auth0TenantUrl(issuer: string): string {
  let s = issuer.trim();
  if (s.endsWith(WELL_KNOWN)) s = s.slice(0, -WELL_KNOWN.length);
  s = s.replace(/\/+$/, '').replace(/\/api\/v2$/, '');
  return `${s}/`;
}

async function auth0Management(
  provider: StoredDcrProvider,
  signal: AbortSignal | undefined,
): Promise<{ api: string; token: string }> {
  const tenant = auth0TenantUrl(provider.issuer);
  const configured = provider.dcr_config['initial_client_audience'];
  const audience = typeof configured === 'string' && configured ? configured : `${tenant}api/v2/`;
  const token = await clientCredentialsToken(
    {
      tokenEndpoint: `${tenant}oauth/token`,
      clientId: requireConfig(provider, 'initial_client_id'),
      clientSecret: requireSecret(provider, 'initial_client_secret'),
      auth: 'json',
      params: { audience },
      who: 'the initial client',
    },
    signal,
  );
  return { api: `${tenant}api/v2/`, token };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * A registration that failed after the client was created at the IdP: delete it again (`remove` throws when the IdP
 * did not) and rethrow the failure. When the deletion fails too, say so and mark the client as left at the IdP.
 */
async function rollBack(clientId: string, failure: unknown, remove: () => Promise<void>): Promise<never> {
  try {
    await remove();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const what = failure instanceof Error ? failure.message : String(failure);
    throw new DcrDriverError(
      `${what.replace(/\.$/, '')}; removing client ${clientId} again failed (${reason}): it is left at the IdP.`,
      failure instanceof DcrDriverError ? failure.status : 502,
      { client_id: clientId, reason },
    );
  }
  throw failure;
}

/** The client_secret of a registration answer; without one the new client is useless, so it is deleted again. */
async function secretOrRollBack(
  answer: unknown,
  clientId: string,
  what: string,
  remove: () => Promise<void>,
): Promise<string> {
  const secret = (answer as Record<string, unknown> | undefined)?.['client_secret'];
  if (typeof secret === 'string' && secret) return secret;
  return rollBack(
    clientId,
    new DcrDriverError(`${what}: the answer has client ${clientId} but no client_secret.`, 502),
    remove,
  );
}

/** A DELETE that must answer 2xx (or 404: already gone). */
function deleting(what: string, request: () => Promise<CallResult>): () => Promise<void> {
  return async () => {
    const r = await request();
    if (!ok(r) && r.status !== 404) throw refused(what, r);
  };
}

export const auth0Driver: DcrDriver = {
  verify(provider, signal) {
    return verifySteps(async () => {
      await discover(auth0TenantUrl(provider.issuer), signal);
      const { api, token } = await auth0Management(provider, signal);
      const r = await call(
        `${api}clients?per_page=1&fields=client_id`,
        { headers: { ...bearer(token), accept: 'application/json' } },
        signal,
        'Auth0 Management API',
      );
      if (!ok(r))
        throw new DcrDriverError(
          `The Auth0 Management API refused to list clients with the initial client's token: ${describe(r)}. Grant it read:clients, create:clients, delete:clients, update:client_keys and create:client_grants.`,
          400,
        );
    }, signal);
  },
  async register(provider, request, signal) {
    const { api, token } = await auth0Management(provider, signal);
    const created = await call(
      `${api}clients`,
      {
        method: 'POST',
        ...json(
          {
            name: request.application_name,
            ...(request.application_description ? { description: request.application_description.slice(0, 140) } : {}),
            app_type: 'non_interactive',
            grant_types: withClientCredentials(request.grant_types),
            token_endpoint_auth_method: request.token_endpoint_auth_method,
            callbacks: request.redirect_uris,
            client_metadata: {
              konnect_portal_id: request.portal_id,
              konnect_developer_id: request.developer_id,
              konnect_org_id: request.organization_id,
              konnect_application_id: request.application_id,
            },
          },
          bearer(token),
        ),
      },
      signal,
      'Auth0 client creation',
    );
    if (created.status !== 201 && created.status !== 200) throw refused('Creating the Auth0 application', created);
    const clientId = secretOf(created.json, 'client_id', 'Auth0 client creation');
    const removeClient = deleting(`Deleting Auth0 application ${clientId}`, () =>
      call(
        `${api}clients/${encodeURIComponent(clientId)}`,
        { method: 'DELETE', headers: bearer(token) },
        signal,
        'Auth0 client clean-up',
      ),
    );
    const client: RegisteredClient = {
      client_id: clientId,
      client_secret: await secretOrRollBack(created.json, clientId, 'Auth0 client creation', removeClient),
    };
    if (request.audience) {
      const granted = await call(
        `${api}client-grants`,
        {
          method: 'POST',
          ...json(
            {
              client_id: client.client_id,
              audience: request.audience,
              scope: request.scopes.filter((s) => !OIDC_SCOPES.has(s)),
            },
            bearer(token),
          ),
        },
        signal,
        'Auth0 client grant',
      );
      if (granted.status !== 201 && granted.status !== 200) {
        const why = refused(`Granting the new Auth0 application access to the API ${request.audience}`, granted);
        await rollBack(client.client_id, why, removeClient);
      }
    }
    return client;
  },
  async deleteClient(provider, clientId, signal) {
    const { api, token } = await auth0Management(provider, signal);
    const r = await call(
      `${api}clients/${encodeURIComponent(clientId)}`,
      { method: 'DELETE', headers: bearer(token) },
      signal,
      'Auth0 client deletion',
    );
    if (!ok(r) && r.status !== 404) throw refused(`Deleting Auth0 application ${clientId}`, r);
  },
  async clientExists(provider, clientId, signal) {
    const { api, token } = await auth0Management(provider, signal);
    const r = await call(
      `${api}clients/${encodeURIComponent(clientId)}`,
      { headers: { ...bearer(token), accept: 'application/json' } },
      signal,
      'Auth0 client lookup',
    );
    if (r.status === 404) return false;
    if (!ok(r)) throw refused(`Reading Auth0 application ${clientId}`, r);
    return true;
  },
  async newSecret(provider, clientId, signal) {
    const { api, token } = await auth0Management(provider, signal);
    const r = await call(
      `${api}clients/${encodeURIComponent(clientId)}/rotate-secret`,
      { method: 'POST', headers: bearer(token) },
      signal,
      'Auth0 secret rotation',
    );
    if (!ok(r)) throw refused(`Rotating the secret of Auth0 application ${clientId}`, r);
    return { client_id: clientId, client_secret: secretOf(r.json, 'client_secret', 'Auth0 secret rotation') };
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Azure AD: a Graph token for the initial client, then applications + addPassword + servicePrincipals.

const GRAPH = 'https://graph.microsoft.com';
const MICROSOFT_HOSTS = new Set(['sts.windows.net', 'login.microsoftonline.com', 'login.windows.net']);

/** Microsoft Graph for a real tenant; for any other host, the sibling "graph" path of the tenant (the sandbox). */
export function azureGraphUrl(issuer: string): string {
  const u = new URL(issuer.endsWith(WELL_KNOWN) ? issuer.slice(0, -WELL_KNOWN.length) : issuer);
  if (MICROSOFT_HOSTS.has(u.hostname)) return GRAPH;
  const segments = u.pathname.split('/').filter(Boolean);
  segments.pop();
  return `${u.origin}/${[...segments, 'graph'].join('/')}`;
}

async function azureGraph(
  provider: StoredDcrProvider,
  signal: AbortSignal | undefined,
): Promise<{ graph: string; token: string }> {
  const meta = await discover(provider.issuer, signal);
  const token = await clientCredentialsToken(
    {
      tokenEndpoint: String(meta['token_endpoint']),
      clientId: requireConfig(provider, 'initial_client_id'),
      clientSecret: requireSecret(provider, 'initial_client_secret'),
      auth: 'post',
      params: { resource: GRAPH },
      who: 'the initial client',
    },
    signal,
  );
  return { graph: `${azureGraphUrl(provider.issuer)}/v1.0`, token };
}

const byAppId = (graph: string, appId: string) => `${graph}/applications(appId='${encodeURIComponent(appId)}')`;

export const azureDriver: DcrDriver = {
  verify(provider, signal) {
    return verifySteps(async () => {
      const { graph, token } = await azureGraph(provider, signal);
      const r = await call(
        `${graph}/applications?$top=1`,
        { headers: { ...bearer(token), accept: 'application/json' } },
        signal,
        'Microsoft Graph',
      );
      if (!ok(r))
        throw new DcrDriverError(
          `Microsoft Graph refused to list applications with the initial client's token: ${describe(r)}. Grant it the Application.ReadWrite.All application permission.`,
          400,
        );
    }, signal);
  },
  async register(provider, request, signal) {
    const { graph, token } = await azureGraph(provider, signal);
    const app = await call(
      `${graph}/applications`,
      {
        method: 'POST',
        ...json(
          {
            displayName: request.application_name,
            ...(request.application_description ? { description: request.application_description.slice(0, 1024) } : {}),
            signInAudience: 'AzureADMyOrg',
            web: { redirectUris: request.redirect_uris },
            notes: `Konnect application ${request.application_id} (portal ${request.portal_id}, developer ${request.developer_id})`,
          },
          bearer(token),
        ),
      },
      signal,
      'Graph application creation',
    );
    if (app.status !== 201 && app.status !== 200) throw refused('Creating the Azure AD application', app);
    const appId = secretOf(app.json, 'appId', 'Graph application creation');
    try {
      const pw = await call(
        `${byAppId(graph, appId)}/addPassword`,
        { method: 'POST', ...json({ passwordCredential: { displayName: 'Konnect' } }, bearer(token)) },
        signal,
        'Graph addPassword',
      );
      if (!ok(pw)) throw refused('Adding a client secret to the Azure AD application', pw);
      const sp = await call(
        `${graph}/servicePrincipals`,
        { method: 'POST', ...json({ appId }, bearer(token)) },
        signal,
        'Graph service principal creation',
      );
      if (!ok(sp)) throw refused('Creating the service principal of the Azure AD application', sp);
      return { client_id: appId, client_secret: secretOf(pw.json, 'secretText', 'Graph addPassword') };
    } catch (err) {
      return rollBack(
        appId,
        err,
        deleting(`Deleting Azure AD application ${appId}`, () =>
          call(byAppId(graph, appId), { method: 'DELETE', headers: bearer(token) }, signal, 'Graph clean-up'),
        ),
      );
    }
  },
  async deleteClient(provider, clientId, signal) {
    const { graph, token } = await azureGraph(provider, signal);
    const r = await call(
      byAppId(graph, clientId),
      { method: 'DELETE', headers: bearer(token) },
      signal,
      'Graph application deletion',
    );
    if (!ok(r) && r.status !== 404) throw refused(`Deleting Azure AD application ${clientId}`, r);
  },
  // Portal Management: for AzureAD a dcr_client_id must resolve, or the application is not created
  async clientExists(provider, clientId, signal) {
    const { graph, token } = await azureGraph(provider, signal);
    const r = await call(
      byAppId(graph, clientId),
      { headers: { ...bearer(token), accept: 'application/json' } },
      signal,
      'Graph application read',
    );
    if (r.status === 404) return false;
    if (!ok(r)) throw refused(`Reading Azure AD application ${clientId}`, r);
    return true;
  },
  async newSecret(provider, clientId, signal) {
    const { graph, token } = await azureGraph(provider, signal);
    const app = await call(
      byAppId(graph, clientId),
      { headers: { ...bearer(token), accept: 'application/json' } },
      signal,
      'Graph application read',
    );
    if (!ok(app)) throw refused(`Reading Azure AD application ${clientId}`, app);
    const old = ((app.json as { passwordCredentials?: { keyId?: unknown }[] }).passwordCredentials ?? [])
      .map((p) => p.keyId)
      .filter((k): k is string => typeof k === 'string');
    const pw = await call(
      `${byAppId(graph, clientId)}/addPassword`,
      { method: 'POST', ...json({ passwordCredential: { displayName: 'Konnect' } }, bearer(token)) },
      signal,
      'Graph addPassword',
    );
    if (!ok(pw)) throw refused(`Adding a client secret to Azure AD application ${clientId}`, pw);
    for (const keyId of old) {
      const rm = await call(
        `${byAppId(graph, clientId)}/removePassword`,
        { method: 'POST', ...json({ keyId }, bearer(token)) },
        signal,
        'Graph removePassword',
      );
      if (!ok(rm)) throw refused(`Removing an old client secret of Azure AD application ${clientId}`, rm);
    }
    return { client_id: clientId, client_secret: secretOf(pw.json, 'secretText', 'Graph addPassword') };
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Curity: a one-time `dcr` token for the initial client, then RFC 7591 / 7592 at the registration endpoint.

async function curityEndpoints(
  provider: StoredDcrProvider,
  signal: AbortSignal | undefined,
): Promise<{ token: string; registration: string }> {
  const meta = await discover(provider.issuer, signal);
  const registration = meta['registration_endpoint'];
  if (typeof registration !== 'string') {
    throw new DcrDriverError(
      'The OpenID configuration has no registration_endpoint: enable Dynamic Client Registration in the Curity token profile.',
      400,
    );
  }
  return { token: String(meta['token_endpoint']), registration };
}

function curityDcrToken(
  provider: StoredDcrProvider,
  tokenEndpoint: string,
  signal: AbortSignal | undefined,
): Promise<string> {
  return clientCredentialsToken(
    {
      tokenEndpoint,
      clientId: requireConfig(provider, 'initial_client_id'),
      clientSecret: requireSecret(provider, 'initial_client_secret'),
      auth: 'basic',
      params: { scope: 'dcr' },
      who: 'the initial client',
    },
    signal,
  );
}

const RFC7592_READ_ONLY = [
  'registration_access_token',
  'registration_client_uri',
  'client_secret_expires_at',
  'client_id_issued_at',
  'client_secret',
];

/**
 * Deletes a Curity client. With the RFC 7592 fields of its registration answer: DELETE on the registration client
 * URI with the registration access token (RFC 7592 §2.3; 204, and a 401 when the token is not valid for the client,
 * which RFC 7592 also uses for a client that no longer exists: not taken as a deletion). Only when the IdP gave no
 * such fields: Curity's own way, a DCR admin token on {registration endpoint}/{client_id}.
 */
async function curityDelete(
  provider: StoredDcrProvider,
  clientId: string,
  management: ClientManagement | undefined,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (management) {
    const r = await call(
      management.registration_client_uri,
      { method: 'DELETE', headers: bearer(management.registration_access_token) },
      signal,
      'Curity client deletion',
    );
    if (ok(r) || r.status === 404) return;
    throw refused(`Deleting Curity client ${clientId} with its registration access token (RFC 7592)`, r);
  }
  const ep = await curityEndpoints(provider, signal);
  const dcr = await curityDcrToken(provider, ep.token, signal);
  const r = await call(
    `${ep.registration}/${encodeURIComponent(clientId)}`,
    { method: 'DELETE', headers: bearer(dcr) },
    signal,
    'Curity client deletion',
  );
  if (!ok(r) && r.status !== 404) throw refused(`Deleting Curity client ${clientId}`, r);
}

export const curityDriver: DcrDriver = {
  verify(provider, signal) {
    return verifySteps(async () => {
      const ep = await curityEndpoints(provider, signal);
      await curityDcrToken(provider, ep.token, signal);
    }, signal);
  },
  async register(provider, request, signal) {
    const ep = await curityEndpoints(provider, signal);
    const dcr = await curityDcrToken(provider, ep.token, signal);
    const scope = request.scopes.join(' ');
    const redirectUris = request.redirect_uris.length
      ? request.redirect_uris
      : request.portal_url
        ? [request.portal_url]
        : [];
    const r = await call(
      ep.registration,
      {
        method: 'POST',
        ...json(
          {
            client_name: request.application_name,
            // explicit: RFC 7591 §2 defaults an omitted grant_types to authorization_code and response_types to code
            grant_types: withClientCredentials(request.grant_types).filter(
              (g) => g === 'client_credentials' || request.redirect_uris.length > 0,
            ),
            response_types: [],
            token_endpoint_auth_method: request.token_endpoint_auth_method,
            ...(scope ? { scope } : {}),
            ...(redirectUris.length ? { redirect_uris: redirectUris } : {}),
          },
          bearer(dcr),
        ),
      },
      signal,
      'Curity client registration',
    );
    // RFC 7591 §3.2.1 says 201; some servers answer 200 with the same body, and that client exists just as much
    if (r.status !== 201 && r.status !== 200) throw refused('Registering the client in Curity', r);
    const answer = (r.json ?? {}) as Record<string, unknown>;
    const clientId = answer['client_id'];
    if (typeof clientId !== 'string' || !clientId)
      throw new DcrDriverError(`Curity registration answered HTTP ${r.status} without a client_id.`, 502);
    const management = managementOf(answer);
    const secret = await secretOrRollBack(answer, clientId, 'Curity registration', () =>
      curityDelete(provider, clientId, management, signal),
    );
    return { client_id: clientId, client_secret: secret, ...(management ? { management } : {}) };
  },
  deleteClient(provider, clientId, signal, management) {
    return curityDelete(provider, clientId, management, signal);
  },
  async newSecret(provider, clientId, signal, management) {
    // RFC 7592 §2.1 read and §2.2 update with the registration access token; the IdP's dcr admin token only without one
    const ep = management ? undefined : await curityEndpoints(provider, signal);
    const url = management?.registration_client_uri ?? `${ep!.registration}/${encodeURIComponent(clientId)}`;
    const auth = async () =>
      bearer(management?.registration_access_token ?? (await curityDcrToken(provider, ep!.token, signal)));
    const read = await call(
      url,
      { headers: { ...(await auth()), accept: 'application/json' } },
      signal,
      'Curity client read',
    );
    if (!ok(read)) throw refused(`Reading Curity client ${clientId}`, read);
    const metadata = { ...(read.json as Record<string, unknown>) };
    for (const k of RFC7592_READ_ONLY) delete metadata[k];
    const r = await call(url, { method: 'PUT', ...json(metadata, await auth()) }, signal, 'Curity client update');
    if (!ok(r)) throw refused(`Rotating the secret of Curity client ${clientId}`, r);
    // the update may come with a new registration access token: the old one is then no longer valid
    const next = managementOf(r.json) ?? management;
    return {
      client_id: clientId,
      client_secret: secretOf(r.json, 'client_secret', 'Curity client update'),
      ...(next ? { management: next } : {}),
    };
  },
};

// ---------------------------------------------------------------------------------------------------------------
// HTTP bridge: Kong's bridge contract at dcr_config.dcr_base_url with X-API-KEY.

function bridgeUrl(provider: StoredDcrProvider, path: string): string {
  return `${requireConfig(provider, 'dcr_base_url').replace(/\/+$/, '')}${path}`;
}

const apiKey = (provider: StoredDcrProvider) => ({ 'x-api-key': requireSecret(provider, 'api_key') });

export interface HttpDcrDriver extends DcrDriver {
  eventHook(provider: StoredDcrProvider, clientId: string, event: DcrEventHook, signal?: AbortSignal): Promise<void>;
}

export const httpDriver: HttpDcrDriver = {
  verify(provider, signal) {
    return verifySteps(async () => {
      await discover(provider.issuer, signal);
      // An empty registration: a bridge that accepts the key answers 400 (validation) without creating anything.
      const r = await call(
        bridgeUrl(provider, '/'),
        { method: 'POST', ...json({}, apiKey(provider)) },
        signal,
        'DCR bridge',
      );
      if (r.status === 401 || r.status === 403)
        throw new DcrDriverError(`The DCR bridge rejected the API key: ${describe(r)}.`, 400);
      if (r.status >= 500 || r.status === 404)
        throw new DcrDriverError(
          `The DCR bridge did not answer as the bridge contract says: ${describe(r)}. Check dcr_base_url.`,
          400,
        );
    }, signal);
  },
  async register(provider, request: ClientRegistrationRequest, signal) {
    const r = await call(
      bridgeUrl(provider, '/'),
      {
        method: 'POST',
        ...json(
          {
            redirect_uris: request.redirect_uris,
            client_name: request.application_name,
            grant_types: withClientCredentials(request.grant_types),
            scopes: request.scopes,
            token_endpoint_auth_method: request.token_endpoint_auth_method,
            application_description: request.application_description ?? '',
            portal_id: request.portal_id,
            organization_id: request.organization_id,
            developer_id: request.developer_id,
            auth_strategy_id: request.auth_strategy_id,
            dcr_provider_id: request.dcr_provider_id,
          },
          apiKey(provider),
        ),
      },
      signal,
      'DCR bridge registration',
    );
    if (!ok(r)) throw refused('Registering the client through the DCR bridge', r);
    const clientId = secretOf(r.json, 'client_id', 'DCR bridge registration');
    return {
      client_id: clientId,
      client_secret: await secretOrRollBack(r.json, clientId, 'DCR bridge registration', () =>
        httpDriver.deleteClient(provider, clientId, signal),
      ),
    };
  },
  async deleteClient(provider, clientId, signal) {
    const r = await call(
      bridgeUrl(provider, `/${encodeURIComponent(clientId)}`),
      { method: 'DELETE', headers: apiKey(provider) },
      signal,
      'DCR bridge deletion',
    );
    if (!ok(r) && r.status !== 404) throw refused(`Deleting client ${clientId} through the DCR bridge`, r);
  },
  async newSecret(provider, clientId, signal) {
    if (provider.dcr_config['disable_refresh_secret'] === true) {
      throw new DcrDriverError(
        'Refreshing the client secret is disabled for this DCR provider (dcr_config.disable_refresh_secret).',
        400,
      );
    }
    const r = await call(
      bridgeUrl(provider, `/${encodeURIComponent(clientId)}/new-secret`),
      { method: 'POST', headers: apiKey(provider) },
      signal,
      'DCR bridge secret refresh',
    );
    if (!ok(r)) throw refused(`Refreshing the secret of client ${clientId} through the DCR bridge`, r);
    return { client_id: clientId, client_secret: secretOf(r.json, 'client_secret', 'DCR bridge secret refresh') };
  },
  async eventHook(provider, clientId, event, signal) {
    if (provider.dcr_config['disable_event_hooks'] === true) return;
    const r = await call(
      bridgeUrl(provider, `/${encodeURIComponent(clientId)}/event-hook`),
      {
        method: 'POST',
        ...json({ ...event, client_id: clientId }, apiKey(provider)),
      },
      signal,
      'DCR bridge event hook',
    );
    if (!ok(r)) throw refused(`The ${event.event_type} event hook for client ${clientId}`, r);
  },
};

export const drivers = {
  auth0: auth0Driver,
  azureAd: azureDriver,
  curity: curityDriver,
  okta: oktaDriver,
  http: httpDriver,
} satisfies Record<'auth0' | 'azureAd' | 'curity' | 'okta' | 'http', DcrDriver>;
