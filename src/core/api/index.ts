/**
 * The Konnect HTTP client: the public surface of `src/core/api` (no `vscode` import; plain Node).
 *
 * ```ts
 * const konnect = createKonnectClient({
 *   region: 'eu',                        // or baseUrl: 'http://127.0.0.1:8080' (the sandbox)
 *   token,                               // kpat_… / spat_… (konnectTokenKind(token) tells which)
 *   userAgent: 'konnect-dcr-vscode/0.1.0',
 *   ca, proxy,                           // optional: extra CA PEM, proxy URL (or pass your own `transport`)
 *   logger, redactor, clock,             // collaborators (defaults: silent logger, new Redactor, system clock)
 *   timeoutMs: 30_000,                   // per attempt
 *   retry: { maxAttempts: 4, maxRetryAfterMs: 60_000 },
 * });
 * const page = await konnect.dcrProviders.list({ pageSize: 20, filter: { provider_type: { eq: 'okta' } }, sort: 'name' }, { signal });
 * for await (const p of konnect.authStrategies.pages({ filter: { dcr_provider_id: { eq: id } } }, { signal })) { … }
 * const all = await konnect.identity.authServers.listAll({}, { signal, maxItems: 500 });
 * const created = await konnect.identity.clients.create(authServerId, body, { signal });   // created.client_secret, once
 * await konnect.close();
 * ```
 *
 * Resources (every method takes `CallOptions` last: `{ signal?, timeoutMs?, maxAttempts? }`; lists also have
 * `pages(query)` (async iterator) and `listAll(query, { maxItems })`):
 * - `dcrProviders`: list, get, create, update (PATCH), delete, verify → `{ status: 'success' | 'failed', errors }`
 * - `authStrategies`: list, get, create, replace (PUT), update (PATCH), delete
 * - `identity.authServers` (list, get, create, update, delete(id, { force })), `identity.scopes` / `identity.claims` /
 *   `identity.clients` (list/get/create/update/delete by auth server id; clients also replace and secrets)
 * - `apis` (list, get, create, update, delete), `apiImplementations` (create/get/delete under an API; list across
 *   APIs, e.g. `filter: { api_id: { eq } }`), `apiPublications` (publish (PUT), get, unpublish, list), `portals`
 *   (list, get, create, update, delete(id, { force }))
 * - `portalAdmin`: a portal's developers (list, get, update status), applications (list, get, delete) and
 *   registrations (per portal or application; set status, delete, link / unlink a Gateway Consumer), and a control
 *   plane's Gateway Consumers
 * - `request({ method, path, query, body, schema })`: anything else, with the same auth, retries and errors.
 *
 * `createPortalClient({ portalUrl, userAgent, … })`: the developer Portal API on a portal's own domain
 * (authenticate → cookie, createApplication, get/deleteApplication, create/get/deleteRegistration,
 * regenerateSecret, createCredential, listAuthStrategies).
 *
 * Errors (all `KonnectError`, with `kind` and a one-line `userMessage`): `KonnectApiError` (status, title, detail,
 * instance = `kong:trace:…`, invalidParameters), `KonnectNetworkError` (kind `offline | unreachable | reset | tls |
 * proxy | timeout | aborted | malformed | other`; `aborted` ones are named `AbortError`), `KonnectLimitError`.
 * Retries: 429 for any method (honours `Retry-After` up to `maxRetryAfterMs`), 502/503/504, resets and timeouts
 * only for GET/HEAD/PUT/DELETE/OPTIONS; a POST or PATCH is never repeated after it may have reached the server.
 *
 * undici is loaded lazily by `createUndiciTransport` on the first request (the only module that loads it).
 */
export {
  KonnectClient,
  createKonnectClient,
  type KonnectClientOptions,
  type HttpClientOptions,
  type RawRequest,
} from './client';
export {
  PortalClient,
  createPortalClient,
  readCookie,
  PORTAL_ACCESS_COOKIE,
  type PortalClientOptions,
} from './portalClient';
export type { CallOptions, RetryOptions } from './engine';
export { DEFAULT_RETRY, DEFAULT_TIMEOUT_MS, RetryGate, parseRetryAfter } from './engine';
export { PortalAdminApi } from './portalAdmin';
export { Collection, DEFAULT_MAX_ITEMS, DEFAULT_PAGE_SIZE, type ListAllOptions } from './collection';
export {
  ApiImplementationsApi,
  ApiPublicationsApi,
  ApisApi,
  AuthServerClaimsApi,
  AuthServerClientsApi,
  AuthServerScopesApi,
  AuthServersApi,
  AuthStrategiesApi,
  DcrProvidersApi,
  KongIdentityApi,
  PortalsApi,
} from './resources';
export {
  KonnectApiError,
  KonnectError,
  KonnectLimitError,
  KonnectNetworkError,
  classifyNetworkError,
  isKonnectError,
  type CallSite,
  type KonnectErrorKind,
  type NetworkErrorKind,
} from './errors';
export {
  KONNECT_REGIONS,
  checkBearerToken,
  isKonnectRegion,
  konnectTokenKind,
  looksLikeKonnectToken,
  normalizeBaseUrl,
  regionBaseUrl,
  resolveBaseUrl,
  type KonnectEndpoint,
  type KonnectRegion,
  type KonnectTokenKind,
} from './regions';
export {
  listQueryParams,
  encodeQuery,
  type Filter,
  type FilterCondition,
  type FilterOperator,
  type ListQuery,
  type Sort,
  type SortKey,
} from './query';
export {
  createUndiciTransport,
  headerValue,
  headerValues,
  ResponseTooLargeError,
  type HttpMethod,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
  type UndiciTransportOptions,
} from './transport';
export type * from '../model/index';
