/**
 * Firefox suspends an idle event page by itself (`extensions.background.idle.timeout`, 30 s by default;
 * shortened here to 5 s so the lane stays short). Five downloads under the public 4 requests a minute: four
 * are answered at once, the fifth waits a minute, during which Firefox suspends the background with no page
 * of the add-on open; the `scandock-wake` alarm must start it again for the fifth. The suspension is read
 * from Firefox's add-on manager (the parent process), which never wakes the background; records are read
 * only once the emulator has answered every lookup.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE_MS, WINDOW_SAFETY_MS } from '../../utils/quota/quota-math';
import { ofDownload, recordScope, setFirefoxStorage, type FirefoxDownload } from '../support/firefox-browser';
import { isFinished, waitForRecords } from '../support/scan-records';
import { startFirefoxSuite, useAcceptedKey, type FirefoxSuite } from './suite';

const PER_MINUTE = 4;
const FILES = 5;
const IDLE_TIMEOUT_MS = 5_000;
/** "A few seconds" past the quota bound: a wake, a start, a lookup on a loaded machine. */
const SLACK_MS = 10_000;

let suite: FirefoxSuite;

beforeAll(async () => {
  suite = await startFirefoxSuite('idle', { emulator: { quota: { perMinute: PER_MINUTE, perDay: 500 } }, prefs: { 'extensions.background.idle.timeout': IDLE_TIMEOUT_MS } });
  await useAcceptedKey(suite.ext);
  await setFirefoxStorage(await suite.ext.probe(), { settings: {} });
});

afterAll(async () => {
  await suite?.close();
});

const answeredLookups = () => suite.emulator.requests.filter((r) => r.method === 'GET' && r.status === 200 && /^\/api\/v3\/files\/[0-9a-f]{64}$/.test(r.path));

describe('Firefox suspends the idle event page', () => {
  it('while a scan waits for the next minute, and the wake alarm brings it back to finish the scan', async () => {
    const downloads: FirefoxDownload[] = [];
    for (let i = 0; i < FILES; i++) {
      const bytes = new TextEncoder().encode(`ScanDock Firefox idle ${i} ${Math.random()}\n`);
      suite.emulator.addFile(bytes, 'clean');
      downloads.push(await suite.download(`idle-${i}.txt`, bytes));
    }
    const firstComplete = Date.now();
    // No page of the add-on stays open: nothing but the alarm can wake the background.
    await suite.ext.closeProbe();
    expect((await suite.ext.tabs()).filter((t) => t.url.startsWith('moz-extension://'))).toEqual([]);

    const states: Array<{ at: number; state: string }> = [];
    const deadline = firstComplete + MINUTE_MS + WINDOW_SAFETY_MS + 60_000;
    while (answeredLookups().length < FILES) {
      const state = await suite.ext.backgroundState();
      if (states.at(-1)?.state !== state) states.push({ at: Date.now(), state });
      if (Date.now() > deadline) throw new Error(`${answeredLookups().length} of ${FILES} lookups answered; background states: ${JSON.stringify(states)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const lastLookup = answeredLookups().sort((a, b) => a.at - b.at).at(-1)!;
    console.info(`firefox idle: background states ${states.map((s) => `${s.state} +${((s.at - firstComplete) / 1000).toFixed(1)} s`).join(', ')}; last lookup +${((lastLookup.at - firstComplete) / 1000).toFixed(1)} s`);
    // Firefox suspended it while the fifth scan waited (else this proved nothing about the wake).
    expect(states.filter((s) => s.state === 'stopped' && s.at < lastLookup.at), 'Firefox suspended the background while the scan waited').not.toEqual([]);
    // The fifth lookup went out at its minute, not at some later event.
    expect(lastLookup.at).toBeLessThanOrEqual(answeredLookups().sort((a, b) => a.at - b.at)[0]!.at + MINUTE_MS + WINDOW_SAFETY_MS + SLACK_MS);

    const finished = await waitForRecords(
      recordScope(await suite.ext.probe()),
      (records) => {
        const mine = downloads.map((d) => records.find(ofDownload(d)));
        return mine.every((r) => r && isFinished(r)) && mine;
      },
      { what: 'every scan finished' },
    );
    for (const record of finished) expect(record).toMatchObject({ status: 'done', verdict: 'clean' });
    expect(suite.emulator.requests.filter((r) => r.status === 429)).toEqual([]);
  });
});
