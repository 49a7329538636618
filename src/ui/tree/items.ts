import * as vscode from 'vscode';
import { Commands } from '../platform/ids';
import { adminTreeItem } from '../portals/items';
import { providerTypeInfo, type TreeNode } from './nodes';

/**
 * contextValue tokens, joined with `;` and matched in package.json menus with `viewItem =~ /(^|;)token(;|$)/`:
 * the node kind first, then what can be done with it.
 */
export const Ctx = {
  copyable: 'copyable',
  details: 'details',
  deletable: 'deletable',
  verifiable: 'verifiable',
  linked: 'linked',
} as const;

/** An ISO timestamp as a row has room for: `2026-12-04 04:48` (UTC, as Konnect gives it); other text as it is. */
const minute = (iso: string): string =>
  /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso;

const contextValue = (...tokens: (string | false | undefined)[]): string => tokens.filter(Boolean).join(';');

/** A Markdown tooltip: a bold title, then "**field:** value" lines (values escaped). */
function tooltip(
  title: string,
  fields: readonly (readonly [string, string | number | boolean | null | undefined | readonly string[]])[],
): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown('**');
  md.appendText(title);
  md.appendMarkdown('**\n\n');
  for (const [k, v] of fields) {
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    md.appendMarkdown(`${k}: `);
    md.appendText(Array.isArray(v) ? v.join(', ') : String(v as string | number | boolean));
    md.appendMarkdown('  \n');
  }
  return md;
}

const icon = (id: string, color?: string): vscode.ThemeIcon =>
  new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
const join = (xs: readonly string[] | undefined): string => (xs && xs.length ? xs.join(', ') : '—');

/**
 * The TreeItem of a node. `count`: for an `admin` node, what its list holds when loaded. `withTooltip: false` leaves
 * out the Markdown tooltips of resources (providers, strategies, Kong Identity objects): VS Code asks for the item of
 * every child of an expanded node (20,000 strategies at the root of a large catalog) but for a tooltip only on
 * hover, through `resolveTreeItem`; building them all took about half of the tree's time in a 20,000 + 20,000 load.
 */
