/**
 * The DCR Doctor walk. Every link is checked (a link whose input a broken link took away is `unknown`, not
 * skipped silently), then the report names the object of the first broken link in chain order.
 *
 * What each link holds, and why:
 * - provider: Konnect verifies the DCR provider (`POST /v2/dcr-providers/{id}/verify`): Konnect can reach the IdP
 *   with the provider's credentials, so it can register clients there.
 * - idp: the issuer's discovery document answers, with a `token_endpoint`, `client_credentials` among
 *   `grant_types_supported` when the strategy uses it and the list is published, and a `jwks_uri` whose key set has
 *   keys: the developer gets tokens there and the gateway checks their signatures with those keys.
 * - strategy: the strategy's issuer is the discovery document's `issuer` (compared without a trailing slash, and
 *   with the discovery URL form `…/.well-known/openid-configuration` accepted, as Konnect accepts it for Curity):
 *   the gateway refuses tokens whose `iss` is not the strategy's issuer.
 * - publication: the strategy is the auth strategy of a publication of the API in a portal.
 * - implementation: the API is linked to a Gateway Service (an API implementation); without one Konnect does not
 *   enforce the strategy anywhere (Konnect itself warns about it when the API is published).
 * - service: that Gateway Service exists in its control plane (`GET /v2/control-planes/{cp}/core-entities/services/{id}`).
 * - plugin: among the control plane's enabled plugins that apply to the service (scoped to it, or global), exactly
 *   one of the Konnect Application Auth plugin (`konnect-application-auth`) and the Access Control Enforcement plugin
 *   (`ace`): none leaves the API open, both enforce twice with different rules.
 * - registration: no registration of an application for the API is pending; when one is, the publication's
 *   `auto_approve_registrations` and the portal's `auto_approve_applications` explain why.
 * - claims: each credential claim (default `sub`) is a claim every access token may carry (RFC 9068: iss, sub, aud,
 *   exp, iat, jti, client_id, scope), the IdP's own client-id claim, or one the IdP issues; each scope (but `openid`)
 *   one it grants. Kong Identity's auth server says exactly which (broken when missing); elsewhere the discovery
 *   document's claims_supported / scopes_supported, which need not be complete (unknown when missing).
 */
import { KonnectApiError } from '../api/errors';
import type { AppAuthStrategy } from '../model/authStrategy';
import type { Api, ApiPublicationListItem, Portal } from '../model/catalog';
import type { DcrProvider } from '../model/dcrProvider';
import { providerType } from '../model/providerTypes';
import type { AdminRegistration, GatewayPlugin } from '../model/gateway';
import { discoveryUrl } from '../oidc/discovery';
import { normalizeIssuer } from '../requests/jwt';
import { systemClock, type Clock } from '../util/clock';
import type { DoctorPorts } from './ports';
import {
  LINK_IDS,
  LINK_TITLES,
  type DoctorFix,
  type DoctorLink,
  type DoctorObject,
  type DoctorReport,
  type DoctorTarget,
  type LinkId,
  type LinkStatus,
} from './types';

export const APP_AUTH_PLUGIN = 'konnect-application-auth';
export const ACE_PLUGIN = 'ace';
/** Claims an access token may carry whatever the IdP lists in claims_supported (RFC 9068 §2.2, plus scope). */
const ACCESS_TOKEN_CLAIMS = new Set(['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti', 'client_id', 'scope']);

interface Discovery {
  readonly url: string;
  readonly issuer?: string | undefined;
  readonly claimsSupported?: readonly string[] | undefined;
  readonly scopesSupported?: readonly string[] | undefined;
}

const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const message = (err: unknown): string =>
  err instanceof KonnectApiError
    ? `Konnect answered ${err.status}${err.detail ? `: ${err.detail}` : ''}`
    : err instanceof Error
      ? err.message
      : String(err);
const list = (xs: readonly string[]): string => xs.map((x) => `\`${x}\``).join(', ');

