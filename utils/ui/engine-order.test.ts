import { describe, expect, it } from 'vitest';
import type { EngineCategory, EngineDetail } from '../scan/scan-record';
import { sortEngines } from './engine-order';

function engine(vendorName: string, category: EngineCategory, scanDetected = category === 'malicious'): EngineDetail {
  return { vendorName, vendorVersion: '1', scanDetected, category, result: null };
}

describe('sortEngines', () => {
  it('lists detections first, then by category, then by vendor', () => {
    const sorted = sortEngines([
      engine('Zeta', 'undetected'),
      engine('alpha', 'type-unsupported'),
      engine('Kilo', 'malicious'),
      engine('Bravo', 'suspicious'),
      engine('Echo', 'harmless'),
      engine('avast', 'malicious'),
      engine('Delta', 'timeout'),
    ]);
    expect(sorted.map((e) => e.vendorName)).toEqual(['avast', 'Kilo', 'Bravo', 'Echo', 'Zeta', 'Delta', 'alpha']);
  });

  it('puts an engine that reports a detection ahead of engines that do not, whatever its category', () => {
    const sorted = sortEngines([engine('A', 'harmless'), engine('B', 'undetected', true)]);
    expect(sorted.map((e) => e.vendorName)).toEqual(['B', 'A']);
  });

  it('does not change the array it was given', () => {
    const detail = [engine('B', 'undetected'), engine('A', 'malicious')];
    sortEngines(detail);
    expect(detail.map((e) => e.vendorName)).toEqual(['B', 'A']);
  });
});
