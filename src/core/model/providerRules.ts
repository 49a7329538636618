/**
 * The provider lint pack: what Kong's DCR how-to of each identity provider asks for that Konnect accepts anyway and
 * that then fails at registration or token time. One set of rules for the config file's lint (config/lint.ts) and the
 * provider/strategy forms (forms/warnings.ts), driven by the provider-type table (its quirks, client-id claim and
 * `howTo` page); every finding names the public Kong page it comes from.
 *
 * Browser-safe on purpose (the forms webview bundles it): imports only the provider-type table.
 */
import { providerType, type ProviderType } from './providerTypes';

export type RuleSeverity = 'warning' | 'information';

/** Where in the entry a finding belongs: the provider's issuer, or a strategy field (an index into a list). */
export type RuleTarget =
  | { readonly field: 'issuer' }
  | { readonly field: 'scopes'; readonly index: number }
  | { readonly field: 'credentialClaim' }
  | { readonly field: 'audience' };

export interface RuleFinding {
  /** `<type slug>-<rule>`: `azure-issuer`, `auth0-audience`, `okta-openid-scope`, `kong-identity-issuer`. */
  readonly code: string;
  readonly severity: RuleSeverity;
  readonly target: RuleTarget;
  readonly message: string;
  /** The Kong page the rule comes from (https://developer.konghq.com/…). */
  readonly source: string;
  /** The value to write instead, when there is one. */
  readonly replacement?: string;
}

export const WELL_KNOWN = '/.well-known/openid-configuration';
const AZURE_V1 =
  /^https:\/\/(sts\.windows\.net|login\.microsoftonline\.com)\/([0-9a-fA-F-]{36}|[A-Za-z0-9][A-Za-z0-9.-]*)$/;

const nounOf = (type: ProviderType): string => providerType(type).noun ?? providerType(type).label;
const cite = (type: ProviderType): string => `(Kong: ${providerType(type).howTo})`;

/** The provider's issuer against the form its type's how-to gives (Azure: the v1 tenant issuer; Curity: the discovery URL). */
export function providerIssuerFindings(type: ProviderType, issuer: string): RuleFinding[] {
  const spec = providerType(type);
  const source = spec.howTo;
  const code = `${spec.slug}-issuer`;
  const target = { field: 'issuer' } as const;
  const iss = issuer.trim();
  if (!iss) return [];
  if (spec.quirks.providerIssuer === 'azureV1') {
    // Kong's Azure how-to: "formatted as: https://sts.windows.net/YOUR_TENANT_ID. Do not include a trailing slash";
    // "Dynamic client registration supports Azure OAuth v1 token endpoints only. v2 is not supported."
    const trimmed = iss.replace(/\/+$/, '');
    const tenant = /^https:\/\/[^/]+\/([^/]+)/.exec(iss)?.[1] ?? '<tenant>';
    const v1 = `https://sts.windows.net/${tenant}`;
    if (/\/v2\.0\/?$/.test(iss)) {
      return [
        {
          code,
          severity: 'warning',
          target,
          source,
          replacement: v1,
          message: `This is the Azure v2.0 issuer. Konnect's Azure DCR takes the v1 issuer, ${v1} (no /v2.0, no trailing slash): DCR supports Azure's v1 endpoints only ${cite(type)}.`,
        },
      ];
    }
    if (iss !== trimmed && AZURE_V1.test(trimmed)) {
      return [
        {
          code,
          severity: 'warning',
          target,
          source,
          replacement: trimmed,
          message: `Remove the trailing slash: Konnect's Azure DCR expects the v1 issuer exactly as ${trimmed} ${cite(type)}.`,
        },
      ];
    }
    if (!AZURE_V1.test(iss)) {
      return [
        {
          code,
          severity: 'warning',
          target,
          source,
          message: `Not an Azure v1 issuer. Konnect's Azure DCR expects https://sts.windows.net/<tenant-id>, no trailing slash; the tenant must be real ${cite(type)}.`,
        },
      ];
    }
  }
  if (spec.quirks.providerIssuer === 'discoveryUrl' && !iss.endsWith(WELL_KNOWN)) {
    // Kong's Curity how-to: the provider's Issuer URL is "formatted as
    // https://CURITY_INSTANCE_DOMAIN/oauth/v2/oauth-anonymous/.well-known/openid-configuration"; the strategy's Issuer
    // URL "will be prepopulated with the Issuer URL you added to the DCR provider".
    const fixed = /\/\.well-known\/[^/]+\/?$/.test(iss)
      ? iss.replace(/\/\.well-known\/[^/]+\/?$/, WELL_KNOWN)
      : `${iss.replace(/\/+$/, '')}${WELL_KNOWN}`;
    return [
      {
        code,
        severity: 'warning',
        target,
        source,
        replacement: fixed,
        message: `For a ${nounOf(type)} provider Kong gives the issuer as the token profile's OpenID discovery URL, https://<${spec.slug}-domain>/oauth/v2/oauth-anonymous${WELL_KNOWN}, not ${/well-known/.test(iss) ? 'another .well-known document' : 'the bare issuer'}; Konnect then prefills the strategy's issuer with it ${cite(type)}.`,
      },
    ];
  }
  return [];
}

