/**
 * Figures 3 and 6, with a full history: the popup opened → its first scan row painted (navigation start to
 * the frame after the row is in the DOM), and a record turning `done` → its row showing it in an open popup
 * (the record's own `updatedAt`, stamped by the worker as it writes, to the popup's MutationObserver).
 */
import type { BrowserContextParts } from '../context';
import { historyRecords } from '../history-seed';
import type { Metric } from '../metrics';
import type { PageMarks } from '../probe/page-probe';
import { downloadAndScan, expectVerdict, forgetDownloads, prepareDownloads } from '../scans';
import { summarize } from '../stats';

async function until<T>(what: string, read: () => Promise<T | null | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not seen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Seeds the history up to `plan.historyRecords` records; returns how many the store holds. */
export async function seedHistory(ctx: BrowserContextParts): Promise<number> {
  const worker = await ctx.ext.getWorker();
  const oldest = Date.now() - 3_600_000;
  const added = await ctx.probes.call(worker, 'seedHistory', { records: historyRecords(ctx.plan.historyRecords, oldest), total: ctx.plan.historyRecords });
  const total = await ctx.probes.call(worker, 'countRecords', undefined);
  ctx.log(`  history: seeded ${added} records, ${total} in the store`);
  return total;
}

export async function measurePopupFirstPaint(ctx: BrowserContextParts, historySize: number): Promise<Metric[]> {
  const painted: number[] = [];
  const parts = { 'first contentful paint': [] as number[], 'first row in DOM': [] as number[] };
  for (let run = 0; run < ctx.plan.popupRuns; run++) {
    const page = await ctx.ext.openPopup();
    const marks: PageMarks = await until('the first row painted', async () => {
      const m = await ctx.probes.pageMarks(page);
      return m.firstRowPaintedAt !== null ? m : null;
    });
    painted.push(marks.firstRowPaintedAt!);
    // Chromium does not always report a first-contentful-paint entry to a page opened this quickly.
    if (marks.firstContentfulPaint !== null) parts['first contentful paint'].push(marks.firstContentfulPaint);
    parts['first row in DOM'].push(marks.firstRowAt!);
    ctx.log(`  popup first paint run ${run + 1}: row painted ${marks.firstRowPaintedAt!.toFixed(0)} ms (FCP ${marks.firstContentfulPaint?.toFixed(0)} ms, row in DOM ${marks.firstRowAt!.toFixed(0)} ms, element timing ${marks.firstRowRenderTime?.toFixed(0) ?? 'n/a'})`);
    await page.close();
  }
  const value = summarize(painted);
  return [{
    id: 'popup.first-row-painted',
    figure: 6,
    label: `popup opened → first row painted, ${historySize} records`,
    unit: 'ms',
    value,
    comparisons: [],
    breakdown: Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, summarize(v)])),
    target: { text: '≤ 200 ms', met: value.median <= 200 },
  }];
}

export async function measureDoneToPopup(ctx: BrowserContextParts, historySize: number): Promise<Metric[]> {
  // The tab that clicks download links must exist first: a window opened over the popup hides it, and a
  // hidden page paints no frames.
  await prepareDownloads(ctx.ext);
  const popup = await ctx.ext.openPopup();
  await popup.bringToFront();
  await until('the popup list', async () => ((await ctx.probes.pageMarks(popup)).firstRowAt !== null ? true : null));
  const seen: number[] = [];
  const painted: number[] = [];
  for (let run = 0; run < ctx.plan.popupRuns; run++) {
    const file = await ctx.site.addFile('popup', 4096);
    ctx.emulator.addFile(file.bytes, 'clean');
    const [scan] = await downloadAndScan(ctx.probes, ctx.ext, [file.url]);
    expectVerdict(scan!, 'clean');
    const token = scan!.record.token;
    const marks = await until('the row turning done', async () => {
      const m = await ctx.probes.pageMarks(popup);
      return m.donePainted[token] !== undefined ? m : null;
    });
    if (marks.doneVisibility[token] !== 'visible') throw new Error(`the popup was ${marks.doneVisibility[token]} when the row turned done`);
    seen.push(marks.doneSeen[token]! - scan!.record.updatedAt);
    painted.push(marks.donePainted[token]! - scan!.record.updatedAt);
    ctx.log(`  done → popup run ${run + 1}: in DOM ${seen.at(-1)!.toFixed(0)} ms, painted ${painted.at(-1)!.toFixed(0)} ms`);
    await forgetDownloads(ctx.probes, ctx.ext, [scan!]);
    await ctx.site.removeFile(file);
  }
  await popup.close();
  const value = summarize(painted);
  return [{
    id: 'popup.done-to-visible',
    figure: 3,
    label: `record done → painted in an open popup, ${historySize} records`,
    unit: 'ms',
    value,
    comparisons: [],
    breakdown: { 'row in DOM': summarize(seen) },
    target: { text: '≤ 100 ms', met: value.median <= 100 },
  }];
}
