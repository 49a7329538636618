/**
 * Glewlwyd (Debian package `glewlwyd`, by Nicolas Mora): a real OAuth 2 / OpenID Connect server, run in the
 * foreground on a loopback port over TLS, with its own config file and SQLite database in a temp dir.
 *
 * Set up through its own admin API, as an admin would:
 *   - scopes `dcr` (the initial client's: the registration endpoint asks for a token with it), `orders:read` and
 *     `inventory:read` (what registered clients may ask for);
 *   - the OpenID Connect plugin `oidc`: issuer `https://127.0.0.1:<port>/api/oidc`, RS256 JWT access tokens with a
 *     key made here (kid `kdcr-interop-1`), JWKS, discovery, client_credentials, RFC 7591 registration behind the
 *     `dcr` scope with RFC 7592 management (registration_access_token), RFC 8707 resource indicators (`orders:read`
 *     may be asked for https://orders.interop.test or https://billing.interop.test);
 *   - a second instance `oidc-short` with the same issuer and key but 1 s token lifetime: it issues real expired
 *     tokens; a third, `oidc-other`, with the same key under another issuer (a second tenant, say);
 *   - the initial client (client_credentials, scope `dcr`) whose credentials a Curity-type DCR provider holds.
 * Glewlwyd's admin is its packaged default (admin / password); it listens on loopback only and lives for one run.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpClient } from '../support/http';
import { freePort, removeTempDir, startProcess, tempDir, waitForPort, type ServerProcess } from '../support/procs';

const PACKAGED_SQL = '/usr/share/dbconfig-common/data/glewlwyd/install/sqlite3';
const MODULES = '/usr/lib/glewlwyd';
export const ORDERS_AUDIENCE = 'https://orders.interop.test';
export const BILLING_AUDIENCE = 'https://billing.interop.test';
export const KID = 'kdcr-interop-1';

export interface StartedGlewlwyd {
  readonly process: ServerProcess;
  readonly baseUrl: string;
  /** `https://127.0.0.1:<port>/api/oidc` */
  readonly issuer: string;
  readonly discoveryUrl: string;
  readonly tokenEndpoint: string;
  readonly jwksUri: string;
  /** The token endpoint of `oidc-short` (same issuer and key, tokens live 1 s). */
  readonly shortTokenEndpoint: string;
  /** `oidc-other`: another issuer on the same server with the same signing key (think: a second tenant). */
  readonly other: { readonly issuer: string; readonly tokenEndpoint: string };
  readonly initialClient: { readonly id: string; readonly secret: string };
  /** PEM of the TLS certificate (self-signed: it is its own CA). */
  readonly ca: string;
  stop(): Promise<void>;
}

export interface GlewlwydOptions {
  /** The TLS key and certificate (PEM) for 127.0.0.1. */
  readonly tls: { readonly key: string; readonly cert: string };
}

