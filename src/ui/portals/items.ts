import * as vscode from 'vscode';
import type { ApplicationRegistrationStatus } from '../../core/api/index';
import { PortalCommands, PortalCtx } from './ids';
import type { AdminNode } from './nodes';

const icon = (id: string, color?: string): vscode.ThemeIcon =>
  new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
const contextValue = (...tokens: (string | false | undefined)[]): string => tokens.filter(Boolean).join(';');

/** A registration's status as the view shows it: its word, codicon and colour. */
export function statusLook(status: ApplicationRegistrationStatus): { label: string; icon: string; color?: string } {
  switch (status) {
    case 'approved':
      return { label: vscode.l10n.t('approved'), icon: 'pass', color: 'testing.iconPassed' };
    case 'pending':
      return { label: vscode.l10n.t('pending'), icon: 'clock', color: 'editorWarning.foreground' };
    case 'revoked':
      return { label: vscode.l10n.t('revoked'), icon: 'circle-slash', color: 'disabledForeground' };
    case 'rejected':
      return { label: vscode.l10n.t('rejected'), icon: 'error', color: 'errorForeground' };
  }
}

function statusGroupLabel(status: ApplicationRegistrationStatus): string {
  switch (status) {
    case 'approved':
      return vscode.l10n.t('Approved');
    case 'pending':
      return vscode.l10n.t('Pending');
    case 'revoked':
      return vscode.l10n.t('Revoked');
    case 'rejected':
      return vscode.l10n.t('Rejected');
  }
}

function md(title: string, fields: readonly (readonly [string, string | undefined | null])[]): vscode.MarkdownString {
  const m = new vscode.MarkdownString();
  m.appendMarkdown('**');
  m.appendText(title);
  m.appendMarkdown('**\n\n');
  for (const [k, v] of fields) {
    if (v === undefined || v === null || v === '') continue;
    m.appendText(`${k}: ${v}`);
    m.appendMarkdown('  \n');
  }
  return m;
}

const onOff = (v: boolean): string => (v ? vscode.l10n.t('on') : vscode.l10n.t('off'));

/**
 * The TreeItem of a portal node. `count` is what the node's list holds when it is loaded (shown as its description).
 * `withTooltip: false` leaves out an application's Markdown tooltip, for `resolveTreeItem` to add on hover: VS Code
 * asks for the item of every child of an expanded node (50,000 applications of a large portal), for a tooltip only
 * on hover.
 */
