// provider_type "curity": a Curity Identity Server at {url}/curity with the token profile "oauth-anonymous".
//
//   issuer         {url}/curity/oauth/v2/oauth-anonymous   (Konnect admins often enter {issuer}/.well-known/openid-configuration)
//   token          {url}/curity/oauth/v2/oauth-token
//   registration   {url}/curity/token-service/oauth-registration   (RFC 7591; RFC 7592 at …/{client_id})
//
// The DCR admin client (dcr_config.initial_client_id / initial_client_secret) gets an access token with scope `dcr`
// by client_credentials. That token is good for ONE registration (create) call and is then spent, like Curity's
// "authenticate-client-by" DCR authentication. A registered client is read, updated and deleted as RFC 7592 says:
// at its registration_client_uri with the registration_access_token of the registration answer (oidc-provider's
// own checks; the admin's token is refused there). An RFC 7592 PUT that omits `client_secret` gets a new secret
// (RFC 7592 §2.2 lets the server issue one).
//
// Access tokens are Curity-shaped JWTs: sub = client id, aud = client id, scope, purpose "access_token", delegationId.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KoaContext, Middleware, OidcClient, Provider } from 'oidc-provider';
import { ClientStore } from '../client-store';
import { randomSecret, randomUUID, sendJson, splitUrl } from '../http-util';
import { createProvider, generateSigningKey, scopeList, type TokenDecision } from '../provider';
import { invalidScope, requestedScopes } from '../scopes';
import { machineClientMetadata, type Flavour } from './common';

export interface CurityFlavourOptions {
  /** Scopes of the token profile that clients may register (besides openid and dcr). Default: read, write. */
  scopes?: string[];
  initialClientId?: string;
  initialClientSecret?: string;
}

export interface CurityFlavourInfo {
  issuer: string;
  /** The issuer in the form the Kong how-to asks for. */
  discoveryUrl: string;
  tokenEndpoint: string;
  registrationEndpoint: string;
  scopes: string[];
  initialClientId: string;
  initialClientSecret: string;
}

const REGISTRATION = '/token-service/oauth-registration';

