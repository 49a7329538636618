/**
 * "Konnect DCR: Adopt into Config File…" (kongctl's `adopt`): on a DCR provider, auth strategy or Kong Identity auth
 * server of the trees, or from the palette with a pick of them. Asks for the config file (a workspace config file or a
 * new one) and the kongctl namespace (the file's), writes the resource's entry with the core's renderer (secrets as
 * `!secret` references), then labels the resource in Konnect with the namespace (`KONGCTL-namespace`, nothing else).
 * The file is written before the label is set: a labelled resource missing from its file would be deleted by a Sync.
 */
import * as vscode from 'vscode';
import {
  AdoptRefusedError,
  DEFAULT_NAMESPACE,
  NAMESPACE_LABEL,
  adoptionOf,
  labelAdopted,
  namespaceProblem,
  namespacesOf,
  type AdoptSubject,
  type Adoption,
} from '../../core/config/index';
import type { KonnectClient } from '../../core/api/index';
import type { ActiveSession } from '../auth/session';
import { toAbortSignal } from '../platform/errorBoundary';
import type { ChannelLogger } from '../platform/logger';
import type { Prompts } from '../platform/prompts';
import { readOnlyRefusal } from '../platform/workspaceFiles';
import { configGlobs } from './files';
import { ConfigCommands, DEFAULT_CONFIG_GLOBS } from './ids';

export interface AdoptDeps {
  readonly log: ChannelLogger;
  readonly prompts: Prompts;
  /** The config files known (open or on disk). */
  knownFiles(): vscode.Uri[];
}

export interface AdoptOutcome {
  readonly uri: vscode.Uri;
  readonly kind: AdoptSubject['kind'];
  readonly id: string;
  readonly name: string;
  readonly ref: string;
  /** The kongctl namespace (undefined for an auth server). */
  readonly namespace: string | undefined;
  /** The resource's labels in Konnect afterwards. */
  readonly labels: Readonly<Record<string, string>>;
  readonly secretNames: readonly string[];
}

type Kind = AdoptSubject['kind'];
const KINDS: readonly Kind[] = ['provider', 'strategy', 'authServer'];

interface Picked {
  readonly kind: Kind;
  readonly id: string;
}

const baseName = (uri: vscode.Uri): string => uri.path.slice(uri.path.lastIndexOf('/') + 1);
const isIdentityFile = (uri: vscode.Uri): boolean => /^konnect-dcr[^/]*\.ya?ml$/i.test(baseName(uri));

function what(kind: Kind): string {
  return kind === 'provider'
    ? vscode.l10n.t('DCR provider')
    : kind === 'strategy'
      ? vscode.l10n.t('auth strategy')
      : vscode.l10n.t('Kong Identity auth server');
}

/** A tree node of a provider, strategy or auth server; `{ kind, id }`; else undefined. */
function pickedOf(arg: unknown): Picked | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const o = arg as Record<string, unknown>;
  const kind = o['kind'];
  if (kind === 'provider' || kind === 'strategy' || kind === 'authServer') {
    const r = (o[kind] as { id?: unknown } | undefined) ?? o;
    const id = r.id ?? o['id'];
    if (typeof id === 'string' && id) return { kind, id };
  }
  return undefined;
}

