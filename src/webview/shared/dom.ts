/**
 * What the view-model pages (response view, Prove DCR report, DCR Doctor report) share: the webview API's shape and
 * DOM building with text only (textContent, never innerHTML): nothing a model carries can become markup. Each page
 * still declares `acquireVsCodeApi` itself: it is a global of the webview, not something a module can export.
 */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

export type Child = Node | string | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') el.className = v;
    else el.setAttribute(k, v);
  }
  for (const c of children) if (c !== undefined && c !== false) el.append(c);
  return el;
}

/** Text with `backtick` spans as <code>: still only text nodes. */
export function rich(text: string): DocumentFragment {
  const f = document.createDocumentFragment();
  text.split(/(`[^`]+`)/).forEach((part) => f.append(/^`[^`]+`$/.test(part) ? h('code', {}, part.slice(1, -1)) : part));
  return f;
}
