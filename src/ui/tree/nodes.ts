/**
 * What the three trees show, as plain typed data (a discriminated union on `kind`). Providers map these to
 * TreeItems (items.ts); commands receive them as arguments. `key` is unique per view and stable across refreshes.
 */
import * as vscode from 'vscode';
import type {
  AppAuthStrategy,
  AuthServer,
  Claim,
  Client,
  ClientSecretItem,
  DcrProvider,
  ProviderType,
  Scope,
  Token,
} from '../../core/api/index';
import { providerType, providerTypesInTreeOrder } from '../../core/model/providerTypes';
import type { CommandId } from '../platform/ids';
import type { AdminNode } from '../portals/nodes';
import type { Section } from './model';

/** A click (or an action node) runs this command. */
export interface NodeAction {
  readonly command: CommandId;
  readonly title: string;
  readonly args?: readonly unknown[];
}

export type StrategyField =
  'issuer' | 'scopes' | 'credentialClaims' | 'authMethods' | 'keyNames' | 'ttl' | 'principals';

interface Base {
  readonly key: string;
}

export type TreeNode =
  | (Base & { readonly kind: 'providerGroup'; readonly providerType: ProviderType; readonly count: number })
  | (Base & { readonly kind: 'provider'; readonly provider: DcrProvider })
  /** `under`: the provider it is listed under (providers view), or undefined (strategies view, a root). */
  | (Base & { readonly kind: 'strategy'; readonly strategy: AppAuthStrategy; readonly under?: string | undefined })
  | (Base & {
      readonly kind: 'strategyField';
      readonly strategy: AppAuthStrategy;
      readonly field: StrategyField;
      readonly label: string;
      readonly value: string;
    })
  /** The strategy's DCR provider (clicking reveals it in the providers view); `provider` is undefined when not loaded. */
  | (Base & {
      readonly kind: 'linkedProvider';
      readonly strategy: AppAuthStrategy;
      readonly providerId: string | undefined;
      readonly provider: DcrProvider | undefined;
    })
  | (Base & { readonly kind: 'authServer'; readonly authServer: AuthServer })
  | (Base & {
      readonly kind: 'identityGroup';
      readonly authServer: AuthServer;
      readonly group: 'scopes' | 'claims' | 'clients';
      readonly count: number;
    })
  | (Base & { readonly kind: 'scope'; readonly authServer: AuthServer; readonly scope: Scope })
  | (Base & { readonly kind: 'claim'; readonly authServer: AuthServer; readonly claim: Claim })
  | (Base & { readonly kind: 'client'; readonly authServer: AuthServer; readonly client: Client })
  /** A client's secrets or its issued tokens, loaded when expanded. */
  | (Base & {
      readonly kind: 'clientGroup';
      readonly authServer: AuthServer;
      readonly client: Client;
      readonly group: 'secrets' | 'tokens';
    })
  /** One secret of a client: its id, state and times (the value is never listed). */
  | (Base & {
      readonly kind: 'clientSecret';
      readonly authServer: AuthServer;
      readonly client: Client;
      readonly secret: ClientSecretItem;
    })
  | (Base & {
      readonly kind: 'clientToken';
      readonly authServer: AuthServer;
      readonly client: Client;
      readonly token: Token;
    })
  | (Base & {
      readonly kind: 'message';
      readonly severity: 'error' | 'warning' | 'info';
      readonly text: string;
      readonly tooltip?: string | undefined;
      readonly action?: NodeAction | undefined;
    })
  | (Base & { readonly kind: 'action'; readonly label: string; readonly icon: string; readonly action: NodeAction })
  | (Base & { readonly kind: 'loadMore'; readonly section: Section; readonly shown: number; readonly total: number })
  /** A node of the portals' admin side shown in these views (a strategy's "Used by" and the applications under it). */
  | (Base & { readonly kind: 'admin'; readonly node: AdminNode });

export type NodeKind = TreeNode['kind'];
export type NodeOf<K extends NodeKind> = Extract<TreeNode, { kind: K }>;

/** The Konnect resources a node stands for (what copy id, details, find and delete act on). */
/** A resource to reveal in the trees, as Find by Name or ID lists it. */
export type FoundResource =
  | { readonly kind: 'provider'; readonly id: string; readonly name: string }
  | { readonly kind: 'strategy'; readonly id: string; readonly name: string }
  | { readonly kind: 'authServer'; readonly id: string; readonly name: string }
  | {
      readonly kind: 'scope' | 'claim' | 'client';
      readonly id: string;
      readonly name: string;
      readonly authServerId: string;
    };

export type ResourceNode = NodeOf<'provider' | 'strategy' | 'authServer' | 'scope' | 'claim' | 'client'>;

export function isResourceNode(n: unknown): n is ResourceNode {
  if (!n || typeof n !== 'object') return false;
  const kind = (n as { kind?: unknown }).kind;
  return (
    kind === 'provider' ||
    kind === 'strategy' ||
    kind === 'authServer' ||
    kind === 'scope' ||
    kind === 'claim' ||
    kind === 'client'
  );
}

/** The id and name of the resource behind a node. */
export function resourceOf(n: ResourceNode): { readonly id: string; readonly name: string; readonly what: string } {
  switch (n.kind) {
    case 'provider':
      return { id: n.provider.id, name: n.provider.name, what: vscode.l10n.t('DCR provider') };
    case 'strategy':
      return { id: n.strategy.id, name: n.strategy.name, what: vscode.l10n.t('auth strategy') };
    case 'authServer':
      return { id: n.authServer.id, name: n.authServer.name, what: vscode.l10n.t('Kong Identity auth server') };
    case 'scope':
      return { id: n.scope.id, name: n.scope.name, what: vscode.l10n.t('scope') };
    case 'claim':
      return { id: n.claim.id, name: n.claim.name, what: vscode.l10n.t('claim') };
    case 'client':
      return { id: n.client.id, name: n.client.name, what: vscode.l10n.t('client') };
  }
}

/** Display names and codicons of the provider types (the provider-type table), in the order the providers view groups them. */
export const PROVIDER_TYPE_INFO: readonly {
  readonly type: ProviderType;
  readonly label: string;
  readonly icon: string;
}[] = providerTypesInTreeOrder().map((type) => ({
  type,
  label: providerType(type).label,
  icon: providerType(type).icon,
}));

export function providerTypeInfo(type: ProviderType): { readonly label: string; readonly icon: string } {
  return PROVIDER_TYPE_INFO.find((i) => i.type === type) ?? { label: type, icon: 'question' };
}