async function pickResource(prompts: Prompts, client: KonnectClient, signal: AbortSignal): Promise<Picked | undefined> {
  const call = { signal, maxItems: 5000 };
  const [providers, strategies, servers] = await Promise.all([
    client.dcrProviders.listAll({}, call),
    client.authStrategies.listAll({}, call),
    client.identity.authServers.listAll({}, call).catch(() => []),
  ]);
  const ns = (labels: Readonly<Record<string, string>> | undefined): string => {
    const v = labels?.[NAMESPACE_LABEL];
    return v === undefined ? vscode.l10n.t('not managed by kongctl') : vscode.l10n.t('kongctl namespace "{0}"', v);
  };
  const items: (vscode.QuickPickItem & { picked_: Picked })[] = [
    ...providers.map((p) => ({
      label: p.name,
      description: `${what('provider')} · ${ns(p.labels)}`,
      detail: p.id,
      picked_: { kind: 'provider' as const, id: p.id },
    })),
    ...strategies.map((s) => ({
      label: s.name,
      description: `${what('strategy')} · ${ns(s.labels)}`,
      detail: s.id,
      picked_: { kind: 'strategy' as const, id: s.id },
    })),
    ...servers.map((a) => ({
      label: a.name,
      description: what('authServer'),
      detail: a.id,
      picked_: { kind: 'authServer' as const, id: a.id },
    })),
  ];
  const pick = await prompts.pick('config.adopt.resource', items, {
    title: vscode.l10n.t('Konnect DCR: adopt which Konnect resource into a config file?'),
    placeHolder: vscode.l10n.t('A DCR provider, auth strategy or Kong Identity auth server'),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return pick?.picked_;
}

/** The resource as Konnect has it now (an auth server with its scopes and claims). */
async function fetchSubject(client: KonnectClient, p: Picked, signal: AbortSignal): Promise<AdoptSubject> {
  const opts = { signal };
  if (p.kind === 'provider') return { kind: 'provider', provider: await client.dcrProviders.get(p.id, opts) };
  if (p.kind === 'strategy') return { kind: 'strategy', strategy: await client.authStrategies.get(p.id, opts) };
  const call = { signal, maxItems: 5000 };
  const [authServer, scopes, claims] = await Promise.all([
    client.identity.authServers.get(p.id, opts),
    client.identity.scopes.listAll(p.id, {}, call),
    client.identity.claims.listAll(p.id, {}, call),
  ]);
  return { kind: 'authServer', authServer: { authServer, scopes, claims } };
}

async function pickFile(deps: AdoptDeps, kind: Kind): Promise<vscode.Uri | undefined> {
  const NEW = '$(new-file)';
  // kongctl reads *.kongctl.yaml strictly: a Kong Identity section belongs in a konnect-dcr*.yaml file
  const files = deps.knownFiles().filter((u) => kind !== 'authServer' || isIdentityFile(u));
  const items: (vscode.QuickPickItem & { uri?: vscode.Uri })[] = [
    ...files.map((u) => ({ label: baseName(u), description: vscode.workspace.asRelativePath(u), uri: u })),
    { label: `${NEW} ${vscode.l10n.t('New config file…')}` },
  ];
  const pick = await deps.prompts.pick('config.adopt.file', items, {
    title: vscode.l10n.t('Konnect DCR: adopt into which config file?'),
    placeHolder:
      kind === 'authServer'
        ? vscode.l10n.t('A konnect-dcr*.yaml file (kongctl has no Kong Identity section)')
        : vscode.l10n.t('A kongctl / Konnect DCR config file of the workspace'),
  });
  if (!pick) return undefined;
  if (pick.uri) return pick.uri;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) throw new Error(vscode.l10n.t('Open a folder first: a new config file goes into the workspace.'));
  const custom = configGlobs().join() !== DEFAULT_CONFIG_GLOBS.join();
  const name = await deps.prompts.input('config.adopt.newFile', {
    title: vscode.l10n.t('Konnect DCR: the new config file (relative to {0})', baseName(folder)),
    value: kind === 'authServer' ? 'konnect-dcr.adopted.yaml' : 'adopted.kongctl.yaml',
    validateInput: (v) => {
      const file = v.trim();
      if (!file || file.startsWith('/') || file.split(/[\\/]/).includes('..'))
        return vscode.l10n.t('A path inside the workspace folder.');
      const base = file.split(/[\\/]/).pop()!;
      if (
        kind === 'authServer'
          ? !isIdentityFile(vscode.Uri.file(`/${base}`))
          : !custom && !/\.kongctl\.ya?ml$|^konnect-dcr[^/]*\.ya?ml$/i.test(base)
      )
        return kind === 'authServer'
          ? vscode.l10n.t('A Kong Identity auth server goes in a konnect-dcr*.yaml file.')
          : vscode.l10n.t('A config file is named *.kongctl.yaml or konnect-dcr*.yaml.');
      return undefined;
    },
  });
  if (name === undefined) return undefined;
  return vscode.Uri.joinPath(folder, ...name.trim().split(/[\\/]/));
}

async function pickNamespace(
  prompts: Prompts,
  fileText: string | undefined,
  subject: AdoptSubject,
): Promise<string | undefined> {
  const offered = namespacesOf(fileText);
  const OTHER = `$(edit) ${vscode.l10n.t('Another namespace…')}`;
  const items: vscode.QuickPickItem[] = [
    ...offered.map((ns, i) => ({
      label: ns,
      description:
        i === 0
          ? fileText?.trim()
            ? vscode.l10n.t("the file's default")
            : ns === DEFAULT_NAMESPACE
              ? vscode.l10n.t("kongctl's default")
              : ''
          : vscode.l10n.t('used by entries of the file'),
    })),
    { label: OTHER },
  ];
  const name =
    subject.kind === 'provider' ? subject.provider.name : subject.kind === 'strategy' ? subject.strategy.name : '';
  const pick = await prompts.pick('config.adopt.namespace', items, {
    title: vscode.l10n.t('Konnect DCR: adopt "{0}" into which kongctl namespace?', name),
    placeHolder: vscode.l10n.t('Stored in the {0} label, as kongctl adopt --namespace does', NAMESPACE_LABEL),
  });
  if (!pick) return undefined;
  if (pick.label !== OTHER) return pick.label;
  const typed = await prompts.input('config.adopt.otherNamespace', {
    title: vscode.l10n.t('Konnect DCR: the kongctl namespace'),
    validateInput: (v) => namespaceProblem(v.trim()),
  });
  return typed?.trim();
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch (e) {
    if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return undefined;
    throw e;
  }
}

/** Write the adoption into the file: through the open editor's document (and save it), else on disk. */
async function writeFile(uri: vscode.Uri, a: Adoption, existed: boolean): Promise<void> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(open.positionAt(a.edit.start), open.positionAt(a.edit.end)), a.edit.newText);
    if (!(await vscode.workspace.applyEdit(edit)) || !(await open.save()))
      throw new Error(vscode.l10n.t('{0} could not be written.', baseName(uri)));
    return;
  }
  if (!existed) {
    const parent = vscode.Uri.joinPath(uri, '..');
    await vscode.workspace.fs.createDirectory(parent);
  }
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(a.text));
}

