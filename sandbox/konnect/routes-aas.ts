/** `/v2/dcr-providers` and `/v2/application-auth-strategies` (spec: Application Auth Strategies 2.1.1). */
import type { ProviderType, VerifyResult } from '../contracts';
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
import type { InvalidParameter } from './openapi';
import { EQ_OPS, LEGACY_OPS, STRING_OPS, UUID_OPS, labelValues, list } from './query';
import { now, type ProviderRec, type StrategyRec, uuid } from './store';
import { providerView, strategyView } from './views';

const SECRET_KEYS = ['initial_client_secret', 'dcr_token', 'api_key'] as const;
type Secrets = ProviderRec['secrets'];

const UPDATE_SCHEMA: Partial<Record<ProviderType, string>> = {
  auth0: 'UpdateDcrConfigAuth0InRequest',
  azureAd: 'UpdateDcrConfigAzureAdInRequest',
  curity: 'UpdateDcrConfigCurityInRequest',
  okta: 'UpdateDcrConfigOktaInRequest',
  http: 'UpdateDcrConfigHttpInRequest',
};

/** The response-shaped dcr_config for a type (defaults filled), from a merged request-shaped one. */
function publicConfig(type: ProviderType, cfg: Obj): Obj {
  switch (type) {
    case 'auth0':
      return {
        initial_client_id: cfg['initial_client_id'],
        initial_client_audience: cfg['initial_client_audience'] ?? null,
        use_developer_managed_scopes: cfg['use_developer_managed_scopes'] ?? false,
      };
    case 'azureAd':
    case 'curity':
      return { initial_client_id: cfg['initial_client_id'] };
    case 'http':
      return {
        dcr_base_url: cfg['dcr_base_url'],
        disable_event_hooks: cfg['disable_event_hooks'] ?? false,
        disable_refresh_secret: cfg['disable_refresh_secret'] ?? false,
        allow_multiple_credentials: cfg['allow_multiple_credentials'] ?? false,
      };
    default:
      return {};
  }
}

