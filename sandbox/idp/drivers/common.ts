// What every DCR driver needs: HTTP calls that turn every failure into plain words (never echoing a secret),
// OpenID discovery from an issuer (or from a discovery URL given as the issuer), client_credentials tokens.
import { DcrDriverError, type ClientManagement, type StoredDcrProvider, type VerifyResult } from '../../contracts';

export const WELL_KNOWN = '/.well-known/openid-configuration';

export interface CallResult {
  status: number;
  json: unknown;
  text: string;
}

/** Where a URL points, without query (which might hold something sensitive). */
function where(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return 'an invalid URL';
  }
}

export async function call(
  url: string,
  init: RequestInit,
  signal: AbortSignal | undefined,
  what: string,
): Promise<CallResult> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: signal ?? null });
  } catch (err) {
    if (signal?.aborted) throw err;
    const cause =
      err instanceof Error ? ((err.cause as { code?: string } | undefined)?.code ?? err.message) : String(err);
    throw new DcrDriverError(`${what}: could not reach ${where(url)} (${cause}).`, 502);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

/** "HTTP 401: invalid_client (client authentication failed)" from whatever error shape the IdP uses. */
export function describe(r: CallResult): string {
  const j = r.json as Record<string, unknown> | undefined;
  const pick = (...keys: string[]) =>
    keys.map((k) => j?.[k]).find((v): v is string => typeof v === 'string' && v.length > 0);
  let detail: string | undefined;
  if (j && typeof j === 'object') {
    const nested = j['error'];
    if (nested && typeof nested === 'object') {
      const n = nested as Record<string, unknown>;
      detail = [n['code'], n['message']].filter((x) => typeof x === 'string').join(': ');
    } else {
      const code = pick('error', 'errorCode');
      const desc = pick('error_description', 'errorSummary', 'message', 'detail');
      detail = code && desc ? `${code} (${desc})` : (code ?? desc);
    }
  }
  return `HTTP ${r.status}${detail ? `: ${detail}` : ''}`;
}

export function discoveryUrlOf(issuer: string): string {
  const s = issuer.trim();
  return s.endsWith(WELL_KNOWN) ? s : `${s.replace(/\/+$/, '')}${WELL_KNOWN}`;
}

export async function discover(issuer: string, signal: AbortSignal | undefined): Promise<Record<string, unknown>> {
  const url = discoveryUrlOf(issuer);
  const r = await call(url, { headers: { accept: 'application/json' } }, signal, 'OpenID discovery');
  if (r.status !== 200 || typeof r.json !== 'object' || r.json === null) {
    throw new DcrDriverError(
      `OpenID discovery failed: GET ${where(url)} answered ${describe(r)}. Check the issuer URL.`,
      400,
    );
  }
  const meta = r.json as Record<string, unknown>;
  if (typeof meta['token_endpoint'] !== 'string')
    throw new DcrDriverError(`The OpenID configuration at ${where(url)} has no token_endpoint.`, 400);
  return meta;
}

export interface ClientCredentialsInput {
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
  auth: 'basic' | 'post' | 'json';
  params?: Record<string, string>;
  /** e.g. "the initial client" */
  who: string;
}

export async function clientCredentialsToken(
  input: ClientCredentialsInput,
  signal: AbortSignal | undefined,
): Promise<string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: string;
  const fields: Record<string, string> = { grant_type: 'client_credentials', ...input.params };
  if (input.auth === 'basic') {
    headers['authorization'] =
      `Basic ${Buffer.from(`${encodeURIComponent(input.clientId)}:${encodeURIComponent(input.clientSecret)}`).toString('base64')}`;
  } else {
    fields['client_id'] = input.clientId;
    fields['client_secret'] = input.clientSecret;
  }
  if (input.auth === 'json') {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(fields);
  } else {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(fields).toString();
  }
  const r = await call(
    input.tokenEndpoint,
    { method: 'POST', headers, body },
    signal,
    `Token request for ${input.who}`,
  );
  const token = (r.json as Record<string, unknown> | undefined)?.['access_token'];
  if (r.status !== 200 || typeof token !== 'string') {
    const rejected =
      r.status === 401 || (r.json as Record<string, unknown> | undefined)?.['error'] === 'invalid_client';
    throw new DcrDriverError(
      rejected
        ? `The token endpoint ${where(input.tokenEndpoint)} rejected ${input.who}'s credentials: ${describe(r)}.`
        : `The token endpoint ${where(input.tokenEndpoint)} refused a token to ${input.who}: ${describe(r)}.`,
      400,
    );
  }
  return token;
}

export function requireSecret(
  provider: StoredDcrProvider,
  key: 'initial_client_secret' | 'dcr_token' | 'api_key',
): string {
  const v = provider.secrets[key];
  if (!v) throw new DcrDriverError(`The DCR provider has no ${key} stored.`, 400);
  return v;
}

export function requireConfig(provider: StoredDcrProvider, key: string): string {
  const v = provider.dcr_config[key];
  if (typeof v !== 'string' || !v) throw new DcrDriverError(`The DCR provider has no dcr_config.${key}.`, 400);
  return v;
}

/** Runs verify steps; the first DcrDriverError becomes the failure. */
export async function verifySteps(steps: () => Promise<void>, signal: AbortSignal | undefined): Promise<VerifyResult> {
  try {
    await steps();
    return { status: 'success', errors: [] };
  } catch (err) {
    if (signal?.aborted) throw err;
    if (err instanceof DcrDriverError) return { status: 'failed', errors: [err.message] };
    return {
      status: 'failed',
      errors: [`Unexpected error while verifying: ${err instanceof Error ? err.message : String(err)}`],
    };
  }
}

/** A non-2xx answer of an IdP admin API as a DcrDriverError. */
export function refused(what: string, r: CallResult): DcrDriverError {
  return new DcrDriverError(`${what} was refused: ${describe(r)}.`, r.status >= 500 ? 502 : 400);
}

export const ok = (r: CallResult) => r.status >= 200 && r.status < 300;

export function withClientCredentials(grantTypes: string[]): string[] {
  return [...new Set(['client_credentials', ...grantTypes])];
}

export function secretOf(json: unknown, key: string, what: string): string {
  const v = (json as Record<string, unknown> | undefined)?.[key];
  if (typeof v !== 'string') throw new DcrDriverError(`${what}: the answer has no ${key}.`, 502);
  return v;
}

/** The RFC 7592 management fields of a registration (or update) answer, when the IdP gave both. */
export function managementOf(json: unknown): ClientManagement | undefined {
  const j = json as Record<string, unknown> | undefined;
  const uri = j?.['registration_client_uri'];
  const token = j?.['registration_access_token'];
  return typeof uri === 'string' && uri && typeof token === 'string' && token
    ? { registration_client_uri: uri, registration_access_token: token }
    : undefined;
}
