/** `/v3/apis`, implementations, publications and `/v3/api-publications` (spec: API Catalog 3.2.0). */
import {
  type Core,
  type Obj,
  type RouteHandler,
  type Routes,
  asObj,
  labelsOf,
  mergeLabels,
  missingReference,
  must,
} from './core';
import { type Reply, badRequest, conflict, json, noContent } from './http';
import { DATE_OPS, STRING_OPS, UUID_OPS, labelValues, list } from './query';
import { type ApiRec, type ImplementationRec, type PublicationRec, now, slugify, uuid } from './store';
import { apiView, implementationView, publicationListItemView, publicationView } from './views';

export function catalogRoutes(core: Core): Routes {
  const { store } = core;
  const api = (id: string | undefined): ApiRec => must(store.apis.get(id ?? ''), 'API');

  /** Slug and name+version must be unique (the create spec declares no 409, so these are 400s). */
  const checkUnique = (a: Pick<ApiRec, 'name' | 'version' | 'slug'>, self?: string, status: 400 | 409 = 400): void => {
    for (const o of store.apis.values()) {
      if (o.id === self) continue;
      if (o.slug === a.slug) {
        if (status === 409) throw conflict(`slug "${a.slug}" is already used by API "${o.name}"`);
        throw badRequest([
          {
            field: 'slug',
            rule: 'invalid',
            reason: `slug "${a.slug}" is already used by API "${o.name}"`,
            source: 'body',
          },
        ]);
      }
      if (o.name === a.name && (o.version ?? null) === (a.version ?? null)) {
        if (status === 409) throw conflict(`an API named "${a.name}" with version "${a.version ?? ''}" already exists`);
        throw badRequest([
          {
            field: 'name',
            rule: 'invalid',
            reason: `an API named "${a.name}" with version "${a.version ?? ''}" already exists`,
            source: 'body',
          },
        ]);
      }
    }
  };

  const attributesOf = (v: unknown): Record<string, string[]> => {
    const out: Record<string, string[]> = {};
    for (const [k, val] of Object.entries(asObj(v))) if (Array.isArray(val)) out[k] = val.map(String);
    return out;
  };

  const implOf = (apiId: string): ImplementationRec[] =>
    [...store.implementations.values()].filter((i) => i.api_id === apiId);

  const publicationList = (
    items: Iterable<PublicationRec>,
    query: URLSearchParams,
    view: (p: PublicationRec) => Obj,
  ): unknown =>
    list(items, query, core.list, {
      filters: {
        portal_id: { ops: UUID_OPS, get: (p) => p.portal_id },
        portal_name: { ops: STRING_OPS, get: (p) => store.portals.get(p.portal_id)?.name },
        api_id: { ops: UUID_OPS, get: (p) => p.api_id },
        api_name: { ops: STRING_OPS, get: (p) => store.apis.get(p.api_id)?.name },
        auth_strategy_id: { ops: UUID_OPS, get: (p) => p.auth_strategy_ids ?? [] },
        entity_type: { ops: STRING_OPS, get: () => 'api' },
      },
      sorts: {
        portal_id: (p) => p.portal_id,
        portal_name: (p) => store.portals.get(p.portal_id)?.name,
        api_id: (p) => p.api_id,
        api_name: (p) => store.apis.get(p.api_id)?.name,
        created_at: (p) => p.created_at,
        updated_at: (p) => p.updated_at,
      },
      view,
    });

  return {
    'create-api': (ctx) => {
      const b = asObj(ctx.body);
      const name = String(b['name']);
      const version = typeof b['version'] === 'string' ? b['version'] : null;
      const slug =
        typeof b['slug'] === 'string' && b['slug'] ? b['slug'] : slugify(version ? `${name}-${version}` : name);
      const ts = now();
      const a: ApiRec = {
        id: uuid(),
        name,
        description: typeof b['description'] === 'string' ? b['description'] : null,
        version,
        slug,
        labels: labelsOf(b['labels']),
        attributes: attributesOf(b['attributes']),
        created_at: ts,
        updated_at: ts,
      };
      checkUnique(a);
      store.apis.set(a.id, a);
      return json(201, apiView(a, store));
    },
    'list-apis': (ctx) =>
      json(
        200,
        list(store.apis.values(), ctx.query, core.list, {
          filters: {
            id: { ops: UUID_OPS, get: (a) => a.id },
            name: { ops: STRING_OPS, get: (a) => a.name },
            version: { ops: STRING_OPS, get: (a) => a.version },
            labels: { ops: STRING_OPS, get: (a) => labelValues(a.labels) },
            attributes: {
              ops: STRING_OPS,
              get: (a) => Object.entries(a.attributes).flatMap(([k, v]) => [k, ...v.map((x) => `${k}:${x}`)]),
            },
            implementation_mode: { ops: STRING_OPS, get: (a) => (implOf(a.id).length ? 'gateway_entity' : null) },
            created_at: { ops: DATE_OPS, get: (a) => a.created_at },
            updated_at: { ops: DATE_OPS, get: (a) => a.updated_at },
          },
          sorts: {
            name: (a) => a.name,
            version: (a) => a.version,
            slug: (a) => a.slug,
            created_at: (a) => a.created_at,
            updated_at: (a) => a.updated_at,
          },
          view: (a) => apiView(a, store),
        }),
      ),
    'fetch-api': (ctx) => json(200, apiView(api(ctx.params['apiId']), store)),
    'update-api': (ctx) => {
      const a = api(ctx.params['apiId']);
      const b = asObj(ctx.body);
      const next = { ...a };
      if (typeof b['name'] === 'string') next.name = b['name'];
      if (b['description'] !== undefined)
        next.description = typeof b['description'] === 'string' ? b['description'] : null;
      if (b['version'] !== undefined) next.version = typeof b['version'] === 'string' ? b['version'] : null;
      if (typeof b['slug'] === 'string') next.slug = b['slug'];
      checkUnique(next, a.id, 409);
      Object.assign(a, next);
      a.labels = mergeLabels(a.labels, b['labels']);
      if (b['attributes'] !== undefined) a.attributes = attributesOf(b['attributes']);
      a.updated_at = now();
      return json(200, apiView(a, store));
    },
    // The spec declares no 409: deleting an API unpublishes it and drops its implementations and registrations.
    'delete-api': (ctx) => {
      const a = api(ctx.params['apiId']);
      for (const [k, p] of store.publications) if (p.api_id === a.id) store.publications.delete(k);
      for (const i of implOf(a.id)) store.implementations.delete(i.id);
      for (const [k, r] of store.registrations) if (r.api_id === a.id) store.registrations.delete(k);
      store.apis.delete(a.id);
      return noContent();
    },

    'create-api-implementation': {
      // a oneOf of two shapes: check the body against the one it is trying to be (service vs control_plane)
      validate: (ctx) => {
        const b = ctx.body;
        if (typeof b !== 'object' || b === null || Array.isArray(b))
          return core.specs.validateRequest(ctx.op, b).invalidParameters;
        const schema =
          'control_plane' in b && !('service' in b)
            ? 'ApiImplementationControlPlaneEntity'
            : 'ApiImplementationGatewayServiceEntity';
        return core.specs.validateSchema('request', 'cat', schema, b).invalidParameters;
      },
      handler: createImplementation,
    },
    'fetch-api-implementation': (ctx) => {
      const a = api(ctx.params['apiId']);
      const impl = store.implementations.get(ctx.params['implementationId'] ?? '');
      return json(200, implementationView(must(impl && impl.api_id === a.id ? impl : undefined, 'API implementation')));
    },
    'delete-api-implementation': (ctx) => {
      const a = api(ctx.params['apiId']);
      const impl = store.implementations.get(ctx.params['implementationId'] ?? '');
      must(impl && impl.api_id === a.id ? impl : undefined, 'API implementation');
      store.implementations.delete(ctx.params['implementationId'] ?? '');
      return noContent();
    },
    'list-api-implementations': (ctx) =>
      json(
        200,
        list(store.implementations.values(), ctx.query, core.list, {
          filters: {
            id: { ops: UUID_OPS, get: (i) => i.id },
            api_id: { ops: UUID_OPS, get: (i) => i.api_id },
            service_id: { ops: UUID_OPS, get: (i) => i.service?.id },
            control_plane_id: {
              ops: UUID_OPS,
              get: (i) => i.service?.control_plane_id ?? i.control_plane?.control_plane_id,
            },
            created_at: { ops: DATE_OPS, get: (i) => i.created_at },
            updated_at: { ops: DATE_OPS, get: (i) => i.updated_at },
          },
          sorts: { created_at: (i) => i.created_at, updated_at: (i) => i.updated_at },
          view: (i): Obj => ({ ...implementationView(i), api_id: i.api_id }),
        }),
      ),

    'publish-api-to-portal': (ctx) => {
      const a = api(ctx.params['apiId']);
      const portal = must(store.portals.get(ctx.params['portalId'] ?? ''), 'Portal');
      const b = asObj(ctx.body);
      let ids: string[] | null;
      if (b['auth_strategy_ids'] === undefined)
        ids = portal.default_application_auth_strategy_id ? [portal.default_application_auth_strategy_id] : null;
      else if (b['auth_strategy_ids'] === null) ids = null;
      else ids = (b['auth_strategy_ids'] as unknown[]).map(String);
      for (const id of ids ?? [])
        if (!store.strategies.has(id)) missingReference('auth_strategy_ids', 'Application auth strategy', id);
      const key = `${a.id}/${portal.id}`;
      const existing = store.publications.get(key);
      const ts = now();
      const pub: PublicationRec = {
        api_id: a.id,
        portal_id: portal.id,
        auth_strategy_ids: ids,
        visibility:
          b['visibility'] === 'public' || b['visibility'] === 'private'
            ? b['visibility']
            : (existing?.visibility ?? 'private'),
        created_at: existing?.created_at ?? ts,
        updated_at: ts,
      };
      const auto = b['auto_approve_registrations'] ?? existing?.auto_approve_registrations;
      if (typeof auto === 'boolean') pub.auto_approve_registrations = auto;
      store.publications.set(key, pub);
      const warnings =
        ids && !implOf(a.id).length
          ? ['The API is not linked to a Gateway Service: the auth strategy will not be enforced until it is.']
          : [];
      return json(200, { ...publicationView(pub), ...(warnings.length ? { warnings } : {}) });
    },
    'fetch-publication': (ctx) => {
      api(ctx.params['apiId']);
      must(store.portals.get(ctx.params['portalId'] ?? ''), 'Portal');
      return json(
        200,
        publicationView(
          must(
            store.publications.get(`${ctx.params['apiId'] ?? ''}/${ctx.params['portalId'] ?? ''}`),
            'API publication',
          ),
        ),
      );
    },
    'delete-publication': (ctx) => {
      const key = `${ctx.params['apiId'] ?? ''}/${ctx.params['portalId'] ?? ''}`;
      must(store.publications.get(key), 'API publication');
      store.publications.delete(key);
      return noContent();
    },
    'list-api-publications': (ctx) =>
      json(200, publicationList(store.publications.values(), ctx.query, publicationListItemView)),
    'list-portal-api-publications': (ctx) => {
      const portal = must(store.portals.get(ctx.params['portalId'] ?? ''), 'Portal');
      // this list's items (PublicationListItem) carry portal_ids instead of portal_id
      return json(
        200,
        publicationList(
          [...store.publications.values()].filter((p) => p.portal_id === portal.id),
          ctx.query,
          (p) => {
            const { portal_id, ...rest } = publicationListItemView(p);
            return { ...rest, portal_ids: [portal_id] };
          },
        ),
      );
    },
  };

  function createImplementation(ctx: Parameters<RouteHandler>[0]): Reply {
    const a = api(ctx.params['apiId']);
    const b = asObj(ctx.body);
    if (implOf(a.id).length) throw conflict(`API "${a.name}" is already linked to a Gateway Service`);
    const ts = now();
    const impl: ImplementationRec = { id: uuid(), api_id: a.id, created_at: ts, updated_at: ts };
    const service = asObj(b['service']);
    if (b['service'] !== undefined) {
      const taken = [...store.implementations.values()].find(
        (i) => i.service?.id === service['id'] && i.service?.control_plane_id === service['control_plane_id'],
      );
      if (taken) throw conflict(`Gateway Service ${String(service['id'])} already implements API ${taken.api_id}`);
      impl.service = { control_plane_id: String(service['control_plane_id']), id: String(service['id']) };
    } else {
      impl.control_plane = { control_plane_id: String(asObj(b['control_plane'])['control_plane_id']) };
    }
    store.implementations.set(impl.id, impl);
    return json(201, implementationView(impl));
  }
}
