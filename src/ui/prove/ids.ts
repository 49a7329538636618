/** "Prove DCR": command ids, settings and storage keys (the manifest and the tests use the same constants). */
export const ProveCommands = {
  /** On a strategy (tree node, strategy object, id or name) or a `ProveOptions` object; returns the report (no secrets). */
  prove: 'konnectDcr.prove',
  /** Shows the last report again; returns its view model. */
  showLast: 'konnectDcr.prove.showLast',
  /** Forgets the stored test developer of the active connection (asked again next time). */
  forgetDeveloper: 'konnectDcr.prove.forgetDeveloper',
  forgetOwnedClient: 'konnectDcr.prove.forgetOwnedClient',
} as const;
export type ProveCommandId = (typeof ProveCommands)[keyof typeof ProveCommands];

/** Settings under `konnectDcr.prove.*`. */
export const ProveSettings = {
  section: 'konnectDcr.prove',
  /** Base URL of the gateway's proxy; empty: asked once per API. */
  gatewayUrl: 'gatewayUrl',
  /** The route path under it; `{slug}` is the API's slug. */
  routePath: 'routePath',
  /** Portal id → the portal's URL (a custom domain, or a portal Konnect DCR cannot guess). */
  portalUrls: 'portalUrls',
  keepTestApplication: 'keepTestApplication',
  /** `ask` (default) | `developer` | `admin`: who creates the test application. */
  mode: 'mode',
} as const;

/** SecretStorage: the test developer (`{username, password}` JSON) per connection. */
export const DEVELOPER_SECRET_PREFIX = 'konnectDcr.prove.developer/';
/**
 * SecretStorage: admin mode's client the admin owns in the IdP (`{clientId, clientSecret}` JSON), per connection and
 * DCR provider (`<prefix><connection>/<providerId>`).
 */
export const OWNED_CLIENT_SECRET_PREFIX = 'konnectDcr.prove.ownedClient/';
/** globalState: the route URL the user gave per connection and API (`<connection>/<apiId>` → URL). */
export const ROUTES_KEY = 'konnectDcr.prove.routes';
