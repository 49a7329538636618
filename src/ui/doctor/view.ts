/** A DCR Doctor report → what the report page shows (the webview protocol's view model). */
import { FIX_LABELS, OBJECT_KIND_LABELS, type DoctorObject, type DoctorReport } from '../../core/doctor/types';
import { formatLocalTime } from '../../core/requests/jwt';
import type { DoctorViewModel } from '../../shared/doctor/protocol';

const obj = (o: DoctorObject): NonNullable<DoctorViewModel['subject']> => ({
  kind: o.kind,
  kindLabel: OBJECT_KIND_LABELS[o.kind],
  name: o.name,
  id: o.id,
});

export function toViewModel(
  report: DoctorReport,
  seq: number,
  at: number,
  formatTime: (ms: number) => string = formatLocalTime,
): DoctorViewModel {
  const broken = report.culprit ? report.links.find((l) => l.id === report.culprit?.link) : undefined;
  return {
    seq,
    subject: obj(report.subject),
    verdict: report.verdict,
    ...(report.culprit && broken
      ? {
          culprit: {
            linkTitle: broken.title,
            ...(report.culprit.object ? { object: obj(report.culprit.object) } : {}),
            detail: report.culprit.detail,
          },
        }
      : {}),
    ...(report.publication
      ? { publication: { apiName: report.publication.apiName, portalName: report.publication.portalName } }
      : {}),
    otherPublications: report.otherPublications,
    at: formatTime(at),
    ms: report.ms,
    links: report.links.map((l, i) => ({
      id: l.id,
      index: i + 1,
      title: l.title,
      status: l.status,
      detail: l.detail,
      ...(l.object ? { object: obj(l.object) } : {}),
      fixes: l.fixes.map((f) => ({ kind: f.kind, label: FIX_LABELS[f.kind] })),
    })),
  };
}
