/**
 * "Explain": a gateway 401/403 (or a token endpoint's OAuth error) put together with the token's claims and the
 * strategy's config into a plain-language diagnosis. Each rule looks at one thing; all that apply are reported, the
 * most likely cause first.
 */
import { checkToken, clientIdLikeClaims, formatLocalTime, normalizeIssuer, providerName, relative, type DecodedJwt, type StrategyView, type TokenCheck } from './jwt';

export interface Finding {
  /** Stable id of the rule that produced it (tests, telemetry-free analytics of our own). */
  readonly rule: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly text: string;
}

export interface Explanation {
  /** One sentence. */
  readonly summary: string;
  readonly findings: readonly Finding[];
}

export interface ExplainInput {
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly headers: readonly (readonly [string, string])[];
    /** Token-request parameters, when it was one (grant_type, scope, audience, client_id). */
    readonly params?: Readonly<Record<string, string>> | undefined;
  };
  readonly response: {
    readonly status: number;
    readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
    readonly body: string;
  };
  /** The Bearer token the request sent (decoded), if any. */
  readonly sentToken?: DecodedJwt | undefined;
  readonly sentTokenRaw?: string | undefined;
  readonly strategy?: StrategyView | undefined;
  /** The runner's signature check of the sent token, when it made one. */
  readonly signature?: TokenCheck | undefined;
  readonly requestedScopes?: readonly string[] | undefined;
  readonly now: number;
  readonly formatTime?: ((ms: number) => string) | undefined;
}

