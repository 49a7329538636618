/**
 * Adopt (kongctl's `adopt`): take an existing Konnect resource under a config file's management without recreating
 * it. kongctl's declarative engine only considers resources whose `KONGCTL-namespace` label is one of the namespaces
 * it is given; `kongctl adopt <kind> <name|id> --namespace <ns>` sets that label and changes no other field, and the
 * resource is then added to the configuration. Here both happen in one step:
 * - the resource's entry, rendered by the one kongctl renderer (kongctlYaml.ts: secrets as `!secret` references,
 *   computed fields as comments), is appended to the file (or starts a new one), in the file's namespace;
 * - the labels PATCH that gives the resource that namespace (only `KONGCTL-namespace`: Konnect merges PATCHed labels).
 * So the file's Plan finds the resource by name, unchanged (its namespace label already matches), and a Sync counts it
 * as the file's own. Like kongctl, a resource already labelled with another namespace is refused unless the caller
 * overwrites the namespace; one already in the file's namespace only gets its entry.
 * Kong Identity auth servers have no kongctl namespace (kongctl has no such resource, and Plan and Sync match them
 * by name only): adopting one writes its entry (with its scopes and claims) and labels nothing.
 */
import { isMap, isSeq, parseDocument, stringify, type Document, type YAMLMap } from 'yaml';
import type { KonnectClient } from '../api/client';
import type { AppAuthStrategy } from '../model/authStrategy';
import type { DcrProvider } from '../model/dcrProvider';
import {
  isTaggedFormValue,
  minimalEdit,
  toFormValue,
  writeEntry,
  type FormValue,
  type Section,
  type TextEditResult,
} from './document';
import { renderKongctlYaml, type AuthServerResources } from './kongctlYaml';
import { DEFAULT_NAMESPACE, NAMESPACE_LABEL } from './model';

export type AdoptSubject =
  | { readonly kind: 'provider'; readonly provider: DcrProvider }
  | { readonly kind: 'strategy'; readonly strategy: AppAuthStrategy }
  | { readonly kind: 'authServer'; readonly authServer: AuthServerResources };

export interface AdoptOptions {
  /** The kongctl namespace to adopt into (ignored for an auth server). */
  readonly namespace: string;
  /** kongctl's `--overwrite-namespace`: replace another namespace the resource already has. */
  readonly overwriteNamespace?: boolean | undefined;
  /** The config file's current text; empty or undefined for a new file. */
  readonly fileText?: string | undefined;
  /** A new file's first comment line(s). */
  readonly comment?: string | undefined;
}

export interface Adoption {
  /** The file's text with the entry added. */
  readonly text: string;
  /** One replacement that turns the old text into the new one. */
  readonly edit: TextEditResult['edit'];
  readonly section: Section;
  readonly ref: string;
  readonly name: string;
  readonly id: string;
  /**
   * The labels PATCH body for Konnect (only `KONGCTL-namespace`); undefined when nothing is to be labelled (already
   * in that namespace, or an auth server).
   */
  readonly labels: Readonly<Record<string, string>> | undefined;
  /** The namespace the resource had before (undefined: none). */
  readonly previousNamespace: string | undefined;
  /** The variables the entry's `!secret` references name (to store before creating it elsewhere). */
  readonly secretNames: readonly string[];
}

/** Why a resource cannot be adopted as asked; nothing was written or labelled. */
export class AdoptRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdoptRefusedError';
  }
}

/** A value for the `KONGCTL-namespace` label: what Konnect accepts as a label value, without spaces. */
const NAMESPACE_RE = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;

export function namespaceProblem(ns: string): string | undefined {
  if (!ns) return 'A kongctl namespace is required.';
  if (!NAMESPACE_RE.test(ns))
    return `"${ns}" is not a kongctl namespace: 1 to 63 letters, digits, ".", "_" or "-", starting and ending with a letter or digit.`;
  return undefined;
}

const SECTION: Record<AdoptSubject['kind'], Section> = {
  provider: 'dcr_providers',
  strategy: 'application_auth_strategies',
  authServer: 'kong_identity_auth_servers',
};

const WHAT: Record<AdoptSubject['kind'], string> = {
  provider: 'DCR provider',
  strategy: 'auth strategy',
  authServer: 'Kong Identity auth server',
};

function subjectOf(s: AdoptSubject): { id: string; name: string; labels: Readonly<Record<string, string>> } {
  const r = s.kind === 'provider' ? s.provider : s.kind === 'strategy' ? s.strategy : s.authServer.authServer;
  return { id: r.id, name: r.name, labels: r.labels ?? {} };
}

