// provider_type "auth0": an Auth0 tenant at {url}/auth0/ (Auth0 issuers end with a slash).
//
//   token            {issuer}oauth/token   form or JSON; `audience` is required (no default audience is configured)
//   Management API   {issuer}api/v2/       Bearer token of the initial client for audience {issuer}api/v2/
//                    clients (POST, GET, GET/PATCH/DELETE /{id}, POST /{id}/rotate-secret),
//                    client-grants (POST, GET ?client_id&audience, DELETE /{id}), resource-servers (GET)
//
// A client can only get tokens for an API (resource server) it has a client grant for, with the granted scopes.
// Tokens: iss, sub "<client_id>@clients", aud, azp, gty "client-credentials", scope (space-separated).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KoaContext, OidcClient } from 'oidc-provider';
import { ClientStore, type ClientRecord } from '../client-store';
import { loadJose } from '../esm';
import {
  HttpError,
  bearerToken,
  isRecord,
  randomId,
  randomSecret,
  readJsonObject,
  sendEmpty,
  sendJson,
  splitUrl,
  stringArray,
} from '../http-util';
import { createProvider, generateSigningKey, type TokenDecision } from '../provider';
import { OIDC_SCOPES, oauthError, requestedScopes } from '../scopes';
import { SECRET_METHODS, errorDetails, machineClientMetadata, validateClientMetadata, type Flavour } from './common';

export interface Auth0Api {
  identifier: string;
  name?: string;
  scopes: string[];
}

export interface Auth0FlavourOptions {
  /** APIs besides the Management API. Default: one, https://portal-api.konnect-sandbox.test, scopes read:data write:data. */
  apis?: Auth0Api[];
  initialClientId?: string;
  initialClientSecret?: string;
}

export interface Auth0FlavourInfo {
  /** With the trailing slash Auth0 puts in `iss`. */
  issuer: string;
  tokenEndpoint: string;
  /** Management API base URL and audience ({issuer}api/v2/). */
  managementApi: string;
  /** The first non-management API: what a strategy's audience would be. */
  apiAudience: string;
  apis: Auth0Api[];
  /** dcr_config.initial_client_id / initial_client_secret: a machine-to-machine app granted the Management API. */
  initialClientId: string;
  initialClientSecret: string;
}

export const AUTH0_MANAGEMENT_SCOPES = [
  'read:clients',
  'create:clients',
  'update:clients',
  'delete:clients',
  'update:client_keys',
  'read:client_grants',
  'create:client_grants',
  'update:client_grants',
  'delete:client_grants',
  'read:resource_servers',
];

/** The client_metadata keys Kong documents on applications Konnect creates in Auth0. */
export const KONNECT_AUTH0_METADATA_KEYS = [
  'konnect_portal_id',
  'konnect_developer_id',
  'konnect_org_id',
  'konnect_application_id',
];

interface ClientGrant {
  id: string;
  client_id: string;
  audience: string;
  scope: string[];
}

