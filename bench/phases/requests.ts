/**
 * Figure 5, requests: how many VirusTotal requests one verdict costs, counted by the emulator — a new file
 * VirusTotal knows, a repeat of it, a burst of concurrent downloads of one file, and a file VirusTotal has
 * never seen with uploads allowed (lookup, upload, and the analysis polls; the emulator completes an analysis
 * at its first poll).
 */
import type { BrowserContextParts } from '../context';
import type { Metric } from '../metrics';
import { downloadAndScan, expectVerdict, forgetDownloads } from '../scans';
import { BENCH_SETTINGS, configure } from '../settings';
import { summarize } from '../stats';

const SMALL = 4096;

export async function measureRequests(ctx: BrowserContextParts): Promise<Metric[]> {
  const { emulator, probes, ext, site, plan } = ctx;
  const counted = async (work: () => Promise<void>) => {
    const before = emulator.requests.length;
    await work();
    return emulator.requests.length - before;
  };
  const fresh: number[] = [];
  const repeat: number[] = [];
  const burst: number[] = [];
  for (let run = 0; run < plan.runs; run++) {
    const file = await site.addFile('known', SMALL);
    emulator.addFile(file.bytes, 'clean');
    fresh.push(await counted(async () => {
      const [scan] = await downloadAndScan(probes, ext, [file.url]);
      expectVerdict(scan!, 'clean', { fromCache: false });
      await forgetDownloads(probes, ext, [scan!]);
    }));
    const again = await site.addFileWithBytes('known-again', file.bytes);
    repeat.push(await counted(async () => {
      const [scan] = await downloadAndScan(probes, ext, [again.url]);
      expectVerdict(scan!, 'clean', { fromCache: true });
      await forgetDownloads(probes, ext, [scan!]);
    }));
    const shared = await site.addFile('burst', SMALL);
    emulator.addFile(shared.bytes, 'clean');
    burst.push(await counted(async () => {
      const scans = await downloadAndScan(probes, ext, Array.from({ length: plan.burst }, () => shared.url));
      for (const scan of scans) expectVerdict(scan, 'clean');
      await forgetDownloads(probes, ext, scans);
    }));
    for (const f of [file, again, shared]) await site.removeFile(f);
  }

  // Unknown files with uploads allowed: all runs at once (each waits ~15 s for its first analysis poll),
  // each file's requests counted by what names it: its hash, its upload, its analysis.
  await configure(probes, ext, { ...BENCH_SETTINGS, uploadUnknown: true });
  const unknown = await Promise.all(Array.from({ length: plan.runs }, () => site.addFile('unknown', SMALL)));
  const scans = await downloadAndScan(probes, ext, unknown.map((f) => f.url), 90_000);
  await configure(probes, ext, BENCH_SETTINGS);
  const uploadCounts = scans.map((scan) => {
    const { sha256, analysisId, status, verdict } = scan.record;
    if (status !== 'done' || verdict === 'unknown' || !sha256 || !analysisId) throw new Error(`the upload scan ended ${status}/${verdict}: ${JSON.stringify(scan.record.error)}`);
    const lookups = emulator.requests.filter((r) => r.path === `/api/v3/files/${sha256}`).length;
    const uploads = emulator.uploads.filter((u) => u.sha256 === sha256).length;
    const polls = emulator.requests.filter((r) => r.path === `/api/v3/analyses/${encodeURIComponent(analysisId)}`).length;
    return lookups + uploads + polls;
  });
  await forgetDownloads(probes, ext, scans);
  for (const f of unknown) await site.removeFile(f);
  ctx.log(`  requests: new ${fresh.join(',')}; repeat ${repeat.join(',')}; burst of ${plan.burst} ${burst.join(',')}; unknown + upload ${uploadCounts.join(',')}`);

  const metric = (id: string, label: string, runs: number[], want: number | null): Metric => ({
    id: `requests.${id}`,
    figure: 5,
    label,
    unit: 'requests',
    value: summarize(runs),
    comparisons: [],
    ...(want === null ? {} : { target: { text: `${want}`, met: Math.max(...runs) <= want } }),
  });
  return [
    metric('new-known', 'requests for a new known file', fresh, 1),
    metric('repeat', 'requests for a repeat of it', repeat, 0),
    metric('burst', `requests for ${plan.burst} concurrent downloads of one file`, burst, 1),
    {
      ...metric('unknown-upload', 'requests for an unknown file, upload allowed', uploadCounts, null),
      note: 'lookup + upload + analysis polls (the emulator completes at the first poll, 15 s after the upload)',
    },
  ];
}
