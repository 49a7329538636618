/**
 * A config file parsed with positions: the `yaml` AST (comments and tags kept), a LineCounter for offsets → line /
 * character, and the **JSON view** every validator sees.
 *
 * The JSON view is what a YAML language server sees once the custom tags are declared (`yaml.customTags`): the tags
 * are dropped and the tagged value stays. So `!ref okta-dcr` is the string `okta-dcr`, `!secret {source: !env X}` is
 * the object `{source: 'X'}`. The zod schema (schema.ts) validates this view at run time, and the JSON Schema
 * generated from it validates the same view in the editor. `!env` and `!file` in their map forms (`{var, extract}`,
 * `{path, extract}`) are folded to their string form (`VAR#extract`, `path#extract`) because they stand for a string.
 * What the tags say is checked separately, on the AST (analyze.ts).
 */
import {
  Scalar,
  YAMLMap,
  YAMLSeq,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Node,
  type Pair,
  type ParsedNode,
} from 'yaml';
import { KNOWN_TAGS } from './tags';

/** 0-based, UTF-16 code units (what VS Code uses). */
export interface Position {
  readonly line: number;
  readonly character: number;
}
export interface Range {
  readonly start: Position;
  readonly end: Position;
}
export type PathSegment = string | number;
export type Path = readonly PathSegment[];

export interface SyntaxProblem {
  readonly range: Range;
  readonly message: string;
  readonly severity: 'error' | 'warning';
  readonly code: string;
}

/** The view of a value for forms: tags kept as `{ $tag, value }` so a form can show "reference to …" and write it back. */
export type FormValue = string | number | boolean | null | FormValue[] | { [key: string]: FormValue } | TaggedFormValue;
export interface TaggedFormValue {
  readonly $tag: string;
  readonly value: FormValue;
}

export function isTaggedFormValue(v: unknown): v is TaggedFormValue {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    typeof (v as { $tag?: unknown }).$tag === 'string' &&
    'value' in v
  );
}

/** The three resource lists of the format (kongctl's two, plus Kong Identity). */
export const SECTIONS = ['kong_identity_auth_servers', 'dcr_providers', 'application_auth_strategies'] as const;
export type Section = (typeof SECTIONS)[number];

export interface EntryInfo {
  readonly section: Section;
  readonly index: number;
  readonly ref: string | undefined;
  readonly name: string | undefined;
  /** The entry with its tags (for forms). */
  readonly value: FormValue;
  /** The entry's range in the file. */
  readonly range: Range;
}

/**
 * Offsets where lines start: after each \n (so \r\n too). A lone \r never reaches us from an editor: VS Code
 * normalizes a document's line ends when it loads it.
 */
