// provider_type "okta": an Okta org at {url}/okta with its "default" custom authorization server.
//
//   issuer        {url}/okta/oauth2/default          token {issuer}/v1/token, keys {issuer}/v1/keys
//   DCR API       {url}/okta/oauth2/v1/clients        Authorization: SSWS <dcr_token> (Okta's org-level client API)
//                 POST (RFC 7591 body) -> 201, GET [?limit], GET/DELETE /{id}, POST /{id}/lifecycle/newSecret
//
// Access tokens look like Okta's: ver, jti "AT.…", cid, scp (array), sub = client id, aud "api://default", plus
// a custom claim (default `app_client_id`, the Okta expression `app.clientId`) whose value is the client id.
// client_credentials refuses OpenID scopes with invalid_scope, as Okta does.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KoaContext } from 'oidc-provider';
import { ClientStore, type ClientRecord } from '../client-store';
import {
  HttpError,
  constantTimeEqual,
  randomId,
  randomSecret,
  readJsonObject,
  sendEmpty,
  sendJson,
  splitUrl,
  stringArray,
} from '../http-util';
import { createProvider, generateSigningKey, type TokenDecision } from '../provider';
import { OIDC_SCOPES, invalidScope, requestedScopes } from '../scopes';
import { SECRET_METHODS, errorDetails, machineClientMetadata, validateClientMetadata, type Flavour } from './common';

export interface OktaScope {
  name: string;
  default?: boolean;
}

export interface OktaFlavourOptions {
  /** Custom scopes of the default authorization server. Default: api:read (a default scope) and api:write. */
  scopes?: OktaScope[];
  /** Name of the access-token claim whose value is the client id (Okta expression app.clientId). */
  clientIdClaim?: string;
  audience?: string;
  dcrToken?: string;
}

export interface OktaFlavourInfo {
  /** The Okta org URL. */
  baseUrl: string;
  /** The custom authorization server, the DCR provider's `issuer`. */
  issuer: string;
  tokenEndpoint: string;
  /** Where Konnect registers clients (SSWS-authenticated). */
  registrationEndpoint: string;
  /** dcr_config.dcr_token: an Okta API token. */
  dcrToken: string;
  audience: string;
  clientIdClaim: string;
  scopes: OktaScope[];
}

const OKTA_OIDC_SCOPES = new Set([...OIDC_SCOPES, 'device_sso', 'groups']);

function oktaError(status: number, code: string, summary: string): HttpError {
  return new HttpError(status, code, summary, {
    errorCode: code,
    errorSummary: summary,
    errorLink: code,
    errorId: `oae${randomId(19)}`,
    errorCauses: [],
  });
}

