/**
 * The part of undici the core uses, loaded on the first request and never at import time (activation, or opening a
 * tree, must not pay for the HTTP stack): `Agent`, `ProxyAgent`, `errors` and the dispatchers' `request` and `connect` methods,
 * taken from undici's own modules so that fetch, WebSocket, mocks and caches are neither bundled nor loaded. The
 * same objects `require('undici')` exports under these names. The transport (core/api/transport.ts) and the
 * runner's executor (core/requests/executor.ts) are its only callers.
 */
import type * as Undici from 'undici';

export interface UndiciSubset {
  readonly Agent: typeof Undici.Agent;
  readonly ProxyAgent: typeof Undici.ProxyAgent;
  readonly errors: typeof Undici.errors;
}

let subset: UndiciSubset | undefined;

export function loadUndici(): UndiciSubset {
  if (subset) return subset;
  /* eslint-disable @typescript-eslint/no-require-imports -- lazy: required on the first request (README "Bundles") */
  const Dispatcher = require('undici/lib/dispatcher/dispatcher') as { prototype: object };
  // undici's index puts request/stream/pipeline/connect/upgrade on every dispatcher: our callers use `request`, and
  // ProxyAgent opens its tunnel with `connect` (HTTP CONNECT); stream, pipeline and upgrade are never called
  Object.assign(Dispatcher.prototype, {
    request: require('undici/lib/api/api-request') as unknown,
    connect: require('undici/lib/api/api-connect') as unknown,
  });
  subset = {
    Agent: require('undici/lib/dispatcher/agent') as typeof Undici.Agent,
    ProxyAgent: require('undici/lib/dispatcher/proxy-agent') as typeof Undici.ProxyAgent,
    errors: require('undici/lib/core/errors') as typeof Undici.errors,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return subset;
}