function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** How many nodes alias expansion may produce for the view (an "alias bomb" stops here, as yaml's maxAliasCount does). */
export const MAX_VIEW_NODES = 100_000;

/** Why the view could not be built (a recursive alias, an alias bomb), and where. */
export class ViewError extends Error {
  constructor(
    message: string,
    readonly node: Node | undefined,
  ) {
    super(message);
    this.name = 'ViewError';
  }
}

export class ConfigDocument {
  readonly doc: Document.Parsed;
  /** Offsets of line starts, computed from the text itself. */
  readonly lineStarts: readonly number[];
  /** The tag-free JSON view (see the header). `undefined` for an empty file or when it cannot be built (`viewError`). */
  readonly view: unknown;
  readonly viewError: ViewError | undefined;

  private constructor(readonly text: string) {
    this.lineStarts = lineStartsOf(text);
    this.doc = parseDocument(text, { prettyErrors: false, keepSourceTokens: false });
    let view: unknown;
    let viewError: ViewError | undefined;
    try {
      view = this.doc.contents ? toView(this.doc.contents, this.doc) : undefined;
    } catch (err) {
      if (!(err instanceof ViewError)) throw err;
      viewError = err;
    }
    this.view = view;
    this.viewError = viewError;
  }

  static parse(text: string): ConfigDocument {
    return new ConfigDocument(text);
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - starts[lo]! };
  }

  offset(pos: Position): number {
    const starts = this.lineStarts;
    const lineStart = starts[Math.min(pos.line, starts.length - 1)] ?? 0;
    return Math.min(this.text.length, lineStart + pos.character);
  }

  rangeOf(node: Node | undefined): Range {
    const r = node?.range;
    if (!r) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return { start: this.position(r[0]), end: this.position(r[1]) };
  }

  /** The node at a path of the JSON view (aliases followed). */
  nodeAt(path: Path): Node | undefined {
    let node: unknown = this.doc.contents;
    for (const seg of path) {
      node = this.deref(node);
      if (typeof seg === 'number' && isSeq(node)) node = node.items[seg];
      else if (isMap(node)) node = findPair(node, String(seg))?.value;
      else return undefined;
    }
    return (this.deref(node) as Node | undefined) ?? undefined;
  }

  /** The key/value pair a path ends in (undefined for list items and the root). */
  pairAt(path: Path): Pair<ParsedNode, ParsedNode | null> | undefined {
    if (!path.length) return undefined;
    const parent = this.nodeAt(path.slice(0, -1));
    const last = path[path.length - 1]!;
    return isMap(parent)
      ? (findPair(parent, String(last)) as Pair<ParsedNode, ParsedNode | null> | undefined)
      : undefined;
  }

  /** The value's range, or (for a key with no value) the key's. Falls back to the nearest existing ancestor. */
  valueRange(path: Path): Range {
    for (let n = path.length; n >= 0; n--) {
      const sub = path.slice(0, n);
      const node = this.nodeAt(sub);
      if (node?.range && (n === path.length || n === 0 || !this.isContainer(node))) return this.rangeOf(node);
      const pair = this.pairAt(sub);
      if (pair && isNodeWithRange(pair.key)) return this.rangeOf(pair.key);
      if (node?.range) return this.headRange(node);
    }
    return this.rangeOf(undefined);
  }

  /** The key's range (for unknown or misplaced keys); the value's for list items. */
  keyRange(path: Path): Range {
    const pair = this.pairAt(path);
    if (pair && isNodeWithRange(pair.key)) return this.rangeOf(pair.key);
    return this.valueRange(path);
  }

  /**
   * Where to report something missing inside the mapping at `path`: the key that holds the mapping, or for a list
   * item, its first key.
   */
  ownerRange(path: Path): Range {
    const pair = this.pairAt(path);
    if (pair && isNodeWithRange(pair.key)) return this.rangeOf(pair.key);
    const node = this.nodeAt(path);
    if (node) return this.headRange(node);
    return this.valueRange(path);
  }

  /** The first line of a collection (its first key, or the whole node when it is small). */
  private headRange(node: Node): Range {
    if (isMap(node) && node.items.length) {
      const first = node.items[0]!;
      if (isNodeWithRange(first.key)) return this.rangeOf(first.key);
    }
    if (isSeq(node) && node.items.length && isNodeWithRange(node.items[0]))
      return this.headRange(node.items[0] as Node);
    return this.rangeOf(node);
  }

  private isContainer(node: Node): boolean {
    return (isMap(node) || isSeq(node)) && (node as YAMLMap | YAMLSeq).items.length > 0;
  }

  private deref(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.doc) : node;
  }

  /** The custom tag of the node at a path (`!ref`, `!secret`, …), if any. */
  tagAt(path: Path): string | undefined {
    return this.nodeAt(path)?.tag;
  }

  /** YAML syntax errors and warnings; unresolved known tags (`!ref` …) are not problems. */
  syntaxProblems(): SyntaxProblem[] {
    const out: SyntaxProblem[] = [];
    for (const e of this.doc.errors) {
      out.push({
        range: this.errorRange(e.pos),
        message: yamlMessage(e.code, e.message),
        severity: 'error',
        code: 'yaml-syntax',
      });
    }
    if (this.viewError) {
      out.push({
        range: this.rangeOf(this.viewError.node),
        message: this.viewError.message,
        severity: 'error',
        code: 'yaml-alias',
      });
    }
    for (const w of this.doc.warnings) {
      if (w.code === 'TAG_RESOLVE_FAILED') {
        const tag = this.text.slice(w.pos[0], w.pos[1]);
        if ((KNOWN_TAGS as readonly string[]).includes(tag)) continue;
        out.push({
          range: this.errorRange(w.pos),
          severity: 'warning',
          code: 'unknown-tag',
          message: `Unknown tag ${tag}: kongctl understands only ${KNOWN_TAGS.join(', ')} and rejects a file with any other tag.`,
        });
        continue;
      }
      out.push({
        range: this.errorRange(w.pos),
        message: yamlMessage(w.code, w.message),
        severity: 'warning',
        code: 'yaml-syntax',
      });
    }
    return out;
  }

  private errorRange(pos: [number, number]): Range {
    const end = pos[1] > pos[0] ? pos[1] : Math.min(this.text.length, pos[0] + 1);
    return { start: this.position(pos[0]), end: this.position(end) };
  }

  /** The resource entry (of one of the three sections) a line falls in, for forms. */
  entryAt(line: number): EntryInfo | undefined {
    if (this.viewError) return undefined;
    const root = this.doc.contents;
    if (!isMap(root)) return undefined;
    for (const section of SECTIONS) {
      const seq = this.deref(findPair(root, section)?.value);
      if (!isSeq(seq)) continue;
      for (let index = 0; index < seq.items.length; index++) {
        const item = this.deref(seq.items[index]) as Node | undefined;
        if (!item?.range) continue;
        const range = this.rangeOf(item);
        const endLine =
          range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
        if (line < range.start.line || line > endLine) continue;
        const value = toFormValue(item, this.doc);
        const plain = toView(item, this.doc) as Record<string, unknown> | undefined;
        return {
          section,
          index,
          range,
          value,
          ref: typeof plain?.['ref'] === 'string' ? plain['ref'] : undefined,
          name: typeof plain?.['name'] === 'string' ? plain['name'] : undefined,
        };
      }
    }
    return undefined;
  }
}

