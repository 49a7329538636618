/**
 * A portal's developers, applications and registrations, admin side (Portal Management v3), and the Gateway
 * Consumers a registration can be mapped to (Control Planes Configuration v2). Lists are paged with
 * `page[size]` / `page[number]` (`list` is one page; `pages` walks them; `listAll` is guarded by `maxItems`).
 */
import type { Page } from '../model/common';
import {
  ApplicationRegistrationListSchema,
  ApplicationRegistrationSchema,
  GatewayConsumerPageSchema,
  PortalApplicationListSchema,
  PortalApplicationSchema,
  PortalDeveloperListSchema,
  PortalDeveloperSchema,
  type ApplicationFilterField,
  type ApplicationRegistration,
  type ApplicationRegistrationStatus,
  type ApplicationSortField,
  type CreateApplicationRegistrationRequest,
  type CreatePortalApplicationRequest,
  type CreateDeveloperRequest,
  type DeveloperFilterField,
  type DeveloperSortField,
  type GatewayConsumer,
  type PortalApplication,
  type PortalDeveloper,
  type PortalRegistrationFilterField,
  type RegistrationSortField,
  type UpdateDeveloperRequest,
} from '../model/portalAdmin';
import { Collection, type ListAllOptions } from './collection';
import type { CallOptions, RestEngine } from './engine';
import { seg, type ListQuery } from './query';

export class PortalAdminApi {
  constructor(private readonly engine: RestEngine) {}

  private portal(portalId: string): string {
    return `/v3/portals/${seg(portalId)}`;
  }
  private application(portalId: string, applicationId: string): string {
    return `${this.portal(portalId)}/applications/${seg(applicationId)}`;
  }
  private registration(portalId: string, applicationId: string, registrationId: string): string {
    return `${this.application(portalId, applicationId)}/registrations/${seg(registrationId)}`;
  }

  // ------------------------------------------------------------------------------------------- developers

  private developerCollection(portalId: string) {
    return new Collection<PortalDeveloper, DeveloperFilterField, DeveloperSortField>(
      this.engine,
      `${this.portal(portalId)}/developers`,
      PortalDeveloperListSchema,
    );
  }
  /** `GET /v3/portals/{portalId}/developers`: one page. */
  listDevelopers(
    portalId: string,
    query?: ListQuery<DeveloperFilterField, DeveloperSortField>,
    opts?: CallOptions,
  ): Promise<Page<PortalDeveloper>> {
    return this.developerCollection(portalId).list(query, opts);
  }
  listAllDevelopers(
    portalId: string,
    query?: ListQuery<DeveloperFilterField, DeveloperSortField>,
    opts?: ListAllOptions,
  ): Promise<PortalDeveloper[]> {
    return this.developerCollection(portalId).listAll(query, opts);
  }
  getDeveloper(portalId: string, developerId: string, opts?: CallOptions): Promise<PortalDeveloper> {
    return this.engine.json(
      { method: 'GET', path: `${this.portal(portalId)}/developers/${seg(developerId)}` },
      PortalDeveloperSchema,
      opts,
    );
  }
  /** `POST …/developers` (201; 409 when the portal has a developer with this email). */
  createDeveloper(portalId: string, body: CreateDeveloperRequest, opts?: CallOptions): Promise<PortalDeveloper> {
    return this.engine.json(
      { method: 'POST', path: `${this.portal(portalId)}/developers`, body },
      PortalDeveloperSchema,
      opts,
    );
  }
  /** `DELETE …/developers/{id}`: Konnect deletes the applications the developer owns with it. */
  deleteDeveloper(portalId: string, developerId: string, opts?: CallOptions): Promise<void> {
    return this.engine.noContent(
      { method: 'DELETE', path: `${this.portal(portalId)}/developers/${seg(developerId)}` },
      opts,
    );
  }
  /** `PATCH …/developers/{id}`: e.g. `{ status: 'approved' }`. */
  updateDeveloper(
    portalId: string,
    developerId: string,
    body: UpdateDeveloperRequest,
    opts?: CallOptions,
  ): Promise<PortalDeveloper> {
    return this.engine.json(
      { method: 'PATCH', path: `${this.portal(portalId)}/developers/${seg(developerId)}`, body },
      PortalDeveloperSchema,
      opts,
    );
  }

  // ------------------------------------------------------------------------------------------- applications

  private applicationCollection(portalId: string) {
    return new Collection<PortalApplication, ApplicationFilterField, ApplicationSortField>(
      this.engine,
      `${this.portal(portalId)}/applications`,
      PortalApplicationListSchema,
    );
  }
  /** `GET /v3/portals/{portalId}/applications`: one page. */
  listApplications(
    portalId: string,
    query?: ListQuery<ApplicationFilterField, ApplicationSortField>,
    opts?: CallOptions,
  ): Promise<Page<PortalApplication>> {
    return this.applicationCollection(portalId).list(query, opts);
  }
  pagesOfApplications(
    portalId: string,
    query?: ListQuery<ApplicationFilterField, ApplicationSortField>,
    opts?: CallOptions,
  ): AsyncGenerator<Page<PortalApplication>, void, undefined> {
    return this.applicationCollection(portalId).pages(query, opts);
  }
  getApplication(portalId: string, applicationId: string, opts?: CallOptions): Promise<PortalApplication> {
    return this.engine.json(
      { method: 'GET', path: this.application(portalId, applicationId) },
      PortalApplicationSchema,
      opts,
    );
  }
  /** `POST …/applications` for an owner (developer or team); no secret in the answer. */
  createApplication(
    portalId: string,
    body: CreatePortalApplicationRequest,
    opts?: CallOptions,
  ): Promise<PortalApplication> {
    return this.engine.json(
      { method: 'POST', path: `${this.portal(portalId)}/applications`, body },
      PortalApplicationSchema,
      opts,
    );
  }
  /** Deletes the application with its registrations and credentials (Konnect deletes a DCR client at the IdP). */
  deleteApplication(portalId: string, applicationId: string, opts?: CallOptions): Promise<void> {
    return this.engine.noContent({ method: 'DELETE', path: this.application(portalId, applicationId) }, opts);
  }

