import * as vscode from 'vscode';
import {
  KONNECT_REGIONS,
  konnectTokenKind,
  normalizeBaseUrl,
  regionBaseUrl,
  type KonnectRegion,
} from '../../core/api/regions';
import type { ConnectionInfo } from '../auth/connections';
import type { Target } from '../auth/session';
import { toAbortSignal } from '../platform/errorBoundary';
import { classify } from '../platform/errors';
import type { CommandContext } from './context';

/**
 * `konnectDcr.signIn` argument, for automation (tests, `npm start`): skips the prompts it answers. A token given
 * here is still checked against Konnect before anything is stored.
 */
export interface SignInArgs {
  readonly name?: string | undefined;
  readonly baseUrl?: string | undefined;
  readonly region?: string | undefined;
  readonly token?: string | undefined;
}

export interface SignInResult {
  readonly ok: boolean;
  readonly name?: string;
  /** What the user was told. */
  readonly message: string;
}

/** A region's name, in the display language: called when the pick is shown (after the bundle is loaded). */
const regionName = (r: KonnectRegion): string =>
  ({
    us: vscode.l10n.t('United States'),
    eu: vscode.l10n.t('Europe'),
    au: vscode.l10n.t('Australia'),
    me: vscode.l10n.t('Middle East'),
    in: vscode.l10n.t('India'),
    sg: vscode.l10n.t('Singapore'),
  })[r];

