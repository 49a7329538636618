// provider_type "azureAd": one Azure AD (Entra ID) tenant at {url}/azure/<tenant-uuid>, v1 style.
//
//   Konnect issuer   {url}/azure/<tenant>              (v1 form, no trailing slash, as kongctl documents)
//   token `iss`      {url}/azure/<tenant>/             (the v1 `https://sts.windows.net/<tenant>/` shape; discovery says so)
//   token            {url}/azure/<tenant>/oauth2/token  (v1: `resource`)  and  …/oauth2/v2.0/token  (v2: scope "<resource>/.default")
//   Graph            {url}/azure/graph/v1.0/…           applications (POST, GET, GET/DELETE /{id} or (appId='…'),
//                                                       addPassword, removePassword), servicePrincipals (POST)
//
// Apps get tokens once they have a service principal. Tokens are v1 shaped: aud, iss, appid (= client id),
// appidacr, idp, oid/sub (service principal), tid, ver "1.0", roles for Graph app permissions.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KoaContext, OidcClient } from 'oidc-provider';
import { ClientStore, type ClientRecord } from '../client-store';
import { loadJose } from '../esm';
import {
  HttpError,
  bearerToken,
  isRecord,
  randomSecret,
  randomUUID,
  readJsonObject,
  sendEmpty,
  sendJson,
  splitUrl,
  stringArray,
} from '../http-util';
import { createProvider, generateSigningKey, type TokenDecision } from '../provider';
import { oauthError } from '../scopes';
import { errorDetails, machineClientMetadata, type Flavour } from './common';

export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

export interface AzureFlavourOptions {
  tenantId?: string;
  initialClientId?: string;
  initialClientSecret?: string;
}

export interface AzureFlavourInfo {
  tenantId: string;
  /** What a Konnect admin enters: the v1 issuer without trailing slash. */
  issuer: string;
  /** The `iss` of tokens and of discovery (with trailing slash). */
  tokenIssuer: string;
  tokenEndpoint: string;
  tokenEndpointV2: string;
  /** Base of the Microsoft-Graph-like API (…/v1.0/applications). */
  graphUrl: string;
  graphResource: string;
  /** dcr_config.initial_client_id / initial_client_secret: an app with the Graph role Application.ReadWrite.All. */
  initialClientId: string;
  initialClientSecret: string;
}

interface Password {
  keyId: string;
  secretText: string;
  displayName: string;
  hint: string;
  startDateTime: string;
  endDateTime: string;
}

function graphError(status: number, code: string, message: string): HttpError {
  return new HttpError(status, code, message, {
    error: {
      code,
      message,
      innerError: {
        date: new Date().toISOString().slice(0, 19),
        'request-id': randomUUID(),
        'client-request-id': randomUUID(),
      },
    },
  });
}

