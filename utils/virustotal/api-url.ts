import { DEFAULT_VT_API_URL } from './virustotal-client';

/** The VirusTotal API base this build talks to (the build variable WXT_VT_API_URL, else the real one). */
export function vtApiUrl(): string {
  const configured: unknown = import.meta.env.WXT_VT_API_URL;
  return typeof configured === 'string' && /^https?:\/\//.test(configured) ? configured.replace(/\/+$/, '') : DEFAULT_VT_API_URL;
}
