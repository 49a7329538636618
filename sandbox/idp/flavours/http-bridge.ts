// provider_type "http": a DCR bridge speaking Kong's bridge contract (Kong/konnect-portal-dcr-handler
// openapi.yaml, copied in sandbox/spec/dcr-http-bridge.openapi.yaml) in front of a plain oidc-provider IdP.
//
//   {url}/http/bridge   dcr_base_url: POST / -> 201, DELETE /{id} -> 204, POST /{id}/new-secret -> 200,
//                       POST /{id}/event-hook -> 200; every call needs X-API-KEY; errors {error, error_description}
//   {url}/http/idp      the IdP the bridge registers clients in (issuer; token at {issuer}/token)
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KoaContext, OidcClient } from 'oidc-provider';
import { ClientStore } from '../client-store';
import {
  HttpError,
  constantTimeEqual,
  isRecord,
  randomId,
  randomSecret,
  readJsonObject,
  sendEmpty,
  sendJson,
  splitUrl,
  stringArray,
} from '../http-util';
import { createProvider, generateSigningKey, type MountedProvider, type TokenDecision } from '../provider';
import { OIDC_SCOPES, invalidScope, requestedScopes } from '../scopes';
import { SECRET_METHODS, errorDetails, machineClientMetadata, validateClientMetadata, type Flavour } from './common';

export interface BridgeEvent {
  client_id: string;
  event_type: string;
  body: Record<string, unknown>;
  received_at: string;
}

export interface HttpFlavourInfo {
  /** The IdP behind the bridge: the DCR provider's `issuer`. */
  issuer: string;
  tokenEndpoint: string;
  /** dcr_config.dcr_base_url */
  dcrBaseUrl: string;
  /** dcr_config.api_key (12-256 chars of [a-zA-Z0-9_]) */
  apiKey: string;
  /** `aud` of the IdP's access tokens. */
  audience: string;
  /** Event hooks received, oldest first. */
  events(): BridgeEvent[];
}

export interface HttpFlavourOptions {
  audience?: string;
  apiKey?: string;
}

const REQUIRED_STRINGS = [
  'client_name',
  'token_endpoint_auth_method',
  'application_description',
  'portal_id',
  'organization_id',
  'developer_id',
  'auth_strategy_id',
  'dcr_provider_id',
] as const;
const REQUIRED_ARRAYS = ['redirect_uris', 'grant_types', 'scopes'] as const;
const EVENT_TYPES = new Set(['update_application', 'add_registration', 'remove_registration']);

