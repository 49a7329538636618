// provider_type "kongIdentity": one issuer per Kong Identity auth server, read live from the emulator's store.
//
//   issuer     {url}/kong-identity/{authServerId}
//   token      {issuer}/oauth/token          client_credentials; `openid` is always allowed
//   jwks       {issuer}/.well-known/jwks.json
//
// Clients, their enabled secrets (any of them authenticates), scopes and claims come from the KongIdentityStore at
// every request. A token gets: aud = the auth server's audience, sub = the client id, scope = the requested scopes
// (or the client's allowed default scopes), the auth server's signing algorithm and the client's
// access_token_duration, and every enabled claim with include_in_token whose scopes match: include_in_all_scopes,
// or one of include_in_scopes (scope ids) among the granted scopes. A claim may override `sub`; iss, aud, exp,
// iat, nbf and jti are the server's. The jti is a uuid, and every token is recorded in the store (`recordToken`):
// the emulator lists it under the client's /tokens.
//
//   introspect {issuer}/oauth/introspect   RFC 7662, for any client of the auth server (client_secret_post or
//                                          Basic): a token is active while its signature and exp hold and the
//                                          emulator still lists it (`tokenActive`), so a revoked token is inactive.
//                                          (oidc-provider cannot introspect its JWT access tokens, hence this.)
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KoaContext, OidcClient } from 'oidc-provider';
import type { KiClient, KongIdentityBackend, KongIdentityStore } from '../../contracts';
import { renderClaimValue } from '../claim-template';
import type { ClientRecord, ClientSource } from '../client-store';
import { loadJose } from '../esm';
import { constantTimeEqual, contentTypeOf, parseParams, readBody, sendJson, splitUrl } from '../http-util';
import { createProvider, generateSigningKey, type MountedProvider, type TokenDecision } from '../provider';
import { invalidScope, oauthError, requestedScopes } from '../scopes';
import type { Flavour } from './common';

const PROTECTED_CLAIMS = new Set(['iss', 'aud', 'exp', 'iat', 'nbf', 'jti']);
const WELL_KNOWN = '/.well-known/openid-configuration';

export function createKongIdentityBackend(url: string): KongIdentityBackend {
  const base = `${url}/kong-identity/`;
  const issuerFor = (id: string) => `${base}${encodeURIComponent(id)}`;
  return {
    issuerFor,
    authServerIdFor(issuer: string) {
      let s = issuer.trim();
      if (s.endsWith(WELL_KNOWN)) s = s.slice(0, -WELL_KNOWN.length);
      s = s.replace(/\/+$/, '');
      if (!s.startsWith(base)) return undefined;
      const id = decodeURIComponent(s.slice(base.length));
      return id && !id.includes('/') ? id : undefined;
    },
    jwksUriFor: (id) => `${issuerFor(id)}/.well-known/jwks.json`,
    metadataUriFor: (id) => `${issuerFor(id)}${WELL_KNOWN}`,
  };
}

function clientRecord(c: KiClient): ClientRecord {
  return {
    client_id: c.id,
    secrets: [...c.secrets],
    created_at: 0,
    metadata: {
      client_name: c.name,
      // implicit needs redirect URIs and a login page this sandbox does not have: only client_credentials is served.
      grant_types: c.grant_types.filter((g) => g === 'client_credentials'),
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: c.token_endpoint_auth_method === 'none' ? 'none' : 'client_secret_post',
    },
    info: {},
  };
}

