/**
 * The gateway: Apache httpd (Debian `apache2-bin`) with mod_auth_openidc (`libapache2-mod-auth-openidc`, by
 * ZmartZone / OpenIDC) as an OAuth 2.0 resource server, run in the foreground on a loopback port with its own
 * config in a temp dir. It validates Bearer JWTs itself: the signature against the IdP's JWKS (fetched over TLS,
 * trusting only the tier's CA), `exp`, and then, per route, the claims the API requires:
 *
 *   /<slug>/anything   iss = the IdP's issuer, aud = `audience`, `scope` contains `scope`
 *                      → 200 with a small JSON body; the authenticated client (claim `client_id`) is logged
 *
 * A token that fails validation gets 401 with mod_auth_openidc's own `WWW-Authenticate: Bearer error=…`; a valid
 * token whose claims do not match gets 403 (AuthzSendForbiddenOnFailure).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, removeTempDir, startProcess, tempDir, waitForPort, type ServerProcess } from '../support/procs';

const MODULES = '/usr/lib/apache2/modules';

export interface GatewayRoute {
  /** The first path segment (the API's slug). */
  readonly slug: string;
  readonly issuer: string;
  readonly audience: string;
  /** A scope the token's `scope` claim must contain. */
  readonly scope: string;
}

export interface GatewayOptions {
  readonly jwksUri: string;
  /** PEM the gateway trusts for the JWKS fetch. */
  readonly ca: string;
  readonly routes: readonly GatewayRoute[];
}

export interface AccessLogEntry {
  readonly status: number;
  readonly user: string;
  readonly path: string;
}

export interface StartedGateway {
  readonly process: ServerProcess;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** The requests answered so far, oldest first: status, authenticated client (`-` if none) and path. */
  accessLog(): AccessLogEntry[];
  /**
   * The entries after the first `count`, once there is at least one (Apache logs a request after answering it, so
   * the line may come a moment after the client has the response).
   */
  accessLogAfter(count: number, timeoutMs?: number): Promise<AccessLogEntry[]>;
  /** Apache's error log (mod_auth_openidc says there why it refused a token). */
  errorLog(): string;
  stop(): Promise<void>;
}

/** `Require claim` takes `name:value` (exact) or `name~regex` (PCRE), one per word: no value may hold a space. */
const word = (s: string): string => {
  if (/\s/.test(s)) throw new Error(`a Require claim expression cannot contain spaces: ${s}`);
  return s;
};
/** A scope as a PCRE literal without backslashes (see the route below): word characters, `:`, `/`, `-` and `.`. */
const scopeRegex = (s: string): string => {
  if (!/^[\w:/.-]+$/.test(s)) throw new Error(`unsupported scope for the gateway route: ${s}`);
  return s.replace(/\./g, '[.]');
};

