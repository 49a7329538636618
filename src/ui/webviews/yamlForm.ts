import * as vscode from 'vscode';
import type { KonnectClient } from '../../core/api/client';
import { ConfigDocument, writeEntry, type EntryInfo, type FormValue } from '../../core/config/document';
import type { FormKind } from '../../core/forms/fields';
import type {
  AuthServerOption,
  InitParams,
  OptionsParams,
  ProviderOption,
  SubmitParams,
  SubmitResult,
} from '../../shared/forms/protocol';
import {
  checkEntry,
  plainView,
  providerEntryFrom,
  providerValuesFromEntry,
  strategyEntryFrom,
  strategyValuesFromEntry,
  type EntryUpdate,
} from '../../core/forms/yaml';
import type { ChannelLogger } from '../platform/logger';
import type { FormController } from './formPanel';

/** Where typed secrets go: VS Code's SecretStorage under the env-style name the file references (ui/config ConfigSecrets). */
export interface YamlSecretStore {
  store(name: string, value: string): Promise<void>;
}

export interface YamlFormDeps {
  readonly log: ChannelLogger;
  readonly secrets: YamlSecretStore;
  /** The active connection's client, to offer its auth servers / providers too; undefined when signed out. */
  konnect(): Promise<KonnectClient | undefined>;
  saved(message: string): void;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A DCR provider or auth strategy entry of a kongctl YAML file in the form: the form opens with the entry's values,
 * and saving writes the entry back into the file (as one edit: undo works, comments and other keys stay) and the
 * typed secrets into SecretStorage. Nothing is sent to Konnect: Plan / Apply do that.
 */
export class YamlEntryForm implements FormController {
  readonly kind: FormKind;
  private entry: EntryInfo;
  private generation = 0;
  private notice: string | undefined;

  constructor(
    private readonly deps: YamlFormDeps,
    private readonly uri: vscode.Uri,
    entry: EntryInfo,
  ) {
    if (entry.section === 'kong_identity_auth_servers')
      throw new Error(vscode.l10n.t('Kong Identity auth servers have no form: edit them in the file.'));
    this.kind = entry.section === 'dcr_providers' ? 'provider' : 'strategy';
    this.entry = entry;
  }

  get key(): string {
    return `yaml:${this.uri.toString()}#${this.entry.section}[${this.entry.index}]`;
  }

  private get file(): string {
    return vscode.workspace.asRelativePath(this.uri, false);
  }

  init(): InitParams {
    const base = {
      mode: 'edit' as const,
      formKey: `${this.key}#${this.generation}`,
      target: { kind: 'yaml' as const, file: this.file },
      locked: [],
      notice: this.notice,
    };
    const name = this.entry.name ?? this.entry.ref ?? `#${this.entry.index + 1}`;
    if (this.kind === 'provider') {
      const { values, storedSecrets } = providerValuesFromEntry(this.entry.value);
      return {
        ...base,
        kind: 'provider',
        title: vscode.l10n.t('DCR Provider: {0} ({1})', name, this.file),
        values,
        storedSecrets,
      };
    }
    return {
      ...base,
      kind: 'strategy',
      title: vscode.l10n.t('Auth Strategy: {0} ({1})', name, this.file),
      values: strategyValuesFromEntry(this.entry.value),
    };
  }

  /** The file's own resources (by `!ref`), then the active connection's (best effort). */
  async loadOptions(signal: AbortSignal): Promise<OptionsParams> {
    const doc = await vscode.workspace.openTextDocument(this.uri);
    const view = ConfigDocument.parse(doc.getText()).view;
    const list = (section: string): Obj[] =>
      isObj(view) && Array.isArray(view[section]) ? (view[section] as unknown[]).filter(isObj) : [];
    const client = await this.deps.konnect().catch(() => undefined);
    let note: string | undefined;
    if (this.kind === 'provider') {
      const authServers: AuthServerOption[] = list('kong_identity_auth_servers')
        .filter((a) => typeof a['ref'] === 'string')
        .map((a) => ({
          id: `ref:${String(a['ref'])}`,
          name: vscode.l10n.t('{0} (this file)', String(a['name'] ?? a['ref'])),
          issuer: `!ref ${String(a['ref'])}#issuer`,
        }));
      if (client) {
        try {
          for (const a of await client.identity.authServers.listAll({}, { signal, maxItems: 500 }))
            authServers.push({ id: a.id, name: a.name, issuer: a.issuer });
        } catch (err) {
          note = vscode.l10n.t(
            "Konnect's auth servers could not be listed: {0}",
            err instanceof Error ? err.message : String(err),
          );
        }
      }
      return { authServers, ...(note ? { error: note } : {}) };
    }
    const providers: ProviderOption[] = list('dcr_providers')
      .filter((p) => typeof p['ref'] === 'string')
      .map((p) => ({
        id: `!ref ${String(p['ref'])}`,
        name: vscode.l10n.t('{0} [this file]', String(p['name'] ?? p['ref'])),
        providerType: String(p['provider_type'] ?? ''),
        issuer: typeof p['issuer'] === 'string' && /^https?:/.test(p['issuer']) ? p['issuer'] : '',
      }));
    if (client) {
      try {
        for (const p of await client.dcrProviders.listAll({ sort: 'name' }, { signal, maxItems: 1000 }))
          providers.push({ id: p.id, name: p.name, providerType: p.provider_type, issuer: p.issuer });
      } catch (err) {
        note = vscode.l10n.t(
          "Konnect's DCR providers could not be listed: {0}",
          err instanceof Error ? err.message : String(err),
        );
      }
    }
    return { providers, ...(note ? { error: note } : {}) };
  }

