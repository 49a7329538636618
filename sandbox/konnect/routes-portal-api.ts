/**
 * The developer-facing Portal API (`/api/v3/...`, spec: Portal API 3.4.0), served on each portal's own listener.
 * Sign-in is the `portalaccesstoken` cookie from `POST /api/v3/developer/authenticate`.
 */
import {
  createApplication,
  createRegistration,
  deleteApplication,
  deleteRegistration,
  newApiKey,
  regenerateSecret,
  sendEventHook,
} from './applications';
import { type Extra, type Routes, asObj, must } from './core';
import { HttpError, type Ctx, badRequest, conflict, forbidden, json, noContent, notFound, unauthorized } from './http';
import { EQ_OPS, LEGACY_OPS, UUID_OPS, list } from './query';
import {
  type ApplicationRec,
  type DeveloperRec,
  type PortalRec,
  type StrategyRec,
  now,
  randomAlnum,
  uuid,
} from './store';
import {
  credentialListItemView,
  developerMeView,
  portalApplicationView,
  portalRegistrationView,
  portalStrategyView,
} from './views';

const MAX_CREDENTIALS = 20;

export function sessionCookies(access: string, refresh: string): string[] {
  return [
    `portalaccesstoken=${access}; Path=/; HttpOnly; SameSite=Lax`,
    `portalrefreshtoken=${refresh}; Path=/api/v3/developer/refresh; HttpOnly; SameSite=Lax`,
  ];
}

