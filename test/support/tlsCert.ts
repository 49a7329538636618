/**
 * A throwaway self-signed certificate for `localhost` / `127.0.0.1` (or the subjectAltName given, e.g.
 * `DNS:api.other.example` for a certificate of another host), made with the `openssl` CLI in a temp dir at test time
 * (nothing secret is committed). Returns `undefined` when openssl is not installed: tests then skip.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCert {
  key: string;
  cert: string;
}

export function makeSelfSignedCert(
  commonName = 'localhost',
  subjectAltName = 'DNS:localhost,IP:127.0.0.1',
): TestCert | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'kdcr-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '2',
        '-subj',
        `/CN=${commonName}`,
        '-addext',
        `subjectAltName=${subjectAltName}`,
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
