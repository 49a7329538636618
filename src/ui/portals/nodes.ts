/**
 * The nodes of the Portals view and of the strategies' "Used by" lists, as plain data (a union on `kind`). Commands
 * get them as arguments. `key` is unique per view and stable across reloads.
 */
import type {
  ApplicationRegistration,
  ApplicationRegistrationStatus,
  Portal,
  PortalApplication,
  PortalDeveloper,
} from '../../core/api/index';

export type PortalSetting =
  'auto_approve_developers' | 'auto_approve_applications' | 'default_application_auth_strategy_id';

interface Base {
  readonly key: string;
}

export type AdminNode =
  | (Base & { readonly kind: 'portal'; readonly portal: Portal })
  | (Base & { readonly kind: 'settings'; readonly portal: Portal })
  | (Base & {
      readonly kind: 'setting';
      readonly portal: Portal;
      readonly setting: PortalSetting;
      /** The strategy's name for the default strategy, when known. */
      readonly display: string;
    })
  | (Base & { readonly kind: 'developers'; readonly portal: Portal })
  | (Base & { readonly kind: 'developer'; readonly portal: Portal; readonly developer: PortalDeveloper })
  | (Base & { readonly kind: 'applications'; readonly portal: Portal })
  | (Base & {
      readonly kind: 'application';
      readonly portal: Portal;
      readonly app: PortalApplication;
      /** Listed under a strategy ("Used by"): the portal's name goes in the description. */
      readonly showPortal?: boolean;
    })
  | (Base & { readonly kind: 'appField'; readonly label: string; readonly value: string; readonly icon: string })
  | (Base & { readonly kind: 'registrations'; readonly portal: Portal })
  | (Base & {
      readonly kind: 'statusGroup';
      readonly portal: Portal;
      readonly status: ApplicationRegistrationStatus;
    })
  | (Base & {
      readonly kind: 'registration';
      readonly portal: Portal;
      readonly registration: ApplicationRegistration;
      /** Listed under a status group (not under its application): the application's name goes in the label. */
      readonly showApp?: boolean;
    })
  | (Base & { readonly kind: 'strategyUsers'; readonly strategyId: string; readonly strategyName: string })
  | (Base & {
      /** The end of a list that stopped at its cap: "Load more" doubles it (`list`: the model's key). */
      readonly kind: 'loadMore';
      readonly list: string;
      readonly shown: number;
      readonly total: number;
    })
  | (Base & {
      readonly kind: 'note';
      readonly severity: 'error' | 'info' | 'loading';
      readonly text: string;
      readonly tooltip?: string | undefined;
    });

export type AdminNodeOf<K extends AdminNode['kind']> = Extract<AdminNode, { kind: K }>;

export function isAdminNode(n: unknown): n is AdminNode {
  const k = (n as { kind?: unknown } | undefined)?.kind;
  return (
    typeof k === 'string' &&
    [
      'portal',
      'settings',
      'setting',
      'developers',
      'developer',
      'applications',
      'application',
      'appField',
      'registrations',
      'statusGroup',
      'registration',
      'strategyUsers',
      'loadMore',
      'note',
    ].includes(k)
  );
}