  progressTitle(): string {
    return vscode.l10n.t('saving to {0}…', this.file);
  }

  async submit(params: SubmitParams): Promise<SubmitResult> {
    if (params.kind !== this.kind) throw new Error(`not a ${this.kind} form`);
    const update: EntryUpdate =
      params.kind === 'provider'
        ? providerEntryFrom(this.entry.value, params.values)
        : strategyEntryFrom(this.entry.value, params.values);
    const errors = checkEntry(this.kind, update.entry, params.values);
    if (errors) return { ok: false, errors };

    const doc = await vscode.workspace.openTextDocument(this.uri);
    const text = doc.getText();
    // the file may have changed since the form opened: write only over the same entry
    const now = findEntry(text, this.entry);
    if (!now)
      return {
        ok: false,
        errors: {
          fields: {},
          form: [
            vscode.l10n.t(
              'The entry "{0}" is no longer at the same place in {1}. Reopen the form from the file.',
              this.entry.ref ?? this.entry.name ?? '',
              this.file,
            ),
          ],
        },
      };
    let edit;
    try {
      edit = writeEntry(text, { section: now.section, index: now.index }, update.entry).edit;
    } catch (err) {
      return { ok: false, errors: { fields: {}, form: [err instanceof Error ? err.message : String(err)] } };
    }
    const names = Object.keys(update.secrets);
    for (const name of names) await this.deps.secrets.store(name, update.secrets[name]!);
    const we = new vscode.WorkspaceEdit();
    we.replace(this.uri, new vscode.Range(doc.positionAt(edit.start), doc.positionAt(edit.end)), edit.newText);
    if (!(await vscode.workspace.applyEdit(we)))
      return {
        ok: false,
        errors: { fields: {}, form: [vscode.l10n.t('{0} could not be edited (is it read-only?).', this.file)] },
      };
    await doc.save();

    this.entry =
      findEntry(doc.getText(), {
        ...now,
        ref: refOf(update.entry) ?? now.ref,
        name: nameOf(update.entry) ?? now.name,
      }) ?? now;
    this.generation++;
    const saved = nameOf(update.entry) ?? '';
    const message = !names.length
      ? vscode.l10n.t('Saved "{0}" to {1}. Plan / Apply send it to Konnect.', saved, this.file)
      : names.length === 1
        ? vscode.l10n.t(
            'Saved "{0}" to {1}. Its secret is in VS Code\'s SecretStorage as {2} (the file references it with !secret). Plan / Apply send it to Konnect.',
            saved,
            this.file,
            names[0]!,
          )
        : vscode.l10n.t(
            'Saved "{0}" to {1}. Its secrets are in VS Code\'s SecretStorage as {2} (the file references them with !secret). Plan / Apply send it to Konnect.',
            saved,
            this.file,
            names.join(', '),
          );
    this.notice = message;
    this.deps.log.info(
      `saved the ${this.entry.section} entry #${this.entry.index + 1} of ${this.file}${names.length ? ` (${names.length} secret(s) to SecretStorage)` : ''}`,
    );
    this.deps.saved(message);
    return { ok: true, message };
  }
}

function refOf(v: FormValue): string | undefined {
  const p = plainView(v);
  return isObj(p) && typeof p['ref'] === 'string' ? p['ref'] : undefined;
}
function nameOf(v: FormValue): string | undefined {
  const p = plainView(v);
  return isObj(p) && typeof p['name'] === 'string' ? p['name'] : undefined;
}

/** The entry of this section with this ref (else name), preferring the same index. */
export function findEntry(
  text: string,
  like: Pick<EntryInfo, 'section' | 'index' | 'ref' | 'name'>,
): EntryInfo | undefined {
  const doc = ConfigDocument.parse(text);
  const view = doc.view;
  const items = isObj(view) && Array.isArray(view[like.section]) ? (view[like.section] as unknown[]) : [];
  const matches = (i: number): boolean => {
    const e = items[i];
    if (!isObj(e)) return false;
    return like.ref !== undefined ? e['ref'] === like.ref : e['name'] === like.name;
  };
  const index = matches(like.index) ? like.index : items.findIndex((_, i) => matches(i));
  if (index < 0) return undefined;
  const node = doc.nodeAt([like.section, index]);
  if (!node?.range) return undefined;
  return doc.entryAt(doc.position(node.range[0]).line);
}
