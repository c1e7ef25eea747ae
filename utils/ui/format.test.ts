import { describe, expect, it } from 'vitest';
import type { AnalysisStats } from '../scan/scan-record';
import { ageOf, cleanText, detectionRatio, displayFileName, displayText, formatBytes, hostOf, safeHttpUrl, splitTail, waitUntil } from './format';

describe('displayFileName', () => {
  it('removes a right-to-left override so the real extension shows', () => {
    // Rendered raw, "invoice\u202Efdp.exe" reads "invoiceexe.pdf".
    const shown = displayFileName('invoice\u202Efdp.exe');
    expect(shown.text).toBe('invoicefdp.exe');
    expect(shown.title).toBe('invoicefdp.exe');
    expect(shown.truncated).toBe(false);
  });

  it('removes every bidi control, isolate and mark', () => {
    const name = 'a\u202Ab\u202Bc\u202Cd\u202De\u2066f\u2067g\u2068h\u2069i\u200Ej\u200Fk\u061Cl.txt';
    expect(displayFileName(name).text).toBe('abcdefghijkl.txt');
  });

  it('removes control characters and turns line breaks into spaces', () => {
    expect(displayFileName('re\u0000port\u0007\u001B[31m.exe').text).toBe('report[31m.exe');
    expect(displayFileName('line1\nline2\r\n\tend.zip').text).toBe('line1 line2 end.zip');
    expect(displayFileName('nel\u0085del\u007F.bin').text).toBe('neldel.bin');
  });

  it('collapses runs of spaces that would push the extension out of view', () => {
    expect(displayFileName(`invoice.pdf${' '.repeat(60)}.exe`).text).toBe('invoice.pdf .exe');
    expect(displayFileName('  padded \u3000 name.txt  ').text).toBe('padded name.txt');
  });

  it('keeps markup as plain text (rendering escapes it)', () => {
    expect(displayFileName('<img src=x onerror=alert(1)>.html').text).toBe('<img src=x onerror=alert(1)>.html');
  });

  it('shortens a 300-character name in the middle, keeping the extension, and keeps the full name as title', () => {
    const name = `${'a'.repeat(296)}.exe`;
    const shown = displayFileName(name);
    expect(shown.truncated).toBe(true);
    expect(Array.from(shown.text)).toHaveLength(64);
    expect(shown.text).toContain('…');
    expect(shown.text.endsWith('.exe')).toBe(true);
    expect(shown.text.startsWith('aaaa')).toBe(true);
    expect(shown.title).toBe(name);
  });

  it('never cuts an emoji or a Hangul syllable in half', () => {
    const name = `${'👨‍👩‍👧'.repeat(40)}보고서.pdf`;
    const shown = displayFileName(name, 30);
    expect(shown.text).not.toMatch(/\uFFFD/);
    expect(shown.text.endsWith('보고서.pdf')).toBe(true);
    expect([...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(shown.text)]).toHaveLength(30);
  });

  it('returns an empty text for a name made only of invisible characters', () => {
    expect(displayFileName('\u202E\u0000 ').text).toBe('');
  });
});

