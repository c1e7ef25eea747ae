/**
 * A realistic scan history for the popup figures: finished download scans with the emulator's ~70 engine
 * reports each (parsed by the product's own parser), mostly clean, some malicious, some unknown, one a minute
 * back in time so that new scans are always the newest.
 */
import { randomBytes } from 'node:crypto';
import { buildScan, type Profile } from '../tests/emulator/engines';
import type { ScanRecord } from '../utils/scan/scan-record';
import { scanRecordFixture } from '../utils/ui/scan-record-fixture';
import { parseEngineResults, parseStats } from '../utils/virustotal/virustotal-reports';

const NAMES = ['setup.exe', 'invoice-2291.pdf', 'photos.zip', 'report final (2).docx', 'driver_x64.msi', 'song.mp3', 'tool.AppImage', 'data.csv'];

export function historyRecords(count: number, newestAt: number): ScanRecord[] {
  const scans: Record<Profile, ReturnType<typeof buildScan>> = {
    clean: buildScan('clean'),
    malicious: buildScan('malicious'),
    suspicious: buildScan('suspicious'),
    eicar: buildScan('eicar'),
  };
  const records: ScanRecord[] = [];
  for (let i = 0; i < count; i++) {
    const at = newestAt - (i + 1) * 60_000;
    const sha256 = randomBytes(32).toString('hex');
    const kind = i % 20 === 0 ? 'unknown' : i % 10 === 0 ? 'malicious' : i % 25 === 0 ? 'suspicious' : 'clean';
    const fileName = NAMES[i % NAMES.length]!;
    const base = { token: randomBytes(32).toString('hex'), sha256, fileName, size: 10_000 + i * 997, createdAt: at, updatedAt: at + 900,
      source: { kind: 'download' as const, url: `https://downloads.example.com/${i}/${encodeURIComponent(fileName)}`, downloadId: 1_000_000 + i } };
    if (kind === 'unknown') {
      records.push(scanRecordFixture({ ...base, verdict: 'unknown', detected: false, stats: null, detail: [], reportUrl: null }));
      continue;
    }
    const scan = scans[kind];
    const stats = parseStats(scan.stats, 'stats');
    records.push(scanRecordFixture({
      ...base,
      verdict: kind,
      detected: kind === 'malicious',
      stats,
      detail: parseEngineResults(scan.results),
      reportUrl: `https://www.virustotal.com/gui/file/${sha256}`,
      threatLabel: kind === 'malicious' ? 'trojan.generic/agent' : null,
      analysedAt: at - 3_600_000,
      seen: true,
    }));
  }
  return records;
}
