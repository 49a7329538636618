/**
 * The "Prove DCR" report page (dist/webview/prove.js): a verdict, a time bar, the seven steps with their icons,
 * times and details, the explanation of a failure with a button to dig in with generated requests, the decoded
 * token with its checks, and the test application. DOM calls only (textContent, never innerHTML): nothing from the
 * report can become markup. The host sends models (already without secrets); the page sends button commands.
 */
import type { WebviewToHost } from '../shared/protocol';
import type { ProveCommand, ProveViewModel, ShowProve } from '../shared/prove/protocol';
import { h, rich, type VsCodeApi } from './shared/dom';

declare function acquireVsCodeApi(): VsCodeApi;

type Step = ProveViewModel['steps'][number];

const ms = (v: number | undefined): string =>
  v === undefined ? '' : v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(v < 10_000 ? 2 : 1)} s`;
const ICONS: Record<Step['status'], string> = { pass: '✓', fail: '✗', skip: '–', running: '●', pending: '○' };
const STATUS_TEXT: Record<Step['status'], string> = {
  pass: 'passed',
  fail: 'failed',
  skip: 'skipped',
  running: 'running',
  pending: 'waiting',
};

function verdict(m: ProveViewModel): { icon: string; text: string; cls: string } {
  if (m.verdict === 'running') return { icon: '●', text: 'Proving…', cls: 'running' };
  if (m.cancelled) return { icon: '–', text: 'Cancelled', cls: 'skip' };
  if (m.verdict === 'pass') return { icon: '✓', text: 'DCR proven', cls: 'pass' };
  if (m.failed) return { icon: '✗', text: `Failed at step ${m.failed.index}: ${m.failed.title}`, cls: 'fail' };
  return { icon: '–', text: 'Not proven: some steps did not run', cls: 'skip' };
}

function button(
  label: string,
  method: ProveCommand['method'],
  title: string,
  post: (c: ProveCommand) => void,
  primary = false,
): HTMLButtonElement {
  const b = h(
    'button',
    { type: 'button', title, class: primary ? 'primary' : 'secondary', 'data-method': method },
    label,
  );
  b.addEventListener('click', () => post({ type: 'command', method, params: {} } as ProveCommand));
  return b;
}

function hero(m: ProveViewModel, post: (c: ProveCommand) => void): HTMLElement {
  const v = verdict(m);
  const route = m.publication ? ` → API "${m.publication.apiName}" in portal "${m.publication.portalName}"` : '';
  const via = m.provider ? ` · ${m.provider.typeLabel} DCR provider "${m.provider.name}"` : '';
  const as = m.mode === 'admin' ? ' · admin mode (Portal Management)' : ' · developer mode (Portal API)';
  // Six steps prove DCR; the seventh only cleans up after them, so it is reported on its own.
  const passed = m.steps.filter((s) => s.status === 'pass' && s.id !== 'cleanup').length;
  const cleanup = m.steps.find((s) => s.id === 'cleanup');
  const cleanupText =
    cleanup?.status === 'pass'
      ? ' · test application deleted'
      : cleanup?.status === 'skip'
        ? ' · test application kept'
        : cleanup?.status === 'fail'
          ? m.application && !m.application.kept
            ? ' · its client was left behind at the identity provider'
            : ' · test application not deleted'
          : '';
  return h(
    'header',
    { class: `hero ${v.cls}`, id: 'verdict', 'data-verdict': m.cancelled ? 'cancelled' : m.verdict },
    h('div', { class: 'badge-big', 'aria-hidden': 'true' }, v.icon),
    h(
      'div',
      { class: 'hero-text' },
      h('h1', {}, v.text),
      h('p', { class: 'subject' }, h('strong', {}, m.strategy.name), via, route, as),
      h('p', { class: 'muted' }, `${passed} of 6 proof steps passed${cleanupText} · ${ms(m.ms)} · started ${m.at}`),
      h(
        'div',
        { class: 'actions' },
        m.verdict !== 'running' && m.canOpenHttp
          ? button(
              'Open .http requests',
              'prove/openHttp',
              'Write the token request and the gateway call of this strategy to a .http file, to send them one by one',
              post,
              m.verdict === 'fail',
            )
          : undefined,
        m.verdict !== 'running'
          ? button('Run again', 'prove/rerun', 'Prove DCR again with the same choices', post, m.verdict === 'pass')
          : undefined,
        button('Show log', 'prove/showLog', 'The Konnect DCR log (secrets redacted)', post),
      ),
    ),
  );
}

function timeBar(m: ProveViewModel): HTMLElement | undefined {
  const done = m.steps.filter((s) => s.ms !== undefined && s.ms > 0);
  const total = done.reduce((a, s) => a + (s.ms ?? 0), 0);
  if (!total) return undefined;
  const bar = h('div', { class: 'timebar', role: 'img', 'aria-label': 'time per step' });
  for (const s of done) {
    const seg = h(
      'span',
      { class: `seg ${s.status}`, title: `${s.index}. ${s.title}: ${ms(s.ms)}` },
      (s.ms ?? 0) / total > 0.08 ? String(s.index) : '',
    );
    seg.style.flexGrow = String(Math.max(s.ms ?? 0, total / 200));
    bar.append(seg);
  }
  return bar;
}

const DIG_STEPS = ['token', 'claims', 'gateway'];

function explanation(s: Step, m: ProveViewModel, post: (c: ProveCommand) => void): HTMLElement | undefined {
  const e = s.explanation;
  if (!e) return undefined;
  // the summary is usually the first finding's first sentence: say it once, in bold, with the rest after it
  const findings = [...e.findings];
  const first = findings[0];
  const lead = e.summary.replace(/\.$/, '');
  let rest: string | undefined;
  if (first && first.text.startsWith(lead)) {
    rest = first.text.slice(lead.length).replace(/^\.?\s*/, '');
    findings.shift();
  }
  const list = h('ul', { class: 'findings' });
  for (const f of findings)
    list.append(
      h(
        'li',
        { class: f.severity },
        h('span', { class: 'sev' }, f.severity === 'error' ? '✗' : f.severity === 'warning' ? '!' : 'i'),
        h('span', {}, rich(f.text)),
      ),
    );
  // one "dig in" button, on the first failed step the generated requests cover
  const firstDig = m.steps.find((x) => x.status === 'fail' && DIG_STEPS.includes(x.id));
  const dig =
    s.status === 'fail' && m.canOpenHttp && firstDig?.id === s.id
      ? h(
          'div',
          { class: 'actions' },
          button(
            'Dig in with the .http requests',
            'prove/openHttp',
            'The token request and the gateway call as a .http file (Send, Explain, Copy as curl)',
            post,
            true,
          ),
        )
      : undefined;
  return h(
    'div',
    { class: `explain ${s.status}` },
    h('p', { class: 'summary' }, rich(e.summary)),
    rest ? h('p', { class: 'rest' }, rich(rest)) : undefined,
    findings.length ? list : undefined,
    dig,
  );
}

function steps(m: ProveViewModel, post: (c: ProveCommand) => void): HTMLElement {
  const list = h('ol', { class: 'steps', id: 'steps' });
  for (const s of m.steps) {
    list.append(
      h(
        'li',
        { class: `step ${s.status}`, 'data-step': s.id, 'data-status': s.status },
        h('span', { class: 'dot', 'aria-label': STATUS_TEXT[s.status] }, ICONS[s.status]),
        h(
          'div',
          { class: 'body' },
          h(
            'div',
            { class: 'row' },
            h('span', { class: 'num' }, `${s.index}`),
            h('span', { class: 'title' }, s.title),
            h('span', { class: 'time' }, s.status === 'pass' || s.status === 'fail' ? ms(s.ms) : STATUS_TEXT[s.status]),
          ),
          h('p', { class: 'detail' }, rich(s.detail)),
          explanation(s, m, post),
        ),
      ),
    );
  }
  return list;
}

function claimValue(k: string, v: unknown): string {
  if (typeof v === 'number' && ['exp', 'iat', 'nbf', 'auth_time'].includes(k))
    return `${v} (${new Date(v * 1000).toLocaleString()})`;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function tokenView(m: ProveViewModel): HTMLElement | undefined {
  const t = m.token;
  if (!t) return undefined;
  const checks = h('ul', { class: 'checks', id: 'checks' });
  for (const c of t.checks) {
    checks.append(
      h(
        'li',
        { class: `check ${c.status}`, 'data-status': c.status },
        h('span', { class: 'icon' }, c.status === 'pass' ? '✓' : c.status === 'fail' ? '✗' : '–'),
        h('span', { class: 'label' }, c.label),
        h('span', { class: 'reason' }, rich(c.reason)),
      ),
    );
  }
  const claims = h('table', { class: 'kv claims', id: 'claims' });
  for (const [k, v] of Object.entries(t.payload))
    claims.append(h('tr', {}, h('th', {}, k), h('td', {}, claimValue(k, v))));
  const header = h('table', { class: 'kv' });
  for (const [k, v] of Object.entries(t.header))
    header.append(h('tr', {}, h('th', {}, k), h('td', {}, typeof v === 'string' ? v : JSON.stringify(v))));
  return h(
    'section',
    { id: 'token' },
    h('h2', {}, 'Access token'),
    h(
      'p',
      { class: 'muted' },
      t.expires ? `Expires ${t.expires}` : 'No expiry',
      t.issuedAt ? ` · issued ${t.issuedAt}` : '',
      ` · asked for ${t.requestedScopes.length ? t.requestedScopes.join(' ') : 'no scope'}`,
    ),
    h(
      'div',
      { class: 'cols' },
      h(
        'div',
        { class: 'col' },
        h('h3', {}, `Checked against "${m.strategy.name}"`),
        t.checks.length ? checks : h('p', { class: 'muted' }, 'Not checked: the token could not be decoded.'),
      ),
      h('div', { class: 'col' }, h('h3', {}, 'Claims'), claims, h('details', {}, h('summary', {}, 'Header'), header)),
    ),
  );
}

function facts(m: ProveViewModel, post: (c: ProveCommand) => void): HTMLElement {
  const rows: [string, Node | string][] = [];
  const a = m.application;
  if (a) {
    const copy = button('Copy', 'prove/copyClientId', 'Copy the client id', post);
    rows.push(['Test application', `${a.name} — ${a.kept ? 'kept in the portal' : 'deleted'}`]);
    rows.push(['Client id', h('span', {}, h('code', {}, a.clientId || '—'), ' ', copy)]);
    if (a.registrationStatus) rows.push(['Registration', a.registrationStatus]);
  }
  if (m.strategy.issuer) rows.push(['Issuer', m.strategy.issuer]);
  if (m.tokenEndpoint) rows.push(['Token endpoint', m.tokenEndpoint]);
  if (m.gatewayUrl) rows.push(['Gateway route', m.gatewayUrl]);
  if (m.publication) rows.push(['Portal', `${m.publication.portalName} (${m.publication.portalUrl})`]);
  rows.push([
    'Mode',
    m.mode === 'admin'
      ? 'admin: a test developer and application made with the Konnect token'
      : 'developer: signed in to the portal as a test developer',
  ]);
  rows.push(['Strategy id', m.strategy.id]);
  const t = h('table', { class: 'kv facts' });
  for (const [k, v] of rows) t.append(h('tr', {}, h('th', {}, k), h('td', {}, v)));
  return h('section', { id: 'facts' }, h('h2', {}, 'Details'), t);
}

export function render(root: HTMLElement, m: ProveViewModel, post: (c: ProveCommand) => void): void {
  root.replaceChildren(
    ...[hero(m, post), timeBar(m), steps(m, post), tokenView(m), facts(m, post)].filter((x): x is HTMLElement => !!x),
  );
  root.setAttribute('aria-busy', m.verdict === 'running' ? 'true' : 'false');
}

export function mountProveView(vscode: VsCodeApi): void {
  const root = document.getElementById('app') ?? document.body;
  const post = (c: ProveCommand): void => vscode.postMessage(c);
  let shown = -1;
  const saved = vscode.getState() as ProveViewModel | undefined;
  if (saved && typeof saved === 'object' && Array.isArray(saved.steps)) {
    render(root, saved, post);
    shown = saved.seq;
  }
  window.addEventListener('message', (ev: MessageEvent<unknown>) => {
    const msg = ev.data as Partial<ShowProve> | undefined;
    if (msg?.type !== 'notification' || msg.method !== 'prove/show' || !msg.params) return;
    // models of one run come in order; a new run starts a new, higher series
    if (msg.params.seq < shown && Math.floor(msg.params.seq / 1000) === Math.floor(shown / 1000)) return;
    shown = msg.params.seq;
    vscode.setState(msg.params);
    render(root, msg.params, post);
    document.body.dataset['rendered'] = String(msg.params.seq);
    document.body.dataset['verdict'] = msg.params.verdict;
  });
}

const api = acquireVsCodeApi();
mountProveView(api);
const ready: WebviewToHost = { type: 'ready', view: document.body.dataset['view'] ?? 'prove' };
api.postMessage(ready);
