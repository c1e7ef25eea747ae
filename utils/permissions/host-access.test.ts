import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { hasHostAccess, hostAccessOrigins, requestHostAccess } from './host-access';
import { hostPatternFor } from './host-pattern';

afterEach(() => {
  vi.restoreAllMocks();
  fakeBrowser.reset();
});

describe('host access', () => {
  it('asks for the VirusTotal API host and every site, as the manifest declares them', () => {
    expect(hostAccessOrigins()).toEqual(['https://www.virustotal.com/*', '<all_urls>']);
    expect(hostPatternFor('http://127.0.0.1:4567/api/v3')).toBe('http://127.0.0.1/*');
  });

  it('is there only when the browser holds both', async () => {
    const contains = vi.spyOn(fakeBrowser.permissions, 'contains').mockResolvedValue(false as never);
    expect(await hasHostAccess()).toBe(false);
    expect(contains).toHaveBeenCalledWith({ origins: ['https://www.virustotal.com/*', '<all_urls>'] });
    contains.mockResolvedValue(true as never);
    expect(await hasHostAccess()).toBe(true);
  });

  it('a browser that cannot answer does not stop every scan', async () => {
    vi.spyOn(fakeBrowser.permissions, 'contains').mockRejectedValue(new Error('not supported'));
    expect(await hasHostAccess()).toBe(true);
  });

  it('asks again for the same origins', async () => {
    const request = vi.spyOn(fakeBrowser.permissions, 'request').mockResolvedValue(true as never);
    expect(await requestHostAccess()).toBe(true);
    expect(request).toHaveBeenCalledWith({ origins: ['https://www.virustotal.com/*', '<all_urls>'] });
  });
});
