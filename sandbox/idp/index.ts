// The sandbox identity providers: every DCR provider_type's IdP on one loopback listener, under path prefixes.
//
//   /kong-identity/{authServerId}   Kong Identity auth servers (read live from the emulator's KongIdentityStore)
//   /curity/…                       Curity (issuer /curity/oauth/v2/oauth-anonymous)
//   /okta/…                         Okta org + "default" authorization server (issuer /okta/oauth2/default)
//   /auth0/…                        Auth0 tenant (issuer /auth0/) + Management API
//   /azure/…                        Azure AD tenant (issuer /azure/<tenant>) + Graph-like API (/azure/graph)
//   /http/…                         HTTP DCR bridge (/http/bridge) in front of an IdP (/http/idp)
//
// Each issuer has its own RSA key; access tokens are RS256 JWTs (Kong Identity: the auth server's algorithm)
// published on the issuer's JWKS. `drivers` are the DcrDriver implementations Konnect uses for each type.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DcrDriver, KongIdentityBackend, KongIdentityStore, StoredDcrProvider } from '../contracts';
import { type Fault, type FaultKind, FaultRegistry } from '../konnect/faults';
import { drivers as allDrivers } from './drivers/drivers';
import { createAuth0Flavour, type Auth0FlavourInfo, type Auth0FlavourOptions } from './flavours/auth0';
import { createAzureFlavour, type AzureFlavourInfo, type AzureFlavourOptions } from './flavours/azure';
import type { Flavour } from './flavours/common';
import { createCurityFlavour, type CurityFlavourInfo, type CurityFlavourOptions } from './flavours/curity';
import { createHttpFlavour, type HttpFlavourInfo, type HttpFlavourOptions } from './flavours/http-bridge';
import { createKongIdentityBackend, createKongIdentityFlavour } from './flavours/kong-identity';
import { createOktaFlavour, type OktaFlavourInfo, type OktaFlavourOptions } from './flavours/okta';
import { randomUUID, sendJson } from './http-util';

export type DcrDriverType = 'auth0' | 'azureAd' | 'curity' | 'okta' | 'http';

export interface StartIdpOptions {
  /** Default: a random free port. The listener is always 127.0.0.1. */
  port?: number;
  /**
   * Where Kong Identity auth servers, scopes, claims and clients are read (live). The emulator needs
   * `kongIdentity` (the backend) to start and only then has its store, so it may also be attached later with
   * `useKongIdentityStore`; until then /kong-identity/* answers 503.
   */
  kongIdentityStore?: KongIdentityStore;
  okta?: OktaFlavourOptions;
  auth0?: Auth0FlavourOptions;
  azureAd?: AzureFlavourOptions;
  curity?: CurityFlavourOptions;
  http?: HttpFlavourOptions;
}

/** A ready DCR provider record for the flavour (fresh object, new id each call), as the emulator would store it. */
type ProviderFactory = (overrides?: Partial<StoredDcrProvider>) => StoredDcrProvider;

export interface IdpFlavours {
  kongIdentity: { baseUrl: string };
  curity: CurityFlavourInfo & { dcrProvider: ProviderFactory };
  okta: OktaFlavourInfo & { dcrProvider: ProviderFactory };
  auth0: Auth0FlavourInfo & { dcrProvider: ProviderFactory };
  azureAd: AzureFlavourInfo & { dcrProvider: ProviderFactory };
  http: HttpFlavourInfo & { dcrProvider: ProviderFactory };
}

export interface StartedIdp {
  /** http://127.0.0.1:<port> */
  url: string;
  flavours: IdpFlavours;
  kongIdentity: KongIdentityBackend;
  drivers: Record<DcrDriverType, DcrDriver>;
  /** Attach (or replace) the KongIdentityStore the Kong Identity issuers read. */
  useKongIdentityStore(store: KongIdentityStore): void;
  /**
   * Faults on this listener, the same knobs as the emulator's (path regex, method, kind, status, times): e.g. a
   * `status` 500 on `DELETE /curity/token-service/oauth-registration/.*` makes an IdP that refuses to delete clients.
   * A `status` fault answers OAuth-shaped JSON `{error: "server_error" | …, error_description}`.
   */
  faults: FaultRegistry;
  /** The last 10 000 requests in arrival order (method, path without query, status; 0 when a fault dropped it). */
  requests: IdpRequest[];
  stop(): Promise<void>;
}

export interface IdpRequest {
  method: string;
  path: string;
  status: number;
  fault?: FaultKind;
  at: number;
}

