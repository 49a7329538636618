/**
 * The "Prove DCR" step runner: what the seeds' "Validate" sections do by hand, against the real services.
 *
 *   1 verify       Konnect verifies the strategy's DCR provider against its IdP (`POST /v2/dcr-providers/{id}/verify`)
 *   2 publication  the strategy is the one the chosen API publication uses (`GET /v3/apis/{api}/publications/{portal}`)
 *   3 application  the test developer signs in to the portal, creates an application with the strategy (Konnect
 *                  registers a client at the IdP: id and secret come back once) and registers it for the API
 *   4 token        client_credentials at the IdP's discovered token endpoint, with the strategy's parameters
 *   5 claims       the access token decoded and checked against the strategy (as the request runner does)
 *   6 gateway      the API route called with `Authorization: Bearer <token>`: must answer 200
 *   7 cleanup      the test application deleted (unless kept); Konnect should delete the IdP client with it, so the
 *                  old credentials are tried at the token endpoint until the IdP refuses them, and the report says
 *                  what it answered (a client that still gets tokens fails the step: it was left behind)
 *
 * Every step reports pass / fail / skip, its time and, on failure, an explanation. A step that cannot run because an
 * earlier one failed is skipped; the token checks (5) do not stop the gateway call (6), which confirms them. Cleanup
 * always runs, also after a failure or a cancellation (with its own short deadline). Collaborators are injected:
 * the Konnect client, a Portal API client factory, the request executor, a clock.
 */
import type { ApiPublication } from '../model/catalog';
import type { DcrProvider, VerifyDcrProviderResponse } from '../model/dcrProvider';
import type { PortalApplication } from '../model/portalAdmin';
import { dcrFieldsOf, hasQuirk, isProviderType, providerNoun } from '../model/providerTypes';
import type {
  CreateApplicationRequest,
  CreateRegistrationRequest,
  CreatedApplication,
  DeveloperCredentials,
  Registration,
} from '../model/portalApi';
import type { CallOptions } from '../api/engine';
import type { PortalAdminApi } from '../api/portalAdmin';
import type { KongIdentityApi } from '../api/resources';
import { findTokenEndpoint, type TokenEndpoint } from '../oidc/discovery';
import type { ExecutedResponse, RequestExecutor } from '../requests/executor';
import { explain, type Explanation, type Finding } from '../requests/explain';
import { tokenParams } from '../requests/generate';
import { checkToken, decodeJwt, normalizeIssuer, strategyView, type StrategyView } from '../requests/jwt';
import { abortError } from '../util/abort';
import type { Clock } from '../util/clock';
import { nullLogger, type Logger } from '../util/logger';
import type { Redactor } from '../util/redact';
import {
  PROVIDER_LABELS,
  STEP_IDS,
  stepTitle,
  type ProveApplication,
  type ProveMode,
  type ProveReport,
  type ProveTarget,
  type ProveToken,
  type StepId,
  type StepOutcome,
  type StepResult,
} from './types';

/** The slice of the Konnect client a run uses (admin mode: Portal Management, and Kong Identity for its clients). */
export interface ProveKonnect {
  readonly dcrProviders: {
    verify(id: string, opts?: CallOptions): Promise<VerifyDcrProviderResponse>;
    get?(id: string, opts?: CallOptions): Promise<Pick<DcrProvider, 'issuer'>>;
  };
  readonly apiPublications: { get(apiId: string, portalId: string, opts?: CallOptions): Promise<ApiPublication> };
  readonly portalAdmin?: Pick<
    PortalAdminApi,
    'createDeveloper' | 'deleteDeveloper' | 'createApplication' | 'createRegistration' | 'deleteApplication'
  >;
  readonly identity?: {
    readonly authServers: Pick<KongIdentityApi['authServers'], 'listAll'>;
    readonly scopes: Pick<KongIdentityApi['scopes'], 'listAll'>;
    readonly clients: Pick<KongIdentityApi['clients'], 'create' | 'delete'>;
  };
}

/** The slice of the developer Portal API client a run uses (`createPortalClient`). */
export interface ProvePortal {
  authenticate(credentials: DeveloperCredentials, opts?: CallOptions): Promise<void>;
  createApplication(body: CreateApplicationRequest, opts?: CallOptions): Promise<CreatedApplication>;
  createRegistration(applicationId: string, body: CreateRegistrationRequest, opts?: CallOptions): Promise<Registration>;
  deleteApplication(applicationId: string, opts?: CallOptions): Promise<void>;
  close(): Promise<void>;
}

export interface RetryPolicy {
  /** Keep trying for this long (ms) while the answer says "not yet" (a new client or registration not propagated). */
  readonly totalMs: number;
  readonly intervalMs: number;
}

export interface ProveDeps {
  readonly konnect: ProveKonnect;
  /** A Portal API client on the portal's own URL. */
  portal(url: string): ProvePortal;
  /** Sends the discovery, token and gateway requests. */
  readonly executor: RequestExecutor;
  readonly clock: Clock;
  readonly logger?: Logger | undefined;
  /** The client secret and the token are added to it as soon as they are known. */
  readonly redactor?: Redactor | undefined;
  /** IdPs may take a moment before a new client can get tokens (default 10 s, every 1 s). */
  readonly tokenRetry?: RetryPolicy | undefined;
  /** Gateways may take a moment before a new registration is enforced (default 10 s, every 1 s). */
  readonly gatewayRetry?: RetryPolicy | undefined;
  /**
   * After the test application is deleted, how long the old client credentials are tried at the token endpoint
   * until the IdP refuses them (default 10 s, every 1 s).
   */
  readonly deletionRetry?: RetryPolicy | undefined;
  /** Deadline of the cleanup, which runs even after a cancellation (default 15 s). */
  readonly cleanupTimeoutMs?: number | undefined;
  /** Called when a step starts and when it ends (the live view). */
  readonly onProgress?: ((report: ProveReport) => void) | undefined;
}

const DEFAULT_RETRY: RetryPolicy = { totalMs: 10_000, intervalMs: 1_000 };

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Thrown inside a step to end it as failed with this detail and explanation. */
class StepFailure extends Error {
  constructor(
    readonly detail: string,
    readonly explanation?: Explanation,
  ) {
    super(detail);
  }
}

const fail = (detail: string, ...findings: Finding[]): StepFailure =>
  new StepFailure(
    detail,
    findings.length ? { summary: findings[0]!.text.split(/(?<=\.)\s/)[0]!, findings } : undefined,
  );
