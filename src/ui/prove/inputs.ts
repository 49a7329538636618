/**
 * What a "Prove DCR" run asks the user for, asked once and kept:
 * - the test developer (email + password) per connection, in SecretStorage only;
 * - the gateway route per connection and API, in globalState (not secret), unless the `konnectDcr.prove.gatewayUrl`
 *   setting gives the gateway's base URL.
 * For the local sandbox connection both come from the sandbox's state file ($KONNECT_DCR_SANDBOX_STATE), when its
 * Konnect URL is the connection's.
 */
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import * as z from 'zod';
import { normalizeBaseUrl } from '../../core/api/regions';
import type { DeveloperCredentials } from '../../core/model/portalApi';
import { DEFAULT_ROUTE_PATH, gatewayRouteUrl, type PublicationChoice } from '../../core/prove/targets';
import type { Redactor } from '../../core/util/redact';
import type { ConnectionInfo } from '../auth/connections';
import { SANDBOX_STATE_ENV } from '../platform/ids';
import type { Prompts } from '../platform/prompts';
import { DEVELOPER_SECRET_PREFIX, OWNED_CLIENT_SECRET_PREFIX, ProveSettings, ROUTES_KEY } from './ids';

const SandboxExtrasSchema = z.looseObject({
  konnectUrl: z.string(),
  gatewayUrl: z.string().optional(),
  developer: z.object({ email: z.string().min(1), password: z.string().min(1) }).optional(),
});

export interface SandboxExtras {
  readonly gatewayUrl?: string | undefined;
  readonly developer?: DeveloperCredentials | undefined;
}

/** The sandbox's gateway and developer, when the connection is the sandbox named in $KONNECT_DCR_SANDBOX_STATE. */
export async function sandboxExtras(
  connection: ConnectionInfo,
  file = process.env[SANDBOX_STATE_ENV],
): Promise<SandboxExtras> {
  if (!file) return {};
  try {
    const s = SandboxExtrasSchema.parse(JSON.parse(await readFile(file, 'utf8')));
    if (normalizeBaseUrl(s.konnectUrl) !== normalizeBaseUrl(connection.baseUrl)) return {};
    return {
      gatewayUrl: s.gatewayUrl,
      developer: s.developer ? { username: s.developer.email, password: s.developer.password } : undefined,
    };
  } catch {
    return {};
  }
}

const DeveloperSchema = z.object({ username: z.string().min(1), password: z.string().min(1) });

export interface InputDeps {
  readonly secrets: vscode.SecretStorage;
  readonly globalState: vscode.Memento;
  readonly prompts: Prompts;
  readonly redactor: Redactor;
}

/** The stored test developer of a connection, else the sandbox's, else asked (once) and stored. */
export async function developerFor(
  deps: InputDeps,
  connection: ConnectionInfo,
  portalName: string,
): Promise<DeveloperCredentials | undefined> {
  const key = DEVELOPER_SECRET_PREFIX + connection.name;
  const stored = await deps.secrets.get(key);
  if (stored) {
    const parsed = DeveloperSchema.safeParse(safeJson(stored));
    if (parsed.success) {
      deps.redactor.add(parsed.data.password);
      return parsed.data;
    }
  }
  let dev = (await sandboxExtras(connection)).developer;
  if (!dev) {
    const username = await deps.prompts.input('prove.developerEmail', {
      title: vscode.l10n.t('Konnect DCR: Prove DCR — test developer of "{0}" (1/2): email', portalName),
      prompt: vscode.l10n.t(
        'A developer approved in the portal: Prove DCR signs in as them to create (and then delete) a test application. Asked once per connection.',
      ),
      placeHolder: vscode.l10n.t('dev@example.com'),
      ignoreFocusOut: true,
      validateInput: (v) => (/^\S+@\S+$/.test(v.trim()) ? undefined : vscode.l10n.t("Enter the developer's email")),
    });
    if (username === undefined) return undefined;
    const password = await deps.prompts.input('prove.developerPassword', {
      title: vscode.l10n.t('Konnect DCR: Prove DCR — test developer of "{0}" (2/2): password', portalName),
      prompt: vscode.l10n.t(
        'Kept only in VS Code\'s secret storage. "Konnect DCR: Forget Prove DCR Test Developer" removes it.',
      ),
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v ? undefined : vscode.l10n.t('Enter the password')),
    });
    if (password === undefined) return undefined;
    dev = { username: username.trim(), password };
  }
  deps.redactor.add(dev.password);
  await deps.secrets.store(key, JSON.stringify(dev));
  return dev;
}

/** Whether a test developer is stored for the connection (or the sandbox gives one): nothing would be asked. */
export async function hasDeveloper(deps: InputDeps, connection: ConnectionInfo): Promise<boolean> {
  const stored = await deps.secrets.get(DEVELOPER_SECRET_PREFIX + connection.name);
  if (stored && DeveloperSchema.safeParse(safeJson(stored)).success) return true;
  return !!(await sandboxExtras(connection)).developer;
}

const OwnedClientSchema = z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1) });
export type OwnedClient = z.infer<typeof OwnedClientSchema>;

const ownedKey = (connection: ConnectionInfo, providerId: string): string =>
  `${OWNED_CLIENT_SECRET_PREFIX}${connection.name}/${providerId}`;

