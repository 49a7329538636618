// Where each flavour keeps its OAuth clients, and the oidc-provider adapter built on top of it.
//
// oidc-provider's stock memory adapter shares ONE module-global store between every Provider instance, so a client
// registered at Okta would also authenticate at Auth0. Each flavour therefore gets its own adapter: clients come
// from a `ClientSource` the flavour controls (its admin API writes there), every other model (tokens, initial and
// registration access tokens...) lives in a per-provider expiring map.
import type { Adapter, AdapterPayload } from 'oidc-provider';

/** A client as a flavour stores it. Secrets are kept apart from the oidc-provider metadata so that several can be valid. */
export interface ClientRecord {
  client_id: string;
  /** Every secret that authenticates this client (Azure keeps several passwords, Kong Identity several secrets). */
  secrets: string[];
  /** oidc-provider client metadata (grant_types, token_endpoint_auth_method, scope, client_name, redirect_uris...). */
  metadata: Record<string, unknown>;
  /**
   * Accept client_secret_basic and client_secret_post alike, whatever `token_endpoint_auth_method` says, as Azure AD
   * and Curity's "secret" authentication do. Otherwise oidc-provider's strict matching applies.
   */
  eitherSecretMethod?: boolean;
  /** Flavour-specific data (Auth0 client_metadata, Azure object ids, Okta fields...). */
  info: Record<string, unknown>;
  created_at: number;
}

/** What the adapter needs to read and write clients. */
export interface ClientSource {
  get(clientId: string): ClientRecord | undefined;
  /** Called by oidc-provider's own registration endpoints (RFC 7591/7592). */
  upsertFromProvider?(clientId: string, metadata: Record<string, unknown>): void;
  deleteFromProvider?(clientId: string): void;
}

export class ClientStore implements ClientSource {
  readonly #clients = new Map<string, ClientRecord>();

  get(clientId: string): ClientRecord | undefined {
    return this.#clients.get(clientId);
  }

  list(): ClientRecord[] {
    return [...this.#clients.values()];
  }

  put(record: ClientRecord): ClientRecord {
    this.#clients.set(record.client_id, record);
    return record;
  }

  delete(clientId: string): boolean {
    return this.#clients.delete(clientId);
  }

  setSecrets(clientId: string, secrets: string[]): void {
    const rec = this.#clients.get(clientId);
    if (rec) rec.secrets = secrets;
  }

  upsertFromProvider(clientId: string, metadata: Record<string, unknown>): void {
    const { client_secret: secret, client_id: _id, ...rest } = metadata;
    const previous = this.#clients.get(clientId);
    const secrets =
      typeof secret === 'string' && secret ? (previous?.secrets.includes(secret) ? previous.secrets : [secret]) : [];
    this.#clients.set(clientId, {
      client_id: clientId,
      secrets,
      metadata: rest,
      info: previous?.info ?? {},
      created_at: previous?.created_at ?? Date.now(),
      ...(previous?.eitherSecretMethod !== undefined ? { eitherSecretMethod: previous.eitherSecretMethod } : {}),
    });
  }

  deleteFromProvider(clientId: string): void {
    this.#clients.delete(clientId);
  }
}

/** How the current token request presents the client secret, if it does. */
export type PresentedMethod = 'client_secret_basic' | 'client_secret_post' | undefined;

/** The oidc-provider client metadata for a record (client_secret: the first secret, or an unguessable placeholder). */
export function clientMetadata(rec: ClientRecord, presented: PresentedMethod): Record<string, unknown> {
  const md: Record<string, unknown> = {
    ...rec.metadata,
    client_id: rec.client_id,
    client_id_issued_at: Math.floor(rec.created_at / 1000),
  };
  const method =
    typeof md['token_endpoint_auth_method'] === 'string' ? md['token_endpoint_auth_method'] : 'client_secret_basic';
  if (method !== 'none') {
    md['client_secret'] = rec.secrets[0] ?? `unusable-${rec.client_id}-${rec.created_at}-no-enabled-secret`;
    md['client_secret_expires_at'] = 0;
  }
  if (rec.eitherSecretMethod && presented && (method === 'client_secret_basic' || method === 'client_secret_post')) {
    md['token_endpoint_auth_method'] = presented;
  }
  return md;
}

interface Entry {
  payload: AdapterPayload;
  expiresAt: number;
}

/** A per-provider adapter factory: Client from `clients`, everything else in memory with expiry. */
export function createAdapterFactory(
  clients: ClientSource,
  presentedMethod: () => PresentedMethod,
): (model: string) => Adapter {
  const store = new Map<string, Entry>();
  const sweep = () => {
    if (store.size < 2000) return;
    const now = Date.now();
    for (const [k, v] of store) if (v.expiresAt <= now) store.delete(k);
  };
  return (model: string): Adapter => {
    const key = (id: string) => `${model}:${id}`;
    const live = (k: string): AdapterPayload | undefined => {
      const e = store.get(k);
      if (!e) return undefined;
      if (e.expiresAt <= Date.now()) {
        store.delete(k);
        return undefined;
      }
      return e.payload;
    };
    if (model === 'Client') {
      return {
        async find(id) {
          const rec = clients.get(id);
          return rec ? clientMetadata(rec, presentedMethod()) : undefined;
        },
        async upsert(id, payload) {
          clients.upsertFromProvider?.(id, payload);
        },
        async destroy(id) {
          clients.deleteFromProvider?.(id);
        },
        async consume() {
          /* clients are not consumable */
        },
        async findByUid() {
          return undefined;
        },
        async findByUserCode() {
          return undefined;
        },
        async revokeByGrantId() {
          /* clients have no grant */
        },
      };
    }
    return {
      async upsert(id, payload, expiresIn) {
        sweep();
        const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY;
        store.set(key(id), { payload, expiresAt });
        if (typeof payload['uid'] === 'string')
          store.set(`uid:${model}:${payload['uid']}`, { payload: { id }, expiresAt });
        if (typeof payload['userCode'] === 'string')
          store.set(`userCode:${model}:${payload['userCode']}`, { payload: { id }, expiresAt });
      },
      async find(id) {
        return live(key(id));
      },
      async findByUid(uid) {
        const ref = live(`uid:${model}:${uid}`);
        return typeof ref?.['id'] === 'string' ? live(key(ref['id'])) : undefined;
      },
      async findByUserCode(code) {
        const ref = live(`userCode:${model}:${code}`);
        return typeof ref?.['id'] === 'string' ? live(key(ref['id'])) : undefined;
      },
      async consume(id) {
        const p = live(key(id));
        if (p) p['consumed'] = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        store.delete(key(id));
      },
      async revokeByGrantId(grantId) {
        for (const [k, e] of store) if (k.startsWith(`${model}:`) && e.payload['grantId'] === grantId) store.delete(k);
      },
    };
  };
}