function isNodeWithRange(n: unknown): n is Node {
  return !!n && typeof n === 'object' && Array.isArray((n as Node).range);
}

function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => keyString(p.key) === key) as Pair | undefined;
}

function keyString(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

function yamlMessage(code: string, message: string): string {
  const first = message.split('\n')[0] ?? message;
  const plain = first.replace(/ at line \d+, column \d+:?$/, '');
  switch (code) {
    case 'DUPLICATE_KEY':
      return `${plain}: each key may appear only once in a mapping.`;
    case 'MULTIPLE_DOCS':
      return 'This file has several YAML documents (---): a config file holds one.';
    default:
      return plain;
  }
}

interface ViewWalk {
  readonly doc: Document;
  readonly active: Set<unknown>;
  /** Each alias resolved once: yaml's resolve() searches the whole document every time. */
  readonly targets: Map<unknown, unknown>;
  count: number;
  alias: Node | undefined;
}

/**
 * The tag-free JSON view of a node (see the header). Aliases are followed; a recursive alias and an expansion past
 * MAX_VIEW_NODES nodes throw a ViewError that names the alias.
 */
export function toView(node: unknown, doc: Document): unknown {
  return viewOf(node, { doc, active: new Set(), targets: new Map(), count: 0, alias: undefined });
}

function viewOf(node: unknown, w: ViewWalk): unknown {
  if (++w.count > MAX_VIEW_NODES)
    throw new ViewError(
      `YAML aliases expand this file to more than ${MAX_VIEW_NODES} values: refused (an "alias bomb"?).`,
      w.alias,
    );
  if (isAlias(node)) {
    let target = w.targets.get(node);
    if (target === undefined) {
      target = node.resolve(w.doc) ?? null;
      w.targets.set(node, target);
    }
    if (w.active.has(target))
      throw new ViewError(
        `The alias *${node.source} refers to the node that contains it: a recursive alias has no value.`,
        node,
      );
    const outer = w.alias;
    w.alias ??= node;
    try {
      return viewOf(target, w);
    } finally {
      w.alias = outer;
    }
  }
  if (isScalar(node)) return node.value instanceof Date ? (node.source ?? String(node.value)) : (node.value ?? null);
  if (!isMap(node) && !isSeq(node)) return isPair(node) ? viewOf(node.value, w) : null;
  w.active.add(node);
  try {
    if (isMap(node)) {
      if (node.tag === '!env' || node.tag === '!file') return foldedTagString(node, w);
      const out: Record<string, unknown> = {};
      for (const p of node.items) out[keyString(p.key)] = viewOf(p.value, w);
      return out;
    }
    return node.items.map((i) => viewOf(i, w));
  } finally {
    w.active.delete(node);
  }
}

/** `!env {var: X, extract: a.b}` → `X#a.b`; `!file {path: p, extract: e}` → `p#e`. */
function foldedTagString(map: YAMLMap, w: ViewWalk): string {
  const v: Record<string, unknown> = {};
  for (const p of map.items) v[keyString(p.key)] = viewOf(p.value, w);
  const main = map.tag === '!env' ? v['var'] : v['path'];
  const extract = v['extract'];
  return `${typeof main === 'string' ? main : ''}${typeof extract === 'string' && extract ? `#${extract}` : ''}`;
}

/** A node as a FormValue: like the JSON view, but tags are kept as `{ $tag, value }`. */
export function toFormValue(node: unknown, doc: Document): FormValue {
  if (isAlias(node)) return toFormValue(node.resolve(doc), doc);
  let v: FormValue;
  if (isScalar(node)) v = toView(node, doc) as FormValue;
  else if (isMap(node)) {
    const out: Record<string, FormValue> = {};
    for (const p of node.items) out[keyString(p.key)] = toFormValue(p.value, doc);
    v = out;
  } else if (isSeq(node)) v = node.items.map((i) => toFormValue(i, doc));
  else v = null;
  const tag = (node as Node | null)?.tag;
  return tag && tag.startsWith('!') && !tag.startsWith('!!') ? { $tag: tag, value: v } : v;
}

/** Builds a YAML node from a FormValue (tags restored; `!secret` maps written in flow style, like kongctl's docs). */
export function fromFormValue(doc: Document, value: FormValue): Node {
  if (isTaggedFormValue(value)) {
    const inner = fromFormValue(doc, value.value);
    inner.tag = value.$tag;
    if (value.$tag === '!secret' && isMap(inner)) inner.flow = true;
    return inner;
  }
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    for (const v of value) seq.items.push(fromFormValue(doc, v));
    return seq;
  }
  if (value !== null && typeof value === 'object') {
    const map = new YAMLMap();
    for (const [k, v] of Object.entries(value))
      map.items.push(doc.createPair(k, fromFormValue(doc, v)) as Pair<unknown, unknown>);
    return map;
  }
  return new Scalar(value);
}

