/**
 * The DCR driver for `provider_type: kongIdentity`. Kong Identity is Konnect-internal, so "registering a client at
 * the IdP" is creating a Kong Identity client in the emulator's own store, on the auth server whose issuer is the
 * provider's issuer. The Kong Identity IdP flavour then serves tokens for it through `KongIdentityStore`.
 */
import {
  type ClientRegistrationRequest,
  DcrDriverError,
  type DcrDriver,
  type RegisteredClient,
  type StoredDcrProvider,
  type VerifyResult,
} from '../contracts';
import { type AuthServerRec, type ClientRec, type KonnectStore, now, randomAlnum, uuid } from './store';

const KI_GRANTS = new Set(['implicit', 'client_credentials']);
const KI_AUTH_METHODS = new Set(['client_secret_post', 'none']);

export function createKongIdentityDriver(store: KonnectStore): DcrDriver {
  const serverFor = (provider: StoredDcrProvider): AuthServerRec => {
    const a = store.authServerForIssuer(provider.issuer);
    if (!a) throw new DcrDriverError(`No Kong Identity auth server has the issuer ${provider.issuer}`, 400);
    return a;
  };
  const checkAbort = (signal?: AbortSignal): void => {
    if (signal?.aborted) throw new DcrDriverError('Kong Identity request aborted', 504);
  };

  return {
    async verify(provider: StoredDcrProvider, signal?: AbortSignal): Promise<VerifyResult> {
      checkAbort(signal);
      const a = store.authServerForIssuer(provider.issuer);
      return a
        ? { status: 'success', errors: [] }
        : { status: 'failed', errors: [`No Kong Identity auth server has the issuer ${provider.issuer}`] };
    },

    async register(
      provider: StoredDcrProvider,
      req: ClientRegistrationRequest,
      signal?: AbortSignal,
    ): Promise<RegisteredClient> {
      checkAbort(signal);
      const a = serverFor(provider);
      const scopeIds = [...store.scopesById.values()]
        .filter((s) => s.auth_server_id === a.id && req.scopes.includes(s.name))
        .map((s) => s.id);
      const grants = req.grant_types.filter((g) => KI_GRANTS.has(g));
      const ts = now();
      const secret = randomAlnum(32);
      const c: ClientRec = {
        id: randomAlnum(20),
        auth_server_id: a.id,
        name: req.application_name,
        grant_types: grants.length ? grants : ['client_credentials'],
        response_types: ['token'],
        redirect_uris: [...req.redirect_uris],
        login_uri: null,
        access_token_duration: 300,
        id_token_duration: 300,
        allow_all_scopes: false,
        allow_scopes: scopeIds,
        labels: { application_id: req.application_id, portal_id: req.portal_id, developer_id: req.developer_id },
        token_endpoint_auth_method: KI_AUTH_METHODS.has(req.token_endpoint_auth_method)
          ? req.token_endpoint_auth_method
          : 'client_secret_post',
        secrets: [{ id: uuid(), secret, enabled: true, created_at: ts, updated_at: ts }],
        created_at: ts,
        updated_at: ts,
      };
      store.clients.set(`${a.id}/${c.id}`, c);
      return { client_id: c.id, client_secret: secret };
    },

    async deleteClient(provider: StoredDcrProvider, clientId: string, signal?: AbortSignal): Promise<void> {
      checkAbort(signal);
      const a = serverFor(provider);
      store.clients.delete(`${a.id}/${clientId}`);
      store.tokens.delete(`${a.id}/${clientId}`);
    },

    async clientExists(provider: StoredDcrProvider, clientId: string, signal?: AbortSignal): Promise<boolean> {
      checkAbort(signal);
      return store.clients.has(`${serverFor(provider).id}/${clientId}`);
    },

    async newSecret(provider: StoredDcrProvider, clientId: string, signal?: AbortSignal): Promise<RegisteredClient> {
      checkAbort(signal);
      const a = serverFor(provider);
      const c = store.clients.get(`${a.id}/${clientId}`);
      if (!c) throw new DcrDriverError(`Kong Identity client ${clientId} not found`, 404);
      const ts = now();
      const secret = randomAlnum(32);
      c.secrets = [{ id: uuid(), secret, enabled: true, created_at: ts, updated_at: ts }];
      c.updated_at = ts;
      return { client_id: c.id, client_secret: secret };
    },
  };
}