export async function createHttpFlavour(
  url: string,
  options: HttpFlavourOptions = {},
): Promise<Flavour & { info: HttpFlavourInfo }> {
  const clients = new ClientStore();
  const issuer = `${url}/http/idp`;
  const audience = options.audience ?? 'urn:konnect-sandbox:http-api';
  const apiKey = options.apiKey ?? `sandbox_${randomId(24)}`;
  const events: BridgeEvent[] = [];

  const idp: MountedProvider = await createProvider({
    issuer,
    mount: '/http/idp',
    routes: { token: '/token', jwks: '/jwks', introspection: '/token/introspection', revocation: '/token/revocation' },
    clients,
    key: await generateSigningKey(),
    async tokenPolicy(ctx: KoaContext, client: OidcClient): Promise<TokenDecision> {
      const allowed = stringArray(clients.get(client.clientId)?.info['scopes']) ?? [];
      const requested = requestedScopes(ctx);
      const unknown = requested.filter((s) => !allowed.includes(s) && !OIDC_SCOPES.has(s));
      if (unknown.length)
        throw await invalidScope(`scope not registered for this client: ${unknown.join(' ')}`, unknown.join(' '));
      return { audience, scopes: requested.length ? requested : allowed, ttlSeconds: 3600 };
    },
  });

  const checkKey = (req: IncomingMessage) => {
    const given = req.headers['x-api-key'];
    if (typeof given !== 'string' || !constantTimeEqual(given, apiKey)) {
      throw new HttpError(401, 'Wrong API-Key', 'wrong x-api-key header');
    }
  };

  const existing = (clientId: string) => {
    const rec = clients.get(clientId);
    if (!rec) throw new HttpError(404, 'Not Found', `no client ${clientId} in this IdP`);
    return rec;
  };

  async function bridge(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    checkKey(req);
    const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (segments.length === 0 && req.method === 'POST') {
      const body = await readJsonObject(req);
      for (const k of REQUIRED_ARRAYS)
        if (!stringArray(body[k]))
          throw new HttpError(400, 'Bad Request', `body must have required property '${k}' (an array of strings)`);
      for (const k of REQUIRED_STRINGS)
        if (typeof body[k] !== 'string')
          throw new HttpError(400, 'Bad Request', `body must have required property '${k}' (a string)`);
      const method = body['token_endpoint_auth_method'] as string;
      if (!SECRET_METHODS.has(method))
        throw new HttpError(
          400,
          'Bad Request',
          `token_endpoint_auth_method ${method} is not supported by this bridge (client_secret_basic or client_secret_post)`,
        );
      const clientId = randomId(22);
      const metadata = machineClientMetadata({
        name: body['client_name'] as string,
        grantTypes: stringArray(body['grant_types']) ?? [],
        redirectUris: stringArray(body['redirect_uris']) ?? [],
        authMethod: method,
      });
      await validateClientMetadata(idp.provider, clientId, metadata);
      const secret = randomSecret();
      const now = Date.now();
      clients.put({
        client_id: clientId,
        secrets: [secret],
        metadata,
        created_at: now,
        info: {
          scopes: stringArray(body['scopes']) ?? [],
          application_description: body['application_description'],
          portal_id: body['portal_id'],
          organization_id: body['organization_id'],
          developer_id: body['developer_id'],
          auth_strategy_id: body['auth_strategy_id'],
          dcr_provider_id: body['dcr_provider_id'],
        },
      });
      sendJson(res, 201, {
        client_id: clientId,
        client_secret: secret,
        client_id_issued_at: Math.floor(now / 1000),
        client_secret_expires_at: 0,
      });
      return;
    }
    const [clientId, action, ...more] = segments;
    if (clientId !== undefined && more.length === 0) {
      if (action === undefined && req.method === 'DELETE') {
        existing(clientId);
        clients.delete(clientId);
        sendEmpty(res, 204);
        return;
      }
      if (action === 'new-secret' && req.method === 'POST') {
        existing(clientId);
        const secret = randomSecret();
        clients.setSecrets(clientId, [secret]);
        sendJson(res, 200, { client_id: clientId, client_secret: secret });
        return;
      }
      if (action === 'event-hook' && req.method === 'POST') {
        const body = await readJsonObject(req);
        const type = body['event_type'];
        if (typeof type !== 'string' || !EVENT_TYPES.has(type))
          throw new HttpError(
            400,
            'Bad Request',
            'event_type must be one of update_application, add_registration, remove_registration',
          );
        existing(clientId);
        events.push({ client_id: clientId, event_type: type, body, received_at: new Date().toISOString() });
        sendEmpty(res, 200);
        return;
      }
    }
    throw new HttpError(404, 'Not Found', `no bridge operation ${req.method ?? ''} ${path || '/'}`);
  }

  return {
    prefix: '/http',
    info: {
      issuer,
      tokenEndpoint: idp.urlOf('/token'),
      dcrBaseUrl: `${url}/http/bridge`,
      apiKey,
      audience,
      events: () => events.map((e) => ({ ...e, body: { ...e.body } })),
    },
    async handle(req, res, rest) {
      const { path } = splitUrl(rest || '/');
      if (path === '/idp' || path.startsWith('/idp/')) {
        await idp.handle(req, res, rest.slice('/idp'.length) || '/');
        return;
      }
      if (path === '/bridge' || path.startsWith('/bridge/')) {
        try {
          await bridge(req, res, path.slice('/bridge'.length));
        } catch (err) {
          const d = errorDetails(err);
          sendJson(res, d.status, isRecord(d.body) ? d.body : { error: d.code, error_description: d.description });
        }
        return;
      }
      sendJson(res, 404, { error: 'Not Found', error_description: `nothing at /http${path}` });
    },
  };
}