function readArgs(raw: unknown): SignInArgs {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object') throw new TypeError('konnectDcr.signIn takes { name, baseUrl | region, token }');
  const o = raw as Record<string, unknown>;
  const str = (k: string): string | undefined => {
    const v = o[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw new TypeError(`konnectDcr.signIn: "${k}" must be a string`);
    return v;
  };
  return { name: str('name'), baseUrl: str('baseUrl'), region: str('region'), token: str('token') };
}

function hostOf(target: Target): string {
  return new URL(target.baseUrl ?? regionBaseUrl(target.region as KonnectRegion)).host;
}

function checkName(name: string): string | undefined {
  const n = name.trim();
  if (!n) return vscode.l10n.t('Give the connection a name, e.g. "prod-eu" or "sandbox".');
  if (n.length > 64) return vscode.l10n.t('At most 64 characters.');
  if ([...n].some((ch) => ch.charCodeAt(0) < 0x20)) return vscode.l10n.t('No control characters.');
  return undefined;
}

/** "Konnect DCR: Sign In to Konnect…": region or base URL, a name, a token; checked with one cheap call, then kept. */
export async function signIn(ctx: CommandContext, rawArgs?: unknown): Promise<SignInResult | undefined> {
  const args = readArgs(rawArgs);
  const known = args.name ? ctx.connections.get(args.name.trim()) : undefined;

  // 1. where
  let target: Target | undefined;
  if (args.baseUrl) target = { baseUrl: normalizeBaseUrl(args.baseUrl) };
  else if (args.region) {
    if (!(KONNECT_REGIONS as readonly string[]).includes(args.region))
      throw new TypeError(`Unknown Konnect region "${args.region}" (expected ${KONNECT_REGIONS.join(', ')})`);
    target = { region: args.region };
  } else if (known) {
    // signing in again to a known connection (e.g. "Sign in again…" after a refused token): same place, new token
    target = known.region ? { region: known.region } : { baseUrl: known.baseUrl };
  } else {
    const items: (vscode.QuickPickItem & { region?: KonnectRegion })[] = [
      ...KONNECT_REGIONS.map((r) => ({
        label: r.toUpperCase(),
        description: `${r}.api.konghq.com`,
        detail: regionName(r),
        region: r,
      })),
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      {
        label: vscode.l10n.t('Enter a base URL…'),
        description: vscode.l10n.t('e.g. the local sandbox, {0}', 'http://127.0.0.1:4010'),
      },
    ];
    const pick = await ctx.prompts.pick('signIn.target', items, {
      title: vscode.l10n.t('Sign In to Konnect (1/3): region'),
      placeHolder: vscode.l10n.t('Pick your Konnect region (geo), or enter a base URL'),
      ignoreFocusOut: true,
    });
    if (!pick) return undefined;
    if (pick.region) target = { region: pick.region };
    else {
      const url = await ctx.prompts.input('signIn.baseUrl', {
        title: vscode.l10n.t('Sign In to Konnect (1/3): base URL'),
        prompt: vscode.l10n.t('The Konnect API base URL (paths /v1, /v2, /v3 are added to it)'),
        placeHolder: 'http://127.0.0.1:4010',
        ignoreFocusOut: true,
        validateInput: (v) => {
          try {
            normalizeBaseUrl(v);
            return undefined;
          } catch (e) {
            return e instanceof Error ? e.message : String(e);
          }
        },
      });
      if (url === undefined) return undefined;
      target = { baseUrl: normalizeBaseUrl(url) };
    }
  }
  const host = hostOf(target);

  // 2. name
  let name = args.name?.trim();
  if (name) {
    const bad = checkName(name);
    if (bad) throw new TypeError(`konnectDcr.signIn: ${bad}`);
  } else {
    const suggestion = target.region
      ? `konnect-${target.region}`
      : new URL(target.baseUrl!).hostname.replace(/^(127\.0\.0\.1|localhost)$/, 'sandbox');
    const typed = await ctx.prompts.input('signIn.name', {
      title: vscode.l10n.t('Sign In to Konnect (2/3): connection name'),
      prompt: vscode.l10n.t('A name for this connection to {0}', host),
      value: suggestion,
      ignoreFocusOut: true,
      validateInput: (v) =>
        checkName(v) ??
        (ctx.connections.get(v.trim())
          ? {
              message: vscode.l10n.t('Replaces the connection "{0}".', v.trim()),
              severity: vscode.InputBoxValidationSeverity.Warning,
            }
          : undefined),
    });
    if (typed === undefined) return undefined;
    name = typed.trim();
  }

  // 3. token
  let token = args.token?.trim();
  if (!token) {
    const typed = await ctx.prompts.input('signIn.token', {
      title: vscode.l10n.t('Sign In to Konnect (3/3): token for "{0}"', name),
      prompt: vscode.l10n.t(
        "A personal access token (kpat_…) or system-account token (spat_…) for {0}. It is kept only in VS Code's secret storage.",
        host,
      ),
      placeHolder: vscode.l10n.t('kpat_… or spat_…'),
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => {
        const t = v.trim();
        if (!t) return vscode.l10n.t('Paste the token.');
        if (!/^[\x21-\x7e]+$/.test(t))
          return vscode.l10n.t('The token contains spaces, control or non-ASCII characters.');
        if (target.region && konnectTokenKind(t) === 'other')
          return {
            message: vscode.l10n.t('This does not look like a kpat_ or spat_ token; Konnect will probably refuse it.'),
            severity: vscode.InputBoxValidationSeverity.Warning,
          };
        return undefined;
      },
    });
    if (typed === undefined) return undefined;
    token = typed.trim();
  }

  // 4. check, then keep
  const t = target;
  const tok = token;
  try {
    await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Konnect DCR: checking the token with {0}…', host),
        cancellable: true,
      },
      (_p, cancel) => ctx.session.validate(t, tok, toAbortSignal(cancel)),
    );
  } catch (err) {
    const c = classify(err, host);
    if (c.kind === 'cancelled') return undefined;
    ctx.log.warn(`sign-in to ${host} as "${name}" failed: ${c.message}`);
    const message =
      c.kind === 'auth'
        ? vscode.l10n.t(
            'Sign-in failed: {0} refused the token (401 Unauthorized). Check that it is a valid kpat_/spat_ token for this region, not expired or revoked. Nothing was saved.',
            host,
          )
        : vscode.l10n.t('Sign-in failed: {0} Nothing was saved.', c.message);
    const retryArgs: SignInArgs = { name, ...(t.region ? { region: t.region } : { baseUrl: t.baseUrl }) };
    const tryAgain = vscode.l10n.t('Try Again');
    ctx.prompts.notify('error', message, [tryAgain, vscode.l10n.t('Show Log')], (choice) =>
      vscode.commands.executeCommand(
        choice === tryAgain ? 'konnectDcr.signIn' : 'konnectDcr.showLog',
        ...(choice === tryAgain ? [retryArgs] : []),
      ),
    );
    return { ok: false, message };
  }
  const info: ConnectionInfo = t.region
    ? { name, baseUrl: regionBaseUrl(t.region as KonnectRegion), region: t.region }
    : { name, baseUrl: t.baseUrl! };
  await ctx.connections.save(info, tok);
  const message = vscode.l10n.t('Signed in to Konnect as "{0}" ({1}).', name, host);
  ctx.log.info(message);
  ctx.prompts.notify('info', message);
  return { ok: true, name, message };
}

