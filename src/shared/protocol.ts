import * as z from 'zod';

/**
 * The typed message protocol between the extension host and its webviews. Both bundles import this file.
 * The host waits for `ready` before it posts anything; every inbound message is parsed with zod before use.
 */
export const ReadyMessage = z.object({ type: z.literal('ready'), view: z.string().min(1) });
export const WebviewToHost = z.discriminatedUnion('type', [ReadyMessage]);
export type WebviewToHost = z.infer<typeof WebviewToHost>;

// ---------------------------------------------------------------------------------------------------------------
// Message kinds (gitlens-style): every page's messages are one of these envelopes with a namespaced `method`
// (`forms/submit`, …). Page protocols (e.g. src/shared/forms/protocol.ts) build their zod schemas with the helpers.

/** webview → host, fire and forget. */
export interface Command<M extends string, P> {
  readonly type: 'command';
  readonly method: M;
  readonly params: P;
}
/** webview → host, answered by a `Response` with the same `id`. */
export interface Request<M extends string, P> {
  readonly type: 'request';
  readonly id: number;
  readonly method: M;
  readonly params: P;
}
export interface Response<M extends string, R> {
  readonly type: 'response';
  readonly id: number;
  readonly method: M;
  readonly result: R;
}
/** host → webview, fire and forget. */
export interface Notification<M extends string, P> {
  readonly type: 'notification';
  readonly method: M;
  readonly params: P;
}

export function commandSchema<const M extends string, P extends z.ZodType>(method: M, params: P) {
  return z.strictObject({ type: z.literal('command'), method: z.literal(method), params });
}
export function requestSchema<const M extends string, P extends z.ZodType>(method: M, params: P) {
  return z.strictObject({
    type: z.literal('request'),
    id: z.number().int().nonnegative(),
    method: z.literal(method),
    params,
  });
}
