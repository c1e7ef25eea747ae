/** The first-run page's test file is exactly the EICAR test file, whose hash VirusTotal knows. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EICAR_SHA256, eicarBytes } from '@/tests/emulator/fixtures';
import { eicarText, testFileScan, testFileUrl } from './test-file';

describe('the test file', () => {
  it('is the 68 EICAR bytes', () => {
    expect(new TextEncoder().encode(eicarText())).toEqual(eicarBytes());
    expect(createHash('sha256').update(eicarText()).digest('hex')).toBe(EICAR_SHA256);
  });

  it('is offered as a data: address that decodes to those bytes', () => {
    const url = testFileUrl();
    expect(url).toMatch(/^data:application\/octet-stream;base64,/);
    expect(Buffer.from(url.split(',')[1]!, 'base64').toString('latin1')).toBe(eicarText());
  });
});

describe('testFileScan', () => {
  const download = (url: string, createdAt: number) => ({ createdAt, source: { kind: 'download', url } });
  it('finds the newest scan of the test file made since the click, and nothing else', () => {
    const records = [download('https://example.com/a.txt', 30), download(testFileUrl(), 20), download(testFileUrl(), 5)];
    expect(testFileScan(records, 10)).toBe(records[1]);
    expect(testFileScan(records, 25)).toBeUndefined();
    expect(testFileScan([{ createdAt: 40, source: { kind: 'link', url: testFileUrl() } }], 10)).toBeUndefined();
  });
});
