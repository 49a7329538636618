/**
 * "Explain": a gateway 401/403 (or a token endpoint's refusal) put together with the token's claims and the strategy's
 * config into a plain-language diagnosis. Each rule looks at one thing; all that apply are reported, the most likely
 * cause first.
 *
 * Whether the answer comes from the token endpoint or from the gateway is decided from the request, which the caller
 * knows (`request.tokenRequest`), not from the URL's path or the shape of the answer: IdPs refuse token requests with
 * a bare 401/403 and an empty body, and token endpoints live at paths without "token" in them.
 */
import { hasQuirk, providerNoun, providerType, typesWith } from '../model/providerTypes';
import {
  checkToken,
  clientIdLikeClaims,
  formatLocalTime,
  normalizeIssuer,
  relative,
  type DecodedJwt,
  type StrategyView,
  type TokenCheck,
} from './jwt';

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
    /**
     * Is this the token request? `true` when the caller knows it is (its body carries grant_type, its URL is the
     * issuer's discovered token_endpoint, or other requests chain an access_token from its answer); `false` when it
     * knows it is not. Undefined: a `grant_type` in `params` makes it one; else an OAuth error code only token
     * endpoints use (RFC 6749 §5.2) in an answer to a request that sent no Bearer token.
     */
    readonly tokenRequest?: boolean | undefined;
    /** How the request authenticates the client (undefined: an `Authorization: Basic` header, else unknown). */
    readonly clientAuth?: ClientAuth | undefined;
    /** `token_endpoint_auth_methods_supported` from the issuer's discovery document, when known. */
    readonly tokenEndpointAuthMethods?: readonly string[] | undefined;
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

/**
 * How a token request authenticates the client (RFC 6749 §2.3.1, the OpenID Connect names): `client_secret_basic`
 * (an `Authorization: Basic` header), `client_secret_post` (client_secret in the body), `both` (which RFC 6749 forbids
 * in one request) or `none`.
 */
export type ClientAuth = 'client_secret_basic' | 'client_secret_post' | 'both' | 'none';

