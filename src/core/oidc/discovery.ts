/**
 * Token endpoints from OpenID discovery (`{issuer}/.well-known/openid-configuration`), with each IdP's documented
 * convention (the provider-type table's `tokenEndpoint`) as the fallback when discovery cannot be read:
 *   Kong Identity `{issuer}/oauth/token`, Okta `{issuer}/v1/token`, Auth0 `{issuer}oauth/token` (issuer ends with /),
 *   Curity `…/oauth/v2/oauth-token`, Azure AD `https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token`.
 */
import * as z from 'zod';
import { providerType, type ProviderType } from '../model/providerTypes';
import type { RequestExecutor } from '../requests/executor';
import { normalizeIssuer } from '../requests/jwt';

export const DiscoveryDocumentSchema = z.looseObject({
  issuer: z.string().optional(),
  token_endpoint: z.string().url().optional(),
  jwks_uri: z.string().optional(),
  grant_types_supported: z.array(z.string()).optional(),
  token_endpoint_auth_methods_supported: z.array(z.string()).optional(),
});
export type DiscoveryDocument = z.infer<typeof DiscoveryDocumentSchema>;

export interface TokenEndpoint {
  readonly url: string;
  /** `discovery`: read from the issuer's metadata; `convention`: the IdP's documented form (discovery failed). */
  readonly source: 'discovery' | 'convention';
  readonly discoveryUrl: string;
  /** Why discovery failed (with `source: 'convention'`). */
  readonly problem?: string | undefined;
  readonly authMethods?: readonly string[] | undefined;
}

export function discoveryUrl(issuer: string): string {
  return `${normalizeIssuer(issuer)}/.well-known/openid-configuration`;
}

export function conventionalTokenEndpoint(issuer: string, type: ProviderType | undefined): string | undefined {
  return type ? providerType(type).tokenEndpoint?.(normalizeIssuer(issuer)) : undefined;
}

export async function findTokenEndpoint(
  executor: RequestExecutor,
  issuer: string,
  type: ProviderType | undefined,
  signal: AbortSignal,
): Promise<TokenEndpoint> {
  const url = discoveryUrl(issuer);
  let problem: string;
  try {
    const res = await executor.execute({ method: 'GET', url, headers: [['accept', 'application/json']] }, signal);
    if (res.status === 200) {
      const doc = DiscoveryDocumentSchema.safeParse(JSON.parse(res.body));
      if (doc.success && doc.data.token_endpoint) {
        return {
          url: doc.data.token_endpoint,
          source: 'discovery',
          discoveryUrl: url,
          authMethods: doc.data.token_endpoint_auth_methods_supported,
        };
      }
      problem = 'the discovery document has no token_endpoint';
    } else problem = `discovery answered HTTP ${res.status}`;
  } catch (err) {
    if (signal.aborted) throw err;
    problem = err instanceof Error ? err.message : String(err);
  }
  const guess = conventionalTokenEndpoint(issuer, type);
  if (!guess) throw new Error(`Cannot find the token endpoint of ${issuer}: ${problem} (${url})`);
  return { url: guess, source: 'convention', discoveryUrl: url, problem };
}