interface FileFacts {
  readonly doc: Document;
  /** `_defaults.kongctl.namespace`, else kongctl's "default". */
  readonly defaultNamespace: string;
  readonly refs: Set<string>;
  /** Entry names per section, and each entry's ref. */
  readonly entries: Map<Section, { name: unknown; ref: unknown }[]>;
}

function factsOf(text: string): FileFacts {
  const doc = parseDocument(text);
  if (doc.errors.length)
    throw new AdoptRefusedError(`The config file has YAML errors; fix them first (${doc.errors[0]!.message}).`);
  const root = doc.toJS({ maxAliasCount: 100 }) as unknown;
  if (root !== null && root !== undefined && (typeof root !== 'object' || Array.isArray(root)))
    throw new AdoptRefusedError('The config file is not a YAML mapping.');
  const obj = (root ?? {}) as Record<string, unknown>;
  const defaults = obj['_defaults'] as { kongctl?: { namespace?: unknown } } | undefined;
  const ns = defaults?.kongctl?.namespace;
  const entries = new Map<Section, { name: unknown; ref: unknown }[]>();
  const refs = new Set<string>();
  for (const section of Object.values(SECTION)) {
    const list = Array.isArray(obj[section]) ? (obj[section] as unknown[]) : [];
    const mapped = list.map((e) => {
      const o = e && typeof e === 'object' ? (e as Record<string, unknown>) : {};
      if (typeof o['ref'] === 'string') refs.add(o['ref']);
      return { name: o['name'], ref: o['ref'] };
    });
    entries.set(section, mapped);
  }
  return { doc, defaultNamespace: typeof ns === 'string' ? ns : DEFAULT_NAMESPACE, refs, entries };
}

/** The entry the renderer writes for the subject (with the namespace label it will have), as a form value. */
function renderedEntry(
  s: AdoptSubject,
  labels: Readonly<Record<string, string>>,
): { value: Record<string, FormValue>; secretNames: readonly string[] } {
  const out =
    s.kind === 'provider'
      ? renderKongctlYaml({ providers: [{ ...s.provider, labels: { ...labels } }] })
      : s.kind === 'strategy'
        ? renderKongctlYaml({ strategies: [{ ...s.strategy, labels: { ...labels } }] })
        : renderKongctlYaml({ authServers: [s.authServer] });
  const doc = parseDocument(out.text);
  const seq = doc.get(SECTION[s.kind], true);
  if (!isSeq(seq) || !isMap(seq.items[0])) throw new Error(`the renderer wrote no ${SECTION[s.kind]} entry`);
  const value = toFormValue(seq.items[0] as YAMLMap, doc);
  if (!value || typeof value !== 'object' || Array.isArray(value) || isTaggedFormValue(value))
    throw new Error('the rendered entry is not a mapping');
  return { value: value as Record<string, FormValue>, secretNames: out.secretNames };
}

function uniqueRef(ref: string, used: ReadonlySet<string>): string {
  let r = ref;
  for (let n = 2; used.has(r); n++) r = `${ref}-${n}`;
  return r;
}

/**
 * What adopting `subject` into the file means: the file's new text and the labels to set in Konnect (pure: the caller
 * writes the file and sends the PATCH). Throws AdoptRefusedError when it cannot be done as asked.
 */
