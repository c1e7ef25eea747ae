import { describe, expect, it } from 'vitest';
import { checkPackage, justifiedPermissions } from '../../scripts/check-package';

const JUSTIFIED = new Set(['downloads', 'storage', '<all_urls>']);

/** A package that passes, with `changes` applied (a file set to null is left out). */
function pack(changes: Record<string, string | null> = {}, manifest: Record<string, unknown> = {}): Map<string, Buffer> {
  const files: Record<string, string | null> = {
    'manifest.json': JSON.stringify({
      manifest_version: 3,
      name: '__MSG_extensionName__',
      description: '__MSG_extensionDescription__',
      version: '0.1.0',
      default_locale: 'en',
      icons: { 16: 'icon/16.png', 128: 'icon/128.png' },
      action: { default_popup: 'popup.html' },
      background: { service_worker: 'background.js' },
      permissions: ['downloads', 'storage'],
      host_permissions: ['<all_urls>'],
      content_security_policy: { extension_pages: "script-src 'self'; object-src 'none'" },
      ...manifest,
    }),
    '_locales/en/messages.json': JSON.stringify({ extensionName: { message: 'ScanDock' }, extensionDescription: { message: 'Checks downloads.' } }),
    'icon/16.png': 'png',
    'icon/128.png': 'png',
    'popup.html': '<script type="module" src="/chunks/popup.js"></script>',
    'background.js': 'const answer = 42;',
    'chunks/popup.js': 'console.log("https://www.virustotal.com/gui/file/")',
    ...changes,
  };
  return new Map(Object.entries(files).flatMap(([file, text]) => (text === null ? [] : [[file, Buffer.from(text)] as [string, Buffer]])));
}

describe('the store package check', () => {
  it('passes a package with only the extension in it', () => {
    expect(checkPackage(pack(), 'chrome', JUSTIFIED)).toEqual([]);
  });

  it.each([
    ['a source map', { 'background.js.map': '{}' }, /background\.js\.map is a source map/],
    ['a source map reference', { 'background.js': 'x();\n//# sourceMappingURL=background.js.map' }, /has a source map reference/],
    ['a test file', { 'chunks/verdict.test.js': 'test()' }, /is a test file/],
    ['TypeScript sources', { 'utils/verdict.ts': 'export {}' }, /is TypeScript source/],
    ['eval', { 'background.js': 'const f = eval("1+1");' }, /has eval\(/],
    ['new Function', { 'background.js': 'const f = new Function("return 1");' }, /has new Function\(/],
    ['a remote import', { 'background.js': 'await import("https://cdn.example/x.js")' }, /import\(\) of a remote module/],
    ['a remote script tag', { 'popup.html': '<script src="https://cdn.example/x.js"></script>' }, /popup\.html loads a script from another origin/],
    ['no 128 px icon', { 'icon/128.png': null }, /icon\/128\.png, which is not in the package/],
  ])('fails on %s', (_what, changes, problem) => {
    expect(checkPackage(pack(changes), 'chrome', JUSTIFIED).join('\n')).toMatch(problem);
  });

  it.each([
    ['a permission without a justification', { permissions: ['downloads', 'tabs'] }, /permission tabs has no justification/],
    ['a remote script source in the CSP', { content_security_policy: { extension_pages: "script-src 'self' https://cdn.example" } }, /lets scripts come from elsewhere/],
    ['unsafe-eval in the CSP', { content_security_policy: { extension_pages: "script-src 'self' 'unsafe-eval'" } }, /lets scripts come from elsewhere/],
    ['a version the store refuses', { version: '1.0.0-beta' }, /version 1\.0\.0-beta/],
    ['Manifest V2', { manifest_version: 2 }, /manifest_version is 2/],
    ['a description over 132 characters', { description: 'x'.repeat(133) }, /description is 133 characters/],
  ])('fails on %s', (_what, manifest, problem) => {
    expect(checkPackage(pack({}, manifest), 'chrome', JUSTIFIED).join('\n')).toMatch(problem);
  });

  it('asks a Firefox package for its add-on id and data consent', () => {
    expect(checkPackage(pack(), 'firefox', JUSTIFIED)).toEqual(['no browser_specific_settings.gecko.id', 'no browser_specific_settings.gecko.data_collection_permissions.required']);
  });

  it('reads the justified permissions from the first column of docs/permissions.md', () => {
    const names = justifiedPermissions('| permission | why |\n|---|---|\n| `downloads` | see `tabs` here |\n| `<all_urls>` | … |');
    expect([...names]).toEqual(['downloads', '<all_urls>']);
  });
});