async function waitForHttp(url: string, timeoutMs = 30_000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    try {
      await (await fetch(url, { signal: AbortSignal.timeout(2_000) })).arrayBuffer();
      return;
    } catch (err) {
      if (Date.now() - t0 > timeoutMs)
        throw new Error(`no HTTP answer from ${url} within ${timeoutMs} ms: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export async function startApacheGateway(opts: GatewayOptions): Promise<StartedGateway> {
  const dir = tempDir('kdcr-interop-apache-');
  let proc: ServerProcess | undefined;
  try {
    const port = await freePort();
    const www = join(dir, 'www');
    mkdirSync(www);
    writeFileSync(join(www, 'ok.json'), '{"ok":true,"gateway":"apache httpd + mod_auth_openidc"}\n');
    writeFileSync(join(dir, 'ca.pem'), opts.ca);
    const routes = opts.routes.map((r) =>
      [
        `Alias /${r.slug}/anything ${join(www, 'ok.json')}`,
        `<Location /${r.slug}>`,
        '  AuthType oauth20',
        '  AuthzSendForbiddenOnFailure On',
        '  <RequireAll>',
        `    Require claim ${word(`iss:${r.issuer}`)}`,
        `    Require claim ${word(`aud:${r.audience}`)}`,
        // `scope` is one space-separated string: the scope as a whole word of it. (Require arguments go through
        // Apache's expression parser, which eats backslashes: hence [[:space:]], not \s.)
        `    Require claim ${word(`scope~(^|[[:space:]])${scopeRegex(r.scope)}($|[[:space:]])`)}`,
        '  </RequireAll>',
        '  ForceType application/json',
        '</Location>',
      ].join('\n'),
    );
    const root = process.getuid?.() === 0;
    writeFileSync(
      join(dir, 'httpd.conf'),
      [
        `ServerRoot ${dir}`,
        `DefaultRuntimeDir ${dir}`,
        `PidFile ${join(dir, 'httpd.pid')}`,
        `Listen 127.0.0.1:${port}`,
        'ServerName 127.0.0.1',
        // as root Apache serves from an unprivileged user (it refuses to serve as root)
        ...(root ? ['User nobody', 'Group nogroup'] : []),
        ...['mpm_event', 'authz_core', 'authn_core', 'alias', 'mime'].map(
          (m) => `LoadModule ${m}_module ${MODULES}/mod_${m}.so`,
        ),
        `LoadModule auth_openidc_module ${MODULES}/mod_auth_openidc.so`,
        `ErrorLog ${join(dir, 'error.log')}`,
        'LogLevel warn auth_openidc:info',
        `CustomLog ${join(dir, 'access.log')} "%>s %u %U"`,
        'TypesConfig /dev/null',
        `DocumentRoot ${www}`,
        `<Directory ${www}>`,
        '  Require all granted',
        '</Directory>',
        `OIDCCryptoPassphrase ${randomBytes(24).toString('hex')}`,
        `OIDCOAuthVerifyJwksUri ${opts.jwksUri}`,
        `OIDCCABundlePath ${join(dir, 'ca.pem')}`,
        'OIDCOAuthRemoteUserClaim client_id',
        ...routes,
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    if (root) {
      // the workers run as nobody: they read the page, the CA (libcurl, per JWKS fetch) and append to the log
      chmodSync(dir, 0o755);
      chmodSync(www, 0o755);
      for (const f of ['access.log', 'error.log']) {
        writeFileSync(join(dir, f), '');
        chmodSync(join(dir, f), 0o666);
      }
    }
    proc = startProcess('apache2', '/usr/sbin/apache2', ['-DFOREGROUND', '-f', join(dir, 'httpd.conf')], { cwd: dir });
    const errorLog = (): string => {
      try {
        return readFileSync(join(dir, 'error.log'), 'utf8');
      } catch {
        return '';
      }
    };
    try {
      await waitForPort(proc, port);
      // the master binds the port; workers answer: ready once one does
      await waitForHttp(`http://127.0.0.1:${port}/kdcr-ready`);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${errorLog().slice(-4000)}`);
    }
    const p = proc;
    let stopped: Promise<void> | undefined;
    const accessLog = (): AccessLogEntry[] => {
      const f = join(dir, 'access.log');
      if (!existsSync(f)) return [];
      return readFileSync(f, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [status, user, path] = line.split(' ');
          return { status: Number(status), user: user ?? '-', path: path ?? '' };
        });
    };
    return {
      process: p,
      url: `http://127.0.0.1:${port}`,
      errorLog,
      accessLog,
      async accessLogAfter(count, timeoutMs = 5_000) {
        const t0 = Date.now();
        for (;;) {
          const all = accessLog();
          if (all.length > count || Date.now() - t0 > timeoutMs) return all.slice(count);
          await new Promise((r) => setTimeout(r, 20));
        }
      },
      stop: () => (stopped ??= p.stop().finally(() => removeTempDir(dir))),
    };
  } catch (err) {
    await proc?.stop();
    removeTempDir(dir);
    throw err;
  }
}
