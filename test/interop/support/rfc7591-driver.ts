/**
 * The Konnect emulator's DCR driver for the interop tier: what a careful Konnect does with a Curity-type DCR
 * provider (an initial client whose `dcr`-scoped token opens the IdP's registration endpoint) against a server that
 * follows RFC 7591 / 7592 strictly, here Glewlwyd:
 *
 *   verify      discovery (the issuer may be its discovery URL) has a registration_endpoint; the initial client
 *               gets a client_credentials token with scope `dcr` (client_secret_basic)
 *   register    POST registration_endpoint with that token; `redirect_uris` is never empty (strict servers require
 *               it even for client_credentials clients: a placeholder when the application has none); 200 and 201
 *               are both success (RFC 7591 says 201; Glewlwyd answers 200); the client's
 *               registration_access_token and registration_client_uri are kept
 *   deleteClient  RFC 7592 DELETE on registration_client_uri with the client's own registration_access_token (an
 *               initial-client token is not accepted there); 404 counts as deleted
 *
 * It lives here, not among the sandbox's drivers, so the tier does not depend on how strict those are; its TLS
 * trusts the tier's CA only. Kept in memory: the registrations of one run.
 */
import { DcrDriverError, type ClientRegistrationRequest, type DcrDriver, type RegisteredClient, type StoredDcrProvider, type VerifyResult } from '../../sandbox/contracts';
import { HttpClient, type Answer } from './http';

export const PLACEHOLDER_REDIRECT_URI = 'https://localhost/konnect-dcr-client-credentials';
const WELL_KNOWN = '/.well-known/openid-configuration';

interface Registration { readonly uri: string; readonly accessToken: string }

export interface Rfc7591Driver extends DcrDriver {
  /** Client ids registered and not deleted (yet). */
  readonly registered: ReadonlySet<string>;
  close(): Promise<void>;
}

function describe(r: Answer): string {
  const e = r.json?.['error'], d = r.json?.['error_description'];
  return `HTTP ${r.status}${typeof e === 'string' ? `: ${e}${typeof d === 'string' ? ` (${d})` : ''}` : r.text ? '' : ' (empty body)'}`;
}

export function createRfc7591Driver(ca: string): Rfc7591Driver {
  const http = new HttpClient(ca);
  const registrations = new Map<string, Registration>();

  async function call(url: string, init: Parameters<HttpClient['call']>[1], what: string): Promise<Answer> {
    try {
      return await http.call(url, init);
    } catch (err) {
      throw new DcrDriverError(`${what}: could not reach ${url} (${(err as Error).message}).`, 502);
    }
  }

  function config(provider: StoredDcrProvider, key: string): string {
    const v = provider.dcr_config[key];
    if (typeof v !== 'string' || !v) throw new DcrDriverError(`The DCR provider has no dcr_config.${key}.`, 400);
    return v;
  }

  async function endpoints(provider: StoredDcrProvider): Promise<{ token: string; registration: string }> {
    const issuer = provider.issuer.trim();
    const url = issuer.endsWith(WELL_KNOWN) ? issuer : `${issuer.replace(/\/+$/, '')}${WELL_KNOWN}`;
    const r = await call(url, {}, 'OpenID discovery');
    const token = r.json?.['token_endpoint'], registration = r.json?.['registration_endpoint'];
    if (r.status !== 200 || typeof token !== 'string') throw new DcrDriverError(`OpenID discovery at ${url} answered ${describe(r)} without a token_endpoint.`, 400);
    if (typeof registration !== 'string') throw new DcrDriverError(`The OpenID configuration at ${url} has no registration_endpoint: enable dynamic client registration.`, 400);
    return { token, registration };
  }

  async function initialToken(provider: StoredDcrProvider, tokenEndpoint: string): Promise<string> {
    const secret = provider.secrets.initial_client_secret;
    if (!secret) throw new DcrDriverError('The DCR provider has no initial_client_secret stored.', 400);
    const basic = Buffer.from(`${encodeURIComponent(config(provider, 'initial_client_id'))}:${encodeURIComponent(secret)}`).toString('base64');
    const r = await call(tokenEndpoint, { form: { grant_type: 'client_credentials', scope: 'dcr' }, headers: { authorization: `Basic ${basic}` } }, 'Initial client token');
    const token = r.json?.['access_token'];
    if (r.status !== 200 || typeof token !== 'string') throw new DcrDriverError(`The token endpoint refused the initial client a "dcr" token: ${describe(r)}.`, 400);
    return token;
  }

  return {
    get registered() { return new Set(registrations.keys()); },

    async verify(provider): Promise<VerifyResult> {
      try {
        await initialToken(provider, (await endpoints(provider)).token);
        return { status: 'success', errors: [] };
      } catch (err) {
        if (err instanceof DcrDriverError) return { status: 'failed', errors: [err.message] };
        throw err;
      }
    },

    async register(provider, request: ClientRegistrationRequest): Promise<RegisteredClient> {
      const ep = await endpoints(provider);
      const token = await initialToken(provider, ep.token);
      const r = await call(ep.registration, {
        json: {
          client_name: request.application_name,
          grant_types: [...new Set(['client_credentials', ...request.grant_types])],
          token_endpoint_auth_method: request.token_endpoint_auth_method,
          redirect_uris: request.redirect_uris.length ? request.redirect_uris : [PLACEHOLDER_REDIRECT_URI],
          ...(request.scopes.length ? { scope: request.scopes.join(' ') } : {}),
        },
        headers: { authorization: `Bearer ${token}` },
      }, 'Client registration');
      if (r.status !== 200 && r.status !== 201) throw new DcrDriverError(`Registering the client was refused: ${describe(r)}.`, r.status >= 500 ? 502 : 400);
      const j = r.json ?? {};
      const id = j['client_id'], secret = j['client_secret'], uri = j['registration_client_uri'], rat = j['registration_access_token'];
      if (typeof id !== 'string' || typeof secret !== 'string') throw new DcrDriverError('The registration answer has no client_id / client_secret.', 502);
      if (typeof uri === 'string' && typeof rat === 'string') registrations.set(id, { uri, accessToken: rat });
      return { client_id: id, client_secret: secret };
    },

    async deleteClient(_provider, clientId): Promise<void> {
      const reg = registrations.get(clientId);
      if (!reg) throw new DcrDriverError(`No registration access token is stored for client ${clientId}: it cannot be deleted through RFC 7592.`, 400);
      const r = await call(reg.uri, { method: 'DELETE', headers: { authorization: `Bearer ${reg.accessToken}` } }, 'Client deletion');
      if ((r.status < 200 || r.status >= 300) && r.status !== 404) throw new DcrDriverError(`Deleting client ${clientId} was refused: ${describe(r)}.`, 400);
      registrations.delete(clientId);
    },

    newSecret(): Promise<RegisteredClient> {
      return Promise.reject(new DcrDriverError('The interop driver does not rotate secrets.', 501));
    },

    close: () => http.close(),
  };
}
