/** Downloads that failed for want of file access get their verdicts once the person allows it. */
import { afterEach, describe, expect, it } from 'vitest';
import { eicarBytes } from '@/tests/emulator/fixtures';
import { createHarness, type Harness } from '@/tests/support/engine-harness';
import { rescanUnreadableDownloads } from './file-access-retry';

let h: Harness;
afterEach(async () => h?.close());

const BLOB_URL = 'blob:https://drive.example.com/5111974b-0fda-4364-a460-47111edc6d7c';

describe('after file access is switched on', () => {
  it('rescans the downloads that could not be read without it, and only those', async () => {
    h = await createHarness({ fileAccess: 'off' });
    const unreadable = (await h.savedDownload('/made.bin', eicarBytes(), { url: BLOB_URL })).token;
    const gone = h.files.serve('/gone.exe', { body: eicarBytes(), refuse: { status: 404, times: 1_000 } });
    const other = await h.engine.scan({ source: { kind: 'link', url: gone }, fileName: 'gone.exe' });
    expect(await h.result(unreadable)).toMatchObject({ status: 'error', error: { code: 'download-needs-file-access' } });
    expect(await h.result(other)).toMatchObject({ status: 'error', error: { code: 'link-refused' } });
    const deps = { fileAccess: async () => h.downloads.access === 'on', store: h.store, engine: h.engine };

    // Still off: nothing happens.
    expect(await h.sim.run(rescanUnreadableDownloads(deps))).toBe(0);
    expect(await h.result(unreadable)).toMatchObject({ status: 'error' });

    h.downloads.access = 'on';
    expect(await h.sim.run(rescanUnreadableDownloads(deps))).toBe(1);
    expect(await h.result(unreadable)).toMatchObject({ status: 'done', verdict: 'malicious', readFrom: 'disk', error: null });
    expect(await h.result(other)).toMatchObject({ status: 'error', error: { code: 'link-refused' } });
  });
});
