/**
 * What the scheduler promises, against the emulator in the simulation (virtual time, the same answer on a
 * busy machine): a verdict VirusTotal answered reaches its record at once whatever waits behind it; first
 * queued, first served; a scan that waits holds no bytes (the upload reads the file when its turn comes);
 * removing one scan of a file lets the others finish; paused scans schedule no wake-up; an upload whose
 * answers are lost is sent at most twice a day; retries that run out end with an error, not a promise.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '@/tests/support/engine-harness';
import { ROOMY, ROOMY_VT, link, unique, uploadsPerFile } from '@/tests/support/engine-test-kit';
import { inEnglish } from '@/tests/support/locale-messages';
import { eicarBytes, markedMalwareBytes, sha256Hex } from '@/tests/emulator/fixtures';
import { MINUTE_MS, WINDOW_SAFETY_MS } from '@/utils/quota/quota-math';
import { apiKeyItem } from '@/utils/settings/storage-items';
import type { ScanRecord } from './scan-record';
import { MAX_ATTEMPTS } from './scheduler/retry-policy';
import { MAX_SENDS_PER_DAY } from './steps/upload-step';
import { createWorkerLife, workerEngine } from '@/tests/support/worker-life';

let h: Harness;
afterEach(async () => h?.close());

const isLookup = (path: string) => /\/files\/[0-9a-f]{64}$/.test(path);

describe('a verdict VirusTotal answered never waits behind the scans queued for the quota', () => {
  it('30 known files at 4 a minute: each record is done the moment its answer comes, in queue order, within the quota bound, without a 429', async () => {
    h = await createHarness();
    const files = Array.from({ length: 30 }, (_, i) => unique(`burst ${i}`));
    for (const bytes of files) h.emulator.addFile(bytes, 'clean');
    const start = h.clock.now();
    const tokens: string[] = [];
    for (const [i, bytes] of files.entries()) tokens.push(await h.download(`/burst-${i}.txt`, bytes));
    const records = await Promise.all(tokens.map((token) => h.result(token)));

    const lookups = h.emulator.requests.filter((r) => r.method === 'GET' && isLookup(r.path) && r.status === 200);
    expect(lookups).toHaveLength(30);
    // First queued, first served: the lookups go out in the order the downloads came.
    expect(lookups.map((r) => r.path.slice(-64))).toEqual(files.map((bytes) => sha256Hex(bytes)));
    // The lag between VirusTotal's answer and the record being done, per file: none (virtual time).
    const lags = records.map((record) => record.updatedAt - lookups.find((r) => r.path.endsWith(record.sha256!))!.at);
    expect(Math.max(...lags)).toBe(0);
    for (const record of records) expect(record).toMatchObject({ status: 'done', verdict: 'clean', notice: null });
    // Four at once, then four a minute: the last of 30 goes out 7 windows later.
    const bound = 7 * (MINUTE_MS + WINDOW_SAFETY_MS);
    expect(Math.max(...records.map((r) => r.updatedAt)) - start).toBeLessThanOrEqual(bound);
    expect(h.count('429')).toBe(0);
  });
});

describe('a scan that waits holds no bytes', () => {
  it('reads the file again for its upload only when the upload is due, one upload at a time', async () => {
    h = await createHarness({ settings: { uploadUnknown: true }, emulator: { analysisPolls: 0 } });
    const events: string[] = [];
    h.engine = h.newEngine({
      fetch: (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        const method = init?.method ?? 'GET';
        if (url.origin === h.files.origin) events.push(`read ${url.pathname}`);
        else if (method === 'POST' && url.pathname.endsWith('/files')) events.push('upload');
        return h.fetch(input, init);
      },
    });
    const tokens = await Promise.all([1, 2, 3].map((n) => h.engine.scan(link(h, `/new-${n}.exe`, unique(`unknown ${n}`)))));
    for (const token of tokens) expect(await h.result(token)).toMatchObject({ status: 'done', verdict: 'clean' });
    // Each file is read twice: once to hash it, and again right before its own upload (nothing kept between).
    for (const n of [1, 2, 3]) expect(events.filter((e) => e === `read /new-${n}.exe`)).toHaveLength(2);
    const uploads = events.flatMap((e, i) => (e === 'upload' ? [i] : []));
    expect(uploads).toHaveLength(3);
    for (const i of uploads) expect(events[i - 1]).toMatch(/^read \/new-\d\.exe$/);
  });
});

describe('removing one scan of a file', () => {
  it('lets the other scan of it finish, following the analysis the removed one started', async () => {
    h = await createHarness({ settings: { uploadUnknown: true, ...ROOMY }, emulator: { analysisPolls: 3, quota: ROOMY_VT } });
    const bytes = markedMalwareBytes('removed');
    const states = new Map<string, ScanRecord>();
    h.engine = h.newEngine({ onChange: (r) => states.set(r.token, r) });
    const first = await h.engine.scan(link(h, '/first.exe', bytes));
    const second = await h.engine.scan(link(h, '/second.exe', bytes));
    await h.sim.until(() => states.get(first)?.step === 'analysis' && states.get(second)?.step === 'analysis', 'both scans to follow the analysis');
    await h.engine.remove(first);
    expect(await h.result(second)).toMatchObject({ status: 'done', verdict: 'malicious' });
    expect(await h.store.get(first)).toBeUndefined();
    expect([...uploadsPerFile(h).values()]).toEqual([1]);
  });

  it('lets the other scan of it finish with the one upload the removed one started, while that upload waited for the upload lane', async () => {
    h = await createHarness({ settings: { uploadUnknown: true, ...ROOMY }, emulator: { analysisPolls: 0, quota: ROOMY_VT } });
    const states = new Map<string, ScanRecord>();
    h.engine = h.newEngine({ onChange: (r) => states.set(r.token, r) });
    // An earlier upload holds the lane for a while.
    h.emulator.injectFault({ kind: 'latency', ms: 20_000, match: { method: 'POST', path: /\/files$/ } });
    const blocker = await h.engine.scan(link(h, '/blocker.exe', unique('blocker')));
    const bytes = unique('shared upload');
    const first = await h.engine.scan(link(h, '/first.exe', bytes));
    const second = await h.engine.scan(link(h, '/second.exe', bytes));
    await h.sim.until(() => states.get(first)?.step === 'upload' && states.get(second)?.step === 'upload', 'both scans to wait for the upload lane');
    expect(h.emulator.uploads).toHaveLength(0);
    await h.engine.remove(first);
    expect(await h.result(second)).toMatchObject({ status: 'done', verdict: 'clean' });
    expect((await h.store.get(second))!.uploadSentAt).toHaveLength(1);
    expect(await h.result(blocker)).toMatchObject({ status: 'done' });
    expect([...uploadsPerFile(h).values()]).toEqual([1, 1]);
  });

  it('lets the other scan of it get the answer of the lookup they were both waiting for', async () => {
    h = await createHarness();
    // The minute's four slots are taken: both scans of EICAR wait in line for one lookup.
    for (let i = 0; i < 4; i++) h.emulator.addFile(unique(`filler ${i}`), 'clean');
    const fillers = await Promise.all([0, 1, 2, 3].map((i) => h.download(`/filler-${i}`, unique(`filler ${i}`))));
    const first = await h.download('/eicar-1.com', eicarBytes());
    const second = await h.download('/eicar-2.com', eicarBytes());
    await h.sim.until(() => h.engine.slots.waiting > 0, 'the lookup to wait for a slot');
    await h.engine.remove(first);
    expect(await h.result(second)).toMatchObject({ status: 'done', verdict: 'malicious' });
    for (const token of fillers) await h.result(token);
    expect(h.emulator.requests.filter((r) => r.path.endsWith(sha256Hex(eicarBytes())))).toHaveLength(1);
  });
});

describe('scans that wait for the person', () => {
  it('schedule no wake-up, write nothing while they wait, and tell the badge why', async () => {
    h = await createHarness({ apiKey: '' });
    const wakes: Array<number | null> = [];
    let changes = 0;
    h.engine = h.newEngine({ wake: (at) => wakes.push(at), onChange: () => changes++ });
    const token = await h.engine.scan(link(h, '/eicar.com', eicarBytes()));
    expect(await h.result(token)).toMatchObject({ status: 'ready', notice: { code: 'no-api-key' } });
    expect(wakes.at(-1)).toBeNull();
    expect(await h.store.queueState()).toEqual({ unfinished: 1, paused: 1, pausedOn: 'no-api-key' });

    // Alarms and restarts wake the engine: a paused scan looks, finds no key, and writes nothing.
    const { updatedAt } = (await h.store.get(token))!;
    const changesBefore = changes;
    await h.engine.resume();
    await h.result(token);
    expect((await h.store.get(token))!.updatedAt).toBe(updatedAt);
    expect(changes).toBe(changesBefore);
    expect(wakes.at(-1)).toBeNull();

    await apiKeyItem.setValue((await import('@/tests/emulator/virustotal-emulator')).DEMO_API_KEY);
    await h.engine.resume();
    expect(await h.result(token)).toMatchObject({ status: 'done', verdict: 'malicious', notice: null });
  });
});

describe('an upload that never gets an answer', () => {
  it('is sent at most twice a day, then ends with an error that offers to send it again; "Upload again" sends it once more', async () => {
    h = await createHarness({ settings: { uploadUnknown: true }, emulator: { analysisPolls: 0 } });
    h.emulator.injectFault({ kind: 'hang', times: 1_000, match: { method: 'POST', path: /\/files$/ } });
    const start = h.clock.now();
    const token = await h.engine.scan(link(h, '/lost.exe', unique('lost')));
    const record = await h.result(token);
    const posts = () => h.emulator.requests.filter((r) => r.method === 'POST');
    expect(record).toMatchObject({ status: 'error', error: { code: 'vt-upload-lost' } });
    expect(record.uploadSentAt).toHaveLength(MAX_SENDS_PER_DAY);
    expect(posts()).toHaveLength(MAX_SENDS_PER_DAY);
    // Between the sends and after them, only lookups for the report: a bounded number, well within a day.
    expect(h.emulator.requests.length).toBeLessThanOrEqual(20);
    expect(h.clock.now() - start).toBeLessThan(24 * 3_600_000);
    expect(inEnglish('error', record.error)).toMatch(/twice today.*Upload again/);

    h.emulator.clearFaults();
    await h.engine.upload(token);
    expect(await h.result(token)).toMatchObject({ status: 'done', verdict: 'clean' });
    expect(posts()).toHaveLength(MAX_SENDS_PER_DAY + 1);
  });
});

describe('retries that run out', () => {
  it('end with the error sentence, which promises nothing, after notices that said when the next try comes', async () => {
    h = await createHarness();
    const notices: string[] = [];
    h.engine = h.newEngine({ onChange: (r) => r.notice && notices.push(inEnglish('notice', r.notice)) });
    h.emulator.injectFault({ kind: 'status', status: 503, times: 1_000 });
    const record = await h.result(await h.engine.scan(link(h, '/eicar.com', eicarBytes())));
    expect(record).toMatchObject({ status: 'error', error: { code: 'vt-transient' }, notice: null });
    expect(record.error!.params).not.toHaveProperty('nextAt');
    expect(h.emulator.requests).toHaveLength(MAX_ATTEMPTS);
    expect(notices.filter((n) => /next try at|tries again/i.test(n)).length).toBeGreaterThanOrEqual(MAX_ATTEMPTS - 1);
    expect(inEnglish('error', record.error)).not.toMatch(/retr|tries again|goes on|next try/i);
  });
});

describe('tries in a row', () => {
  it('are counted in a row: six failed polls scattered over an analysis, each after a poll that answered "not yet", do not end the scan', async () => {
    h = await createHarness({ settings: { uploadUnknown: true, ...ROOMY }, emulator: { analysisPolls: 12, quota: ROOMY_VT } });
    const isPoll = (url: string) => /\/analyses\//.test(url);
    let failuresPlanned = 0;
    h.engine = h.newEngine({
      fetch: async (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        const response = await h.fetch(input, init);
        // After every poll that answered, the next one fails (a 503), until six have failed.
        if (isPoll(url) && response.status === 200 && failuresPlanned < MAX_ATTEMPTS) {
          failuresPlanned++;
          h.emulator.injectFault({ kind: 'status', status: 503, times: 1, match: { path: /\/analyses\// } });
        }
        return response;
      },
    });
    const token = await h.engine.scan(link(h, '/slow-analysis.exe', unique('slow analysis')));
    const record = await h.result(token);
    const failedPolls = h.emulator.requests.filter((r) => isPoll(r.path) && r.status === 503);
    expect(failedPolls).toHaveLength(MAX_ATTEMPTS);
    expect(record).toMatchObject({ status: 'done', verdict: 'clean', attempts: 0 });
  });
});

describe('the wake-up alarm', () => {
  it('is planned again when it fires in a living worker, so a scan that sleeps past it is woken after Chrome stops the worker', async () => {
    h = await createHarness({ settings: { uploadUnknown: true, ...ROOMY }, emulator: { analysisPolls: 1, quota: ROOMY_VT } });
    const pollIntervalMs = 5 * MINUTE_MS;
    let alarm: number | null = null;
    const wake = (at: number | null) => (alarm = at);
    let last: ScanRecord | undefined;
    const first = createWorkerLife();
    h.engine = workerEngine(h, first, { overrides: { wake, pollIntervalMs, onChange: (record) => (last = record) } });
    const token = await h.engine.scan(link(h, '/analysed-later.exe', unique('analysed later')));
    // The analysis's first poll is five minutes away; the watchdog planned when the scan started comes first.
    await h.sim.until(() => last?.step === 'analysis' && last.waitUntil !== null, 'the wait for the first poll');
    const sleeping = (await h.store.get(token))!;
    expect(sleeping).toMatchObject({ step: 'analysis', status: 'progress' });
    expect(alarm).not.toBeNull();
    expect(alarm!).toBeLessThan(sleeping.waitUntil!);

    // The alarm fires while the worker lives (a popup open, say): Chrome drops it, the background resumes.
    await h.sim.run(h.clock.sleep(alarm! - h.clock.now()));
    alarm = null;
    await h.sim.run(h.engine.resume());
    expect(alarm).toBe(sleeping.waitUntil);

    // Then Chrome stops the idle worker; the alarm starts the next one, which finishes the scan.
    first.kill();
    await h.sim.run(h.clock.sleep(alarm! - h.clock.now()));
    h.engine = workerEngine(h, createWorkerLife(), { overrides: { wake, pollIntervalMs } });
    await h.engine.resume();
    expect(await h.result(token)).toMatchObject({ status: 'done', verdict: 'clean' });
    expect(alarm).toBeNull();
  });
});

describe('the system clock moved', () => {
  it('a wait saved while the clock was an hour ahead lasts no longer than it was asked for once the clock is set right', async () => {
    h = await createHarness();
    h.emulator.injectFault({ kind: 'status', status: 503, times: 1, match: { method: 'GET', path: /\/files\// } });
    h.clock.jump(3_600_000);
    let last: ScanRecord | undefined;
    const first = createWorkerLife();
    h.engine = workerEngine(h, first, { overrides: { onChange: (record) => (last = record) } });
    const token = await h.download('/retried.exe', eicarBytes());
    await h.sim.until(() => last?.waitUntil != null, 'the wait before the next try');
    const asked = last!.waitUntil! - h.clock.now();
    // The worker stops while the scan waits; meanwhile the clock is set right.
    first.kill();
    h.clock.jump(-3_600_000);
    const resumedAt = h.clock.monotonic();
    h.engine = workerEngine(h, createWorkerLife());
    await h.engine.resume();
    const record = await h.result(token);
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious' });
    expect(h.clock.monotonic() - resumedAt).toBeLessThanOrEqual(asked);
  });

  it('an analysis that started before the clock was set back across midnight is polled an interval later, not when the clock catches up', async () => {
    h = await createHarness({ settings: { uploadUnknown: true, ...ROOMY }, emulator: { analysisPolls: 1, quota: ROOMY_VT } });
    let last: ScanRecord | undefined;
    h.engine = h.newEngine({ onChange: (record) => (last = record) });
    const token = await h.engine.scan(link(h, '/uploaded.exe', unique('uploaded before midnight')));
    await h.sim.until(() => last?.step === 'analysis' && last.waitUntil !== null, 'the wait for the first poll');
    const movedAt = h.clock.monotonic();
    h.clock.jump(-13 * 3_600_000);
    expect(await h.result(token)).toMatchObject({ status: 'done', verdict: 'clean' });
    expect(h.clock.monotonic() - movedAt).toBeLessThan(2 * MINUTE_MS);
  });
});