export function toTreeItem(
  n: TreeNode,
  expandedByDefault = false,
  count?: number,
  withTooltip = true,
): vscode.TreeItem {
  const C = vscode.TreeItemCollapsibleState;
  const collapsed = expandedByDefault ? C.Expanded : C.Collapsed;
  let item: vscode.TreeItem;
  switch (n.kind) {
    case 'providerGroup': {
      const info = providerTypeInfo(n.providerType);
      item = new vscode.TreeItem(info.label, collapsed);
      item.description = `${n.count}`;
      item.iconPath = icon(info.icon);
      item.tooltip =
        n.count === 1
          ? vscode.l10n.t('{0} {1} DCR provider (provider_type: {2})', n.count, info.label, n.providerType)
          : vscode.l10n.t('{0} {1} DCR providers (provider_type: {2})', n.count, info.label, n.providerType);
      item.contextValue = contextValue('providerGroup');
      break;
    }
    case 'provider': {
      const p = n.provider;
      const info = providerTypeInfo(p.provider_type);
      item = new vscode.TreeItem(p.name, collapsed);
      item.description = p.active ? vscode.l10n.t('active · {0}', p.issuer) : vscode.l10n.t('inactive · {0}', p.issuer);
      item.iconPath = icon(info.icon, p.active ? undefined : 'disabledForeground');
      if (withTooltip) {
        const cfg = Object.entries(p.dcr_config as Record<string, unknown>).map(
          ([k, v]) => [`dcr_config.${k}`, v === null ? 'null' : String(v)] as const,
        );
        item.tooltip = tooltip(p.display_name ? `${p.name} (${p.display_name})` : p.name, [
          [vscode.l10n.t('Type'), `${info.label} (${p.provider_type})`],
          [vscode.l10n.t('Issuer'), p.issuer],
          [
            vscode.l10n.t('Active'),
            p.active ? vscode.l10n.t('yes: an active auth strategy uses it') : vscode.l10n.t('no'),
          ],
          [vscode.l10n.t('ID'), p.id],
          ...cfg,
          [vscode.l10n.t('Labels'), Object.entries(p.labels ?? {}).map(([k, v]) => `${k}=${v}`)],
          [vscode.l10n.t('Created'), p.created_at],
          [vscode.l10n.t('Updated'), p.updated_at],
        ]);
      }
      item.contextValue = contextValue('provider', Ctx.copyable, Ctx.details, Ctx.deletable, Ctx.verifiable);
      break;
    }
    case 'strategy': {
      const s = n.strategy;
      item = new vscode.TreeItem(s.name, n.under ? C.None : collapsed);
      const shown = !n.under && s.dcr_provider ? `${s.strategy_type} · ${s.dcr_provider.name}` : s.strategy_type;
      item.description = s.active ? shown : vscode.l10n.t('{0} · inactive', shown);
      item.iconPath = icon(
        s.strategy_type === 'key_auth' ? 'key' : 'shield',
        s.active ? undefined : 'disabledForeground',
      );
      if (withTooltip) {
        const fields: [string, string | boolean | readonly string[] | undefined][] = [
          [vscode.l10n.t('Type'), s.strategy_type],
          [vscode.l10n.t('Display name'), s.display_name],
          [vscode.l10n.t('Active'), s.active ? vscode.l10n.t('yes: a published API uses it') : vscode.l10n.t('no')],
          [vscode.l10n.t('ID'), s.id],
        ];
        if (s.strategy_type === 'openid_connect') {
          const c = s.configs['openid-connect'];
          fields.push(
            [
              vscode.l10n.t('DCR provider'),
              s.dcr_provider
                ? `${s.dcr_provider.name} (${s.dcr_provider.provider_type})`
                : vscode.l10n.t('none (self-managed)'),
            ],
            [vscode.l10n.t('Issuer'), c.issuer],
            [vscode.l10n.t('Scopes'), c.scopes],
            [vscode.l10n.t('Credential claims'), c.credential_claim],
            [vscode.l10n.t('Auth methods'), c.auth_methods],
          );
        } else {
          const c = s.configs['key-auth'];
          fields.push(
            [vscode.l10n.t('Key names'), c.key_names],
            [vscode.l10n.t('TTL'), c.ttl ? `${c.ttl.value} ${c.ttl.unit}` : undefined],
          );
        }
        item.tooltip = tooltip(s.name, fields);
      }
      item.contextValue = contextValue(
        'strategy',
        Ctx.copyable,
        Ctx.details,
        Ctx.deletable,
        !!s.dcr_provider && !n.under && Ctx.linked,
      );
      break;
    }
    case 'strategyField':
      item = new vscode.TreeItem(n.label, C.None);
      item.description = n.value;
      item.tooltip = `${n.label}: ${n.value}`;
      item.iconPath = icon(
        {
          issuer: 'link-external',
          scopes: 'list-unordered',
          credentialClaims: 'symbol-field',
          authMethods: 'symbol-method',
          keyNames: 'symbol-key',
          ttl: 'clock',
          principals: 'account',
        }[n.field],
      );
      item.contextValue = contextValue('strategyField');
      break;
    case 'linkedProvider': {
      const p = n.provider;
      const summary = n.strategy.dcr_provider;
      item = new vscode.TreeItem(vscode.l10n.t('DCR provider'), C.None);
      if (!summary) {
        item.description = vscode.l10n.t('none (self-managed client credentials)');
        item.iconPath = icon('circle-slash');
      } else {
        const info = providerTypeInfo(summary.provider_type);
        item.description = `${summary.name} (${info.label})`;
        item.iconPath = icon(info.icon);
        item.tooltip = p
          ? tooltip(vscode.l10n.t('{0}: click to reveal it in DCR Providers', p.name), [
              [vscode.l10n.t('Issuer'), p.issuer],
              [vscode.l10n.t('ID'), p.id],
            ])
          : `${summary.name} (${summary.id})`;
        item.command = {
          command: Commands.revealProvider,
          title: vscode.l10n.t('Reveal DCR Provider'),
          arguments: [n],
        };
      }
      item.contextValue = contextValue('linkedProvider', !!summary && Ctx.linked);
      break;
    }
    case 'authServer': {
      const a = n.authServer;
      item = new vscode.TreeItem(a.name, collapsed);
      item.description = a.issuer;
      item.iconPath = icon('server');
      if (withTooltip)
        item.tooltip = tooltip(a.name, [
          [vscode.l10n.t('Description'), a.description],
          [vscode.l10n.t('Audience'), a.audience],
          [vscode.l10n.t('Issuer'), a.issuer],
          [vscode.l10n.t('Signing algorithm'), a.signing_algorithm],
          [vscode.l10n.t('Metadata'), a.metadata_uri],
          [vscode.l10n.t('JWKS'), a.jwks_uri],
          [vscode.l10n.t('ID'), a.id],
          [vscode.l10n.t('Trusted origins'), a.trusted_origins],
          [vscode.l10n.t('Labels'), Object.entries(a.labels).map(([k, v]) => `${k}=${v}`)],
        ]);
      item.contextValue = contextValue('authServer', Ctx.copyable, Ctx.details, Ctx.deletable);
      break;
    }
    case 'identityGroup': {
      const label = {
        scopes: vscode.l10n.t('Scopes'),
        claims: vscode.l10n.t('Claims'),
        clients: vscode.l10n.t('Clients'),
      }[n.group];
      item = new vscode.TreeItem(label, n.count ? C.Collapsed : C.None);
      item.description = `${n.count}`;
      item.iconPath = icon({ scopes: 'list-unordered', claims: 'symbol-field', clients: 'person' }[n.group]);
      item.contextValue = contextValue('identityGroup', n.group);
      break;
    }
    case 'scope': {
      const s = n.scope;
      item = new vscode.TreeItem(s.name, C.None);
      item.description =
        [
          s.default && vscode.l10n.t('default'),
          !s.enabled && vscode.l10n.t('disabled'),
          s.include_in_metadata && vscode.l10n.t('in metadata'),
        ]
          .filter(Boolean)
          .join(' · ') || s.description;
      item.iconPath = icon('list-unordered', s.enabled ? undefined : 'disabledForeground');
      if (withTooltip)
        item.tooltip = tooltip(s.name, [
          [vscode.l10n.t('Description'), s.description],
          [vscode.l10n.t('Default'), s.default],
          [vscode.l10n.t('Enabled'), s.enabled],
          [vscode.l10n.t('In metadata'), s.include_in_metadata],
          [vscode.l10n.t('ID'), s.id],
        ]);
      item.contextValue = contextValue('scope', Ctx.copyable, Ctx.details);
      break;
    }
    case 'claim': {
      const c = n.claim;
      item = new vscode.TreeItem(c.name, C.None);
      item.description = c.value;
      item.iconPath = icon('symbol-field', c.enabled ? undefined : 'disabledForeground');
      if (withTooltip)
        item.tooltip = tooltip(c.name, [
          [vscode.l10n.t('Value'), c.value],
          [vscode.l10n.t('In token'), c.include_in_token],
          [vscode.l10n.t('In all scopes'), c.include_in_all_scopes],
          [vscode.l10n.t('Enabled'), c.enabled],
          [vscode.l10n.t('ID'), c.id],
        ]);
      item.contextValue = contextValue('claim', Ctx.copyable, Ctx.details);
      break;
    }
    case 'client': {
      const c = n.client;
      item = new vscode.TreeItem(c.name, C.Collapsed);
      item.description = `${c.id} · ${join(c.grant_types)}`;
      item.iconPath = icon('person');
      if (withTooltip)
        item.tooltip = tooltip(c.name, [
          [vscode.l10n.t('Client ID'), c.id],
          [vscode.l10n.t('Grant types'), c.grant_types],
          [vscode.l10n.t('Response types'), c.response_types],
          [vscode.l10n.t('Redirect URIs'), c.redirect_uris],
          [vscode.l10n.t('Token endpoint auth'), c.token_endpoint_auth_method],
          [vscode.l10n.t('All scopes'), c.allow_all_scopes],
          [vscode.l10n.t('Access token duration (s)'), c.access_token_duration],
        ]);
      item.contextValue = contextValue('client', Ctx.copyable, Ctx.details);
      break;
    }
    case 'clientGroup':
      item = new vscode.TreeItem(
        n.group === 'secrets' ? vscode.l10n.t('Secrets') : vscode.l10n.t('Issued tokens'),
        C.Collapsed,
      );
      item.iconPath = icon(n.group === 'secrets' ? 'key' : 'history');
      item.contextValue = contextValue('clientGroup', n.group);
      break;
    case 'clientSecret': {
      const s = n.secret;
      item = new vscode.TreeItem(s.id, C.None);
      item.description = s.enabled
        ? vscode.l10n.t('active · created {0}', minute(s.created_at))
        : vscode.l10n.t('disabled · created {0}', minute(s.created_at));
      item.iconPath = icon(s.enabled ? 'pass' : 'circle-slash', s.enabled ? undefined : 'disabledForeground');
      if (withTooltip)
        item.tooltip = tooltip(s.id, [
          [vscode.l10n.t('Active'), s.enabled],
          [vscode.l10n.t('Created'), s.created_at],
          [vscode.l10n.t('Updated'), s.updated_at],
        ]);
      item.contextValue = contextValue('clientSecret', s.enabled ? 'enabled' : 'disabled');
      break;
    }
    case 'clientToken': {
      const t = n.token;
      item = new vscode.TreeItem(t.id, C.None);
      item.description = vscode.l10n.t('created {0} · expires {1}', minute(t.created_at), minute(t.expires_at));
      item.iconPath = icon('symbol-key', Date.parse(t.expires_at) < Date.now() ? 'disabledForeground' : undefined);
      item.tooltip = vscode.l10n.t('Scopes: {0}', join(t.granted_scope_names));
      item.contextValue = contextValue('clientToken');
      break;
    }
    case 'message':
      item = new vscode.TreeItem(n.text, C.None);
      item.iconPath = icon(
        n.severity,
        n.severity === 'error' ? 'errorForeground' : n.severity === 'warning' ? 'editorWarning.foreground' : undefined,
      );
      item.tooltip = n.tooltip ?? n.text;
      if (n.action)
        item.command = { command: n.action.command, title: n.action.title, arguments: [...(n.action.args ?? [])] };
      item.contextValue = contextValue('message', n.severity);
      break;
    case 'action':
      item = new vscode.TreeItem(n.label, C.None);
      item.iconPath = icon(n.icon);
      item.command = { command: n.action.command, title: n.action.title, arguments: [...(n.action.args ?? [])] };
      item.contextValue = contextValue('action');
      break;
    case 'admin':
      return adminTreeItem(n.node, count);
    case 'loadMore':
      item = new vscode.TreeItem(
        vscode.l10n.t('Load more… ({0} of {1} shown)', n.shown.toLocaleString('en'), n.total.toLocaleString('en')),
        C.None,
      );
      item.iconPath = icon('ellipsis');
      item.command = { command: Commands.loadMore, title: vscode.l10n.t('Load More'), arguments: [n] };
      item.contextValue = contextValue('loadMore');
      break;
  }
  item.id = n.key;
  return item;
}
