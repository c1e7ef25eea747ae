/**
 * The history's age is the report's age: a repeat is answered from the history only while the VirusTotal
 * report behind it is younger than the cache setting, however often the file is downloaded again (a record
 * answered from the history is itself a new write) or its row marked seen.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, HARNESS_START, type Harness } from '@/tests/support/engine-harness';
import { unique } from '@/tests/support/engine-test-kit';
import { KNOWN_CLEAN_URL } from '@/tests/emulator/virustotal-emulator';

let h: Harness;
afterEach(async () => h?.close());

const HOUR = 3_600_000;

describe('the history answers a repeat only while its report is young', () => {
  it('gives a file downloaded every 20 hours a fresh lookup once its report is older than 24 h, and VirusTotal’s new verdict', async () => {
    h = await createHarness({ settings: { cacheHours: 24 } });
    const bytes = unique('daily download');
    const sha256 = h.emulator.addFile(bytes, 'clean', ['daily.exe']);

    const first = await h.result(await h.download('/daily.exe', bytes));
    expect(first).toMatchObject({ verdict: 'clean', fromCache: false, reportFetchedAt: HARNESS_START });
    expect(h.count('lookup')).toBe(1);

    // VirusTotal's engines learn about it; ScanDock's history does not yet.
    h.emulator.reanalyseAs(sha256, 'malicious');
    h.clock.advance(20 * HOUR);
    const second = await h.result(await h.download('/daily.exe', bytes));
    expect(second).toMatchObject({ verdict: 'clean', fromCache: true, reportFetchedAt: HARNESS_START });
    expect(h.count('lookup')).toBe(1);
    // Marking rows seen writes the records again: their answer grows no younger.
    await h.store.patch(first.token, { seen: true });
    await h.store.patch(second.token, { seen: true });

    h.clock.advance(20 * HOUR);
    const third = await h.result(await h.download('/daily.exe', bytes));
    expect(h.count('lookup')).toBe(2);
    expect(third).toMatchObject({ verdict: 'malicious', fromCache: false, reportFetchedAt: HARNESS_START + 40 * HOUR });
  });

  it('gives a repeat the report’s fetch time and VirusTotal’s first sight of the file', async () => {
    h = await createHarness();
    const bytes = unique('seen before');
    h.emulator.addFile(bytes, 'clean');
    h.clock.advance(3 * HOUR);
    const first = await h.result(await h.download('/a.bin', bytes));
    expect(first.firstSeenAt).toBe(HARNESS_START);
    expect(first.analysedAt).toBe(HARNESS_START);
    h.clock.advance(HOUR);
    const repeat = await h.result(await h.download('/a.bin', bytes));
    expect(repeat).toMatchObject({ fromCache: true, reportFetchedAt: first.reportFetchedAt, firstSeenAt: HARNESS_START, analysedAt: HARNESS_START });
  });
});

describe('an address verdict says how old it is', () => {
  it('keeps when VirusTotal first saw the address, when it last analysed it, and when ScanDock fetched the report', async () => {
    h = await createHarness();
    h.clock.advance(2 * HOUR);
    const record = await h.result(await h.engine.scan({ source: { kind: 'address', url: KNOWN_CLEAN_URL }, fileName: 'clean.scandock.test' }));
    // The emulator's preloaded address: analysed an hour before its start, first submitted a day before that.
    expect(record).toMatchObject({ verdict: 'clean', verdictFor: 'address', reportFetchedAt: HARNESS_START + 2 * HOUR });
    expect(record.analysedAt).toBe(Math.floor((HARNESS_START - HOUR) / 1000) * 1000);
    expect(record.firstSeenAt).toBe(record.analysedAt! - 24 * HOUR);
  });
});
