/**
 * `npm run demo`: ScanDock at work without a VirusTotal key or internet. Starts the VirusTotal emulator
 * and a local download site, builds the extension against the emulator, loads it in headless Chromium and
 * takes the tour a person would: save the key on the options page, download the EICAR test file and a clean
 * file, scan a right-clicked link, open the popup and expand EICAR's engine reports. Screenshots go to docs/.
 *
 * Relative imports only: tsx does not resolve the `@/` alias.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { cleanSampleBytes, eicarBytes } from '../tests/emulator/fixtures';
import { DEMO_API_KEY, startVirusTotalEmulator } from '../tests/emulator/virustotal-emulator';
import { REPO_ROOT, buildExtension, launchExtension, withTimeout, type ExtensionBrowser } from '../tests/support/extension-browser';
import { startFileServer } from '../tests/support/file-server';

/** The handler the background exposes because headless Chromium cannot right-click (entrypoints/background/index.ts). */
declare const scandockContextMenuClick: (info: { menuItemId: string; linkUrl: string; pageUrl: string }) => Promise<string | null>;

export interface DemoOptions {
  /** Where the screenshots go (created if missing). */
  outDir: string;
  /** Where WXT builds the extension; default tests/artifacts/build-demo. */
  buildDir?: string;
  /** Also take dark-mode screenshots; default true. */
  dark?: boolean;
  /** Each step as it happens; default console.log. */
  log?: (line: string) => void;
}

export interface DemoResult {
  /** Absolute paths of the screenshots written. */
  screenshots: string[];
}

/** Every scan the tour starts: the popup shows them finished before the screenshots. */
const SCANS = 3;
/** The options page as a normal browser tab shows it. */
const OPTIONS_VIEWPORT = { width: 760, height: 900 } as const;

/** A path as short as it reads well: relative inside the working directory, else absolute. */
function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') ? relative : file;
}

/** Runs the tour and writes the screenshots; everything it starts is closed before it returns. */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const outDir = path.resolve(options.outDir);
  const screenshots: string[] = [];
  await mkdir(outDir, { recursive: true });

  const emulator = await startVirusTotalEmulator();
  const site = await startFileServer();
  let ext: ExtensionBrowser | undefined;
  try {
    log(`VirusTotal emulator at ${emulator.baseUrl}; download site at ${site.origin}`);
    const extensionDir = await buildExtension({ vtApiUrl: emulator.baseUrl, outDir: options.buildDir ?? 'tests/artifacts/build-demo' });
    log(`Built ScanDock against the emulator into ${shown(extensionDir)}`);
    ext = await launchExtension({ extensionDir });
    log(`Chromium started with ScanDock loaded (extension id ${ext.extensionId})`);

    const shoot = async (page: Page, name: string, fullPage = false) => {
      const file = path.join(outDir, `${name}.png`);
      // 'disabled' finishes CSS transitions first (the chevron turns for 0.15 s after a click).
      await page.screenshot({ path: file, fullPage, animations: 'disabled' });
      screenshots.push(file);
      log(`  wrote ${shown(file)}`);
    };
    const shootBoth = async (page: Page, name: string, fullPage = false) => {
      await shoot(page, name, fullPage);
      if (options.dark === false) return;
      await page.emulateMedia({ colorScheme: 'dark' });
      await shoot(page, `${name}-dark`, fullPage);
      await page.emulateMedia({ colorScheme: 'light' });
    };

    // 1. The options page: paste the key and save; the background checks it with one request.
    const optionsPage = await ext.openOptions();
    await optionsPage.setViewportSize(OPTIONS_VIEWPORT);
    await optionsPage.getByTestId('api-key').fill(DEMO_API_KEY);
    await optionsPage.locator('form.api-key button[type="submit"]').click();
    await optionsPage.locator('[data-testid="key-outcome"][data-outcome="ok"]').waitFor({ timeout: 15_000 });
    log('Saved the demo API key on the options page; the emulator accepted it');
    await shootBoth(optionsPage, 'options', true);
    await optionsPage.close();

    // 2. Two downloads, as a person clicks them: the EICAR test file (built now, never stored) and a clean file.
    await ext.download(site.serve('/files/eicar.com', { body: eicarBytes() }));
    log('Downloaded eicar.com (the harmless EICAR antivirus test file)');
    await ext.download(site.serve('/files/notes.txt', { body: cleanSampleBytes() }));
    log('Downloaded notes.txt (a file VirusTotal knows as clean)');

    // 3. "Scan the file at this link" on a link: some engines find this one suspicious.
    const linkBytes = new TextEncoder().encode('ScanDock demo: a download some engines find suspicious.\n');
    emulator.addFile(linkBytes, 'suspicious', ['setup-helper.zip']);
    const linkUrl = site.serve('/links/setup-helper.zip', { body: linkBytes });
    const worker = await ext.getWorker();
    await withTimeout(
      worker.evaluate((url) => scandockContextMenuClick({ menuItemId: 'scandock-scan-file', linkUrl: url, pageUrl: 'http://127.0.0.1/' }), linkUrl),
      10_000,
      'the context-menu handler',
    );
    log('Scanned a link with "Scan the file at this link" (setup-helper.zip)');

    // 4. The popup, once every scan has its verdict.
    const popup = await ext.openPopup();
    await withTimeout(
      popup.waitForFunction((n) => document.querySelectorAll('li[data-token][data-status="done"]').length >= n, SCANS, { timeout: 0 }),
      60_000,
      'the popup showing every verdict',
    );
    await popup.getByTestId('quota').locator('[data-window="minute"]').waitFor();
    const verdicts = await popup.locator('li[data-token]').evaluateAll((rows) =>
      rows.map((r) => `${r.querySelector('.scan__name .sr-only')?.textContent ?? '?'}: ${r.getAttribute('data-verdict') ?? '?'}`),
    );
    log(`The popup shows ${verdicts.join(', ')}`);
    await shootBoth(popup, 'popup');

    // 5. EICAR's details: the file's facts and every engine's report.
    const eicarRow = popup.locator('li[data-token]', { hasText: 'eicar.com' });
    await eicarRow.locator('button.scan__summary').click();
    await eicarRow.getByTestId('engines').waitFor();
    // The list scrolls inside the 600 px popup: from the threat label on, so the actions and the first engines show.
    await eicarRow.locator('.fact', { hasText: 'virus.eicar/test' }).evaluate((fact) => fact.scrollIntoView({ block: 'start' }));
    log('Expanded the EICAR row: facts, report link, actions and the engine table');
    await shootBoth(popup, 'popup-details');
    await popup.close();

    log(`Done: ${screenshots.length} screenshots in ${shown(outDir)}; ${emulator.requests.length} requests reached the emulator`);
    return { screenshots };
  } finally {
    await ext?.close();
    await Promise.all([emulator.close(), site.close()]);
  }
}

// `npm run demo` (tsx scripts/demo.ts [outDir]); importing this file (the e2e test) runs nothing.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const outDir = process.argv[2] ?? path.join(REPO_ROOT, 'docs');
  runDemo({ outDir }).then(
    () => {
      process.exitCode = 0;
    },
    (error: unknown) => {
      console.error('The demo failed:', error);
      process.exitCode = 1;
    },
  );
}
