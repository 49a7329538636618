// Helpers for tests of the IdP flavours and the gateway: an in-memory KongIdentityStore, token requests, JWT checks
// against an issuer's published JWKS. Test support only; nothing here is used at run time.
import { randomUUID } from 'node:crypto';
import type {
  ClientRegistrationRequest,
  KiAuthServer,
  KiClaim,
  KiClient,
  KiScope,
  KongIdentityStore,
} from '../contracts';
import { loadJose } from './esm';

export class FakeKongIdentityStore implements KongIdentityStore {
  readonly servers = new Map<string, KiAuthServer>();
  readonly scopeMap = new Map<string, KiScope[]>();
  readonly claimMap = new Map<string, KiClaim[]>();
  readonly clientMap = new Map<string, Map<string, KiClient>>();

  authServer(id: string): KiAuthServer | undefined {
    return this.servers.get(id);
  }
  scopes(id: string): KiScope[] {
    return this.scopeMap.get(id) ?? [];
  }
  claims(id: string): KiClaim[] {
    return this.claimMap.get(id) ?? [];
  }
  client(asId: string, clientId: string): KiClient | undefined {
    return this.clientMap.get(asId)?.get(clientId);
  }

  addAuthServer(init: Partial<KiAuthServer> & { issuerFor: (id: string) => string }): KiAuthServer {
    const id = init.id ?? randomUUID();
    const as: KiAuthServer = {
      id,
      name: init.name ?? 'sandbox',
      audience: init.audience ?? 'https://api.konnect-sandbox.test',
      signing_algorithm: init.signing_algorithm ?? 'RS256',
      issuer: init.issuerFor(id),
    };
    this.servers.set(id, as);
    return as;
  }

  addScope(asId: string, name: string, init: Partial<KiScope> = {}): KiScope {
    const scope: KiScope = {
      id: randomUUID(),
      name,
      default: false,
      enabled: true,
      include_in_metadata: false,
      ...init,
    };
    this.scopeMap.set(asId, [...this.scopes(asId), scope]);
    return scope;
  }

  addClaim(asId: string, name: string, value: string, init: Partial<KiClaim> = {}): KiClaim {
    const claim: KiClaim = {
      id: randomUUID(),
      name,
      value,
      include_in_token: true,
      include_in_all_scopes: true,
      include_in_scopes: [],
      enabled: true,
      ...init,
    };
    this.claimMap.set(asId, [...this.claims(asId), claim]);
    return claim;
  }

  addClient(asId: string, init: Partial<KiClient> = {}): KiClient {
    const client: KiClient = {
      id: init.id ?? `ki-${randomUUID().slice(0, 8)}`,
      name: 'app',
      grant_types: ['client_credentials'],
      response_types: [],
      allow_all_scopes: false,
      allow_scopes: [],
      access_token_duration: 300,
      token_endpoint_auth_method: 'client_secret_post',
      secrets: [`secret-${randomUUID()}`],
      labels: {},
      ...init,
    };
    const m = this.clientMap.get(asId) ?? new Map<string, KiClient>();
    m.set(client.id, client);
    this.clientMap.set(asId, m);
    return client;
  }
}

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

export async function requestToken(
  tokenEndpoint: string,
  opts: { clientId: string; clientSecret: string; auth?: 'basic' | 'post' | 'json'; params?: Record<string, string> },
): Promise<TokenAnswer> {
  const auth = opts.auth ?? 'post';
  const fields: Record<string, string> = { grant_type: 'client_credentials', ...opts.params };
  const headers: Record<string, string> = { accept: 'application/json' };
  if (auth === 'basic')
    headers['authorization'] =
      `Basic ${Buffer.from(`${encodeURIComponent(opts.clientId)}:${encodeURIComponent(opts.clientSecret)}`).toString('base64')}`;
  else {
    fields['client_id'] = opts.clientId;
    fields['client_secret'] = opts.clientSecret;
  }
  const json = auth === 'json';
  headers['content-type'] = json ? 'application/json' : 'application/x-www-form-urlencoded';
  const res = await fetch(tokenEndpoint, {
    method: 'POST',
    headers,
    body: json ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
  });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { raw: text };
  }
  return { status: res.status, body, headers: res.headers };
}

export async function discovery(issuerOrDiscoveryUrl: string): Promise<Record<string, unknown>> {
  const url = issuerOrDiscoveryUrl.endsWith('/.well-known/openid-configuration')
    ? issuerOrDiscoveryUrl
    : `${issuerOrDiscoveryUrl.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`discovery ${url}: HTTP ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
}

/**
 * Verifies a JWT against the JWKS the issuer publishes (found through discovery), with the `iss` discovery
 * states. Returns the payload and protected header.
 */
export async function verifyWithPublishedJwks(
  token: string,
  issuerOrDiscoveryUrl: string,
): Promise<{ payload: Record<string, unknown>; header: Record<string, unknown> }> {
  const jose = await loadJose();
  const meta = await discovery(issuerOrDiscoveryUrl);
  const jwksRes = await fetch(String(meta['jwks_uri']));
  const jwks = (await jwksRes.json()) as { keys: Record<string, unknown>[] };
  const { payload, protectedHeader } = await jose.jwtVerify(
    token,
    jose.createLocalJWKSet(jwks as Parameters<typeof jose.createLocalJWKSet>[0]),
    {
      issuer: String(meta['issuer']),
    },
  );
  return { payload: payload as Record<string, unknown>, header: protectedHeader as Record<string, unknown> };
}

export function registrationRequest(overrides: Partial<ClientRegistrationRequest> = {}): ClientRegistrationRequest {
  return {
    application_id: randomUUID(),
    application_name: 'Sandbox app',
    application_description: 'made by a test',
    portal_id: randomUUID(),
    organization_id: randomUUID(),
    developer_id: randomUUID(),
    auth_strategy_id: randomUUID(),
    dcr_provider_id: randomUUID(),
    scopes: [],
    auth_methods: ['client_credentials', 'bearer'],
    credential_claim: ['client_id'],
    grant_types: ['client_credentials'],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_post',
    ...overrides,
  };
}

export function decodePayload(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}
