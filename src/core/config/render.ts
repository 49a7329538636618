/**
 * Plans and apply results as readable text (shown in a read-only `diff` document and in the confirmation dialog).
 * Lines start with `+` (create), `~` (update), `=` (unchanged), `-` … only in Konnect (never deleted by apply),
 * `x` (delete, sync only), `!` (conflict). Secret values never appear: only where they come from. Write-only fields
 * of existing resources are `?` unknowable, never drift.
 */
import { stepLabel, type ApplyResult } from './apply';
import { NAMESPACE_LABEL } from './model';
import { isNoop, type FieldChange, type Plan, type PlanAction, type PlanStep, type ResourceKind } from './plan';

const MARK: Record<PlanAction, string> = {
  create: '+',
  update: '~',
  unchanged: '=',
  onlyInKonnect: '-',
  delete: 'x',
  conflict: '!',
};
const VERB: Record<PlanAction, string> = {
  create: 'create',
  update: 'update',
  unchanged: 'unchanged',
  onlyInKonnect: 'only in Konnect',
  delete: 'delete',
  conflict: 'conflict',
};
const HEADING: Record<ResourceKind, string> = {
  authServer: 'Kong Identity auth servers',
  scope: 'Kong Identity auth servers',
  claim: 'Kong Identity auth servers',
  client: 'Kong Identity auth servers',
  provider: 'DCR providers',
  strategy: 'Auth strategies',
};

export function formatValue(v: unknown): string {
  if (v === undefined) return '(none)';
  if (typeof v === 'string') return JSON.stringify(v);
  return JSON.stringify(v);
}

function formatChange(c: FieldChange, create: boolean): string {
  if (c.note && c.to === undefined)
    return `${c.field}: ${c.from !== undefined && !create ? `${formatValue(c.from)} → ` : ''}${c.note}`;
  if (create) return `${c.field}: ${formatValue(c.to)}`;
  return `${c.field}: ${formatValue(c.from)} → ${formatValue(c.to)}`;
}

/** "3 to create, 1 to update, 2 unchanged, 1 only in Konnect, 1 conflict" */
export function summarize(plan: Plan): string {
  const c = plan.counts;
  const parts = [`${c.create} to create`, `${c.update} to update`];
  if (plan.mode === 'sync') parts.push(`${c.delete} to delete`);
  parts.push(`${c.unchanged} unchanged`);
  if (c.onlyInKonnect) parts.push(`${c.onlyInKonnect} only in Konnect`);
  if (c.conflict) parts.push(`${c.conflict} conflict${c.conflict > 1 ? 's' : ''}`);
  return parts.join(', ');
}

function stepLine(s: PlanStep): string {
  const child = s.kind === 'scope' || s.kind === 'claim' || s.kind === 'client';
  const indent = child ? '    ' : '';
  const what = s.action === 'delete' ? stepLabel(s) : child ? `${s.kind} "${s.name}"` : `"${s.name}"`;
  const extra = [s.ref && !child ? `ref ${s.ref}` : undefined, s.id ? `id ${s.id}` : undefined]
    .filter(Boolean)
    .join(', ');
  return `${indent}${MARK[s.action]} ${VERB[s.action].padEnd(16)} ${what}${extra ? `  (${extra})` : ''}`;
}

export interface RenderPlanOptions {
  /** e.g. `dcr.kongctl.yaml` */
  readonly file?: string | undefined;
  /** e.g. `sandbox (http://127.0.0.1:4010)` */
  readonly target?: string | undefined;
}

export function renderPlan(plan: Plan, opts: RenderPlanOptions = {}): string {
  const out: string[] = [];
  const sync = plan.mode === 'sync';
  out.push(
    `# Konnect DCR ${sync ? 'sync ' : ''}plan${opts.file ? ` for ${opts.file}` : ''}${opts.target ? ` against ${opts.target}` : ''}`,
  );
  out.push(`# ${summarize(plan)}${isNoop(plan) ? `: nothing to ${sync ? 'sync' : 'apply'}` : ''}`);
  out.push(
    sync
      ? '# + create   ~ update   x delete   = unchanged   - only in Konnect (outside the sync scope)   ! conflict (left alone)'
      : '# + create   ~ update   = unchanged   - only in Konnect (apply never deletes; Sync does)   ! conflict (left alone)',
  );
  if (sync)
    out.push(
      `# Sync scope (as kongctl): resources labelled ${NAMESPACE_LABEL} = ${[...new Set(plan.steps.filter((s) => s.action === 'delete').map((s) => s.reason?.match(/"([^"]*)"/)?.[1]))].filter(Boolean).join(', ') || "one of the file's namespaces"}, in the sections the file has; never a protected one.`,
    );
  out.push(
    `# Write-only secrets are never read back from Konnect, so they are unknowable (?), never drift: they are sent on create${plan.resendSecrets ? ' and, as asked, re-sent on update' : plan.rotate.length ? ` and rotated as asked (${plan.rotate.join(', ')})` : ' (rotate them with "Rotate Secrets…")'}.`,
  );
  let heading: string | undefined;
  for (const s of plan.steps) {
    const h = s.action === 'delete' ? 'Deleted by this sync (strategies, then providers)' : HEADING[s.kind];
    if (h !== heading) {
      out.push('', `## ${h}`);
      heading = h;
    }
    out.push(stepLine(s));
    const pad = s.kind === 'scope' || s.kind === 'claim' || s.kind === 'client' ? '        ' : '    ';
    if (s.reason) out.push(`${pad}${s.action === 'conflict' ? 'why: ' : ''}${s.reason}`);
    for (const c of s.changes) out.push(`${pad}${formatChange(c, s.action === 'create')}`);
    for (const f of s.unknowable ?? [])
      out.push(`${pad}? ${f}: unknowable (write-only, Konnect never returns it; not compared)`);
  }
  const o = plan.others;
  if (o.providers || o.strategies || o.authServers) {
    out.push(
      '',
      `# Not in this file and not in its kongctl namespaces (not shown): ${[
        o.providers ? `${o.providers} DCR provider${o.providers > 1 ? 's' : ''}` : '',
        o.strategies ? `${o.strategies} auth strateg${o.strategies > 1 ? 'ies' : 'y'}` : '',
        o.authServers ? `${o.authServers} auth server${o.authServers > 1 ? 's' : ''}` : '',
      ]
        .filter(Boolean)
        .join(', ')}.`,
    );
  }
  if (plan.secretNames.length)
    out.push(
      '',
      `# The apply reads these secrets (SecretStorage, then the environment): ${plan.secretNames.join(', ')}`,
    );
  return `${out.join('\n')}\n`;
}