export async function createCurityFlavour(
  url: string,
  options: CurityFlavourOptions = {},
): Promise<Flavour & { info: CurityFlavourInfo }> {
  const clients = new ClientStore();
  const issuer = `${url}/curity/oauth/v2/oauth-anonymous`;
  const profileScopes = options.scopes ?? ['read', 'write'];
  const initialClientId = options.initialClientId ?? 'konnect-dcr-admin';
  const initialClientSecret = options.initialClientSecret ?? randomSecret(32);
  /** Set once the provider exists (the middleware below is created before it). */
  const ref: { provider?: Provider } = {};

  /** Swaps a one-time `dcr` access token of the admin client for what oidc-provider checks on a create (an IAT). */
  const dcrTokenExchange: Middleware = async (ctx: KoaContext, next) => {
    const { path, method } = ctx;
    const isCreate = path === REGISTRATION && method === 'POST';
    const manageMatch = new RegExp(`^${REGISTRATION}/([^/]+)$`).exec(path);
    const bearer = /^Bearer\s+(\S+)$/i.exec(ctx.headers.authorization ?? '')?.[1];
    let rotate = false;
    const { provider } = ref;
    if (provider && bearer && isCreate) {
      const token = await provider.ClientCredentials.find(bearer);
      if (token && token.clientId === initialClientId && scopeList(token.scope).includes('dcr')) {
        await token.destroy();
        ctx.req.headers.authorization = `Bearer ${await new provider.InitialAccessToken({}).save()}`;
      }
    }
    if (manageMatch && method === 'PUT') rotate = true;
    await next();
    const body = rotate ? ctx.oidc?.body : undefined;
    if (rotate && ctx.status === 200 && body && !('client_secret' in body) && manageMatch?.[1]) {
      const clientId = decodeURIComponent(manageMatch[1]);
      const rec = clients.get(clientId);
      if (rec && rec.secrets.length && typeof ctx.body === 'object' && ctx.body !== null) {
        const secret = randomSecret(32);
        clients.setSecrets(clientId, [secret]);
        (ctx.body as Record<string, unknown>)['client_secret'] = secret;
      }
    }
  };

  const idp = await createProvider({
    issuer,
    mount: '/curity',
    routes: {
      authorization: '/oauth/v2/oauth-authorize',
      token: '/oauth/v2/oauth-token',
      jwks: '/oauth/v2/oauth-anonymous/jwks',
      userinfo: '/oauth/v2/oauth-userinfo',
      introspection: '/oauth/v2/oauth-introspect',
      revocation: '/oauth/v2/oauth-revoke',
      end_session: '/oauth/v2/oauth-session/logout',
      registration: REGISTRATION,
    },
    staticScopes: ['dcr', ...profileScopes],
    registration: { management: true },
    middlewares: [dcrTokenExchange],
    clients,
    key: await generateSigningKey(),
    async tokenPolicy(ctx: KoaContext, client: OidcClient): Promise<TokenDecision> {
      const registered = scopeList(client.scope);
      const requested = requestedScopes(ctx);
      const notAllowed = requested.filter((s) => !registered.includes(s) && s !== 'openid');
      if (notAllowed.length)
        throw await invalidScope(
          `The client is not allowed the scope(s): ${notAllowed.join(' ')}`,
          notAllowed.join(' '),
        );
      if (requested.includes('dcr')) {
        // The admin client's one-time registration token: opaque so that the registration endpoint can look it up.
        return { audience: issuer, scopes: ['dcr'], ttlSeconds: 300, format: 'opaque' };
      }
      const granted = requested.length ? requested : registered.filter((s) => s !== 'dcr');
      return { audience: client.clientId, scopes: granted, ttlSeconds: 300 };
    },
    customizeJwt(_ctx, token, structured) {
      const p = structured.payload;
      structured.header = { typ: undefined };
      structured.payload = {
        jti: p['jti'],
        delegationId: randomUUID(),
        exp: p['exp'],
        nbf: p['iat'],
        ...(token.scope ? { scope: token.scope } : {}),
        iss: p['iss'],
        sub: token.clientId,
        aud: token.clientId,
        iat: p['iat'],
        purpose: 'access_token',
      };
    },
  });
  ref.provider = idp.provider;

  // The DCR admin client: client_credentials with the `dcr` scope; Curity's "secret" method takes basic and post.
  clients.put({
    client_id: initialClientId,
    secrets: [initialClientSecret],
    eitherSecretMethod: true,
    created_at: Date.now(),
    metadata: {
      ...machineClientMetadata({
        name: 'Konnect DCR',
        grantTypes: ['client_credentials'],
        redirectUris: [],
        authMethod: 'client_secret_basic',
      }),
      scope: 'dcr',
    },
    info: {},
  });

  return {
    prefix: '/curity',
    info: {
      issuer,
      discoveryUrl: `${issuer}/.well-known/openid-configuration`,
      tokenEndpoint: `${url}/curity/oauth/v2/oauth-token`,
      registrationEndpoint: `${url}/curity${REGISTRATION}`,
      scopes: [...profileScopes],
      initialClientId,
      initialClientSecret,
    },
    async handle(req: IncomingMessage, res: ServerResponse, rest: string) {
      const { path } = splitUrl(rest || '/');
      const wk =
        /^\/oauth\/v2\/oauth-anonymous(\/\.well-known\/(?:openid-configuration|oauth-authorization-server))$/.exec(
          path,
        );
      if (wk?.[1]) {
        await idp.handle(req, res, rest.replace(path, wk[1]));
        return;
      }
      if (path.startsWith('/oauth/v2/') || path === REGISTRATION || path.startsWith(`${REGISTRATION}/`)) {
        await idp.handle(req, res, rest);
        return;
      }
      sendJson(res, 404, { error: 'not_found', error_description: `nothing at /curity${path}` });
    },
  };
}
