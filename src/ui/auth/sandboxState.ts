import { readFile } from 'node:fs/promises';
import { normalizeBaseUrl } from '../../core/api/regions';
import { SANDBOX_CONNECTION, SANDBOX_STATE_ENV } from '../platform/ids';
import type { ChannelLogger } from '../platform/logger';
import type { ConnectionStore } from './connections';

/** The state file's schema (zod) is loaded when there is a state file to read. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: required on first use (README "Bundles")
const loadSchema = (): typeof import('./sandboxStateSchema') => require('./sandboxStateSchema');

export type SandboxImport = 'none' | 'exists' | 'created' | 'invalid';

/**
 * When $KONNECT_DCR_SANDBOX_STATE names the sandbox's state file and no connection is called "sandbox" yet, create
 * it from the file (no network: the token is checked on first use, by the first tree load). It becomes the active
 * connection only when there is none. Runs after activation, never inside it.
 */
export async function importSandboxState(
  connections: ConnectionStore,
  log: ChannelLogger,
  file = process.env[SANDBOX_STATE_ENV],
): Promise<SandboxImport> {
  if (!file) return 'none';
  if (connections.get(SANDBOX_CONNECTION)) return 'exists';
  try {
    const { SandboxStateSchema } = loadSchema();
    const state = SandboxStateSchema.parse(JSON.parse(await readFile(file, 'utf8')));
    const baseUrl = normalizeBaseUrl(state.konnectUrl);
    if (connections.get(SANDBOX_CONNECTION)) return 'exists';
    await connections.save({ name: SANDBOX_CONNECTION, baseUrl }, state.token, { activate: !connections.active() });
    log.info(
      `created the "${SANDBOX_CONNECTION}" connection (${baseUrl}) from $${SANDBOX_STATE_ENV}; its token is checked on first use`,
    );
    return 'created';
  } catch (err) {
    log.warn(
      `ignoring $${SANDBOX_STATE_ENV} (${file}): ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
    );
    return 'invalid';
  }
}
