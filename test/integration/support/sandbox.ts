// The local Konnect sandbox, started INSIDE the extension host by in-host tests (plain Node code, so the tests can
// seed it and inject faults directly). Uses test/sandbox/index.ts `startSandbox()` once it exists; until then the
// Konnect emulator alone, with a Kong Identity backend whose issuers nothing listens on (verify of a kongIdentity
// provider only checks that an auth server has its issuer).
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { KongIdentityBackend } from '../../sandbox/contracts';
import { startKonnectEmulator, type KonnectEmulator } from '../../sandbox/konnect/emulator';
import { createKonnectClient, type KonnectClient } from '../../../src/core/api/index';
import { rememberSecret } from './secrets';

export interface TestSandbox {
  readonly konnectUrl: string;
  readonly token: string;
  readonly emulator: KonnectEmulator;
  /** A core client on the sandbox (the tests' own, not the extension's). */
  readonly client: KonnectClient;
  stop(): Promise<void>;
}

/** A token shaped like a Konnect PAT, random per sandbox. */
export function randomPat(prefix: 'kpat' | 'spat' = 'kpat'): string {
  return `${prefix}_${randomBytes(24).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 32)}`;
}

function fakeKongIdentity(base: string): KongIdentityBackend {
  return {
    issuerFor: (id) => `${base}/${id}`,
    authServerIdFor: (issuer) => (issuer.startsWith(`${base}/`) ? issuer.slice(base.length + 1).replace(/\/+$/, '') : undefined),
    jwksUriFor: (id) => `${base}/${id}/.well-known/jwks.json`,
    metadataUriFor: (id) => `${base}/${id}/.well-known/openid-configuration`,
  };
}

interface SandboxModule {
  startSandbox?: (opts?: { token?: string }) => Promise<{ konnectUrl: string; token: string; emulator: KonnectEmulator; stop(): Promise<void> }>;
}

function sandboxModule(): SandboxModule | undefined {
  try {
    return createRequire(__filename)(path.join(__dirname, '..', '..', 'sandbox', 'index')) as SandboxModule;
  } catch {
    return undefined;
  }
}

export async function startTestSandbox(opts: { token?: string; full?: boolean } = {}): Promise<TestSandbox> {
  const token = opts.token ?? randomPat();
  rememberSecret(token);
  let konnectUrl: string;
  let emulator: KonnectEmulator;
  let stop: () => Promise<void>;
  const mod = opts.full ? sandboxModule() : undefined;
  if (mod?.startSandbox) {
    const sb = await mod.startSandbox({ token });
    ({ konnectUrl, emulator } = sb);
    stop = () => sb.stop();
  } else {
    emulator = await startKonnectEmulator({ token, kongIdentity: fakeKongIdentity('http://127.0.0.1:9/kong-identity') });
    konnectUrl = emulator.url;
    stop = () => emulator.stop();
  }
  const client = createKonnectClient({ baseUrl: konnectUrl, token, userAgent: 'konnect-dcr-tests/1' });
  return {
    konnectUrl, token, emulator, client,
    stop: async () => {
      await client.close();
      await stop();
    },
  };
}
