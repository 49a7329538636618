/**
 * `/v2/control-planes/{controlPlaneId}/core-entities/{services,plugins}` (spec: Konnect Control Planes Configuration
 * 3.15.0, Kong Gateway's Admin API as Konnect serves it per control plane). Only what Konnect DCR reads (which
 * Gateway Service implements an API, which plugins enforce its auth strategies, which consumers a portal
 * application's registration can be mapped to) and what the tests need to build that: list, get, create, upsert and
 * delete of services, plugins and consumers, and a service's plugins.
 *
 * Choices where the spec is silent: any control plane id is a control plane (there is no control plane registry
 * here); lists are in creation order, paged with Kong's `size` / `offset` (the offset is the next index); a missing
 * entity is a 404 with no body (the spec declares none); deleting a missing entity is a 204, as Kong answers;
 * deleting a service deletes the plugins scoped to it.
 */
import { randomUUID } from 'node:crypto';
import { type Core, type Obj, type RouteHandler, type Routes, asObj } from './core';
import { type Reply, badRequest, json, noContent } from './http';
import type { GatewayEntityRec } from './store';

const unix = (): number => Math.floor(Date.now() / 1000);

export function controlPlaneConfigRoutes(core: Core): Routes {
  const { store } = core;
  const key = (cp: string | undefined, id: string | undefined): string => `${cp ?? ''}/${id ?? ''}`;
  const view = (r: GatewayEntityRec): Obj => ({
    ...r.body,
    id: r.id,
    created_at: r.created_at,
    updated_at: r.updated_at,
  });
  // the spec's 404 declares no body
  const missing: Reply = { status: 404 };

  const page = (items: GatewayEntityRec[], query: URLSearchParams, path: string): Reply => {
    const sizeRaw = query.get('size');
    const size = sizeRaw === null ? 100 : Number(sizeRaw);
    if (!Number.isInteger(size) || size < 1 || size > 1000)
      throw badRequest([
        { field: 'size', rule: 'invalid', reason: 'size must be an integer from 1 to 1000', source: 'query' },
      ]);
    const start = Number(query.get('offset') ?? '0') || 0;
    const eq = query.get('filter[name][eq]');
    const contains = query.get('filter[name][contains]')?.toLowerCase();
    const matching = items.filter((r) => {
      const name = typeof r.body['name'] === 'string' ? r.body['name'] : '';
      return (eq === null || name === eq) && (contains === undefined || name.toLowerCase().includes(contains));
    });
    const slice = matching.slice(start, start + size);
    const next = start + size < matching.length ? String(start + size) : undefined;
    return json(200, {
      data: slice.map(view),
      ...(next ? { offset: next, next: `${path}?size=${size}&offset=${next}` } : {}),
    });
  };

  const inCp = (m: Map<string, GatewayEntityRec>, cp: string | undefined): GatewayEntityRec[] =>
    [...m.values()].filter((r) => r.control_plane_id === cp);

  const create =
    (m: Map<string, GatewayEntityRec>, scopeToService = false): RouteHandler =>
    (ctx) => {
      const cp = ctx.params['controlPlaneId'] ?? '';
      const body = { ...asObj(ctx.body) };
      delete body['id'];
      if (scopeToService) body['service'] = { id: ctx.params['ServiceId'] ?? '' };
      const given = asObj(ctx.body)['id'];
      const id = typeof given === 'string' && given ? given : randomUUID();
      const ts = unix();
      const rec: GatewayEntityRec = { control_plane_id: cp, id, body, created_at: ts, updated_at: ts };
      m.set(key(cp, id), rec);
      return json(201, view(rec));
    };

  const upsert =
    (m: Map<string, GatewayEntityRec>, idParam: string): RouteHandler =>
    (ctx) => {
      const cp = ctx.params['controlPlaneId'] ?? '';
      const id = ctx.params[idParam] ?? '';
      const body = { ...asObj(ctx.body) };
      delete body['id'];
      const old = m.get(key(cp, id));
      const ts = unix();
      const rec: GatewayEntityRec = {
        control_plane_id: cp,
        id,
        body,
        created_at: old?.created_at ?? ts,
        updated_at: ts,
      };
      m.set(key(cp, id), rec);
      return json(200, view(rec));
    };

  const get =
    (m: Map<string, GatewayEntityRec>, idParam: string): RouteHandler =>
    (ctx) => {
      const rec = m.get(key(ctx.params['controlPlaneId'], ctx.params[idParam]));
      return rec ? json(200, view(rec)) : missing;
    };

  return {
    'list-service': (ctx) => page(inCp(store.gatewayServices, ctx.params['controlPlaneId']), ctx.query, ctx.path),
    'create-service': create(store.gatewayServices),
    'get-service': get(store.gatewayServices, 'ServiceId'),
    'upsert-service': upsert(store.gatewayServices, 'ServiceId'),
    'delete-service': (ctx) => {
      const cp = ctx.params['controlPlaneId'];
      const id = ctx.params['ServiceId'];
      store.gatewayServices.delete(key(cp, id));
      for (const p of inCp(store.gatewayPlugins, cp))
        if (asObj(p.body['service'])['id'] === id) store.gatewayPlugins.delete(key(cp, p.id));
      return noContent();
    },

    // consumers: what a portal application's registration can be mapped to (Portal Management's consumer mapping)
    'list-consumer': (ctx) => page(inCp(store.gatewayConsumers, ctx.params['controlPlaneId']), ctx.query, ctx.path),
    'create-consumer': create(store.gatewayConsumers),
    'get-consumer': get(store.gatewayConsumers, 'ConsumerId'),
    'upsert-consumer': upsert(store.gatewayConsumers, 'ConsumerId'),
    'delete-consumer': (ctx) => {
      const cp = ctx.params['controlPlaneId'] ?? '';
      const id = ctx.params['ConsumerId'] ?? '';
      store.gatewayConsumers.delete(key(cp, id));
      for (const [k, v] of store.applicationConsumers)
        if (v === id && k.endsWith(`/${cp}`)) store.applicationConsumers.delete(k);
      return noContent();
    },

    'list-plugin': (ctx) => page(inCp(store.gatewayPlugins, ctx.params['controlPlaneId']), ctx.query, ctx.path),
    'create-plugin': create(store.gatewayPlugins),
    'get-plugin': get(store.gatewayPlugins, 'PluginId'),
    'upsert-plugin': upsert(store.gatewayPlugins, 'PluginId'),
    'delete-plugin': (ctx) => {
      store.gatewayPlugins.delete(key(ctx.params['controlPlaneId'], ctx.params['PluginId']));
      return noContent();
    },
    'list-plugin-with-service': (ctx) => {
      const cp = ctx.params['controlPlaneId'];
      const sid = ctx.params['ServiceId'];
      if (!store.gatewayServices.has(key(cp, sid))) return missing;
      return page(
        inCp(store.gatewayPlugins, cp).filter((p) => asObj(p.body['service'])['id'] === sid),
        ctx.query,
        ctx.path,
      );
    },
    'create-plugin-with-service': (ctx) => {
      if (!store.gatewayServices.has(key(ctx.params['controlPlaneId'], ctx.params['ServiceId']))) return missing;
      return create(store.gatewayPlugins, true)(ctx);
    },
  };
}