/** The short list for a confirmation dialog: only what will change; every delete is listed, whatever `max`. */
export function renderChangesBrief(plan: Plan, max = 25): string {
  const lines = plan.steps
    .filter((s) => s.action === 'create' || s.action === 'update')
    .map(
      (s) =>
        `${MARK[s.action]} ${VERB[s.action]} ${stepLabel(s)}${s.action === 'update' ? `: ${s.changes.map((c) => c.field).join(', ')}` : ''}`,
    );
  const shown = lines.slice(0, max);
  if (lines.length > max) shown.push(`… and ${lines.length - max} more (see the plan document)`);
  const deletes = plan.steps.filter((s) => s.action === 'delete');
  if (deletes.length)
    shown.push(
      '',
      `${deletes.length} to delete, in this order:`,
      ...deletes.map((s) => `${MARK.delete} delete ${stepLabel(s)} (${s.id ?? ''})`),
    );
  const conflicts = plan.steps.filter((s) => s.action === 'conflict');
  if (conflicts.length)
    shown.push(
      '',
      `${conflicts.length} conflict${conflicts.length > 1 ? 's are' : ' is'} left alone: ${conflicts.map((s) => stepLabel(s)).join(', ')}.`,
    );
  return shown.join('\n');
}

export function renderApplyResult(r: ApplyResult): string {
  const out: string[] = [];
  if (r.stale)
    return 'Konnect changed since the plan was made: nothing was applied. Review the new plan and apply again.';
  const created = r.applied.filter((a) => a.action === 'created');
  const updated = r.applied.filter((a) => a.action === 'updated');
  const matched = r.applied.filter((a) => a.action === 'matched');
  const deleted = r.applied.filter((a) => a.action === 'deleted' || a.action === 'gone');
  if (r.ok)
    out.push(
      `${r.plan.mode === 'sync' ? 'Synced' : 'Applied'}: ${created.length} created, ${updated.length} updated${r.plan.mode === 'sync' ? `, ${deleted.length} deleted` : ''}${matched.length ? `, ${matched.length} found already in Konnect` : ''}.`,
    );
  else if (r.cancelled)
    out.push(`Cancelled after ${r.applied.length} of ${r.applied.length + r.notDone.length} changes.`);
  else if (r.failed)
    out.push(
      `Failed at ${stepLabel(r.failed.step)}: ${r.failed.message}${r.failed.fields.length ? ` (${r.failed.fields.map((f) => `${f.field}: ${f.reason}`).join('; ')})` : ''}`,
    );
  // a created client's secret is issued once: say where it went (never the value)
  for (const c of r.applied)
    if (c.kind === 'client' && c.action === 'created')
      out.push(
        c.secretKeptAs
          ? `Konnect issued a secret for ${stepLabel(c)} (client_id ${c.id}): kept in VS Code's SecretStorage as ${c.secretKeptAs} (not in the file).`
          : `Konnect issued a secret for ${stepLabel(c)} (client_id ${c.id}) and it was not kept: create a new secret for the client in Konnect.`,
      );
  if (r.failed?.uncertain) {
    const verb = { create: 'created', delete: 'deleted' }[r.failed.step.action as string] ?? 'updated';
    out.push(
      `The request was sent and no answer came back: ${stepLabel(r.failed.step)} may have been ${verb} anyway. Run Plan to see; ${r.failed.step.action === 'delete' ? 'a second sync deletes it only if it is still there' : 'applying again finds it by name instead of creating a duplicate'}.`,
    );
  }
  if (!r.ok) {
    out.push(
      `Done before that: ${r.applied.length ? r.applied.map((a) => `${a.action === 'gone' ? 'deleted (already gone)' : a.action} ${stepLabel(a)} (${a.id})`).join('; ') : 'nothing'}.`,
    );
    if (r.plan.mode === 'sync')
      out.push(
        `Deleted: ${deleted.length ? deleted.map((a) => `${stepLabel(a)} (${a.id})`).join('; ') : 'nothing'}. Created: ${created.length ? created.map((a) => `${stepLabel(a)} (${a.id})`).join('; ') : 'nothing'}.`,
      );
    out.push(
      `Not done: ${r.notDone.length ? r.notDone.map((s) => `${s.action} ${stepLabel(s)}`).join('; ') : 'nothing'}.`,
    );
    out.push(
      `Exists in Konnect now: ${r.existing.length ? r.existing.map((e) => `${stepLabel(e)} (${e.id})`).join('; ') : "none of this file's resources"}${r.failed?.uncertain && r.failed.step.action === 'create' ? `; and maybe ${stepLabel(r.failed.step)}` : ''}.`,
    );
  }
  return out.join('\n');
}
