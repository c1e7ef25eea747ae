/**
 * The two items on a right-clicked link (and the file one on images, video and audio):
 * - "Scan the file at this link": fetch the target (GET, without the person's cookies unless a setting
 *   allows them) without saving it, and look its hash up;
 * - "Check this address on VirusTotal": ask VirusTotal's URL scanners about the address; ScanDock
 *   fetches nothing.
 * Only http and https targets: a mailto:, javascript:, tel: or blob: link is never acted on.
 */
import { browser, type Browser } from 'wxt/browser';
import type { NewScan } from '@/utils/scan/scan-engine';
import { fileNameFromUrl, isWebUrl } from '@/utils/scan/read-source';
import { cleanText } from '@/utils/ui/format';

export const SCAN_FILE_MENU_ID = 'scandock-scan-file';
export const CHECK_ADDRESS_MENU_ID = 'scandock-check-address';
/** Where the browser shows the items: web addresses only (match patterns cannot name data:, blob: or mailto:). */
const WEB_TARGETS = ['http://*/*', 'https://*/*'];

/** The items' titles, from _locales. */
export interface MenuTitles {
  scanFile: string;
  checkAddress: string;
}

/** (Re)create the items; called on install and update (an older version's single item goes too). */
export function createScanMenus(titles: MenuTitles): void {
  browser.contextMenus.removeAll().catch(() => undefined).finally(() => {
    browser.contextMenus.create({ id: SCAN_FILE_MENU_ID, title: titles.scanFile, contexts: ['link', 'image', 'video', 'audio'], targetUrlPatterns: WEB_TARGETS });
    browser.contextMenus.create({ id: CHECK_ADDRESS_MENU_ID, title: titles.checkAddress, contexts: ['link'], targetUrlPatterns: WEB_TARGETS });
  });
}

/**
 * The scan a menu click asks for, or null when the click is not ours or its target is not a web address. A
 * click in a private window's tab makes a private scan (kept for the private session only, no cookies).
 */
export function menuClickScan(info: Browser.contextMenus.OnClickData, tab?: Pick<Browser.tabs.Tab, 'incognito'>): NewScan | null {
  const where = { ...(info.pageUrl ? { pageUrl: info.pageUrl } : {}), ...(tab?.incognito ? { incognito: true as const } : {}) };
  if (info.menuItemId === SCAN_FILE_MENU_ID) {
    const url = info.linkUrl ?? info.srcUrl;
    if (!url || !isWebUrl(url)) return null;
    return { source: { kind: 'link', url, ...where }, fileName: fileNameFromUrl(url) };
  }
  if (info.menuItemId === CHECK_ADDRESS_MENU_ID) {
    const url = info.linkUrl;
    if (!url || !isWebUrl(url)) return null;
    return { source: { kind: 'address', url, ...where }, fileName: addressName(url) };
  }
  return null;
}

/** How an address check is named in the list: the address without its scheme, query and fragment. */
export function addressName(url: string): string {
  try {
    const parsed = new URL(url);
    return cleanText(`${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`) || url;
  } catch {
    return url;
  }
}
