/**
 * Kong Identity `/v1/auth-servers` with scopes, claims, clients, client secrets and the tokens the sandbox's Kong
 * Identity IdP issued to each client (spec: "Konnect Sliver" 1.0.2).
 */
import { type Core, type Obj, type Routes, asObj, labelsOf, mergeLabels, missingReference, must } from './core';
import { HttpError, badRequest, conflict, json, noContent } from './http';
import { claimTemplateProblem, renderClaimValue } from '../idp/claim-template';
import { EQ_OPS, LEGACY_OPS, labelValues, list } from './query';
import {
  type AuthServerRec,
  type ClaimRec,
  type ClientRec,
  type ClientSecretRec,
  type ScopeRec,
  type TokenRec,
  now,
  randomAlnum,
  uuid,
} from './store';
import { authServerView, claimView, clientSecretView, clientView, scopeView, tokenView } from './views';

/** Active (enabled) secrets a client may have: the rotation rule (docs/konnect-api.md §4.1). */
const MAX_ACTIVE_SECRETS = 2;

const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

export function kongIdentityRoutes(core: Core): Routes {
  const { store, backend } = core;
  const server = (ctx: { params: Record<string, string> }): AuthServerRec =>
    must(store.authServers.get(ctx.params['authServerId'] ?? ''), 'Auth server');
  const scope = (a: AuthServerRec, id: string | undefined): ScopeRec => {
    const s = store.scopesById.get(id ?? '');
    return must(s && s.auth_server_id === a.id ? s : undefined, 'Scope');
  };
  const claim = (a: AuthServerRec, id: string | undefined): ClaimRec => {
    const c = store.claimsById.get(id ?? '');
    return must(c && c.auth_server_id === a.id ? c : undefined, 'Claim');
  };
  const client = (a: AuthServerRec, id: string | undefined): ClientRec =>
    must(store.clients.get(`${a.id}/${id ?? ''}`), 'Client');
  const secret = (c: ClientRec, id: string | undefined): ClientSecretRec =>
    must(
      c.secrets.find((s) => s.id === id),
      'Client secret',
    );

  const checkScopeIds = (a: AuthServerRec, ids: unknown, field: string): string[] => {
    const list = strs(ids);
    for (const id of list) {
      const s = store.scopesById.get(id);
      if (!s || s.auth_server_id !== a.id) missingReference(field, 'Scope', id);
    }
    return list;
  };

  const uniqueName = <T extends { name: string; id: string }>(
    items: Iterable<T>,
    name: unknown,
    self: string | undefined,
    what: string,
  ): void => {
    if (typeof name !== 'string') return;
    for (const x of items)
      if (x.name === name && x.id !== self) throw conflict(`${what} with name "${name}" already exists`);
  };

  const scopesOf = (a: AuthServerRec): ScopeRec[] =>
    [...store.scopesById.values()].filter((s) => s.auth_server_id === a.id);
  const claimsOf = (a: AuthServerRec): ClaimRec[] =>
    [...store.claimsById.values()].filter((c) => c.auth_server_id === a.id);

  const forget = (key: string): void => {
    store.clients.delete(key);
    store.tokens.delete(key);
  };
  const tokensOf = (a: AuthServerRec, c: ClientRec): TokenRec[] => store.tokens.get(`${a.id}/${c.id}`) ?? [];
  const token = (a: AuthServerRec, c: ClientRec, id: string | undefined): TokenRec =>
    must(
      tokensOf(a, c).find((t) => t.id === id),
      'Token',
    );

  const newSecret = (value?: string, enabled = true): ClientSecretRec => {
    const ts = now();
    return { id: uuid(), secret: value ?? randomAlnum(32), enabled, created_at: ts, updated_at: ts };
  };

  const applyClient = (a: AuthServerRec, c: ClientRec, b: Obj): void => {
    if (typeof b['name'] === 'string') c.name = b['name'];
    if (b['grant_types'] !== undefined) c.grant_types = strs(b['grant_types']);
    if (b['response_types'] !== undefined) c.response_types = strs(b['response_types']);
    if (b['redirect_uris'] !== undefined) c.redirect_uris = strs(b['redirect_uris']);
    if (b['login_uri'] !== undefined) c.login_uri = b['login_uri'] === null ? null : String(b['login_uri']);
    if (typeof b['access_token_duration'] === 'number') c.access_token_duration = b['access_token_duration'];
    if (typeof b['id_token_duration'] === 'number') c.id_token_duration = b['id_token_duration'];
    if (typeof b['allow_all_scopes'] === 'boolean') c.allow_all_scopes = b['allow_all_scopes'];
    if (b['allow_scopes'] !== undefined) c.allow_scopes = checkScopeIds(a, b['allow_scopes'], 'allow_scopes');
    if (typeof b['token_endpoint_auth_method'] === 'string')
      c.token_endpoint_auth_method = b['token_endpoint_auth_method'];
  };

  const freshClient = (a: AuthServerRec, id: string, b: Obj, secretValue?: string): ClientRec => {
    const ts = now();
    const c: ClientRec = {
      id,
      auth_server_id: a.id,
      name: '',
      grant_types: [],
      response_types: [],
      redirect_uris: [],
      login_uri: null,
      access_token_duration: 300,
      id_token_duration: 300,
      allow_all_scopes: false,
      allow_scopes: [],
      labels: labelsOf(b['labels']),
      token_endpoint_auth_method: 'client_secret_post',
      secrets: [newSecret(secretValue)],
      created_at: ts,
      updated_at: ts,
    };
    applyClient(a, c, b);
    return c;
  };

  return {
    // ------------------------------------------------------------ auth servers
    listAuthServers: (ctx) =>
      json(
        200,
        list(store.authServers.values(), ctx.query, core.list, {
          filters: {
            name: { ops: LEGACY_OPS, get: (a) => a.name },
            description: { ops: LEGACY_OPS, get: (a) => a.description },
            audience: { ops: LEGACY_OPS, get: (a) => a.audience },
            id: { ops: EQ_OPS, get: (a) => a.id },
            labels: { ops: EQ_OPS, get: (a) => labelValues(a.labels) },
          },
          sorts: {
            created_at: (a) => a.created_at,
            updated_at: (a) => a.updated_at,
            name: (a) => a.name,
            audience: (a) => a.audience,
          },
          view: (a) => authServerView(a, store, backend),
        }),
      ),
    createAuthServer: (ctx) => {
      const b = asObj(ctx.body);
      uniqueName(store.authServers.values(), b['name'], undefined, 'Auth server');
      const ts = now();
      const a: AuthServerRec = {
        id: uuid(),
        name: String(b['name']),
        description: typeof b['description'] === 'string' ? b['description'] : '',
        audience: String(b['audience']),
        signing_algorithm: typeof b['signing_algorithm'] === 'string' ? b['signing_algorithm'] : 'RS256',
        labels: labelsOf(b['labels']),
        created_at: ts,
        updated_at: ts,
      };
      if (b['trusted_origins'] !== undefined) a.trusted_origins = strs(b['trusted_origins']);
      store.authServers.set(a.id, a);
      return json(201, authServerView(a, store, backend));
    },
    getAuthServer: (ctx) => json(200, authServerView(server(ctx), store, backend)),
    updateAuthServer: (ctx) => {
      const a = server(ctx);
      const b = asObj(ctx.body);
      uniqueName(store.authServers.values(), b['name'], a.id, 'Auth server');
      if (typeof b['name'] === 'string') a.name = b['name'];
      if (typeof b['description'] === 'string') a.description = b['description'];
      if (typeof b['audience'] === 'string') a.audience = b['audience'];
      if (typeof b['signing_algorithm'] === 'string') a.signing_algorithm = b['signing_algorithm'];
      if (b['trusted_origins'] !== undefined) a.trusted_origins = strs(b['trusted_origins']);
      a.labels = mergeLabels(a.labels, b['labels']);
      a.updated_at = now();
      return json(200, authServerView(a, store, backend));
    },
    deleteAuthServer: (ctx) => {
      const a = server(ctx);
      const force = ctx.query.get('force') ?? 'false';
      if (force !== 'true' && force !== 'false') {
        throw badRequest([
          {
            field: 'force',
            rule: 'enum',
            choices: ['true', 'false'],
            reason: 'must be one of [true, false]',
            source: 'query',
          },
        ]);
      }
      const clients = store.clientsOf(a.id),
        scopes = scopesOf(a),
        claims = claimsOf(a);
      if (force !== 'true' && (clients.length || scopes.length || claims.length)) {
        throw new HttpError(
          400,
          'Invalid Request',
          `Auth server "${a.name}" still has ${clients.length} client(s), ${scopes.length} scope(s) and ${claims.length} claim(s); delete them first or pass force=true`,
          [
            {
              field: 'force',
              rule: 'invalid',
              reason: 'the auth server has clients, scopes or claims: force=true is required',
              source: 'query',
            },
          ],
        );
      }
      for (const c of clients) forget(`${a.id}/${c.id}`);
      for (const s of scopes) store.scopesById.delete(s.id);
      for (const c of claims) store.claimsById.delete(c.id);
      store.authServers.delete(a.id);
      return noContent();
    },

    // ------------------------------------------------------------ scopes
    listAuthServerScopes: (ctx) =>
      json(
        200,
        list(scopesOf(server(ctx)), ctx.query, core.list, {
          filters: { name: { ops: LEGACY_OPS, get: (s) => s.name }, id: { ops: EQ_OPS, get: (s) => s.id } },
          sorts: { created_at: (s) => s.created_at, updated_at: (s) => s.updated_at, name: (s) => s.name },
          view: scopeView,
        }),
      ),
    createAuthServerScope: (ctx) => {
      const a = server(ctx);
      const b = asObj(ctx.body);
      uniqueName(scopesOf(a), b['name'], undefined, 'Scope');
      const ts = now();
      const s: ScopeRec = {
        id: uuid(),
        auth_server_id: a.id,
        name: String(b['name']),
        description: typeof b['description'] === 'string' ? b['description'] : '',
        default: b['default'] === true,
        include_in_metadata: b['include_in_metadata'] === true,
        enabled: b['enabled'] !== false,
        created_at: ts,
        updated_at: ts,
      };
      store.scopesById.set(s.id, s);
      return json(201, scopeView(s));
    },
    getAuthServerScope: (ctx) => json(200, scopeView(scope(server(ctx), ctx.params['scopeId']))),
    updateAuthServerScope: (ctx) => {
      const a = server(ctx);
      const s = scope(a, ctx.params['scopeId']);
      const b = asObj(ctx.body);
      uniqueName(scopesOf(a), b['name'], s.id, 'Scope');
      if (typeof b['name'] === 'string') s.name = b['name'];
      if (typeof b['description'] === 'string') s.description = b['description'];
      for (const k of ['default', 'include_in_metadata', 'enabled'] as const)
        if (typeof b[k] === 'boolean') s[k] = b[k];
      s.updated_at = now();
      return json(200, scopeView(s));
    },
    deleteAuthServerScope: (ctx) => {
      const a = server(ctx);
      const s = scope(a, ctx.params['scopeId']);
      store.scopesById.delete(s.id);
      for (const c of store.clientsOf(a.id)) c.allow_scopes = c.allow_scopes.filter((id) => id !== s.id);
      for (const c of claimsOf(a)) c.include_in_scopes = c.include_in_scopes.filter((id) => id !== s.id);
      return noContent();
    },

    // ------------------------------------------------------------ claims
    listAuthServerClaims: (ctx) =>
      json(
        200,
        list(claimsOf(server(ctx)), ctx.query, core.list, {
          filters: { name: { ops: LEGACY_OPS, get: (c) => c.name }, id: { ops: EQ_OPS, get: (c) => c.id } },
          sorts: { created_at: (c) => c.created_at, updated_at: (c) => c.updated_at, name: (c) => c.name },
          view: claimView,
        }),
      ),
    createAuthServerClaim: (ctx) => {
      const a = server(ctx);
      const b = asObj(ctx.body);
      const ts = now();
      const c: ClaimRec = {
        id: uuid(),
        auth_server_id: a.id,
        name: String(b['name']),
        value: String(b['value']),
        include_in_token: b['include_in_token'] === true,
        include_in_all_scopes: b['include_in_all_scopes'] === true,
        include_in_scopes: checkScopeIds(a, b['include_in_scopes'], 'include_in_scopes'),
        enabled: b['enabled'] !== false,
        created_at: ts,
        updated_at: ts,
      };
      store.claimsById.set(c.id, c);
      return json(201, claimView(c));
    },
    getAuthServerClaim: (ctx) => json(200, claimView(claim(server(ctx), ctx.params['claimId']))),
    updateAuthServerClaim: (ctx) => {
      const a = server(ctx);
      const c = claim(a, ctx.params['claimId']);
      const b = asObj(ctx.body);
      if (typeof b['name'] === 'string') c.name = b['name'];
      if (typeof b['value'] === 'string') c.value = b['value'];
      for (const k of ['include_in_token', 'include_in_all_scopes', 'enabled'] as const)
        if (typeof b[k] === 'boolean') c[k] = b[k];
      if (b['include_in_scopes'] !== undefined)
        c.include_in_scopes = checkScopeIds(a, b['include_in_scopes'], 'include_in_scopes');
      c.updated_at = now();
      return json(200, claimView(c));
    },
    deleteAuthServerClaim: (ctx) => {
      const c = claim(server(ctx), ctx.params['claimId']);
      store.claimsById.delete(c.id);
      return noContent();
    },

    // ------------------------------------------------------------ clients
    listAuthServerClients: (ctx) =>
      json(
        200,
        list(store.clientsOf(server(ctx).id), ctx.query, core.list, {
          filters: {
            name: { ops: LEGACY_OPS, get: (c) => c.name },
            id: { ops: EQ_OPS, get: (c) => c.id },
            labels: { ops: EQ_OPS, get: (c) => labelValues(c.labels) },
          },
          sorts: { created_at: (c) => c.created_at, updated_at: (c) => c.updated_at, name: (c) => c.name },
          view: clientView,
        }),
      ),
    createAuthServerClient: (ctx) => {
      const a = server(ctx);
      const c = freshClient(a, randomAlnum(20), asObj(ctx.body));
      store.clients.set(`${a.id}/${c.id}`, c);
      return json(201, { ...clientView(c), client_secret: c.secrets[0]?.secret ?? '' });
    },
    getAuthServerClient: (ctx) => json(200, clientView(client(server(ctx), ctx.params['clientId']))),
    updateAuthServerClient: (ctx) => {
      const a = server(ctx);
      const c = client(a, ctx.params['clientId']);
      const b = asObj(ctx.body);
      applyClient(a, c, b);
      if (typeof b['client_secret'] === 'string') c.secrets = [newSecret(b['client_secret'])];
      c.labels = mergeLabels(c.labels, b['labels']);
      c.updated_at = now();
      return json(200, clientView(c));
    },
    // "create a client with the matching ID and secret": 201 when new, 200 when replaced
    replaceAuthServerClient: (ctx) => {
      const a = server(ctx);
      const id = ctx.params['clientId'] ?? '';
      const b = asObj(ctx.body);
      const existing = store.clients.get(`${a.id}/${id}`);
      const c = freshClient(a, id, b, String(b['client_secret']));
      if (existing) c.created_at = existing.created_at;
      store.clients.set(`${a.id}/${id}`, c);
      return json(existing ? 200 : 201, clientView(c));
    },
    deleteAuthServerClient: (ctx) => {
      const a = server(ctx);
      const c = client(a, ctx.params['clientId']);
      // "All tokens associated with the client will also be deleted."
      forget(`${a.id}/${c.id}`);
      return noContent();
    },

    // ------------------------------------------------------------ client secrets
    listClientSecrets: (ctx) =>
      json(
        200,
        list(client(server(ctx), ctx.params['clientId']).secrets, ctx.query, core.list, {
          filters: { id: { ops: EQ_OPS, get: (s) => s.id }, enabled: { ops: EQ_OPS, get: (s) => s.enabled } },
          sorts: { created_at: (s) => s.created_at, updated_at: (s) => s.updated_at },
          view: (s) => clientSecretView(s, false),
        }),
      ),
    createClientSecret: (ctx) => {
      const c = client(server(ctx), ctx.params['clientId']);
      const b = asObj(ctx.body);
      const s = newSecret(typeof b['secret'] === 'string' ? b['secret'] : undefined, b['enabled'] !== false);
      // the rotation rule (docs/konnect-api.md §4.1): a third active secret is refused
      // with the spec's 403 of createClientSecret
      const active = c.secrets.filter((x) => x.enabled).length;
      if (s.enabled && active >= MAX_ACTIVE_SECRETS)
        throw new HttpError(
          403,
          'Forbidden',
          `Client "${c.name || c.id}" already has ${active} active secrets (at most ${MAX_ACTIVE_SECRETS}): disable one first`,
        );
      c.secrets.push(s);
      c.updated_at = now();
      return json(201, clientSecretView(s, true));
    },
    getClientSecret: (ctx) =>
      json(
        200,
        clientSecretView(secret(client(server(ctx), ctx.params['clientId']), ctx.params['clientSecretId']), false),
      ),
    updateClientSecret: (ctx) => {
      const s = secret(client(server(ctx), ctx.params['clientId']), ctx.params['clientSecretId']);
      const b = asObj(ctx.body);
      if (typeof b['enabled'] === 'boolean') s.enabled = b['enabled'];
      s.updated_at = now();
      return json(200, clientSecretView(s, false));
    },
    deleteClientSecret: (ctx) => {
      const c = client(server(ctx), ctx.params['clientId']);
      const s = secret(c, ctx.params['clientSecretId']);
      c.secrets = c.secrets.filter((x) => x.id !== s.id);
      return noContent();
    },

    // ------------------------------------------------------------ claims test + the tokens the Kong Identity IdP issued
    testClaimForClient: (ctx) => {
      const a = server(ctx);
      const c = client(a, ctx.params['clientId']);
      const body = asObj(ctx.body);
      const bad = Object.entries(body).flatMap(([k, v]) => {
        const reason = typeof v === 'string' ? claimTemplateProblem(v) : 'must be a string';
        return reason
          ? [{ field: k, rule: typeof v === 'string' ? 'invalid' : 'is_string', reason, source: 'body' }]
          : [];
      });
      if (bad.length) throw badRequest(bad, `Invalid claim template: ${bad.map((b) => b.reason).join('; ')}`);
      // rendered as the sandbox's Kong Identity IdP renders the claim into a token for this client
      const claimCtx = {
        client: { id: c.id, name: c.name, labels: { ...c.labels } as Record<string, string> },
        authServer: { id: a.id, name: a.name, audience: a.audience, issuer: store.issuerOf(a.id) },
      };
      const out: Obj = {};
      for (const [k, v] of Object.entries(body)) out[k] = renderClaimValue(String(v), claimCtx);
      return json(200, out);
    },
    listAuthServerClientTokens: (ctx) => {
      const a = server(ctx);
      return json(
        200,
        list(tokensOf(a, client(a, ctx.params['clientId'])), ctx.query, core.list, {
          filters: { id: { ops: EQ_OPS, get: (t) => t.id } },
          sorts: { created_at: (t) => t.created_at, expires_at: (t) => t.expires_at },
          view: tokenView,
        }),
      );
    },
    deleteAllAuthServerClientTokens: (ctx) => {
      const a = server(ctx);
      store.tokens.delete(`${a.id}/${client(a, ctx.params['clientId']).id}`);
      return noContent();
    },
    getAuthServerClientToken: (ctx) => {
      const a = server(ctx);
      return json(200, tokenView(token(a, client(a, ctx.params['clientId']), ctx.params['tokenId'])));
    },
    deleteAuthServerClientToken: (ctx) => {
      const a = server(ctx);
      const c = client(a, ctx.params['clientId']);
      const t = token(a, c, ctx.params['tokenId']);
      store.tokens.set(
        `${a.id}/${c.id}`,
        tokensOf(a, c).filter((x) => x !== t),
      );
      return noContent();
    },
  };
}
