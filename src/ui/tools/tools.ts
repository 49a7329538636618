/**
 * Language-model tools (`contributes.languageModelTools`; the activation shell registers a proxy per name): what a
 * chat agent may ask Konnect DCR. Each answer is plain text made only from what the extension already computes (the
 * catalog, the Prove DCR report, the runner's last run and its explanation, the JWT checks), in a fixed order, and is
 * masked like the log: no token, client secret or DCR token ever goes into a result. Everything is read-only except
 * Prove DCR, which creates and deletes a test application: VS Code asks the user to confirm it first.
 */
import * as vscode from 'vscode';
import * as z from 'zod';
import type { AppAuthStrategy } from '../../core/model/authStrategy';
import { checkToken, decodeJwt, formatLocalTime, strategyView } from '../../core/requests/jwt';
import { Redactor } from '../../core/util/redact';
import { toAbortSignal } from '../platform/errorBoundary';
import type { ProveController } from '../prove/controller';
import type { RunnerController } from '../runner/controller';
import type { Catalog, KonnectModel } from '../tree/model';

export const ToolNames = {
  list: 'konnectDcr_listDcr',
  prove: 'konnectDcr_proveDcr',
  explain: 'konnectDcr_explainRefusedRequest',
  checkToken: 'konnectDcr_checkTokenClaims',
} as const;
export type ToolName = (typeof ToolNames)[keyof typeof ToolNames];

export interface ToolDeps {
  readonly model: KonnectModel;
  readonly redactor: Redactor;
  runner(): Promise<RunnerController>;
  prove(): Promise<ProveController>;
}

const StrategyInput = z.object({ strategy: z.string().min(1) });
const ExplainInput = z.object({ file: z.string().min(1).optional(), line: z.number().int().min(1).optional() });
const TokenInput = z.object({ token: z.string().min(1), strategy: z.string().min(1) });

const text = (s: string): vscode.LanguageModelToolResult =>
  new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(s)]);

/** Input from a model is untrusted: a wrong shape is an error the model can act on. */
function parse<T>(schema: z.ZodType<T>, input: unknown, tool: string): T {
  const r = schema.safeParse(input);
  if (!r.success)
    throw new Error(
      `${tool}: invalid input: ${r.error.issues.map((i) => `${i.path.join('.') || 'input'} ${i.message}`).join('; ')}`,
    );
  return r.data;
}

async function catalogOf(model: KonnectModel): Promise<{ catalog: Catalog; connection: string }> {
  const c = await model.getCatalog();
  if (c.state === 'signedOut')
    throw new Error('Not signed in to Konnect: run "Konnect DCR: Sign In to Konnect…" first.');
  if (c.state === 'error') throw new Error(`Konnect could not be read: ${c.error.message}`);
  return { catalog: c.value, connection: c.connection };
}

function findStrategy(catalog: Catalog, ref: string): AppAuthStrategy {
  const s = catalog.strategyById.get(ref) ?? catalog.strategies.find((x) => x.name === ref);
  if (!s)
    throw new Error(
      `No auth strategy "${ref}" in this connection. Known: ${catalog.strategies.map((x) => x.name).join(', ') || 'none'}.`,
    );
  return s;
}

/** The catalog as text: providers, then strategies, each sorted by name (the catalog's order). */
export function describeCatalog(catalog: Catalog, connection: string): string {
  const out = [
    `Connection "${connection}": ${catalog.providers.length} DCR provider(s), ${catalog.strategies.length} auth strategy(ies)${catalog.truncated ? ' (truncated: more exist)' : ''}.`,
    '',
    'DCR providers:',
  ];
  if (!catalog.providers.length) out.push('- none');
  for (const p of catalog.providers) {
    const users = catalog.strategiesByProvider.get(p.id) ?? [];
    out.push(
      `- ${p.name} · type ${p.provider_type} · issuer ${p.issuer} · id ${p.id} · used by ${users.map((u) => u.name).join(', ') || 'no strategy'}`,
    );
  }
  out.push('', 'Auth strategies:');
  if (!catalog.strategies.length) out.push('- none');
  for (const s of catalog.strategies) {
    const v = strategyView(s);
    const parts = [`- ${s.name} · ${s.strategy_type}`];
    if (s.dcr_provider) parts.push(`DCR provider ${s.dcr_provider.name} (${s.dcr_provider.provider_type})`);
    if (v) {
      parts.push(`issuer ${v.issuer}`);
      parts.push(`credential claim ${v.credentialClaims.join(', ') || '—'}`);
      parts.push(`scopes ${v.scopes.join(' ') || '—'}`);
      parts.push(`auth methods ${v.authMethods.join(', ') || '—'}`);
    }
    parts.push(s.active ? 'in use by an API' : 'not in use');
    parts.push(`id ${s.id}`);
    out.push(parts.join(' · '));
  }
  return out.join('\n');
}

