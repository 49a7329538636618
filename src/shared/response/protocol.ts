/**
 * The response view's messages (host ⇄ webview), in the envelopes of `src/shared/protocol.ts`:
 *   host → webview   notification `response/show` with the view model (already redacted by the host)
 *   webview → host   command `response/copyCurl` | `response/copyCurlWithSecrets` | `response/resend` | `response/copyToken`
 * Both bundles import this file; the host zod-parses every inbound message.
 */
import * as z from 'zod';
import { commandSchema, type Notification } from '../protocol';

export const RESPONSE_VIEW = 'response';

const CheckSchema = z.object({ label: z.string(), status: z.enum(['pass', 'fail', 'skip']), reason: z.string() });
const TokenSchema = z.object({
  source: z.string(),
  jwt: z.boolean(),
  header: z.record(z.string(), z.unknown()).optional(),
  payload: z.record(z.string(), z.unknown()).optional(),
  /** Local date and time, already formatted by the host. */
  expires: z.string().optional(),
  issuedAt: z.string().optional(),
  checks: z.array(CheckSchema).optional(),
});

export const ResponseViewModelSchema = z.object({
  /** e.g. "token · POST /oauth/token". */
  title: z.string(),
  file: z.string(),
  line: z.number().int(),
  at: z.string(),
  request: z.object({
    method: z.string(),
    url: z.string(),
    headers: z.array(z.tuple([z.string(), z.string()])),
    body: z.string().optional(),
  }),
  status: z.number().int().optional(),
  statusText: z.string().optional(),
  error: z.string().optional(),
  timings: z
    .object({
      totalMs: z.number(),
      dnsMs: z.number().optional(),
      connectMs: z.number().optional(),
      tlsMs: z.number().optional(),
      firstByteMs: z.number(),
      transferMs: z.number(),
      viaProxy: z.boolean(),
    })
    .optional(),
  headers: z.array(z.tuple([z.string(), z.string()])),
  body: z.string(),
  bodyKind: z.enum(['json', 'text', 'none']),
  bytes: z.number().int().optional(),
  tokens: z.array(TokenSchema),
  strategy: z
    .object({
      ref: z.string(),
      name: z.string().optional(),
      issuer: z.string().optional(),
      error: z.string().optional(),
    })
    .optional(),
  checkSummary: z.string().optional(),
  explanation: z
    .object({
      summary: z.string(),
      findings: z.array(
        z.object({ rule: z.string(), severity: z.enum(['error', 'warning', 'info']), text: z.string() }),
      ),
    })
    .optional(),
});
export type ResponseViewModel = z.infer<typeof ResponseViewModelSchema>;

export type ShowResponse = Notification<'response/show', ResponseViewModel>;

const NoParams = z.strictObject({});
export const ResponseCommandSchema = z.union([
  commandSchema('response/copyCurl', NoParams),
  commandSchema('response/copyCurlWithSecrets', NoParams),
  commandSchema('response/resend', NoParams),
  commandSchema('response/copyToken', NoParams),
]);
export type ResponseCommand = z.infer<typeof ResponseCommandSchema>;
