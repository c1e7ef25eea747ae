/**
 * "Never upload or submit" sites: with uploads and the URL fallback on, a file or address from such a site is
 * only looked up by its hash; the person's own "Upload" click on its row still sends it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '@/tests/support/engine-harness';
import { fresh, link } from '@/tests/support/engine-test-kit';
import { markedMalwareBytes } from '@/tests/emulator/fixtures';
import { siteOf } from '../permissions/host-pattern';

let h: Harness;
afterEach(async () => h?.close());

describe('sites never uploaded or submitted', () => {
  it('an unknown file from such a site ends "unknown" without an upload, though uploads are on', async () => {
    h = await createHarness({ settings: { uploadUnknown: true, uploadDocuments: true } });
    await h.settings({ noUploadSites: [siteOf(h.files.origin)] });
    const token = await h.engine.scan(link(h, '/private.exe', markedMalwareBytes(fresh('private'))));
    expect(await h.result(token)).toMatchObject({ status: 'done', verdict: 'unknown' });
    expect(h.count('upload')).toBe(0);
    expect(h.count('lookup')).toBe(1);
  });

  it('the same file from another site is uploaded (the setting is not ignored everywhere)', async () => {
    h = await createHarness({ settings: { uploadUnknown: true, noUploadSites: ['*.intranet.example'] }, emulator: { analysisPolls: 0 } });
    const token = await h.engine.scan(link(h, '/public.exe', markedMalwareBytes(fresh('public'))));
    expect(await h.result(token)).toMatchObject({ status: 'done', verdict: 'malicious' });
    expect(h.count('upload')).toBe(1);
  });

  it('a link that cannot be fetched is not handed to VirusTotal’s URL scanning, though the fallback is on', async () => {
    h = await createHarness({ settings: { urlFallback: true } });
    await h.settings({ noUploadSites: [siteOf(h.files.origin)] });
    const url = h.files.serve('/gone.exe', { body: new Uint8Array([1]), refuse: { status: 410, times: 1000 } });
    const token = await h.engine.scan({ source: { kind: 'link', url }, fileName: 'gone.exe' });
    expect(await h.result(token)).toMatchObject({ status: 'error' });
    expect(h.count('url')).toBe(0);
    expect(h.emulator.urlSubmissions).toEqual([]);
  });

  it('the person’s own "Upload" click still sends it', async () => {
    h = await createHarness({ settings: { uploadUnknown: true }, emulator: { analysisPolls: 0 } });
    await h.settings({ noUploadSites: [siteOf(h.files.origin)] });
    const token = await h.engine.scan(link(h, '/asked.exe', markedMalwareBytes(fresh('asked'))));
    expect(await h.result(token)).toMatchObject({ verdict: 'unknown' });
    await h.sim.run(h.engine.upload(token));
    expect(await h.result(token)).toMatchObject({ status: 'done', verdict: 'malicious' });
    expect(h.count('upload')).toBe(1);
  });
});