export function createTools(deps: ToolDeps): Record<ToolName, vscode.LanguageModelTool<object>> {
  /** Masks what the log masks, plus values this call knows are secret (a token given as input). */
  const mask = (s: string, ...secrets: string[]): string => {
    let out = deps.redactor.redact(s);
    const local = new Redactor();
    for (const x of secrets) local.add(x);
    out = local.redact(out);
    return out;
  };

  return {
    [ToolNames.list]: {
      async invoke() {
        const { catalog, connection } = await catalogOf(deps.model);
        return text(mask(describeCatalog(catalog, connection)));
      },
    },

    [ToolNames.prove]: {
      prepareInvocation(options) {
        const { strategy } = parse(StrategyInput, options.input, ToolNames.prove);
        return {
          invocationMessage: vscode.l10n.t('Proving DCR for "{0}"', strategy),
          confirmationMessages: {
            title: vscode.l10n.t('Prove DCR for "{0}"?', strategy),
            message: new vscode.MarkdownString(
              vscode.l10n.t(
                'Konnect DCR creates a **test application** with the auth strategy "{0}" in its portal (Konnect registers a client at the identity provider), gets a token with it, calls the API\'s gateway route, then **deletes the application**.',
                strategy,
              ),
            ),
          },
        };
      },
      async invoke(options, token) {
        const { strategy } = parse(StrategyInput, options.input, ToolNames.prove);
        const report = await (await deps.prove()).proveQuietly(strategy, toAbortSignal(token));
        if (!report)
          return text(
            `Prove DCR for "${strategy}" did not run: a question (test developer or gateway route) was dismissed.`,
          );
        const lines = [
          `Prove DCR for "${report.strategy.name}": ${report.cancelled ? 'cancelled' : report.verdict === 'pass' ? 'PASSED' : 'FAILED'} in ${report.ms} ms.`,
          ...report.steps.map((s, i) => `${i + 1}. ${s.title}: ${s.status} (${s.ms} ms). ${s.detail}`),
        ];
        const failed = report.steps.find((s) => s.status === 'fail');
        if (failed?.explanation)
          lines.push(
            '',
            `Why step "${failed.title}" failed: ${failed.explanation.summary}`,
            ...failed.explanation.findings.map((f) => `- ${f.text}`),
          );
        return text(mask(lines.join('\n')));
      },
    },

    [ToolNames.explain]: {
      async invoke(options) {
        const input = parse(ExplainInput, options.input, ToolNames.explain);
        let uri: vscode.Uri | undefined;
        if (input.file) {
          const ws = vscode.workspace.workspaceFolders?.[0]?.uri;
          uri = /^[a-z][\w+.-]+:\/\//i.test(input.file)
            ? vscode.Uri.parse(input.file)
            : input.file.startsWith('/') || !ws
              ? vscode.Uri.file(input.file)
              : vscode.Uri.joinPath(ws, input.file);
          // the runner finds the request by line in the open document
          if (input.line !== undefined) await vscode.workspace.openTextDocument(uri);
        }
        const m = (await deps.runner()).lastRun(uri, input.line === undefined ? undefined : input.line - 1);
        if (!m)
          return text(
            'No run of that request in this window: send it first (Send above the request in the .http file), then ask again. This tool does not send anything.',
          );
        const head = `"${m.title}" (${m.file}, line ${m.line + 1}) ${m.status !== undefined ? `answered HTTP ${m.status} ${m.statusText ?? ''}`.trim() : `failed: ${m.error ?? 'no answer'}`}.`;
        if (!m.explanation)
          return text(
            mask(
              `${head}\nNothing to explain: ${m.status !== undefined && m.status < 400 ? 'it was not refused' : 'no explanation applies'}.`,
            ),
          );
        return text(
          mask(
            [
              head,
              `Explanation: ${m.explanation.summary}`,
              ...m.explanation.findings.map((f) => `- (${f.severity}) ${f.text}`),
            ].join('\n'),
          ),
        );
      },
    },

    [ToolNames.checkToken]: {
      async invoke(options) {
        const input = parse(TokenInput, options.input, ToolNames.checkToken);
        const jwt = decodeJwt(input.token.replace(/^Bearer\s+/i, '').trim());
        if (!jwt) return text('That token is not a JWT (three base64url parts): its claims cannot be read.');
        const s = findStrategy((await catalogOf(deps.model)).catalog, input.strategy);
        const view = strategyView(s);
        if (!view) return text(`"${s.name}" is a ${s.strategy_type} strategy: it has no token claims to check.`);
        const checks = checkToken(jwt, view, { now: Date.now(), formatTime: formatLocalTime });
        const failed = checks.filter((c) => c.status === 'fail').length;
        const lines = [
          `The token against the auth strategy "${s.name}": ${failed ? `${failed} check(s) failed` : 'every check passed'} (the signature is not checked here: send the request in the runner for that).`,
          ...checks.map((c) => `- ${c.label}: ${c.status}. ${c.reason}`),
        ];
        return text(mask(lines.join('\n'), input.token));
      },
    },
  };
}

export function registerTools(
  bind: (name: string, tool: vscode.LanguageModelTool<object>) => vscode.Disposable,
  deps: ToolDeps,
): {
  readonly disposables: vscode.Disposable[];
  readonly tools: Record<ToolName, vscode.LanguageModelTool<object>>;
} {
  const tools = createTools(deps);
  return { tools, disposables: Object.entries(tools).map(([name, tool]) => bind(name, tool)) };
}