export async function createOktaFlavour(
  url: string,
  options: OktaFlavourOptions = {},
): Promise<Flavour & { info: OktaFlavourInfo }> {
  const clients = new ClientStore();
  const baseUrl = `${url}/okta`;
  const issuer = `${baseUrl}/oauth2/default`;
  const audience = options.audience ?? 'api://default';
  const clientIdClaim = options.clientIdClaim ?? 'app_client_id';
  const scopes = options.scopes ?? [{ name: 'api:read', default: true }, { name: 'api:write' }];
  const dcrToken = options.dcrToken ?? `00${randomId(40)}`;

  const idp = await createProvider({
    issuer,
    mount: '/okta',
    routes: {
      authorization: '/oauth2/default/v1/authorize',
      token: '/oauth2/default/v1/token',
      jwks: '/oauth2/default/v1/keys',
      userinfo: '/oauth2/default/v1/userinfo',
      introspection: '/oauth2/default/v1/introspect',
      revocation: '/oauth2/default/v1/revoke',
      end_session: '/oauth2/default/v1/logout',
      // Advertised in discovery; the SSWS facade below serves it (oidc-provider never sees these requests).
      registration: '/oauth2/v1/clients',
    },
    registration: { management: false },
    clients,
    key: await generateSigningKey(),
    async tokenPolicy(ctx: KoaContext): Promise<TokenDecision> {
      const requested = requestedScopes(ctx);
      const oidcAsked = requested.filter((s) => OKTA_OIDC_SCOPES.has(s));
      if (oidcAsked.length)
        throw await invalidScope(
          `Client Credentials requests cannot contain OpenID scopes (${oidcAsked.join(', ')}).`,
          oidcAsked.join(' '),
        );
      const known = new Set(scopes.map((s) => s.name));
      if (requested.some((s) => !known.has(s)))
        throw await invalidScope('One or more scopes are not configured for the authorization server resource.');
      const granted = requested.length ? requested : scopes.filter((s) => s.default).map((s) => s.name);
      if (!granted.length)
        throw await invalidScope(
          "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
        );
      return { audience, scopes: granted, ttlSeconds: 3600 };
    },
    customizeJwt(_ctx, token, structured) {
      const p = structured.payload;
      structured.header = { typ: undefined };
      structured.payload = {
        ver: 1,
        jti: `AT.${token.jti}`,
        iss: p['iss'],
        aud: p['aud'],
        iat: p['iat'],
        exp: p['exp'],
        cid: token.clientId,
        scp: (token.scope ?? '').split(' ').filter(Boolean),
        sub: token.clientId,
        [clientIdClaim]: token.clientId,
      };
    },
  });

  const view = (rec: ClientRecord, withSecret: boolean) => ({
    client_id: rec.client_id,
    ...(withSecret ? { client_secret: rec.secrets[0] } : {}),
    client_id_issued_at: Math.floor(rec.created_at / 1000),
    client_secret_expires_at: 0,
    client_name: rec.metadata['client_name'],
    application_type: rec.info['application_type'],
    grant_types: rec.metadata['grant_types'],
    response_types: rec.info['response_types'],
    redirect_uris: rec.metadata['redirect_uris'],
    token_endpoint_auth_method: rec.metadata['token_endpoint_auth_method'],
  });

  const authenticate = (req: IncomingMessage) => {
    const m = /^SSWS\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m?.[1] || !constantTimeEqual(m[1], dcrToken)) throw oktaError(401, 'E0000011', 'Invalid token provided');
  };

  const found = (id: string) => {
    const rec = clients.get(id);
    if (!rec) throw oktaError(404, 'E0000007', `Not found: Resource not found: ${id} (AppInstance)`);
    return rec;
  };

  async function clientsApi(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    query: URLSearchParams,
  ): Promise<void> {
    authenticate(req);
    const [id, sub, action, ...more] = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (id === undefined) {
      if (req.method === 'GET') {
        const limit = Number(query.get('limit') ?? '20');
        sendJson(
          res,
          200,
          clients
            .list()
            .slice(0, Number.isFinite(limit) && limit > 0 ? limit : 20)
            .map((r) => view(r, false)),
        );
        return;
      }
      if (req.method === 'POST') {
        const body = await readJsonObject(req);
        const name = body['client_name'];
        if (typeof name !== 'string' || !name)
          throw new HttpError(400, 'invalid_client_metadata', "The 'client_name' property is required.");
        const method =
          typeof body['token_endpoint_auth_method'] === 'string'
            ? body['token_endpoint_auth_method']
            : 'client_secret_basic';
        if (!SECRET_METHODS.has(method))
          throw new HttpError(
            400,
            'invalid_client_metadata',
            `'token_endpoint_auth_method' ${method} is not supported here (client_secret_basic or client_secret_post).`,
          );
        const clientId = `0oa${randomId(17)}`;
        const metadata = machineClientMetadata({
          name,
          grantTypes: stringArray(body['grant_types']) ?? ['client_credentials'],
          redirectUris: stringArray(body['redirect_uris']) ?? [],
          authMethod: method,
        });
        await validateClientMetadata(idp.provider, clientId, metadata);
        const rec = clients.put({
          client_id: clientId,
          secrets: [randomSecret(30)],
          metadata,
          created_at: Date.now(),
          info: {
            application_type: typeof body['application_type'] === 'string' ? body['application_type'] : 'service',
            response_types: stringArray(body['response_types']) ?? ['token'],
          },
        });
        sendJson(res, 201, view(rec, true));
        return;
      }
    } else if (sub === undefined) {
      if (req.method === 'GET') {
        sendJson(res, 200, view(found(id), false));
        return;
      }
      if (req.method === 'DELETE') {
        found(id);
        clients.delete(id);
        sendEmpty(res, 204);
        return;
      }
    } else if (sub === 'lifecycle' && action === 'newSecret' && more.length === 0 && req.method === 'POST') {
      const rec = found(id);
      clients.setSecrets(id, [randomSecret(30)]);
      sendJson(res, 200, view(rec, true));
      return;
    }
    throw oktaError(405, 'E0000022', `The endpoint does not support the provided HTTP method`);
  }

  return {
    prefix: '/okta',
    info: {
      baseUrl,
      issuer,
      tokenEndpoint: idp.urlOf('/oauth2/default/v1/token'),
      registrationEndpoint: `${baseUrl}/oauth2/v1/clients`,
      dcrToken,
      audience,
      clientIdClaim,
      scopes: scopes.map((s) => ({ ...s })),
    },
    async handle(req, res, rest) {
      const { path, query } = splitUrl(rest || '/');
      if (path === '/oauth2/v1/clients' || path.startsWith('/oauth2/v1/clients/')) {
        try {
          await clientsApi(req, res, path.slice('/oauth2/v1/clients'.length), query);
        } catch (err) {
          const d = errorDetails(err);
          sendJson(res, d.status, d.body ?? { error: d.code, error_description: d.description });
        }
        return;
      }
      const wellKnown = /^\/oauth2\/default(\/\.well-known\/(?:openid-configuration|oauth-authorization-server))$/.exec(
        path,
      );
      if (wellKnown?.[1]) {
        await idp.handle(req, res, rest.replace(path, wellKnown[1]));
        return;
      }
      if (path.startsWith('/oauth2/default/')) {
        await idp.handle(req, res, rest);
        return;
      }
      sendJson(res, 404, {
        errorCode: 'E0000022',
        errorSummary: `The endpoint does not exist: /okta${path}`,
        errorCauses: [],
      });
    },
  };
}