export function portalApiRoutes(): Routes {
  const refreshTokens = new Map<string, string>();

  const ctxPortal = (ctx: Ctx<Extra>): PortalRec => must(ctx.extra.portal, 'Portal');
  const me = (ctx: Ctx<Extra>): DeveloperRec => {
    if (!ctx.extra.developer) throw unauthorized();
    return ctx.extra.developer;
  };
  const myApp = (ctx: Ctx<Extra>): ApplicationRec => {
    const d = me(ctx);
    const a = ctx.extra.core.store.applications.get(ctx.params['applicationId'] ?? '');
    return must(a && a.portal_id === d.portal_id && a.owner.id === d.id ? a : undefined, 'Application');
  };
  const strategyOf = (ctx: Ctx<Extra>, a: ApplicationRec): StrategyRec =>
    must(ctx.extra.core.store.strategies.get(a.auth_strategy_id), 'Application auth strategy');

  return {
    // ------------------------------------------------------------ developer account
    authenticate: (ctx) => {
      const { store } = ctx.extra.core;
      const b = asObj(ctx.body);
      const d = store.developerByEmail(ctxPortal(ctx).id, String(b['username']));
      if (!d || d.password === undefined || d.password !== b['password']) throw unauthorized('Invalid credentials');
      if (d.status !== 'approved') throw unauthorized(`Developer account is ${d.status}`);
      const access = randomAlnum(40),
        refresh = randomAlnum(40);
      store.sessions.set(access, d.id);
      refreshTokens.set(refresh, d.id);
      return { status: 204, headers: { 'set-cookie': sessionCookies(access, refresh) } };
    },
    refresh: (ctx) => {
      const { store } = ctx.extra.core;
      const cookie = String(ctx.headers.cookie ?? '');
      const m = /(?:^|;\s*)portalrefreshtoken=([^;]+)/.exec(cookie);
      const devId = m?.[1] ? refreshTokens.get(m[1]) : undefined;
      if (!devId || !store.developers.has(devId)) throw unauthorized('Invalid refresh token');
      const access = randomAlnum(40),
        refresh = randomAlnum(40);
      if (m?.[1]) refreshTokens.delete(m[1]);
      store.sessions.set(access, devId);
      refreshTokens.set(refresh, devId);
      return { status: 204, headers: { 'set-cookie': sessionCookies(access, refresh) } };
    },
    logout: (ctx) => {
      const cookie = String(ctx.headers.cookie ?? '');
      const m = /(?:^|;\s*)portalaccesstoken=([^;]+)/.exec(cookie);
      if (m?.[1]) ctx.extra.core.store.sessions.delete(m[1]);
      return {
        status: 204,
        headers: {
          'set-cookie': [
            'portalaccesstoken=; Path=/; Max-Age=0',
            'portalrefreshtoken=; Path=/api/v3/developer/refresh; Max-Age=0',
          ],
        },
      };
    },
    register: (ctx) => {
      const { store } = ctx.extra.core;
      const p = ctxPortal(ctx);
      const b = asObj(ctx.body);
      const email = String(b['email']);
      let d = store.developerByEmail(p.id, email);
      if (!d)
        d = store.addDeveloper(p.id, {
          email,
          full_name: String(b['full_name']),
          status: p.auto_approve_developers ? 'approved' : 'pending',
        });
      const token = uuid();
      store.devTokens.set(token, { developerId: d.id, kind: 'verify-email' });
      store.outbox.push({ portal_id: p.id, to: d.email, kind: 'verify-email', token, at: now() });
      return { status: 201 };
    },
    'verify-email': (ctx) => {
      const { store } = ctx.extra.core;
      const token = String(asObj(ctx.body)['token']);
      const t = store.devTokens.get(token);
      const d = t?.kind === 'verify-email' ? store.developers.get(t.developerId) : undefined;
      if (!d || d.portal_id !== ctxPortal(ctx).id) throw notFound('Token not found');
      store.devTokens.delete(token);
      const reset = uuid();
      store.devTokens.set(reset, { developerId: d.id, kind: 'reset-password' });
      return json(202, { email: d.email, token: reset });
    },
    'forgot-password': (ctx) => {
      const { store } = ctx.extra.core;
      const p = ctxPortal(ctx);
      const d = store.developerByEmail(p.id, String(asObj(ctx.body)['email']));
      if (d) {
        const token = uuid();
        store.devTokens.set(token, { developerId: d.id, kind: 'reset-password' });
        store.outbox.push({ portal_id: p.id, to: d.email, kind: 'reset-password', token, at: now() });
      }
      return { status: 200 };
    },
    'reset-password': (ctx) => {
      const { store } = ctx.extra.core;
      const b = asObj(ctx.body);
      const t = store.devTokens.get(String(b['token']));
      const d = t?.kind === 'reset-password' ? store.developers.get(t.developerId) : undefined;
      if (!d || d.portal_id !== ctxPortal(ctx).id) throw notFound('Token not found');
      store.devTokens.delete(String(b['token']));
      d.password = String(b['password']);
      d.updated_at = now();
      return noContent();
    },
    'get-developer-me': (ctx) => json(200, developerMeView(me(ctx))),

    // ------------------------------------------------------------ strategies offered here
    'list-application-auth-strategies': (ctx) => {
      const { store } = ctx.extra.core;
      const ids = store.portalStrategyIds(ctxPortal(ctx).id);
      const items = [...store.strategies.values()].filter((s) => ids.has(s.id));
      const credType = (s: StrategyRec): string =>
        s.strategy_type === 'key_auth'
          ? 'key_auth'
          : s.dcr_provider_id
            ? 'client_credentials'
            : 'self_managed_client_credentials';
      return json(
        200,
        list(items, ctx.query, ctx.extra.core.list, {
          filters: {
            name: { ops: LEGACY_OPS, get: (s) => s.display_name || s.name },
            credential_type: { ops: EQ_OPS, get: credType, shorthand: false },
          },
          view: (s) => portalStrategyView(s, store),
        }),
      );
    },

    // ------------------------------------------------------------ applications
    'list-applications': (ctx) => {
      const { store } = ctx.extra.core;
      const d = me(ctx);
      const mine = [...store.applications.values()].filter((a) => a.portal_id === d.portal_id && a.owner.id === d.id);
      return json(
        200,
        list(mine, ctx.query, ctx.extra.core.list, {
          filters: {
            name: { ops: LEGACY_OPS, get: (a) => a.name },
            auth_strategy_id: { ops: EQ_OPS, get: (a) => a.auth_strategy_id },
            team_id: { ops: UUID_OPS, get: (a) => (a.owner.type === 'team' ? a.owner.id : null) },
          },
          view: (a) => portalApplicationView(a, store),
        }),
      );
    },
    'create-application': async (ctx) => {
      const { core } = ctx.extra;
      const b = asObj(ctx.body);
      const input: Parameters<typeof createApplication>[1] = {
        portal: ctxPortal(ctx),
        developer: me(ctx),
        name: String(b['name']),
        description: typeof b['description'] === 'string' ? b['description'] : null,
        strategyId: typeof b['auth_strategy_id'] === 'string' ? b['auth_strategy_id'] : null,
        signal: ctx.signal,
      };
      if (typeof b['client_id'] === 'string') input.clientId = b['client_id'];
      if (typeof b['redirect_uri'] === 'string') input.redirectUri = b['redirect_uri'];
      if (Array.isArray(b['scopes'])) input.scopes = b['scopes'].map(String);
      const { app, clientSecret } = await createApplication(core, input);
      const body: Record<string, unknown> = portalApplicationView(app, core.store);
      if (clientSecret !== undefined) body['client_secret'] = clientSecret;
      return json(201, body);
    },
    'get-application': (ctx) => json(200, portalApplicationView(myApp(ctx), ctx.extra.core.store)),
    'update-application': async (ctx) => {
      const { store } = ctx.extra.core;
      const a = myApp(ctx);
      const b = asObj(ctx.body);
      if (b['redirect_uri'] !== undefined || typeof b['name'] === 'string' || typeof b['description'] === 'string') {
        const uri = b['redirect_uri'] === undefined ? a.redirect_uri : b['redirect_uri'];
        await sendEventHook(
          ctx.extra.core,
          {
            ...a,
            name: typeof b['name'] === 'string' ? b['name'] : a.name,
            description: typeof b['description'] === 'string' ? b['description'] : a.description,
          },
          {
            event_type: 'update_application',
            redirect_uris: typeof uri === 'string' ? [uri] : [],
          },
          ctx.signal,
          true,
        );
      }
      if (typeof b['name'] === 'string' && b['name'] !== a.name) {
        for (const o of store.applications.values())
          if (o.id !== a.id && o.portal_id === a.portal_id && o.owner.id === a.owner.id && o.name === b['name'])
            throw conflict(`An application named "${b['name']}" already exists`);
        a.name = b['name'];
      }
      if (typeof b['description'] === 'string') a.description = b['description'];
      if (b['redirect_uri'] !== undefined)
        a.redirect_uri = typeof b['redirect_uri'] === 'string' ? b['redirect_uri'] : null;
      if (Array.isArray(b['scopes'])) a.scopes = b['scopes'].map(String);
      if (typeof b['client_id'] === 'string') {
        if (a.dcr_provider_id || strategyOf(ctx, a).strategy_type === 'key_auth') {
          throw badRequest([
            {
              field: 'client_id',
              rule: 'invalid',
              reason: 'client_id can only be changed for self-managed client credentials',
              source: 'body',
            },
          ]);
        }
        a.client_id = b['client_id'];
      }
      a.updated_at = now();
      return json(200, portalApplicationView(a, store));
    },
    'delete-application': async (ctx) => {
      await deleteApplication(ctx.extra.core, myApp(ctx), ctx.signal);
      return noContent();
    },
    'regenerate-application-secret': async (ctx) =>
      json(201, await regenerateSecret(ctx.extra.core, myApp(ctx), ctx.signal)),
    'get-application-granted-scopes': (ctx) => {
      const a = myApp(ctx);
      const s = strategyOf(ctx, a);
      if (!a.dcr_provider_id) throw new HttpError(422, 'Unprocessable Content', 'Unsupported IDP');
      const scopes =
        a.scopes ??
        (Array.isArray(s.configs['openid-connect']?.['scopes'])
          ? (s.configs['openid-connect']?.['scopes'] as unknown[]).map(String)
          : []);
      return json(200, { scopes });
    },

    // ------------------------------------------------------------ credentials
    'list-credentials': (ctx) =>
      json(200, list(myApp(ctx).credentials, ctx.query, ctx.extra.core.list, { view: credentialListItemView })),
    'create-credential': (ctx) => {
      const a = myApp(ctx);
      const s = strategyOf(ctx, a);
      const displayName = asObj(ctx.body)['display_name'];
      if (a.credentials.length >= MAX_CREDENTIALS)
        throw forbidden(`Maximum number of Credentials exceeded. Max Allowed: ${MAX_CREDENTIALS}`);
      if (s.strategy_type !== 'key_auth') {
        throw forbidden(
          "This application's auth strategy does not support creating additional credentials in the sandbox",
        );
      }
      const c = newApiKey(s, typeof displayName === 'string' ? displayName : undefined, a.credentials.length);
      a.credentials.push(c);
      a.updated_at = now();
      return json(201, { ...credentialListItemView(c), credential: c.key });
    },
    'update-credential': (ctx) => {
      const a = myApp(ctx);
      const c = must(
        a.credentials.find((x) => x.id === ctx.params['credentialId']),
        'Credential',
      );
      const dn = asObj(ctx.body)['display_name'];
      if (typeof dn === 'string') c.display_name = dn;
      return { status: 200 }; // the spec declares no body for this 200
    },
    'delete-credential': (ctx) => {
      const a = myApp(ctx);
      const c = must(
        a.credentials.find((x) => x.id === ctx.params['credentialId']),
        'Credential',
      );
      if (c.type === 'client_secret' && a.credentials.filter((x) => x.type === 'client_secret').length <= 1) {
        throw conflict('The last client secret of an application cannot be deleted');
      }
      a.credentials = a.credentials.filter((x) => x.id !== c.id);
      return noContent();
    },

    // ------------------------------------------------------------ registrations
    'list-application-registrations': (ctx) => {
      const { store } = ctx.extra.core;
      const a = myApp(ctx);
      return json(
        200,
        list(
          [...store.registrations.values()].filter((r) => r.application_id === a.id),
          ctx.query,
          ctx.extra.core.list,
          {
            filters: {
              id: { ops: EQ_OPS, get: (r) => r.id },
              status: { ops: EQ_OPS, get: (r) => r.status },
              api_name: { ops: LEGACY_OPS, get: (r) => store.apis.get(r.api_id)?.name },
            },
            view: (r) => portalRegistrationView(r, store),
          },
        ),
      );
    },
    'create-application-registration': async (ctx) => {
      const a = myApp(ctx);
      return json(
        201,
        portalRegistrationView(
          await createRegistration(ctx.extra.core, a, String(asObj(ctx.body)['api_id']), ctx.signal),
          ctx.extra.core.store,
        ),
      );
    },
    'get-application-registration': (ctx) => {
      const a = myApp(ctx);
      const r = ctx.extra.core.store.registrations.get(ctx.params['registrationId'] ?? '');
      return json(
        200,
        portalRegistrationView(
          must(r && r.application_id === a.id ? r : undefined, 'Registration'),
          ctx.extra.core.store,
        ),
      );
    },
    'delete-application-registration': async (ctx) => {
      const a = myApp(ctx);
      const r = ctx.extra.core.store.registrations.get(ctx.params['registrationId'] ?? '');
      await deleteRegistration(
        ctx.extra.core,
        a,
        must(r && r.application_id === a.id ? r : undefined, 'Registration'),
        ctx.signal,
      );
      return noContent();
    },
  };
}
