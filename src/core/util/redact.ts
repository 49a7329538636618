/**
 * Redaction for anything that may reach a log line, a history entry or a copied command.
 * Two layers: values the caller knows are secret (exact match, whatever their shape), and shapes that are always
 * secret (Konnect PAT/SPAT tokens, bearer/basic/SSWS credentials, JWTs, `client_secret=` style form fields).
 */
import { DCR_SECRET_KEYS } from '../model/providerTypes';

/** The write-only key names: every DCR provider type's secrets (the provider-type table) and OAuth's. */
const SECRET_KEY_NAMES = [
  ...DCR_SECRET_KEYS,
  'client_secret',
  'apikey',
  'api-key',
  'password',
  'access_token',
  'refresh_token',
  'id_token',
  'secret',
];
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const SHAPES: readonly RegExp[] = [
  /\b(?:kpat|spat)_[A-Za-z0-9]{8,}\b/g,
  /\b(Bearer|Basic|SSWS)\s+[A-Za-z0-9._~+/=-]{6,}/gi,
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
  // any `…_secret` / `…_token` style key (registration_access_token of RFC 7591 answers too) and a bare `secret`
  new RegExp(`\\b((?:\\w*_)?(?:${SECRET_KEY_NAMES.map(escape).join('|')})["']?\\s*[:=]\\s*["']?)[^"'&\\s,}]+`, 'gi'),
];

export const REDACTED = '‹redacted›';

export class Redactor {
  private readonly known = new Set<string>();

  /** Remember a secret value so that it is masked wherever it appears later. Short values are ignored (too noisy). */
  add(secret: string | undefined): void {
    if (secret && secret.length >= 6) this.known.add(secret);
  }

  redact(text: string): string {
    let out = text;
    // most texts hold none of the known values: a search is much cheaper than a split that finds nothing (an apply
    // of 1,000 resources knows 1,000 secrets and writes a line per request)
    for (const s of this.known) if (out.includes(s)) out = out.split(s).join(REDACTED);
    out = out.replace(SHAPES[0]!, REDACTED);
    out = out.replace(SHAPES[1]!, (_m, scheme: string) => `${scheme} ${REDACTED}`);
    out = out.replace(SHAPES[2]!, REDACTED);
    out = out.replace(SHAPES[3]!, (_m, key: string) => `${key}${REDACTED}`);
    return out;
  }
}

/** A process-wide redactor is deliberately not offered: owners pass theirs down (docs/design.md §2). */
