/** The order engines are listed in a report: what found something first. */
import type { EngineCategory, EngineDetail } from '../scan/scan-record';

/** Lower ranks come first: detections, then opinions, then engines that could not look. */
const CATEGORY_RANK: Record<EngineCategory, number> = {
  malicious: 0,
  suspicious: 1,
  harmless: 2,
  undetected: 3,
  timeout: 4,
  'confirmed-timeout': 5,
  failure: 6,
  'type-unsupported': 7,
};

/** A sorted copy: engines that flag the file first, then by category, then by vendor name. */
export function sortEngines(detail: readonly EngineDetail[]): EngineDetail[] {
  return [...detail].sort(
    (a, b) =>
      Number(b.scanDetected) - Number(a.scanDetected) ||
      (CATEGORY_RANK[a.category] ?? 99) - (CATEGORY_RANK[b.category] ?? 99) ||
      a.vendorName.localeCompare(b.vendorName, 'en', { sensitivity: 'base' }),
  );
}
