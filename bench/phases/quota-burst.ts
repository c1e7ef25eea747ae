/**
 * Figure 7: a burst of 30 files VirusTotal knows, downloaded at once under the public key's 4 requests a
 * minute (on both sides), at real time, once (~7 minutes). For every file, the lag from the emulator's
 * answer to its lookup (`answeredAt`, written to the socket) to its record turning done (`updatedAt`, the
 * worker's clock: the same machine clock). A finished job reports at once, so that lag is work, never a
 * wait for a later slot. Also the makespan (first complete → last done) against the quota bound, each
 * file's wait against the bound of its own turn, and the 429s. Its own emulator and build, since the main
 * phases run with the quota lifted. Replaces the 12-file quota drain.
 */
import { MINUTE_MS, WINDOW_SAFETY_MS } from '../../utils/quota/quota-math';
import { startVirusTotalEmulator, type EmulatorRequest } from '../../tests/emulator/virustotal-emulator';
import { launchExtension } from '../../tests/support/extension-browser';
import type { BenchContext } from '../context';
import type { Metric } from '../metrics';
import { burstMetrics } from './burst-metrics';
import { doneAt, downloadAndScan, expectVerdict, type ScannedDownload } from '../scans';
import { configure } from '../settings';
import { summarize } from '../stats';

const FILES = 30;
/** The public key's minute quota, the extension's default and the emulator's. */
const PER_MINUTE = 4;
/** The extension holds each slot 750 ms past the minute, so its window never ends before VirusTotal's. */
const WINDOW_MS = MINUTE_MS + WINDOW_SAFETY_MS;
/** 4 at once, then 4 per window: the last turn opens this long after the first. */
const BOUND_MS = (Math.ceil(FILES / PER_MINUTE) - 1) * WINDOW_MS;

/** One file of the burst, as measured. */
interface BurstFile {
  name: string;
  /** Its record's saves from its lookup's answer on, relative to the answer (ms), as the worker's probe heard them. */
  after: string;
  /** 0 for the first four lookups to arrive, 1 for the next four, … */
  turn: number;
  /** VirusTotal's answer to its lookup → its record done (ms). */
  lag: number;
  /** Its download complete → done (ms). */
  wait: number;
  /** The least that wait could be: from its own complete to the opening of its turn (ms, ≥ 0). */
  turnBound: number;
}

/** The emulator's answer to the lookup of `sha256` (the first 200). */
function lookupOf(requests: readonly EmulatorRequest[], sha256: string): EmulatorRequest {
  const found = requests.find((r) => r.method === 'GET' && r.path === `/api/v3/files/${sha256}` && r.status === 200);
  if (!found || found.answeredAt === null) throw new Error(`no answered lookup of ${sha256}`);
  return found;
}

/** Each scan with its lookup's turn (by arrival order), lag, wait and the bound of its turn. */
function measureFiles(scans: ScannedDownload[], requests: readonly EmulatorRequest[]): BurstFile[] {
  const start = Math.min(...scans.map((s) => s.download.completedAt));
  const withLookup = scans.map((scan) => ({ scan, lookup: lookupOf(requests, scan.record.sha256!) }));
  const byArrival = [...withLookup].sort((a, b) => a.lookup.at - b.lookup.at);
  return withLookup.map(({ scan, lookup }) => {
    const turn = Math.floor(byArrival.findIndex((x) => x.lookup === lookup) / PER_MINUTE);
    const done = doneAt(scan);
    const after = scan.timeline.events.filter((e) => e.updatedAt >= lookup.at).map((e) => `+${(e.updatedAt - lookup.answeredAt!).toFixed(0)} ${e.status}/${e.step}`);
    return {
      name: scan.record.fileName,
      after: after.join(', '),
      turn,
      lag: done - lookup.answeredAt!,
      wait: done - scan.download.completedAt,
      turnBound: Math.max(0, start + turn * WINDOW_MS - scan.download.completedAt),
    };
  });
}