export function adminTreeItem(n: AdminNode, count?: number, withTooltip = true): vscode.TreeItem {
  const C = vscode.TreeItemCollapsibleState;
  let item: vscode.TreeItem;
  const counted = (text: string | undefined): string =>
    count === undefined ? (text ?? '') : `${count.toLocaleString('en')}${text ? ` ${text}` : ''}`;
  switch (n.kind) {
    case 'portal': {
      const p = n.portal;
      item = new vscode.TreeItem(p.name, C.Collapsed);
      item.description = p.canonical_domain;
      item.iconPath = icon('globe');
      item.tooltip = md(p.display_name || p.name, [
        [vscode.l10n.t('Domain'), p.canonical_domain],
        [vscode.l10n.t('Auto-approve developers'), onOff(p.auto_approve_developers)],
        [vscode.l10n.t('Auto-approve applications'), onOff(p.auto_approve_applications)],
        [
          vscode.l10n.t('Default application auth strategy'),
          p.default_application_auth_strategy_id ?? vscode.l10n.t('none'),
        ],
        [vscode.l10n.t('ID'), p.id],
      ]);
      item.contextValue = contextValue('portal');
      break;
    }
    case 'settings':
      item = new vscode.TreeItem(vscode.l10n.t('Settings'), C.Collapsed);
      item.iconPath = icon('settings-gear');
      item.tooltip = vscode.l10n.t(
        'What decides the flow: who is approved without an admin, and which strategy new apps get',
      );
      item.contextValue = contextValue('portalSettings');
      break;
    case 'setting': {
      const p = n.portal;
      if (n.setting === 'default_application_auth_strategy_id') {
        item = new vscode.TreeItem(vscode.l10n.t('Default application auth strategy'), C.None);
        item.description = n.display;
        item.iconPath = icon('shield');
        item.tooltip = vscode.l10n.t('default_application_auth_strategy_id: click to pick another strategy (or none)');
        item.command = {
          command: PortalCommands.setDefaultStrategy,
          title: vscode.l10n.t('Set Default Strategy…'),
          arguments: [n],
        };
        item.contextValue = contextValue('setting', PortalCtx.strategyPick);
      } else {
        const on = p[n.setting];
        item = new vscode.TreeItem(
          n.setting === 'auto_approve_developers'
            ? vscode.l10n.t('Auto-approve developers')
            : vscode.l10n.t('Auto-approve applications'),
          C.None,
        );
        item.description = onOff(on);
        item.iconPath = icon(on ? 'check' : 'circle-large-outline');
        item.tooltip = vscode.l10n.t(
          '{0}: {1}. Click to turn it {2}.',
          n.setting,
          String(on),
          on ? vscode.l10n.t('off') : vscode.l10n.t('on'),
        );
        item.command = { command: PortalCommands.toggleSetting, title: vscode.l10n.t('Toggle'), arguments: [n] };
        item.contextValue = contextValue('setting', PortalCtx.toggle);
      }
      break;
    }
    case 'developers':
      item = new vscode.TreeItem(vscode.l10n.t('Developers'), C.Collapsed);
      item.description = counted(undefined);
      item.iconPath = icon('person');
      item.contextValue = contextValue('developers');
      break;
    case 'developer': {
      const d = n.developer;
      item = new vscode.TreeItem(d.email, C.None);
      item.description = `${d.full_name} · ${statusLook(d.status).label}`;
      const look = statusLook(d.status);
      item.iconPath = icon(d.status === 'approved' ? 'person' : look.icon, look.color);
      item.tooltip = md(d.full_name, [
        [vscode.l10n.t('Email'), d.email],
        [vscode.l10n.t('Status'), d.status],
        [vscode.l10n.t('ID'), d.id],
        [vscode.l10n.t('Created'), d.created_at],
      ]);
      item.contextValue = contextValue('developer', d.status !== 'approved' && PortalCtx.developerApprovable);
      break;
    }
    case 'applications':
      item = new vscode.TreeItem(vscode.l10n.t('Applications'), C.Collapsed);
      item.description = counted(undefined);
      item.iconPath = icon('package');
      item.contextValue = contextValue('applications');
      break;
    case 'application': {
      const a = n.app;
      item = new vscode.TreeItem(a.name, C.Collapsed);
      const parts = [a.auth_strategy.name, a.client_id, n.showPortal ? n.portal.name : undefined];
      item.description = parts.filter(Boolean).join(' · ');
      item.iconPath = icon(a.auth_strategy.credential_type === 'key_auth' ? 'key' : 'package');
      if (withTooltip)
        item.tooltip = md(a.name, [
          [vscode.l10n.t('Portal'), n.portal.name],
          [vscode.l10n.t('Auth strategy'), `${a.auth_strategy.name} (${a.auth_strategy.credential_type})`],
          [vscode.l10n.t('DCR provider'), a.dcr_provider?.id],
          [vscode.l10n.t('Client ID'), a.client_id],
          [vscode.l10n.t('Granted scopes'), a.granted_scopes?.join(', ')],
          [vscode.l10n.t('Owner'), a.owner ? `${a.owner.type} ${a.owner.id}` : undefined],
          [vscode.l10n.t('Registrations'), String(a.registration_count)],
          [vscode.l10n.t('ID'), a.id],
        ]);
      item.contextValue = contextValue('application', PortalCtx.appDeletable);
      break;
    }
    case 'appField':
      item = new vscode.TreeItem(n.label, C.None);
      item.description = n.value;
      item.tooltip = `${n.label}: ${n.value}`;
      item.iconPath = icon(n.icon);
      item.contextValue = contextValue('appField');
      break;
    case 'registrations':
      item = new vscode.TreeItem(vscode.l10n.t('Registrations'), C.Collapsed);
      item.iconPath = icon('checklist');
      item.contextValue = contextValue('registrations');
      break;
    case 'statusGroup': {
      const look = statusLook(n.status);
      item = new vscode.TreeItem(statusGroupLabel(n.status), C.Collapsed);
      item.description = counted(undefined);
      item.iconPath = icon(look.icon, look.color);
      item.contextValue = contextValue('statusGroup', n.status);
      break;
    }
    case 'registration': {
      const r = n.registration;
      const api = r.api.version ? `${r.api.name} ${r.api.version}` : r.api.name;
      const look = statusLook(r.status);
      item = new vscode.TreeItem(n.showApp ? `${r.application.name} → ${api}` : api, C.None);
      const consumer = r.consumer ? (r.consumer.username ?? r.consumer.custom_id ?? r.consumer.id) : undefined;
      item.description = consumer ? vscode.l10n.t('{0} · consumer {1}', look.label, consumer) : look.label;
      item.iconPath = icon(look.icon, look.color);
      item.tooltip = md(vscode.l10n.t('Registration of {0} for {1}', r.application.name, api), [
        [vscode.l10n.t('Status'), r.status],
        [
          vscode.l10n.t('Gateway Consumer'),
          r.consumer ? `${consumer ?? ''} (${r.consumer.id})` : vscode.l10n.t('none'),
        ],
        [vscode.l10n.t('Control plane'), r.consumer?.control_plane_id],
        [vscode.l10n.t('ID'), r.id],
        [vscode.l10n.t('Updated'), r.updated_at],
      ]);
      item.contextValue = contextValue(
        'registration',
        r.status !== 'approved' && PortalCtx.approvable,
        r.status === 'pending' && PortalCtx.rejectable,
        r.status === 'approved' && PortalCtx.revocable,
        r.consumer ? PortalCtx.consumerLinked : PortalCtx.consumerLinkable,
      );
      break;
    }
    case 'strategyUsers':
      item = new vscode.TreeItem(vscode.l10n.t('Used by'), C.Collapsed);
      item.description = counted(vscode.l10n.t('applications'));
      item.iconPath = icon('references');
      item.tooltip = vscode.l10n.t('The applications that use {0}, in every portal that offers it', n.strategyName);
      item.contextValue = contextValue('strategyUsers');
      break;
    case 'loadMore':
      item = new vscode.TreeItem(
        vscode.l10n.t('Load more… ({0} of {1} shown)', n.shown.toLocaleString('en'), n.total.toLocaleString('en')),
        C.None,
      );
      item.iconPath = icon('ellipsis');
      // "Refresh Portals" on this node reloads its list only, with twice the cap
      item.command = { command: PortalCommands.refresh, title: vscode.l10n.t('Load More'), arguments: [n] };
      item.contextValue = contextValue('loadMore');
      break;
    case 'note':
      item = new vscode.TreeItem(n.text, C.None);
      item.iconPath =
        n.severity === 'error'
          ? icon('error', 'errorForeground')
          : n.severity === 'loading'
            ? icon('loading~spin')
            : icon('info');
      item.tooltip = n.tooltip ?? n.text;
      item.contextValue = contextValue('note', n.severity);
      break;
  }
  item.id = n.key;
  return item;
}
