import * as z from 'zod';

/**
 * The typed message protocol between the extension host and its webviews. Both bundles import this file.
 * The host waits for `ready` before it posts anything; every inbound message is parsed with zod before use.
 */
export const ReadyMessage = z.object({ type: z.literal('ready'), view: z.string().min(1) });
export const WebviewToHost = z.discriminatedUnion('type', [ReadyMessage]);
export type WebviewToHost = z.infer<typeof WebviewToHost>;
