import type { ProviderType } from '../../core/model/providerTypes';

/**
 * The walkthroughs (`contributes.walkthroughs`, one per identity provider Kong's DCR how-tos cover) and the context
 * keys their steps check off from (`completionEvents: ["onContext:<key>"]`). The keys say what exists on the active
 * connection, as the trees loaded it, and what Prove DCR last showed; they are false after a sign-out or a switch.
 * test/integration/walkthroughs.test.ts checks package.json against these.
 */
export const WALKTHROUGH_IDS = [
  'kongIdentity',
  'curity',
  'okta',
  'auth0',
  'azureAd',
  'http',
] as const satisfies readonly ProviderType[];

export const WalkthroughKeys = {
  /** A DCR provider of this type exists. */
  provider: (t: ProviderType): string => `konnectDcr.dcr.${t}.provider`,
  /** An auth strategy uses a DCR provider of this type. */
  strategy: (t: ProviderType): string => `konnectDcr.dcr.${t}.strategy`,
  /** Prove DCR found such a strategy published on an API in a portal (its step 2 passed). */
  published: (t: ProviderType): string => `konnectDcr.dcr.${t}.published`,
  /** Prove DCR passed every step for such a strategy. */
  proved: (t: ProviderType): string => `konnectDcr.dcr.${t}.proved`,
  /** A Kong Identity auth server exists. */
  authServer: 'konnectDcr.kongIdentity.authServer',
} as const;