const finding = (rule: string, text: string, severity: Finding['severity'] = 'error'): Finding => ({
  rule,
  severity,
  text,
});

function messageOf(err: unknown): string {
  const e = err as { userMessage?: unknown; message?: unknown } | undefined;
  if (typeof e?.userMessage === 'string' && e.userMessage) return e.userMessage;
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}

function statusOf(err: unknown): number | undefined {
  const s = (err as { status?: unknown } | undefined)?.status;
  return typeof s === 'number' ? s : undefined;
}

function detailOf(err: unknown): string {
  const e = err as { detail?: unknown; title?: unknown; invalidParameters?: unknown } | undefined;
  const parts = [typeof e?.detail === 'string' ? e.detail : typeof e?.title === 'string' ? e.title : ''];
  if (Array.isArray(e?.invalidParameters)) {
    for (const p of e.invalidParameters as { field?: unknown; reason?: unknown }[])
      parts.push(`${String(p.field)}: ${String(p.reason)}`);
  }
  return parts.filter(Boolean).join('; ');
}

/** An answer's own words: its detail (or title) and each invalid parameter's reason that does not repeat it. */
function refusalText(err: unknown): string {
  const e = err as { detail?: unknown; title?: unknown; invalidParameters?: unknown } | undefined;
  const head = typeof e?.detail === 'string' ? e.detail : typeof e?.title === 'string' ? e.title : '';
  const parts = head ? [head] : [];
  if (Array.isArray(e?.invalidParameters)) {
    for (const p of e.invalidParameters as { reason?: unknown }[]) {
      const r = typeof p.reason === 'string' ? p.reason : '';
      if (r && !parts.some((x) => x.includes(r))) parts.push(r);
    }
  }
  return parts.join('; ');
}

/** Words of an answer that say the identity provider (through the DCR provider) refused the client registration. */
const IDP_REFUSAL =
  /\b(DCR|dynamic client|identity provider|IdP|registering the client|client registration|register the client|registration endpoint|invalid_client_metadata|invalid_redirect_uri|invalid_software_statement|unapproved_software_statement)\b/i;

function isNetworkError(err: unknown): boolean {
  const k = (err as { kind?: unknown } | undefined)?.kind;
  return (
    typeof k === 'string' && ['offline', 'unreachable', 'reset', 'tls', 'proxy', 'timeout', 'malformed'].includes(k)
  );
}

function isAbort(err: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (err instanceof Error && err.name === 'AbortError');
}

/** `the DCR token (dcr_token)`: the write-only credentials of a provider type (the provider-type table's secret fields). */
function credentialsOf(type: string | undefined): string {
  const secrets = isProviderType(type) ? dcrFieldsOf(type).filter((f) => f.kind === 'secret') : [];
  return secrets.length
    ? `the ${secrets.map((f) => `${/^[A-Z][a-z]/.test(f.label) ? f.label[0]!.toLowerCase() + f.label.slice(1) : f.label} (${f.key})`).join(' and ')}`
    : 'the credentials';
}

/** What usually lies behind Konnect's terse verify errors. */
export function verifyFindings(errors: readonly string[], providerType: string | undefined): Finding[] {
  const out = errors.map((e): Finding => {
    const t = e.trim();
    if (/invalid_client|unauthori[sz]ed|forbidden|401|403|credential|secret|token/i.test(t)) {
      const what = credentialsOf(providerType);
      return finding(
        'verify.credentials',
        `${t}: the identity provider refused ${what} of the DCR provider. Set the current value in the provider (Edit DCR Provider).`,
      );
    }
    if (/ENOTFOUND|ECONNREFUSED|unreachable|timed? ?out|connect|resolve/i.test(t))
      return finding(
        'verify.unreachable',
        `${t}: Konnect could not reach the identity provider. Check the issuer (or DCR base URL): Konnect's servers must be able to reach it.`,
      );
    if (/issuer|discovery|well-known|metadata/i.test(t))
      return finding('verify.issuer', `${t}: check the issuer URL (its /.well-known/openid-configuration must load).`);
    return finding('verify.other', t);
  });
  return out.length ? out : [finding('verify.other', 'Konnect said the verification failed but gave no reason.')];
}

export class ProveRun {
  private readonly steps: StepResult[] = [];
  private current: StepId | undefined;
  private readonly startedAt: number;
  private readonly log: Logger;
  private readonly view: StrategyView | undefined;
  private app: Mutable<ProveApplication> | undefined;
  private token: ProveToken | undefined;
  private accessToken: string | undefined;
  private tokenEndpoint: TokenEndpoint | undefined;
  private registrationPending = false;
  private cancelled = false;
  /** Admin mode: the developer the run created, and the Kong Identity client it created (never the admin's own). */
  private adminDeveloper: { id: string; email: string } | undefined;
  private kiClient: { authServerId: string; authServerName: string; id: string } | undefined;

  constructor(
    private readonly target: ProveTarget,
    private readonly deps: ProveDeps,
  ) {
    this.startedAt = deps.clock.now();
    this.log = deps.logger ?? nullLogger;
    this.view = strategyView(target.strategy);
  }

  private get mode(): ProveMode {
    return this.target.mode ?? 'developer';
  }

  /** The report so far (or the final one). */
  report(): ProveReport {
    const s = this.target.strategy;
    const failed = this.steps.find((x) => x.status === 'fail');
    const done = this.steps.length === STEP_IDS.length;
    const core = this.steps.filter((x) => x.id !== 'cleanup');
    const verdict = !done ? 'running' : !failed && core.every((x) => x.status === 'pass') ? 'pass' : 'fail';
    return {
      mode: this.mode,
      strategy: { id: s.id, name: s.name, issuer: this.view?.issuer },
      provider: s.dcr_provider
        ? { id: s.dcr_provider.id, name: s.dcr_provider.name, type: s.dcr_provider.provider_type }
        : undefined,
      publication: this.target.publication,
      gatewayUrl: this.target.gatewayUrl,
      tokenEndpoint: this.tokenEndpoint,
      startedAt: this.startedAt,
      ms: this.deps.clock.now() - this.startedAt,
      steps: [...this.steps],
      token: this.token,
      application: this.app ? { ...this.app } : undefined,
      accessToken: this.accessToken,
      verdict,
      failedStep: failed?.id,
      current: done ? undefined : this.current,
      cancelled: this.cancelled,
    };
  }

