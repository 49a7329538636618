/**
 * The provider and strategy forms' warnings: the provider lint pack (model/providerRules.ts, the same rules as the
 * config file's lint) on what the form holds. Warnings never block a submit; each names the Kong page it comes from.
 * Browser-safe (the forms webview shows them as the fields change).
 */
import { providerIssuerFindings, strategyFindings, type RuleSeverity } from '../model/providerRules';
import { isProviderType } from '../model/providerTypes';
import { splitList, type ProviderFormValues, type StrategyFormValues } from './fields';

export interface FormWarning {
  /** The form field it is about (`issuer`, `scopes`, `credentialClaim`, `audience`). */
  readonly field: string;
  readonly severity: RuleSeverity;
  readonly code: string;
  readonly message: string;
  readonly source: string;
}

export function providerFormWarnings(v: Pick<ProviderFormValues, 'providerType' | 'issuer'>): FormWarning[] {
  return providerIssuerFindings(v.providerType, v.issuer).map((f) => ({
    field: f.target.field,
    severity: f.severity,
    code: f.code,
    message: f.message,
    source: f.source,
  }));
}

/** The provider a strategy form has picked, as the form knows it (its type may be one this version does not know). */
export interface PickedProvider {
  readonly providerType: string;
  readonly issuer: string;
}

export function strategyFormWarnings(v: StrategyFormValues, provider: PickedProvider | undefined): FormWarning[] {
  if (v.strategyType !== 'openid_connect' || !provider || !isProviderType(provider.providerType)) return [];
  const facts = {
    issuer: v.issuer,
    scopes: splitList(v.scopes),
    credentialClaim: splitList(v.credentialClaim),
    authMethods: v.authMethods,
    tokenPostArgNames: v.audience.trim() ? ['audience'] : [],
  };
  return strategyFindings(provider.providerType, facts, provider.issuer || undefined).map((f) => ({
    field: f.target.field,
    severity: f.severity,
    code: f.code,
    message: f.message,
    source: f.source,
  }));
}
