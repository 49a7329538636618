/**
 * Kong Identity DCR, the whole seed in one plan: auth server → scope → claim → DCR provider (`kongIdentity`, issuer =
 * the auth server's) → openid_connect strategy → API published to a portal with it. Each part is either an existing
 * resource (by id) or one to create; `runKongIdentitySetup` creates what is missing, in order, and reports each part
 * as it goes. The VS Code layer builds the plan from the user's answers (or a test's argument object).
 */
import type { KonnectClient } from '../api/client';
import type { Api, Portal } from '../model/catalog';
import type { AppAuthStrategy } from '../model/authStrategy';
import type { DcrProvider } from '../model/dcrProvider';
import type {
  AuthServer,
  Claim,
  CreateAuthServerRequest,
  CreateClaimRequest,
  CreateScopeRequest,
  Scope,
  UpdateClaimRequest,
  UpdateScopeRequest,
} from '../model/kongIdentity';

/** Claims worth adding to a Kong Identity auth server for DCR (`${ … }` templates the auth server renders per client). */
export const CLAIM_PRESETS: readonly { readonly name: string; readonly value: string; readonly description: string }[] =
  [
    {
      name: 'client_id',
      value: '${ .Client.ID }',
      description: 'the client id (what a strategy may use as its credential claim)',
    },
    { name: 'client_name', value: '${ .Client.Name }', description: 'the client (application) name' },
    {
      name: 'sub',
      value: '${ .Client.ID }',
      description: 'the subject: the client id (Kong Identity sets it so by default)',
    },
  ];

/** Claims an auth server sets itself: a claim with one of these names is never put in a token. */
export const RESERVED_CLAIMS: readonly string[] = ['iss', 'aud', 'exp', 'iat', 'nbf', 'jti'];

/** A valid name for a scope or claim, or why not. */
export function checkIdentityName(kind: 'scope' | 'claim', name: string): string | undefined {
  const n = name.trim();
  if (!n) return `Enter the ${kind} name`;
  if (/\s/.test(n)) return `A ${kind} name has no spaces`;
  if (kind === 'claim' && RESERVED_CLAIMS.includes(n))
    return `"${n}" is set by the auth server itself (${RESERVED_CLAIMS.join(', ')} cannot be claims)`;
  return undefined;
}

/** The audience a new auth server gets unless told otherwise: `https://api.<name>.example` is a placeholder people edit. */
export function suggestAudience(name: string): string {
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'api';
  return `https://${slug}.api`;
}

/** Only the fields of `next` that differ from `current` (a PATCH body); undefined fields are left out. */
export function changedFields<T extends object>(current: Partial<T>, next: Partial<T>): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(next) as (keyof T)[]) {
    const v = next[key];
    if (v === undefined) continue;
    if (JSON.stringify(v) !== JSON.stringify(current[key])) out[key] = v;
  }
  return out;
}

export type Existing = { readonly id: string };
export type OrCreate<C> = Existing | { readonly create: C };

export interface KongIdentityPlan {
  readonly authServer: OrCreate<CreateAuthServerRequest>;
  /** The scope the strategy lists and the token request asks for (`openid` or a custom one). */
  readonly scope: OrCreate<CreateScopeRequest>;
  /** Optional: a claim for the tokens (created with include_in_token, in all scopes). */
  readonly claim?: OrCreate<CreateClaimRequest> | undefined;
  readonly provider: OrCreate<{ readonly name: string; readonly display_name?: string | undefined }>;
  readonly strategy: OrCreate<{
    readonly name: string;
    readonly display_name?: string | undefined;
    readonly credential_claim: readonly string[];
  }>;
  readonly api: OrCreate<{ readonly name: string; readonly version?: string | undefined }>;
  readonly portal: OrCreate<{ readonly name: string }>;
  /** Link the API to a Gateway Service (needed for enforcement on a real gateway), when the API is created. */
  readonly gatewayService?: { readonly controlPlaneId: string; readonly serviceId: string } | undefined;
}

export type SetupPart = 'authServer' | 'scope' | 'claim' | 'provider' | 'strategy' | 'api' | 'portal' | 'publication';

export interface SetupProgress {
  readonly part: SetupPart;
  readonly action: 'created' | 'used' | 'updated' | 'skipped';
  readonly name: string;
  readonly id?: string | undefined;
}

export interface KongIdentitySetup {
  readonly authServer: AuthServer;
  readonly scope: Scope;
  readonly claim?: Claim | undefined;
  readonly provider: DcrProvider;
  readonly strategy: AppAuthStrategy;
  readonly api: Api;
  readonly portal: Portal;
  readonly steps: readonly SetupProgress[];
}

type SetupClient = Pick<
  KonnectClient,
  'identity' | 'dcrProviders' | 'authStrategies' | 'apis' | 'apiImplementations' | 'portals' | 'apiPublications'
>;

const isExisting = <C>(x: OrCreate<C>): x is Existing => 'id' in x;

/**
 * Creates what the plan asks for, in the order the seed does it, and publishes the API with the strategy
 * (public, registrations auto-approved). Stops at the first error (what was created stays; `onProgress` said what).
 */
