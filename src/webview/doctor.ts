/**
 * The "DCR Doctor" report page (dist/webview/doctor.js): a verdict naming the object at fault first (kind, name,
 * id), then each link of the chain green / red / unknown / not applicable with its detail, its object and its fix
 * buttons. DOM calls only (textContent, never innerHTML): nothing from the report can become markup.
 */
import type { DoctorCommand, DoctorViewModel, ShowDoctor } from '../shared/doctor/protocol';
import type { WebviewToHost } from '../shared/protocol';
import { h, rich, type VsCodeApi } from './shared/dom';

declare function acquireVsCodeApi(): VsCodeApi;

type Link = DoctorViewModel['links'][number];
type Obj = DoctorViewModel['subject'];

const ICONS: Record<Link['status'], string> = { pass: '✓', fail: '✗', unknown: '?', skip: '–' };
const STATUS_TEXT: Record<Link['status'], string> = {
  pass: 'holds',
  fail: 'broken',
  unknown: 'unknown',
  skip: 'not applicable',
};

function objectLine(o: Obj, cls = 'object'): HTMLElement {
  return h(
    'p',
    { class: cls, 'data-kind': o.kind, 'data-id': o.id },
    h('span', { class: 'kind' }, o.kindLabel),
    ' ',
    h('strong', { class: 'name' }, o.name),
    ' ',
    h('code', { class: 'id' }, o.id),
  );
}

function hero(m: DoctorViewModel, post: (c: DoctorCommand) => void): HTMLElement {
  const cls = m.verdict;
  const title =
    m.verdict === 'pass'
      ? 'The DCR chain holds'
      : m.verdict === 'fail'
        ? `Broken: ${m.culprit?.linkTitle ?? ''}`
        : m.verdict === 'running'
          ? 'Diagnosing…'
          : 'No broken link found, but some could not be checked';
  const counts = (['pass', 'fail', 'unknown', 'skip'] as const)
    .map((s) => [s, m.links.filter((l) => l.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${STATUS_TEXT[s]}`)
    .join(' · ');
  return h(
    'header',
    { class: `hero ${cls}`, id: 'verdict', 'data-verdict': m.verdict },
    h(
      'div',
      { class: 'badge-big', 'aria-hidden': 'true' },
      m.verdict === 'pass' ? '✓' : m.verdict === 'fail' ? '✗' : '?',
    ),
    h(
      'div',
      { class: 'hero-text' },
      h('h1', {}, title),
      m.culprit?.object ? objectLine(m.culprit.object, 'culprit') : undefined,
      m.culprit ? h('p', { class: 'culprit-detail' }, rich(m.culprit.detail)) : undefined,
      h(
        'p',
        { class: 'muted subject' },
        `Diagnosed ${m.subject.kindLabel.toLowerCase()} "${m.subject.name}"`,
        m.publication ? ` through "${m.publication.apiName}" in the portal "${m.publication.portalName}"` : '',
        m.otherPublications
          ? ` (${m.otherPublications} other publication${m.otherPublications > 1 ? 's' : ''} not walked)`
          : '',
        ` · ${counts} · ${Math.round(m.ms)} ms · ${m.at}`,
      ),
      h(
        'div',
        { class: 'actions' },
        button('Diagnose again', 'secondary', () => post({ type: 'command', method: 'doctor/rerun', params: {} })),
        button('Show log', 'secondary', () => post({ type: 'command', method: 'doctor/showLog', params: {} })),
      ),
    ),
  );
}

function button(
  label: string,
  cls: string,
  onClick: () => void,
  attrs: Record<string, string> = {},
): HTMLButtonElement {
  const b = h('button', { type: 'button', class: cls, ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

function linkItem(m: DoctorViewModel, l: Link, first: boolean, post: (c: DoctorCommand) => void): HTMLElement {
  return h(
    'li',
    { class: `link ${l.status}${first ? ' first' : ''}`, 'data-link': l.id, 'data-status': l.status },
    h('span', { class: 'badge', title: STATUS_TEXT[l.status], 'aria-label': STATUS_TEXT[l.status] }, ICONS[l.status]),
    h(
      'div',
      { class: 'body' },
      h('h2', {}, `${l.index}. ${l.title}`, h('span', { class: 'status' }, STATUS_TEXT[l.status])),
      l.object ? objectLine(l.object) : undefined,
      h('p', { class: 'detail' }, rich(l.detail)),
      l.fixes.length
        ? h(
            'div',
            { class: 'fixes' },
            ...l.fixes.map((f, i) =>
              button(
                f.label,
                l.status === 'fail' && i === 0 ? 'primary' : 'secondary',
                () => post({ type: 'command', method: 'doctor/fix', params: { link: l.id, fix: i, seq: m.seq } }),
                { 'data-fix': f.kind },
              ),
            ),
          )
        : undefined,
    ),
  );
}

function render(root: HTMLElement, m: DoctorViewModel, post: (c: DoctorCommand) => void): void {
  const firstBroken = m.links.find((l) => l.status === 'fail')?.id;
  root.replaceChildren(
    hero(m, post),
    h(
      'ol',
      { class: 'chain', 'aria-label': 'The DCR chain, link by link' },
      ...m.links.map((l) => linkItem(m, l, l.id === firstBroken, post)),
    ),
  );
  root.setAttribute('aria-busy', 'false');
}

export function mountDoctorView(vscode: VsCodeApi): void {
  const root = document.getElementById('app') ?? document.body;
  const post = (c: DoctorCommand): void => vscode.postMessage(c);
  let shown = -1;
  const saved = vscode.getState() as DoctorViewModel | undefined;
  if (saved && typeof saved === 'object' && Array.isArray(saved.links)) {
    render(root, saved, post);
    shown = saved.seq;
  }
  window.addEventListener('message', (ev: MessageEvent<unknown>) => {
    const msg = ev.data as Partial<ShowDoctor> | undefined;
    if (msg?.type !== 'notification' || msg.method !== 'doctor/show' || !msg.params) return;
    if (msg.params.seq < shown) return;
    shown = msg.params.seq;
    vscode.setState(msg.params);
    render(root, msg.params, post);
    document.body.dataset['rendered'] = String(msg.params.seq);
    document.body.dataset['verdict'] = msg.params.verdict;
  });
}

const api = acquireVsCodeApi();
mountDoctorView(api);
const ready: WebviewToHost = { type: 'ready', view: document.body.dataset['view'] ?? 'doctor' };
api.postMessage(ready);