class Links {
  private readonly map = new Map<LinkId, DoctorLink>();
  set(
    id: LinkId,
    status: LinkStatus,
    detail: string,
    object?: DoctorObject | undefined,
    fixes: readonly DoctorFix[] = [],
  ): void {
    this.map.set(id, { id, title: LINK_TITLES[id], status, detail, object, fixes });
  }
  has(id: LinkId): boolean {
    return this.map.has(id);
  }
  all(): DoctorLink[] {
    return LINK_IDS.map(
      (id) => this.map.get(id) ?? { id, title: LINK_TITLES[id], status: 'unknown', detail: 'Not checked.', fixes: [] },
    );
  }
}

export interface DiagnoseOptions {
  readonly signal: AbortSignal;
  readonly clock?: Clock | undefined;
}

export async function diagnose(ports: DoctorPorts, target: DoctorTarget, opts: DiagnoseOptions): Promise<DoctorReport> {
  const { signal } = opts;
  const clock = opts.clock ?? systemClock;
  const started = clock.now();
  const links = new Links();

  // ---- what to walk: the strategy and the publication (either may be missing: that is a broken link)
  let strategy: AppAuthStrategy | undefined;
  let api: Api | undefined;
  let pubs: ApiPublicationListItem[] = [];
  let subject: DoctorObject;
  if (target.kind === 'strategy') {
    strategy = await ports.strategy(target.strategyId, signal);
    subject = { kind: 'strategy', name: strategy.name, id: strategy.id };
    pubs = (await ports.publications({ strategyId: strategy.id }, signal)).filter(
      (p) => (!target.apiId || p.api_id === target.apiId) && (!target.portalId || p.portal_id === target.portalId),
    );
  } else {
    api = await ports.api(target.apiId, signal);
    subject = { kind: 'api', name: api.name, id: api.id };
    pubs = (await ports.publications({ apiId: api.id }, signal)).filter(
      (p) => !target.portalId || p.portal_id === target.portalId,
    );
  }
  const pub = pubs[0];
  let portal: Portal | undefined;
  if (pub) {
    api ??= await ports.api(pub.api_id, signal);
    portal = await ports.portal(pub.portal_id, signal);
    if (target.kind === 'publication')
      subject = { kind: 'publication', name: `${api.name} in ${portal.name}`, id: `${api.id}/${portal.id}` };
  }
  const pubObject: DoctorObject | undefined =
    pub && api && portal
      ? { kind: 'publication', name: `${api.name} in ${portal.name}`, id: `${api.id}/${portal.id}` }
      : undefined;
  const openPub: DoctorFix[] = pub ? [{ kind: 'openPublication', apiId: pub.api_id, portalId: pub.portal_id }] : [];

  // ---- publication
  if (target.kind === 'strategy' && strategy) {
    if (pub && api && portal)
      links.set(
        'publication',
        'pass',
        `"${strategy.name}" is the auth strategy of "${api.name}" in the portal "${portal.name}"${pubs.length > 1 ? ` (and of ${pubs.length - 1} more publication${pubs.length > 2 ? 's' : ''}; this one is walked)` : ''}.`,
        pubObject,
        openPub,
      );
    else
      links.set(
        'publication',
        'fail',
        `"${strategy.name}" is not the auth strategy of any API publication${target.apiId || target.portalId ? ' of the API and portal asked for' : ''}: no developer can register an application for an API with it. Publish an API with this strategy.`,
        { kind: 'strategy', name: strategy.name, id: strategy.id },
        [{ kind: 'editStrategy', strategyId: strategy.id }],
      );
  } else if (api) {
    if (!pub || !portal)
      links.set(
        'publication',
        'fail',
        target.kind === 'publication'
          ? `"${api.name}" is not published to that portal.`
          : `"${api.name}" is not published to any portal: no developer can register for it.`,
        { kind: 'api', name: api.name, id: api.id },
      );
    else {
      const strategyId = pub.auth_strategy_ids?.[0];
      if (!strategyId)
        links.set(
          'publication',
          'fail',
          `The publication of "${api.name}" in "${portal.name}" has no auth strategy: applications are not used for it, so nothing of DCR applies. Publish it with a DCR auth strategy.`,
          pubObject,
          openPub,
        );
      else {
        strategy = await ports.strategy(strategyId, signal);
        links.set(
          'publication',
          'pass',
          `"${api.name}" is published to "${portal.name}" with the strategy "${strategy.name}".`,
          pubObject,
          openPub,
        );
      }
    }
  }

  // ---- provider, IdP, issuer, claims: the strategy's side
  await strategySide(ports, strategy, links, signal);

  // ---- the API's side: implementation, service, plugin, registrations
  if (api) await gatewaySide(ports, api, links, signal);
  if (pub && api && portal && strategy) await registrationSide(ports, api, portal, pub, links, signal);

  const all = links.all();
  const broken = all.find((l) => l.status === 'fail');
  return {
    target,
    subject,
    links: all,
    verdict: broken ? 'fail' : all.some((l) => l.status === 'unknown') ? 'unknown' : 'pass',
    culprit: broken ? { link: broken.id, object: broken.object, detail: broken.detail } : undefined,
    publication:
      pub && api && portal
        ? { apiId: api.id, apiName: api.name, portalId: portal.id, portalName: portal.name }
        : undefined,
    otherPublications: Math.max(0, pubs.length - 1),
    ms: clock.now() - started,
  };
}

