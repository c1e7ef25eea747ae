/**
 * A person who downloads `perDay` files a day at random waking hours, in the engine harness on the virtual
 * clock, with the background's wake alarm: what second looks cost (VirusTotal lookups per day) and how long each
 * new scan waited for its verdict. Run once with second looks on and once off over the same arrivals, the two
 * give figure 12 (bench/phases/second-look-quota.ts).
 */
import { createHarness } from './engine-harness';
import { runUntil, withAlarm } from './sim-alarm';
import { createRandom } from './sim/random';

const DAY_MS = 86_400_000;

export interface PersonOptions {
  secondLook: boolean;
  days: number;
  perDay: number;
  seed: number;
  /** Share of the files VirusTotal has never seen (the rest it calls clean). */
  unknownShare?: number;
}

export interface PersonRun {
  /** Lookups VirusTotal received on each day (UTC days from the start). */
  lookupsPerDay: number[];
  /** Each new scan's wait, download → verdict (ms), in arrival order. */
  waits: number[];
  /** Second looks made. */
  looks: number;
  count429: number;
}

/** The arrival times of `perDay` downloads a day, between 08:00 and 23:00 UTC, sorted. */
export function arrivals(days: number, perDay: number, seed: number): number[] {
  const random = createRandom(seed);
  const dayStart = Date.UTC(2026, 10, 26);
  const times: number[] = [];
  for (let day = 0; day < days; day++) {
    for (let i = 0; i < perDay; i++) times.push(dayStart + day * DAY_MS + 8 * 3_600_000 + random.int(0, 15 * 3_600_000));
  }
  return times.sort((a, b) => a - b);
}

export async function simulatePerson(options: PersonOptions): Promise<PersonRun> {
  const h = await createHarness({ settings: { secondLook: options.secondLook }, seed: options.seed });
  try {
    const doneAt = new Map<string, number>();
    withAlarm(h, {
      onChange: (r) => {
        if (r.status === 'done' && !doneAt.has(r.token)) doneAt.set(r.token, h.clock.now());
      },
    });
    const content = createRandom(options.seed + 1);
    const scans: Array<{ token: string; at: number }> = [];
    for (const [i, at] of arrivals(options.days, options.perDay, options.seed).entries()) {
      await runUntil(h, at);
      const bytes = new TextEncoder().encode(`ScanDock person file ${options.seed}/${i}`);
      if (!content.chance(options.unknownShare ?? 0.2)) h.emulator.addFile(bytes, 'clean');
      const { token } = await h.savedDownload(`/download-${i}.exe`, bytes);
      scans.push({ token, at: h.clock.now() });
    }
    const end = Date.UTC(2026, 10, 26) + options.days * DAY_MS;
    await runUntil(h, end);
    const lookupsPerDay = Array.from({ length: options.days }, () => 0);
    for (const r of h.emulator.requests) {
      if (r.quotaCounted && r.method === 'GET' && /\/files\/[0-9a-f]{64}$/.test(r.path)) {
        const day = Math.floor((r.at - Date.UTC(2026, 10, 26)) / DAY_MS);
        if (day >= 0 && day < options.days) lookupsPerDay[day]! += 1;
      }
    }
    const records = await h.db.getAll('scans');
    return {
      lookupsPerDay,
      waits: scans.map((s) => (doneAt.get(s.token) ?? Number.NaN) - s.at),
      looks: records.reduce((n, r) => n + (r.secondLook?.looks ?? 0), 0),
      count429: h.count('429'),
    };
  } finally {
    await h.close();
  }
}

