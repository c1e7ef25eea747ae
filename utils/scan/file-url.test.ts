import { describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { fileUrl } from './file-url';

describe('a download path as a file: address', () => {
  it.each([
    ['/home/me/Downloads/setup.exe', 'file:///home/me/Downloads/setup.exe'],
    ['/tmp/a b#c?.bin', 'file:///tmp/a%20b%23c%3F.bin'],
    ['/tmp/100%.txt', 'file:///tmp/100%25.txt'],
    ['/home/me/한국어.zip', 'file:///home/me/%ED%95%9C%EA%B5%AD%EC%96%B4.zip'],
  ])('POSIX %s', (path, url) => {
    expect(fileUrl(path)).toBe(url);
    // As Node makes it: the same address.
    expect(fileUrl(path)).toBe(pathToFileURL(path).href);
  });

  it.each([
    ['C:\\Users\\me\\Downloads\\x y.zip', 'file:///C:/Users/me/Downloads/x%20y.zip'],
    ['D:/setup.exe', 'file:///D:/setup.exe'],
    ['\\\\server\\share\\report.pdf', 'file://server/share/report.pdf'],
  ])('Windows %s', (path, url) => {
    expect(fileUrl(path)).toBe(url);
    expect(new URL(url).protocol).toBe('file:');
  });

  it('keeps a backslash in a POSIX file name as part of the name', () => {
    expect(fileUrl('/tmp/a\\b.txt')).toBe('file:///tmp/a%5Cb.txt');
  });
});
