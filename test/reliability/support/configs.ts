/**
 * Config files for the reliability suites and the apply benchmark: `n` DCR providers (okta and http, whose write-only
 * secrets come from `!secret {source: !env …}`) and `n` auth strategies (openid_connect with `dcr_provider_id: !ref`
 * to the provider of the same index, every fourth one key_auth), all names prefixed so runs do not collide.
 */
export interface GeneratedConfig {
  readonly text: string;
  readonly providerNames: readonly string[];
  readonly strategyNames: readonly string[];
  /** The secret values the file's `!env` names resolve to. */
  readonly secrets: Readonly<Record<string, string>>;
}

export function generateConfig(prefix: string, n: number, secretSeed = 'kdcr'): GeneratedConfig {
  const pad = (i: number): string => String(i).padStart(String(n).length, '0');
  const lines = ['dcr_providers:'];
  const providerNames: string[] = [];
  const strategyNames: string[] = [];
  const secrets: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    const name = `${prefix}-provider-${pad(i)}`;
    providerNames.push(name);
    const env = `KDCR_REL_${prefix.replace(/\W/g, '_').toUpperCase()}_${pad(i)}`;
    // letters, digits and _ only: what Konnect accepts for an http provider's api_key
    secrets[env] = `${secretSeed}_secret_${prefix.replace(/\W/g, '_')}_${pad(i)}_${'x'.repeat(8)}`;
    lines.push(`  - ref: ${prefix}-p${pad(i)}`, `    name: ${name}`);
    if (i % 2 === 0) {
      lines.push(
        '    provider_type: okta',
        `    issuer: https://idp-${pad(i)}.example.com/oauth2/default`,
        '    dcr_config:',
        `      dcr_token: !secret {source: !env ${env}}`,
      );
    } else {
      lines.push(
        '    provider_type: http',
        `    issuer: https://idp-${pad(i)}.example.com`,
        '    dcr_config:',
        `      dcr_base_url: https://dcr-${pad(i)}.example.com/v1`,
        `      api_key: !secret {source: !env ${env}}`,
      );
    }
  }
  lines.push('', 'application_auth_strategies:');
  for (let i = 0; i < n; i++) {
    const name = `${prefix}-strategy-${pad(i)}`;
    strategyNames.push(name);
    lines.push(`  - ref: ${prefix}-s${pad(i)}`, `    name: ${name}`, `    display_name: Strategy ${i}`);
    if (i % 4 === 3) {
      lines.push('    strategy_type: key_auth', '    configs:', '      key_auth:', '        key_names: [apikey]');
    } else {
      lines.push(
        '    strategy_type: openid_connect',
        `    dcr_provider_id: !ref ${prefix}-p${pad(i)}`,
        '    configs:',
        '      openid_connect:',
        `        issuer: https://idp-${pad(i)}.example.com/oauth2/default`,
        '        credential_claim: [sub]',
        '        scopes: [orders:read]',
        '        auth_methods: [client_credentials, bearer]',
      );
    }
  }
  return { text: lines.join('\n') + '\n', providerNames, strategyNames, secrets };
}
