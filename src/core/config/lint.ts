/**
 * Warnings for mistakes that Konnect accepts and that then fail later, at registration or token time. Each rule
 * says what goes wrong and what to write instead. Only entries that pass the schema are linted. The provider rules
 * follow the provider-type table: its quirks (issuer form, audience, OpenID scopes, client-id claim) and field formats;
 * a rule's code starts with the type's slug (`azure-issuer`, `auth0-audience`).
 */
import { isScalar } from 'yaml';
import { dcrFieldsOf, providerType, type ProviderType } from '../model/providerTypes';
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

    const spec = providerType(e.provider_type);
    const noun = spec.noun ?? spec.label;
    const code = (rule: string): string => `${spec.slug}-${rule}`;

    // the Azure v1 tenant issuer, no trailing slash (Kong's Azure DCR how-to, kongctl's dcr-providers README;
    // docs/konnect-api.md §2.3)
    if (spec.quirks.providerIssuer === 'azureV1' && !issuerIsRef) {
      const iss = e.issuer;
      const trimmed = iss.replace(/\/+$/, '');
      const v2 = /\/v2\.0\/?$/.test(iss);
      const tenant = /^https:\/\/[^/]+\/([^/]+)/.exec(iss)?.[1] ?? '<tenant>';
      const v1 = `https://sts.windows.net/${tenant}`;
      if (v2) {
        warn([...base, 'issuer'], code('issuer'), `This is the Azure v2.0 issuer. Konnect's Azure DCR takes the v1 issuer, ${v1} (no /v2.0, no trailing slash); with the v2.0 form registration fails.`, { kind: 'replace', path: [...base, 'issuer'], text: v1, title: `Use ${v1}` });
      } else if (iss !== trimmed && AZURE_V1.test(trimmed)) {
        warn([...base, 'issuer'], code('issuer'), `Remove the trailing slash: Konnect's Azure DCR expects the v1 issuer exactly as ${trimmed}.`, { kind: 'replace', path: [...base, 'issuer'], text: trimmed, title: 'Remove the trailing slash' });
      } else if (!AZURE_V1.test(iss)) {
        warn([...base, 'issuer'], code('issuer'), `Not an Azure v1 issuer. Konnect's Azure DCR expects https://sts.windows.net/<tenant-id> (or https://login.microsoftonline.com/<tenant-id>), no trailing slash; the tenant must be real.`);
      }
    }

    // the issuer as the OpenID discovery URL: Kong's Curity DCR guide (docs/konnect-api.md §2.3) gives the token
    // profile's discovery URL
    if (spec.quirks.providerIssuer === 'discoveryUrl' && !issuerIsRef) {
      const iss = e.issuer;
      if (!iss.endsWith(WELL_KNOWN)) {
        const fixed = /\/\.well-known\/[^/]+\/?$/.test(iss)
          ? iss.replace(/\/\.well-known\/[^/]+\/?$/, WELL_KNOWN)
          : `${iss.replace(/\/+$/, '')}${WELL_KNOWN}`;
        warn([...base, 'issuer'], code('issuer'),
          `For a ${noun} provider Konnect expects the issuer as the token profile's OpenID discovery URL (Kong's ${noun} DCR guide: https://<${spec.slug}>/oauth/v2/oauth-anonymous${WELL_KNOWN}), not ${/well-known/.test(iss) ? 'another .well-known document' : 'the bare issuer'}. `
          + 'The auth strategy keeps the bare issuer (the tokens\' iss claim).',
          { kind: 'replace', path: [...base, 'issuer'], text: fixed, title: `Use ${fixed}` });
      }
    }

    // Secrets: written in the file, or in a form Konnect refuses
    for (const field of dcrFieldsOf(e.provider_type).filter((f) => f.kind === 'secret')) {
      const path: Path = [...base, 'dcr_config', field.key];
      const node = doc.nodeAt(path);
      if (!isScalar(node) || node.tag || typeof node.value !== 'string') continue;
      const value = node.value;
      if (field.format && !field.format.pattern.test(value)) {
        warn(path, code(field.key.replace(/_/g, '-')), `Konnect refuses this ${field.key}: it must be ${field.format.rule} (it has ${value.length} characters${/[^A-Za-z0-9_]/.test(value) ? ', some of them not allowed' : ''}).`);
      }
      const varName = secretVarName(e.ref, field.key);
      warn(path, 'literal-secret', `${field.key} is a secret written in the file: anyone who can read the file (or its git history) has it. Move it to VS Code's SecretStorage and reference it as !secret {source: !env ${varName}} (kongctl reads the same name from the environment).`, { kind: 'moveSecret', path, varName });
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

    if (!type) return;
    const spec = providerType(type);
    const noun = spec.noun ?? spec.label;
    const code = (rule: string): string => `${spec.slug}-${rule}`;

    if (spec.quirks.noOpenidScope && cfg.auth_methods.includes('client_credentials')) {
      const at = cfg.scopes.indexOf('openid');
      if (at >= 0) {
        warn([...cbase, 'scopes', at], code('openid-scope'), `${noun} refuses the openid scope in a client_credentials token request (invalid_scope): remove it and use your authorization server's own scopes; client credentials tokens carry no identity.`);
      }
    }
    if (spec.quirks.tokenAudience) {
      const names = Array.isArray(cfg['token_post_args_names']) ? (cfg['token_post_args_names'] as unknown[]) : [];
      if (!names.includes('audience')) {
        warn(cbase, code('audience'), `${noun} issues a JWT access token only when the token request names an API audience: add token_post_args_names: [audience] and token_post_args_values: [<your API identifier>] (Kong's ${noun} DCR guide). Without it the gateway gets an opaque token and refuses it.`, undefined, true);
      }
    }
    if (spec.quirks.credentialClaimMustBeClientId && !cfg.credential_claim.includes(spec.clientIdClaim)) {
      warn([...cbase, 'credential_claim'], code(spec.clientIdClaim), `For ${noun} the client id is in the ${spec.clientIdClaim} claim: set credential_claim: [${spec.clientIdClaim}], or Konnect cannot match tokens to the developer's application.`);
    }
  });

  asArr(root['kong_identity_auth_servers']).forEach((item, i) => {
    const r = AuthServerEntrySchema.safeParse(item);
    if (r.success) labels(['kong_identity_auth_servers', i], r.data.labels);
  });
  return out;
}
