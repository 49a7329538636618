// Scope helpers shared by the flavours' token policies.
import type { KoaContext } from 'oidc-provider';
import { loadOidc } from './esm';
import { scopeList } from './provider';

/** OpenID Connect scopes: identity, not API permissions. */
export const OIDC_SCOPES: ReadonlySet<string> = new Set([
  'openid',
  'profile',
  'email',
  'address',
  'phone',
  'offline_access',
]);

export function requestedScopes(ctx: KoaContext): string[] {
  const raw = ctx.oidc.params?.scope;
  return [...new Set(scopeList(typeof raw === 'string' ? raw : undefined))];
}

export async function invalidScope(description: string, scope?: string): Promise<Error> {
  const { errors } = await loadOidc();
  return new errors.InvalidScope(description, scope);
}

/** An OAuth error with a chosen HTTP status (oidc-provider's classes default to 400). */
export async function oauthError(
  status: number,
  code: 'access_denied' | 'invalid_request' | 'unauthorized_client' | 'invalid_target',
  description: string,
): Promise<Error> {
  const { errors } = await loadOidc();
  const ctor = {
    access_denied: errors.AccessDenied,
    invalid_request: errors.InvalidRequest,
    unauthorized_client: errors.UnauthorizedClient,
    invalid_target: errors.InvalidTarget,
  }[code];
  const err = new ctor(description);
  err.status = status;
  err.statusCode = status;
  return err;
}
