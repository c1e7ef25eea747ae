import { describe, expect, it } from 'vitest';
import { matchesSite, normalizeSitePattern, siteOf } from './host-pattern';

describe('site patterns (exclusions)', () => {
  it('tidies what a person types into a host pattern', () => {
    expect(normalizeSitePattern('  https://*.Corp.Example/downloads/* ')).toBe('*.corp.example');
    expect(normalizeSitePattern('intranet:8080')).toBe('intranet');
    expect(normalizeSitePattern('127.0.0.1')).toBe('127.0.0.1');
    expect(normalizeSitePattern('*')).toBe('*');
    expect(normalizeSitePattern('not a host')).toBe('');
    expect(normalizeSitePattern('')).toBe('');
  });

  it('matches a host exactly, or a domain and its subdomains with *.', () => {
    expect(matchesSite('https://intranet.example.com/a.exe', ['intranet.example.com'])).toBe(true);
    expect(matchesSite('https://other.example.com/a.exe', ['intranet.example.com'])).toBe(false);
    expect(matchesSite('https://example.com/a.exe', ['*.example.com'])).toBe(true);
    expect(matchesSite('https://a.b.example.com/a.exe', ['*.example.com'])).toBe(true);
    expect(matchesSite('https://badexample.com/a.exe', ['*.example.com'])).toBe(false);
    expect(matchesSite('http://127.0.0.1:4000/x', ['127.0.0.1'])).toBe(true);
    expect(matchesSite('https://x.test/', ['*'])).toBe(true);
  });

  it('takes a blob: address as its page’s site, and never matches what has no host', () => {
    expect(siteOf('blob:https://drive.example.com/1234-5678')).toBe('drive.example.com');
    expect(matchesSite('data:text/plain,hi', ['*'])).toBe(false);
    expect(matchesSite('not a url', ['*'])).toBe(false);
  });
});
