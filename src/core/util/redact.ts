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

/**
 * Known values are found by their first `MIN_KNOWN` characters (the shortest value kept): a bucket is searched only
 * where the text has those characters, so values that share a longer prefix (tokens of one kind, generated names)
 * cost something only where one of them appears.
 */
const MIN_KNOWN = 6;
const PREFIX = MIN_KNOWN;

export class Redactor {
  private readonly known = new Set<string>();
  /** First `PREFIX` characters → the known values starting with them, longest first once sorted. */
  private readonly byPrefix = new Map<string, string[]>();
  /** Buckets that got a value since they were last sorted (sorted when next searched, not on every add). */
  private readonly unsorted = new Set<string[]>();

  /** Remember a secret value so that it is masked wherever it appears later. Short values are ignored (too noisy). */
  add(secret: string | undefined): void {
    if (!secret || secret.length < MIN_KNOWN || this.known.has(secret)) return;
    this.known.add(secret);
    const key = secret.slice(0, PREFIX);
    const list = this.byPrefix.get(key);
    if (!list) this.byPrefix.set(key, [secret]);
    else {
      list.push(secret);
      this.unsorted.add(list);
    }
  }

  redact(text: string): string {
    let out = this.maskKnown(text);
    out = out.replace(SHAPES[0]!, REDACTED);
    out = out.replace(SHAPES[1]!, (_m, scheme: string) => `${scheme} ${REDACTED}`);
    out = out.replace(SHAPES[2]!, REDACTED);
    out = out.replace(SHAPES[3]!, (_m, key: string) => `${key}${REDACTED}`);
    return out;
  }

  /**
   * One pass over the text: at each position, the longest known value starting there is masked. A search per known
   * value (or a split) costs the number of known values times the text: an apply of 1,000 resources knows 1,000
   * secrets and writes a line per request. Overlapping values: the one that starts first wins, then the longest.
   */
  private maskKnown(text: string): string {
    if (!this.known.size || text.length < MIN_KNOWN) return text;
    let out = '';
    let last = 0;
    for (let i = 0; i + MIN_KNOWN <= text.length;) {
      const bucket = this.byPrefix.get(text.slice(i, i + PREFIX));
      if (bucket && this.unsorted.delete(bucket)) bucket.sort((a, b) => b.length - a.length);
      const hit = bucket?.find((s) => text.startsWith(s, i));
      if (hit) {
        out += text.slice(last, i) + REDACTED;
        i += hit.length;
        last = i;
      } else i++;
    }
    return last === 0 ? text : out + text.slice(last);
  }
}

/** A process-wide redactor is deliberately not offered: owners pass theirs down (docs/design.md §2). */
