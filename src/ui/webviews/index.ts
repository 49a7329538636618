/**
 * The forms host, loaded on the first form command (never at activation): the commands in ui/commands/forms.ts
 * import this module dynamically.
 */
import type * as vscode from 'vscode';
import type { DcrProvider } from '../../core/model/dcrProvider';
import type { AppAuthStrategy } from '../../core/model/authStrategy';
import type { ProviderFormValues, StrategyFormValues } from '../../shared/forms/protocol';
import { FormPanel, type FormHandle } from './formPanel';
import { konnectFormDeps, type KonnectFormServices } from './konnect';
import { ProviderForm } from './providerForm';
import { StrategyForm } from './strategyForm';

export type { FormHandle } from './formPanel';

export interface FormsServices extends KonnectFormServices {
  readonly extensionUri: vscode.Uri;
}

export async function openProviderForm(services: FormsServices, start: { id: string } | { values?: Partial<ProviderFormValues> }, signal?: AbortSignal): Promise<FormHandle> {
  const deps = await konnectFormDeps(services);
  let controller: ProviderForm;
  if ('id' in start) {
    const client = await deps.client();
    const provider: DcrProvider = await client.dcrProviders.get(start.id, signal ? { signal } : {});
    controller = new ProviderForm(deps, { provider });
  } else controller = new ProviderForm(deps, start);
  return FormPanel.show({ extensionUri: services.extensionUri, log: services.log }, controller);
}

export async function openStrategyForm(services: FormsServices, start: { id: string } | { values?: Partial<StrategyFormValues> }, signal?: AbortSignal): Promise<FormHandle> {
  const deps = await konnectFormDeps(services);
  let controller: StrategyForm;
  if ('id' in start) {
    const client = await deps.client();
    const strategy: AppAuthStrategy = await client.authStrategies.get(start.id, signal ? { signal } : {});
    controller = new StrategyForm(deps, { strategy });
  } else controller = new StrategyForm(deps, start);
  return FormPanel.show({ extensionUri: services.extensionUri, log: services.log }, controller);
}

export function closeAllForms(): void {
  FormPanel.disposeAll();
}
