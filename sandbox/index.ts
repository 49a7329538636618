/**
 * The local Konnect sandbox in one call: the Konnect emulator, every IdP flavour (with the DCR drivers Konnect uses
 * to reach them) and the JWT-checking gateway, wired together on loopback.
 *
 *   const sb = await startSandbox();          // random ports
 *   sb.state                                  // everything a program needs to drive it (see SandboxState)
 *   await sb.stop();
 *
 * `npm run sandbox` (cli.ts) starts one and prints the state; `npm start` (start.ts) adds a real VS Code.
 */
import { randomBytes } from 'node:crypto';
import { startGateway, type StartedGateway } from './gateway/index';
import { startIdp, type StartedIdp } from './idp/index';
import { startKonnectEmulator, type KonnectEmulator } from './konnect/emulator';

export interface SandboxOptions {
  /** Konnect API port (default random). */
  konnectPort?: number;
  idpPort?: number;
  gatewayPort?: number;
  /** The bearer token the emulator accepts (default: a fresh random `spat_…`). */
  token?: string;
}

/** What `SANDBOX_STATE=<file>` receives: one JSON object. These are throw-away loopback credentials. */
export interface SandboxState {
  konnectUrl: string;
  token: string;
  gatewayUrl: string;
  idpUrl: string;
  /** The developer seeded in every portal (Portal API sign-in). */
  developer: { email: string; password: string };
  flavours: {
    kongIdentity: { note: string };
    curity: {
      issuer: string;
      discoveryUrl: string;
      tokenEndpoint: string;
      initialClientId: string;
      initialClientSecret: string;
    };
    okta: { issuer: string; tokenEndpoint: string; dcrToken: string; clientIdClaim: string; scopes: string[] };
    auth0: {
      issuer: string;
      tokenEndpoint: string;
      managementApi: string;
      apiAudience: string;
      initialClientId: string;
      initialClientSecret: string;
    };
    azureAd: {
      issuer: string;
      tenantId: string;
      tokenEndpoint: string;
      initialClientId: string;
      initialClientSecret: string;
    };
    http: { issuer: string; tokenEndpoint: string; dcrBaseUrl: string; apiKey: string };
  };
}

export interface Sandbox {
  state: SandboxState;
  konnect: KonnectEmulator;
  idp: StartedIdp;
  gateway: StartedGateway;
  stop(): Promise<void>;
}

export const SANDBOX_DEVELOPER = { email: 'dev@example.com', password: 'kdcr-sandbox-password' } as const;

export function newSandboxToken(): string {
  // Shaped like a system-account token so the extension's "looks like a Konnect token" hint stays quiet.
  return `spat_${randomBytes(24)
    .toString('base64url')
    .replace(/[^A-Za-z0-9]/g, 'x')}`;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const token = opts.token ?? newSandboxToken();
  const idp = await startIdp(opts.idpPort === undefined ? {} : { port: opts.idpPort });
  let konnect: KonnectEmulator | undefined;
  let gateway: StartedGateway | undefined;
  try {
    konnect = await startKonnectEmulator({
      token,
      kongIdentity: idp.kongIdentity,
      drivers: idp.drivers,
      developer: { ...SANDBOX_DEVELOPER, full_name: 'Sandbox Developer' },
      ...(opts.konnectPort === undefined ? {} : { port: opts.konnectPort }),
    });
    idp.useKongIdentityStore(konnect.identity);
    gateway = await startGateway({
      catalog: konnect.catalog,
      ...(opts.gatewayPort === undefined ? {} : { port: opts.gatewayPort }),
    });
  } catch (e) {
    await Promise.allSettled([konnect?.stop(), idp.stop()]);
    throw e;
  }
  const f = idp.flavours;
  const state: SandboxState = {
    konnectUrl: konnect.url,
    token,
    gatewayUrl: gateway.url,
    idpUrl: idp.url,
    developer: { ...SANDBOX_DEVELOPER },
    flavours: {
      kongIdentity: {
        note: `issuers are per auth server: ${f.kongIdentity.baseUrl}/<authServerId> (create one with POST /v1/auth-servers)`,
      },
      curity: {
        issuer: f.curity.issuer,
        discoveryUrl: f.curity.discoveryUrl,
        tokenEndpoint: f.curity.tokenEndpoint,
        initialClientId: f.curity.initialClientId,
        initialClientSecret: f.curity.initialClientSecret,
      },
      okta: {
        issuer: f.okta.issuer,
        tokenEndpoint: f.okta.tokenEndpoint,
        dcrToken: f.okta.dcrToken,
        clientIdClaim: f.okta.clientIdClaim,
        scopes: f.okta.scopes.map((s) => s.name),
      },
      auth0: {
        issuer: f.auth0.issuer,
        tokenEndpoint: f.auth0.tokenEndpoint,
        managementApi: f.auth0.managementApi,
        apiAudience: f.auth0.apiAudience,
        initialClientId: f.auth0.initialClientId,
        initialClientSecret: f.auth0.initialClientSecret,
      },
      azureAd: {
        issuer: f.azureAd.issuer,
        tenantId: f.azureAd.tenantId,
        tokenEndpoint: f.azureAd.tokenEndpoint,
        initialClientId: f.azureAd.initialClientId,
        initialClientSecret: f.azureAd.initialClientSecret,
      },
      http: {
        issuer: f.http.issuer,
        tokenEndpoint: f.http.tokenEndpoint,
        dcrBaseUrl: f.http.dcrBaseUrl,
        apiKey: f.http.apiKey,
      },
    },
  };
  const k = konnect,
    g = gateway;
  let stopped: Promise<void> | undefined;
  return {
    state,
    konnect: k,
    idp,
    gateway: g,
    stop: () => (stopped ??= Promise.allSettled([g.stop(), k.stop(), idp.stop()]).then(() => undefined)),
  };
}