export function adoptionOf(subject: AdoptSubject, opts: AdoptOptions): Adoption {
  const { id, name, labels } = subjectOf(subject);
  const section = SECTION[subject.kind];
  const what = WHAT[subject.kind];
  const withNamespace = subject.kind !== 'authServer';
  const ns = opts.namespace;
  if (withNamespace) {
    const problem = namespaceProblem(ns);
    if (problem) throw new AdoptRefusedError(problem);
  }
  const previous = labels[NAMESPACE_LABEL];
  if (withNamespace && previous !== undefined && previous !== ns && !opts.overwriteNamespace)
    throw new AdoptRefusedError(
      `The ${what} "${name}" is already managed in the kongctl namespace "${previous}" (label ${NAMESPACE_LABEL}); ` +
        `kongctl adopt refuses it too unless the namespace is overwritten.`,
    );

  const isNew = !opts.fileText?.trim();
  let text = opts.fileText ?? '';
  if (isNew) {
    const head = (opts.comment ?? '')
      .split('\n')
      .filter(Boolean)
      .map((l) => `# ${l}\n`)
      .join('');
    const defaults =
      withNamespace && ns !== DEFAULT_NAMESPACE ? stringify({ _defaults: { kongctl: { namespace: ns } } }) : '';
    text = head + defaults;
  }
  const facts = factsOf(text);
  const same = facts.entries.get(section)!.find((e) => e.name === name);
  if (same)
    throw new AdoptRefusedError(
      `The config file already has the ${what} "${name}"${typeof same.ref === 'string' ? ` (ref ${same.ref})` : ''}: it is already this file's.`,
    );

  const wanted = withNamespace ? { ...labels, [NAMESPACE_LABEL]: ns } : labels;
  const { value, secretNames } = renderedEntry(subject, wanted);
  const entry: Record<string, FormValue> = { ...value };
  const rendered = typeof entry['ref'] === 'string' ? entry['ref'] : 'resource';
  const ref = uniqueRef(rendered, facts.refs);
  entry['ref'] = ref;
  // the file's namespace covers the entry: say it only where it differs (as Pull does with _defaults)
  const meta = entry['kongctl'];
  if (withNamespace && meta && typeof meta === 'object' && !Array.isArray(meta) && !isTaggedFormValue(meta)) {
    const m = { ...(meta as Record<string, FormValue>) };
    if (m['namespace'] === facts.defaultNamespace) delete m['namespace'];
    if (Object.keys(m).length) entry['kongctl'] = m;
    else delete entry['kongctl'];
  }
  // a strategy points at its provider's entry when the file has one (by name), else at the provider's id
  if (subject.kind === 'strategy' && typeof entry['dcr_provider_id'] === 'string') {
    const providerName = subject.strategy.dcr_provider?.name;
    const p = facts.entries.get('dcr_providers')!.find((e) => providerName !== undefined && e.name === providerName);
    if (p && typeof p.ref === 'string') entry['dcr_provider_id'] = { $tag: '!ref', value: p.ref };
  }

  const written = writeEntry(text, { section }, entry);
  return {
    text: written.text,
    edit: minimalEdit(opts.fileText ?? '', written.text),
    section,
    ref,
    name,
    id,
    labels: withNamespace && previous !== ns ? { [NAMESPACE_LABEL]: ns } : undefined,
    previousNamespace: previous,
    secretNames,
  };
}

/** The namespaces a file offers for adoption: `_defaults`' first (else "default"), then its entries' own. */
export function namespacesOf(fileText: string | undefined): string[] {
  if (!fileText?.trim()) return [DEFAULT_NAMESPACE];
  let obj: Record<string, unknown> = {};
  try {
    const js = parseDocument(fileText).toJS({ maxAliasCount: 100 }) as unknown;
    if (js && typeof js === 'object' && !Array.isArray(js)) obj = js as Record<string, unknown>;
  } catch {
    return [DEFAULT_NAMESPACE];
  }
  const defaults = (obj['_defaults'] as { kongctl?: { namespace?: unknown } } | undefined)?.kongctl?.namespace;
  const out = [typeof defaults === 'string' ? defaults : DEFAULT_NAMESPACE];
  for (const section of ['dcr_providers', 'application_auth_strategies'])
    for (const e of Array.isArray(obj[section]) ? (obj[section] as unknown[]) : []) {
      const ns = (e as { kongctl?: { namespace?: unknown } } | null)?.kongctl?.namespace;
      if (typeof ns === 'string' && !out.includes(ns)) out.push(ns);
    }
  return out;
}

/**
 * The Konnect half of an adoption: the resource fetched again by id (it must still be the one that was rendered),
 * then the labels PATCH (only `KONGCTL-namespace`; every other field is left as it is). Returns the labels it has now.
 */
export async function labelAdopted(
  client: KonnectClient,
  adoption: Pick<Adoption, 'section' | 'id' | 'labels'>,
  signal?: AbortSignal,
): Promise<Readonly<Record<string, string>>> {
  const opts = signal ? { signal } : {};
  if (adoption.section === 'dcr_providers') {
    if (!adoption.labels) return (await client.dcrProviders.get(adoption.id, opts)).labels ?? {};
    return (await client.dcrProviders.update(adoption.id, { labels: { ...adoption.labels } }, opts)).labels ?? {};
  }
  if (adoption.section === 'application_auth_strategies') {
    if (!adoption.labels) return (await client.authStrategies.get(adoption.id, opts)).labels ?? {};
    return (await client.authStrategies.update(adoption.id, { labels: { ...adoption.labels } }, opts)).labels ?? {};
  }
  return (await client.identity.authServers.get(adoption.id, opts)).labels ?? {};
}
