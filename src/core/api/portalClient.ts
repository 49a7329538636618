import {
  CreatedApplicationSchema,
  CreatedCredentialSchema,
  DeveloperApplicationSchema,
  PortalAuthStrategyListSchema,
  RegeneratedSecretSchema,
  RegistrationSchema,
  type CreateApplicationRequest,
  type CreateCredentialRequest,
  type CreateRegistrationRequest,
  type CreatedApplication,
  type CreatedCredential,
  type DeveloperApplication,
  type DeveloperCredentials,
  type PortalAuthStrategy,
  type RegeneratedSecret,
  type Registration,
} from '../model/portalApi';
import type { Page } from '../model/common';
import type { Redactor } from '../util/redact';
import { buildEngine, type HttpClientOptions } from './client';
import { Collection } from './collection';
import type { CallOptions, RestEngine } from './engine';
import { KonnectNetworkError } from './errors';
import { normalizeBaseUrl } from './regions';
import { seg, type ListQuery } from './query';
import { headerValues, type HttpTransport } from './transport';

export interface PortalClientOptions extends HttpClientOptions {
  /** The portal's own URL, e.g. `https://abc.us.kongportals.com` (the `default_domain`/`canonical_domain` of a portal). */
  portalUrl: string;
}

export const PORTAL_ACCESS_COOKIE = 'portalaccesstoken';

/**
 * The developer-facing Portal API on the portal's own domain (`/api/v3/...`), as a developer would use it: sign in
 * (`POST /api/v3/developer/authenticate` → cookie `portalaccesstoken`), then create applications (for a DCR strategy
 * Konnect registers the client at the IdP and returns `client_id`/`client_secret` once), register them for APIs,
 * regenerate their secret, delete them.
 */
export class PortalClient {
  readonly portalUrl: string;
  private readonly engine: RestEngine;
  private readonly transport: HttpTransport;
  private readonly ownsTransport: boolean;
  private readonly redactor: Redactor;
  private accessToken: string | undefined;

  constructor(options: PortalClientOptions) {
    this.portalUrl = normalizeBaseUrl(options.portalUrl);
    const built = buildEngine(this.portalUrl, options, () =>
      this.accessToken ? { cookie: `${PORTAL_ACCESS_COOKIE}=${this.accessToken}` } : {},
    );
    this.engine = built.engine;
    this.transport = built.transport;
    this.ownsTransport = built.ownsTransport;
    this.redactor = built.redactor;
  }

  get signedIn(): boolean {
    return this.accessToken !== undefined;
  }

  /** Signs the developer in and keeps the `portalaccesstoken` cookie for the next calls. */
  async authenticate(credentials: DeveloperCredentials, opts?: CallOptions): Promise<void> {
    this.redactor.add(credentials.password);
    const { res, site } = await this.engine.exchange(
      {
        method: 'POST',
        path: '/api/v3/developer/authenticate',
        body: { username: credentials.username, password: credentials.password },
      },
      opts,
    );
    const token = readCookie(headerValues(res, 'set-cookie'), PORTAL_ACCESS_COOKIE);
    if (!token) {
      throw new KonnectNetworkError(
        'malformed',
        `The portal accepted the sign-in to ${site.path} but set no ${PORTAL_ACCESS_COOKIE} cookie.`,
        { site, status: res.status },
      );
    }
    this.redactor.add(token);
    this.accessToken = token;
  }

  /** Uses a `portalaccesstoken` obtained elsewhere. */
  useAccessToken(token: string | undefined): void {
    if (token) this.redactor.add(token);
    this.accessToken = token;
  }

  listAuthStrategies(
    query?: ListQuery<'name' | 'credential_type', never>,
    opts?: CallOptions,
  ): Promise<Page<PortalAuthStrategy>> {
    return new Collection<PortalAuthStrategy, 'name' | 'credential_type', never>(
      this.engine,
      '/api/v3/application-auth-strategies',
      PortalAuthStrategyListSchema,
    ).list(query, opts);
  }

  /** 201. For DCR strategies the answer carries `client_id` and `client_secret`, shown this once. */
  createApplication(body: CreateApplicationRequest, opts?: CallOptions): Promise<CreatedApplication> {
    return this.engine.json({ method: 'POST', path: '/api/v3/applications', body }, CreatedApplicationSchema, opts);
  }

  getApplication(applicationId: string, opts?: CallOptions): Promise<DeveloperApplication> {
    return this.engine.json(
      { method: 'GET', path: `/api/v3/applications/${seg(applicationId)}` },
      DeveloperApplicationSchema,
      opts,
    );
  }

  /** Deletes the application and its registrations (Konnect deletes the IdP client too). */
  deleteApplication(applicationId: string, opts?: CallOptions): Promise<void> {
    return this.engine.noContent({ method: 'DELETE', path: `/api/v3/applications/${seg(applicationId)}` }, opts);
  }

  createRegistration(
    applicationId: string,
    body: CreateRegistrationRequest,
    opts?: CallOptions,
  ): Promise<Registration> {
    return this.engine.json(
      { method: 'POST', path: `/api/v3/applications/${seg(applicationId)}/registrations`, body },
      RegistrationSchema,
      opts,
    );
  }

  getRegistration(applicationId: string, registrationId: string, opts?: CallOptions): Promise<Registration> {
    return this.engine.json(
      { method: 'GET', path: `/api/v3/applications/${seg(applicationId)}/registrations/${seg(registrationId)}` },
      RegistrationSchema,
      opts,
    );
  }

  deleteRegistration(applicationId: string, registrationId: string, opts?: CallOptions): Promise<void> {
    return this.engine.noContent(
      { method: 'DELETE', path: `/api/v3/applications/${seg(applicationId)}/registrations/${seg(registrationId)}` },
      opts,
    );
  }

  /** 201 `{client_id, client_secret}`; 409 when the application has more than one credential. */
  regenerateSecret(applicationId: string, opts?: CallOptions): Promise<RegeneratedSecret> {
    return this.engine.json(
      { method: 'POST', path: `/api/v3/applications/${seg(applicationId)}/regenerate-secret` },
      RegeneratedSecretSchema,
      opts,
    );
  }

  /** A further credential (multi-credential DCR providers); its secret is shown once. */
  createCredential(
    applicationId: string,
    body: CreateCredentialRequest = {},
    opts?: CallOptions,
  ): Promise<CreatedCredential> {
    return this.engine.json(
      { method: 'POST', path: `/api/v3/applications/${seg(applicationId)}/credentials`, body },
      CreatedCredentialSchema,
      opts,
    );
  }

  async close(): Promise<void> {
    if (this.ownsTransport) await this.transport.close();
  }
}

export function createPortalClient(options: PortalClientOptions): PortalClient {
  return new PortalClient(options);
}

/** The value of cookie `name` in a list of `Set-Cookie` headers (each may also hold several, comma-joined). */
export function readCookie(setCookies: readonly string[], name: string): string | undefined {
  for (const header of setCookies) {
    for (const m of header.matchAll(new RegExp(`(?:^|[,\\s])${name}=([^;,\\s]*)`, 'g'))) {
      if (m[1]) return decodeURIComponent(m[1]);
    }
  }
  return undefined;
}
