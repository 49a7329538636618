/**
 * Warnings for mistakes that Konnect accepts and that then fail later, at registration or token time. Each rule
 * says what goes wrong and what to write instead. Only entries that pass the schema are linted.
 */
import { isScalar } from 'yaml';
import { DCR_SECRET_FIELDS, type ProviderType } from '../model/dcrProvider';
import type { ConfigDiagnostic } from './analyze';
import type { ConfigDocument, Path } from './document';
import { KONGCTL_LABEL_PREFIX } from './model';
import { AuthServerEntrySchema, AuthStrategyEntrySchema, DcrProviderEntrySchema } from './schema';
import { parseRef, secretVarName } from './tags';

export interface LintContext {
  /** The provider_type of the provider with this ref in the same file. */
  providerTypeOf(ref: string): ProviderType | undefined;
}

type Obj = Record<string, unknown>;
const asArr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export const WELL_KNOWN = '/.well-known/openid-configuration';
const AZURE_V1 = /^https:\/\/(sts\.windows\.net|login\.microsoftonline\.com)\/([0-9a-fA-F-]{36}|[A-Za-z0-9][A-Za-z0-9.-]*)$/;
const API_KEY = /^[A-Za-z0-9_]{12,256}$/;

export function lint(doc: ConfigDocument, root: Obj, ctx: LintContext): ConfigDiagnostic[] {
  const out: ConfigDiagnostic[] = [];
  const warn = (path: Path, code: string, message: string, fix?: ConfigDiagnostic['fix'], useKey = false): void => {
    out.push({ range: useKey ? doc.keyRange(path) : doc.valueRange(path), severity: 'warning', code, message, path, fix });
  };
  const labels = (base: Path, l: Record<string, string> | undefined): void => {
    for (const k of Object.keys(l ?? {})) {
      if (k.startsWith(KONGCTL_LABEL_PREFIX)) {
        warn([...base, 'labels', k], 'kongctl-label', `${k} is kongctl's own label: set \`kongctl: {namespace: …, protected: …}\` (or _defaults.kongctl) instead; plan/apply manage these labels.`, undefined, true);
      }
    }
  };

  asArr(root['dcr_providers']).forEach((item, i) => {
    const r = DcrProviderEntrySchema.safeParse(item);
    if (!r.success) return;
    const e = r.data;
    const base: Path = ['dcr_providers', i];
    const issuerIsRef = doc.tagAt([...base, 'issuer']) === '!ref';
    labels(base, e.labels);

    // Azure: the v1 issuer, no trailing slash (Kong's Azure DCR how-to, kongctl's dcr-providers README;
    // docs/konnect-api.md §2.3)
    if (e.provider_type === 'azureAd' && !issuerIsRef) {
      const iss = e.issuer;
      const trimmed = iss.replace(/\/+$/, '');
      const v2 = /\/v2\.0\/?$/.test(iss);
      const tenant = /^https:\/\/[^/]+\/([^/]+)/.exec(iss)?.[1] ?? '<tenant>';
      const v1 = `https://sts.windows.net/${tenant}`;
      if (v2) {
        warn([...base, 'issuer'], 'azure-issuer', `This is the Azure v2.0 issuer. Konnect's Azure DCR takes the v1 issuer, ${v1} (no /v2.0, no trailing slash); with the v2.0 form registration fails.`, { kind: 'replace', path: [...base, 'issuer'], text: v1, title: `Use ${v1}` });
      } else if (iss !== trimmed && AZURE_V1.test(trimmed)) {
        warn([...base, 'issuer'], 'azure-issuer', `Remove the trailing slash: Konnect's Azure DCR expects the v1 issuer exactly as ${trimmed}.`, { kind: 'replace', path: [...base, 'issuer'], text: trimmed, title: 'Remove the trailing slash' });
      } else if (!AZURE_V1.test(iss)) {
        warn([...base, 'issuer'], 'azure-issuer', `Not an Azure v1 issuer. Konnect's Azure DCR expects https://sts.windows.net/<tenant-id> (or https://login.microsoftonline.com/<tenant-id>), no trailing slash; the tenant must be real.`);
      }
    }

    // Curity: Kong's Curity DCR guide (docs/konnect-api.md §2.3) gives the issuer as the token profile's discovery URL
    if (e.provider_type === 'curity' && !issuerIsRef) {
      const iss = e.issuer;
      if (!iss.endsWith(WELL_KNOWN)) {
        const fixed = /\/\.well-known\/[^/]+\/?$/.test(iss)
          ? iss.replace(/\/\.well-known\/[^/]+\/?$/, WELL_KNOWN)
          : `${iss.replace(/\/+$/, '')}${WELL_KNOWN}`;
        warn([...base, 'issuer'], 'curity-issuer',
          `For a Curity provider Konnect expects the issuer as the token profile's OpenID discovery URL (Kong's Curity DCR guide: https://<curity>/oauth/v2/oauth-anonymous${WELL_KNOWN}), not ${/well-known/.test(iss) ? 'another .well-known document' : 'the bare issuer'}. `
          + 'The auth strategy keeps the bare issuer (the tokens\' iss claim).',
          { kind: 'replace', path: [...base, 'issuer'], text: fixed, title: `Use ${fixed}` });
      }
    }

    // Secrets: written in the file, or an api_key Konnect refuses
    const secretFields: readonly string[] = DCR_SECRET_FIELDS[e.provider_type];
    for (const field of secretFields) {
      const path: Path = [...base, 'dcr_config', field];
      const node = doc.nodeAt(path);
      if (!isScalar(node) || node.tag || typeof node.value !== 'string') continue;
      const value = node.value;
      if (field === 'api_key' && !API_KEY.test(value)) {
        warn(path, 'http-api-key', `Konnect refuses this api_key: it must be 12–256 characters of A–Z, a–z, 0–9 and _ (it has ${value.length} characters${/[^A-Za-z0-9_]/.test(value) ? ', some of them not allowed' : ''}).`);
      }
      const varName = secretVarName(e.ref, field);
      warn(path, 'literal-secret', `${field} is a secret written in the file: anyone who can read the file (or its git history) has it. Move it to VS Code's SecretStorage and reference it as !secret {source: !env ${varName}} (kongctl reads the same name from the environment).`, { kind: 'moveSecret', path, varName });
    }
  });

  asArr(root['application_auth_strategies']).forEach((item, i) => {
    const r = AuthStrategyEntrySchema.safeParse(item);
    if (!r.success) return;
    const e = r.data;
    const base: Path = ['application_auth_strategies', i];
    labels(base, e.labels);
    if (e.strategy_type !== 'openid_connect') return;
    const key = 'openid_connect' in e.configs ? 'openid_connect' : 'openid-connect';
    const cfg = (e.configs as Record<string, Obj & { scopes: string[]; auth_methods: string[]; credential_claim: string[] }>)[key]!;
    const pid = doc.nodeAt([...base, 'dcr_provider_id']);
    const type = pid?.tag === '!ref' && isScalar(pid) ? ctx.providerTypeOf(parseRef(String(pid.value)).ref) : undefined;
    const cbase: Path = [...base, 'configs', key];

    if (type === 'okta' && cfg.auth_methods.includes('client_credentials')) {
      const at = cfg.scopes.indexOf('openid');
      if (at >= 0) {
        warn([...cbase, 'scopes', at], 'okta-openid-scope', 'Okta refuses the openid scope in a client_credentials token request (invalid_scope): remove it and use your authorization server\'s own scopes; client credentials tokens carry no identity.');
      }
    }
    if (type === 'auth0') {
      const names = Array.isArray(cfg['token_post_args_names']) ? (cfg['token_post_args_names'] as unknown[]) : [];
      if (!names.includes('audience')) {
        warn(cbase, 'auth0-audience', 'Auth0 issues a JWT access token only when the token request names an API audience: add token_post_args_names: [audience] and token_post_args_values: [<your API identifier>] (Kong\'s Auth0 DCR guide). Without it the gateway gets an opaque token and refuses it.', undefined, true);
      }
      if (!cfg.credential_claim.includes('azp')) {
        warn([...cbase, 'credential_claim'], 'auth0-azp', 'For Auth0 the client id is in the azp claim: set credential_claim: [azp], or Konnect cannot match tokens to the developer\'s application.');
      }
    }
  });

  asArr(root['kong_identity_auth_servers']).forEach((item, i) => {
    const r = AuthServerEntrySchema.safeParse(item);
    if (r.success) labels(['kong_identity_auth_servers', i], r.data.labels);
  });
  return out;
}