  /** Runs the seven steps. Never rejects: a cancellation ends the run (cleanup included) with `cancelled: true`. */
  async run(signal: AbortSignal): Promise<ProveReport> {
    const order: [StepId, () => Promise<StepOutcome>][] = [
      ['verify', () => this.verify(signal)],
      ['publication', () => this.publication(signal)],
      ['application', () => this.application(signal)],
      ['token', () => this.requestToken(signal)],
      ['claims', () => this.claims()],
      ['gateway', () => this.gateway(signal)],
    ];
    let blockedBy: StepId | undefined;
    for (const [id, step] of order) {
      if (this.cancelled) {
        this.skip(id, 'Cancelled.');
        continue;
      }
      // the token checks do not block the gateway call: it shows what the gateway makes of that token
      if (blockedBy && !(id === 'gateway' && blockedBy === 'claims')) {
        this.skip(id, `Not run: step "${stepTitle(blockedBy, this.mode)}" did not pass.`);
        continue;
      }
      const result = await this.runStep(id, step, signal);
      if (result.status !== 'pass' && !blockedBy) blockedBy = id;
    }
    await this.runStep('cleanup', () => this.cleanup(signal), signal, true);
    const report = this.report();
    this.log.info(
      `prove "${this.target.strategy.name}" (${this.mode} mode): ${report.verdict}${report.failedStep ? ` (step ${report.failedStep})` : ''} in ${report.ms} ms`,
    );
    return report;
  }

  private skip(id: StepId, detail: string): void {
    this.steps.push({ id, title: stepTitle(id, this.mode), status: 'skip', ms: 0, detail });
  }

  private async runStep(
    id: StepId,
    step: () => Promise<StepOutcome>,
    signal: AbortSignal,
    evenIfCancelled = false,
  ): Promise<StepResult> {
    this.current = id;
    this.deps.onProgress?.(this.report());
    const t0 = this.deps.clock.now();
    let outcome: StepOutcome;
    try {
      if (signal.aborted && !evenIfCancelled) throw abortError(signal.reason);
      outcome = await step();
    } catch (err) {
      if (err instanceof StepFailure) outcome = { status: 'fail', detail: err.detail, explanation: err.explanation };
      else if (isAbort(err, signal) && !evenIfCancelled) {
        this.cancelled = true;
        outcome = { status: 'skip', detail: 'Cancelled.' };
      } else {
        this.log.warn(`prove: step ${id} failed unexpectedly`, err);
        outcome = { status: 'fail', detail: messageOf(err) };
      }
    }
    const result: StepResult = {
      id,
      title: stepTitle(id, this.mode),
      ms: Math.max(0, Math.round(this.deps.clock.now() - t0)),
      ...outcome,
    };
    this.steps.push(result);
    this.log.debug(`prove step ${id}: ${result.status} in ${result.ms} ms — ${result.detail}`);
    this.deps.onProgress?.(this.report());
    return result;
  }

  // ------------------------------------------------------------------------------------------------------------- 1

  private async verify(signal: AbortSignal): Promise<StepOutcome> {
    const s = this.target.strategy;
    if (!this.view)
      throw fail(
        `"${s.name}" is a key_auth strategy: there is no DCR provider or token to prove.`,
        finding('strategy.key_auth', 'Prove DCR works on openid_connect strategies that have a DCR provider.'),
      );
    const p = s.dcr_provider;
    if (!p)
      throw fail(
        `"${s.name}" has no DCR provider (self-managed client credentials): Konnect does not register clients for it.`,
        finding(
          'strategy.no_provider',
          'Give the strategy a DCR provider (Edit Auth Strategy), or create the IdP client yourself and use the request runner.',
        ),
      );
    let result: VerifyDcrProviderResponse;
    try {
      result = await this.deps.konnect.dcrProviders.verify(p.id, { signal });
    } catch (err) {
      if (isAbort(err, signal)) throw err;
      throw fail(
        `Konnect could not verify the DCR provider "${p.name}": ${messageOf(err)}`,
        finding(
          'verify.call',
          statusOf(err) === 404
            ? `The DCR provider ${p.id} no longer exists: give the strategy another one.`
            : messageOf(err),
        ),
      );
    }
    if (result.status === 'success')
      return {
        status: 'pass',
        detail: `Konnect reached the identity provider of "${p.name}" (${PROVIDER_LABELS[p.provider_type] ?? p.provider_type}) and can register clients.`,
      };
    const findings = verifyFindings(result.errors, p.provider_type);
    return {
      status: 'fail',
      detail: `DCR provider "${p.name}" failed verification: ${result.errors.join('; ') || 'no reason given'}.`,
      explanation: { summary: findings[0]!.text.split(/(?<=\.)\s/)[0]!, findings },
    };
  }

  // ------------------------------------------------------------------------------------------------------------- 2

  private async publication(signal: AbortSignal): Promise<StepOutcome> {
    const s = this.target.strategy;
    const pub = this.target.publication;
    if (!pub) {
      throw fail(
        `"${s.name}" is not published on any API.`,
        finding(
          'publication.none',
          `Publish an API to a portal with the auth strategy "${s.name}" (API → Portals → Publish, or PUT /v3/apis/{apiId}/publications/{portalId} with auth_strategy_ids: ["${s.id}"]). Link the API to a Gateway Service too: the gateway enforces the strategy only there.`,
        ),
        finding(
          'publication.guided',
          'For Kong Identity, "Konnect DCR: Set Up Kong Identity DCR (Guided)…" creates and publishes everything.',
          'info',
        ),
      );
    }
    let p: ApiPublication;
    try {
      p = await this.deps.konnect.apiPublications.get(pub.apiId, pub.portalId, { signal });
    } catch (err) {
      if (isAbort(err, signal)) throw err;
      if (statusOf(err) === 404)
        throw fail(
          `The API "${pub.apiName}" is not published to the portal "${pub.portalName}".`,
          finding(
            'publication.missing',
            `Publish "${pub.apiName}" to "${pub.portalName}" with the auth strategy "${s.name}", or pick another publication.`,
          ),
        );
      throw fail(`Could not read the publication of "${pub.apiName}" in "${pub.portalName}": ${messageOf(err)}`);
    }
    const ids = p.auth_strategy_ids;
    if (ids === null)
      throw fail(
        `"${pub.apiName}" is published to "${pub.portalName}" without application auth (auth_strategy_ids: null).`,
        finding(
          'publication.open',
          `Publish it with the auth strategy "${s.name}": anyone may call it, no application is needed.`,
        ),
      );
    if (ids.length && !ids.includes(s.id))
      throw fail(
        `"${pub.apiName}" is published to "${pub.portalName}" with another auth strategy (${ids.join(', ')}).`,
        finding('publication.other', `Publish it with "${s.name}" (${s.id}), or prove the strategy it uses.`),
      );
    const how = ids.length ? 'with this strategy' : "with the portal's default strategy";
    return {
      status: 'pass',
      detail: `"${pub.apiName}" is published to the portal "${pub.portalName}" ${how} (${p.visibility}; registrations ${p.auto_approve_registrations === false ? 'need approval unless the portal auto-approves' : 'auto-approved'}).`,
    };
  }