export async function runKongIdentitySetup(
  konnect: SetupClient,
  plan: KongIdentityPlan,
  signal: AbortSignal,
  onProgress: (p: SetupProgress) => void = () => undefined,
): Promise<KongIdentitySetup> {
  const steps: SetupProgress[] = [];
  const note = (p: SetupProgress): void => {
    steps.push(p);
    onProgress(p);
  };
  const opts = { signal };

  let authServer: AuthServer;
  if (isExisting(plan.authServer)) {
    authServer = await konnect.identity.authServers.get(plan.authServer.id, opts);
    note({ part: 'authServer', action: 'used', name: authServer.name, id: authServer.id });
  } else {
    authServer = await konnect.identity.authServers.create(plan.authServer.create, opts);
    note({ part: 'authServer', action: 'created', name: authServer.name, id: authServer.id });
  }

  let scope: Scope;
  if (isExisting(plan.scope)) {
    scope = await konnect.identity.scopes.get(authServer.id, plan.scope.id, opts);
    if (!scope.enabled) {
      scope = await konnect.identity.scopes.update(
        authServer.id,
        scope.id,
        { enabled: true } satisfies UpdateScopeRequest,
        opts,
      );
      note({ part: 'scope', action: 'updated', name: `${scope.name} (enabled)`, id: scope.id });
    } else note({ part: 'scope', action: 'used', name: scope.name, id: scope.id });
  } else {
    scope = await konnect.identity.scopes.create(authServer.id, { enabled: true, ...plan.scope.create }, opts);
    note({ part: 'scope', action: 'created', name: scope.name, id: scope.id });
  }

  let claim: Claim | undefined;
  if (plan.claim && isExisting(plan.claim)) {
    claim = await konnect.identity.claims.get(authServer.id, plan.claim.id, opts);
    if (!claim.include_in_token || !claim.enabled) {
      claim = await konnect.identity.claims.update(
        authServer.id,
        claim.id,
        { include_in_token: true, enabled: true } satisfies UpdateClaimRequest,
        opts,
      );
      note({ part: 'claim', action: 'updated', name: `${claim.name} (in tokens)`, id: claim.id });
    } else note({ part: 'claim', action: 'used', name: claim.name, id: claim.id });
  } else if (plan.claim) {
    claim = await konnect.identity.claims.create(
      authServer.id,
      { include_in_token: true, include_in_all_scopes: true, enabled: true, ...plan.claim.create },
      opts,
    );
    note({ part: 'claim', action: 'created', name: claim.name, id: claim.id });
  } else note({ part: 'claim', action: 'skipped', name: 'no extra claim' });

  let provider: DcrProvider;
  if (isExisting(plan.provider)) {
    provider = await konnect.dcrProviders.get(plan.provider.id, opts);
    note({ part: 'provider', action: 'used', name: provider.name, id: provider.id });
  } else {
    const { name, display_name } = plan.provider.create;
    provider = await konnect.dcrProviders.create(
      { name, ...(display_name ? { display_name } : {}), provider_type: 'kongIdentity', issuer: authServer.issuer },
      opts,
    );
    note({ part: 'provider', action: 'created', name: provider.name, id: provider.id });
  }

  let strategy: AppAuthStrategy;
  if (isExisting(plan.strategy)) {
    strategy = await konnect.authStrategies.get(plan.strategy.id, opts);
    note({ part: 'strategy', action: 'used', name: strategy.name, id: strategy.id });
  } else {
    const s = plan.strategy.create;
    strategy = await konnect.authStrategies.create(
      {
        name: s.name,
        display_name: s.display_name ?? s.name,
        strategy_type: 'openid_connect',
        dcr_provider_id: provider.id,
        configs: {
          'openid-connect': {
            issuer: authServer.issuer,
            credential_claim: [...s.credential_claim],
            scopes: [scope.name],
            auth_methods: ['client_credentials', 'bearer'],
          },
        },
      },
      opts,
    );
    note({ part: 'strategy', action: 'created', name: strategy.name, id: strategy.id });
  }

  let api: Api;
  if (isExisting(plan.api)) {
    api = await konnect.apis.get(plan.api.id, opts);
    note({ part: 'api', action: 'used', name: api.name, id: api.id });
  } else {
    const a = plan.api.create;
    api = await konnect.apis.create({ name: a.name, ...(a.version ? { version: a.version } : {}) }, opts);
    note({ part: 'api', action: 'created', name: api.name, id: api.id });
    if (plan.gatewayService) {
      await konnect.apiImplementations.create(
        api.id,
        { service: { control_plane_id: plan.gatewayService.controlPlaneId, id: plan.gatewayService.serviceId } },
        opts,
      );
    }
  }

  let portal: Portal;
  if (isExisting(plan.portal)) {
    portal = await konnect.portals.get(plan.portal.id, opts);
    note({ part: 'portal', action: 'used', name: portal.name, id: portal.id });
  } else {
    portal = await konnect.portals.create({ name: plan.portal.create.name, auto_approve_applications: true }, opts);
    note({ part: 'portal', action: 'created', name: portal.name, id: portal.id });
  }

  await konnect.apiPublications.publish(
    api.id,
    portal.id,
    { auth_strategy_ids: [strategy.id], visibility: 'public', auto_approve_registrations: true },
    opts,
  );
  note({ part: 'publication', action: 'created', name: `${api.name} in ${portal.name}` });

  return { authServer, scope, claim, provider, strategy, api, portal, steps };
}
