/**
 * The response view page (dist/webview/response.js): renders the host's `response/show` model with DOM calls only
 * (textContent, no innerHTML: nothing in a response can become markup), and sends the buttons' commands back.
 */
import type { WebviewToHost } from '../shared/protocol';
import type { ResponseCommand, ResponseViewModel, ShowResponse } from '../shared/response/protocol';
import { h, type Child, type VsCodeApi } from './shared/dom';

declare function acquireVsCodeApi(): VsCodeApi;

const ms = (v: number | undefined): string =>
  v === undefined ? '–' : v < 10 ? `${v.toFixed(1)} ms` : `${Math.round(v)} ms`;

function statusClass(m: ResponseViewModel): string {
  if (m.error || m.status === undefined) return 'status err';
  return m.status < 300 ? 'status ok' : m.status < 400 ? 'status warn' : 'status err';
}

function table(rows: readonly (readonly [string, string])[], cls = 'kv'): HTMLTableElement {
  const t = h('table', { class: cls });
  for (const [k, v] of rows) t.append(h('tr', {}, h('th', {}, k), h('td', {}, v)));
  return t;
}

function section(title: string, id: string, ...children: Child[]): HTMLElement {
  return h('section', { id }, h('h2', {}, title), ...children);
}

function timings(m: ResponseViewModel): HTMLElement | undefined {
  const t = m.timings;
  if (!t) return undefined;
  const phases: [string, number | undefined, string][] = [
    ['DNS', t.dnsMs, 'name lookup (absent for an IP address)'],
    ['Connect', t.connectMs, 'TCP connection set up'],
    ['TLS', t.tlsMs, 'TLS handshake (https only)'],
    [
      'First byte',
      t.firstByteMs,
      "from the connection being ready to the response headers: the server's time plus one round trip",
    ],
    ['Transfer', t.transferMs, 'from the headers to the last byte of the body'],
  ];
  const bar = h('div', { class: 'bar', role: 'img', 'aria-label': 'time split' });
  for (const [name, v] of phases) {
    if (v === undefined || v <= 0) continue;
    const seg = h('span', { class: `seg seg-${name.toLowerCase().replace(/ /g, '-')}`, title: `${name}: ${ms(v)}` });
    seg.style.width = `${Math.max(1, (v / Math.max(t.totalMs, 0.1)) * 100)}%`;
    bar.append(seg);
  }
  const rows = phases.map(([name, v, what]) =>
    h('tr', {}, h('th', {}, name), h('td', { class: 'num' }, ms(v)), h('td', { class: 'muted' }, what)),
  );
  return section(
    'Time',
    'timings',
    h(
      'p',
      {},
      h('strong', {}, `Total ${ms(t.totalMs)}`),
      t.viaProxy
        ? ' · through a proxy: the connection phases are not split out'
        : ' · a fresh connection per request, as curl does',
    ),
    bar,
    h('table', { class: 'timings' }, ...rows),
  );
}

function tokenView(m: ResponseViewModel): HTMLElement | undefined {
  if (!m.tokens.length) return undefined;
  const out = section('Token', 'tokens');
  for (const t of m.tokens) {
    const card = h('div', { class: 'token' });
    const what =
      t.source === 'request.bearer'
        ? 'Bearer token sent with the request'
        : t.source === 'response.access_token'
          ? 'access_token in the response'
          : 'id_token in the response';
    card.append(h('h3', {}, what));
    if (!t.jwt) {
      card.append(h('p', { class: 'muted' }, 'Not a JWT (opaque or encrypted): nothing to decode.'));
      out.append(card);
      continue;
    }
    if (t.expires)
      card.append(
        h(
          'p',
          {},
          'Expires ',
          h('strong', { class: 'expires' }, t.expires),
          t.issuedAt ? ` · issued ${t.issuedAt}` : '',
        ),
      );
    if (t.checks?.length) {
      const list = h('ul', { class: 'checks' });
      for (const c of t.checks) {
        const icon = c.status === 'pass' ? '✓' : c.status === 'fail' ? '✗' : '–';
        list.append(
          h(
            'li',
            { class: `check ${c.status}` },
            h('span', { class: 'icon', 'aria-label': c.status }, icon),
            h('span', { class: 'label' }, c.label),
            h('span', { class: 'reason' }, c.reason),
          ),
        );
      }
      card.append(
        h('h4', {}, m.strategy ? `Checked against the strategy ${m.strategy.name ?? m.strategy.ref}` : 'Checks'),
        list,
      );
    } else if (t.source !== 'response.id_token') {
      card.append(
        h(
          'p',
          { class: 'muted' },
          m.strategy?.error ??
            'Not checked: link a strategy with "# @strategy <name or id>" to check this token against it.',
        ),
      );
    }
    const claims = Object.entries(t.payload ?? {}).map(
      ([k, v]) =>
        [
          k,
          typeof v === 'string'
            ? v
            : typeof v === 'number' && ['exp', 'iat', 'nbf', 'auth_time'].includes(k)
              ? `${v} (${new Date(v * 1000).toLocaleString()})`
              : JSON.stringify(v),
        ] as const,
    );
    card.append(h('h4', {}, 'Claims'), table(claims, 'kv claims'));
    const header = Object.entries(t.header ?? {}).map(
      ([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)] as const,
    );
    card.append(h('details', {}, h('summary', {}, 'Header'), table(header)));
    out.append(card);
  }
  return out;
}

