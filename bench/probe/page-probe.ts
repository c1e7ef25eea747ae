/**
 * Runs in every ScanDock page from its first moment (a Playwright init script): watches the DOM for the
 * popup's scan rows and notes when the first row appears and is painted, and when each row turns `done`.
 * Page times are `performance.now()` (ms since navigation start); `doneSeen` is epoch ms
 * (`performance.timeOrigin + performance.now()`), comparable with a record's `updatedAt`.
 */

export interface PageMarks {
  /** First row in the DOM, ms after navigation start. */
  firstRowAt: number | null;
  /** The frame after that: the row was painted (rAF, then a task after the frame). */
  firstRowPaintedAt: number | null;
  /** Element Timing's render time of the first row's name, when the browser reports it. */
  firstRowRenderTime: number | null;
  firstContentfulPaint: number | null;
  /** token → epoch ms when its row first showed `data-status="done"`. */
  doneSeen: Record<string, number>;
  /** token → epoch ms of the frame after that. */
  donePainted: Record<string, number>;
  /** token → document.visibilityState then (a hidden tab paints no frames). */
  doneVisibility: Record<string, string>;
}

const marks: PageMarks = { firstRowAt: null, firstRowPaintedAt: null, firstRowRenderTime: null, firstContentfulPaint: null, doneSeen: {}, donePainted: {}, doneVisibility: {} };

/** Calls `done` with the time just after the next frame is produced. */
function afterNextFrame(done: (at: number) => void): void {
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => done(performance.now());
    channel.port2.postMessage(null);
  });
}

function look(): void {
  if (marks.firstRowAt === null) {
    const first = document.querySelector('li[data-token]');
    if (first) {
      marks.firstRowAt = performance.now();
      first.querySelector('.scan__name-head')?.setAttribute('elementtiming', 'scandock-first-row');
      afterNextFrame((at) => {
        marks.firstRowPaintedAt = at;
      });
    }
  }
  for (const row of document.querySelectorAll<HTMLElement>('li[data-token][data-status="done"]')) {
    const token = row.dataset.token!;
    if (token in marks.doneSeen) continue;
    marks.doneSeen[token] = performance.timeOrigin + performance.now();
    marks.doneVisibility[token] = document.visibilityState;
    afterNextFrame((at) => {
      marks.donePainted[token] = performance.timeOrigin + at;
    });
  }
}

new MutationObserver(look).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });

try {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.name === 'first-contentful-paint') marks.firstContentfulPaint = entry.startTime;
  }).observe({ type: 'paint', buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as Array<PerformanceEntry & { identifier?: string; renderTime?: number }>) {
      if (entry.identifier === 'scandock-first-row' && marks.firstRowRenderTime === null) marks.firstRowRenderTime = entry.renderTime || entry.startTime;
    }
  }).observe({ type: 'element', buffered: true });
} catch {
  // An entry type this browser does not support: the rAF marks remain.
}

(globalThis as { scandockPageMarks?: PageMarks }).scandockPageMarks = marks;
