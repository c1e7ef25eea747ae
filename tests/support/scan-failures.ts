import { ScanFailure } from '@/utils/scan/scan-failure';

/** The ScanFailure a promise rejects with; anything else (or no rejection) fails the test. */
export async function failureOf(promise: Promise<unknown>): Promise<ScanFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ScanFailure) return error;
    throw error;
  }
  throw new Error('expected a ScanFailure');
}
