/**
 * "Scan files…" for the whole page: the toolbar's button and the one an error row offers as its remedy pick
 * files the same way and hand them to the same handler.
 */
import { createContext } from 'preact';

export interface ScanFilesHandle {
  onFiles(files: File[]): void;
  /** This page is the toolbar popup (not ScanDock's Scan files tab). */
  inPopup: boolean;
  /** Files are being staged: picking again waits. */
  busy: boolean;
}

export const ScanFilesContext = createContext<ScanFilesHandle | null>(null);