  // ------------------------------------------------------------------------------------------------------------- 3

  private async application(signal: AbortSignal): Promise<StepOutcome> {
    if (this.mode === 'admin') return this.adminApplication(signal);
    const pub = this.target.publication!;
    const dev = this.target.developer;
    if (!dev)
      throw fail(
        'No test developer: Prove DCR signs in to the portal as a developer to create the test application.',
        finding(
          'app.no_developer',
          `Give the email and password of a developer approved in the portal "${pub.portalName}" when asked (kept in VS Code's secret storage).`,
        ),
      );
    this.deps.redactor?.add(dev.password);
    const portal = this.deps.portal(pub.portalUrl);
    try {
      try {
        await portal.authenticate(dev, { signal });
      } catch (err) {
        if (isAbort(err, signal)) throw err;
        if (isNetworkError(err))
          throw fail(
            `Could not reach the developer Portal API of "${pub.portalName}" at ${pub.portalUrl}: ${messageOf(err)}`,
            finding(
              'app.portal_unreachable',
              `Is ${pub.portalUrl} the portal's address? Set the right one in the "konnectDcr.prove.portalUrls" setting (portal id → URL), e.g. a custom domain.`,
            ),
          );
        const st = statusOf(err);
        if (st === 401 || st === 403 || st === 400)
          throw fail(
            `The portal "${pub.portalName}" refused the sign-in of ${dev.username} (HTTP ${st}${detailOf(err) ? `: ${detailOf(err)}` : ''}).`,
            finding(
              'app.sign_in',
              `Check the test developer's email and password ("Konnect DCR: Forget Test Developer" asks again), and that the developer is approved in the portal.`,
            ),
          );
        throw fail(`Signing in to the portal "${pub.portalName}" failed: ${messageOf(err)}`);
      }
      let created: CreatedApplication;
      try {
        created = await portal.createApplication(
          {
            name: this.target.appName,
            auth_strategy_id: this.target.strategy.id,
            description: 'Created by Konnect DCR "Prove DCR"; deleted at the end of the run unless kept.',
          },
          { signal },
        );
      } catch (err) {
        if (isAbort(err, signal)) throw err;
        throw this.applicationRefused(err);
      }
      this.app = {
        id: created.id,
        name: created.name,
        clientId: created.client_id ?? '',
        clientSecret: created.client_secret ?? '',
        kept: true,
      };
      if (created.client_secret) this.deps.redactor?.add(created.client_secret);
      if (!created.client_id || !created.client_secret) {
        throw fail(
          `The application came back without ${created.client_id ? 'a client secret' : 'client credentials'}.`,
          finding(
            'app.no_secret',
            "For a DCR strategy Konnect returns the client id and secret once, when the application is created. Is the strategy's credential type client_credentials with a DCR provider?",
          ),
        );
      }
      let reg: Registration;
      try {
        reg = await portal.createRegistration(created.id, { api_id: pub.apiId }, { signal });
      } catch (err) {
        if (isAbort(err, signal)) throw err;
        throw fail(
          `Registering the application for "${pub.apiName}" failed: ${detailOf(err) || messageOf(err)}`,
          finding(
            'app.register',
            `The application exists (client id ${created.client_id}) but could not be registered for the API "${pub.apiName}": ${detailOf(err) || messageOf(err)}.`,
          ),
        );
      }
      this.app.registrationStatus = reg.status;
      this.registrationPending = reg.status !== 'approved';
      const status =
        reg.status === 'approved'
          ? 'approved'
          : `${reg.status}: an admin must approve it before the gateway lets it in`;
      return {
        status: 'pass',
        detail: `Application "${created.name}" created as ${dev.username}; client id ${created.client_id} (the secret came back once); registration for "${pub.apiName}" ${status}.`,
      };
    } finally {
      await portal.close().catch(() => undefined);
    }
  }

  /**
   * Admin mode: Portal Management with the connection's token. A throw-away developer (approved), an application it
   * owns linked with `dcr_client_id` to a client that exists in the IdP (for Kong Identity one this run creates on
   * the provider's auth server, else the admin's own), and an approved registration for the API.
   */
  private async adminApplication(signal: AbortSignal): Promise<StepOutcome> {
    const pub = this.target.publication!;
    const s = this.target.strategy;
    const p = s.dcr_provider!;
    const admin = this.deps.konnect.portalAdmin;
    if (!admin) throw fail('Admin mode needs the Portal Management client.');
    let client: { clientId: string; clientSecret: string };
    let linked: string;
    if (p.provider_type === 'kongIdentity') {
      client = await this.createKongIdentityClient(signal);
      linked = `Kong Identity client ${client.clientId}, created on the auth server "${this.kiClient!.authServerName}"`;
    } else {
      const owned = this.target.ownedClient;
      if (!owned)
        throw fail(
          `Admin mode on ${providerNoun(p.provider_type)} needs a client you own in the identity provider.`,
          finding(
            'app.no_owned_client',
            "Give the client id and secret of a client you created in the identity provider (client_credentials, the strategy's scopes) when asked: the test application is linked to it with dcr_client_id, and Prove DCR never deletes it.",
          ),
        );
      client = owned;
      linked = `your client ${owned.clientId} at ${this.idpName()}`;
    }
    this.deps.redactor?.add(client.clientSecret);
    const refused = (what: string, err: unknown): StepFailure => {
      const why = detailOf(err) || messageOf(err);
      return fail(
        `${what} failed: ${why}`,
        finding('app.admin', `Konnect refused it: ${why}. The connection's token needs the rights of a portal admin.`),
      );
    };
    const email = `kdcr-prove-${this.deps.clock.now().toString(36)}${Math.random().toString(36).slice(2, 8)}@example.com`;
    try {
      const dev = await admin.createDeveloper(
        pub.portalId,
        { email, full_name: 'Konnect DCR Prove DCR test developer', status: 'approved' },
        { signal },
      );
      this.adminDeveloper = { id: dev.id, email: dev.email };
    } catch (err) {
      if (isAbort(err, signal)) throw err;
      throw refused(`Creating a test developer in the portal "${pub.portalName}"`, err);
    }
    let created: PortalApplication;
    try {
      created = await admin.createApplication(
        pub.portalId,
        {
          name: this.target.appName,
          description: 'Created by Konnect DCR "Prove DCR" (admin mode); deleted at the end of the run unless kept.',
          auth_strategy_id: s.id,
          owner: { type: 'developer', id: this.adminDeveloper.id },
          dcr_client_id: client.clientId,
        },
        { signal },
      );
    } catch (err) {
      if (isAbort(err, signal)) throw err;
      const text = refusalText(err);
      if (/dcr_client_id/.test(JSON.stringify((err as { invalidParameters?: unknown }).invalidParameters ?? '')))
        throw fail(
          `Konnect could not link the application to client ${client.clientId}: ${text || messageOf(err)}`,
          finding(
            'app.link',
            `Konnect did not find client ${client.clientId} through the DCR provider "${p.name}": check that the client exists in ${this.idpName()} and that the provider's credentials can read it.`,
          ),
        );
      throw this.applicationRefused(err);
    }
    this.app = {
      id: created.id,
      name: created.name,
      clientId: created.client_id || client.clientId,
      clientSecret: client.clientSecret,
      kept: true,
    };
    let status: string;
    try {
      status = (
        await admin.createRegistration(pub.portalId, created.id, { api_id: pub.apiId, status: 'approved' }, { signal })
      ).status;
    } catch (err) {
      if (isAbort(err, signal)) throw err;
      throw refused(`Registering the application for "${pub.apiName}"`, err);
    }
    this.app.registrationStatus = status;
    this.registrationPending = status !== 'approved';
    return {
      status: 'pass',
      detail: `As the admin: test developer ${email} created; application "${created.name}" linked with dcr_client_id to ${linked}; registration for "${pub.apiName}" ${status}.`,
    };
  }