describe('cleanText and displayText', () => {
  it('cleans engine labels and messages', () => {
    expect(cleanText('Trojan\u202E.Win32\u0000  Agent')).toBe('Trojan.Win32 Agent');
  });

  it('cuts long text with a trailing ellipsis', () => {
    expect(displayText('x'.repeat(500), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(displayText('short', 10)).toBe('short');
  });
});

describe('hostOf', () => {
  it('gives the host with its port', () => {
    expect(hostOf('https://dl.example.com:8443/a/b.zip?token=1')).toBe('dl.example.com:8443');
  });

  it('gives nothing for URLs without a host or that do not parse', () => {
    expect(hostOf('data:text/plain,hi')).toBe('');
    expect(hostOf('not a url')).toBe('');
  });
});

describe('detectionRatio', () => {
  const stats: AnalysisStats = {
    malicious: 3,
    suspicious: 1,
    undetected: 50,
    harmless: 8,
    timeout: 2,
    'confirmed-timeout': 1,
    'type-unsupported': 10,
    failure: 4,
  };

  it('counts only engines that gave an opinion', () => {
    expect(detectionRatio(stats)).toMatchObject({ malicious: 3, total: 62 });
  });

  it('is null before there are stats', () => {
    expect(detectionRatio(null)).toBeNull();
  });
});

describe('formatBytes', () => {
  it('uses binary units with one decimal below 100', () => {
    expect(formatBytes(0, 'en')).toBe('0 B');
    expect(formatBytes(1023, 'en')).toBe('1,023 B');
    expect(formatBytes(1536, 'en')).toBe('1.5 KB');
    expect(formatBytes(1_572_864, 'en')).toBe('1.5 MB');
    expect(formatBytes(650 * 1024 * 1024, 'en')).toBe('650 MB');
  });

  it('gives nothing for nonsense', () => {
    expect(formatBytes(-1, 'en')).toBe('');
    expect(formatBytes(Number.NaN, 'en')).toBe('');
  });
});

describe('ageOf', () => {
  const now = Date.UTC(2026, 10, 25, 12, 0, 0);
  it('rounds down to the largest whole unit', () => {
    expect(ageOf(now - 30_000, now)).toEqual({ unit: 'now' });
    expect(ageOf(now - 2 * 60_000 - 5_000, now)).toEqual({ unit: 'minutes', count: 2 });
    expect(ageOf(now - 3 * 3_600_000, now)).toEqual({ unit: 'hours', count: 3 });
    expect(ageOf(now - 50 * 3_600_000, now)).toEqual({ unit: 'days', count: 2 });
  });

  it('treats a time in the future (clock skew) as now', () => {
    expect(ageOf(now + 60_000, now)).toEqual({ unit: 'now' });
  });
});

describe('waitUntil', () => {
  it('rounds up and picks a readable unit', () => {
    expect(waitUntil(1_000 + 200, 1_000)).toEqual({ unit: 'seconds', count: 1 });
    expect(waitUntil(61_750, 0)).toEqual({ unit: 'seconds', count: 62 });
    expect(waitUntil(30 * 60_000, 0)).toEqual({ unit: 'minutes', count: 30 });
    expect(waitUntil(5 * 3_600_000, 0)).toEqual({ unit: 'hours', count: 5 });
  });

  it('never shows a zero wait', () => {
    expect(waitUntil(0, 1_000)).toEqual({ unit: 'seconds', count: 1 });
  });
});

describe('safeHttpUrl', () => {
  it('keeps http and https links', () => {
    expect(safeHttpUrl('https://www.virustotal.com/gui/file/abc')).toBe('https://www.virustotal.com/gui/file/abc');
    expect(safeHttpUrl('http://127.0.0.1:8080/gui/file/abc')).toBe('http://127.0.0.1:8080/gui/file/abc');
  });

  it('refuses script, data and unparsable links', () => {
    expect(safeHttpUrl('javascript:alert(1)')).toBeNull();
    expect(safeHttpUrl('data:text/html,<script>')).toBeNull();
    expect(safeHttpUrl('/relative')).toBeNull();
    expect(safeHttpUrl(null)).toBeNull();
  });
});

describe('splitTail', () => {
  it('keeps the last characters, a double extension included, in the tail', () => {
    expect(splitTail('holiday-photos-2026.pdf.exe')).toEqual(['holiday-photos-', '2026.pdf.exe']);
  });

  it('puts a short name wholly in the tail', () => {
    expect(splitTail('setup.exe')).toEqual(['', 'setup.exe']);
  });

  it('splits between whole characters', () => {
    const [head, tail] = splitTail(`${'가'.repeat(20)}👨‍👩‍👧.txt`, 5);
    expect(tail).toBe('👨‍👩‍👧.txt');
    expect(head).toBe('가'.repeat(20));
  });
});
