/**
 * Translated UI text. Every string a person reads comes from `public/_locales/<lang>/messages.json`;
 * `MessageKey` is derived from the English file, so a key that does not exist fails to compile.
 * `utils/i18n.test.ts` keeps the Korean file in step with the English one.
 */
import { browser } from 'wxt/browser';
import type enMessages from '../public/_locales/en/messages.json';

/** Every message name in `_locales/en/messages.json`. */
export type MessageKey = keyof typeof enMessages;

/**
 * `i18n` seen through a plain signature. WXT generates one overload per key from the same messages.json,
 * but only on `wxt prepare`/`build`; this file must type-check without waiting for that.
 * (A method signature, so the generated overloads are assignable to it.)
 */
interface PlainI18n {
  getMessage(name: string, substitutions?: string | string[]): string;
}

/** The message for `key`, with `$1`… filled from `substitutions`; the key itself if it is missing. */
export function t(key: MessageKey, substitutions?: string | string[]): string {
  const i18n: PlainI18n = browser.i18n;
  // A missing message comes back as '' — showing the key makes the gap visible instead of a blank.
  return i18n.getMessage(key, substitutions) || key;
}

/** The browser's UI language ("en-US", "ko"), for number and date formats that match the messages. */
export function uiLocale(): string {
  try {
    return browser.i18n.getUILanguage() || 'en';
  } catch {
    return 'en';
  }
}

/** Sets `<html lang>` to the UI language so screen readers pronounce the text correctly. */
export function localizeDocument(doc: Document = document): void {
  doc.documentElement.lang = uiLocale();
}