/** "Sign Out": deletes the connection's token from the secret storage and forgets the connection. */
export async function signOut(ctx: CommandContext, arg?: unknown): Promise<string | undefined> {
  let name =
    typeof arg === 'string'
      ? arg
      : arg && typeof arg === 'object' && typeof (arg as { name?: unknown }).name === 'string'
        ? (arg as { name: string }).name
        : undefined;
  const all = ctx.connections.list();
  if (!name) {
    if (all.length === 0) {
      ctx.prompts.notify('info', vscode.l10n.t('Konnect DCR: not signed in.'));
      return undefined;
    }
    const active = ctx.connections.active()?.name;
    if (all.length === 1) name = all[0]!.name;
    else {
      const pick = await ctx.prompts.pick(
        'signOut.connection',
        all.map((c) => ({
          label: c.name,
          description:
            c.name === active ? vscode.l10n.t('{0} · active', new URL(c.baseUrl).host) : new URL(c.baseUrl).host,
        })),
        { title: vscode.l10n.t('Sign Out of which Konnect connection?') },
      );
      if (!pick) return undefined;
      name = pick.label;
    }
  }
  if (!ctx.connections.get(name)) throw new Error(vscode.l10n.t('No connection named "{0}".', name));
  await ctx.connections.remove(name);
  const message = vscode.l10n.t('Signed out of "{0}": its token was deleted.', name);
  ctx.log.info(message);
  ctx.prompts.notify('info', message);
  return name;
}

/** "Switch Connection": makes another stored connection the active one (the views reload). */
export async function switchConnection(ctx: CommandContext, arg?: unknown): Promise<string | undefined> {
  let name = typeof arg === 'string' ? arg : undefined;
  if (!name) {
    const active = ctx.connections.active()?.name;
    const items: (vscode.QuickPickItem & { signIn?: boolean })[] = [
      ...ctx.connections.list().map((c) => ({
        label: c.name,
        description:
          c.name === active ? vscode.l10n.t('{0} · active', new URL(c.baseUrl).host) : new URL(c.baseUrl).host,
        picked: c.name === active,
      })),
      { label: vscode.l10n.t('Sign in to another Konnect…'), signIn: true, iconPath: new vscode.ThemeIcon('sign-in') },
    ];
    const pick = await ctx.prompts.pick('switchConnection', items, {
      title: vscode.l10n.t('Konnect DCR: switch connection'),
      placeHolder: active ? vscode.l10n.t('Active: {0}', active) : vscode.l10n.t('Not signed in'),
    });
    if (!pick) return undefined;
    if (pick.signIn) {
      const r = await signIn(ctx);
      return r?.ok ? r.name : undefined;
    }
    name = pick.label;
  }
  await ctx.connections.setActive(name);
  ctx.log.info(`active connection: "${name}"`);
  return name;
}