async function strategySide(
  ports: DoctorPorts,
  strategy: AppAuthStrategy | undefined,
  links: Links,
  signal: AbortSignal,
): Promise<void> {
  if (!strategy) {
    for (const id of ['provider', 'idp', 'strategy', 'claims'] as const)
      links.set(id, 'unknown', 'Not checked: there is no auth strategy to check (see the publication).');
    return;
  }
  const sObj: DoctorObject = { kind: 'strategy', name: strategy.name, id: strategy.id };
  const editStrategy: DoctorFix[] = [{ kind: 'editStrategy', strategyId: strategy.id }];
  if (strategy.strategy_type !== 'openid_connect') {
    for (const id of ['provider', 'idp', 'strategy', 'claims'] as const)
      links.set(
        id,
        'skip',
        `"${strategy.name}" is a key_auth strategy: no DCR provider and no identity provider.`,
        sObj,
      );
    return;
  }
  const oidc = strategy.configs['openid-connect'];

  // provider
  let provider: DcrProvider | undefined;
  if (!strategy.dcr_provider) {
    links.set(
      'provider',
      'skip',
      `"${strategy.name}" has no DCR provider: developers bring clients they registered at the identity provider themselves.`,
      sObj,
    );
  } else {
    const ref = strategy.dcr_provider;
    const pObj: DoctorObject = { kind: 'dcrProvider', name: ref.name, id: ref.id };
    const fixes: DoctorFix[] = [
      { kind: 'verifyProvider', providerId: ref.id },
      { kind: 'editProvider', providerId: ref.id },
    ];
    try {
      provider = await ports.provider(ref.id, signal);
      const v = await ports.verify(ref.id, signal);
      if (v.status === 'success')
        links.set(
          'provider',
          'pass',
          `Konnect verified "${provider.name}" (${providerType(provider.provider_type).label}, issuer ${provider.issuer}).`,
          pObj,
          fixes,
        );
      else
        links.set(
          'provider',
          'fail',
          `Konnect could not verify "${provider.name}"${v.errors.length ? `: ${v.errors.join('; ')}` : ''}. Konnect cannot register clients at the identity provider with these settings (the issuer, or the DCR credentials).`,
          pObj,
          fixes,
        );
    } catch (err) {
      if (signal.aborted) throw err;
      links.set('provider', 'unknown', `Could not verify "${ref.name}": ${message(err)}.`, pObj, fixes);
    }
  }

  // idp: the provider's issuer when there is a provider (that is where Konnect registers), else the strategy's
  const issuer = provider?.issuer ?? oidc.issuer;
  const idpObj: DoctorObject = { kind: 'identityProvider', name: normalizeIssuer(issuer), id: discoveryUrl(issuer) };
  const idpFixes: DoctorFix[] = provider ? [{ kind: 'editProvider', providerId: provider.id }] : editStrategy;
  let discovery: Discovery | undefined;
  try {
    const url = discoveryUrl(issuer);
    const res = await ports.getJson(url, signal);
    const doc = res.body && typeof res.body === 'object' ? (res.body as Record<string, unknown>) : undefined;
    if (res.status !== 200 || !doc) {
      links.set(
        'idp',
        'fail',
        `The discovery document ${url} answered HTTP ${res.status}${doc ? '' : ' without a JSON document'}: the issuer is wrong, or the identity provider is not reachable.`,
        idpObj,
        idpFixes,
      );
    } else {
      discovery = {
        url,
        issuer: str(doc['issuer']),
        claimsSupported: strings(doc['claims_supported']),
        scopesSupported: strings(doc['scopes_supported']),
      };
      const problems: string[] = [];
      if (!str(doc['token_endpoint'])) problems.push('it has no `token_endpoint`');
      const grants = strings(doc['grant_types_supported']);
      if (grants && oidc.auth_methods.includes('client_credentials') && !grants.includes('client_credentials'))
        problems.push(
          `its grant_types_supported (${list(grants)}) has no \`client_credentials\`, which the strategy uses`,
        );
      const jwksUri = str(doc['jwks_uri']);
      if (!jwksUri) problems.push('it has no `jwks_uri`: the gateway cannot check token signatures');
      else {
        try {
          const jwks = await ports.getJson(jwksUri, signal);
          const keys =
            jwks.body && typeof jwks.body === 'object' ? (jwks.body as Record<string, unknown>)['keys'] : undefined;
          if (jwks.status !== 200 || !Array.isArray(keys) || keys.length === 0)
            problems.push(
              `its key set ${jwksUri} ${jwks.status !== 200 ? `answered HTTP ${jwks.status}` : 'has no keys'}`,
            );
        } catch (err) {
          if (signal.aborted) throw err;
          problems.push(`its key set ${jwksUri} could not be read (${message(err)})`);
        }
      }
      if (problems.length)
        links.set(
          'idp',
          'fail',
          `The discovery document ${url} answers, but ${problems.join('; ')}.`,
          idpObj,
          idpFixes,
        );
      else
        links.set(
          'idp',
          'pass',
          `${url} answers: token endpoint ${String(doc['token_endpoint'])}${grants ? `, grant types ${list(grants)}` : ''}, keys at ${jwksUri ?? ''}.`,
          idpObj,
        );
    }
  } catch (err) {
    if (signal.aborted) throw err;
    links.set(
      'idp',
      'fail',
      `The discovery document ${discoveryUrl(issuer)} could not be read: ${message(err)}.`,
      idpObj,
      idpFixes,
    );
  }

  // strategy: its issuer is the IdP's
  const idpIssuer = discovery?.issuer;
  if (!idpIssuer)
    links.set(
      'strategy',
      'unknown',
      discovery
        ? `The discovery document names no issuer to compare "${strategy.name}"'s issuer ${oidc.issuer} with.`
        : `Not checked: the identity provider's discovery document is not available (see above).`,
      sObj,
      editStrategy,
    );
  else if (normalizeIssuer(oidc.issuer) === normalizeIssuer(idpIssuer))
    links.set(
      'strategy',
      'pass',
      `"${strategy.name}"'s issuer ${oidc.issuer} is the identity provider's issuer.`,
      sObj,
      editStrategy,
    );
  else
    links.set(
      'strategy',
      'fail',
      `"${strategy.name}"'s issuer is ${oidc.issuer}, but the identity provider's is ${idpIssuer}: the gateway refuses every token it issues (their \`iss\` is not the strategy's issuer). Set the strategy's issuer to ${idpIssuer}.`,
      sObj,
      editStrategy,
    );

  // claims and scopes
  await claimsLink(ports, strategy, provider, discovery, links, signal);
}

