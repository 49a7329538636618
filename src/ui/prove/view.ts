/**
 * A Prove DCR report → what the report page shows (the webview protocol's view model, so this lives in the UI
 * layer: the core does not know the page): no secret (the client secret, the access token and the developer's
 * password never leave the host), times formatted for people, steps not run yet listed as pending.
 */
import type { ProveViewModel } from '../../shared/prove/protocol';
import { formatLocalTime } from '../../core/requests/jwt';
import { PROVIDER_LABELS, STEP_IDS, stepTitle, type ProveReport } from '../../core/prove/types';

export function toViewModel(
  report: ProveReport,
  seq: number,
  formatTime: (ms: number) => string = formatLocalTime,
): ProveViewModel {
  const done = new Map(report.steps.map((s) => [s.id, s]));
  const steps = STEP_IDS.map((id, i): ProveViewModel['steps'][number] => {
    const s = done.get(id);
    if (s)
      return {
        id,
        index: i + 1,
        title: s.title,
        status: s.status,
        ms: s.ms,
        detail: s.detail,
        ...(s.explanation
          ? { explanation: { summary: s.explanation.summary, findings: [...s.explanation.findings] } }
          : {}),
      };
    return {
      id,
      index: i + 1,
      title: stepTitle(id, report.mode),
      status: report.current === id ? 'running' : 'pending',
      detail: report.current === id ? 'Running…' : 'Waiting.',
    };
  });
  const failedIndex = report.failedStep ? STEP_IDS.indexOf(report.failedStep) : -1;
  const t = report.token;
  const exp = typeof t?.payload['exp'] === 'number' ? t.payload['exp'] * 1000 : undefined;
  const iat = typeof t?.payload['iat'] === 'number' ? t.payload['iat'] * 1000 : undefined;
  const p = report.provider;
  return {
    seq,
    mode: report.mode,
    strategy: {
      id: report.strategy.id,
      name: report.strategy.name,
      ...(report.strategy.issuer ? { issuer: report.strategy.issuer } : {}),
    },
    ...(p ? { provider: { name: p.name, type: p.type, typeLabel: providerLabel(p.type) } } : {}),
    ...(report.publication
      ? {
          publication: {
            apiName: report.publication.apiName,
            portalName: report.publication.portalName,
            portalUrl: report.publication.portalUrl,
          },
        }
      : {}),
    ...(report.gatewayUrl ? { gatewayUrl: report.gatewayUrl } : {}),
    ...(report.tokenEndpoint ? { tokenEndpoint: report.tokenEndpoint.url } : {}),
    at: formatTime(report.startedAt),
    ms: report.ms,
    verdict: report.verdict,
    cancelled: report.cancelled,
    ...(failedIndex >= 0
      ? { failed: { index: failedIndex + 1, title: stepTitle(report.failedStep!, report.mode) } }
      : {}),
    steps,
    ...(t && Object.keys(t.payload).length
      ? {
          token: {
            header: { ...t.header },
            payload: { ...t.payload },
            checks: t.checks.map((c) => ({ label: c.label, status: c.status, reason: c.reason })),
            requestedScopes: [...t.requestedScopes],
            ...(exp !== undefined ? { expires: formatTime(exp) } : {}),
            ...(iat !== undefined ? { issuedAt: formatTime(iat) } : {}),
          },
        }
      : {}),
    ...(report.application
      ? {
          application: {
            name: report.application.name,
            clientId: report.application.clientId,
            kept: report.application.kept,
            ...(report.application.registrationStatus
              ? { registrationStatus: report.application.registrationStatus }
              : {}),
          },
        }
      : {}),
    canOpenHttp: !!report.strategy.issuer,
  };
}

function providerLabel(type: string): string {
  return PROVIDER_LABELS[type] ?? type;
}