function explanation(m: ResponseViewModel): HTMLElement | undefined {
  const e = m.explanation;
  if (!e) return undefined;
  const list = h('ul', { class: 'findings' });
  for (const f of e.findings) list.append(h('li', { class: f.severity }, f.text));
  return section('Explain', 'explain', h('p', { class: 'summary' }, e.summary), list);
}

export function render(root: HTMLElement, m: ResponseViewModel, post: (c: ResponseCommand) => void): void {
  const button = (label: string, method: ResponseCommand['method'], title: string): HTMLButtonElement => {
    const b = h('button', { type: 'button', title }, label);
    b.addEventListener('click', () => post({ type: 'command', method, params: {} }));
    return b;
  };
  const statusText = m.error ? 'Error' : `${m.status ?? ''} ${m.statusText ?? ''}`.trim();
  const head = h(
    'header',
    {},
    h(
      'div',
      { class: 'line1' },
      h('span', { class: statusClass(m), id: 'status' }, statusText),
      h('span', { class: 'title' }, m.title),
      m.timings ? h('span', { class: 'total' }, ms(m.timings.totalMs)) : undefined,
      m.bytes !== undefined ? h('span', { class: 'muted' }, `${m.bytes} B`) : undefined,
      m.checkSummary
        ? h(
            'span',
            { class: m.checkSummary.includes('failed') ? 'badge fail' : 'badge pass', id: 'check-summary' },
            m.checkSummary,
          )
        : undefined,
    ),
    h('div', { class: 'line2 muted' }, `${m.request.method} ${m.request.url}`, ` · ${m.file}:${m.line + 1} · ${m.at}`),
    h(
      'div',
      { class: 'actions' },
      button('Send again', 'response/resend', 'Send this request again'),
      button('Copy as curl', 'response/copyCurl', 'Copy the request as a curl command, secrets redacted'),
      button(
        'Copy as curl (with secrets)',
        'response/copyCurlWithSecrets',
        'Copy the request as a curl command including secrets and tokens',
      ),
      m.tokens.some((t) => t.source === 'response.access_token')
        ? button('Copy access token', 'response/copyToken', 'Copy the access token (a secret)')
        : undefined,
    ),
  );
  const parts: Child[] = [head];
  if (m.error) parts.push(section('Error', 'error', h('pre', { class: 'error' }, m.error)));
  parts.push(explanation(m), tokenView(m), timings(m));
  if (m.strategy?.error && !m.tokens.length) parts.push(h('p', { class: 'warn' }, m.strategy.error));
  if (m.status !== undefined) {
    parts.push(section('Response headers', 'headers', table(m.headers)));
    parts.push(
      section(
        'Body',
        'body',
        m.body ? h('pre', { class: `body ${m.bodyKind}` }, m.body) : h('p', { class: 'muted' }, '(empty)'),
      ),
    );
  }
  parts.push(
    h(
      'details',
      { id: 'request' },
      h('summary', {}, 'Request as sent (secrets redacted)'),
      h(
        'pre',
        {},
        [
          `${m.request.method} ${m.request.url}`,
          ...m.request.headers.map(([k, v]) => `${k}: ${v}`),
          ...(m.request.body !== undefined ? ['', m.request.body] : []),
        ].join('\n'),
      ),
    ),
  );
  root.replaceChildren(...parts.filter((p): p is Node => !!p && typeof p !== 'string'));
  root.setAttribute('aria-busy', 'false');
}

export function mountResponseView(vscode: VsCodeApi): void {
  const root = document.getElementById('app') ?? document.body;
  const post = (c: ResponseCommand): void => vscode.postMessage(c);
  const saved = vscode.getState() as ResponseViewModel | undefined;
  if (saved && typeof saved === 'object' && 'title' in saved) render(root, saved, post);
  window.addEventListener('message', (ev: MessageEvent<unknown>) => {
    const msg = ev.data as Partial<ShowResponse> | undefined;
    if (msg?.type !== 'notification' || msg.method !== 'response/show' || !msg.params) return;
    vscode.setState(msg.params);
    render(root, msg.params, post);
    document.body.dataset['rendered'] = String(Date.now());
  });
}

const api = acquireVsCodeApi();
mountResponseView(api);
const ready: WebviewToHost = { type: 'ready', view: document.body.dataset['view'] ?? 'response' };
api.postMessage(ready);
