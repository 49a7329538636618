/**
 * The rotation rule for Kong Identity client secrets: at most two enabled ("active") secrets per client, the one the
 * apps use and the one they move to (docs/konnect-api.md §4.1). Konnect allows several active
 * secrets; the extension refuses a third so that a rotation always ends with the old secret disabled.
 */
import type { ClientSecretItem } from '../model/kongIdentity';

export const MAX_ACTIVE_SECRETS = 2;

type SecretLike = Pick<ClientSecretItem, 'id' | 'enabled' | 'created_at'>;

/** Enabled secrets, oldest first (ties by id, so the order is stable). */
export function activeSecrets<T extends SecretLike>(secrets: readonly T[]): T[] {
  return secrets
    .filter((s) => s.enabled)
    .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Whether one more secret may become active (a new one, or `enabling`, a disabled one enabled): `ok`, or the oldest
 * active secret to disable first.
 */
export function checkOneMoreActive<T extends SecretLike>(
  secrets: readonly T[],
  enabling?: string,
): { readonly ok: true } | { readonly ok: false; readonly oldest: T; readonly active: number } {
  const active = activeSecrets(secrets);
  if (enabling !== undefined && active.some((s) => s.id === enabling)) return { ok: true };
  if (active.length < MAX_ACTIVE_SECRETS) return { ok: true };
  return { ok: false, oldest: active[0]!, active: active.length };
}

/** Disabling `id` leaves the client with no active secret (every app's client_credentials request then fails). */
export function isLastActive(secrets: readonly SecretLike[], id: string): boolean {
  const active = activeSecrets(secrets);
  return active.length === 1 && active[0]!.id === id;
}
