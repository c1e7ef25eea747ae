import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from './storage-items';

/** The README's "## Settings" section, up to the next heading of its level. */
function settingsSection(): string {
  const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
  const start = readme.indexOf('\n## Settings\n');
  if (start < 0) throw new Error('README.md has no "## Settings" section');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

describe('the README', () => {
  it('lists every setting by its key, so a new option cannot go undocumented', () => {
    const section = settingsSection();
    const missing = Object.keys(DEFAULT_SETTINGS).filter((key) => !section.includes(`\`${key}\``));
    expect(missing).toEqual([]);
  });
});