export async function measureQuotaBurst(ctx: BenchContext): Promise<Metric[]> {
  const emulator = await startVirusTotalEmulator({ quota: { perMinute: PER_MINUTE, perDay: 500 } });
  try {
    const ext = await launchExtension({ vtApiUrl: emulator.baseUrl, name: `${ctx.buildName}-quota` });
    try {
      // The defaults: the public key's quota preset (4/min, 500/day).
      await configure(ctx.probes, ext, {});
      const files = await Promise.all(Array.from({ length: FILES }, () => ctx.site.addFile('burst', 4096)));
      for (const file of files) emulator.addFile(file.bytes, 'clean');
      ctx.log(`  quota burst: ${FILES} downloads at once, public quota (about ${Math.round(BOUND_MS / 1000)} s)…`);
      const scans = await downloadAndScan(ctx.probes, ext, files.map((f) => f.url), BOUND_MS + 120_000);
      for (const scan of scans) expectVerdict(scan, 'clean');
      for (const f of files) await ctx.site.removeFile(f);

      const measured = measureFiles(scans, emulator.requests).sort((a, b) => a.turn - b.turn || a.wait - b.wait);
      for (const f of measured) {
        ctx.log(`    ${f.name}: turn ${f.turn}, answer → done ${f.lag.toFixed(0)} ms, complete → done ${(f.wait / 1000).toFixed(1)} s (its turn's bound ${(f.turnBound / 1000).toFixed(1)} s)`);
      }
      const start = Math.min(...scans.map((s) => s.download.completedAt));
      const makespan = Math.max(...scans.map(doneAt)) - start;
      const rejected = emulator.requests.filter((r) => r.status === 429).length;
      const requests = emulator.requests.length;
      const lags = measured.map((f) => f.lag);
      const worstLag = Math.max(...lags);
      const worst = measured.reduce((a, b) => (b.wait > a.wait ? b : a));
      const slowest = measured.reduce((a, b) => (b.lag > a.lag ? b : a));
      ctx.log(`  quota burst: the slowest answer → done, ${slowest.name}: its record's saves from its lookup on (ms after the answer): ${slowest.after}`);
      const over = measured.map((f) => (f.wait - f.turnBound) / 1000);
      ctx.log(`  quota burst: makespan ${(makespan / 1000).toFixed(1)} s (bound ${(BOUND_MS / 1000).toFixed(2)} s), answer → done worst ${worstLag.toFixed(0)} ms, median ${summarize(lags).median.toFixed(0)} ms; ${requests} requests, ${rejected} answered 429`);

      const label = `${FILES} known files at ${PER_MINUTE}/min`;
      const once = 'real time, run once: the extension’s limiter counts a real minute';
      return [
        ...burstMetrics({
          idPrefix: 'quota.burst',
          figure: 7,
          label,
          once,
          lagNote: `the answer is the emulator’s (stamped just before its last piece goes to the socket, so a lag is never understated), done is the record’s updatedAt; the same machine clock`,
          lags,
          makespanMs: makespan,
          boundMs: BOUND_MS,
          perMinute: PER_MINUTE,
          windowMs: WINDOW_MS,
        }),
        {
          id: 'quota.burst.worst-wait',
          figure: 7,
          label: `${label}: complete → done, worst file (${worst.name}, turn ${worst.turn})`,
          unit: 's',
          value: summarize([worst.wait / 1000]),
          comparisons: [{
            against: 'the bound of its own turn',
            reference: summarize([worst.turnBound / 1000]),
            referenceUnit: 's',
            ratio: summarize([worst.wait / worst.turnBound]),
            ratioUnit: '× its bound',
          }],
          breakdown: { 'every file: complete → done (s)': summarize(measured.map((f) => f.wait / 1000)), 'every file: above its own turn’s bound (s)': summarize(over) },
          note: `a file's turn is its lookup's place in arrival order ÷ ${PER_MINUTE}; its bound is when that turn opens (the first complete + turn × ${WINDOW_MS / 1000} s), less its own complete`,
        },
        {
          id: 'quota.burst.429s',
          figure: 7,
          label: `429 answers during the ${FILES}-file burst`,
          unit: 'responses',
          value: summarize([rejected]),
          comparisons: [],
          target: { text: '0', met: rejected === 0 },
          note: `${requests} requests in all`,
        },
      ];
    } finally {
      await ext.close();
    }
  } finally {
    await emulator.close();
  }
}