  /** A Kong Identity client for the run, on the auth server whose issuer is the DCR provider's, with its scopes. */
  private async createKongIdentityClient(signal: AbortSignal): Promise<{ clientId: string; clientSecret: string }> {
    const { identity, dcrProviders } = this.deps.konnect;
    const p = this.target.strategy.dcr_provider!;
    if (!identity || !dcrProviders.get) throw fail('Admin mode needs the Kong Identity client.');
    try {
      const issuer = normalizeIssuer((await dcrProviders.get(p.id, { signal })).issuer);
      const servers = await identity.authServers.listAll(undefined, { signal, maxItems: 1000 });
      const server = servers.find((a) => normalizeIssuer(a.issuer) === issuer);
      if (!server)
        throw fail(
          `No Kong Identity auth server has the issuer ${issuer} of the DCR provider "${p.name}".`,
          finding(
            'app.ki_server',
            "Set the issuer of an auth server as the DCR provider's issuer (Edit DCR Provider).",
          ),
        );
      const wanted = this.view?.scopes ?? [];
      const scopes = wanted.length
        ? (await identity.scopes.listAll(server.id, undefined, { signal, maxItems: 1000 }))
            .filter((x) => wanted.includes(x.name))
            .map((x) => x.id)
        : [];
      const c = await identity.clients.create(
        server.id,
        {
          name: this.target.appName,
          grant_types: ['client_credentials'],
          response_types: ['token'],
          allow_scopes: scopes,
          token_endpoint_auth_method: 'client_secret_post',
        },
        { signal },
      );
      this.deps.redactor?.add(c.client_secret);
      this.kiClient = { authServerId: server.id, authServerName: server.name, id: c.id };
      return { clientId: c.id, clientSecret: c.client_secret };
    } catch (err) {
      if (err instanceof StepFailure || isAbort(err, signal)) throw err;
      throw fail(
        `Creating a Kong Identity client for "${p.name}" failed: ${detailOf(err) || messageOf(err)}`,
        finding('app.ki_client', `Konnect refused it: ${detailOf(err) || messageOf(err)}.`),
      );
    }
  }

  /**
   * Why the portal refused to create the application. The answer is read by what its texts say, never by the names
   * of the fields they are attached to: Konnect reports a registration the identity provider refused on the field
   * `auth_strategy_id`, which is no reason to send the user back to the publication.
   */
  private applicationRefused(err: unknown): StepFailure {
    const status = statusOf(err);
    const text = (this.deps.redactor?.redact.bind(this.deps.redactor) ?? ((x: string) => x))(
      refusalText(err) || messageOf(err),
    );
    const p = this.target.strategy.dcr_provider;
    const provider = p
      ? `the DCR provider "${p.name}" (${PROVIDER_LABELS[p.provider_type] ?? p.provider_type})`
      : 'the DCR provider';
    const byIdp = IDP_REFUSAL.test(text) || (status ?? 0) >= 500;
    const detail = `Creating the test application failed (HTTP ${status ?? '—'}): ${text}`;
    if (byIdp) {
      const summary = `The identity provider refused to register the application's client: ${text.replace(/\.$/, '')}.`;
      return new StepFailure(detail, {
        summary,
        findings: [
          finding(
            'app.idp',
            `${summary} Konnect registers the client through ${provider} when the application is created; the refusal comes from the identity provider, not from the portal or the publication.`,
          ),
          finding(
            'app.idp_fix',
            `Check what the identity provider accepts for new clients (grant type client_credentials, the scopes ${this.view?.scopes.length ? this.view.scopes.join(' ') : 'of the strategy'}, redirect URIs, required metadata) and the rights of the DCR provider's credentials to create clients. Step 1 passing shows only that Konnect can reach the identity provider and sign in to it.`,
            'info',
          ),
        ],
      });
    }
    const f: Finding[] = [
      finding('app.create', `The portal refused to create the application: ${text.replace(/\.$/, '')}.`),
    ];
    if (/\bstrateg(y|ies)\b/i.test(text))
      f.push(
        finding(
          'app.strategy',
          'The portal offers only the strategies its publications (or its default) use: check step 2.',
          'info',
        ),
      );
    return new StepFailure(detail, { summary: f[0]!.text, findings: f });
  }

  // ------------------------------------------------------------------------------------------------------------- 4