/** `Bearer realm="kong", error="invalid_token", error_description="…"` → { scheme, realm, error, … }. */
export function parseWwwAuthenticate(value: string | undefined): Record<string, string> {
  if (!value) return {};
  const out: Record<string, string> = {};
  const scheme = /^\s*([A-Za-z][\w-]*)/.exec(value);
  if (scheme) out['scheme'] = scheme[1]!;
  for (const m of value.matchAll(/([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g)) {
    out[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
  }
  return out;
}

function header(h: ExplainInput['response']['headers'], name: string): string | undefined {
  const v = h[name.toLowerCase()];
  return Array.isArray(v) ? (v[0] as string | undefined) : (v as string | undefined);
}

function jsonBody(body: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(body);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Is this response an OAuth token endpoint's error (`{ "error": "invalid_client", … }`)? */
export function isTokenEndpointError(input: ExplainInput): boolean {
  const body = jsonBody(input.response.body);
  return input.response.status >= 400 && typeof body?.['error'] === 'string' && /token/i.test(new URL(input.request.url, 'http://x').pathname) && !input.sentTokenRaw;
}

export function explain(input: ExplainInput): Explanation {
  return isTokenEndpointError(input) ? explainTokenError(input) : explainGateway(input);
}

function explainTokenError(input: ExplainInput): Explanation {
  const body = jsonBody(input.response.body) ?? {};
  const error = String(body['error']);
  const desc = typeof body['error_description'] === 'string' ? body['error_description'] : '';
  const f: Finding[] = [];
  const p = input.request.params ?? {};
  const s = input.strategy;
  switch (error) {
    case 'invalid_client':
      f.push({ rule: 'token.invalid_client', severity: 'error', text: `The IdP refused the client credentials (invalid_client${desc ? `: ${desc}` : ''}). The client secret (or id) is wrong: the portal shows an app's secret only once, and "Refresh secret" replaces it. Store the current one again (Konnect DCR: Forget Stored Secrets, then send again).` });
      if (!p['client_id'] && !input.request.headers.some(([k]) => k.toLowerCase() === 'authorization')) {
        f.push({ rule: 'token.no_client_auth', severity: 'error', text: 'The request sends no client_id / client_secret and no Authorization: Basic header.' });
      }
      break;
    case 'invalid_scope':
      f.push({ rule: 'token.invalid_scope', severity: 'error', text: `The IdP refused the scope ${p['scope'] ? `"${p['scope']}"` : ''} (invalid_scope${desc ? `: ${desc}` : ''}).${s ? ` The strategy's scopes are ${s.scopes.join(' ') || '(none)'}; the app can only get those it was registered with.` : ''}` });
      if (s?.providerType === 'okta' && /openid/.test(p['scope'] ?? '')) f.push({ rule: 'token.okta_openid', severity: 'info', text: 'Okta refuses OpenID scopes (openid, profile…) for client_credentials: ask only for custom scopes.' });
      break;
    case 'unauthorized_client':
      f.push({ rule: 'token.unauthorized_client', severity: 'error', text: `This client may not use grant_type=${p['grant_type'] ?? '?'} (unauthorized_client${desc ? `: ${desc}` : ''}). DCR apps are registered for client_credentials.` });
      break;
    case 'unsupported_grant_type':
      f.push({ rule: 'token.grant_type', severity: 'error', text: `The IdP does not support grant_type=${p['grant_type'] ?? '(missing)'}: use grant_type=client_credentials.` });
      break;
    case 'access_denied':
      f.push({ rule: 'token.access_denied', severity: 'error', text: `The IdP denied the token (access_denied${desc ? `: ${desc}` : ''}).${s?.providerType === 'auth0' ? ' Auth0: the app has no client grant for this audience — is the app registered for the API in the portal?' : ''}` });
      break;
    default:
      f.push({ rule: 'token.other', severity: 'error', text: `The IdP answered ${input.response.status} ${error}${desc ? `: ${desc}` : ''}.` });
  }
  if (s?.providerType === 'auth0' && !p['audience']) {
    f.push({ rule: 'token.auth0_audience', severity: 'warning', text: `Auth0 needs audience=${s.audiences[0] ?? '<API identifier>'} in the token request.` });
  }
  if (s?.providerType === 'azureAd' && !p['scope'] && !p['resource']) {
    f.push({ rule: 'token.azure_scope', severity: 'warning', text: 'Azure AD needs scope=<resource>/.default (v2 endpoint) or resource=<resource> (v1 endpoint).' });
  }
  return { summary: f[0]!.text.split('. ')[0]! + '.', findings: f };
}

function explainGateway(input: ExplainInput): Explanation {
  const f: Finding[] = [];
  const { status } = input.response;
  const fmt = input.formatTime ?? formatLocalTime;
  const www = parseWwwAuthenticate(header(input.response.headers, 'www-authenticate'));
  const body = jsonBody(input.response.body);
  const message = String(body?.['message'] ?? body?.['error_description'] ?? '');
  const desc = www['error_description'] ?? message;
  const auth = input.request.headers.find(([k]) => k.toLowerCase() === 'authorization')?.[1];
  const s = input.strategy;
  const token = input.sentToken;
  const checks: TokenCheck[] = token && s ? checkToken(token, s, { now: input.now, requestedScopes: input.requestedScopes, formatTime: fmt }) : [];
  const failed = (id: TokenCheck['id']): TokenCheck[] => checks.filter((c) => c.id === id && c.status === 'fail');

  if (status !== 401 && status !== 403) {
    return { summary: `HTTP ${status}: nothing to explain (Explain looks at 401 and 403 answers).`, findings: [] };
  }

  if (!auth) {
    f.push({ rule: 'gw.no_token', severity: 'error', text: 'The request sent no Authorization header: add "Authorization: Bearer {{token.response.body.access_token}}" (the token request named "token").' });
  } else if (!/^Bearer\s+\S+/i.test(auth)) {
    f.push({ rule: 'gw.not_bearer', severity: 'error', text: `The Authorization header is not a Bearer token (it is "${auth.split(/\s+/)[0]} …"); the gateway expects "Bearer <access token>".` });
  } else if (!token) {
    f.push({ rule: 'gw.not_jwt', severity: 'error', text: 'The Bearer token is not a JWT (opaque or encrypted): the gateway needs a signed JWT access token. Auth0 returns an opaque token when no audience is asked for.' });
  }

  if (token) {
    const exp = typeof token.payload['exp'] === 'number' ? token.payload['exp'] * 1000 : undefined;
    if (exp !== undefined && exp <= input.now) {
      f.push({ rule: 'gw.expired', severity: 'error', text: `The token expired at ${fmt(exp)} (${relative(exp - input.now)}): get a new one (send the token request again).` });
    } else if (/expired/i.test(desc)) {
      f.push({ rule: 'gw.expired', severity: 'error', text: `The gateway says the token expired (${desc}); check that this machine's clock and the gateway's agree.` });
    }
    const iss = typeof token.payload['iss'] === 'string' ? token.payload['iss'] : '';
    if (s && failed('iss').length) {
      f.push({ rule: 'gw.issuer', severity: 'error', text: `Issuer mismatch: the token was issued by ${iss || '(no iss)'}, but the strategy's issuer is ${s.issuer}.${hintIssuer(iss, s)}` });
    } else if (!s && /issuer/i.test(desc)) {
      f.push({ rule: 'gw.issuer', severity: 'error', text: `Issuer mismatch: ${desc}.` });
    }
    if (s && failed('aud').length) f.push({ rule: 'gw.audience', severity: 'error', text: failed('aud')[0]!.reason.replace(/^./, (c) => c.toUpperCase()) + '.' });
    else if (/audience/i.test(desc)) f.push({ rule: 'gw.audience', severity: 'error', text: `Audience: ${desc}.` });
    if (input.signature?.status === 'fail') {
      f.push({ rule: 'gw.signature', severity: 'error', text: `The signature check failed: ${input.signature.reason}.` });
    } else if (/signature/i.test(desc)) {
      f.push({ rule: 'gw.signature', severity: 'error', text: `The token's signature does not verify against the issuer's keys (${desc}): it was changed after it was issued, or comes from another IdP, tenant or auth server with the same issuer URL.` });
    }
    for (const c of failed('credential_claim')) f.push({ rule: 'gw.credential_claim', severity: 'error', text: `The token has no \`${c.claim}\` claim; the strategy's credential claim is \`${c.claim}\`.${credentialHint(token, s)}` });
    if (!failed('credential_claim').length && /credential claim/i.test(desc)) f.push({ rule: 'gw.credential_claim', severity: 'error', text: `${desc}.` });
    if (www['error'] === 'insufficient_scope' || failed('strategy_scopes').length) {
      const need = www['scope'] ?? s?.scopes.join(' ') ?? '';
      f.push({ rule: 'gw.scope', severity: 'error', text: `The token lacks scopes the API requires${need ? ` (${need})` : ''}; it has ${scopesOf(token) || 'none'}. Ask for them in the token request: scope=${need.replace(/ /g, '%20')}.` });
    }
  }

  // not registered (403 after the token was accepted)
  const reg = /registered for the API (.+?), not for (.+?)(?:\.|$)/i.exec(message);
  if (reg) {
    f.push({ rule: 'gw.other_api', severity: 'error', text: `The app is registered for another API (${reg[1]}), not for ${reg[2]}: register the app for ${reg[2]} in the portal (or wait for an admin to approve the registration).` });
  } else if (status === 403 && /not registered/i.test(message)) {
    f.push({ rule: 'gw.not_registered', severity: 'error', text: `The app is not registered for this API (${message}): register it in the portal, or an admin must approve a pending registration.` });
  }

  if (!f.length) {
    const checkFails = checks.filter((c) => c.status === 'fail');
    for (const c of checkFails) f.push({ rule: `gw.check.${c.id}`, severity: 'error', text: c.reason });
    if (!checkFails.length) {
      f.push({
        rule: 'gw.unknown', severity: 'warning',
        text: `The gateway answered ${status}${desc ? ` (${desc})` : ''}, and the token passes every check the runner can make${s ? '' : ' (no strategy is linked: add "# @strategy <name or id>" to check it against one)'}. The gateway may also check the signature, a consumer mapping or other plugins.`,
      });
    }
  }
  if (www['scheme'] && !/^Bearer$/i.test(www['scheme'])) {
    f.push({ rule: 'gw.scheme', severity: 'info', text: `The gateway asks for ${www['scheme']} credentials (WWW-Authenticate: ${header(input.response.headers, 'www-authenticate')}): this route may use key auth, not OpenID Connect.` });
  }
  const first = f[0]!;
  return { summary: `${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'}: ${first.text.split(/(?<=\.)\s/)[0]}`, findings: f };
}

function scopesOf(t: DecodedJwt): string {
  const v = t.payload['scope'] ?? t.payload['scp'];
  return Array.isArray(v) ? v.join(' ') : typeof v === 'string' ? v : '';
}

function credentialHint(token: DecodedJwt, s: StrategyView | undefined): string {
  const have = clientIdLikeClaims(token.payload);
  const parts: string[] = [];
  if (s?.providerType) parts.push(`${providerName(s.providerType)} tokens carry the client id in \`${({ auth0: 'azp', azureAd: 'appid', okta: 'cid', curity: 'sub', kongIdentity: 'sub', http: 'client_id' } as const)[s.providerType]}\`${s.providerType === 'okta' ? ' (or a custom claim with the value app.clientId)' : ''}.`);
  if (have.length) parts.push(`This token has ${have.map((c) => `\`${c}\``).join(', ')}: set the credential claim to one of them, or add the claim at the IdP.`);
  return parts.length ? ` ${parts.join(' ')}` : '';
}

function hintIssuer(iss: string, s: StrategyView): string {
  if (!iss) return '';
  if (/login\.microsoftonline\.com\/[^/]+\/v2\.0/.test(iss) && /sts\.windows\.net/.test(s.issuer)) {
    return ' The token is a v2 Azure token while the strategy has the v1 issuer: set accessTokenAcceptedVersion in the app manifest, or use the v1 token endpoint.';
  }
  if (normalizeIssuer(iss).toLowerCase() === normalizeIssuer(s.issuer).toLowerCase()) return ' They differ only in letter case.';
  return ' Was the token issued by another IdP, tenant or auth server than the one this API is published with?';
}
