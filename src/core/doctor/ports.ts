/**
 * What DCR Doctor reads, as one small interface: the walker is tested against plain objects, and runs against
 * Konnect through `konnectPorts` (the Konnect client for the Konnect APIs, the request executor for the IdP).
 */
import type { KonnectClient } from '../api/client';
import { KonnectApiError } from '../api/errors';
import type { AppAuthStrategy } from '../model/authStrategy';
import type { Api, ApiImplementation, ApiPublicationListItem, Portal } from '../model/catalog';
import type { DcrProvider, VerifyDcrProviderResponse } from '../model/dcrProvider';
import type { AdminRegistration, GatewayPlugin, GatewayService } from '../model/gateway';
import type { RequestExecutor } from '../requests/executor';

export interface DoctorPorts {
  strategy(id: string, signal: AbortSignal): Promise<AppAuthStrategy>;
  provider(id: string, signal: AbortSignal): Promise<DcrProvider>;
  verify(providerId: string, signal: AbortSignal): Promise<VerifyDcrProviderResponse>;
  publications(
    filter: { readonly strategyId?: string; readonly apiId?: string },
    signal: AbortSignal,
  ): Promise<ApiPublicationListItem[]>;
  api(id: string, signal: AbortSignal): Promise<Api>;
  portal(id: string, signal: AbortSignal): Promise<Portal>;
  implementations(apiId: string, signal: AbortSignal): Promise<ApiImplementation[]>;
  /** Undefined when the control plane has no such service (404). */
  service(controlPlaneId: string, serviceId: string, signal: AbortSignal): Promise<GatewayService | undefined>;
  plugins(controlPlaneId: string, signal: AbortSignal): Promise<GatewayPlugin[]>;
  pendingRegistrations(portalId: string, signal: AbortSignal): Promise<AdminRegistration[]>;
  /**
   * The scopes and claims a Kong Identity auth server issues (enabled ones, by name), found by its issuer;
   * undefined when no auth server of the organization has that issuer.
   */
  kongIdentity(
    issuer: string,
    signal: AbortSignal,
  ): Promise<{ name: string; id: string; scopes: string[]; claims: string[] } | undefined>;
  /** A GET of a JSON document at the IdP (discovery, JWKS). */
  getJson(url: string, signal: AbortSignal): Promise<{ status: number; body: unknown }>;
}

export function konnectPorts(konnect: KonnectClient, executor: RequestExecutor): DoctorPorts {
  return {
    strategy: (id, signal) => konnect.authStrategies.get(id, { signal }),
    provider: (id, signal) => konnect.dcrProviders.get(id, { signal }),
    verify: (id, signal) => konnect.dcrProviders.verify(id, { signal }),
    publications: (f, signal) =>
      konnect.apiPublications.listAll(
        {
          filter: {
            ...(f.strategyId ? { auth_strategy_id: { eq: f.strategyId } } : {}),
            ...(f.apiId ? { api_id: { eq: f.apiId } } : {}),
          },
        },
        { signal },
      ),
    api: (id, signal) => konnect.apis.get(id, { signal }),
    portal: (id, signal) => konnect.portals.get(id, { signal }),
    implementations: (apiId, signal) =>
      konnect.apiImplementations.listAll({ filter: { api_id: { eq: apiId } } }, { signal }),
    service: async (cp, id, signal) => {
      try {
        return await konnect.controlPlaneConfig.getService(cp, id, { signal });
      } catch (err) {
        if (err instanceof KonnectApiError && err.status === 404) return undefined;
        throw err;
      }
    },
    plugins: (cp, signal) => konnect.controlPlaneConfig.listPlugins(cp, { signal }),
    pendingRegistrations: (portalId, signal) =>
      konnect.registrations.listAll(portalId, { filter: { status: { eq: 'pending' } } }, { signal }),
    kongIdentity: async (issuer, signal) => {
      const norm = (u: string): string => u.replace(/\/+$/, '');
      const servers = await konnect.identity.authServers.listAll({}, { signal });
      const as = servers.find((a) => norm(a.issuer) === norm(issuer));
      if (!as) return undefined;
      const [scopes, claims] = await Promise.all([
        konnect.identity.scopes.listAll(as.id, {}, { signal }),
        konnect.identity.claims.listAll(as.id, {}, { signal }),
      ]);
      return {
        name: as.name,
        id: as.id,
        scopes: scopes.filter((x) => x.enabled !== false).map((x) => x.name),
        claims: claims.filter((x) => x.enabled !== false).map((x) => x.name),
      };
    },
    getJson: async (url, signal) => {
      const res = await executor.execute({ method: 'GET', url, headers: [['accept', 'application/json']] }, signal);
      let body: unknown;
      try {
        body = JSON.parse(res.body);
      } catch {
        body = undefined;
      }
      return { status: res.status, body };
    },
  };
}
