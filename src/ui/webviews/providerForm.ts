import * as vscode from 'vscode';
import type { DcrProvider } from '../../core/model/dcrProvider';
import { providerNoun } from '../../core/model/providerTypes';
import type { FormMode } from '../../core/forms/fields';
import {
  buildProviderCreate,
  buildProviderUpdate,
  emptyProviderValues,
  providerValuesFrom,
  storedSecretsOf,
  visibleProviderFields,
} from '../../core/forms/payload';
import type {
  OptionsParams,
  ProviderFormValues,
  ProviderInit,
  SubmitParams,
  SubmitResult,
} from '../../shared/forms/protocol';
import { formErrorsOf } from './errors';
import type { FormController } from './formPanel';
import type { KonnectFormDeps } from './konnect';

let newForms = 0;

/** "New DCR provider" / "Edit DCR provider" against the active Konnect connection. */
export class ProviderForm implements FormController {
  readonly kind = 'provider' as const;
  private mode: FormMode;
  private id: string | undefined;
  private values: ProviderFormValues;
  private notice: string | undefined;
  private generation = 0;
  private readonly newKey = `provider:new:${++newForms}`;

  constructor(
    private readonly deps: KonnectFormDeps,
    start: { provider: DcrProvider } | { values?: Partial<ProviderFormValues> } = {},
  ) {
    if ('provider' in start) {
      this.mode = 'edit';
      this.id = start.provider.id;
      this.values = providerValuesFrom(start.provider);
    } else {
      this.mode = 'create';
      this.values = { ...emptyProviderValues(), ...start.values };
    }
  }

  get key(): string {
    return this.id ? `provider:${this.id}` : this.newKey;
  }

  init(): ProviderInit {
    const label = providerNoun(this.values.providerType);
    return {
      kind: 'provider',
      mode: this.mode,
      formKey: `${this.key}#${this.generation}`,
      title:
        this.mode === 'create'
          ? vscode.l10n.t('New DCR Provider')
          : vscode.l10n.t('DCR Provider: {0} ({1})', this.values.name, label),
      target: { kind: 'konnect', connection: this.deps.connection },
      locked: this.mode === 'edit' ? ['providerType'] : [],
      values: this.values,
      storedSecrets: this.mode === 'edit' ? storedSecretsOf(this.values.providerType) : [],
      notice: this.notice,
    };
  }

  async loadOptions(signal: AbortSignal): Promise<OptionsParams> {
    const s = await this.deps.client();
    const servers = await s.identity.authServers.listAll({}, { signal, maxItems: 500 });
    return { authServers: servers.map((a) => ({ id: a.id, name: a.name, issuer: a.issuer })) };
  }

  progressTitle(params: SubmitParams): string {
    const name = params.kind === 'provider' ? params.values.name.trim() : '';
    return this.mode === 'create'
      ? vscode.l10n.t('creating DCR provider "{0}"…', name)
      : vscode.l10n.t('updating DCR provider "{0}"…', name);
  }

  async submit(params: SubmitParams, signal: AbortSignal): Promise<SubmitResult> {
    if (params.kind !== 'provider') throw new Error('not a provider form');
    // the type of an existing provider cannot change: whatever the page says, keep the loaded one
    const values: ProviderFormValues =
      this.mode === 'edit' ? { ...params.values, providerType: this.values.providerType } : params.values;
    const visible = visibleProviderFields(values);
    const built = this.mode === 'create' ? buildProviderCreate(values) : buildProviderUpdate(values);
    if (!built.ok) return { ok: false, errors: built.errors };
    const client = await this.deps.client();
    let saved: DcrProvider;
    try {
      saved =
        this.mode === 'create' || !this.id
          ? await client.dcrProviders.create(built.body as Parameters<typeof client.dcrProviders.create>[0], { signal })
          : await client.dcrProviders.update(this.id, built.body as Parameters<typeof client.dcrProviders.update>[1], {
              signal,
            });
    } catch (err) {
      if (signal.aborted) throw err;
      this.deps.log.warn(
        `DCR provider ${this.mode === 'create' ? 'create' : `update ${this.id}`} refused: ${err instanceof Error ? err.message : String(err)}`,
      );
      return { ok: false, errors: formErrorsOf('provider', err, visible) };
    }
    const verb = this.mode === 'create' ? 'Created' : 'Updated';
    const message =
      this.mode === 'create'
        ? vscode.l10n.t('Created DCR provider "{0}" in Konnect ({1}).', saved.name, this.deps.connection)
        : vscode.l10n.t('Updated DCR provider "{0}" in Konnect ({1}).', saved.name, this.deps.connection);
    this.deps.log.info(`${verb.toLowerCase()} DCR provider ${saved.id} (${saved.provider_type})`);
    this.mode = 'edit';
    this.id = saved.id;
    this.values = { ...providerValuesFrom(saved), authServerId: values.authServerId };
    this.notice = message;
    this.generation++;
    this.deps.saved(message);
    return { ok: true, message, id: saved.id };
  }
}
