/**
 * "Prove DCR": the seeds' "Validate" sections as one run of seven steps. These are the step runner's inputs and its
 * report; the runner itself is in `runner.ts`, the look-ups that prepare a run (publications, portal URL, route) in
 * `targets.ts`. No vscode, no DOM.
 */
import type { AppAuthStrategy } from '../model/authStrategy';
import { perProviderType } from '../model/providerTypes';
import type { DeveloperCredentials } from '../model/portalApi';
import type { TokenEndpoint } from '../oidc/discovery';
import type { Explanation } from '../requests/explain';
import type { TokenCheck } from '../requests/jwt';

export const STEP_IDS = ['verify', 'publication', 'application', 'token', 'claims', 'gateway', 'cleanup'] as const;
export type StepId = (typeof STEP_IDS)[number];
export type StepStatus = 'pass' | 'fail' | 'skip';

/**
 * Who creates the test application: `developer` signs in to the portal as a test developer (exactly what a developer
 * sees); `admin` uses Portal Management with the connection's token: a throw-away developer, an application linked
 * with `dcr_client_id` to a client Prove DCR creates (Kong Identity) or the admin owns (other IdPs).
 */
export type ProveMode = 'developer' | 'admin';

export const STEP_TITLES: Readonly<Record<StepId, string>> = {
  verify: 'DCR provider verifies',
  publication: 'Strategy is published on the API',
  application: 'Test application created and registered',
  token: 'Token from the identity provider',
  claims: 'Token matches the strategy',
  gateway: 'Gateway accepts the token',
  cleanup: 'Test application and its IdP client deleted',
};

/** The titles that differ in admin mode. */
const ADMIN_TITLES: Partial<Record<StepId, string>> = {
  application: 'Test developer and application created by the admin, registered',
  cleanup: 'Test application and developer deleted',
};

export function stepTitle(id: StepId, mode: ProveMode | undefined): string {
  return (mode === 'admin' ? ADMIN_TITLES[id] : undefined) ?? STEP_TITLES[id];
}

/** How the report names each provider type (the provider-type table's name in sentences). */
export const PROVIDER_LABELS: Readonly<Record<string, string>> = perProviderType((_t, spec) => spec.noun ?? spec.label);

export interface StepResult {
  readonly id: StepId;
  readonly title: string;
  readonly status: StepStatus;
  /** How long the step took (0 for a skipped step). */
  readonly ms: number;
  /** One or two sentences: what was done or found. */
  readonly detail: string;
  /** For a failure: why, and what to do. */
  readonly explanation?: Explanation | undefined;
}

/** The API publication a run uses (looked up before the run; the run checks it again). */
export interface ProvePublication {
  readonly apiId: string;
  readonly apiName: string;
  readonly apiSlug?: string | undefined;
  readonly portalId: string;
  readonly portalName: string;
  /** The portal's own URL, where its developer Portal API lives (`https://<domain>`, or the sandbox's loopback URL). */
  readonly portalUrl: string;
}

/** What to prove: everything a run needs, resolved beforehand (the VS Code layer asks the user for what is missing). */
export interface ProveTarget {
  readonly strategy: AppAuthStrategy;
  /** Undefined: the strategy is not published anywhere (step 2 fails and says what to do). */
  readonly publication?: ProvePublication | undefined;
  /** The full URL of a route of the API behind the gateway, e.g. `https://gw.example.com/orders/anything`. */
  readonly gatewayUrl?: string | undefined;
  /** Default `developer`. */
  readonly mode?: ProveMode | undefined;
  /** Developer mode: the test developer who creates the application in the portal. */
  readonly developer?: DeveloperCredentials | undefined;
  /**
   * Admin mode, a provider other than Kong Identity: a client the admin owns in the IdP, which the application is
   * linked to (`dcr_client_id`). Prove DCR never deletes it.
   */
  readonly ownedClient?: { readonly clientId: string; readonly clientSecret: string } | undefined;
  /** Name of the test application (unique per run). */
  readonly appName: string;
  /** Keep the test application (and its credentials) instead of deleting it at the end. */
  readonly keepApp: boolean;
}

/** The test application of a run. The secret is in memory only: never in the report's view, the log or a file. */
export interface ProveApplication {
  readonly id: string;
  readonly name: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly registrationStatus?: string | undefined;
  /** Still in the portal after the run (kept, or its deletion failed). */
  readonly kept: boolean;
}

export interface ProveToken {
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly checks: readonly TokenCheck[];
  /** The scopes the token request asked for. */
  readonly requestedScopes: readonly string[];
}

export interface ProveReport {
  readonly mode: ProveMode;
  readonly strategy: { readonly id: string; readonly name: string; readonly issuer?: string | undefined };
  readonly provider?: { readonly id: string; readonly name: string; readonly type: string } | undefined;
  readonly publication?: ProvePublication | undefined;
  readonly gatewayUrl?: string | undefined;
  readonly tokenEndpoint?: TokenEndpoint | undefined;
  /** ms since the epoch. */
  readonly startedAt: number;
  readonly ms: number;
  readonly steps: readonly StepResult[];
  readonly token?: ProveToken | undefined;
  readonly application?: ProveApplication | undefined;
  /** The raw access token (memory only, for "copy token"; never shown or logged). */
  readonly accessToken?: string | undefined;
  readonly verdict: 'pass' | 'fail' | 'running';
  /** The first step that failed. */
  readonly failedStep?: StepId | undefined;
  /** While running: the step in progress. */
  readonly current?: StepId | undefined;
  /** The run was cancelled (the steps after it are skipped; the cleanup still ran). */
  readonly cancelled: boolean;
}

/** A step's outcome plus what later steps need from it. */
export type StepOutcome = Omit<StepResult, 'id' | 'title' | 'ms'>;
