/**
 * axe-core in a page of the extension: injected through DevTools, since the pages' CSP refuses inline scripts (the
 * extension does not ship it). Used by the end-to-end tests of every page a person sees.
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from './extension-browser';

/** axe-core's result once its script has run in the page. */
export interface AxeResult {
  violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }>;
}
declare const axe: { run(context: Document, options: object): Promise<AxeResult> };

const ARTIFACTS = path.join(REPO_ROOT, 'tests', 'artifacts');
const AXE_SOURCE = readFileSync(path.join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** axe-core's findings on `page`, every impact, written to tests/artifacts/axe-<name>.json. */
export async function axeFindings(page: Page, name: string): Promise<AxeResult['violations']> {
  await page.evaluate(AXE_SOURCE);
  const { violations } = await page.evaluate(() => axe.run(document, { resultTypes: ['violations'] }));
  await mkdir(ARTIFACTS, { recursive: true });
  await writeFile(path.join(ARTIFACTS, `axe-${name}.json`), `${JSON.stringify(violations, null, 2)}\n`);
  return violations;
}

/** The findings that block: serious or critical, one line each. */
export const blockingFindings = (violations: AxeResult['violations']) =>
  violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`);
