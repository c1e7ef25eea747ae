import { describe, expect, it } from 'vitest';
import { addressForVirusTotal, fileExtension, isDocument } from './upload-policy';

describe('upload policy', () => {
  it('recognises documents by extension or MIME type', () => {
    expect(isDocument('Invoice.PDF')).toBe(true);
    expect(isDocument('report.docx')).toBe(true);
    expect(isDocument('blob', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe(true);
    expect(isDocument('setup.exe', 'application/x-msdownload')).toBe(false);
    expect(fileExtension('archive.tar.GZ')).toBe('gz');
    expect(fileExtension('noext')).toBe('');
  });

  it('strips query strings and fragments, which can carry tokens', () => {
    expect(addressForVirusTotal('https://cdn.example/f.exe?sig=SECRET&exp=1#x', { keepQuery: false })).toBe('https://cdn.example/f.exe');
  });
});
