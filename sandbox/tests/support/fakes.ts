/** Stand-ins for the IdP side in emulator tests: a KongIdentityBackend and recording DcrDrivers. */
import { randomBytes } from 'node:crypto';
import {
  type ClientRegistrationRequest,
  type DcrDriver,
  DcrDriverError,
  type DcrEventHook,
  type KongIdentityBackend,
  type ProviderType,
  type RegisteredClient,
  type StoredDcrProvider,
  type VerifyResult,
} from '../../contracts';
import { startKonnectEmulator, type KonnectEmulator, type KonnectEmulatorOptions } from '../../konnect/emulator';
import { SpecClient } from './spec-client';

/** Issuers look like `http://127.0.0.1:9/kong-identity/<authServerId>` (nothing listens there). */
export function fakeKongIdentityBackend(base = 'http://127.0.0.1:9/kong-identity'): KongIdentityBackend {
  return {
    issuerFor: (id) => `${base}/${id}`,
    authServerIdFor: (issuer) =>
      issuer.startsWith(`${base}/`) ? issuer.slice(base.length + 1).replace(/\/+$/, '') : undefined,
    jwksUriFor: (id) => `${base}/${id}/.well-known/jwks.json`,
    metadataUriFor: (id) => `${base}/${id}/.well-known/openid-configuration`,
  };
}

export interface DriverCall {
  method: 'verify' | 'register' | 'deleteClient' | 'newSecret' | 'eventHook' | 'clientExists';
  providerId: string;
  arg?: unknown;
}

/** A DcrDriver that keeps clients in memory and records every call (secrets are random, never logged). */
export class FakeDriver implements DcrDriver {
  readonly calls: DriverCall[] = [];
  readonly clients = new Map<string, { secret: string; request: ClientRegistrationRequest }>();
  /** Set to make the next calls fail with this message. */
  failWith: string | undefined;
  verifyResult: VerifyResult = { status: 'success', errors: [] };
  /** Set to make verify/register never answer (and ignore their AbortSignal), like a stuck IdP. */
  hang = false;

  constructor(readonly type: ProviderType) {}

  private check(): void {
    if (this.failWith) throw new DcrDriverError(this.failWith, 400);
  }

  verify(provider: StoredDcrProvider): Promise<VerifyResult> {
    this.calls.push({ method: 'verify', providerId: provider.id });
    if (this.hang) return new Promise(() => undefined);
    return Promise.resolve(this.verifyResult);
  }

  register(provider: StoredDcrProvider, request: ClientRegistrationRequest): Promise<RegisteredClient> {
    this.calls.push({ method: 'register', providerId: provider.id, arg: request });
    if (this.hang) return new Promise(() => undefined);
    try {
      this.check();
    } catch (e) {
      return Promise.reject(e as Error);
    }
    const client_id = `${this.type}-${randomBytes(6).toString('hex')}`;
    const client_secret = randomBytes(18).toString('base64url');
    this.clients.set(client_id, { secret: client_secret, request });
    return Promise.resolve({ client_id, client_secret });
  }

  deleteClient(provider: StoredDcrProvider, clientId: string): Promise<void> {
    this.calls.push({ method: 'deleteClient', providerId: provider.id, arg: clientId });
    this.clients.delete(clientId);
    return Promise.resolve();
  }

  clientExists(provider: StoredDcrProvider, clientId: string): Promise<boolean> {
    this.calls.push({ method: 'clientExists', providerId: provider.id, arg: clientId });
    return Promise.resolve(this.clients.has(clientId));
  }

  newSecret(provider: StoredDcrProvider, clientId: string): Promise<RegisteredClient> {
    this.calls.push({ method: 'newSecret', providerId: provider.id, arg: clientId });
    const c = this.clients.get(clientId);
    if (!c) return Promise.reject(new DcrDriverError(`client ${clientId} not found`, 404));
    c.secret = randomBytes(18).toString('base64url');
    return Promise.resolve({ client_id: clientId, client_secret: c.secret });
  }

  eventHook(provider: StoredDcrProvider, clientId: string, event: DcrEventHook): Promise<void> {
    this.calls.push({ method: 'eventHook', providerId: provider.id, arg: { clientId, ...event } });
    return Promise.resolve();
  }
}

export const TOKEN = 'kpat_sandboxContractTestToken0123456789';

export interface TestKonnect {
  emu: KonnectEmulator;
  api: SpecClient;
  drivers: Record<'auth0' | 'azureAd' | 'curity' | 'okta' | 'http', FakeDriver>;
  backend: KongIdentityBackend;
  stop(): Promise<void>;
}

/** An emulator with fake drivers for every external provider type and the built-in Kong Identity driver. */
export async function startTestKonnect(extra: Partial<KonnectEmulatorOptions> = {}): Promise<TestKonnect> {
  const drivers = {
    auth0: new FakeDriver('auth0'),
    azureAd: new FakeDriver('azureAd'),
    curity: new FakeDriver('curity'),
    okta: new FakeDriver('okta'),
    http: new FakeDriver('http'),
  };
  const backend = fakeKongIdentityBackend();
  const emu = await startKonnectEmulator({ token: TOKEN, kongIdentity: backend, drivers, ...extra });
  return { emu, api: new SpecClient(emu.url, TOKEN), drivers, backend, stop: () => emu.stop() };
}
