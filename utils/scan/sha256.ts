/** SHA-256 with WebCrypto, as lowercase hex. `crypto.subtle.digest` is one-shot: the bytes are in memory. */
export async function sha256Hex(data: BufferSource | Blob): Promise<string> {
  const buffer = data instanceof Blob ? await data.arrayBuffer() : data;
  const digest = await crypto.subtle.digest('SHA-256', buffer);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
