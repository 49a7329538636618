/**
 * "Copy as curl": the resolved request as one POSIX-shell command. Secrets are masked by the redactor (known values:
 * `$secret`s, chained tokens; and secret shapes: Bearer/Basic credentials, JWTs, client_secret=…) unless the user
 * asked for the command with secrets.
 */
import type { Redactor } from '../util/redact';
import type { OutgoingRequest } from './executor';

/** Single-quote for sh: 'it'\''s'. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function toCurl(
  req: OutgoingRequest,
  opts: { redactor?: Redactor | undefined; timeoutSeconds?: number | undefined } = {},
): string {
  const r = (s: string): string => (opts.redactor ? opts.redactor.redact(s) : s);
  const parts = ['curl', '-sS'];
  if (req.method !== 'GET' || req.body !== undefined) parts.push('-X', req.method);
  parts.push(shellQuote(r(req.url)));
  for (const [k, v] of req.headers) parts.push('-H', shellQuote(r(`${k}: ${v}`)));
  if (req.body !== undefined) parts.push('--data-raw', shellQuote(r(req.body)));
  if (opts.timeoutSeconds) parts.push('--max-time', String(opts.timeoutSeconds));
  return parts.join(' ');
}
