/**
 * `npm run demo` end to end: the tour runs against the emulator in headless Chromium and leaves real
 * screenshots, not blank or broken images.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../scripts/demo';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

let workDir: string | undefined;

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('the demo', () => {
  it('tours the extension and writes the popup, details and options screenshots', async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'scandock-demo-'));
    const outDir = path.join(workDir, 'docs');
    const lines: string[] = [];
    const { screenshots } = await runDemo({ outDir, buildDir: path.join(workDir, 'build'), log: (line) => lines.push(line) });

    const names = screenshots.map((file) => path.relative(outDir, file)).sort();
    expect(names).toEqual(['options-dark.png', 'options.png', 'popup-dark.png', 'popup-details-dark.png', 'popup-details.png', 'popup.png']);
    for (const file of screenshots) {
      const bytes = await readFile(file);
      expect([...bytes.subarray(0, 8)], file).toEqual(PNG_SIGNATURE);
      // A blank 400 × 600 PNG compresses to a few hundred bytes; these show text, badges and tables.
      expect((await stat(file)).size, file).toBeGreaterThan(10_000);
      if (path.basename(file).startsWith('popup')) expect(pngSize(bytes), file).toEqual({ width: 400, height: 600 });
    }
    // What it printed says what it saw: the three verdicts.
    expect(lines.join('\n')).toMatch(/eicar\.com: malicious/);
    expect(lines.join('\n')).toMatch(/notes\.txt: clean/);
    expect(lines.join('\n')).toMatch(/setup-helper\.zip: suspicious/);
  });
});