/** An OIDC strategy as the rules read it (from a file entry or from the form). */
export interface StrategyFacts {
  readonly issuer: string;
  readonly scopes: readonly string[];
  readonly credentialClaim: readonly string[];
  readonly authMethods: readonly string[];
  /** `token_post_args_names` (the form: `['audience']` when its audience field is filled). */
  readonly tokenPostArgNames: readonly string[];
}

/**
 * A strategy's settings against its DCR provider's type. `expectedIssuer`: the issuer the strategy must have, when it
 * is known (Kong Identity: the auth server's, or the DCR provider's issuer).
 */
export function strategyFindings(type: ProviderType, s: StrategyFacts, expectedIssuer?: string): RuleFinding[] {
  const spec = providerType(type);
  const source = spec.howTo;
  const noun = nounOf(type);
  const code = (rule: string): string => `${spec.slug}-${rule}`;
  const out: RuleFinding[] = [];
  // Kong's Okta and Curity how-tos: "Avoid using the openid scope with client credentials as it restricts the use."
  if (spec.quirks.noOpenidScope && s.authMethods.includes('client_credentials')) {
    const index = s.scopes.indexOf('openid');
    if (index >= 0) {
      out.push({
        code: code('openid-scope'),
        severity: 'warning',
        target: { field: 'scopes', index },
        source,
        message: `Avoid the openid scope with client_credentials on ${noun}: it restricts the use of the credentials; use your authorization server's own scopes ${cite(type)}.`,
      });
    }
  }
  // Kong's Auth0 how-to sets token_post_args_names: [audience] with the Auth0 API's identifier.
  if (spec.quirks.tokenAudience && !s.tokenPostArgNames.includes('audience')) {
    out.push({
      code: code('audience'),
      severity: 'warning',
      target: { field: 'audience' },
      source,
      message: `${noun} issues a JWT access token only when the token request names an API audience: set the audience (token_post_args_names: [audience], token_post_args_values: [<your API identifier>]) ${cite(type)}.`,
    });
  }
  // Kong's Auth0 how-to: "The azp credential claim matches the client ID of each Auth0 application."
  if (spec.quirks.credentialClaimMustBeClientId && !s.credentialClaim.includes(spec.clientIdClaim)) {
    out.push({
      code: code(spec.clientIdClaim),
      severity: 'warning',
      target: { field: 'credentialClaim' },
      source,
      replacement: spec.clientIdClaim,
      message: `For ${noun} the client id is in the ${spec.clientIdClaim} claim: set the credential claim to ${spec.clientIdClaim}, or Konnect cannot match tokens to the developer's application ${cite(type)}.`,
    });
  }
  // Kong's Azure how-to: "In the Credential Claims field, enter appid."
  if (
    spec.quirks.credentialClaimUsuallyClientId &&
    s.credentialClaim.length &&
    !s.credentialClaim.includes(spec.clientIdClaim)
  ) {
    out.push({
      code: code(spec.clientIdClaim),
      severity: 'information',
      target: { field: 'credentialClaim' },
      source,
      replacement: spec.clientIdClaim,
      message: `${noun} puts the client id in the ${spec.clientIdClaim} claim, and Kong's how-to uses credential claim ${spec.clientIdClaim}; ${s.credentialClaim.join(', ')} works only if your tokens carry the client id there ${cite(type)}.`,
    });
  }
  // Kong's Kong Identity how-to: the DCR provider is the auth server, so the strategy's issuer is the auth server's.
  if (spec.quirks.authServerIssuer && expectedIssuer && s.issuer.trim() && s.issuer.trim() !== expectedIssuer.trim()) {
    out.push({
      code: code('issuer'),
      severity: 'warning',
      target: { field: 'issuer' },
      source,
      replacement: expectedIssuer.trim(),
      message: `A ${noun} strategy's issuer is its auth server's issuer, ${expectedIssuer.trim()}: tokens carry that iss, and with another issuer the gateway refuses them ${cite(type)}.`,
    });
  }
  return out;
}
