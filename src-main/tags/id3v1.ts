// ID3v1 is kept exactly as found (DESIGN.md "Tags written"): a file without one does not get
// one, and an existing one keeps its 128 bytes. The writer is told not to create one; this
// module restores the trailer byte for byte in the temporary copy in case the writer re-rendered
// it, and verification checks the result.
import { open } from 'node:fs/promises';

const ID3V1_SIZE = 128;

/** The file's trailing ID3v1 tag (128 bytes starting with "TAG"), if it has one. */
export async function readId3v1(path: string): Promise<Buffer | undefined> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    if (size < ID3V1_SIZE) return undefined;
    const buf = Buffer.alloc(ID3V1_SIZE);
    await fh.read(buf, 0, ID3V1_SIZE, size - ID3V1_SIZE);
    return buf.subarray(0, 3).toString('latin1') === 'TAG' ? buf : undefined;
  } finally {
    await fh.close();
  }
}

/** Makes the copy's ID3v1 trailer what the original had (nothing, or the same 128 bytes). */
export async function restoreId3v1(copyPath: string, original: Buffer | undefined): Promise<void> {
  const current = await readId3v1(copyPath);
  if (!current && !original) return;
  if (current && original && current.equals(original)) return;
  const fh = await open(copyPath, 'r+');
  try {
    const { size } = await fh.stat();
    const base = current ? size - ID3V1_SIZE : size;
    await fh.truncate(base);
    if (original) await fh.write(original, 0, ID3V1_SIZE, base);
  } finally {
    await fh.close();
  }
}