/**
 * Can the IdP put the credential claim in its tokens and grant the scopes? Kong Identity says exactly which scopes
 * and claims an auth server has (its API), so there a missing one is a broken link. Elsewhere the discovery
 * document's lists are all there is, and they need not be complete (OpenID Connect Discovery: claims_supported
 * "might not be an exhaustive list"; RFC 8414: servers "MAY choose not to advertise some supported scope values"),
 * so an unlisted claim or scope is `unknown`, not broken.
 */
async function claimsLink(
  ports: DoctorPorts,
  strategy: AppAuthStrategy,
  provider: DcrProvider | undefined,
  discovery: Discovery | undefined,
  links: Links,
  signal: AbortSignal,
): Promise<void> {
  const oidc = (strategy as Extract<AppAuthStrategy, { strategy_type: 'openid_connect' }>).configs['openid-connect'];
  const sObj: DoctorObject = { kind: 'strategy', name: strategy.name, id: strategy.id };
  const editStrategy: DoctorFix[] = [{ kind: 'editStrategy', strategyId: strategy.id }];
  const type = provider?.provider_type ?? strategy.dcr_provider?.provider_type;
  const clientIdClaim = type ? providerType(type).clientIdClaim : undefined;
  const claims = oidc.credential_claim.length ? oidc.credential_claim : ['sub'];
  const always = (c: string): boolean => ACCESS_TOKEN_CLAIMS.has(c) || c === clientIdClaim;
  const scopes = oidc.scopes.filter((s) => s !== 'openid');

  if (type === 'kongIdentity') {
    let as;
    try {
      as = await ports.kongIdentity(provider?.issuer ?? oidc.issuer, signal);
    } catch (err) {
      if (signal.aborted) throw err;
      links.set(
        'claims',
        'unknown',
        `Could not read the Kong Identity auth server: ${message(err)}.`,
        sObj,
        editStrategy,
      );
      return;
    }
    if (as) {
      const missingClaims = claims.filter((c) => !always(c) && !as.claims.includes(c));
      const missingScopes = scopes.filter((s) => !as.scopes.includes(s));
      const problems: string[] = [];
      if (missingClaims.length)
        problems.push(
          `the credential claim ${list(missingClaims)} is not a claim of the auth server "${as.name}" (its claims: ${as.claims.length ? list(as.claims) : 'none'}), so its tokens cannot carry it`,
        );
      if (missingScopes.length)
        problems.push(
          `the scope ${list(missingScopes)} is not an enabled scope of the auth server "${as.name}" (its scopes: ${as.scopes.length ? list(as.scopes) : 'none'})`,
        );
      if (problems.length)
        links.set('claims', 'fail', `For "${strategy.name}": ${problems.join('; ')}.`, sObj, editStrategy);
      else
        links.set(
          'claims',
          'pass',
          `The auth server "${as.name}" issues the credential claim ${list(claims)}${scopes.length ? ` and has the scopes ${list(scopes)}` : ''}.`,
          sObj,
        );
      return;
    }
  }

  if (!discovery) {
    links.set(
      'claims',
      'unknown',
      "Not checked: the identity provider's discovery document is not available (see above).",
      sObj,
      editStrategy,
    );
    return;
  }
  const unlisted: string[] = [];
  const notes: string[] = [];
  if (discovery.claimsSupported) {
    const missing = claims.filter((c) => !always(c) && !discovery.claimsSupported!.includes(c));
    if (missing.length)
      unlisted.push(
        `the credential claim ${list(missing)} is not in its claims_supported (${list(discovery.claimsSupported)})`,
      );
  } else notes.push('it publishes no claims_supported');
  if (discovery.scopesSupported) {
    const missing = scopes.filter((s) => !discovery.scopesSupported!.includes(s));
    if (missing.length)
      unlisted.push(`the scope ${list(missing)} is not in its scopes_supported (${list(discovery.scopesSupported)})`);
  } else if (scopes.length) notes.push('it publishes no scopes_supported');
  if (unlisted.length)
    links.set(
      'claims',
      'unknown',
      `For "${strategy.name}": ${unlisted.join('; ')}. These lists need not be complete, so this may still work: if tokens come back without it, add it at the identity provider or change the strategy.`,
      sObj,
      editStrategy,
    );
  else if (!discovery.claimsSupported && !(discovery.scopesSupported && scopes.length))
    links.set(
      'claims',
      'unknown',
      `The identity provider ${notes.join(', and ') || 'lists nothing to check'}: nothing to check the strategy against.`,
      sObj,
      editStrategy,
    );
  else
    links.set(
      'claims',
      'pass',
      `The identity provider lists the credential claim ${list(claims)}${scopes.length ? ` and the scopes ${list(scopes)}` : ''}${notes.length ? ` (${notes.join(', ')})` : ''}.`,
      sObj,
    );
}

