/**
 * "Scan the file at this link" has no side effects a person would not expect: the link is fetched with GET
 * and without the person's cookies (unless they allowed them for files behind a sign-in), so scanning an
 * unsubscribe or magic sign-in link in webmail does not perform it. A download's re-fetch keeps them: it
 * repeats the request the person made. A link that needs the cookies ends with a sentence naming the setting.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '@/tests/support/engine-harness';
import { inEnglish } from '@/tests/support/locale-messages';
import { eicarBytes } from '@/tests/emulator/fixtures';

let h: Harness;
afterEach(async () => h?.close());

const SITE = 'http://mail.scandock.test';

/** A site that records how it was asked, and serves EICAR only to a request that carries cookies. */
function site(harness: Harness) {
  const seen: Array<{ method: string; credentials: RequestCredentials; path: string }> = [];
  harness.route(SITE, (request) => {
    const path = new URL(request.url).pathname;
    seen.push({ method: request.method, credentials: request.credentials, path });
    if (path.startsWith('/signed-in/') && request.credentials !== 'include') return new Response('<h1>Sign in</h1>', { status: 403, headers: { 'content-type': 'text/html' } });
    return new Response(eicarBytes(), { headers: { 'content-length': '68' } });
  });
  return seen;
}

describe('scanning the file at a link', () => {
  it('fetches it with GET and without cookies by default', async () => {
    h = await createHarness();
    const seen = site(h);
    const record = await h.result(await h.engine.scan({ source: { kind: 'link', url: `${SITE}/unsubscribe?u=1` }, fileName: 'unsubscribe' }));
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious', verdictFor: 'file' });
    expect(seen).toEqual([{ method: 'GET', credentials: 'omit', path: '/unsubscribe' }]);
  });

  it('sends them only once the person allowed it', async () => {
    h = await createHarness({ settings: { linkCookies: true } });
    const seen = site(h);
    await h.result(await h.engine.scan({ source: { kind: 'link', url: `${SITE}/signed-in/report.exe` }, fileName: 'report.exe' }));
    expect(seen).toEqual([{ method: 'GET', credentials: 'include', path: '/signed-in/report.exe' }]);
  });

  it('a link that only works signed in: an error that names the setting', async () => {
    h = await createHarness();
    site(h);
    const record = await h.result(await h.engine.scan({ source: { kind: 'link', url: `${SITE}/signed-in/report.exe` }, fileName: 'report.exe' }));
    expect(record).toMatchObject({ status: 'error', error: { code: 'link-refused', params: { host: 'mail.scandock.test', status: 403 } } });
    expect(inEnglish('error', record.error)).toBe(
      'mail.scandock.test answered HTTP 403. ScanDock fetches a link without your cookies, as a stranger would. If the file needs you signed in, turn on “Send cookies when scanning a link” in ScanDock’s options, or download the file: ScanDock checks downloads.',
    );
  });

  it('a download’s re-fetch keeps the cookies: it repeats the request the person made', async () => {
    h = await createHarness();
    const seen = site(h);
    const record = await h.result(await h.engine.scan({ source: { kind: 'download', url: `${SITE}/signed-in/attachment.exe`, downloadId: 9, expectedSize: 68 }, fileName: 'attachment.exe' }));
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious' });
    expect(seen).toEqual([{ method: 'GET', credentials: 'include', path: '/signed-in/attachment.exe' }]);
  });
});
