// What every flavour shares: its place on the listener and how a machine client's metadata is built and checked.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Provider } from 'oidc-provider';
import { HttpError } from '../http-util';

export interface Flavour {
  /** Path prefix on the shared listener, e.g. "/okta". */
  readonly prefix: string;
  /** Serve a request; `rest` is the URL after the prefix (path and query, "" or starting with "/"). */
  handle(req: IncomingMessage, res: ServerResponse, rest: string): Promise<void>;
}

export const SECRET_METHODS: ReadonlySet<string> = new Set(['client_secret_basic', 'client_secret_post']);

export interface MachineClientInput {
  name: string;
  grantTypes: string[];
  redirectUris: string[];
  authMethod: string;
}

/**
 * oidc-provider metadata for a client registered through an admin API. Only grants this sandbox can serve are
 * kept: client_credentials, and authorization_code / refresh_token when redirect URIs are given (metadata only:
 * the sandbox has no login pages). Nothing usable left means client_credentials. A client's allowed scopes are
 * kept by the flavour (oidc-provider only accepts its own static scopes in `scope` metadata).
 */
export function machineClientMetadata(input: MachineClientInput): Record<string, unknown> {
  const withRedirects = input.redirectUris.length > 0;
  const grants = input.grantTypes.filter(
    (g) => g === 'client_credentials' || (withRedirects && (g === 'authorization_code' || g === 'refresh_token')),
  );
  const grantTypes = grants.length ? [...new Set(grants)] : ['client_credentials'];
  const md: Record<string, unknown> = {
    client_name: input.name,
    grant_types: grantTypes,
    response_types: grantTypes.includes('authorization_code') ? ['code'] : [],
    redirect_uris: grantTypes.includes('authorization_code') ? input.redirectUris : [],
    token_endpoint_auth_method: input.authMethod,
  };
  return md;
}

/** Runs oidc-provider's own client validation; a refusal becomes a 400 with its description. */
export async function validateClientMetadata(
  provider: Provider,
  clientId: string,
  metadata: Record<string, unknown>,
): Promise<void> {
  try {
    await provider.Client.validate({ ...metadata, client_id: clientId, client_secret: 'x'.repeat(32) });
  } catch (err) {
    const e = err as { error?: string; error_description?: string; message?: string };
    throw new HttpError(
      400,
      e.error ?? 'invalid_client_metadata',
      e.error_description ?? e.message ?? 'invalid client metadata',
    );
  }
}

/** Sends a facade error in the shape the flavour uses. */
export type ErrorShaper = (err: HttpError) => unknown;

export function errorDetails(err: unknown): { status: number; code: string; description: string; body?: unknown } {
  if (err instanceof HttpError) return { status: err.status, code: err.code, description: err.message, body: err.body };
  return { status: 500, code: 'server_error', description: 'internal error in the sandbox IdP' };
}
