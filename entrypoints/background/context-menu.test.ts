/** The two menu items: which scan each asks for, and never one for a link that is not a web address. */
import { describe, expect, it } from 'vitest';
import { addressName, CHECK_ADDRESS_MENU_ID, menuClickScan, SCAN_FILE_MENU_ID } from './context-menu';

const click = (menuItemId: string, linkUrl?: string, srcUrl?: string) =>
  menuClickScan({ menuItemId, editable: false, frameId: 0, ...(linkUrl ? { linkUrl } : {}), ...(srcUrl ? { srcUrl } : {}), pageUrl: 'https://mail.example/inbox' });

describe('the context menu', () => {
  it('"Scan the file at this link" scans the file at the link (or the image’s source)', () => {
    expect(click(SCAN_FILE_MENU_ID, 'https://files.example/a/setup.exe?x=1')).toEqual({
      source: { kind: 'link', url: 'https://files.example/a/setup.exe?x=1', pageUrl: 'https://mail.example/inbox' }, fileName: 'setup.exe',
    });
    expect(click(SCAN_FILE_MENU_ID, undefined, 'http://img.example/cat.png')?.source).toMatchObject({ kind: 'link', url: 'http://img.example/cat.png' });
  });

  it('"Check this address on VirusTotal" checks the address; its name leaves out the query', () => {
    expect(click(CHECK_ADDRESS_MENU_ID, 'https://login.example/magic?token=s3cret')).toEqual({
      source: { kind: 'address', url: 'https://login.example/magic?token=s3cret', pageUrl: 'https://mail.example/inbox' }, fileName: 'login.example/magic',
    });
    expect(addressName('https://clean.example/')).toBe('clean.example');
  });

  it.each(['mailto:a@example.com', 'javascript:alert(1)', 'tel:+100', 'blob:https://x.example/1', 'data:text/plain,hi', 'ftp://x.example/f'])(
    'acts on neither item for %s',
    (url) => {
      expect(click(SCAN_FILE_MENU_ID, url)).toBeNull();
      expect(click(CHECK_ADDRESS_MENU_ID, url)).toBeNull();
    },
  );

  it('ignores other items', () => {
    expect(click('someone-else', 'https://x.example/')).toBeNull();
  });
});

describe('a click in a private window', () => {
  it('makes a private scan (kept for the private session only, fetched without cookies)', () => {
    const info = { menuItemId: SCAN_FILE_MENU_ID, editable: false, frameId: 0, linkUrl: 'https://x.example/a.exe', pageUrl: 'https://mail.example/inbox' };
    expect(menuClickScan(info, { incognito: true })?.source).toMatchObject({ kind: 'link', incognito: true });
    expect(menuClickScan({ ...info, menuItemId: CHECK_ADDRESS_MENU_ID }, { incognito: true })?.source).toMatchObject({ kind: 'address', incognito: true });
    expect(menuClickScan(info, { incognito: false })?.source).not.toHaveProperty('incognito');
  });
});