async function gatewaySide(ports: DoctorPorts, api: Api, links: Links, signal: AbortSignal): Promise<void> {
  const apiObj: DoctorObject = { kind: 'api', name: api.name, id: api.id };
  let impls;
  try {
    impls = await ports.implementations(api.id, signal);
  } catch (err) {
    if (signal.aborted) throw err;
    links.set(
      'implementation',
      'unknown',
      `Could not read the implementations of "${api.name}": ${message(err)}.`,
      apiObj,
    );
    for (const id of ['service', 'plugin'] as const)
      links.set(id, 'unknown', 'Not checked: the API implementation is not known.');
    return;
  }
  const impl = impls[0];
  if (!impl) {
    links.set(
      'implementation',
      'fail',
      `"${api.name}" is not linked to a Gateway Service (it has no API implementation): its auth strategy is not enforced anywhere, and the gateway serves it without checking tokens. Link the API to the Gateway Service that serves it.`,
      apiObj,
    );
    for (const id of ['service', 'plugin'] as const)
      links.set(id, 'unknown', 'Not checked: the API is not linked to a Gateway Service.');
    return;
  }
  let controlPlaneId: string;
  let serviceId: string | undefined;
  if ('service' in impl) {
    controlPlaneId = impl.service.control_plane_id;
    serviceId = impl.service.id;
    const syncError = impl.service.auth_strategy_sync_error;
    if (syncError)
      links.set(
        'implementation',
        'fail',
        `Konnect could not sync the auth strategy to the Gateway Service ${serviceId}: ${syncError.message}.`,
        apiObj,
      );
    else
      links.set(
        'implementation',
        'pass',
        `"${api.name}" is implemented by the Gateway Service ${serviceId} of the control plane ${controlPlaneId}.`,
        apiObj,
      );
  } else {
    controlPlaneId = impl.control_plane.control_plane_id;
    links.set(
      'implementation',
      'pass',
      `"${api.name}" is implemented by the control plane ${controlPlaneId} as a whole.`,
      apiObj,
    );
    links.set('service', 'skip', 'The API is linked to a control plane, not to one Gateway Service.', {
      kind: 'controlPlane',
      name: controlPlaneId,
      id: controlPlaneId,
    });
  }

  let serviceName = serviceId ?? '';
  if (serviceId) {
    const svcObj: DoctorObject = { kind: 'gatewayService', name: serviceId, id: serviceId };
    try {
      const svc = await ports.service(controlPlaneId, serviceId, signal);
      if (!svc) {
        links.set(
          'service',
          'fail',
          `The control plane ${controlPlaneId} has no Gateway Service ${serviceId}: "${api.name}" is linked to a service that does not exist (deleted, or another control plane).`,
          svcObj,
        );
        links.set('plugin', 'unknown', 'Not checked: the Gateway Service does not exist.');
        return;
      }
      serviceName = svc.name ?? svc.id;
      links.set(
        'service',
        'pass',
        `The Gateway Service "${serviceName}" (${svc.id}) exists in the control plane ${controlPlaneId}.`,
        {
          kind: 'gatewayService',
          name: serviceName,
          id: svc.id,
        },
      );
    } catch (err) {
      if (signal.aborted) throw err;
      links.set('service', 'unknown', `Could not read the Gateway Service ${serviceId}: ${message(err)}.`, svcObj);
    }
  }

  const cpObj: DoctorObject = { kind: 'controlPlane', name: controlPlaneId, id: controlPlaneId };
  let plugins: GatewayPlugin[];
  try {
    plugins = await ports.plugins(controlPlaneId, signal);
  } catch (err) {
    if (signal.aborted) throw err;
    links.set(
      'plugin',
      'unknown',
      `Could not read the plugins of the control plane ${controlPlaneId}: ${message(err)}.`,
      cpObj,
    );
    return;
  }
  const applies = (p: GatewayPlugin): boolean =>
    p.enabled !== false &&
    (serviceId && p.service?.id
      ? p.service.id === serviceId
      : !p.service && !p.route && !p.consumer && !p.consumer_group);
  const where = (p: GatewayPlugin): string => (p.service?.id ? `on the service ${serviceName}` : 'global');
  const appAuth = plugins.filter((p) => p.name === APP_AUTH_PLUGIN && applies(p));
  const ace = plugins.filter((p) => p.name === ACE_PLUGIN && applies(p));
  const pluginObj = (p: GatewayPlugin): DoctorObject => ({ kind: 'plugin', name: `${p.name} (${where(p)})`, id: p.id });
  if (appAuth.length && ace.length) {
    // Konnect manages konnect-application-auth on a linked Gateway Service; ACE is the control-plane-wide way.
    // With a service link the ACE plugin is the one too many, with a control plane link the app-auth one.
    const extra = serviceId ? ace[0]! : appAuth[0]!;
    links.set(
      'plugin',
      'fail',
      `Both the Konnect Application Auth plugin (${appAuth.map((p) => `${p.id}, ${where(p)}`).join('; ')}) and the Access Control Enforcement plugin (${ace.map((p) => `${p.id}, ${where(p)}`).join('; ')}) apply to "${api.name}" in the control plane ${controlPlaneId}: requests are checked twice, with different rules. Keep one: remove the ${extra.name} plugin ${extra.id}.`,
      pluginObj(extra),
    );
  } else if (!appAuth.length && !ace.length)
    links.set(
      'plugin',
      'fail',
      `No enabled \`${APP_AUTH_PLUGIN}\` or \`${ACE_PLUGIN}\` plugin applies to ${serviceId ? `the Gateway Service "${serviceName}"` : 'the control plane'}: the gateway does not enforce the strategy, anyone can call "${api.name}".`,
      serviceId ? { kind: 'gatewayService', name: serviceName, id: serviceId } : cpObj,
    );
  else {
    const one = (appAuth[0] ?? ace[0])!;
    links.set(
      'plugin',
      'pass',
      `The ${one.name} plugin ${one.id} (${where(one)}) enforces the strategy, and only it.`,
      pluginObj(one),
    );
  }
}