  private async requestToken(signal: AbortSignal): Promise<StepOutcome> {
    const view = this.view!;
    const app = this.app!;
    try {
      this.tokenEndpoint = await findTokenEndpoint(this.deps.executor, view.issuer, view.providerType, signal);
    } catch (err) {
      if (isAbort(err, signal)) throw err;
      throw fail(
        `The token endpoint of ${view.issuer} could not be found: ${messageOf(err)}`,
        finding(
          'token.discovery',
          `Check the strategy's issuer: ${view.issuer}/.well-known/openid-configuration must load from this machine.`,
        ),
      );
    }
    const url = this.tokenEndpoint.url;
    const params = tokenParams(view, url);
    const requested =
      params
        .find(([k]) => k === 'scope')?.[1]
        .split(' ')
        .filter(Boolean) ?? [];
    const form = new URLSearchParams([
      ...params,
      ['client_id', app.clientId],
      ['client_secret', app.clientSecret],
    ]).toString();
    const headers: [string, string][] = [
      ['content-type', 'application/x-www-form-urlencoded'],
      ['accept', 'application/json'],
    ];
    const retry = this.deps.tokenRetry ?? DEFAULT_RETRY;
    const t0 = this.deps.clock.now();
    let attempts = 0;
    let res: ExecutedResponse;
    for (;;) {
      attempts++;
      try {
        res = await this.deps.executor.execute({ method: 'POST', url, headers, body: form }, signal);
      } catch (err) {
        if (isAbort(err, signal)) throw err;
        throw fail(
          `The token request to ${url} failed: ${messageOf(err)}`,
          finding('token.network', `Could not reach the token endpoint ${url} from this machine: ${messageOf(err)}.`),
        );
      }
      const err = jsonObject(res.body)?.['error'];
      const notYet =
        (res.status === 400 || res.status === 401) && (err === 'invalid_client' || err === 'unauthorized_client');
      if (!notYet || this.deps.clock.now() - t0 + retry.intervalMs > retry.totalMs) break;
      this.log.debug(
        `prove: token endpoint answered ${String(err)}; trying again (a new client may not be active yet)`,
      );
      await this.deps.clock.sleep(retry.intervalMs, signal);
    }
    const body = jsonObject(res.body);
    const accessToken = typeof body?.['access_token'] === 'string' ? body['access_token'] : undefined;
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    const scopeText = requested.length ? `scope ${requested.join(' ')}` : 'no scope';
    const extras = params.filter(([k]) => !['grant_type', 'scope'].includes(k)).map(([k, v]) => `${k}=${v}`);
    if (res.status !== 200 || !accessToken) {
      const ex =
        res.status >= 400
          ? explain({
              request: {
                method: 'POST',
                url,
                headers,
                params: Object.fromEntries(params.concat([['client_id', app.clientId]])),
                tokenRequest: true,
                clientAuth: 'client_secret_post',
                tokenEndpointAuthMethods: this.tokenEndpoint.authMethods,
              },
              response: { status: res.status, headers: res.headers, body: res.body },
              strategy: view,
              requestedScopes: requested,
              now: this.deps.clock.now(),
            })
          : {
              summary: 'The answer has no access_token.',
              findings: [
                finding('token.no_access_token', `The token endpoint answered ${res.status} without an access_token.`),
              ],
            };
      return {
        status: 'fail',
        detail: `The token endpoint answered ${res.status}${body?.['error'] ? ` ${String(body['error'])}` : ''}${tries} (${scopeText}${extras.length ? `, ${extras.join(', ')}` : ''}).`,
        explanation: ex,
      };
    }
    this.deps.redactor?.add(accessToken);
    this.accessToken = accessToken;
    this.token = { header: {}, payload: {}, checks: [], requestedScopes: requested };
    const decoded = decodeJwt(accessToken);
    if (decoded)
      this.token = { header: decoded.header, payload: decoded.payload, checks: [], requestedScopes: requested };
    return {
      status: 'pass',
      detail: `Got an access token${typeof body?.['token_type'] === 'string' ? ` (${body['token_type']})` : ''} from ${url}${tries}, asking for ${scopeText}${extras.length ? ` with ${extras.join(', ')}` : ''}${this.tokenEndpoint.source === 'convention' ? ' (endpoint by convention: discovery failed)' : ''}.`,
    };
  }

  // ------------------------------------------------------------------------------------------------------------- 5

  private async claims(): Promise<StepOutcome> {
    const view = this.view!;
    const decoded = this.accessToken ? decodeJwt(this.accessToken) : undefined;
    if (!decoded) {
      throw fail(
        'The access token is not a JWT (opaque or encrypted): the gateway cannot check it.',
        finding(
          'claims.opaque',
          view.providerType && hasQuirk(view.providerType, 'tokenAudience')
            ? `${providerNoun(view.providerType)} returns an opaque token when no audience is asked for: set the API identifier as the strategy's audience (token_post_args audience).`
            : 'The gateway needs a signed JWT access token: configure the IdP to issue JWT access tokens for this client.',
        ),
      );
    }
    const checks = checkToken(decoded, view, {
      now: this.deps.clock.now(),
      requestedScopes: this.token?.requestedScopes ?? [],
    });
    this.token = {
      header: decoded.header,
      payload: decoded.payload,
      checks,
      requestedScopes: this.token?.requestedScopes ?? [],
    };
    const failed = checks.filter((c) => c.status === 'fail');
    const ran = checks.filter((c) => c.status !== 'skip');
    if (!failed.length)
      return {
        status: 'pass',
        detail: `${ran.length}/${ran.length} checks passed: ${ran.map((c) => c.label).join(', ')}.`,
      };
    const findings = failed.map((c) =>
      finding(`claims.${c.id}`, c.reason.replace(/^./, (x) => x.toUpperCase()).replace(/([^.])$/, '$1.')),
    );
    return {
      status: 'fail',
      detail: `${failed.length} of ${ran.length} checks failed: ${failed.map((c) => c.label).join(', ')}.`,
      explanation: { summary: findings[0]!.text.split(/(?<=\.)\s/)[0]!, findings },
    };
  }

  // ------------------------------------------------------------------------------------------------------------- 6

