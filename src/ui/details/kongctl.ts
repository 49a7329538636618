/**
 * Konnect resources as kongctl declarative configuration (YAML), for the details documents and "Copy as kongctl
 * YAML". Plain TypeScript (no vscode); loaded lazily because `yaml` is large.
 *
 *   dcr_providers:
 *     - ref: okta-dcr
 *       name: okta-dcr
 *       provider_type: okta
 *       issuer: https://example.okta.com/oauth2/default
 *       dcr_config:
 *         dcr_token: !secret { source: !env OKTA_DCR_DCR_TOKEN }
 *   application_auth_strategies:
 *     - ref: okta-oidc
 *       ...
 *       dcr_provider_id: !ref okta-dcr
 *       configs:
 *         openid_connect: { issuer, credential_claim, scopes, auth_methods, …extra OIDC plugin settings }
 *
 * Write-only secrets (initial_client_secret, dcr_token, api_key) are never returned by Konnect; they appear only as
 * kongctl `!secret { source: !env NAME }` references to an environment variable, never as values.
 */
import { Document, Scalar, type YAMLMap } from 'yaml';
import type { AppAuthStrategy, AuthServer, Claim, Client, DcrProvider, Scope } from '../../core/api/index';

/** The write-only `dcr_config` fields per provider type (docs/konnect-api.md §2.3). */
const SECRET_FIELDS: Record<DcrProvider['provider_type'], readonly string[]> = {
  auth0: ['initial_client_secret'],
  azureAd: ['initial_client_secret'],
  curity: ['initial_client_secret'],
  okta: ['dcr_token'],
  http: ['api_key'],
  kongIdentity: [],
};

/** `My Okta (prod)` → `my-okta-prod`: a kongctl ref from a name. */
export function refOf(name: string): string {
  const r = name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return r || 'resource';
}

/** `okta-dcr` + `dcr_token` → `OKTA_DCR_DCR_TOKEN`. */
export function secretEnvName(ref: string, field: string): string {
  return `${ref}_${field}`.toUpperCase().replace(/[^A-Z0-9_]+/g, '_');
}

function nonEmpty(o: Record<string, string> | undefined): Record<string, string> | undefined {
  return o && Object.keys(o).length ? o : undefined;
}