async function registrationSide(
  ports: DoctorPorts,
  api: Api,
  portal: Portal,
  pub: ApiPublicationListItem,
  links: Links,
  signal: AbortSignal,
): Promise<void> {
  const auto = pub.auto_approve_registrations || portal.auto_approve_applications;
  const why = pub.auto_approve_registrations
    ? 'the publication auto-approves registrations'
    : portal.auto_approve_applications
      ? 'the portal auto-approves applications'
      : `the publication does not auto-approve registrations and the portal "${portal.name}" does not auto-approve applications, so an admin approves each one`;
  let pending: AdminRegistration[];
  try {
    pending = (await ports.pendingRegistrations(portal.id, signal)).filter(
      (r) => r.status === 'pending' && r.api.id === api.id,
    );
  } catch (err) {
    if (signal.aborted) throw err;
    links.set(
      'registration',
      'unknown',
      `Could not read the registrations of the portal "${portal.name}": ${message(err)}.`,
    );
    return;
  }
  const first = pending[0];
  if (!first) {
    links.set('registration', 'pass', `No registration for "${api.name}" is waiting: ${why}.`);
    return;
  }
  links.set(
    'registration',
    'fail',
    `The registration of the application "${first.application.name}" for "${api.name}" is pending${pending.length > 1 ? ` (and ${pending.length - 1} more)` : ''}: ${why}${auto ? ' (it was registered before that was turned on)' : ''}. Its tokens are refused by the gateway until it is approved.`,
    { kind: 'registration', name: first.application.name, id: first.id },
    [
      {
        kind: 'approveRegistration',
        portalId: portal.id,
        applicationId: first.application.id,
        registrationId: first.id,
      },
    ],
  );
}
