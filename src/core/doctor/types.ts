/**
 * "DCR Doctor": the chain that has to hold for a developer's DCR application to reach an API, walked link by link:
 * provider → IdP → strategy → publication → API implementation → Gateway Service → enforcing plugin → registration
 * approval → claims. Each link is checked with the Konnect APIs (and the IdP's discovery document), and the report
 * names the object at fault of the first broken link first. No vscode, no DOM.
 */
import type { ApiImplementation } from '../model/catalog';

export const LINK_IDS = [
  'provider',
  'idp',
  'strategy',
  'publication',
  'implementation',
  'service',
  'plugin',
  'registration',
  'claims',
] as const;
export type LinkId = (typeof LINK_IDS)[number];

/** `unknown`: the link could not be checked (a link before it is broken, or a call failed); `skip`: does not apply. */
export type LinkStatus = 'pass' | 'fail' | 'unknown' | 'skip';

export const LINK_TITLES: Readonly<Record<LinkId, string>> = {
  provider: 'DCR provider verifies',
  idp: "Identity provider's discovery document",
  strategy: "Strategy's issuer is the identity provider's",
  publication: 'Strategy is published on the API',
  implementation: 'API is linked to a Gateway Service',
  service: 'Gateway Service exists in its control plane',
  plugin: 'Exactly one plugin enforces the strategy',
  registration: 'Registrations are approved',
  claims: 'Identity provider can issue the claims and scopes',
};

export type ObjectKind =
  | 'dcrProvider'
  | 'identityProvider'
  | 'strategy'
  | 'api'
  | 'publication'
  | 'gatewayService'
  | 'plugin'
  | 'controlPlane'
  | 'registration';

export const OBJECT_KIND_LABELS: Readonly<Record<ObjectKind, string>> = {
  dcrProvider: 'DCR provider',
  identityProvider: 'Identity provider',
  strategy: 'Auth strategy',
  api: 'API',
  publication: 'API publication',
  gatewayService: 'Gateway Service',
  plugin: 'Plugin',
  controlPlane: 'Control plane',
  registration: 'Application registration',
};

/** The object a link is about: what the report names first when the link is broken. */
export interface DoctorObject {
  readonly kind: ObjectKind;
  readonly name: string;
  readonly id: string;
}

/** A fix the editor can run for a broken link. */
export type DoctorFix =
  | { readonly kind: 'editStrategy'; readonly strategyId: string }
  | { readonly kind: 'editProvider'; readonly providerId: string }
  | { readonly kind: 'verifyProvider'; readonly providerId: string }
  | { readonly kind: 'openPublication'; readonly apiId: string; readonly portalId: string }
  | {
      readonly kind: 'approveRegistration';
      readonly portalId: string;
      readonly applicationId: string;
      readonly registrationId: string;
    };

export const FIX_LABELS: Readonly<Record<DoctorFix['kind'], string>> = {
  editStrategy: 'Edit the strategy',
  editProvider: 'Edit the DCR provider',
  verifyProvider: 'Run Verify',
  openPublication: 'Open the publication',
  approveRegistration: 'Approve the registration',
};

export interface DoctorLink {
  readonly id: LinkId;
  readonly title: string;
  readonly status: LinkStatus;
  /** One or two sentences: what was checked and found. */
  readonly detail: string;
  /** The object this link is about (for a broken link: the object at fault). */
  readonly object?: DoctorObject | undefined;
  readonly fixes: readonly DoctorFix[];
}

/** What to diagnose: a strategy, an API (optionally in one portal), or one publication. */
export type DoctorTarget =
  | { readonly kind: 'strategy'; readonly strategyId: string; readonly apiId?: string; readonly portalId?: string }
  | { readonly kind: 'api'; readonly apiId: string; readonly portalId?: string }
  | { readonly kind: 'publication'; readonly apiId: string; readonly portalId: string };

export interface DoctorReport {
  readonly target: DoctorTarget;
  /** What the walk started from, named. */
  readonly subject: DoctorObject;
  readonly links: readonly DoctorLink[];
  /** `fail`: some link is broken; `unknown`: none is broken but some could not be checked. */
  readonly verdict: 'pass' | 'fail' | 'unknown';
  /** The first broken link, and its object: what to fix first. */
  readonly culprit?:
    { readonly link: LinkId; readonly object?: DoctorObject | undefined; readonly detail: string } | undefined;
  /** The API and portal the walk went through (the first publication found, or the one asked for). */
  readonly publication?:
    | {
        readonly apiId: string;
        readonly apiName: string;
        readonly portalId: string;
        readonly portalName: string;
      }
    | undefined;
  /** Other publications that were not walked (the strategy is published more than once). */
  readonly otherPublications: number;
  readonly ms: number;
}

export type ImplementationWithService = Extract<ApiImplementation, { service: unknown }>;