  // ------------------------------------------------------------------------------------------- registrations

  /** `GET /v3/portals/{portalId}/application-registrations`: one page, across the portal's applications. */
  listRegistrations(
    portalId: string,
    query?: ListQuery<PortalRegistrationFilterField, RegistrationSortField>,
    opts?: CallOptions,
  ): Promise<Page<ApplicationRegistration>> {
    return new Collection<ApplicationRegistration, PortalRegistrationFilterField, RegistrationSortField>(
      this.engine,
      `${this.portal(portalId)}/application-registrations`,
      ApplicationRegistrationListSchema,
    ).list(query, opts);
  }
  /** `GET …/applications/{id}/registrations`: one page of one application's registrations. */
  listApplicationRegistrations(
    portalId: string,
    applicationId: string,
    query?: ListQuery<'status', Exclude<RegistrationSortField, 'developer_id'>>,
    opts?: CallOptions,
  ): Promise<Page<ApplicationRegistration>> {
    return new Collection<ApplicationRegistration, 'status', Exclude<RegistrationSortField, 'developer_id'>>(
      this.engine,
      `${this.application(portalId, applicationId)}/registrations`,
      ApplicationRegistrationListSchema,
    ).list(query, opts);
  }
  getRegistration(
    portalId: string,
    applicationId: string,
    registrationId: string,
    opts?: CallOptions,
  ): Promise<ApplicationRegistration> {
    return this.engine.json(
      { method: 'GET', path: this.registration(portalId, applicationId, registrationId) },
      ApplicationRegistrationSchema,
      opts,
    );
  }
  /** `POST …/applications/{id}/registrations` (201; 409 when already registered for the API). */
  createRegistration(
    portalId: string,
    applicationId: string,
    body: CreateApplicationRegistrationRequest,
    opts?: CallOptions,
  ): Promise<ApplicationRegistration> {
    return this.engine.json(
      { method: 'POST', path: `${this.application(portalId, applicationId)}/registrations`, body },
      ApplicationRegistrationSchema,
      opts,
    );
  }
  /** `PATCH …/registrations/{id} { status }`: approve, reject, revoke (or back to pending). */
  setRegistrationStatus(
    portalId: string,
    applicationId: string,
    registrationId: string,
    status: ApplicationRegistrationStatus,
    opts?: CallOptions,
  ): Promise<ApplicationRegistration> {
    return this.engine.json(
      { method: 'PATCH', path: this.registration(portalId, applicationId, registrationId), body: { status } },
      ApplicationRegistrationSchema,
      opts,
    );
  }
  deleteRegistration(
    portalId: string,
    applicationId: string,
    registrationId: string,
    opts?: CallOptions,
  ): Promise<void> {
    return this.engine.noContent(
      { method: 'DELETE', path: this.registration(portalId, applicationId, registrationId) },
      opts,
    );
  }
  /**
   * `PUT …/registrations/{id}/consumer { id }`: maps an existing Gateway Consumer to the application in the
   * registration's Gateway context (shared by its registrations of APIs implemented in the same control plane).
   */
  linkConsumer(
    portalId: string,
    applicationId: string,
    registrationId: string,
    consumerId: string,
    opts?: CallOptions,
  ): Promise<void> {
    return this.engine.noContent(
      {
        method: 'PUT',
        path: `${this.registration(portalId, applicationId, registrationId)}/consumer`,
        body: { id: consumerId },
      },
      opts,
    );
  }
  /** `DELETE …/registrations/{id}/consumer`. */
  unlinkConsumer(portalId: string, applicationId: string, registrationId: string, opts?: CallOptions): Promise<void> {
    return this.engine.noContent(
      { method: 'DELETE', path: `${this.registration(portalId, applicationId, registrationId)}/consumer` },
      opts,
    );
  }

  // ------------------------------------------------------------------------------------------- Gateway Consumers

  /** One page of a control plane's consumers (Kong's `size` / `offset` paging; `offset` is there while more follow). */
  listConsumers(
    controlPlaneId: string,
    page: { size?: number; offset?: string } = {},
    opts?: CallOptions,
  ): Promise<{ data: GatewayConsumer[]; offset?: string | null | undefined }> {
    const query: [string, string][] = [['size', String(page.size ?? 100)]];
    if (page.offset) query.push(['offset', page.offset]);
    return this.engine.json(
      { method: 'GET', path: `/v2/control-planes/${seg(controlPlaneId)}/core-entities/consumers`, query },
      GatewayConsumerPageSchema,
      opts,
    );
  }
}