export async function startGlewlwyd(opts: GlewlwydOptions): Promise<StartedGlewlwyd> {
  const dir = tempDir('kdcr-interop-glewlwyd-');
  let proc: ServerProcess | undefined;
  const http = new HttpClient(opts.tls.cert);
  try {
    const port = await freePort();
    const baseUrl = `https://127.0.0.1:${port}`;
    writeFileSync(join(dir, 'key.pem'), opts.tls.key, { mode: 0o600 });
    writeFileSync(join(dir, 'cert.pem'), opts.tls.cert);
    const db = join(dir, 'glewlwyd.db');
    execFileSync('sqlite3', [db], { input: readFileSync(PACKAGED_SQL), stdio: ['pipe', 'ignore', 'pipe'] });
    // libconfig syntax. `use_secure_connection=false` must not be written: glewlwyd 2.7.5 then insists on the
    // certificate files anyway ("secure connection is active but certificate is not valid").
    writeFileSync(
      join(dir, 'glewlwyd.conf'),
      [
        `port=${port}`,
        'bind_address="127.0.0.1"',
        `external_url="${baseUrl}"`,
        'login_url="login.html"',
        'api_prefix="api"',
        'log_mode="console"',
        'log_level="WARNING"',
        'session_expiration=3600',
        'session_key="GLEWLWYD2_SESSION_ID"',
        'admin_scope="g_admin"',
        'profile_scope="g_profile"',
        `user_module_path="${MODULES}/user"`,
        `client_module_path="${MODULES}/client"`,
        `user_auth_scheme_module_path="${MODULES}/scheme"`,
        `plugin_module_path="${MODULES}/plugin"`,
        'hash_algorithm="SHA512"',
        'use_secure_connection=true',
        `secure_connection_key_file="${join(dir, 'key.pem')}"`,
        `secure_connection_pem_file="${join(dir, 'cert.pem')}"`,
        `database = { type = "sqlite3"; path = "${db}"; };`,
        '',
      ].join('\n'),
    );
    proc = startProcess('glewlwyd', 'glewlwyd', ['-c', join(dir, 'glewlwyd.conf')], { cwd: dir });
    await waitForPort(proc, port);

    const api = `${baseUrl}/api`;
    const login = await http.call(`${api}/auth/`, { json: { username: 'admin', password: 'password' } });
    const cookie = String(login.headers['set-cookie'] ?? '').split(';')[0];
    if (login.status !== 200 || !cookie) throw new Error(`glewlwyd admin sign-in answered ${login.status}`);
    const admin = async (path: string, body: unknown, method = 'POST'): Promise<void> => {
      const r = await http.call(`${api}${path}`, { method, json: body, headers: { cookie } });
      if (r.status !== 200) throw new Error(`glewlwyd ${method} ${path} answered ${r.status}: ${r.text.slice(0, 300)}`);
    };
    for (const [name, description] of [
      ['dcr', 'register clients'],
      ['orders:read', 'read orders'],
      ['inventory:read', 'read inventory'],
    ]) {
      await admin('/scope/', { name, display_name: name, description, password_required: false });
    }
    const issuer = `${api}/oidc`;
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwks = JSON.stringify({
      keys: [{ ...privateKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' }],
    });
    const common = {
      iss: issuer,
      'jwks-private': jwks,
      'default-kid': KID,
      'jwks-show': true,
      'refresh-token-duration': 1_209_600,
      'code-duration': 600,
      'allow-non-oidc': true,
      'auth-type-client-enabled': true,
      'auth-type-code-enabled': false,
      'auth-type-implicit-enabled': false,
      'auth-type-password-enabled': false,
      'auth-type-refresh-enabled': false,
      'resource-allowed': true,
      'resource-scope': { 'orders:read': [ORDERS_AUDIENCE, BILLING_AUDIENCE], 'inventory:read': [ORDERS_AUDIENCE] },
    };
    await admin('/mod/plugin/', {
      module: 'oidc',
      name: 'oidc',
      display_name: 'Interop OIDC',
      enabled: true,
      parameters: {
        ...common,
        'access-token-duration': 3600,
        'register-client-allowed': true,
        'register-client-auth-scope': ['dcr'],
        'register-client-management-allowed': true,
        'register-client-credentials-scope': ['orders:read', 'inventory:read'],
      },
    });
    await admin('/mod/plugin/', {
      module: 'oidc',
      name: 'oidc-short',
      display_name: 'Interop OIDC, 1 s tokens',
      enabled: true,
      parameters: { ...common, 'access-token-duration': 1 },
    });
    await admin('/mod/plugin/', {
      module: 'oidc',
      name: 'oidc-other',
      display_name: 'Interop OIDC, another issuer',
      enabled: true,
      parameters: { ...common, iss: `${api}/oidc-other`, 'access-token-duration': 3600 },
    });
    const initialClient = { id: 'kdcr-initial-client', secret: randomBytes(24).toString('base64url') };
    await admin('/client/', {
      client_id: initialClient.id,
      name: 'Konnect DCR initial client',
      confidential: true,
      password: initialClient.secret,
      authorization_type: ['client_credentials'],
      scope: ['dcr'],
      enabled: true,
      // without it glewlwyd refuses every client authentication of this client (403, empty body)
      token_endpoint_auth_method: ['client_secret_basic', 'client_secret_post'],
    });
    const p = proc;
    let stopped: Promise<void> | undefined;
    return {
      process: p,
      baseUrl,
      issuer,
      discoveryUrl: `${issuer}/.well-known/openid-configuration`,
      tokenEndpoint: `${issuer}/token`,
      jwksUri: `${issuer}/jwks`,
      shortTokenEndpoint: `${api}/oidc-short/token`,
      other: { issuer: `${api}/oidc-other`, tokenEndpoint: `${api}/oidc-other/token` },
      initialClient,
      ca: opts.tls.cert,
      stop: () => (stopped ??= p.stop().finally(() => removeTempDir(dir))),
    };
  } catch (err) {
    await proc?.stop();
    removeTempDir(dir);
    throw err;
  } finally {
    await http.close();
  }
}
