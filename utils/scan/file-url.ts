/**
 * A path on disk as a `file:` address, as the browser reports a download's path (`DownloadItem.filename`):
 * POSIX (`/home/a/x y.zip`), Windows (`C:\Users\a\x.zip`) or a Windows share (`\\server\share\x.zip`).
 * Every segment is percent-encoded, so `#`, `?` and `%` in a file name stay part of the name.
 */
export function fileUrl(path: string): string {
  const windows = /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
  const segments = (windows ? path.replace(/\\/g, '/') : path).split('/');
  const encoded = segments.map((segment, i) => (windows && i === 0 && /^[A-Za-z]:$/.test(segment) ? segment : encodeURIComponent(segment))).join('/');
  // `//server/share/x` → file://server/share/x; `C:/x` → file:///C:/x; `/x` → file:///x.
  if (encoded.startsWith('//')) return `file:${encoded}`;
  return encoded.startsWith('/') ? `file://${encoded}` : `file:///${encoded}`;
}