function splitSecrets(cfg: Obj, into: Secrets): Secrets {
  const out: Secrets = { ...into };
  for (const k of SECRET_KEYS) {
    const v = cfg[k];
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}

export function dcrProviderRoutes(core: Core): Routes {
  const { store } = core;
  const view = (p: ProviderRec): Obj => providerView(p, store);
  const cfgValue = (p: ProviderRec, k: string): string | undefined => {
    const v = p.dcr_config[k];
    return typeof v === 'string' ? v : undefined;
  };

  return {
    'list-dcr-providers': (ctx) =>
      json(
        200,
        list(store.providers.values(), ctx.query, core.list, {
          filters: {
            id: { ops: LEGACY_OPS, get: (p) => p.id },
            issuer: { ops: LEGACY_OPS, get: (p) => p.issuer },
            name: { ops: LEGACY_OPS, get: (p) => p.name },
            provider_type: { ops: EQ_OPS, get: (p) => p.provider_type },
            initial_client_id: { ops: LEGACY_OPS, get: (p) => cfgValue(p, 'initial_client_id') },
            initial_client_audience: { ops: LEGACY_OPS, get: (p) => cfgValue(p, 'initial_client_audience') },
          },
          sorts: {
            created_at: (p) => p.created_at,
            updated_at: (p) => p.updated_at,
            provider_type: (p) => p.provider_type,
            issuer: (p) => p.issuer,
            name: (p) => p.name,
          },
          view,
        }),
      ),

    'create-dcr-provider': (ctx) => {
      const b = asObj(ctx.body);
      const type = b['provider_type'] as ProviderType;
      const cfg = asObj(b['dcr_config']);
      const ts = now();
      const rec: ProviderRec = {
        id: uuid(),
        name: String(b['name']),
        provider_type: type,
        issuer: String(b['issuer']),
        dcr_config: publicConfig(type, cfg),
        secrets: splitSecrets(cfg, {}),
        labels: labelsOf(b['labels']),
        created_at: ts,
        updated_at: ts,
      };
      if (typeof b['display_name'] === 'string') rec.display_name = b['display_name'];
      store.providers.set(rec.id, rec);
      return json(201, view(rec));
    },

    'get-dcr-provider': (ctx) =>
      json(200, view(must(store.providers.get(ctx.params['dcrProviderId'] ?? ''), 'DCR provider'))),

    'update-dcr-provider': {
      // dcr_config is checked against the Update*InRequest schema of the provider's own type (the spec's anyOf
      // over all types would report every other type's complaints too); the rest against the spec as usual.
      validate: (ctx) => {
        const b = asObj(ctx.body);
        const op = ctx.op;
        const rest: InvalidParameter[] = core.specs.validateRequest(op, { ...b, dcr_config: {} }).invalidParameters;
        if (ctx.body === undefined || typeof ctx.body !== 'object')
          return core.specs.validateRequest(op, ctx.body).invalidParameters;
        const p = store.providers.get(ctx.params['dcrProviderId'] ?? '');
        if (!p || b['dcr_config'] === undefined) return rest;
        const schema = UPDATE_SCHEMA[p.provider_type];
        if (!schema) {
          const keys = Object.keys(asObj(b['dcr_config']));
          const typeErr: InvalidParameter[] =
            typeof b['dcr_config'] === 'object' && b['dcr_config'] !== null && !Array.isArray(b['dcr_config'])
              ? []
              : [{ field: 'dcr_config', rule: 'is_object', reason: '"dcr_config" must be an object', source: 'body' }];
          return [
            ...rest,
            ...typeErr,
            ...keys.map((k) => ({
              field: `dcr_config.${k}`,
              rule: 'unknown_property',
              reason: `"dcr_config.${k}" is not allowed`,
              source: 'body',
            })),
          ];
        }
        return [
          ...rest,
          ...core.specs.validateSchema('request', 'aas', schema, b['dcr_config'], 'body', 'dcr_config')
            .invalidParameters,
        ];
      },
      handler: (ctx) => {
        const p = must(store.providers.get(ctx.params['dcrProviderId'] ?? ''), 'DCR provider');
        const b = asObj(ctx.body);
        if (typeof b['name'] === 'string') p.name = b['name'];
        if (typeof b['display_name'] === 'string') p.display_name = b['display_name'];
        if (typeof b['issuer'] === 'string') p.issuer = b['issuer'];
        p.labels = mergeLabels(p.labels, b['labels']);
        if (b['dcr_config'] !== undefined) {
          // merge, as kongctl observed against real Konnect: keys not sent keep their value
          const cfg = asObj(b['dcr_config']);
          p.dcr_config = publicConfig(p.provider_type, { ...p.dcr_config, ...cfg });
          p.secrets = splitSecrets(cfg, p.secrets);
        }
        p.updated_at = now();
        return json(200, view(p));
      },
    },

    'delete-dcr-provider': (ctx) => {
      const id = ctx.params['dcrProviderId'] ?? '';
      must(store.providers.get(id), 'DCR provider');
      // The spec declares no 409 here; strategies that pointed at it simply lose their link.
      store.providers.delete(id);
      for (const s of store.strategies.values()) if (s.dcr_provider_id === id) s.dcr_provider_id = null;
      return noContent();
    },

    'verify-dcr-provider': async (ctx) => {
      const p = must(store.providers.get(ctx.params['dcrProviderId'] ?? ''), 'DCR provider');
      const driver = core.driverFor(p.provider_type);
      let result: VerifyResult;
      if (!driver)
        result = { status: 'failed', errors: [`No DCR driver for provider_type ${p.provider_type} in this sandbox`] };
      else {
        try {
          const r = await core.callDriver(ctx.signal, (sig) => driver.verify(structuredClone(p), sig));
          result = { status: r.status === 'success' ? 'success' : 'failed', errors: r.errors.map(String) };
        } catch (e) {
          result = { status: 'failed', errors: [e instanceof Error ? e.message : String(e)] };
        }
      }
      return json(200, result);
    },
  };
}

function strategyTypeConfigKey(t: StrategyRec['strategy_type']): 'key-auth' | 'openid-connect' {
  return t === 'key_auth' ? 'key-auth' : 'openid-connect';
}

export function authStrategyRoutes(core: Core): Routes {
  const { store } = core;
  const view = (s: StrategyRec): Obj => strategyView(s, store);
  const provider = (s: StrategyRec): ProviderRec | undefined =>
    s.dcr_provider_id ? store.providers.get(s.dcr_provider_id) : undefined;

  const checkProvider = (id: unknown): string | null => {
    if (id === undefined || id === null) return null;
    if (!store.providers.has(String(id))) missingReference('dcr_provider_id', 'DCR provider', id);
    return String(id);
  };

  /** Create and replace share the body schema. */
  const build = (b: Obj, id: string, created_at: string): StrategyRec => {
    const type = b['strategy_type'] === 'key_auth' ? 'key_auth' : 'openid_connect';
    const rec: StrategyRec = {
      id,
      name: String(b['name']),
      display_name: String(b['display_name'] ?? ''),
      strategy_type: type,
      configs: structuredClone(asObj(b['configs'])) as StrategyRec['configs'],
      dcr_provider_id: type === 'openid_connect' ? checkProvider(b['dcr_provider_id']) : null,
      labels: labelsOf(b['labels']),
      created_at,
      updated_at: now(),
    };
    const principals = b['principals'];
    if (principals !== undefined) rec.principals = { enabled: asObj(principals)['enabled'] === true };
    return rec;
  };

  return {
    'list-app-auth-strategies': (ctx) =>
      json(
        200,
        list(store.strategies.values(), ctx.query, core.list, {
          filters: {
            strategy_type: { ops: STRING_OPS, get: (s) => s.strategy_type },
            name: { ops: STRING_OPS, get: (s) => s.name },
            display_name: { ops: STRING_OPS, get: (s) => s.display_name },
            dcr_provider_id: { ops: UUID_OPS, get: (s) => s.dcr_provider_id },
            dcr_provider_name: { ops: STRING_OPS, get: (s) => provider(s)?.name },
            dcr_provider_type: { ops: STRING_OPS, get: (s) => provider(s)?.provider_type },
            labels: { ops: EQ_OPS, get: (s) => labelValues(s.labels) },
          },
          sorts: {
            created_at: (s) => s.created_at,
            updated_at: (s) => s.updated_at,
            strategy_type: (s) => s.strategy_type,
            name: (s) => s.name,
            display_name: (s) => s.display_name,
            dcr_provider_id: (s) => s.dcr_provider_id,
            dcr_provider_name: (s) => provider(s)?.name,
            dcr_provider_type: (s) => provider(s)?.provider_type,
          },
          view,
        }),
      ),

    'create-app-auth-strategy': (ctx) => {
      const rec = build(asObj(ctx.body), uuid(), now());
      rec.created_at = rec.updated_at;
      store.strategies.set(rec.id, rec);
      return json(201, view(rec));
    },

    'get-app-auth-strategy': (ctx) =>
      json(200, view(must(store.strategies.get(ctx.params['authStrategyId'] ?? ''), 'Application auth strategy'))),

    // PUT answers 201 per spec, and (no 404 declared) creates the strategy when the id is new.
    'replace-app-auth-strategy': (ctx) => {
      const id = ctx.params['authStrategyId'] ?? '';
      const existing = store.strategies.get(id);
      const rec = build(asObj(ctx.body), id, existing?.created_at ?? now());
      store.strategies.set(id, rec);
      return json(201, view(rec));
    },

    'update-app-auth-strategy': {
      // configs is a oneOf of the two partial configs: check it against the one of the strategy's own type, so a
      // bad OIDC patch is not also told that "key-auth" is missing (the rest goes against the spec as usual).
      validate: (ctx) => {
        if (
          typeof ctx.body !== 'object' ||
          ctx.body === null ||
          Array.isArray(ctx.body) ||
          asObj(ctx.body)['configs'] === undefined
        ) {
          return core.specs.validateRequest(ctx.op, ctx.body).invalidParameters;
        }
        const { configs, ...rest } = asObj(ctx.body);
        const s = store.strategies.get(ctx.params['authStrategyId'] ?? '');
        const keyAuth = s ? s.strategy_type === 'key_auth' : 'key-auth' in asObj(configs);
        const schema = keyAuth ? 'UpdateAppAuthStrategyRequestKeyAuth' : 'UpdateAppAuthStrategyRequestOpenIdConnect';
        return [
          ...core.specs.validateRequest(ctx.op, rest).invalidParameters,
          ...core.specs.validateSchema('request', 'aas', schema, configs, 'body', 'configs').invalidParameters,
        ];
      },
      handler: updateStrategy,
    },

    'delete-app-auth-strategy': (ctx) => {
      const s = must(store.strategies.get(ctx.params['authStrategyId'] ?? ''), 'Application auth strategy');
      const users = store.strategyUsers(s.id);
      const reasons = [
        ...users.publications.map((p) => {
          const api = store.apis.get(p.api_id);
          const portal = store.portals.get(p.portal_id);
          return `API "${api?.name ?? p.api_id}" (${p.api_id}) published to portal "${portal?.name ?? p.portal_id}"`;
        }),
        ...users.portals.map((p) => `portal "${p.name}" (${p.id}) as its default application auth strategy`),
      ];
      if (reasons.length) throw conflict(`Auth strategy "${s.name}" is in use by ${reasons.join(', ')}`);
      store.strategies.delete(s.id);
      return noContent();
    },
  };

  function updateStrategy(ctx: Parameters<RouteHandler>[0]): Reply {
    const s = must(store.strategies.get(ctx.params['authStrategyId'] ?? ''), 'Application auth strategy');
    const b = asObj(ctx.body);
    const invalid: InvalidParameter[] = [];
    const key = strategyTypeConfigKey(s.strategy_type);
    const cfgUpdate = b['configs'] === undefined ? undefined : asObj(b['configs']);
    if (cfgUpdate && cfgUpdate[key] === undefined) {
      invalid.push({
        field: 'configs',
        rule: 'invalid',
        reason: `configs of a ${s.strategy_type} strategy must be under "${key}"`,
        source: 'body',
      });
    }
    if (b['dcr_provider_id'] !== undefined && b['dcr_provider_id'] !== null && s.strategy_type === 'key_auth') {
      invalid.push({
        field: 'dcr_provider_id',
        rule: 'invalid',
        reason: 'a key_auth strategy cannot use a DCR provider',
        source: 'body',
      });
    }
    if (invalid.length) throw badRequest(invalid);
    if (b['dcr_provider_id'] !== undefined) s.dcr_provider_id = checkProvider(b['dcr_provider_id']);
    if (typeof b['name'] === 'string') s.name = b['name'];
    if (typeof b['display_name'] === 'string') s.display_name = b['display_name'];
    s.labels = mergeLabels(s.labels, b['labels']);
    if (b['principals'] !== undefined) s.principals = { enabled: asObj(b['principals'])['enabled'] === true };
    if (cfgUpdate) {
      // merge, as kongctl sends only changed keys; `ttl: null` unsets
      const merged: Obj = { ...(s.configs[key] ?? {}) };
      for (const [k, v] of Object.entries(asObj(cfgUpdate[key]))) {
        if (v === null) delete merged[k];
        else merged[k] = structuredClone(v);
      }
      s.configs = { [key]: merged };
    }
    s.updated_at = now();
    return json(200, view(s));
  }
}