export function createKongIdentityFlavour(
  store: KongIdentityStore & { attached?(): boolean },
  backend: KongIdentityBackend,
): Flavour {
  const providers = new Map<string, Promise<MountedProvider>>();

  const providerFor = (asId: string): Promise<MountedProvider> => {
    let p = providers.get(asId);
    if (!p) {
      p = buildProvider(asId);
      providers.set(asId, p);
      p.catch(() => providers.delete(asId));
    }
    return p;
  };

  async function buildProvider(asId: string): Promise<MountedProvider> {
    const clients: ClientSource = {
      get(clientId) {
        const c = store.client(asId, clientId);
        return c ? clientRecord(c) : undefined;
      },
    };
    const issuer = backend.issuerFor(asId);
    return createProvider({
      issuer,
      mount: new URL(issuer).pathname,
      routes: {
        authorization: '/oauth/authorize',
        token: '/oauth/token',
        jwks: '/.well-known/jwks.json',
        userinfo: '/oauth/userinfo',
        introspection: '/oauth/introspect',
        revocation: '/oauth/revoke',
        end_session: '/oauth/logout',
      },
      clients,
      key: await generateSigningKey(),
      async tokenPolicy(ctx: KoaContext, client: OidcClient): Promise<TokenDecision> {
        const as = store.authServer(asId);
        const kc = store.client(asId, client.clientId);
        if (!as || !kc)
          throw await oauthError(400, 'invalid_request', 'the auth server or the client no longer exists');
        const enabled = store.scopes(asId).filter((s) => s.enabled);
        const allowed = kc.allow_all_scopes ? enabled : enabled.filter((s) => kc.allow_scopes.includes(s.id));
        const allowedNames = new Set(allowed.map((s) => s.name));
        const requested = requestedScopes(ctx);
        const refused = requested.filter((s) => s !== 'openid' && !allowedNames.has(s));
        if (refused.length)
          throw await invalidScope(
            `requested scope is not allowed for this client: ${refused.join(' ')}`,
            refused.join(' '),
          );
        const granted = requested.length ? requested : allowed.filter((s) => s.default).map((s) => s.name);
        return {
          audience: as.audience,
          scopes: granted,
          ttlSeconds: kc.access_token_duration > 0 ? kc.access_token_duration : 300,
          alg: as.signing_algorithm || 'RS256',
        };
      },
      customizeJwt(_ctx, token, structured) {
        const as = store.authServer(asId);
        const kc = store.client(asId, token.clientId);
        if (!as || !kc) return;
        const grantedNames = new Set((token.scope ?? '').split(' ').filter(Boolean));
        const grantedIds = new Set(
          store
            .scopes(asId)
            .filter((s) => grantedNames.has(s.name))
            .map((s) => s.id),
        );
        const claimCtx = {
          client: { id: kc.id, name: kc.name, labels: kc.labels },
          authServer: { id: as.id, name: as.name, audience: as.audience, issuer },
        };
        for (const claim of store.claims(asId)) {
          if (!claim.enabled || !claim.include_in_token || PROTECTED_CLAIMS.has(claim.name)) continue;
          if (!claim.include_in_all_scopes && !claim.include_in_scopes.some((id) => grantedIds.has(id))) continue;
          structured.payload[claim.name] = renderClaimValue(claim.value, claimCtx);
        }
        // Konnect lists the tokens it issued by id (a uuid in the Token schema): the jti is that id
        const p = structured.payload as { jti?: unknown; iat?: unknown; exp?: unknown };
        const id = randomUUID();
        p.jti = id;
        const iat = typeof p.iat === 'number' ? p.iat : Math.floor(Date.now() / 1000);
        const exp = typeof p.exp === 'number' ? p.exp : iat + kc.access_token_duration;
        store.recordToken?.(asId, kc.id, { id, scopes: [...grantedNames], issuedAt: iat, expiresAt: exp });
      },
    });
  }

  async function introspect(
    req: IncomingMessage,
    res: ServerResponse,
    asId: string,
    idp: MountedProvider,
  ): Promise<void> {
    const params = parseParams(await readBody(req), contentTypeOf(req));
    const one = (k: string): string => params.get(k)?.[0] ?? '';
    let [id, secret] = [one('client_id'), one('client_secret')];
    const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (basic)
      [id = '', secret = ''] = Buffer.from(basic, 'base64').toString('utf8').split(':').map(decodeURIComponent);
    const caller = store.client(asId, id);
    if (!caller || !secret || !caller.secrets.some((s) => constantTimeEqual(s, secret))) {
      sendJson(res, 401, { error: 'invalid_client', error_description: 'client authentication failed' });
      return;
    }
    const jose = await loadJose();
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jose.jwtVerify(one('token'), jose.createLocalJWKSet({ keys: [idp.key.publicJwk] }), {
        issuer: idp.issuer,
      }));
    } catch {
      sendJson(res, 200, { active: false });
      return;
    }
    const clientId = String(payload['client_id'] ?? payload['sub']);
    const active = store.tokenActive?.(asId, clientId, String(payload['jti'])) ?? true;
    sendJson(
      res,
      200,
      active ? { ...payload, active: true, client_id: clientId, token_type: 'Bearer' } : { active: false },
    );
  }

  return {
    prefix: '/kong-identity',
    async handle(req, res, rest) {
      const { path } = splitUrl(rest || '/');
      if (store.attached && !store.attached()) {
        sendJson(res, 503, {
          status: 503,
          title: 'Service Unavailable',
          detail: 'no Kong Identity store is attached to the sandbox IdP yet',
        });
        return;
      }
      const [, rawId] = path.split('/');
      const asId = rawId ? decodeURIComponent(rawId) : '';
      if (!asId || !store.authServer(asId)) {
        sendJson(res, 404, {
          status: 404,
          title: 'Not Found',
          detail: `no Kong Identity auth server ${asId || '(none)'}`,
        });
        return;
      }
      const idp = await providerFor(asId);
      const inner = rest.slice(1 + (rawId ?? '').length) || '/';
      if (req.method === 'POST' && splitUrl(inner).path === '/oauth/introspect') await introspect(req, res, asId, idp);
      else await idp.handle(req, res, inner);
    },
  };
}
