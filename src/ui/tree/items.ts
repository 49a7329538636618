import * as vscode from 'vscode';
import { Commands } from '../platform/ids';
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

export function toTreeItem(n: TreeNode, expandedByDefault = false): vscode.TreeItem {
  const C = vscode.TreeItemCollapsibleState;
  const collapsed = expandedByDefault ? C.Expanded : C.Collapsed;
  let item: vscode.TreeItem;
  switch (n.kind) {
    case 'providerGroup': {
      const info = providerTypeInfo(n.providerType);
      item = new vscode.TreeItem(info.label, collapsed);
      item.description = `${n.count}`;
      item.iconPath = icon(info.icon);
      item.tooltip = `${n.count} ${info.label} DCR provider${n.count === 1 ? '' : 's'} (provider_type: ${n.providerType})`;
      item.contextValue = contextValue('providerGroup');
      break;
    }
    case 'provider': {
      const p = n.provider;
      const info = providerTypeInfo(p.provider_type);
      item = new vscode.TreeItem(p.name, collapsed);
      item.description = `${p.active ? 'active' : 'inactive'} · ${p.issuer}`;
      item.iconPath = icon(info.icon, p.active ? undefined : 'disabledForeground');
      const cfg = Object.entries(p.dcr_config as Record<string, unknown>).map(
        ([k, v]) => [`dcr_config.${k}`, v === null ? 'null' : String(v)] as const,
      );
      item.tooltip = tooltip(p.display_name ? `${p.name} (${p.display_name})` : p.name, [
        ['Type', `${info.label} (${p.provider_type})`],
        ['Issuer', p.issuer],
        ['Active', p.active ? 'yes: an active auth strategy uses it' : 'no'],
        ['ID', p.id],
        ...cfg,
        ['Labels', Object.entries(p.labels ?? {}).map(([k, v]) => `${k}=${v}`)],
        ['Created', p.created_at],
        ['Updated', p.updated_at],
      ]);
      item.contextValue = contextValue('provider', Ctx.copyable, Ctx.details, Ctx.deletable, Ctx.verifiable);
      break;
    }
    case 'strategy': {
      const s = n.strategy;
      item = new vscode.TreeItem(s.name, n.under ? C.None : collapsed);
      item.description = n.under
        ? `${s.strategy_type}${s.active ? '' : ' · inactive'}`
        : `${s.strategy_type}${s.dcr_provider ? ` · ${s.dcr_provider.name}` : ''}${s.active ? '' : ' · inactive'}`;
      item.iconPath = icon(
        s.strategy_type === 'key_auth' ? 'key' : 'shield',
        s.active ? undefined : 'disabledForeground',
      );
      const fields: [string, string | boolean | readonly string[] | undefined][] = [
        ['Type', s.strategy_type],
        ['Display name', s.display_name],
        ['Active', s.active ? 'yes: a published API uses it' : 'no'],
        ['ID', s.id],
      ];
      if (s.strategy_type === 'openid_connect') {
        const c = s.configs['openid-connect'];
        fields.push(
          [
            'DCR provider',
            s.dcr_provider ? `${s.dcr_provider.name} (${s.dcr_provider.provider_type})` : 'none (self-managed)',
          ],
          ['Issuer', c.issuer],
          ['Scopes', c.scopes],
          ['Credential claims', c.credential_claim],
          ['Auth methods', c.auth_methods],
        );
      } else {
        const c = s.configs['key-auth'];
        fields.push(['Key names', c.key_names], ['TTL', c.ttl ? `${c.ttl.value} ${c.ttl.unit}` : undefined]);
      }
      item.tooltip = tooltip(s.name, fields);
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
        }[n.field],
      );
      item.contextValue = contextValue('strategyField');
      break;
    case 'linkedProvider': {
      const p = n.provider;
      const summary = n.strategy.dcr_provider;
      item = new vscode.TreeItem('DCR provider', C.None);
      if (!summary) {
        item.description = 'none (self-managed client credentials)';
        item.iconPath = icon('circle-slash');
      } else {
        const info = providerTypeInfo(summary.provider_type);
        item.description = `${summary.name} (${info.label})`;
        item.iconPath = icon(info.icon);
        item.tooltip = p
          ? tooltip(`${p.name}: click to reveal it in DCR Providers`, [
              ['Issuer', p.issuer],
              ['ID', p.id],
            ])
          : `${summary.name} (${summary.id})`;
        item.command = { command: Commands.revealProvider, title: 'Reveal DCR Provider', arguments: [n] };
      }
      item.contextValue = contextValue('linkedProvider', !!summary && Ctx.linked);
      break;
    }
    case 'authServer': {
      const a = n.authServer;
      item = new vscode.TreeItem(a.name, collapsed);
      item.description = a.issuer;
      item.iconPath = icon('server');
      item.tooltip = tooltip(a.name, [
        ['Description', a.description],
        ['Audience', a.audience],
        ['Issuer', a.issuer],
        ['Signing algorithm', a.signing_algorithm],
        ['Metadata', a.metadata_uri],
        ['JWKS', a.jwks_uri],
        ['ID', a.id],
        ['Trusted origins', a.trusted_origins],
        ['Labels', Object.entries(a.labels).map(([k, v]) => `${k}=${v}`)],
      ]);
      item.contextValue = contextValue('authServer', Ctx.copyable, Ctx.details, Ctx.deletable);
      break;
    }
    case 'identityGroup': {
      const label = { scopes: 'Scopes', claims: 'Claims', clients: 'Clients' }[n.group];
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
        [s.default && 'default', !s.enabled && 'disabled', s.include_in_metadata && 'in metadata']
          .filter(Boolean)
          .join(' · ') || s.description;
      item.iconPath = icon('list-unordered', s.enabled ? undefined : 'disabledForeground');
      item.tooltip = tooltip(s.name, [
        ['Description', s.description],
        ['Default', s.default],
        ['Enabled', s.enabled],
        ['In metadata', s.include_in_metadata],
        ['ID', s.id],
      ]);
      item.contextValue = contextValue('scope', Ctx.copyable, Ctx.details);
      break;
    }
    case 'claim': {
      const c = n.claim;
      item = new vscode.TreeItem(c.name, C.None);
      item.description = c.value;
      item.iconPath = icon('symbol-field', c.enabled ? undefined : 'disabledForeground');
      item.tooltip = tooltip(c.name, [
        ['Value', c.value],
        ['In token', c.include_in_token],
        ['In all scopes', c.include_in_all_scopes],
        ['Enabled', c.enabled],
        ['ID', c.id],
      ]);
      item.contextValue = contextValue('claim', Ctx.copyable, Ctx.details);
      break;
    }
    case 'client': {
      const c = n.client;
      item = new vscode.TreeItem(c.name, C.None);
      item.description = `${c.id} · ${join(c.grant_types)}`;
      item.iconPath = icon('person');
      item.tooltip = tooltip(c.name, [
        ['Client ID', c.id],
        ['Grant types', c.grant_types],
        ['Response types', c.response_types],
        ['Redirect URIs', c.redirect_uris],
        ['Token endpoint auth', c.token_endpoint_auth_method],
        ['All scopes', c.allow_all_scopes],
        ['Access token duration (s)', c.access_token_duration],
      ]);
      item.contextValue = contextValue('client', Ctx.copyable, Ctx.details);
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
    case 'loadMore':
      item = new vscode.TreeItem(
        `Load more… (${n.shown.toLocaleString('en')} of ${n.total.toLocaleString('en')} shown)`,
        C.None,
      );
      item.iconPath = icon('ellipsis');
      item.command = { command: Commands.loadMore, title: 'Load More', arguments: [n] };
      item.contextValue = contextValue('loadMore');
      break;
  }
  item.id = n.key;
  return item;
}