/**
 * Admin mode on an IdP other than Kong Identity: a client the admin owns there (id + secret), stored per connection and
 * DCR provider in SecretStorage only, else asked (once) and stored. Prove DCR links the test application to it and
 * never deletes it.
 */
export async function ownedClientFor(
  deps: InputDeps,
  connection: ConnectionInfo,
  provider: { id: string; name: string },
): Promise<OwnedClient | undefined> {
  const key = ownedKey(connection, provider.id);
  const stored = OwnedClientSchema.safeParse(safeJson((await deps.secrets.get(key)) ?? ''));
  if (stored.success) {
    deps.redactor.add(stored.data.clientSecret);
    return stored.data;
  }
  const clientId = await deps.prompts.input('prove.ownedClientId', {
    title: vscode.l10n.t(
      'Konnect DCR: Prove DCR as the admin — your client in the IdP of "{0}" (1/2): client id',
      provider.name,
    ),
    prompt: vscode.l10n.t('A client you own there (client_credentials). The test app is linked to it; never deleted.'),
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter the client id')),
  });
  if (clientId === undefined) return undefined;
  const clientSecret = await deps.prompts.input('prove.ownedClientSecret', {
    title: vscode.l10n.t(
      'Konnect DCR: Prove DCR as the admin — your client in the IdP of "{0}" (2/2): client secret',
      provider.name,
    ),
    prompt: vscode.l10n.t("Kept only in VS Code's secret storage."),
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v ? undefined : vscode.l10n.t('Enter the client secret')),
  });
  if (clientSecret === undefined) return undefined;
  const owned = { clientId: clientId.trim(), clientSecret };
  deps.redactor.add(clientSecret);
  await deps.secrets.store(key, JSON.stringify(owned));
  return owned;
}

/** Whether a client the admin owns is stored for this connection and DCR provider. */
export async function hasOwnedClient(
  deps: InputDeps,
  connection: ConnectionInfo,
  providerId: string,
): Promise<boolean> {
  return (await deps.secrets.get(ownedKey(connection, providerId))) !== undefined;
}

/** The IdP refused the stored client (or the user asked): forget it, so that the next run asks again. */
export async function forgetOwnedClient(
  deps: InputDeps,
  connection: ConnectionInfo,
  providerId: string,
): Promise<void> {
  await deps.secrets.delete(ownedKey(connection, providerId));
}

export async function forgetDeveloper(deps: InputDeps, connection: ConnectionInfo): Promise<boolean> {
  const key = DEVELOPER_SECRET_PREFIX + connection.name;
  const had = (await deps.secrets.get(key)) !== undefined;
  await deps.secrets.delete(key);
  return had;
}

/**
 * The URL of the API's route behind the gateway: the one given for this API before, else the setting's gateway base
 * URL + route path, else (asked once, prefilled with the sandbox's gateway or the setting) stored per API.
 * Undefined when the user escaped: the gateway step is then skipped.
 */
export async function routeFor(
  deps: InputDeps,
  connection: ConnectionInfo,
  pub: PublicationChoice,
  options: { gatewayUrl?: string | undefined; routePath?: string | undefined; ask?: boolean },
): Promise<string | undefined> {
  const cfg = vscode.workspace.getConfiguration(ProveSettings.section);
  const routePath =
    options.routePath ?? (cfg.get<string>(ProveSettings.routePath, DEFAULT_ROUTE_PATH).trim() || DEFAULT_ROUTE_PATH);
  if (options.gatewayUrl) return gatewayRouteUrl(options.gatewayUrl, pub.apiSlug, routePath);
  const routes = deps.globalState.get<Record<string, string>>(ROUTES_KEY, {});
  const key = `${connection.name}/${pub.apiId}`;
  if (routes[key]) return routes[key];
  const base = cfg.get<string>(ProveSettings.gatewayUrl, '').trim();
  if (base) return gatewayRouteUrl(base, pub.apiSlug, routePath);
  const sandbox = (await sandboxExtras(connection)).gatewayUrl;
  if (sandbox) return gatewayRouteUrl(sandbox, pub.apiSlug, routePath);
  if (options.ask === false) return undefined;
  const value = await deps.prompts.input('prove.gatewayUrl', {
    title: vscode.l10n.t('Konnect DCR: Prove DCR — a route of "{0}" behind the gateway', pub.apiName),
    prompt: vscode.l10n.t(
      'The URL Prove DCR calls with the token (it must answer 200). Asked once for this API; the "{0}" setting gives the gateway for all APIs. Escape: skip the gateway call.',
      'konnectDcr.prove.gatewayUrl',
    ),
    value: gatewayRouteUrl('https://gateway.example.com', pub.apiSlug, routePath),
    valueSelection: [0, 'https://gateway.example.com'.length],
    ignoreFocusOut: true,
    validateInput: (v) =>
      /^https?:\/\/\S+$/.test(v.trim())
        ? undefined
        : vscode.l10n.t('An http(s) URL, e.g. {0}', 'https://gw.example.com/orders/anything'),
  });
  if (value === undefined) return undefined;
  await deps.globalState.update(ROUTES_KEY, { ...routes, [key]: value.trim() });
  return value.trim();
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