  private async gateway(signal: AbortSignal): Promise<StepOutcome> {
    const url = this.target.gatewayUrl;
    if (!url) return { status: 'skip', detail: 'No gateway URL was given: the route was not called.' };
    const token = this.accessToken!;
    const headers: [string, string][] = [
      ['authorization', `Bearer ${token}`],
      ['accept', 'application/json'],
    ];
    const retry = this.deps.gatewayRetry ?? DEFAULT_RETRY;
    const t0 = this.deps.clock.now();
    let attempts = 0;
    let res: ExecutedResponse;
    for (;;) {
      attempts++;
      try {
        res = await this.deps.executor.execute({ method: 'GET', url, headers }, signal);
      } catch (err) {
        if (isAbort(err, signal)) throw err;
        throw fail(
          `Calling ${url} failed: ${messageOf(err)}`,
          finding(
            'gw.network',
            `Could not reach the gateway at ${url}: ${messageOf(err)}. Is the gateway URL right ("konnectDcr.prove.gatewayUrl", or the URL asked for this API)?`,
          ),
        );
      }
      const message = String(jsonObject(res.body)?.['message'] ?? '');
      // a new registration may take a moment to reach the data plane; a pending one never will by itself
      const notYet = !this.registrationPending && res.status === 403 && /not registered/i.test(message);
      if (!notYet || this.deps.clock.now() - t0 + retry.intervalMs > retry.totalMs) break;
      await this.deps.clock.sleep(retry.intervalMs, signal);
    }
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    if (res.status === 200) {
      const consumer = jsonObject(res.body)?.['consumer'] as Record<string, unknown> | undefined;
      const who =
        consumer && typeof consumer['client_id'] === 'string'
          ? `; it authenticated the application ${consumer['client_id']}${typeof consumer['credential_claim'] === 'string' ? ` (from ${consumer['credential_claim']})` : ''}`
          : '';
      return { status: 'pass', detail: `GET ${url} answered 200 ${res.statusText || 'OK'}${tries}${who}.` };
    }
    if (res.status === 404 && /no Route matched/i.test(res.body)) {
      throw fail(
        `GET ${url} answered 404: no route matches.`,
        finding(
          'gw.route',
          `The gateway has no route for ${new URL(url).pathname}. Fix the route path (Prove DCR asks for it: by default /<API slug>/anything) or the gateway URL.`,
        ),
      );
    }
    const ex = explain({
      request: { method: 'GET', url, headers },
      response: { status: res.status, headers: res.headers, body: res.body },
      sentToken: decodeJwt(token),
      sentTokenRaw: token,
      strategy: this.view,
      requestedScopes: this.token?.requestedScopes,
      now: this.deps.clock.now(),
    });
    let findings = [...ex.findings];
    if (this.registrationPending && this.app) {
      findings = [
        finding(
          'gw.pending',
          `The application's registration for "${this.target.publication?.apiName ?? 'the API'}" is ${this.app.registrationStatus}: an admin must approve it in the portal (or turn on auto-approve for the publication or portal).`,
        ),
        ...findings.filter((f) => f.rule !== 'gw.not_registered'),
      ];
    }
    const summary =
      findings[0] && res.status !== 401 && res.status !== 403
        ? findings[0].text
        : findings[0]?.rule === 'gw.pending'
          ? `${res.status}: ${findings[0].text.split(/(?<=\.)\s/)[0]}`
          : ex.summary;
    return {
      status: 'fail',
      detail: `GET ${url} answered ${res.status} ${res.statusText}${tries}.`,
      explanation: { summary: summary || `The gateway answered ${res.status}.`, findings },
    };
  }

  // ------------------------------------------------------------------------------------------------------------- 7

  private async cleanup(run: AbortSignal): Promise<StepOutcome> {
    if (this.mode === 'admin') return this.adminCleanup();
    const app = this.app;
    if (!app) return { status: 'skip', detail: 'No test application was created: nothing to delete.' };
    if (this.target.keepApp) {
      return {
        status: 'skip',
        detail: `Kept as asked: "${app.name}" (client id ${app.clientId || '—'}) stays in the portal "${this.target.publication?.portalName ?? ''}"; delete it there when done.`,
      };
    }
    const pub = this.target.publication!;
    const portal = this.deps.portal(pub.portalUrl);
    // its own deadline: the cleanup also runs after the run was cancelled
    const signal = AbortSignal.timeout(this.deps.cleanupTimeoutMs ?? 15_000);
    let deleted: string;
    try {
      await portal.authenticate(this.target.developer!, { signal });
      await portal.deleteApplication(app.id, { signal });
      deleted = `Deleted "${app.name}" in the portal`;
    } catch (err) {
      if (statusOf(err) !== 404) {
        throw fail(
          `Could not delete the test application "${app.name}" (${app.id}): ${messageOf(err)}`,
          finding(
            'cleanup.failed',
            `Delete "${app.name}" in the portal "${pub.portalName}" (My Apps) yourself.`,
            'warning',
          ),
        );
      }
      deleted = `"${app.name}" was already gone from the portal`;
    } finally {
      await portal.close().catch(() => undefined);
    }
    app.kept = false;
    return this.checkClientDeleted(app, deleted, run);
  }

  /**
   * Admin mode: the application, then its developer, then the Kong Identity client the run created, each with its
   * own answer (404: already gone). A client the admin owns is never deleted: Prove DCR did not create it.
   */
  private async adminCleanup(): Promise<StepOutcome> {
    const pub = this.target.publication!;
    const { app, adminDeveloper: dev, kiClient: ki } = this;
    const admin = this.deps.konnect.portalAdmin!;
    if (!app && !dev && !ki) return { status: 'skip', detail: 'Nothing was created: nothing to delete.' };
    if (this.target.keepApp && app)
      return {
        status: 'skip',
        detail: `Kept as asked: "${app.name}" (client id ${app.clientId}), its developer ${dev?.email ?? ''}${ki ? ` and Kong Identity client ${ki.id}` : ''} stay; delete the developer in the portal "${pub.portalName}" when done (its application goes with it).`,
      };
    const signal = AbortSignal.timeout(this.deps.cleanupTimeoutMs ?? 15_000);
    const done: string[] = [];
    const left: Finding[] = [];
    const remove = async (what: string, where: string, call: () => Promise<void>): Promise<boolean> => {
      try {
        await call();
        done.push(what);
      } catch (err) {
        if (statusOf(err) !== 404) {
          left.push(
            finding('cleanup.failed', `Could not delete ${what}: ${messageOf(err)}. Delete it ${where}.`, 'warning'),
          );
          return false;
        }
        done.push(`${what} (already gone)`);
      }
      return true;
    };
    const inPortal = `in the portal "${pub.portalName}"`;
    if (
      app &&
      (await remove(`the application "${app.name}"`, inPortal, () =>
        admin.deleteApplication(pub.portalId, app.id, { signal }),
      ))
    )
      app.kept = false;
    if (dev)
      await remove(`the test developer ${dev.email}`, inPortal, () =>
        admin.deleteDeveloper(pub.portalId, dev.id, { signal }),
      );
    if (ki)
      await remove(`the Kong Identity client ${ki.id}`, `on the auth server "${ki.authServerName}"`, () =>
        this.deps.konnect.identity!.clients.delete(ki.authServerId, ki.id, { signal }),
      );
    const owned =
      this.target.ownedClient && !ki
        ? `; your client ${this.target.ownedClient.clientId} was left as it is (Prove DCR did not create it)`
        : '';
    const detail = `Deleted ${done.join(', ') || 'nothing'}${owned}.`;
    if (!left.length) return { status: 'pass', detail };
    return { status: 'fail', detail, explanation: { summary: left[0]!.text, findings: left } };
  }