export async function adoptIntoConfig(
  deps: AdoptDeps,
  s: ActiveSession,
  arg?: unknown,
): Promise<AdoptOutcome | undefined> {
  const ctl = new AbortController();
  let picked = pickedOf(arg);
  if (!picked && typeof arg === 'string' && arg) {
    // an id from a caller: whichever kind has it
    for (const kind of KINDS) {
      const ok = await fetchSubject(s.client, { kind, id: arg }, ctl.signal).then(
        () => true,
        () => false,
      );
      if (ok) {
        picked = { kind, id: arg };
        break;
      }
    }
    if (!picked) throw new Error(vscode.l10n.t('No DCR provider, auth strategy or auth server has the id {0}.', arg));
  }
  picked ??= await pickResource(deps.prompts, s.client, ctl.signal);
  if (!picked) return undefined;
  const subject = await fetchSubject(s.client, picked, ctl.signal);

  const uri = await pickFile(deps, picked.kind);
  if (!uri) return undefined;
  const refusal = readOnlyRefusal(uri, vscode.l10n.t('The adopted entry'));
  if (refusal) throw new Error(refusal);
  const fileText = await readText(uri);

  let namespace: string | undefined;
  let overwriteNamespace = false;
  if (subject.kind !== 'authServer') {
    namespace = await pickNamespace(deps.prompts, fileText, subject);
    if (!namespace) return undefined;
    const r = subject.kind === 'provider' ? subject.provider : subject.strategy;
    const previous = r.labels?.[NAMESPACE_LABEL];
    if (previous !== undefined && previous !== namespace) {
      overwriteNamespace = await deps.prompts.confirm(
        'config.adopt.overwriteNamespace',
        vscode.l10n.t(
          '"{0}" is already managed in the kongctl namespace "{1}". Move it to "{2}"?',
          r.name,
          previous,
          namespace,
        ),
        vscode.l10n.t(
          'A sync of namespace "{0}" no longer sees it; one of "{1}" would now delete it if its file does not have it (kongctl adopt --overwrite-namespace).',
          previous,
          namespace,
        ),
        vscode.l10n.t('Overwrite Namespace'),
      );
      if (!overwriteNamespace) return undefined;
    }
  }

  let adoption: Adoption;
  try {
    adoption = adoptionOf(subject, {
      namespace: namespace ?? DEFAULT_NAMESPACE,
      overwriteNamespace,
      fileText,
      comment: vscode.l10n.t(
        'kongctl-compatible declarative config (Konnect DCR), started by "Adopt into Config File" from connection "{0}" ({1}).',
        s.info.name,
        s.host,
      ),
    });
  } catch (e) {
    if (e instanceof AdoptRefusedError) throw Object.assign(new Error(e.message), { userMessage: e.message });
    throw e;
  }

  await writeFile(uri, adoption, fileText !== undefined);
  let labels: Readonly<Record<string, string>>;
  try {
    labels = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Konnect DCR: labelling "{0}" in {1}…', adoption.name, s.info.name),
        cancellable: true,
      },
      (_p, token) => labelAdopted(s.client, adoption, toAbortSignal(token)),
    );
  } catch (e) {
    const message = vscode.l10n.t(
      'Konnect DCR: "{0}" is in {1}, but Konnect was not labelled ({2}). Apply the file to set its namespace label.',
      adoption.name,
      baseName(uri),
      e instanceof Error ? e.message : String(e),
    );
    deps.log.warn(message);
    throw Object.assign(new Error(message), { userMessage: message });
  }
  await vscode.window.showTextDocument(uri, { preview: false });
  const message =
    subject.kind === 'authServer'
      ? vscode.l10n.t(
          'Konnect DCR: adopted the Kong Identity auth server "{0}" into {1} (ref {2}), with its scopes and claims. Nothing was changed in Konnect.',
          adoption.name,
          baseName(uri),
          adoption.ref,
        )
      : adoption.labels
        ? vscode.l10n.t(
            'Konnect DCR: adopted the {0} "{1}" into {2} (ref {3}) and labelled it {4}: {5} in Konnect; nothing else was changed. Plan shows it unchanged.',
            what(subject.kind),
            adoption.name,
            baseName(uri),
            adoption.ref,
            NAMESPACE_LABEL,
            namespace!,
          )
        : vscode.l10n.t(
            'Konnect DCR: adopted the {0} "{1}" into {2} (ref {3}); it already had the kongctl namespace "{4}", so Konnect was not changed.',
            what(subject.kind),
            adoption.name,
            baseName(uri),
            adoption.ref,
            namespace!,
          );
  deps.log.info(`${message} (id ${adoption.id})`);
  deps.prompts.notify(
    'info',
    adoption.secretNames.length
      ? `${message} ${vscode.l10n.t('Its secrets are references ({0}): store them before creating it elsewhere.', adoption.secretNames.join(', '))}`
      : message,
    [vscode.l10n.t('Plan')],
    () => vscode.commands.executeCommand(ConfigCommands.plan, uri),
  );
  return {
    uri,
    kind: subject.kind,
    id: adoption.id,
    name: adoption.name,
    ref: adoption.ref,
    namespace,
    labels,
    secretNames: adoption.secretNames,
  };
}
