/**
 * Text from outside ScanDock (VirusTotal, a server, an exception, an old record) made safe to keep:
 * secrets removed, control and bidi characters dropped, whitespace collapsed, length capped.
 */

/** The longest text kept, unless the caller asks for less. */
export const MAX_TEXT = 300;

/** Control characters, bidi overrides and isolates: never let them into a message a person reads. */
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** A run of this many characters of a secret is redacted too: a server may echo a key cut short. */
const SECRET_PIECE = 12;

/** `text` without `secret`: whole, in any case, or any run of letters/digits holding a 12-character piece of it. */
function redact(text: string, secret: string): string {
  const out = text.split(secret).join('[redacted]');
  if (secret.length < SECRET_PIECE) return out;
  const lowerSecret = secret.toLowerCase();
  return out.replace(/[A-Za-z0-9_-]{12,}/g, (run) => {
    const lower = run.toLowerCase();
    for (let i = 0; i + SECRET_PIECE <= lower.length; i++) {
      if (lowerSecret.includes(lower.slice(i, i + SECRET_PIECE))) return '[redacted]';
    }
    return run;
  });
}

/** `text` with every secret redacted, control and bidi characters dropped, and cut to `max` characters. */
export function sanitizeText(text: string, secrets: readonly string[] = [], max = MAX_TEXT): string {
  let out = text;
  for (const secret of secrets) if (secret) out = redact(out, secret);
  out = out.replace(UNSAFE_CHARS, ' ').replace(/\s+/g, ' ').trim();
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}
