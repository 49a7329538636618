/**
 * The "Prove DCR" report view's messages (host ⇄ webview), in the envelopes of `src/shared/protocol.ts`:
 *   host → webview   notification `prove/show` with the view model (built and redacted by the host: no secret, no
 *                    raw token; times already formatted)
 *   webview → host   command `prove/openHttp` | `prove/rerun` | `prove/showLog` | `prove/copyClientId`
 * Both bundles import this file; the host zod-parses every inbound message.
 */
import * as z from 'zod';
import { commandSchema } from '../protocol';

export const PROVE_VIEW = 'prove';

export const ProveStepStatusSchema = z.enum(['pass', 'fail', 'skip', 'running', 'pending']);
export type ProveStepStatus = z.infer<typeof ProveStepStatusSchema>;

const FindingSchema = z.object({ rule: z.string(), severity: z.enum(['error', 'warning', 'info']), text: z.string() });

export const ProveViewModelSchema = z.object({
  /** Increases with every model of one run (the page ignores an older one). */
  seq: z.number().int(),
  /** `developer`: as a test developer signed in to the portal; `admin`: with the connection's token (Portal Management). */
  mode: z.enum(['developer', 'admin']),
  strategy: z.object({ id: z.string(), name: z.string(), issuer: z.string().optional() }),
  provider: z.object({ name: z.string(), type: z.string(), typeLabel: z.string() }).optional(),
  publication: z.object({ apiName: z.string(), portalName: z.string(), portalUrl: z.string() }).optional(),
  gatewayUrl: z.string().optional(),
  tokenEndpoint: z.string().optional(),
  /** Local date and time the run started. */
  at: z.string(),
  ms: z.number(),
  verdict: z.enum(['pass', 'fail', 'running']),
  cancelled: z.boolean(),
  /** Index (1-based) and title of the first failed step. */
  failed: z.object({ index: z.number().int(), title: z.string() }).optional(),
  steps: z.array(
    z.object({
      id: z.string(),
      index: z.number().int(),
      title: z.string(),
      status: ProveStepStatusSchema,
      ms: z.number().optional(),
      detail: z.string(),
      explanation: z.object({ summary: z.string(), findings: z.array(FindingSchema) }).optional(),
    }),
  ),
  token: z
    .object({
      header: z.record(z.string(), z.unknown()),
      payload: z.record(z.string(), z.unknown()),
      checks: z.array(z.object({ label: z.string(), status: z.enum(['pass', 'fail', 'skip']), reason: z.string() })),
      requestedScopes: z.array(z.string()),
      /** Local date and time. */
      expires: z.string().optional(),
      issuedAt: z.string().optional(),
    })
    .optional(),
  application: z
    .object({ name: z.string(), clientId: z.string(), kept: z.boolean(), registrationStatus: z.string().optional() })
    .optional(),
  /** The ".http requests" button: the strategy is an openid_connect one the runner can write requests for. */
  canOpenHttp: z.boolean(),
});
export type ProveViewModel = z.infer<typeof ProveViewModelSchema>;

export interface ShowProve {
  readonly type: 'notification';
  readonly method: 'prove/show';
  readonly params: ProveViewModel;
}

const NoParams = z.strictObject({});
export const ProveCommandSchema = z.union([
  commandSchema('prove/openHttp', NoParams),
  commandSchema('prove/rerun', NoParams),
  commandSchema('prove/showLog', NoParams),
  commandSchema('prove/copyClientId', NoParams),
]);
export type ProveCommand = z.infer<typeof ProveCommandSchema>;