function clean(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

export interface KongctlInput {
  readonly providers?: readonly DcrProvider[];
  readonly strategies?: readonly AppAuthStrategy[];
  /** First comment line(s). */
  readonly comment?: string;
}

/** One kongctl file with the given providers and strategies; strategies reference listed providers with `!ref`. */
export function toKongctlYaml(input: KongctlInput): string {
  const doc = new Document({});
  const refs = new Map<string, string>();
  const providers = input.providers ?? [];
  const strategies = input.strategies ?? [];
  const secrets: string[] = [];

  if (providers.length) {
    const seq = doc.createNode([]) as unknown as { items: unknown[] };
    for (const p of providers) {
      const ref = refOf(p.name);
      refs.set(p.id, ref);
      const config = doc.createNode(clean({ ...(p.dcr_config as Record<string, unknown>) })) as YAMLMap;
      for (const field of SECRET_FIELDS[p.provider_type]) {
        const env = secretEnvName(ref, field);
        secrets.push(env);
        const secret = doc.createNode({ source: env }) as YAMLMap;
        secret.tag = '!secret';
        secret.flow = true;
        const source = secret.items[0]!.value as Scalar;
        source.tag = '!env';
        config.set(field, secret);
      }
      const entry = doc.createNode(clean({
        ref, name: p.name, display_name: p.display_name, provider_type: p.provider_type, issuer: p.issuer,
      })) as YAMLMap;
      if (config.items.length) entry.set('dcr_config', config);
      const labels = nonEmpty(p.labels);
      if (labels) entry.set('labels', doc.createNode(labels));
      seq.items.push(entry);
    }
    doc.set('dcr_providers', seq);
  }

  if (strategies.length) {
    const seq = doc.createNode([]) as unknown as { items: unknown[] };
    for (const s of strategies) {
      const entry = doc.createNode(clean({ ref: refOf(s.name), name: s.name, display_name: s.display_name, strategy_type: s.strategy_type })) as YAMLMap;
      if (s.strategy_type === 'openid_connect') {
        const pid = s.dcr_provider?.id;
        if (pid) {
          const ref = refs.get(pid);
          if (ref) {
            const node = new Scalar(ref);
            node.tag = '!ref';
            entry.set('dcr_provider_id', node);
          } else {
            entry.set('dcr_provider_id', pid);
          }
        }
        const { issuer, credential_claim, scopes, auth_methods, ...extra } = s.configs['openid-connect'];
        entry.set('configs', doc.createNode({ openid_connect: { issuer, credential_claim, scopes, auth_methods, ...extra } }));
      } else {
        const c = s.configs['key-auth'];
        entry.set('configs', doc.createNode({ key_auth: clean({ key_names: c.key_names, ttl: c.ttl }) }));
      }
      const labels = nonEmpty(s.labels);
      if (labels) entry.set('labels', doc.createNode(labels));
      if (s.principals) entry.set('principals', doc.createNode(s.principals));
      seq.items.push(entry);
    }
    doc.set('application_auth_strategies', seq);
  }

  const lines = input.comment ? input.comment.split('\n') : [];
  if (secrets.length) {
    lines.push('Konnect never returns write-only secrets: kongctl reads them from these environment variables:');
    lines.push(`  ${secrets.join(', ')}`);
  }
  if (lines.length) doc.commentBefore = lines.map((l) => ` ${l}`).join('\n');
  return doc.toString({ lineWidth: 0 });
}

export interface AuthServerDetails {
  readonly authServer: AuthServer;
  readonly scopes?: readonly Scope[] | undefined;
  readonly claims?: readonly Claim[] | undefined;
  readonly clients?: readonly Client[] | undefined;
  readonly comment?: string;
}

/**
 * A Kong Identity auth server (with its scopes, claims and clients when loaded) in the same style. kongctl has no
 * declarative resource for Kong Identity, and the header says so; client secrets are never part of a client.
 */
export function authServerYaml(d: AuthServerDetails): string {
  const a = d.authServer;
  const doc = new Document({
    auth_servers: [clean({
      ref: refOf(a.name), name: a.name, description: a.description || undefined, audience: a.audience, signing_algorithm: a.signing_algorithm,
      trusted_origins: a.trusted_origins?.length ? a.trusted_origins : undefined, labels: nonEmpty(a.labels),
      issuer: a.issuer, metadata_uri: a.metadata_uri, jwks_uri: a.jwks_uri,
      scopes: d.scopes?.map((s) => clean({ name: s.name, description: s.description || undefined, default: s.default, include_in_metadata: s.include_in_metadata, enabled: s.enabled })),
      claims: d.claims?.map((c) => clean({ name: c.name, value: c.value, include_in_token: c.include_in_token, include_in_all_scopes: c.include_in_all_scopes, enabled: c.enabled })),
      clients: d.clients?.map((c) => clean({
        name: c.name, client_id: c.id, grant_types: c.grant_types, response_types: c.response_types,
        redirect_uris: c.redirect_uris.length ? c.redirect_uris : undefined, token_endpoint_auth_method: c.token_endpoint_auth_method,
        allow_all_scopes: c.allow_all_scopes, access_token_duration: c.access_token_duration, id_token_duration: c.id_token_duration,
      })),
    })],
  });
  const lines = [...(d.comment ? d.comment.split('\n') : []), 'kongctl has no declarative resource for Kong Identity: this is Konnect\'s view of the auth server (issuer, metadata_uri and jwks_uri are read-only).'];
  doc.commentBefore = lines.map((l) => ` ${l}`).join('\n');
  return doc.toString({ lineWidth: 0 });
}

/** One scope, claim or client, on its own. */
export function identityItemYaml(kind: 'scope' | 'claim' | 'client', item: Scope | Claim | Client, comment?: string): string {
  const doc = new Document({ [kind]: item });
  if (comment) doc.commentBefore = comment.split('\n').map((l) => ` ${l}`).join('\n');
  return doc.toString({ lineWidth: 0 });
}