function mgmtError(status: number, message: string, errorCode?: string): HttpError {
  const error =
    (
      { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict' } as Record<
        number,
        string
      >
    )[status] ?? 'Error';
  return new HttpError(status, error, message, {
    statusCode: status,
    error,
    message,
    ...(errorCode ? { errorCode } : {}),
  });
}

export async function createAuth0Flavour(
  url: string,
  options: Auth0FlavourOptions = {},
): Promise<Flavour & { info: Auth0FlavourInfo }> {
  const clients = new ClientStore();
  const issuer = `${url}/auth0/`;
  const managementApi = `${issuer}api/v2/`;
  const apis: Auth0Api[] = options.apis ?? [
    {
      identifier: 'https://portal-api.konnect-sandbox.test',
      name: 'Konnect Portal Applications',
      scopes: ['read:data', 'write:data'],
    },
  ];
  const resourceServers = new Map<string, Auth0Api>([
    [managementApi, { identifier: managementApi, name: 'Auth0 Management API', scopes: AUTH0_MANAGEMENT_SCOPES }],
    ...apis.map((a) => [a.identifier, a] as const),
  ]);
  const grants = new Map<string, ClientGrant>();
  const key = await generateSigningKey();

  const idp = await createProvider({
    issuer,
    mount: '/auth0',
    routes: {
      authorization: '/authorize',
      token: '/oauth/token',
      jwks: '/.well-known/jwks.json',
      userinfo: '/userinfo',
      revocation: '/oauth/revoke',
      end_session: '/oidc/logout',
    },
    introspection: false,
    clients,
    key,
    jsonTokenRequests: true,
    extractTokenParams(params, extras) {
      const aud = params.get('audience')?.[0];
      if (aud !== undefined) extras.set('audience', aud);
      params.delete('audience');
    },
    async tokenPolicy(ctx: KoaContext, client: OidcClient, extras): Promise<TokenDecision> {
      const audience = extras.get('audience');
      if (!audience)
        throw await oauthError(
          403,
          'access_denied',
          'No audience parameter was provided, and no default audience has been configured',
        );
      if (!resourceServers.has(audience))
        throw await oauthError(403, 'access_denied', `Service not found: ${audience}`);
      const grant = [...grants.values()].find((g) => g.client_id === client.clientId && g.audience === audience);
      if (!grant) {
        throw await oauthError(
          403,
          'access_denied',
          `Client is not authorized to access "${audience}". You need to create a "client-grant" associated to this API.`,
        );
      }
      const requested = requestedScopes(ctx).filter((s) => !OIDC_SCOPES.has(s));
      const missing = requested.filter((s) => !grant.scope.includes(s));
      if (missing.length)
        throw await oauthError(403, 'access_denied', `Client has not been granted scopes: ${missing.join(', ')}`);
      return { audience, scopes: requested.length ? requested : [...grant.scope], ttlSeconds: 86400 };
    },
    customizeJwt(_ctx, token, structured) {
      const p = structured.payload;
      structured.header = { typ: 'JWT' };
      structured.payload = {
        iss: p['iss'],
        sub: `${token.clientId}@clients`,
        aud: p['aud'],
        iat: p['iat'],
        exp: p['exp'],
        jti: p['jti'],
        ...(token.scope ? { scope: token.scope } : {}),
        gty: 'client-credentials',
        azp: token.clientId,
      };
    },
  });

  const initialClientId = options.initialClientId ?? randomId(32);
  const initialClientSecret = options.initialClientSecret ?? randomSecret(48);
  clients.put({
    client_id: initialClientId,
    secrets: [initialClientSecret],
    created_at: Date.now(),
    metadata: machineClientMetadata({
      name: 'Konnect Portal DCR Admin',
      grantTypes: ['client_credentials'],
      redirectUris: [],
      authMethod: 'client_secret_post',
    }),
    info: { name: 'Konnect Portal DCR Admin', app_type: 'non_interactive', client_metadata: {}, description: '' },
  });
  grants.set('cgr_admin', {
    id: 'cgr_admin',
    client_id: initialClientId,
    audience: managementApi,
    scope: [...AUTH0_MANAGEMENT_SCOPES],
  });

  const jose = await loadJose();
  const jwks = jose.createLocalJWKSet({ keys: [key.publicJwk] });

  async function authorize(req: IncomingMessage, needed: string): Promise<void> {
    const token = bearerToken(req);
    if (!token) throw mgmtError(401, 'Missing authentication');
    let scopes: string[];
    try {
      const { payload } = await jose.jwtVerify(token, jwks, { issuer, audience: managementApi });
      scopes = typeof payload['scope'] === 'string' ? payload['scope'].split(' ') : [];
    } catch {
      throw mgmtError(401, 'Invalid token');
    }
    if (!scopes.includes(needed))
      throw mgmtError(403, `Insufficient scope, expected any of: ${needed}`, 'insufficient_scope');
  }

  const clientView = (rec: ClientRecord, withSecret: boolean) => ({
    client_id: rec.client_id,
    ...(withSecret ? { client_secret: rec.secrets[0] } : {}),
    name: rec.info['name'],
    description: rec.info['description'],
    app_type: rec.info['app_type'],
    grant_types: rec.metadata['grant_types'],
    token_endpoint_auth_method: rec.metadata['token_endpoint_auth_method'],
    callbacks: rec.info['callbacks'] ?? [],
    client_metadata: rec.info['client_metadata'] ?? {},
    is_first_party: true,
    tenant: 'konnect-sandbox',
  });

  const found = (id: string) => {
    const rec = clients.get(id);
    if (!rec) throw mgmtError(404, 'The client does not exist', 'inexistent_client');
    return rec;
  };

  const clientMetadataOf = (v: unknown): Record<string, string> => {
    if (v === undefined) return {};
    if (!isRecord(v)) throw mgmtError(400, 'Payload validation error: client_metadata must be an object.');
    const entries = Object.entries(v);
    if (entries.length > 10)
      throw mgmtError(400, 'Payload validation error: client_metadata may have at most 10 properties.');
    for (const [k, val] of entries) {
      if (!/^[a-zA-Z0-9_-]{1,255}$/.test(k))
        throw mgmtError(400, `Payload validation error: invalid client_metadata key ${JSON.stringify(k)}.`);
      if (typeof val !== 'string' || val.length > 255)
        throw mgmtError(
          400,
          `Payload validation error: client_metadata.${k} must be a string of at most 255 characters.`,
        );
    }
    return v as Record<string, string>;
  };

  async function createClient(body: Record<string, unknown>): Promise<ClientRecord> {
    const name = body['name'];
    if (typeof name !== 'string' || !name)
      throw mgmtError(400, 'Payload validation error: Missing required property: name.');
    const method =
      typeof body['token_endpoint_auth_method'] === 'string'
        ? body['token_endpoint_auth_method']
        : 'client_secret_post';
    if (!SECRET_METHODS.has(method))
      throw mgmtError(
        400,
        `Payload validation error: token_endpoint_auth_method ${method} is not supported here (client_secret_post or client_secret_basic).`,
      );
    const callbacks = stringArray(body['callbacks']) ?? [];
    const clientId = randomId(32);
    const metadata = machineClientMetadata({
      name,
      grantTypes: stringArray(body['grant_types']) ?? ['client_credentials'],
      redirectUris: callbacks,
      authMethod: method,
    });
    try {
      await validateClientMetadata(idp.provider, clientId, metadata);
    } catch (err) {
      throw mgmtError(400, `Payload validation error: ${err instanceof Error ? err.message : String(err)}`);
    }
    return clients.put({
      client_id: clientId,
      secrets: [randomSecret(48)],
      metadata,
      created_at: Date.now(),
      info: {
        name,
        description: typeof body['description'] === 'string' ? body['description'] : '',
        app_type: typeof body['app_type'] === 'string' ? body['app_type'] : 'non_interactive',
        client_metadata: clientMetadataOf(body['client_metadata']),
        callbacks,
      },
    });
  }

  async function managementApiHandler(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    query: URLSearchParams,
  ): Promise<void> {
    const [collection, id, action, ...more] = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (more.length) throw mgmtError(404, 'Not Found');
    if (collection === 'clients') {
      if (id === undefined && req.method === 'POST') {
        await authorize(req, 'create:clients');
        sendJson(res, 201, clientView(await createClient(await readJsonObject(req)), true));
        return;
      }
      if (id === undefined && req.method === 'GET') {
        await authorize(req, 'read:clients');
        sendJson(
          res,
          200,
          clients.list().map((r) => clientView(r, false)),
        );
        return;
      }
      if (id !== undefined && action === undefined && req.method === 'GET') {
        await authorize(req, 'read:clients');
        sendJson(res, 200, clientView(found(id), false));
        return;
      }
      if (id !== undefined && action === undefined && req.method === 'PATCH') {
        await authorize(req, 'update:clients');
        const rec = found(id);
        const body = await readJsonObject(req);
        if (typeof body['name'] === 'string') {
          rec.info['name'] = body['name'];
          rec.metadata['client_name'] = body['name'];
        }
        if (typeof body['description'] === 'string') rec.info['description'] = body['description'];
        if (body['client_metadata'] !== undefined)
          rec.info['client_metadata'] = {
            ...(rec.info['client_metadata'] as Record<string, string>),
            ...clientMetadataOf(body['client_metadata']),
          };
        sendJson(res, 200, clientView(rec, false));
        return;
      }
      if (id !== undefined && action === undefined && req.method === 'DELETE') {
        await authorize(req, 'delete:clients');
        found(id);
        clients.delete(id);
        for (const [gid, g] of grants) if (g.client_id === id) grants.delete(gid);
        sendEmpty(res, 204);
        return;
      }
      if (id !== undefined && action === 'rotate-secret' && req.method === 'POST') {
        await authorize(req, 'update:client_keys');
        const rec = found(id);
        clients.setSecrets(id, [randomSecret(48)]);
        sendJson(res, 200, clientView(rec, true));
        return;
      }
    }
    if (collection === 'client-grants') {
      if (id === undefined && req.method === 'POST') {
        await authorize(req, 'create:client_grants');
        const body = await readJsonObject(req);
        const clientId = body['client_id'];
        const audience = body['audience'];
        const scope = stringArray(body['scope']);
        if (typeof clientId !== 'string' || typeof audience !== 'string' || !scope) {
          throw mgmtError(
            400,
            'Payload validation error: client_id, audience (strings) and scope (array of strings) are required.',
          );
        }
        found(clientId);
        const rs = resourceServers.get(audience);
        if (!rs)
          throw mgmtError(404, `No resource server found for audience ${audience}`, 'inexistent_resource_server');
        const undefinedScopes = scope.filter((s) => !rs.scopes.includes(s));
        if (undefinedScopes.length)
          throw mgmtError(400, `Scopes not defined on the resource server ${audience}: ${undefinedScopes.join(', ')}`);
        if ([...grants.values()].some((g) => g.client_id === clientId && g.audience === audience)) {
          throw mgmtError(409, 'A client grant for this client and audience already exists', 'conflict');
        }
        const grant: ClientGrant = {
          id: `cgr_${randomId(16)}`,
          client_id: clientId,
          audience,
          scope: [...new Set(scope)],
        };
        grants.set(grant.id, grant);
        sendJson(res, 201, grant);
        return;
      }
      if (id === undefined && req.method === 'GET') {
        await authorize(req, 'read:client_grants');
        const cid = query.get('client_id');
        const aud = query.get('audience');
        sendJson(
          res,
          200,
          [...grants.values()].filter((g) => (!cid || g.client_id === cid) && (!aud || g.audience === aud)),
        );
        return;
      }
      if (id !== undefined && action === undefined && req.method === 'DELETE') {
        await authorize(req, 'delete:client_grants');
        if (!grants.delete(id)) throw mgmtError(404, 'The client grant does not exist');
        sendEmpty(res, 204);
        return;
      }
    }
    if (collection === 'resource-servers' && id === undefined && req.method === 'GET') {
      await authorize(req, 'read:resource_servers');
      sendJson(
        res,
        200,
        [...resourceServers.values()].map((r) => ({
          identifier: r.identifier,
          name: r.name,
          scopes: r.scopes.map((value) => ({ value })),
        })),
      );
      return;
    }
    throw mgmtError(404, 'Not Found');
  }

  return {
    prefix: '/auth0',
    info: {
      issuer,
      tokenEndpoint: `${issuer}oauth/token`,
      managementApi,
      apiAudience: apis[0]?.identifier ?? managementApi,
      apis: apis.map((a) => ({ ...a, scopes: [...a.scopes] })),
      initialClientId,
      initialClientSecret,
    },
    async handle(req, res, rest) {
      const { path, query } = splitUrl(rest || '/');
      if (path.startsWith('/api/v2/')) {
        try {
          await managementApiHandler(req, res, path.slice('/api/v2'.length), query);
        } catch (err) {
          const d = errorDetails(err);
          sendJson(res, d.status, d.body ?? { statusCode: d.status, error: d.code, message: d.description });
        }
        return;
      }
      await idp.handle(req, res, rest || '/');
    },
  };
}
