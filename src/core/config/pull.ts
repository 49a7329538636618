/**
 * Pull: Konnect's current Kong Identity auth servers (with their scopes, claims and clients, never a client secret), DCR
 * providers and auth strategies as a config file in this format (kongctl-compatible),
 * such that applying it right away changes nothing (kongctlYaml.ts renders it, as it renders the details documents):
 * - write-only secrets become `!secret {source: !env <REF>_<FIELD>}` references to fill in (SecretStorage or the
 *   environment); they are only needed to create the provider elsewhere;
 * - strategies point at pulled providers with `!ref`;
 * - kongctl's labels become `kongctl:` metadata (`_defaults.kongctl.namespace` when every resource shares one).
 */
import type { KonnectClient } from '../api/client';
import type { AppAuthStrategy } from '../model/authStrategy';
import type { DcrProvider } from '../model/dcrProvider';
import { renderKongctlYaml, type AuthServerResources } from './kongctlYaml';
import { NAMESPACE_LABEL } from './model';

export interface PullOptions {
  readonly signal?: AbortSignal | undefined;
  readonly maxItems?: number | undefined;
  /** Only resources with this kongctl namespace label. */
  readonly namespace?: string | undefined;
  /** First comment lines (e.g. where it was pulled from). */
  readonly comment?: string | undefined;
}

export interface PullResult {
  readonly text: string;
  readonly providers: number;
  readonly strategies: number;
  readonly authServers: number;
  /** The variables the `!secret` references name. */
  readonly secretNames: readonly string[];
}

export async function pullConfig(client: KonnectClient, opts: PullOptions = {}): Promise<PullResult> {
  const call = { signal: opts.signal, maxItems: opts.maxItems ?? 5000 };
  const [providers, strategies, servers] = await Promise.all([
    client.dcrProviders.listAll({}, call),
    client.authStrategies.listAll({}, call),
    client.identity.authServers.listAll({}, call),
  ]);
  const keep = <T extends { labels?: Record<string, string> | undefined }>(r: T): boolean =>
    opts.namespace === undefined || r.labels?.[NAMESPACE_LABEL] === opts.namespace;
  const authServers: AuthServerResources[] = [];
  for (const authServer of servers.filter(keep)) {
    const [scopes, claims, clients] = await Promise.all([
      client.identity.scopes.listAll(authServer.id, {}, call),
      client.identity.claims.listAll(authServer.id, {}, call),
      client.identity.clients.listAll(authServer.id, {}, call),
    ]);
    authServers.push({ authServer, scopes, claims, clients });
  }
  return renderPulled(providers.filter(keep), strategies.filter(keep), opts.comment, authServers);
}

/** The file for these resources (pure). */
export function renderPulled(
  providers: readonly DcrProvider[],
  strategies: readonly AppAuthStrategy[],
  comment?: string,
  authServers: readonly AuthServerResources[] = [],
): PullResult {
  const lines = comment ? [comment] : [];
  lines.push(
    'kongctl-compatible declarative config (Konnect DCR). Plan and apply it with "Konnect DCR: Plan" / "Apply", or kongctl.',
  );
  const { text, secretNames } = renderKongctlYaml({
    providers,
    strategies,
    authServers,
    comment: lines.join('\n'),
    namespaceDefaults: true,
  });
  return {
    text,
    providers: providers.length,
    strategies: strategies.length,
    authServers: authServers.length,
    secretNames,
  };
}