export async function createAzureFlavour(
  url: string,
  options: AzureFlavourOptions = {},
): Promise<Flavour & { info: AzureFlavourInfo }> {
  const tenantId = options.tenantId ?? randomUUID();
  const clients = new ClientStore();
  const tokenIssuer = `${url}/azure/${tenantId}/`;
  const key = await generateSigningKey();

  const passwordsOf = (rec: ClientRecord): Password[] => (rec.info['passwords'] as Password[] | undefined) ?? [];
  const syncSecrets = (rec: ClientRecord) => {
    rec.secrets = passwordsOf(rec).map((p) => p.secretText);
  };
  const newPassword = (displayName: string): Password => {
    const secretText = randomSecret(30);
    const start = new Date();
    return {
      keyId: randomUUID(),
      secretText,
      displayName,
      hint: secretText.slice(0, 3),
      startDateTime: start.toISOString(),
      endDateTime: new Date(start.getTime() + 2 * 365 * 86400_000).toISOString(),
    };
  };

  const idp = await createProvider({
    issuer: tokenIssuer,
    mount: '/azure',
    routes: {
      authorization: `/${tenantId}/oauth2/authorize`,
      token: `/${tenantId}/oauth2/token`,
      jwks: '/common/discovery/keys',
      userinfo: `/${tenantId}/openid/userinfo`,
      end_session: `/${tenantId}/oauth2/logout`,
    },
    tokenAliases: [`/${tenantId}/oauth2/v2.0/token`],
    introspection: false,
    revocation: false,
    clients,
    key,
    extractTokenParams(params, extras) {
      const resource = params.get('resource')?.[0];
      if (resource) extras.set('resource', resource);
      // v2 endpoint: scope "<resource>/.default"
      const scopes = (params.get('scope')?.[0] ?? '').split(' ').filter(Boolean);
      const dflt = scopes.find((s) => s.endsWith('/.default'));
      if (dflt && !resource) extras.set('resource', dflt.slice(0, -'/.default'.length));
      params.delete('scope');
    },
    async tokenPolicy(_ctx: KoaContext, client: OidcClient, extras): Promise<TokenDecision> {
      const raw = extras.get('resource');
      if (!raw)
        throw await oauthError(
          400,
          'invalid_request',
          "The request body must contain the 'resource' parameter (v1 endpoint) or a scope '<resource>/.default' (v2.0 endpoint).",
        );
      const rec = clients.get(client.clientId);
      if (!rec?.info['servicePrincipalId']) {
        throw await oauthError(
          400,
          'unauthorized_client',
          `Application with identifier '${client.clientId}' has no service principal in tenant ${tenantId}: create one (POST /servicePrincipals) before requesting tokens.`,
        );
      }
      const isGraph = [GRAPH_RESOURCE, `${GRAPH_RESOURCE}/`, GRAPH_APP_ID].includes(raw);
      return { audience: isGraph ? GRAPH_RESOURCE : raw.replace(/\/$/, ''), scopes: [], ttlSeconds: 3599 };
    },
    customizeJwt(_ctx, token, structured) {
      const p = structured.payload;
      const rec = clients.get(token.clientId);
      const sp = String(rec?.info['servicePrincipalId'] ?? '');
      const roles = p['aud'] === GRAPH_RESOURCE ? (stringArray(rec?.info['graphRoles']) ?? []) : [];
      structured.header = { typ: 'JWT', x5t: key.publicJwk.kid };
      structured.payload = {
        aud: p['aud'],
        iss: tokenIssuer,
        iat: p['iat'],
        nbf: p['iat'],
        exp: p['exp'],
        aio: randomSecret(24),
        appid: token.clientId,
        appidacr: '1',
        idp: tokenIssuer,
        oid: sp,
        rh: `0.${randomSecret(24)}.`,
        ...(roles.length ? { roles } : {}),
        sub: sp,
        tid: tenantId,
        uti: randomSecret(16),
        ver: '1.0',
      };
    },
  });

  const createApp = (displayName: string, extra: Record<string, unknown>): ClientRecord =>
    clients.put({
      client_id: randomUUID(),
      secrets: [],
      eitherSecretMethod: true,
      created_at: Date.now(),
      metadata: machineClientMetadata({
        name: displayName,
        grantTypes: ['client_credentials'],
        redirectUris: [],
        authMethod: 'client_secret_post',
      }),
      info: { objectId: randomUUID(), displayName, passwords: [], ...extra },
    });

  const initialClientSecret = options.initialClientSecret ?? randomSecret(30);
  const admin = createApp('Konnect Portal DCR', {
    servicePrincipalId: randomUUID(),
    graphRoles: ['Application.ReadWrite.All'],
  });
  if (options.initialClientId) {
    clients.delete(admin.client_id);
    admin.client_id = options.initialClientId;
    clients.put(admin);
  }
  admin.info['passwords'] = [
    { ...newPassword('initial'), secretText: initialClientSecret, hint: initialClientSecret.slice(0, 3) },
  ];
  syncSecrets(admin);

  const jose = await loadJose();
  const jwks = jose.createLocalJWKSet({ keys: [key.publicJwk] });

  async function authorize(req: IncomingMessage, write: boolean): Promise<void> {
    const token = bearerToken(req);
    if (!token) throw graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    let roles: string[];
    try {
      const { payload } = await jose.jwtVerify(token, jwks, {
        issuer: tokenIssuer,
        audience: [GRAPH_RESOURCE, GRAPH_APP_ID],
      });
      roles = stringArray(payload['roles']) ?? [];
    } catch (err) {
      const why =
        (err as { code?: string }).code === 'ERR_JWT_CLAIM_VALIDATION_FAILED'
          ? 'Invalid audience or issuer.'
          : 'Invalid token.';
      throw graphError(401, 'InvalidAuthenticationToken', `Access token validation failure. ${why}`);
    }
    const ok = roles.includes('Application.ReadWrite.All') || (!write && roles.includes('Application.Read.All'));
    if (!ok) throw graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  }

  const appView = (rec: ClientRecord) => ({
    id: rec.info['objectId'],
    appId: rec.client_id,
    displayName: rec.info['displayName'],
    description: rec.info['description'] ?? null,
    notes: rec.info['notes'] ?? null,
    createdDateTime: new Date(rec.created_at).toISOString(),
    signInAudience: 'AzureADMyOrg',
    web: { redirectUris: rec.info['redirectUris'] ?? [] },
    tags: rec.info['tags'] ?? [],
    passwordCredentials: passwordsOf(rec).map(({ secretText: _s, ...p }) => ({
      ...p,
      customKeyIdentifier: null,
      secretText: null,
    })),
  });

  /** "/applications/{objectId}" or "/applications(appId='{appId}')". */
  const appFrom = (segment: string | undefined, selector: string | undefined): ClientRecord => {
    let rec: ClientRecord | undefined;
    const m = /^applications\(appId='([^']+)'\)$/.exec(selector ?? '');
    if (m?.[1]) rec = clients.get(m[1]);
    else if (segment) rec = clients.list().find((r) => r.info['objectId'] === segment);
    if (!rec)
      throw graphError(
        404,
        'Request_ResourceNotFound',
        `Resource '${m?.[1] ?? segment ?? ''}' does not exist or one of its queried reference-property objects are not present.`,
      );
    return rec;
  };

  async function graph(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const [version, first, second, third, ...more] = parts;
    if (version !== 'v1.0' || more.length) throw graphError(400, 'BadRequest', `Invalid request: /${parts.join('/')}`);
    const byAppId = first?.startsWith('applications(') ? first : undefined;
    if (first === 'applications' && second === undefined) {
      if (req.method === 'POST') {
        await authorize(req, true);
        const body = await readJsonObject(req);
        const displayName = body['displayName'];
        if (typeof displayName !== 'string' || !displayName)
          throw graphError(400, 'Request_BadRequest', "Property 'displayName' is required.");
        const web = isRecord(body['web']) ? body['web'] : {};
        const rec = createApp(displayName, {
          description: typeof body['description'] === 'string' ? body['description'] : null,
          notes: typeof body['notes'] === 'string' ? body['notes'] : null,
          tags: stringArray(body['tags']) ?? [],
          redirectUris: stringArray(web['redirectUris']) ?? [],
        });
        sendJson(res, 201, appView(rec));
        return;
      }
      if (req.method === 'GET') {
        await authorize(req, false);
        const top = Number(query.get('$top') ?? '100');
        sendJson(res, 200, {
          value: clients
            .list()
            .slice(0, Number.isFinite(top) && top > 0 ? top : 100)
            .map(appView),
        });
        return;
      }
    }
    if (first === 'applications' || byAppId) {
      const action = byAppId ? second : third;
      const tooDeep = byAppId ? third !== undefined : false;
      if (!tooDeep) {
        await authorize(req, req.method !== 'GET');
        const rec = appFrom(byAppId ? undefined : second, byAppId);
        if (action === undefined && req.method === 'GET') {
          sendJson(res, 200, appView(rec));
          return;
        }
        if (action === undefined && req.method === 'DELETE') {
          clients.delete(rec.client_id);
          sendEmpty(res, 204);
          return;
        }
        if (action === 'addPassword' && req.method === 'POST') {
          const body = await readJsonObject(req);
          const pc = isRecord(body['passwordCredential']) ? body['passwordCredential'] : {};
          const pw = newPassword(typeof pc['displayName'] === 'string' ? pc['displayName'] : 'secret');
          rec.info['passwords'] = [...passwordsOf(rec), pw];
          syncSecrets(rec);
          sendJson(res, 200, { customKeyIdentifier: null, ...pw });
          return;
        }
        if (action === 'removePassword' && req.method === 'POST') {
          const body = await readJsonObject(req);
          const before = passwordsOf(rec);
          const after = before.filter((p) => p.keyId !== body['keyId']);
          if (after.length === before.length)
            throw graphError(400, 'Request_BadRequest', 'No password credential found with the given keyId.');
          rec.info['passwords'] = after;
          syncSecrets(rec);
          sendEmpty(res, 204);
          return;
        }
      }
    }
    if (first === 'servicePrincipals' && second === undefined && req.method === 'POST') {
      await authorize(req, true);
      const body = await readJsonObject(req);
      const appId = body['appId'];
      const rec = typeof appId === 'string' ? clients.get(appId) : undefined;
      if (!rec)
        throw graphError(
          400,
          'Request_BadRequest',
          'The appId of the service principal does not reference a valid application object.',
        );
      if (rec.info['servicePrincipalId'])
        throw graphError(
          409,
          'Request_MultipleObjectsWithSameKeyValue',
          'The service principal for this application already exists.',
        );
      rec.info['servicePrincipalId'] = randomUUID();
      sendJson(res, 201, {
        id: rec.info['servicePrincipalId'],
        appId: rec.client_id,
        displayName: rec.info['displayName'],
        servicePrincipalType: 'Application',
        accountEnabled: true,
      });
      return;
    }
    throw graphError(405, 'Request_BadRequest', `Unsupported request: ${req.method ?? ''} /${parts.join('/')}`);
  }

  return {
    prefix: '/azure',
    info: {
      tenantId,
      issuer: `${url}/azure/${tenantId}`,
      tokenIssuer,
      tokenEndpoint: `${url}/azure/${tenantId}/oauth2/token`,
      tokenEndpointV2: `${url}/azure/${tenantId}/oauth2/v2.0/token`,
      graphUrl: `${url}/azure/graph`,
      graphResource: GRAPH_RESOURCE,
      initialClientId: admin.client_id,
      initialClientSecret,
    },
    async handle(req, res, rest) {
      const { path, query } = splitUrl(rest || '/');
      if (path.startsWith('/graph/')) {
        try {
          await graph(req, res, path.slice('/graph'.length), query);
        } catch (err) {
          const d = errorDetails(err);
          sendJson(res, d.status, d.body ?? { error: { code: d.code, message: d.description } });
        }
        return;
      }
      const wk = new RegExp(`^/${tenantId}(/\\.well-known/openid-configuration)$`).exec(path);
      if (wk?.[1]) {
        await idp.handle(req, res, rest.replace(path, wk[1]));
        return;
      }
      if (path.startsWith(`/${tenantId}/`) || path === '/common/discovery/keys') {
        await idp.handle(req, res, rest);
        return;
      }
      sendJson(res, 400, {
        error: 'invalid_tenant',
        error_description: `Tenant '${path.split('/')[1] ?? ''}' not found. This sandbox serves tenant ${tenantId}.`,
      });
    },
  };
}
