/**
 * The locale files as Chrome reads them, for tests that render text without a browser: `translateIn('ko')`
 * answers like `chrome.i18n.getMessage` in a Korean browser (named placeholders → `$1`… → substitutions).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MessageKey } from '@/utils/i18n';
import type { Problem } from '@/utils/problems/problem';
import { renderProblem } from '@/utils/problems/render-problem';

export const LOCALES = ['en', 'ko'] as const;
export type Locale = (typeof LOCALES)[number];

export interface LocaleMessage {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string; example?: string }>;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `public/_locales/<lang>/messages.json`, parsed. */
export function readLocale(lang: Locale): Record<string, LocaleMessage> {
  return JSON.parse(readFileSync(path.join(ROOT, 'public', '_locales', lang, 'messages.json'), 'utf8')) as Record<string, LocaleMessage>;
}

/** One message with its substitutions, the way Chrome fills it: `$NAME$` → its content → `$n` → substitution n; `$$` → `$`. */
export function fillMessage(entry: LocaleMessage, substitutions: readonly string[] = []): string {
  const named = entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (whole, name: string) => {
    const placeholder = Object.entries(entry.placeholders ?? {}).find(([key]) => key.toLowerCase() === name.toLowerCase());
    return placeholder ? placeholder[1].content : whole;
  });
  return named.replace(/\$(\$|[1-9])/g, (_whole, what: string) => (what === '$' ? '$' : substitutions[Number(what) - 1] ?? ''));
}

/** `t` as the browser answers it when the messages come from `lang` ('' for a key that does not exist, like Chrome). */
export function translateIn(lang: Locale): (key: MessageKey, substitutions?: string | string[]) => string {
  const messages = readLocale(lang);
  return (key, substitutions) => {
    const entry = messages[key];
    if (!entry) return '';
    return fillMessage(entry, typeof substitutions === 'string' ? [substitutions] : substitutions ?? []);
  };
}

/** A record's error or notice as the English popup shows it (times on this machine's clock). */
export function inEnglish(kind: 'error' | 'notice', problem: Problem | null | undefined): string {
  return renderProblem(kind, problem ?? null, translateIn('en'), 'en');
}
