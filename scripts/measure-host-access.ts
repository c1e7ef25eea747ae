/**
 * Measures what ScanDock's background can read in real Chromium with `<all_urls>` required (as shipped) and with it
 * only optional (not granted), each with "Allow access to file URLs" on and off: a re-fetch of a finished download
 * (with cookies), a right-clicked link (without), and the saved file on disk. The evidence behind
 * docs/permissions.md. Run with `npx tsx scripts/measure-host-access.ts` (~1 min; needs /usr/bin/chromium).
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildExtension, launchExtension, withTimeout } from '../tests/support/extension-browser';
import { startFileServer } from '../tests/support/file-server';

// Module-scoped: used only inside functions passed to `worker.evaluate`, which run in the worker.
declare const chrome: {
  downloads: { search(query: object): Promise<Array<{ id: number; filename: string }>> };
  permissions: { contains(p: { origins: string[] }): Promise<boolean> };
  extension: { isAllowedFileSchemeAccess(): Promise<boolean> };
};

interface Reads {
  allUrlsGranted: boolean;
  fileAccess: boolean;
  refetchDownload: string;
  fetchLink: string;
  readSavedFile: string;
}

/** The built extension with `<all_urls>` moved from `host_permissions` to `optional_host_permissions`. */
async function optionalVariant(dir: string): Promise<string> {
  const copy = await mkdtemp(path.join(tmpdir(), 'scandock-optional-hosts-'));
  await cp(dir, copy, { recursive: true });
  const manifestPath = path.join(copy, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { host_permissions: string[]; optional_host_permissions?: string[] };
  manifest.host_permissions = manifest.host_permissions.filter((p) => p !== '<all_urls>');
  manifest.optional_host_permissions = ['<all_urls>'];
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
  return copy;
}

async function measure(extensionDir: string, fileAccess: boolean): Promise<Reads> {
  const site = await startFileServer();
  const ext = await launchExtension({ extensionDir });
  try {
    if (!fileAccess) await ext.setFileAccess(false);
    const url = site.serve('/files/sample.bin', { body: new TextEncoder().encode('ScanDock host access sample\n'), requireCookie: 'session=1' });
    await ext.context.addCookies([{ name: 'session', value: '1', url: site.origin }]);
    const id = await ext.download(url);
    const worker = await ext.getWorker();
    const result = await withTimeout(
      worker.evaluate(
        async ({ url, id }) => {
          // Anonymous functions only: tsx names a `const f = () => …` with a helper the worker does not have.
          const [item] = await chrome.downloads.search({ id });
          const attempts: Array<[string, RequestInit]> = [
            [url, { credentials: 'include' }],
            [url, { credentials: 'omit' }],
            [`file://${item!.filename}`, {}],
          ];
          const [refetchDownload, fetchLink, readSavedFile] = await Promise.all(
            attempts.map(async ([target, init]) => {
              try {
                const response = await fetch(target, init);
                return response.ok ? `read (${(await response.arrayBuffer()).byteLength} B)` : `HTTP ${response.status}`;
              } catch (error) {
                return `refused (${String(error).slice(0, 60)})`;
              }
            }),
          );
          return {
            allUrlsGranted: await chrome.permissions.contains({ origins: ['<all_urls>'] }),
            fileAccess: await chrome.extension.isAllowedFileSchemeAccess(),
            refetchDownload: refetchDownload!,
            fetchLink: fetchLink!,
            readSavedFile: readSavedFile!,
          };
        },
        { url, id },
      ),
      30_000,
      'the reads',
    );
    return result;
  } finally {
    await ext.close();
    await site.close();
  }
}

const built = await buildExtension({ vtApiUrl: 'https://www.virustotal.com/api/v3', outDir: 'tests/artifacts/build-measure-hosts' });
const optional = await optionalVariant(built);
const rows: Array<[string, Reads]> = [];
for (const [name, dir] of [
  ['<all_urls> required (shipped)', built],
  ['<all_urls> optional, not granted', optional],
] as const) {
  for (const fileAccess of [true, false]) rows.push([name, await measure(dir, fileAccess)]);
}
await rm(optional, { recursive: true, force: true });

console.log('| manifest | <all_urls> granted | file access | re-fetch of a download (cookies) | right-clicked link (no cookies) | saved file on disk |');
console.log('|---|---|---|---|---|---|');
for (const [name, r] of rows) {
  console.log(`| ${name} | ${r.allUrlsGranted} | ${r.fileAccess} | ${r.refetchDownload} | ${r.fetchLink} | ${r.readSavedFile} |`);
}