export interface EntryTarget {
  readonly section: Section;
  /** Replace the entry at this index; append a new one when absent. */
  readonly index?: number | undefined;
}

export interface TextEditResult {
  readonly text: string;
  /** One replacement (offsets into the old text) that turns the old text into the new one. */
  readonly edit: { readonly start: number; readonly end: number; readonly newText: string };
}

/**
 * Writes an entry back (for forms): replaces the entry at `index` in place, key by key, so that comments and the order
 * of keys the form did not touch survive; or appends a new entry (creating the section when needed).
 */
export function writeEntry(text: string, target: EntryTarget, value: FormValue): TextEditResult {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length)
    throw new Error(
      `The file has YAML errors; fix them before writing an entry (${yamlMessage(doc.errors[0]!.code, doc.errors[0]!.message)}).`,
    );
  if (!doc.contents || !isMap(doc.contents)) {
    if (doc.contents && !(isScalar(doc.contents) && doc.contents.value === null))
      throw new Error('The file is not a YAML mapping.');
    doc.contents = new YAMLMap() as unknown as typeof doc.contents;
  }
  const root = doc.contents as unknown as YAMLMap;
  let seq = root.get(target.section, true) as unknown;
  if (!isSeq(seq)) {
    seq = new YAMLSeq();
    root.set(target.section, seq);
  }
  const items = (seq as YAMLSeq).items;
  const index = target.index ?? items.length;
  if (target.index === undefined) items.push(fromFormValue(doc, value));
  else {
    const current = items[target.index];
    if (current === undefined) throw new RangeError(`There is no entry #${target.index + 1} in ${target.section}.`);
    items[target.index] = mergeNode(doc, current, value);
  }
  const rendered = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  // Keep every other byte of the file as it was: only the entry's own text changes.
  const next = spliceEntry(text, rendered, target.section, index, target.index === undefined) ?? rendered;
  return { text: next, edit: minimalEdit(text, next) };
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** Lines after the first shifted by `delta` columns (the first line starts where it is put). */
function reindent(block: string, delta: number): string {
  if (!delta) return block;
  return block
    .split('\n')
    .map((line, i) => {
      if (i === 0 || !line) return line;
      return delta > 0 ? ' '.repeat(delta) + line : line.slice(Math.min(-delta, line.length - line.trimStart().length));
    })
    .join('\n');
}