/** Answers a fault that replaces the answer (true), or leaves the request to go on (latency: false). */
function applyFault(fault: Fault, req: IncomingMessage, res: ServerResponse): boolean {
  switch (fault.kind) {
    case 'drop':
      req.socket.destroy();
      return true;
    case 'status': {
      const status = fault.status ?? 503;
      const error =
        status === 401
          ? 'invalid_client'
          : status === 403
            ? 'access_denied'
            : status === 429
              ? 'slow_down'
              : status >= 500
                ? 'server_error'
                : 'invalid_request';
      if (status === 429 || status === 503 || fault.retryAfter !== undefined)
        res.setHeader('retry-after', String(fault.retryAfter ?? 1));
      sendJson(res, status, { error, error_description: `Injected fault: ${status}` });
      return true;
    }
    case 'malformed':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"client_id":"trunc');
      return true;
    case 'slow-body':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{');
      setTimeout(() => res.end('}'), fault.delayMs ?? 200);
      return true;
    default:
      return false;
  }
}

function factory(base: Omit<StoredDcrProvider, 'id'>): ProviderFactory {
  return (overrides = {}) => ({
    id: randomUUID(),
    ...structuredClone(base),
    ...overrides,
  });
}

export async function startIdp(options: StartIdpOptions): Promise<StartedIdp> {
  let flavourList: Flavour[] = [];
  let kiStore = options.kongIdentityStore;
  const liveStore: KongIdentityStore & { attached(): boolean } = {
    attached: () => kiStore !== undefined,
    authServer: (id) => kiStore?.authServer(id),
    scopes: (id) => kiStore?.scopes(id) ?? [],
    claims: (id) => kiStore?.claims(id) ?? [],
    client: (asId, clientId) => kiStore?.client(asId, clientId),
    recordToken: (asId, clientId, token) => kiStore?.recordToken?.(asId, clientId, token),
    tokenActive: (asId, clientId, tokenId) => kiStore?.tokenActive?.(asId, clientId, tokenId) ?? true,
  };
  let index: Record<string, unknown> = {};

  const faults = new FaultRegistry();
  const requests: IdpRequest[] = [];

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? '/';
    const entry: IdpRequest = { method: req.method ?? 'GET', path, status: 0, at: Date.now() };
    requests.push(entry);
    if (requests.length > 10_000) requests.splice(0, requests.length - 10_000);
    res.on('finish', () => {
      entry.status = res.statusCode;
    });
    const fault = faults.take(entry.method, path);
    if (fault) {
      entry.fault = fault.kind;
      if (applyFault(fault, req, res)) return;
    }
    void (fault?.kind === 'latency' ? new Promise((r) => setTimeout(r, fault.delayMs ?? 200)) : Promise.resolve()).then(
      () => route(req, res, url, path),
    );
  });

  const route = (req: IncomingMessage, res: ServerResponse, url: string, path: string): void => {
    if (path === '/' && req.method === 'GET') {
      sendJson(res, 200, index);
      return;
    }
    const flavour = flavourList.find((f) => path === f.prefix || path.startsWith(`${f.prefix}/`));
    if (!flavour) {
      sendJson(res, flavourList.length ? 404 : 503, {
        error: flavourList.length ? 'not_found' : 'starting',
        error_description: `no sandbox IdP at ${path}`,
      });
      return;
    }
    flavour.handle(req, res, url.slice(flavour.prefix.length)).catch((err: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, {
          error: 'server_error',
          error_description: err instanceof Error ? err.message : 'internal error',
        });
      else res.destroy();
    });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  const stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });

  try {
    const kongIdentity = createKongIdentityBackend(url);
    const [curity, okta, auth0, azure, http] = await Promise.all([
      createCurityFlavour(url, options.curity),
      createOktaFlavour(url, options.okta),
      createAuth0Flavour(url, options.auth0),
      createAzureFlavour(url, options.azureAd),
      createHttpFlavour(url, options.http),
    ]);
    flavourList = [createKongIdentityFlavour(liveStore, kongIdentity), curity, okta, auth0, azure, http];

    const flavours: IdpFlavours = {
      kongIdentity: { baseUrl: `${url}/kong-identity` },
      curity: {
        ...curity.info,
        dcrProvider: factory({
          name: 'Sandbox Curity',
          provider_type: 'curity',
          issuer: curity.info.discoveryUrl,
          dcr_config: { initial_client_id: curity.info.initialClientId },
          secrets: { initial_client_secret: curity.info.initialClientSecret },
        }),
      },
      okta: {
        ...okta.info,
        dcrProvider: factory({
          name: 'Sandbox Okta',
          provider_type: 'okta',
          issuer: okta.info.issuer,
          dcr_config: {},
          secrets: { dcr_token: okta.info.dcrToken },
        }),
      },
      auth0: {
        ...auth0.info,
        dcrProvider: factory({
          name: 'Sandbox Auth0',
          provider_type: 'auth0',
          issuer: auth0.info.issuer.replace(/\/$/, ''),
          dcr_config: {
            initial_client_id: auth0.info.initialClientId,
            initial_client_audience: null,
            use_developer_managed_scopes: false,
          },
          secrets: { initial_client_secret: auth0.info.initialClientSecret },
        }),
      },
      azureAd: {
        ...azure.info,
        dcrProvider: factory({
          name: 'Sandbox Azure AD',
          provider_type: 'azureAd',
          issuer: azure.info.issuer,
          dcr_config: { initial_client_id: azure.info.initialClientId },
          secrets: { initial_client_secret: azure.info.initialClientSecret },
        }),
      },
      http: {
        ...http.info,
        dcrProvider: factory({
          name: 'Sandbox HTTP bridge',
          provider_type: 'http',
          issuer: http.info.issuer,
          dcr_config: {
            dcr_base_url: http.info.dcrBaseUrl,
            disable_event_hooks: false,
            disable_refresh_secret: false,
            allow_multiple_credentials: false,
          },
          secrets: { api_key: http.info.apiKey },
        }),
      },
    };

    index = {
      kongIdentity: `${url}/kong-identity/{authServerId}`,
      curity: curity.info.issuer,
      okta: okta.info.issuer,
      auth0: auth0.info.issuer,
      azureAd: azure.info.issuer,
      http: { issuer: http.info.issuer, dcr_base_url: http.info.dcrBaseUrl },
    };

    return {
      url,
      flavours,
      kongIdentity,
      drivers: { ...allDrivers },
      stop,
      faults,
      requests,
      useKongIdentityStore: (store) => {
        kiStore = store;
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

export type { Auth0FlavourInfo, AzureFlavourInfo, CurityFlavourInfo, HttpFlavourInfo, OktaFlavourInfo };
export type { BridgeEvent } from './flavours/http-bridge';
