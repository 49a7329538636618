/**
 * The "DCR Doctor" report view's messages (host ⇄ webview), in the envelopes of `src/shared/protocol.ts`:
 *   host → webview   notification `doctor/show` with the view model (built by the host: labels and texts ready)
 *   webview → host   command `doctor/fix` {link, fix} (the fix's index in that link) | `doctor/rerun` | `doctor/showLog`
 * Both bundles import this file; the host zod-parses every inbound message.
 */
import * as z from 'zod';
import { commandSchema } from '../protocol';

export const DOCTOR_VIEW = 'doctor';

export const DoctorLinkStatusSchema = z.enum(['pass', 'fail', 'unknown', 'skip']);
export type DoctorLinkStatus = z.infer<typeof DoctorLinkStatusSchema>;

const ObjectSchema = z.object({ kind: z.string(), kindLabel: z.string(), name: z.string(), id: z.string() });

export const DoctorViewModelSchema = z.object({
  seq: z.number().int(),
  subject: ObjectSchema,
  verdict: z.enum(['pass', 'fail', 'unknown', 'running']),
  /** The object of the first broken link, what to fix first. */
  culprit: z.object({ linkTitle: z.string(), object: ObjectSchema.optional(), detail: z.string() }).optional(),
  publication: z.object({ apiName: z.string(), portalName: z.string() }).optional(),
  otherPublications: z.number().int(),
  at: z.string(),
  ms: z.number(),
  links: z.array(
    z.object({
      id: z.string(),
      index: z.number().int(),
      title: z.string(),
      status: DoctorLinkStatusSchema,
      detail: z.string(),
      object: ObjectSchema.optional(),
      fixes: z.array(z.object({ label: z.string(), kind: z.string() })),
    }),
  ),
  /** A failure before the walk could start (the strategy or API could not be read). */
  error: z.string().optional(),
});
export type DoctorViewModel = z.infer<typeof DoctorViewModelSchema>;

export interface ShowDoctor {
  readonly type: 'notification';
  readonly method: 'doctor/show';
  readonly params: DoctorViewModel;
}

const NoParams = z.strictObject({});
export const DoctorCommandSchema = z.union([
  commandSchema(
    'doctor/fix',
    z.strictObject({ link: z.string().min(1), fix: z.number().int().nonnegative(), seq: z.number().int() }),
  ),
  commandSchema('doctor/rerun', NoParams),
  commandSchema('doctor/showLog', NoParams),
]);
export type DoctorCommand = z.infer<typeof DoctorCommandSchema>;
