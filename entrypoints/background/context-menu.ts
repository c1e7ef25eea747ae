/** "Scan with VirusTotal" on links, images, video and audio: fetch the target without saving it, and scan it. */
import { browser, type Browser } from 'wxt/browser';
import type { NewScan } from '@/utils/scan/scan-engine';
import { fileNameFromUrl } from '@/utils/scan/read-source';

export const SCAN_MENU_ID = 'scandock-scan';

/** (Re)create the menu item; called on install and update. */
export function createScanMenu(title: string): void {
  browser.contextMenus.remove(SCAN_MENU_ID).catch(() => undefined).finally(() => {
    browser.contextMenus.create({ id: SCAN_MENU_ID, title, contexts: ['link', 'image', 'video', 'audio'] });
  });
}

/** The scan a menu click asks for, or null when the click is not ours or has no address. */
export function menuClickScan(info: Browser.contextMenus.OnClickData): NewScan | null {
  if (info.menuItemId !== SCAN_MENU_ID) return null;
  const url = info.linkUrl ?? info.srcUrl;
  if (!url) return null;
  return { source: { kind: 'link', url, ...(info.pageUrl ? { pageUrl: info.pageUrl } : {}) }, fileName: fileNameFromUrl(url) };
}