export function clientAuthOf(headers: readonly (readonly [string, string])[], bodyHasSecret: boolean): ClientAuth {
  const basic = headers.some(([k, v]) => k.toLowerCase() === 'authorization' && /^Basic\s/i.test(v));
  return basic && bodyHasSecret
    ? 'both'
    : basic
      ? 'client_secret_basic'
      : bodyHasSecret
        ? 'client_secret_post'
        : 'none';
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

/** Error codes of RFC 6749 §5.2 that only a token endpoint answers (a resource server uses invalid_token and co). */
const TOKEN_ENDPOINT_ERRORS = new Set([
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
]);

/** Is the request Explain looks at the token request (see `ExplainInput.request.tokenRequest`)? */
export function isTokenRequest(input: ExplainInput): boolean {
  const known = input.request.tokenRequest;
  if (known !== undefined) return known;
  if (input.request.params?.['grant_type'] !== undefined) return true;
  const error = jsonBody(input.response.body)?.['error'];
  return !input.sentTokenRaw && typeof error === 'string' && TOKEN_ENDPOINT_ERRORS.has(error);
}

export function explain(input: ExplainInput): Explanation {
  return isTokenRequest(input) ? explainTokenError(input) : explainGateway(input);
}

function explainTokenError(input: ExplainInput): Explanation {
  const body = jsonBody(input.response.body);
  if (typeof body?.['error'] !== 'string') return explainBareRefusal(input);
  const error = body['error'];
  const desc = typeof body['error_description'] === 'string' ? body['error_description'] : '';
  const f: Finding[] = [];
  const p = input.request.params ?? {};
  const s = input.strategy;
  switch (error) {
    case 'invalid_client': {
      const method = input.request.clientAuth;
      const how =
        method === 'client_secret_post' || method === 'client_secret_basic' ? ` ${switchMethodHint(method)}` : '';
      f.push({
        rule: 'token.invalid_client',
        severity: 'error',
        text: `The IdP refused the client credentials (invalid_client${desc ? `: ${desc}` : ''}). The client secret (or id) is wrong: the portal shows an app's secret only once, and "Refresh secret" replaces it. Store the current one again (Konnect DCR: Forget Stored Secrets, then send again).${how}`,
      });
      if (!p['client_id'] && !input.request.headers.some(([k]) => k.toLowerCase() === 'authorization')) {
        f.push({
          rule: 'token.no_client_auth',
          severity: 'error',
          text: 'The request sends no client_id / client_secret and no Authorization: Basic header.',
        });
      }
      break;
    }
    case 'invalid_scope':
      f.push({
        rule: 'token.invalid_scope',
        severity: 'error',
        text: `The IdP refused the scope ${p['scope'] ? `"${p['scope']}"` : ''} (invalid_scope${desc ? `: ${desc}` : ''}).${s ? ` The strategy's scopes are ${s.scopes.join(' ') || '(none)'}; the app can only get those it was registered with.` : ''}`,
      });
      if (s?.providerType && hasQuirk(s.providerType, 'noOpenidScope') && /openid/.test(p['scope'] ?? '')) {
        f.push({
          rule: `token.${providerType(s.providerType).slug}_openid`,
          severity: 'info',
          text: `${providerNoun(s.providerType)} refuses OpenID scopes (openid, profile…) for client_credentials: ask only for custom scopes.`,
        });
      }
      break;
    case 'unauthorized_client':
      f.push({
        rule: 'token.unauthorized_client',
        severity: 'error',
        text: `This client may not use grant_type=${p['grant_type'] ?? '?'} (unauthorized_client${desc ? `: ${desc}` : ''}). DCR apps are registered for client_credentials.`,
      });
      break;
    case 'unsupported_grant_type':
      f.push({
        rule: 'token.grant_type',
        severity: 'error',
        text: `The IdP does not support grant_type=${p['grant_type'] ?? '(missing)'}: use grant_type=client_credentials.`,
      });
      break;
    case 'access_denied':
      f.push({
        rule: 'token.access_denied',
        severity: 'error',
        text: `The IdP denied the token (access_denied${desc ? `: ${desc}` : ''}).${s?.providerType && hasQuirk(s.providerType, 'tokenAudience') ? ` ${providerNoun(s.providerType)}: the app has no client grant for this audience — is the app registered for the API in the portal?` : ''}`,
      });
      break;
    default:
      f.push({
        rule: 'token.other',
        severity: 'error',
        text: `The IdP answered ${input.response.status} ${error}${desc ? `: ${desc}` : ''}.`,
      });
  }
  return tokenExplanation(f, input);
}

/** The IdP-specific parameters every token explanation checks, then the summary. */
function tokenExplanation(f: Finding[], input: ExplainInput): Explanation {
  const p = input.request.params ?? {};
  const s = input.strategy;
  const type = s?.providerType;
  if (type && hasQuirk(type, 'tokenAudience') && !p['audience']) {
    f.push({
      rule: `token.${providerType(type).slug}_audience`,
      severity: 'warning',
      text: `${providerNoun(type)} needs audience=${s.audiences[0] ?? '<API identifier>'} in the token request.`,
    });
  }
  if (type && hasQuirk(type, 'resourceScope') && !p['scope'] && !p['resource']) {
    f.push({
      rule: `token.${providerType(type).slug}_scope`,
      severity: 'warning',
      text: `${providerNoun(type)} needs scope=<resource>/.default (v2 endpoint) or resource=<resource> (v1 endpoint).`,
    });
  }
  return { summary: f[0]!.text.split('. ')[0]! + '.', findings: f };
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

function switchMethodHint(method: 'client_secret_post' | 'client_secret_basic'): string {
  return method === 'client_secret_post'
    ? 'This request sends the secret in the form body (client_secret_post): if the client is registered for client_secret_basic, the IdP refuses that; send "Authorization: Basic <base64 of client_id:client_secret>" instead and leave client_secret out of the body.'
    : 'This request sends the secret in an Authorization: Basic header (client_secret_basic): if the client is registered for client_secret_post, the IdP refuses that; send client_id and client_secret in the form body instead, without the header.';
}

/**
 * A token request refused with a status and no OAuth error body (a bare 401/403, often empty, or a 400 with HTML):
 * what the IdP did not accept is the client's authentication (the secret, or the method it is sent with) or what it
 * asked for (the scope), never a Bearer token: none was sent.
 */
function explainBareRefusal(input: ExplainInput): Explanation {
  const { status } = input.response;
  const f: Finding[] = [];
  const p = input.request.params ?? {};
  const s = input.strategy;
  const excerpt = input.response.body
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const answer = `${status}${STATUS_TEXT[status] ? ` ${STATUS_TEXT[status]}` : ''} and ${excerpt ? `no OAuth error (the body says "${excerpt.length > 120 ? `${excerpt.slice(0, 120)}…` : excerpt}")` : 'an empty body'}`;
  const refusal = status === 400 || status === 401 || status === 403;
  if (status === 401 || status === 403) {
    f.push({
      rule: 'token.refused',
      severity: 'error',
      text: `The token endpoint refused the token request with ${answer}. This is the identity provider refusing the client, not the gateway: the request sends no access token yet.`,
    });
  } else if (status === 400) {
    f.push({
      rule: 'token.bad_request',
      severity: 'error',
      text: `The token endpoint answered ${answer}. The identity provider could not use the request: its grant_type, body format or client authentication.`,
    });
    const grant = p['grant_type'];
    if (grant === undefined)
      f.push({
        rule: 'token.grant_type',
        severity: 'error',
        text: 'The request has no grant_type: add grant_type=client_credentials to the form body.',
      });
    else if (grant !== 'client_credentials')
      f.push({
        rule: 'token.grant_type',
        severity: 'warning',
        text: `The request asks for grant_type=${grant}; DCR apps are registered for client_credentials.`,
      });
    const ct = input.request.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
    if (
      !/application\/x-www-form-urlencoded/i.test(ct) &&
      !(hasQuirk(s?.providerType, 'jsonTokenRequest') && /json/i.test(ct))
    ) {
      f.push({
        rule: 'token.content_type',
        severity: 'error',
        text: `The body is sent as ${ct ? `"${ct}"` : 'no Content-Type'}: a token request is a form, Content-Type: application/x-www-form-urlencoded (RFC 6749 §4.4.2).`,
      });
    }
  } else if (status === 404 || status === 405) {
    f.push({
      rule: 'token.endpoint',
      severity: 'error',
      text: `The token endpoint answered ${answer}: is this URL the token endpoint? The issuer's discovery document (${s ? `${normalizeIssuer(s.issuer)}/.well-known/openid-configuration` : '<issuer>/.well-known/openid-configuration'}) gives it as token_endpoint, and it takes POST.`,
    });
  } else {
    f.push({
      rule: 'token.other',
      severity: 'error',
      text: `The token endpoint answered ${answer}.${status >= 500 ? ' The identity provider failed to answer: try again; if it lasts, its logs say why.' : ''}`,
    });
  }
  if (refusal) {
    f.push(clientAuthFinding(input, status));
    if (status !== 400 || p['grant_type'] !== undefined) f.push(scopeFinding(p['scope'], s, status));
  }
  return tokenExplanation(f, input);
}

function clientAuthFinding(input: ExplainInput, status: number): Finding {
  const basic = input.request.headers.some(([k, v]) => k.toLowerCase() === 'authorization' && /^Basic\s/i.test(v));
  const method = input.request.clientAuth ?? (basic ? 'client_secret_basic' : undefined);
  const supported = input.request.tokenEndpointAuthMethods?.filter((m) => m !== 'none');
  const wrongSecret =
    'If the method is right, the client secret (or id) is wrong: the portal shows an app\'s secret only once, and "Refresh secret" replaces it; store the current one again.';
  if (method === 'both') {
    return {
      rule: 'token.client_auth',
      severity: 'error',
      text: `The request sends the client secret twice, in an Authorization: Basic header and in the body: RFC 6749 §2.3 allows one method per request, and strict IdPs refuse both with ${status}. Keep only the one the client is registered for.`,
    };
  }
  if (method === 'none') {
    return {
      rule: 'token.client_auth',
      severity: 'error',
      text: `The request sends no client secret (none in the body, no Authorization: Basic header): the client must authenticate, with client_id and client_secret in the form body (client_secret_post) or an Authorization: Basic header (client_secret_basic)${supported?.length ? `; this token endpoint accepts ${supported.join(', ')}` : ''}.`,
    };
  }
  if (method && supported?.length && !supported.includes(method)) {
    return {
      rule: 'token.auth_method',
      severity: 'error',
      text: `The token endpoint accepts ${supported.join(', ')} (token_endpoint_auth_methods_supported), and this request uses ${method}. ${switchMethodHint(method)}`,
    };
  }
  if (method)
    return {
      rule: 'token.client_auth',
      severity: 'error',
      text: `The client authentication was refused. ${switchMethodHint(method)} ${wrongSecret}`,
    };
  return {
    rule: 'token.client_auth',
    severity: 'error',
    text: `The client authentication was refused: check the method the client is registered for, client_secret_basic (an Authorization: Basic header) or client_secret_post (client_id and client_secret in the form body)${supported?.length ? `; this token endpoint accepts ${supported.join(', ')}` : ''}. ${wrongSecret}`,
  };
}

function scopeFinding(scope: string | undefined, s: StrategyView | undefined, status: number): Finding {
  const strategyScopes = s?.scopes.length ? s.scopes.join(' ') : undefined;
  if (!scope) {
    return {
      rule: 'token.no_scope',
      severity: 'warning',
      text: `The request asks for no scope. Some IdPs refuse a client_credentials request without one with a bare ${status}${strategyScopes ? `: ask for the strategy's scopes, scope=${strategyScopes.replace(/ /g, '%20')}` : ": add scope=<the API's scopes>"}.`,
    };
  }
  return {
    rule: 'token.scope',
    severity: 'warning',
    text: `Or the client may not have the scope "${scope}": some IdPs answer ${status} instead of invalid_scope for a scope the client was not registered with${strategyScopes ? ` (the strategy's scopes are ${strategyScopes})` : ''}.`,
  };
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
  const checks: TokenCheck[] =
    token && s ? checkToken(token, s, { now: input.now, requestedScopes: input.requestedScopes, formatTime: fmt }) : [];
  const failed = (id: TokenCheck['id']): TokenCheck[] => checks.filter((c) => c.id === id && c.status === 'fail');

  if (status !== 401 && status !== 403) {
    return { summary: `HTTP ${status}: nothing to explain (Explain looks at 401 and 403 answers).`, findings: [] };
  }

  if (!auth) {
    f.push({
      rule: 'gw.no_token',
      severity: 'error',
      text: 'The request sent no Authorization header: add "Authorization: Bearer {{token.response.body.access_token}}" (the token request named "token").',
    });
  } else if (!/^Bearer\s+\S+/i.test(auth)) {
    f.push({
      rule: 'gw.not_bearer',
      severity: 'error',
      text: `The Authorization header is not a Bearer token (it is "${auth.split(/\s+/)[0]} …"); the gateway expects "Bearer <access token>".`,
    });
  } else if (!token) {
    f.push({
      rule: 'gw.not_jwt',
      severity: 'error',
      text: `The Bearer token is not a JWT (opaque or encrypted): the gateway needs a signed JWT access token. ${typesWith('tokenAudience').map(providerNoun).join(', ')} returns an opaque token when no audience is asked for.`,
    });
  }

  if (token) {
    const exp = typeof token.payload['exp'] === 'number' ? token.payload['exp'] * 1000 : undefined;
    if (exp !== undefined && exp <= input.now) {
      f.push({
        rule: 'gw.expired',
        severity: 'error',
        text: `The token expired at ${fmt(exp)} (${relative(exp - input.now)}): get a new one (send the token request again).`,
      });
    } else if (/expired/i.test(desc)) {
      f.push({
        rule: 'gw.expired',
        severity: 'error',
        text: `The gateway says the token expired (${desc}); check that this machine's clock and the gateway's agree.`,
      });
    }
    const iss = typeof token.payload['iss'] === 'string' ? token.payload['iss'] : '';
    if (s && failed('iss').length) {
      f.push({
        rule: 'gw.issuer',
        severity: 'error',
        text: `Issuer mismatch: the token was issued by ${iss || '(no iss)'}, but the strategy's issuer is ${s.issuer}.${hintIssuer(iss, s)}`,
      });
    } else if (!s && /issuer/i.test(desc)) {
      f.push({ rule: 'gw.issuer', severity: 'error', text: `Issuer mismatch: ${desc}.` });
    }
    if (s && failed('aud').length)
      f.push({
        rule: 'gw.audience',
        severity: 'error',
        text: failed('aud')[0]!.reason.replace(/^./, (c) => c.toUpperCase()) + '.',
      });
    else if (/audience/i.test(desc)) f.push({ rule: 'gw.audience', severity: 'error', text: `Audience: ${desc}.` });
    if (input.signature?.status === 'fail') {
      f.push({
        rule: 'gw.signature',
        severity: 'error',
        text: `The signature check failed: ${input.signature.reason}.`,
      });
    } else if (/signature/i.test(desc)) {
      f.push({
        rule: 'gw.signature',
        severity: 'error',
        text: `The token's signature does not verify against the issuer's keys (${desc}): it was changed after it was issued, or comes from another IdP, tenant or auth server with the same issuer URL.`,
      });
    }
    for (const c of failed('credential_claim'))
      f.push({
        rule: 'gw.credential_claim',
        severity: 'error',
        text: `The token has no \`${c.claim}\` claim; the strategy's credential claim is \`${c.claim}\`.${credentialHint(token, s)}`,
      });
    if (!failed('credential_claim').length && /credential claim/i.test(desc))
      f.push({ rule: 'gw.credential_claim', severity: 'error', text: `${desc}.` });
    if (www['error'] === 'insufficient_scope' || failed('strategy_scopes').length) {
      const need = www['scope'] ?? s?.scopes.join(' ') ?? '';
      f.push({
        rule: 'gw.scope',
        severity: 'error',
        text: `The token lacks scopes the API requires${need ? ` (${need})` : ''}; it has ${scopesOf(token) || 'none'}. Ask for them in the token request: scope=${need.replace(/ /g, '%20')}.`,
      });
    }
  }

  // not registered (403 after the token was accepted)
  const reg = /registered for the API (.+?), not for (.+?)(?:\.|$)/i.exec(message);
  if (reg) {
    f.push({
      rule: 'gw.other_api',
      severity: 'error',
      text: `The app is registered for another API (${reg[1]}), not for ${reg[2]}: register the app for ${reg[2]} in the portal (or wait for an admin to approve the registration).`,
    });
  } else if (status === 403 && /not registered/i.test(message)) {
    f.push({
      rule: 'gw.not_registered',
      severity: 'error',
      text: `The app is not registered for this API (${message}): register it in the portal, or an admin must approve a pending registration.`,
    });
  }

  if (!f.length) {
    const checkFails = checks.filter((c) => c.status === 'fail');
    for (const c of checkFails) f.push({ rule: `gw.check.${c.id}`, severity: 'error', text: c.reason });
    if (!checkFails.length) {
      f.push({
        rule: 'gw.unknown',
        severity: 'warning',
        text: `The gateway answered ${status}${desc ? ` (${desc})` : ''}, and the token passes every check the runner can make${s ? '' : ' (no strategy is linked: add "# @strategy <name or id>" to check it against one)'}. The gateway may also check the signature, a consumer mapping or other plugins.`,
      });
    }
  }
  if (www['scheme'] && !/^Bearer$/i.test(www['scheme'])) {
    f.push({
      rule: 'gw.scheme',
      severity: 'info',
      text: `The gateway asks for ${www['scheme']} credentials (WWW-Authenticate: ${header(input.response.headers, 'www-authenticate')}): this route may use key auth, not OpenID Connect.`,
    });
  }
  const first = f[0]!;
  return {
    summary: `${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'}: ${first.text.split(/(?<=\.)\s/)[0]}`,
    findings: f,
  };
}

function scopesOf(t: DecodedJwt): string {
  const v = t.payload['scope'] ?? t.payload['scp'];
  return Array.isArray(v) ? v.join(' ') : typeof v === 'string' ? v : '';
}

function credentialHint(token: DecodedJwt, s: StrategyView | undefined): string {
  const have = clientIdLikeClaims(token.payload);
  const parts: string[] = [];
  if (s?.providerType) {
    const row = providerType(s.providerType);
    parts.push(
      `${providerNoun(s.providerType)} tokens carry the client id in \`${row.clientIdClaim}\`${row.clientIdNote ? ` (${row.clientIdNote})` : ''}.`,
    );
  }
  if (have.length)
    parts.push(
      `This token has ${have.map((c) => `\`${c}\``).join(', ')}: set the credential claim to one of them, or add the claim at the IdP.`,
    );
  return parts.length ? ` ${parts.join(' ')}` : '';
}

function hintIssuer(iss: string, s: StrategyView): string {
  if (!iss) return '';
  if (/login\.microsoftonline\.com\/[^/]+\/v2\.0/.test(iss) && /sts\.windows\.net/.test(s.issuer)) {
    return ' The token is a v2 Azure token while the strategy has the v1 issuer: set accessTokenAcceptedVersion in the app manifest, or use the v1 token endpoint.';
  }
  if (normalizeIssuer(iss).toLowerCase() === normalizeIssuer(s.issuer).toLowerCase())
    return ' They differ only in letter case.';
  return ' Was the token issued by another IdP, tenant or auth server than the one this API is published with?';
}
