/**
 * Looking up what a "Prove DCR" run needs before it starts: where the strategy is published, the portal's own URL
 * (for its developer Portal API) and the gateway route of the API.
 *
 * Portal URL, first that applies:
 *   1. an override the user set for this portal id (setting `konnectDcr.prove.portalUrls`);
 *   2. the `x-kdcr-portal-api-url` header the local sandbox's emulator adds to portal answers (a loopback URL: its
 *      portals' domains resolve nowhere on purpose);
 *   3. `https://<canonical_domain>` (a custom domain), else `https://<default_domain>` (`…kongportals.com`).
 */
import * as z from 'zod';
import type { KonnectClient } from '../api/client';
import { headerValue } from '../api/transport';
import { PortalSchema, type Portal } from '../model/catalog';

export const SANDBOX_PORTAL_URL_HEADER = 'x-kdcr-portal-api-url';

/** One place the strategy is published: an API in a portal. */
export interface PublicationChoice {
  readonly apiId: string;
  readonly apiName: string;
  readonly apiVersion?: string | undefined;
  readonly apiSlug?: string | undefined;
  readonly portalId: string;
  readonly portalName: string;
  readonly visibility: string;
}

type PublicationsClient = Pick<KonnectClient, 'apiPublications' | 'apis' | 'portals'>;

/**
 * The API publications that use the strategy (`GET /v3/api-publications?filter[auth_strategy_id][eq]=…`), with API
 * and portal names, at most `max`.
 */
export async function publicationsOf(
  konnect: PublicationsClient,
  strategyId: string,
  signal: AbortSignal,
  max = 200,
): Promise<PublicationChoice[]> {
  const pubs = await konnect.apiPublications.listAll(
    { filter: { auth_strategy_id: { eq: strategyId } } },
    { signal, maxItems: max },
  );
  const apis = new Map<
    string,
    Promise<{ name: string; version?: string | undefined; slug?: string | undefined } | undefined>
  >();
  const portals = new Map<string, Promise<string | undefined>>();
  const api = (id: string) => {
    let p = apis.get(id);
    if (!p)
      apis.set(
        id,
        (p = konnect.apis.get(id, { signal }).then(
          (a) => ({ name: a.name, version: a.version ?? undefined, slug: a.slug ?? undefined }),
          () => undefined,
        )),
      );
    return p;
  };
  const portal = (id: string) => {
    let p = portals.get(id);
    if (!p)
      portals.set(
        id,
        (p = konnect.portals.get(id, { signal }).then(
          (x) => x.display_name || x.name,
          () => undefined,
        )),
      );
    return p;
  };
  const out = await Promise.all(
    pubs
      .filter((p) => p.entity_type !== 'api_package')
      .map(async (p): Promise<PublicationChoice> => {
        const [a, portalName] = await Promise.all([api(p.api_id), portal(p.portal_id)]);
        return {
          apiId: p.api_id,
          apiName: a?.name ?? p.api_id,
          apiVersion: a?.version,
          apiSlug: a?.slug,
          portalId: p.portal_id,
          portalName: portalName ?? p.portal_id,
          visibility: p.visibility,
        };
      }),
  );
  return out.sort((x, y) => x.apiName.localeCompare(y.apiName) || x.portalName.localeCompare(y.portalName));
}

/** The portal's own URL from its domains (no sandbox header, no override). */
export function portalUrlOf(portal: Pick<Portal, 'canonical_domain' | 'default_domain'>): string {
  const host = (portal.canonical_domain || portal.default_domain)
    .trim()
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '');
  return `https://${host}`;
}

export interface ResolvedPortal {
  readonly portal: Portal;
  readonly url: string;
  readonly source: 'override' | 'sandbox' | 'domain';
}

/** Reads the portal (`GET /v3/portals/{id}`) and picks its URL (see the module comment). */
export async function resolvePortal(
  konnect: Pick<KonnectClient, 'request'>,
  portalId: string,
  overrides: Readonly<Record<string, string>>,
  signal: AbortSignal,
): Promise<ResolvedPortal> {
  const res = await konnect.request({ method: 'GET', path: `/v3/portals/${encodeURIComponent(portalId)}` }, { signal });
  if (res.status !== 200) throw new Error(`GET /v3/portals/${portalId} answered ${res.status}`);
  const portal = PortalSchema.parse(JSON.parse(res.body));
  const override = overrides[portalId]?.trim();
  if (override) return { portal, url: override.replace(/\/+$/, ''), source: 'override' };
  const sandbox = headerValue(res, SANDBOX_PORTAL_URL_HEADER);
  if (sandbox && z.url({ protocol: /^https?$/ }).safeParse(sandbox).success)
    return { portal, url: sandbox.replace(/\/+$/, ''), source: 'sandbox' };
  return { portal, url: portalUrlOf(portal), source: 'domain' };
}

export const DEFAULT_ROUTE_PATH = '/{slug}/anything';

/** `routePath` with `{slug}` replaced, joined to the gateway's base URL. */
export function gatewayRouteUrl(base: string, slug: string | undefined, routePath = DEFAULT_ROUTE_PATH): string {
  const path = routePath.replace(/\{slug\}/g, slug ?? '').replace(/\/{2,}/g, '/');
  return `${base.trim().replace(/\/+$/, '')}${path.startsWith('/') ? '' : '/'}${path}`;
}

/** A name no other test application has: `kdcr-prove-<strategy>-<time>`, within the portal's 255 characters. */
export function testAppName(strategyName: string, now: number): string {
  const base =
    strategyName
      .replace(/[^\w.-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'strategy';
  return `kdcr-prove-${base}-${new Date(now).toISOString().replace(/[-:.]/g, '')}`;
}