  /**
   * Konnect deletes the application's client at the identity provider when the application is deleted; whether it
   * did is seen only at the IdP. So ask its token endpoint for a token with the old credentials, as step 4 did, until
   * it refuses them (a deletion may take a moment to reach every node) or the time is up, and report what it said.
   */
  private async checkClientDeleted(app: ProveApplication, deleted: string, run: AbortSignal): Promise<StepOutcome> {
    const client = `client ${app.clientId}`;
    const idp = this.idpName();
    const notChecked: StepOutcome = {
      status: 'pass',
      detail: `${deleted}. Not checked whether ${client} is gone at ${idp}: the run was cancelled.`,
    };
    if (this.cancelled || run.aborted) return notChecked;
    if (!app.clientId || !app.clientSecret)
      return { status: 'pass', detail: `${deleted}. It had no client credentials to check at ${idp}.` };
    const retry = this.deps.deletionRetry ?? DEFAULT_RETRY;
    // the deletion itself runs even after a cancellation; this check does not: Cancel ends it at once
    const signal = AbortSignal.any([run, AbortSignal.timeout(retry.totalMs + (this.deps.cleanupTimeoutMs ?? 15_000))]);
    const view = this.view!;
    const unchecked = (why: string): StepOutcome => ({
      status: 'pass',
      detail: `${deleted}. Whether ${client} is gone at ${idp} could not be checked: ${why}.`,
      explanation: {
        summary: `Not checked that ${client} is gone at ${idp}.`,
        findings: [
          finding(
            'cleanup.idp_unchecked',
            `Not checked that ${client} is gone at ${idp}: ${why}. Check there that it no longer exists.`,
            'warning',
          ),
        ],
      },
    });
    let url: string;
    try {
      url = (this.tokenEndpoint ??= await findTokenEndpoint(this.deps.executor, view.issuer, view.providerType, signal))
        .url;
    } catch (err) {
      return unchecked(`its token endpoint could not be found (${messageOf(err)})`);
    }
    const params = tokenParams(view, url);
    const form = new URLSearchParams([
      ...params,
      ['client_id', app.clientId],
      ['client_secret', app.clientSecret],
    ]).toString();
    const headers: [string, string][] = [
      ['content-type', 'application/x-www-form-urlencoded'],
      ['accept', 'application/json'],
    ];
    const t0 = this.deps.clock.now();
    let attempts = 0;
    let worked = false;
    let last = '';
    for (;;) {
      attempts++;
      let res: ExecutedResponse | undefined;
      try {
        res = await this.deps.executor.execute({ method: 'POST', url, headers, body: form }, signal);
      } catch (err) {
        last = signal.aborted ? 'no answer in time' : messageOf(err);
      }
      if (res) {
        const body = jsonObject(res.body);
        const token = typeof body?.['access_token'] === 'string' ? body['access_token'] : undefined;
        if (token) this.deps.redactor?.add(token);
        const answer = `HTTP ${res.status}${typeof body?.['error'] === 'string' ? ` ${body['error']}` : ''}`;
        if (res.status >= 400 && res.status < 500 && !token) {
          const tries = attempts > 1 ? ` (after ${attempts} attempts)` : '';
          if (!this.accessToken) {
            return {
              status: 'pass',
              detail: `${deleted}. ${cap(idp)} refuses the old credentials of ${client} (${answer})${tries}, but it gave them no token before the deletion either (step 4), so this does not show that Konnect deleted the client.`,
            };
          }
          return {
            status: 'pass',
            detail: `${deleted}; ${idp} now refuses the old credentials (${answer})${tries}: Konnect deleted ${client} there.`,
          };
        }
        if (token) worked = true;
        last = token ? 'a token' : answer;
      }
      const timeUp = signal.aborted || this.deps.clock.now() - t0 + retry.intervalMs > retry.totalMs;
      if (run.aborted) {
        this.cancelled = true;
        return notChecked;
      }
      if (!timeUp) {
        try {
          await this.deps.clock.sleep(retry.intervalMs, signal);
          continue;
        } catch {
          if (run.aborted) {
            this.cancelled = true;
            return notChecked;
          }
        }
      }
      if (!worked)
        return unchecked(
          `the token endpoint ${url} answered ${last}${attempts > 1 ? ` (last of ${attempts} attempts)` : ''}`,
        );
      const waited = Math.round((this.deps.clock.now() - t0) / 100) / 10;
      const summary = `The client still works at ${idp}: Konnect did not delete it.`;
      return {
        status: 'fail',
        detail: `${deleted}, but ${client} still works at ${idp}: its token endpoint issued a token for the old credentials after the deletion (${attempts} attempt${attempts > 1 ? 's' : ''} over ${waited} s; last answer: ${last}).`,
        explanation: {
          summary,
          findings: [
            finding(
              'cleanup.idp_client_left',
              `${summary} Delete ${client} at ${idp} (${view.issuer}) by hand: whoever has its secret can still get tokens, and the portal no longer shows the application.`,
              'warning',
            ),
            finding(
              'cleanup.idp_client_why',
              `Konnect deletes the client through the DCR provider${this.target.strategy.dcr_provider ? ` "${this.target.strategy.dcr_provider.name}"` : ''}: check that its credentials may delete clients at ${idp}.`,
              'info',
            ),
          ],
        },
      };
    }
  }

  /** "Okta at https://…" for the report. */
  private idpName(): string {
    const t = this.target.strategy.dcr_provider?.provider_type;
    const label = t ? (PROVIDER_LABELS[t] ?? t) : 'the identity provider';
    return t ? `the identity provider (${label})` : label;
  }
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function jsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(body);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** One run: `new ProveRun(target, deps).run(signal)`. */
export function proveDcr(target: ProveTarget, deps: ProveDeps, signal: AbortSignal): Promise<ProveReport> {
  return new ProveRun(target, deps).run(signal);
}
