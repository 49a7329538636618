import * as vscode from 'vscode';
import type { AppAuthStrategy } from '../../core/model/authStrategy';
import type { FormMode } from '../../core/forms/fields';
import {
  buildStrategyCreate,
  buildStrategyUpdate,
  emptyStrategyValues,
  strategyValuesFrom,
  visibleStrategyFields,
} from '../../core/forms/payload';
import type {
  OptionsParams,
  StrategyFormValues,
  StrategyInit,
  SubmitParams,
  SubmitResult,
} from '../../shared/forms/protocol';
import { formErrorsOf } from './errors';
import type { FormController } from './formPanel';
import type { KonnectFormDeps } from './konnect';

let newForms = 0;

/** "New auth strategy" / "Edit auth strategy" against the active Konnect connection. */
export class StrategyForm implements FormController {
  readonly kind = 'strategy' as const;
  private mode: FormMode;
  private existing: AppAuthStrategy | undefined;
  private values: StrategyFormValues;
  private notice: string | undefined;
  private generation = 0;
  private readonly newKey = `strategy:new:${++newForms}`;

  constructor(
    private readonly deps: KonnectFormDeps,
    start: { strategy: AppAuthStrategy } | { values?: Partial<StrategyFormValues> } = {},
  ) {
    if ('strategy' in start) {
      this.mode = 'edit';
      this.existing = start.strategy;
      this.values = strategyValuesFrom(start.strategy);
    } else {
      this.mode = 'create';
      this.values = { ...emptyStrategyValues(), ...start.values };
    }
  }

  get key(): string {
    return this.existing ? `strategy:${this.existing.id}` : this.newKey;
  }

  init(): StrategyInit {
    return {
      kind: 'strategy',
      mode: this.mode,
      formKey: `${this.key}#${this.generation}`,
      title:
        this.mode === 'create'
          ? vscode.l10n.t('New Auth Strategy')
          : vscode.l10n.t('Auth Strategy: {0}', this.values.name),
      target: { kind: 'konnect', connection: this.deps.connection },
      locked: this.mode === 'edit' ? ['strategyType'] : [],
      values: this.values,
      notice: this.notice,
    };
  }

  async loadOptions(signal: AbortSignal): Promise<OptionsParams> {
    const client = await this.deps.client();
    const providers = await client.dcrProviders.listAll({ sort: 'name' }, { signal, maxItems: 1000 });
    return {
      providers: providers.map((p) => ({ id: p.id, name: p.name, providerType: p.provider_type, issuer: p.issuer })),
    };
  }

  progressTitle(params: SubmitParams): string {
    const name = params.kind === 'strategy' ? params.values.name.trim() : '';
    return this.mode === 'create'
      ? vscode.l10n.t('creating auth strategy "{0}"…', name)
      : vscode.l10n.t('updating auth strategy "{0}"…', name);
  }

  async submit(params: SubmitParams, signal: AbortSignal): Promise<SubmitResult> {
    if (params.kind !== 'strategy') throw new Error('not a strategy form');
    const values: StrategyFormValues =
      this.mode === 'edit' ? { ...params.values, strategyType: this.values.strategyType } : params.values;
    const visible = visibleStrategyFields(values);
    const built = this.mode === 'create' ? buildStrategyCreate(values) : buildStrategyUpdate(values, this.existing);
    if (!built.ok) return { ok: false, errors: built.errors };
    const client = await this.deps.client();
    let saved: AppAuthStrategy;
    try {
      saved =
        this.mode === 'create' || !this.existing
          ? await client.authStrategies.create(built.body as Parameters<typeof client.authStrategies.create>[0], {
              signal,
            })
          : await client.authStrategies.update(
              this.existing.id,
              built.body as Parameters<typeof client.authStrategies.update>[1],
              { signal },
            );
    } catch (err) {
      if (signal.aborted) throw err;
      this.deps.log.warn(
        `auth strategy ${this.mode === 'create' ? 'create' : `update ${this.existing?.id}`} refused: ${err instanceof Error ? err.message : String(err)}`,
      );
      return { ok: false, errors: formErrorsOf('strategy', err, visible) };
    }
    const verb = this.mode === 'create' ? 'Created' : 'Updated';
    const message =
      this.mode === 'create'
        ? vscode.l10n.t('Created auth strategy "{0}" in Konnect ({1}).', saved.name, this.deps.connection)
        : vscode.l10n.t('Updated auth strategy "{0}" in Konnect ({1}).', saved.name, this.deps.connection);
    this.deps.log.info(`${verb.toLowerCase()} auth strategy ${saved.id} (${saved.strategy_type})`);
    this.mode = 'edit';
    this.existing = saved;
    this.values = strategyValuesFrom(saved);
    this.notice = message;
    this.generation++;
    this.deps.saved(message);
    return { ok: true, message, id: saved.id };
  }
}
