// The local Konnect sandbox (sandbox: Konnect emulator + real IdPs + gateway), started INSIDE the extension
// host by in-host tests: it is plain Node code, so the tests can seed it and inject faults directly.
import { randomBytes } from 'node:crypto';
import { startSandbox, type Sandbox, type SandboxState } from '../../../sandbox/index';
import type { KonnectEmulator } from '../../../sandbox/konnect/emulator';
import { createKonnectClient, type KonnectClient } from '../../../src/core/api/index';
import { rememberSecret } from './secrets';

export interface TestSandbox {
  readonly konnectUrl: string;
  readonly token: string;
  readonly state: SandboxState;
  readonly emulator: KonnectEmulator;
  readonly sandbox: Sandbox;
  /** A core client on the sandbox (the tests' own, not the extension's). */
  readonly client: KonnectClient;
  stop(): Promise<void>;
}

/** A token shaped like a Konnect PAT, random. */
export function randomPat(prefix: 'kpat' | 'spat' = 'kpat'): string {
  return `${prefix}_${randomBytes(24)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 32)}`;
}

export async function startTestSandbox(opts: { token?: string } = {}): Promise<TestSandbox> {
  const token = rememberSecret(opts.token ?? randomPat());
  const sandbox = await startSandbox({ token });
  const f = sandbox.state.flavours;
  for (const s of [
    f.curity.initialClientSecret,
    f.okta.dcrToken,
    f.auth0.initialClientSecret,
    f.azureAd.initialClientSecret,
    f.http.apiKey,
  ])
    rememberSecret(s);
  const client = createKonnectClient({ baseUrl: sandbox.state.konnectUrl, token, userAgent: 'konnect-dcr-tests/1' });
  return {
    konnectUrl: sandbox.state.konnectUrl,
    token,
    state: sandbox.state,
    emulator: sandbox.konnect,
    sandbox,
    client,
    stop: async () => {
      await client.close();
      await sandbox.stop();
    },
  };
}
