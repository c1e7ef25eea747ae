/** The results as a plain-text table (the terminal) and as Markdown (README "Performance"). */
import type { BenchResults } from './bench';
import type { Metric } from './metrics';
import type { Summary } from './stats';

/** 3 significant-ish digits: 1234, 123, 12.3, 1.23, 0.123. */
export function num(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  if (a >= 100 || Number.isInteger(n)) return n.toFixed(0);
  if (a >= 10) return n.toFixed(1);
  if (a >= 1) return n.toFixed(2);
  return n.toFixed(3);
}

export function range(s: Summary, unit = ''): string {
  const u = unit ? ` ${unit}` : '';
  if (s.runs.length <= 1) return `${num(s.median)}${u}`;
  return `${num(s.median)}${u} (${num(s.min)}–${num(s.max)})`;
}

interface Row {
  figure: string;
  what: string;
  measured: string;
  reference: string;
  ratio: string;
  target: string;
  met: string;
}

function rows(metric: Metric): Row[] {
  const target = metric.target?.text ?? '';
  const met = metric.target ? (metric.target.met ? 'yes' : '**no**') : '';
  const first: Row = { figure: String(metric.figure), what: metric.label, measured: range(metric.value, metric.unit), reference: '', ratio: '', target, met };
  if (metric.comparisons.length === 0) return [first];
  return metric.comparisons.map((c, i) => ({
    ...(i === 0 ? first : { figure: '', what: '', measured: '', target: '', met: '' }),
    reference: `${c.against}: ${range(c.reference, c.referenceUnit)}`,
    ratio: range(c.ratio, c.ratioUnit),
  }));
}

export function markdownTable(results: BenchResults): string {
  const lines = ['| # | figure | measured: median (min–max) | reference, same runs | ratio: median (min–max) | target | met |', '|---|---|---|---|---|---|---|'];
  for (const metric of results.metrics) {
    for (const r of rows(metric)) lines.push(`| ${r.figure} | ${r.what} | ${r.measured} | ${r.reference} | ${r.ratio} | ${r.target} | ${r.met} |`);
  }
  return lines.join('\n');
}

export function breakdownLines(results: BenchResults): string[] {
  const out: string[] = [];
  for (const metric of results.metrics) {
    if (metric.breakdown) out.push(`${metric.label}: ${Object.entries(metric.breakdown).map(([k, s]) => `${k} ${range(s)}`).join('; ')}`);
    if (metric.note) out.push(`${metric.label}: ${metric.note}`);
  }
  return out;
}

export function textTable(results: BenchResults): string {
  const all = results.metrics.flatMap(rows).map((r) => [r.figure, r.what, r.measured, r.reference, r.ratio, r.target, r.met.replace(/\*/g, '')]);
  const head = ['#', 'figure', 'measured', 'reference (same runs)', 'ratio', 'target', 'met'];
  const widths = head.map((h, i) => Math.max(h.length, ...all.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...all.map(line)].join('\n');
}

export function machineLine(results: BenchResults): string {
  const m = results.machine;
  const mem = m.free.split('\n').find((l) => l.startsWith('Mem:'))?.split(/\s+/)[1] ?? m.memTotal;
  return `${m.nproc} cores (${m.cpu}), ${mem} RAM (free -h), ${m.chromium}, Node ${m.node}; load average ${num(m.loadAtStart)} at start, ${num(m.loadAtEnd ?? Number.NaN)} at end; ${m.date.slice(0, 10)}, commit ${m.commit}; ${results.plan} plan, ${results.runs} run(s) per figure, ${num(results.seconds)} s in all`;
}
