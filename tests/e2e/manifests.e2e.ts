/**
 * What the store builds declare, for Chrome and for Firefox, built as `npm run zip` builds them (no
 * `WXT_VT_API_URL`): Chrome runs a service worker, Firefox an event page (`background.scripts`) with a
 * gecko id and its data-collection declaration; both talk to the real VirusTotal and nothing else.
 * In the e2e project because each build takes seconds.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/extension-browser';

const run = promisify(execFile);

const REAL_API = 'https://www.virustotal.com/api/v3';

/** The manifest fields these tests read. */
interface Manifest {
  manifest_version: number;
  name: string;
  description: string;
  default_locale?: string;
  icons?: Record<string, string>;
  host_permissions?: string[];
  permissions?: string[];
  background?: { service_worker?: string; scripts?: string[]; type?: string };
  browser_specific_settings?: { gecko?: { id?: string; strict_min_version?: string; data_collection_permissions?: { required?: string[] } } };
}

interface Built {
  dir: string;
  manifest: Manifest;
  background: string;
}

let workDir: string;
const built: Partial<Record<'chrome' | 'firefox', Built>> = {};

/** Builds as `wxt build -b <browser> --mv3`, in a child process so its Vite never meets Vitest's, without the emulator URL. */
async function build(browser: 'chrome' | 'firefox'): Promise<Built> {
  const outDir = path.join(workDir, browser);
  const script = `import { build } from 'wxt'; await build({ browser: ${JSON.stringify(browser)}, manifestVersion: 3, outDir: ${JSON.stringify(outDir)} });`;
  const env = { ...process.env };
  delete env.WXT_VT_API_URL;
  await run(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO_ROOT, env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
  const dir = path.join(outDir, `${browser}-mv3`);
  const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
  return { dir, manifest, background: await backgroundCode(dir) };
}

/**
 * background.js with the chunks it imports: code the background shares with the pages (the VirusTotal
 * address, which the pages need to ask for host access again) sits in a chunk of its own.
 */
async function backgroundCode(dir: string): Promise<string> {
  const main = await readFile(path.join(dir, 'background.js'), 'utf8');
  const chunks = [...new Set([...main.matchAll(/from\s*["']\.\/(chunks\/[^"']+\.js)["']/g)].map((m) => m[1]!))];
  const parts = await Promise.all(chunks.map((chunk) => readFile(path.join(dir, chunk), 'utf8')));
  return [main, ...parts].join('\n');
}

function get(browser: 'chrome' | 'firefox'): Built {
  const b = built[browser];
  if (!b) throw new Error(`the ${browser} build did not run`);
  return b;
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'scandock-manifests-'));
  built.chrome = await build('chrome');
  built.firefox = await build('firefox');
});

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('the Firefox build', () => {
  it('runs the background as an event page, not a service worker', () => {
    const { manifest } = get('firefox');
    expect(manifest.manifest_version).toBe(3);
    expect(manifest.background?.scripts).toEqual(['background.js']);
    expect(manifest.background).not.toHaveProperty('service_worker');
  });

  it('has the gecko id, a minimum version and declares the data it sends: the hash of each download, uploads and addresses on opt-in', () => {
    const gecko = get('firefox').manifest.browser_specific_settings?.gecko;
    expect(gecko?.id).toBe('scandock@scandock.dev');
    expect(gecko?.strict_min_version).toMatch(/^\d+\.\d+$/);
    expect(gecko?.data_collection_permissions).toEqual({ required: ['websiteActivity'], optional: ['websiteContent', 'browsingActivity'] });
  });

  it('passes web-ext lint without errors', async () => {
    const webExt = path.join(REPO_ROOT, 'node_modules', '.bin', 'web-ext');
    const { stdout } = await run(webExt, ['lint', '--source-dir', get('firefox').dir, '--self-hosted', '--output', 'json'], {
      cwd: REPO_ROOT,
      timeout: 60_000,
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const report = JSON.parse(stdout) as { summary: { errors: number }; errors: { code: string; message: string }[] };
    expect(report.errors.map((e) => `${e.code}: ${e.message}`)).toEqual([]);
    expect(report.summary.errors).toBe(0);
  });
});

describe('the Chrome build', () => {
  it('runs the background as a module service worker, with no Firefox settings', () => {
    const { manifest } = get('chrome');
    expect(manifest.background).toEqual({ service_worker: 'background.js', type: 'module' });
    expect(manifest).not.toHaveProperty('browser_specific_settings');
  });

  it('asks for file:/// to read finished downloads from disk (Firefox never gives it)', () => {
    expect(get('chrome').manifest.host_permissions).toContain('file:///*');
    expect(get('firefox').manifest.host_permissions).not.toContain('file:///*');
  });
});

describe.each(['chrome', 'firefox'] as const)('the %s store build', (browser) => {
  it('talks to the real VirusTotal API, not an emulator', () => {
    const { manifest, background } = get(browser);
    expect(manifest.host_permissions).toContain('https://www.virustotal.com/*');
    expect(manifest.host_permissions?.some((p) => /127\.0\.0\.1|localhost/.test(p))).toBe(false);
    expect(background).toContain(REAL_API);
    expect(background).not.toMatch(/https?:\/\/(127\.0\.0\.1|localhost)[:/]/);
  });

  it('takes its name and description from the locale files, in English and Korean', async () => {
    const { dir, manifest } = get(browser);
    expect(manifest).toMatchObject({ name: '__MSG_extensionName__', description: '__MSG_extensionDescription__', default_locale: 'en' });
    for (const lang of ['en', 'ko']) {
      const messages = JSON.parse(await readFile(path.join(dir, '_locales', lang, 'messages.json'), 'utf8')) as Record<string, { message: string }>;
      expect(messages.extensionName?.message, lang).toBe('ScanDock');
      expect(messages.extensionDescription?.message, lang).toMatch(/VirusTotal/);
      // Chrome Web Store and AMO cut descriptions at 132 characters.
      expect(messages.extensionDescription!.message.length, lang).toBeLessThanOrEqual(132);
    }
  });

  it('ships its icons at 16, 32, 48 and 128 px', async () => {
    const { dir, manifest } = get(browser);
    expect(Object.keys(manifest.icons ?? {}).sort()).toEqual(['128', '16', '32', '48']);
    for (const [size, file] of Object.entries(manifest.icons ?? {})) {
      expect(pngSize(await readFile(path.join(dir, file))), file).toEqual({ width: Number(size), height: Number(size) });
    }
  });
});
