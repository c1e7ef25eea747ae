/**
 * One plain lookup that tells whether VirusTotal takes a key: the EICAR test file's hash, which VirusTotal
 * knows and which says nothing about the person. Used to check a key being saved, and to confirm that a
 * ForbiddenError refuses the key itself before every scan pauses on it (VirusTotal also answers 403 for an
 * operation a key may not use, such as an upload, while the key still works for lookups).
 */
import { ScanFailure } from '../scan/scan-failure';
import type { VirusTotalClient } from './virustotal-client';
import { KEY_REFUSED_CODES } from './virustotal-errors';

export const EICAR_SHA256 = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';

/** VirusTotal's refusal of the key itself, or null when the lookup went through. Other failures are thrown. */
export async function keyRefusal(client: Pick<VirusTotalClient, 'getFile'>): Promise<ScanFailure | null> {
  try {
    await client.getFile(EICAR_SHA256);
    return null;
  } catch (error) {
    if (error instanceof ScanFailure && KEY_REFUSED_CODES.includes(error.problem.code)) return error;
    throw error;
  }
}