/**
 * The old text with only one entry replaced (or appended) by its rendering in `rendered`, re-indented to the old
 * file's indentation. Undefined when the shapes do not allow it (the caller then uses the whole rendering).
 */
function spliceEntry(
  old: string,
  rendered: string,
  section: Section,
  index: number,
  appended: boolean,
): string | undefined {
  const a = parseDocument(old);
  const b = parseDocument(rendered);
  const nb = b.getIn([section, index], true) as Node | undefined;
  if (!nb?.range) return undefined;
  let item = rendered.slice(nb.range[0], nb.range[1]);
  if (!item.endsWith('\n')) item += '\n';
  const oldSeq = a.get(section, true) as unknown;
  if (!appended) {
    const na = (isSeq(oldSeq) ? oldSeq.items[index] : undefined) as Node | undefined;
    if (!na?.range) return undefined;
    const text = reindent(item, columnOf(old, na.range[0]) - columnOf(rendered, nb.range[0]));
    const end = na.range[1];
    return old.slice(0, na.range[0]) + (old[end - 1] === '\n' ? text : text.replace(/\n$/, '')) + old.slice(end);
  }
  if (isSeq(oldSeq) && oldSeq.items.length && !oldSeq.flow) {
    const last = oldSeq.items[oldSeq.items.length - 1] as Node | undefined;
    if (!last?.range) return undefined;
    const col = columnOf(old, last.range[0]);
    const dash = old.lastIndexOf('-', last.range[0] - 1);
    const dashCol = columnOf(old, dash);
    if (dash < 0 || col <= dashCol) return undefined;
    const text = `${' '.repeat(dashCol)}-${' '.repeat(col - dashCol - 1)}${reindent(item, col - columnOf(rendered, nb.range[0]))}`;
    const at = last.range[1];
    return old[at - 1] === '\n'
      ? old.slice(0, at) + text + old.slice(at)
      : `${old.slice(0, at)}\n${text.replace(/\n$/, '')}${old.slice(at)}`;
  }
  if (oldSeq === undefined) {
    // the section is new: it is the tail of the rendering
    const pair = (b.contents as YAMLMap).items.find((p) => keyString(p.key) === section);
    const start = (pair?.key as Node | undefined)?.range?.[0];
    if (start === undefined) return undefined;
    const base = old.length && !old.endsWith('\n') ? `${old}\n` : old;
    return `${base}${base.trim() ? '\n' : ''}${rendered.slice(start)}`;
  }
  return undefined;
}

/** Updates `node` to hold `value`, keeping nodes (and their comments) whose content did not change. */
function mergeNode(doc: Document, node: unknown, value: FormValue): unknown {
  const tag = isTaggedFormValue(value) ? value.$tag : undefined;
  const inner = isTaggedFormValue(value) ? value.value : value;
  const nodeTag = (node as Node | null)?.tag;
  const sameTag = (tag ?? null) === (nodeTag && !nodeTag.startsWith('!!') ? nodeTag : null);
  if (
    sameTag &&
    isMap(node) &&
    inner !== null &&
    typeof inner === 'object' &&
    !Array.isArray(inner) &&
    !isTaggedFormValue(inner)
  ) {
    const wanted = inner as Record<string, FormValue>;
    node.items = node.items.filter((p) => keyString(p.key) in wanted);
    for (const [k, v] of Object.entries(wanted)) {
      const pair = findPair(node, k);
      if (pair) pair.value = mergeNode(doc, pair.value, v);
      else node.items.push(doc.createPair(k, fromFormValue(doc, v)) as Pair<unknown, unknown>);
    }
    return node;
  }
  if (sameTag && isScalar(node) && (inner === null || typeof inner !== 'object')) {
    if (node.value !== inner) node.value = inner;
    return node;
  }
  const fresh = fromFormValue(doc, value);
  const old = node as Node | null;
  if (old && typeof old === 'object') {
    if (old.commentBefore) fresh.commentBefore = old.commentBefore;
    if (old.comment) fresh.comment = old.comment;
  }
  return fresh;
}

/** The smallest single replacement that turns `a` into `b`. */
export function minimalEdit(a: string, b: string): TextEditResult['edit'] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  return { start, end: endA, newText: b.slice(start, endB) };
}
