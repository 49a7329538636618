/**
 * The forms host, loaded on the first form command (never at activation): the commands in ui/commands/forms.ts
 * import this module dynamically.
 */
import * as vscode from 'vscode';
import { ConfigDocument } from '../../core/config/document';
import type { DcrProvider } from '../../core/model/dcrProvider';
import type { AppAuthStrategy } from '../../core/model/authStrategy';
import type { ProviderFormValues, StrategyFormValues } from '../../shared/forms/protocol';
import { FormPanel, type FormHandle } from './formPanel';
import { konnectFormDeps, type KonnectFormServices } from './konnect';
import { ProviderForm } from './providerForm';
import { StrategyForm } from './strategyForm';
import { YamlEntryForm, type YamlSecretStore } from './yamlForm';

export type { FormHandle } from './formPanel';

export interface FormsServices extends KonnectFormServices {
  readonly extensionUri: vscode.Uri;
  /** For forms opened from a YAML file: where typed secrets go. */
  readonly configSecrets: YamlSecretStore;
}

export async function openProviderForm(
  services: FormsServices,
  start: { id: string } | { values?: Partial<ProviderFormValues> },
  signal?: AbortSignal,
): Promise<FormHandle> {
  const deps = await konnectFormDeps(services);
  let controller: ProviderForm;
  if ('id' in start) {
    const client = await deps.client();
    const provider: DcrProvider = await client.dcrProviders.get(start.id, signal ? { signal } : {});
    controller = new ProviderForm(deps, { provider });
  } else controller = new ProviderForm(deps, start);
  return FormPanel.show({ extensionUri: services.extensionUri, log: services.log }, controller);
}

export async function openStrategyForm(
  services: FormsServices,
  start: { id: string } | { values?: Partial<StrategyFormValues> },
  signal?: AbortSignal,
): Promise<FormHandle> {
  const deps = await konnectFormDeps(services);
  let controller: StrategyForm;
  if ('id' in start) {
    const client = await deps.client();
    const strategy: AppAuthStrategy = await client.authStrategies.get(start.id, signal ? { signal } : {});
    controller = new StrategyForm(deps, { strategy });
  } else controller = new StrategyForm(deps, start);
  return FormPanel.show({ extensionUri: services.extensionUri, log: services.log }, controller);
}

/**
 * The form of the `dcr_providers` / `application_auth_strategies` entry at a line of a kongctl YAML file (0-based, as
 * `(uri, line)` CodeLens arguments are); saving writes the entry back into the file. Throws when the line is in no
 * such entry.
 */
export async function openYamlForm(services: FormsServices, uri: vscode.Uri, line: number): Promise<FormHandle> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const entry = ConfigDocument.parse(doc.getText()).entryAt(line);
  if (!entry)
    throw new Error(
      vscode.l10n.t(
        'Line {0} of {1} is not inside a dcr_providers or application_auth_strategies entry.',
        line + 1,
        vscode.workspace.asRelativePath(uri, false),
      ),
    );
  const log = services.log;
  const controller = new YamlEntryForm(
    {
      log,
      secrets: services.configSecrets,
      konnect: async () => (await services.session.active())?.client,
      saved: (message) => services.prompts.notify('info', vscode.l10n.t('Konnect DCR: {0}', message)),
    },
    uri,
    entry,
  );
  return FormPanel.show({ extensionUri: services.extensionUri, log }, controller);
}
