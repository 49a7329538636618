/**
 * Warnings for mistakes that Konnect accepts and that then fail later, at registration or token time. Each rule
 * says what goes wrong and what to write instead. Only entries that pass the schema are linted. The provider lint pack
 * (model/providerRules.ts: issuer forms, audience, OpenID scopes, client-id claims, Kong Identity issuers, each citing
 * Kong's how-to for the IdP) is shared with the forms; the secret formats come from the provider-type table. A rule's
 * code starts with the type's slug (`azure-issuer`, `auth0-audience`).
 */
import { isScalar } from 'yaml';
import { providerIssuerFindings, strategyFindings, type RuleFinding } from '../model/providerRules';
import { dcrFieldsOf, providerType, type ProviderType } from '../model/providerTypes';
import type { ConfigDiagnostic } from './diagnostic';
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

export { WELL_KNOWN } from '../model/providerRules';

export function lint(doc: ConfigDocument, root: Obj, ctx: LintContext): ConfigDiagnostic[] {
  const out: ConfigDiagnostic[] = [];
  const warn = (path: Path, code: string, message: string, fix?: ConfigDiagnostic['fix'], useKey = false): void => {
    out.push({
      range: useKey ? doc.keyRange(path) : doc.valueRange(path),
      severity: 'warning',
      code,
      message,
      path,
      fix,
    });
  };
  const push = (path: Path, f: RuleFinding, fix?: ConfigDiagnostic['fix'], useKey = false): void => {
    out.push({
      range: useKey ? doc.keyRange(path) : doc.valueRange(path),
      severity: f.severity,
      code: f.code,
      message: f.message,
      path,
      fix,
      source: f.source,
    });
  };
  /** An issuer as the rules compare it: a URL as written, a `!ref <auth-server>#issuer` as that text. */
  const issuerText = (path: Path, value: string): string => (doc.tagAt(path) === '!ref' ? `!ref ${value}` : value);
  /** The issuer of the provider with this ref in the same file (a literal, or `!ref <auth-server>#issuer`). */
  const providerIssuerOf = (ref: string): string | undefined => {
    const i = asArr(root['dcr_providers']).findIndex((p) => (p as Obj | null)?.['ref'] === ref);
    if (i < 0) return undefined;
    const v = ((root['dcr_providers'] as Obj[])[i] as Obj)['issuer'];
    return typeof v === 'string' ? issuerText(['dcr_providers', i, 'issuer'], v) : undefined;
  };
  const labels = (base: Path, l: Record<string, string> | undefined): void => {
    for (const k of Object.keys(l ?? {})) {
      if (k.startsWith(KONGCTL_LABEL_PREFIX)) {
        warn(
          [...base, 'labels', k],
          'kongctl-label',
          `${k} is kongctl's own label: set \`kongctl: {namespace: …, protected: …}\` (or _defaults.kongctl) instead; plan/apply manage these labels.`,
          undefined,
          true,
        );
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
    const code = (rule: string): string => `${spec.slug}-${rule}`;

    // the provider lint pack: the issuer form of the type's Kong how-to (Azure v1 tenant issuer, Curity discovery URL)
    if (!issuerIsRef) {
      for (const f of providerIssuerFindings(e.provider_type, e.issuer)) {
        const path: Path = [...base, 'issuer'];
        push(
          path,
          f,
          f.replacement !== undefined
            ? { kind: 'replace', path, text: f.replacement, title: fixTitle(e.issuer, f.replacement) }
            : undefined,
        );
      }
    }

    // Secrets: written in the file, or in a form Konnect refuses
    for (const field of dcrFieldsOf(e.provider_type).filter((f) => f.kind === 'secret')) {
      const path: Path = [...base, 'dcr_config', field.key];
      const node = doc.nodeAt(path);
      if (!isScalar(node) || node.tag || typeof node.value !== 'string') continue;
      const value = node.value;
      if (field.format && !field.format.pattern.test(value)) {
        warn(
          path,
          code(field.key.replace(/_/g, '-')),
          `Konnect refuses this ${field.key}: it must be ${field.format.rule} (it has ${value.length} characters${/[^A-Za-z0-9_]/.test(value) ? ', some of them not allowed' : ''}).`,
        );
      }
      const varName = secretVarName(e.ref, field.key);
      warn(
        path,
        'literal-secret',
        `${field.key} is a secret written in the file: anyone who can read the file (or its git history) has it. Move it to VS Code's SecretStorage and reference it as !secret {source: !env ${varName}} (kongctl reads the same name from the environment).`,
        { kind: 'moveSecret', path, varName },
      );
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
    const cfg = (
      e.configs as Record<string, Obj & { scopes: string[]; auth_methods: string[]; credential_claim: string[] }>
    )[key]!;
    const pid = doc.nodeAt([...base, 'dcr_provider_id']);
    const type = pid?.tag === '!ref' && isScalar(pid) ? ctx.providerTypeOf(parseRef(String(pid.value)).ref) : undefined;
    const cbase: Path = [...base, 'configs', key];

    if (!type) return;
    const names = Array.isArray(cfg['token_post_args_names'])
      ? (cfg['token_post_args_names'] as unknown[]).filter((n): n is string => typeof n === 'string')
      : [];
    const issuerPath: Path = [...cbase, 'issuer'];
    const facts = {
      issuer: issuerText(issuerPath, String(cfg['issuer'] ?? '')),
      scopes: cfg.scopes,
      credentialClaim: cfg.credential_claim,
      authMethods: cfg.auth_methods,
      tokenPostArgNames: names,
    };
    // the provider's issuer, when it can be compared: both URLs, or both `!ref <auth-server>#issuer` (an auth server's
    // issuer URL is Konnect's to choose, so a URL and a !ref cannot be compared in the file)
    const providerIssuer = providerIssuerOf(parseRef(String((pid as { value: unknown }).value)).ref);
    const comparable =
      providerIssuer !== undefined && providerIssuer.startsWith('!ref ') === facts.issuer.startsWith('!ref ');
    for (const f of strategyFindings(type, facts, comparable ? providerIssuer : undefined)) {
      const path: Path =
        f.target.field === 'scopes'
          ? [...cbase, 'scopes', f.target.index]
          : f.target.field === 'credentialClaim'
            ? [...cbase, 'credential_claim']
            : f.target.field === 'issuer'
              ? issuerPath
              : cbase;
      const fix =
        f.replacement !== undefined && f.target.field === 'issuer' && doc.tagAt(issuerPath) !== '!ref'
          ? { kind: 'replace' as const, path, text: f.replacement, title: `Use ${f.replacement}` }
          : undefined;
      push(path, f, fix, f.target.field === 'audience');
    }
  });

  asArr(root['kong_identity_auth_servers']).forEach((item, i) => {
    const r = AuthServerEntrySchema.safeParse(item);
    if (r.success) labels(['kong_identity_auth_servers', i], r.data.labels);
  });
  return out;
}

/** A quick fix's title: "Remove the trailing slash" when that is all it changes, else "Use <value>". */
function fixTitle(current: string, replacement: string): string {
  return current.replace(/\/+$/, '') === replacement && current !== replacement
    ? 'Remove the trailing slash'
    : `Use ${replacement}`;
}
