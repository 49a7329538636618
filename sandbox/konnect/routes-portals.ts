/** `/v3/portals`, developers, and the admin view of applications, credentials, registrations (spec: Portal Management 3.9.8). */
import { createApplication, createRegistration, deleteApplication, deleteRegistration } from './applications';
import { type Core, type Routes, asObj, labelsOf, mergeLabels, missingReference, must } from './core';
import { HttpError, badRequest, conflict, json, noContent, notFound } from './http';
import { STRING_OPS, UUID_OPS, list } from './query';
import {
  type ApplicationRec,
  type DeveloperRec,
  type PortalRec,
  type RegistrationRec,
  type RegistrationStatus,
  now,
  slugify,
  uuid,
} from './store';
import {
  adminApplicationView,
  adminRegistrationView,
  credentialListItemView,
  developerView,
  portalView,
} from './views';

const BOOL_OPS = ['eq'] as const;

export function portalRoutes(core: Core): Routes {
  const { store } = core;
  const portal = (id: string | undefined): PortalRec => must(store.portals.get(id ?? ''), 'Portal');
  const app = (p: PortalRec, id: string | undefined): ApplicationRec => {
    const a = store.applications.get(id ?? '');
    return must(a && a.portal_id === p.id ? a : undefined, 'Application');
  };
  const developer = (p: PortalRec, id: string | undefined): DeveloperRec => {
    const d = store.developers.get(id ?? '');
    return must(d && d.portal_id === p.id ? d : undefined, 'Developer');
  };
  const registration = (a: ApplicationRec, id: string | undefined): RegistrationRec => {
    const r = store.registrations.get(id ?? '');
    return must(r && r.application_id === a.id ? r : undefined, 'Application registration');
  };
  const checkStrategy = (id: unknown): string | null => {
    if (id === undefined || id === null) return null;
    if (!store.strategies.has(String(id)))
      missingReference('default_application_auth_strategy_id', 'Application auth strategy', id);
    return String(id);
  };
  const registrationSorts = {
    created_at: (r: RegistrationRec) => r.created_at,
    updated_at: (r: RegistrationRec) => r.updated_at,
    status: (r: RegistrationRec) => r.status,
  };

  return {
    // ------------------------------------------------------------ portals
    'list-portals': (ctx) =>
      json(
        200,
        list(store.portals.values(), ctx.query, core.list, {
          filters: {
            id: { ops: UUID_OPS, get: (p) => p.id },
            name: { ops: STRING_OPS, get: (p) => p.name },
            description: { ops: STRING_OPS, get: (p) => p.description },
            authentication_enabled: { ops: BOOL_OPS, get: (p) => p.authentication_enabled },
            rbac_enabled: { ops: BOOL_OPS, get: (p) => p.rbac_enabled },
            default_api_visibility: { ops: STRING_OPS, get: (p) => p.default_api_visibility },
            default_page_visibility: { ops: STRING_OPS, get: (p) => p.default_page_visibility },
            default_application_auth_strategy_id: { ops: UUID_OPS, get: (p) => p.default_application_auth_strategy_id },
            auto_approve_developers: { ops: BOOL_OPS, get: (p) => p.auto_approve_developers },
            auto_approve_applications: { ops: BOOL_OPS, get: (p) => p.auto_approve_applications },
            default_domain: { ops: STRING_OPS, get: (p) => p.default_domain },
            canonical_domain: { ops: STRING_OPS, get: (p) => p.canonical_domain },
          },
          sorts: {
            name: (p) => p.name,
            description: (p) => p.description,
            authentication_enabled: (p) => p.authentication_enabled,
            rbac_enabled: (p) => p.rbac_enabled,
            auto_approve_applications: (p) => p.auto_approve_applications,
            auto_approve_developers: (p) => p.auto_approve_developers,
            default_domain: (p) => p.default_domain,
            canonical_domain: (p) => p.canonical_domain,
            created_at: (p) => p.created_at,
            updated_at: (p) => p.updated_at,
          },
          view: portalView,
        }),
      ),
    'create-portal': async (ctx) => {
      const b = asObj(ctx.body);
      const ts = now();
      const id = uuid();
      const name = String(b['name']);
      const domain = `${slugify(name).slice(0, 40) || 'portal'}-${id.slice(0, 8)}.kongportals.localhost`;
      const p: PortalRec = {
        id,
        name,
        display_name: typeof b['display_name'] === 'string' ? b['display_name'] : name,
        description: typeof b['description'] === 'string' ? b['description'] : null,
        authentication_enabled: b['authentication_enabled'] !== false,
        rbac_enabled: b['rbac_enabled'] === true,
        sipr_enabled: b['sipr_enabled'] === true,
        default_api_visibility: b['default_api_visibility'] === 'public' ? 'public' : 'private',
        default_page_visibility: b['default_page_visibility'] === 'public' ? 'public' : 'private',
        default_application_auth_strategy_id: checkStrategy(b['default_application_auth_strategy_id']),
        auto_approve_developers: b['auto_approve_developers'] === true,
        auto_approve_applications: b['auto_approve_applications'] === true,
        default_domain: domain,
        canonical_domain: domain,
        labels: labelsOf(b['labels']),
        notifications_developer_pii_visibility_enabled: b['notifications_developer_pii_visibility_enabled'] === true,
        created_at: ts,
        updated_at: ts,
        api_url: '',
      };
      store.portals.set(p.id, p);
      p.api_url = await core.openPortal(p);
      const seed = core.seedDeveloper;
      store.addDeveloper(p.id, {
        email: seed.email,
        full_name: seed.full_name,
        password: seed.password,
        status: 'approved',
      });
      return json(201, portalView(p), { 'x-kdcr-portal-api-url': p.api_url });
    },
    'get-portal': (ctx) => {
      const p = portal(ctx.params['portalId']);
      return json(200, portalView(p), { 'x-kdcr-portal-api-url': p.api_url });
    },
    'update-portal': (ctx) => {
      const p = portal(ctx.params['portalId']);
      const b = asObj(ctx.body);
      for (const k of ['name', 'display_name'] as const) if (typeof b[k] === 'string') p[k] = b[k];
      if (b['description'] !== undefined)
        p.description = typeof b['description'] === 'string' ? b['description'] : null;
      for (const k of [
        'authentication_enabled',
        'rbac_enabled',
        'sipr_enabled',
        'auto_approve_developers',
        'auto_approve_applications',
        'notifications_developer_pii_visibility_enabled',
      ] as const) {
        if (typeof b[k] === 'boolean') p[k] = b[k];
      }
      for (const k of ['default_api_visibility', 'default_page_visibility'] as const)
        if (b[k] === 'public' || b[k] === 'private') p[k] = b[k];
      if (b['default_application_auth_strategy_id'] !== undefined)
        p.default_application_auth_strategy_id = checkStrategy(b['default_application_auth_strategy_id']);
      p.labels = mergeLabels(p.labels, b['labels']);
      p.updated_at = now();
      return json(200, portalView(p), { 'x-kdcr-portal-api-url': p.api_url });
    },
    'delete-portal': async (ctx) => {
      const p = portal(ctx.params['portalId']);
      for (const a of [...store.applications.values()].filter((x) => x.portal_id === p.id))
        await deleteApplication(core, a, ctx.signal);
      for (const [k, pub] of store.publications) if (pub.portal_id === p.id) store.publications.delete(k);
      for (const [k, d] of store.developers) if (d.portal_id === p.id) store.developers.delete(k);
      for (const [t, devId] of store.sessions) if (!store.developers.has(devId)) store.sessions.delete(t);
      store.portals.delete(p.id);
      await core.closePortal(p.id);
      return noContent();
    },

    // ------------------------------------------------------------ developers
    'list-portal-developers': (ctx) => {
      const p = portal(ctx.params['portalId']);
      return json(
        200,
        list(
          [...store.developers.values()].filter((d) => d.portal_id === p.id),
          ctx.query,
          core.list,
          {
            filters: {
              name: { ops: STRING_OPS, get: (d) => d.full_name },
              status: { ops: STRING_OPS, get: (d) => d.status },
              email: { ops: STRING_OPS, get: (d) => d.email },
            },
            sorts: {
              created_at: (d) => d.created_at,
              updated_at: (d) => d.updated_at,
              email: (d) => d.email,
              name: (d) => d.full_name,
              status: (d) => d.status,
            },
            view: developerView,
          },
        ),
      );
    },
    'create-developer': (ctx) => {
      const p = portal(ctx.params['portalId']);
      const b = asObj(ctx.body);
      const email = String(b['email']);
      if (store.developerByEmail(p.id, email)) throw conflict('Developer with the given email already exists');
      const status = typeof b['status'] === 'string' ? (b['status'] as DeveloperRec['status']) : undefined;
      const d = store.addDeveloper(p.id, {
        email,
        full_name: String(b['full_name']),
        status: status ?? (p.auto_approve_developers ? 'approved' : 'pending'),
      });
      return json(201, developerView(d));
    },
    'get-developer': (ctx) =>
      json(200, developerView(developer(portal(ctx.params['portalId']), ctx.params['developerId']))),
    'update-developer': (ctx) => {
      const d = developer(portal(ctx.params['portalId']), ctx.params['developerId']);
      const status = asObj(ctx.body)['status'];
      if (typeof status === 'string') d.status = status as DeveloperRec['status'];
      d.updated_at = now();
      return json(200, developerView(d));
    },
    'delete-developer': async (ctx) => {
      const p = portal(ctx.params['portalId']);
      const d = developer(p, ctx.params['developerId']);
      for (const a of [...store.applications.values()].filter((x) => x.owner.id === d.id))
        await deleteApplication(core, a, ctx.signal);
      store.developers.delete(d.id);
      for (const [t, devId] of store.sessions) if (devId === d.id) store.sessions.delete(t);
      return noContent();
    },

    // ------------------------------------------------------------ applications (admin view)
    'list-applications': (ctx) => {
      const p = portal(ctx.params['portalId']);
      return json(
        200,
        list(
          [...store.applications.values()].filter((a) => a.portal_id === p.id),
          ctx.query,
          core.list,
          {
            filters: {
              developer_id: { ops: UUID_OPS, get: (a) => (a.owner.type === 'developer' ? a.owner.id : null) },
              name: { ops: STRING_OPS, get: (a) => a.name },
              team_id: { ops: UUID_OPS, get: (a) => (a.owner.type === 'team' ? a.owner.id : null) },
            },
            sorts: { created_at: (a) => a.created_at, developer_id: (a) => a.owner.id, name: (a) => a.name },
            view: (a) => adminApplicationView(a, store),
          },
        ),
      );
    },
    'create-application': async (ctx) => {
      const p = portal(ctx.params['portalId']);
      const b = asObj(ctx.body);
      const owner = asObj(b['owner']);
      // the spec declares no 404 or 409 here: a missing owner or strategy, or a taken name, is a 400 on its field
      const d = owner['type'] === 'developer' ? store.developers.get(String(owner['id'])) : undefined;
      if (!d || d.portal_id !== p.id)
        missingReference('owner.id', owner['type'] === 'team' ? 'Team' : 'Developer', owner['id']);
      const input: Parameters<typeof createApplication>[1] = {
        portal: p,
        developer: d,
        name: String(b['name']),
        description: typeof b['description'] === 'string' ? b['description'] : null,
        strategyId: typeof b['auth_strategy_id'] === 'string' ? b['auth_strategy_id'] : null,
        signal: ctx.signal,
      };
      if (typeof b['client_id'] === 'string') input.clientId = b['client_id'];
      if (typeof b['dcr_client_id'] === 'string') input.dcrClientId = b['dcr_client_id'];
      try {
        const { app: a } = await createApplication(core, input);
        a.labels = labelsOf(b['labels']);
        return json(201, adminApplicationView(a, store));
      } catch (e) {
        if (e instanceof HttpError && (e.status === 404 || e.status === 409)) {
          const field = e.status === 404 ? 'auth_strategy_id' : 'name';
          throw badRequest([{ field, rule: 'invalid', reason: e.detail, source: 'body' }], e.detail);
        }
        throw e;
      }
    },
    'get-application': (ctx) =>
      json(200, adminApplicationView(app(portal(ctx.params['portalId']), ctx.params['applicationId']), store)),
    'get-application-unscoped': (ctx) =>
      json(
        200,
        adminApplicationView(must(store.applications.get(ctx.params['applicationId'] ?? ''), 'Application'), store),
      ),
    'update-application': (ctx) => {
      const p = portal(ctx.params['portalId']);
      const a = app(p, ctx.params['applicationId']);
      const owner = asObj(asObj(ctx.body)['owner']);
      if (owner['type'] === 'developer') {
        developer(p, String(owner['id']));
        a.owner = { type: 'developer', id: String(owner['id']) };
      } else if (owner['type'] === 'team') {
        a.owner = { type: 'team', id: String(owner['id']) };
      }
      a.updated_at = now();
      return json(200, adminApplicationView(a, store));
    },
    'delete-application': async (ctx) => {
      const a = app(portal(ctx.params['portalId']), ctx.params['applicationId']);
      await deleteApplication(core, a, ctx.signal);
      return noContent();
    },
    'list-credentials-by-application': (ctx) => {
      const a = app(portal(ctx.params['portalId']), ctx.params['applicationId']);
      return json(200, list(a.credentials, ctx.query, core.list, { view: credentialListItemView }));
    },

    // ------------------------------------------------------------ registrations (admin view)
    'list-registrations': (ctx) => {
      const p = portal(ctx.params['portalId']);
      return json(
        200,
        list(
          [...store.registrations.values()].filter((r) => r.portal_id === p.id),
          ctx.query,
          core.list,
          {
            filters: {
              developer_id: { ops: UUID_OPS, get: (r) => store.applications.get(r.application_id)?.owner.id },
              application_name: { ops: STRING_OPS, get: (r) => store.applications.get(r.application_id)?.name },
              status: { ops: STRING_OPS, get: (r) => r.status },
            },
            sorts: { ...registrationSorts, developer_id: (r) => store.applications.get(r.application_id)?.owner.id },
            view: (r) => adminRegistrationView(r, store),
          },
        ),
      );
    },
    'list-registrations-by-application': (ctx) => {
      const a = app(portal(ctx.params['portalId']), ctx.params['applicationId']);
      return json(
        200,
        list(
          [...store.registrations.values()].filter((r) => r.application_id === a.id),
          ctx.query,
          core.list,
          {
            filters: { status: { ops: STRING_OPS, get: (r) => r.status } },
            sorts: registrationSorts,
            view: (r) => adminRegistrationView(r, store),
          },
        ),
      );
    },
    'create-application-registration': async (ctx) => {
      const a = app(portal(ctx.params['portalId']), ctx.params['applicationId']);
      const b = asObj(ctx.body);
      const status = b['status'] === 'approved' || b['status'] === 'pending' ? b['status'] : undefined;
      return json(
        201,
        adminRegistrationView(await createRegistration(core, a, String(b['api_id']), ctx.signal, status), store),
      );
    },
    'get-application-registration': (ctx) => {
      const a = app(portal(ctx.params['portalId']), ctx.params['applicationId']);
      return json(200, adminRegistrationView(registration(a, ctx.params['registrationId']), store));
    },
    'update-application-registration': (ctx) => {
      const a = app(portal(ctx.params['portalId']), ctx.params['applicationId']);
      const r = registration(a, ctx.params['registrationId']);
      const status = asObj(ctx.body)['status'];
      if (typeof status === 'string') r.status = status as RegistrationStatus;
      r.updated_at = now();
      return json(200, adminRegistrationView(r, store));
    },
    'delete-application-registration': async (ctx) => {
      const a = app(portal(ctx.params['portalId']), ctx.params['applicationId']);
      await deleteRegistration(core, a, registration(a, ctx.params['registrationId']), ctx.signal);
      return noContent();
    },

    // ------------------------------------------------------------ a registration's Gateway Consumer mapping
    // The Gateway context is the control plane the registration's API is implemented in; the mapping belongs to the
    // application in that context, so registrations of APIs implemented in the same control plane share it.
    'update-application-registration-consumer': (ctx) => {
      const a = app(portal(ctx.params['portalId']), ctx.params['applicationId']);
      const r = registration(a, ctx.params['registrationId']);
      const consumerId = String(asObj(ctx.body)['id']);
      const cp = store.controlPlaneOfApi(r.api_id);
      if (!cp)
        throw badRequest([
          {
            field: 'id',
            rule: 'invalid',
            reason: "the registration's API is not implemented in a Gateway, so it has no Gateway context",
            source: 'body',
          },
        ]);
      if (!store.gatewayConsumers.has(`${cp}/${consumerId}`))
        throw badRequest([
          { field: 'id', rule: 'invalid', reason: 'this gateway consumer id does not exist', source: 'body' },
        ]);
      store.applicationConsumers.set(`${a.id}/${cp}`, consumerId);
      return noContent();
    },
    'delete-application-registration-consumer': (ctx) => {
      const a = app(portal(ctx.params['portalId']), ctx.params['applicationId']);
      const r = registration(a, ctx.params['registrationId']);
      const cp = store.controlPlaneOfApi(r.api_id);
      if (!cp || !store.applicationConsumers.delete(`${a.id}/${cp}`))
        throw notFound('No Gateway Consumer is mapped to this registration');
      return noContent();
    },
  };
}
