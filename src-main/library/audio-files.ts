// Which files a scan reads: audio by extension, and files whose extension says nothing (none, or
// one Betti does not know) when their first bytes are an audio container. A known non-audio
// extension (covers, playlists, rip logs) is never opened, so a rescan stays cheap.
import type { ContainerFormat } from './audio-payload.ts';
import { withFileSource } from './byte-source.ts';
import { sniffContainer } from './payload/sniff.ts';
import { skipLeadingId3v2 } from './payload/tags-around.ts';

/** Extensions of the formats Betti scans (music-metadata reads them all). */
export const AUDIO_EXTENSIONS: ReadonlySet<string> = new Set([
  'mp3', 'mp2', 'flac', 'ogg', 'oga', 'opus', 'spx', 'm4a', 'm4b', 'mp4', 'aac', 'wav', 'aif', 'aiff', 'aifc', 'wma', 'asf', 'ape', 'wv',
]);

/** Extensions that are certainly not audio: what music folders hold besides music. */
const NOT_AUDIO_EXTENSIONS: ReadonlySet<string> = new Set([
  'jpg', 'jpeg', 'png', 'gif', 'bmp', 'webp', 'tif', 'tiff', 'heic', 'txt', 'nfo', 'cue', 'log', 'm3u', 'm3u8', 'pls', 'xspf',
  'pdf', 'md', 'json', 'xml', 'html', 'htm', 'ini', 'db', 'sqlite', 'sfv', 'md5', 'ffp', 'accurip', 'lrc', 'url', 'ds_store',
  'zip', 'rar', '7z', 'gz', 'tar', 'torrent', 'exe', 'dll', 'iso', 'mkv', 'avi', 'mov', 'srt', 'doc', 'docx', 'rtf', 'csv',
  'db-wal', 'db-shm', 'part', 'tmp', 'bak',
]);

export type FileKind = 'audio-extension' | 'sniff' | 'skip';

/** A file name's extension, lower-cased, without the dot ('' for none, and for a hidden file's bare name). */
export function fileExtension(name: string): string {
  // lastIndexOf, not path.extname: this runs for every name of every rescan, mostly before the
  // JIT has warmed up, where a builtin is far cheaper than extname's loop over the characters.
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** What to do with a file name: read it (audio extension), sniff its content, or skip it. */
export function classifyFileName(name: string): FileKind {
  // Hidden files include macOS "._name.mp3" resource forks, which are not audio.
  if (name.startsWith('.')) return 'skip';
  const ext = fileExtension(name);
  if (AUDIO_EXTENSIONS.has(ext)) return 'audio-extension';
  if (NOT_AUDIO_EXTENSIONS.has(ext)) return 'skip';
  return 'sniff';
}

/** The container a file's content says it is ('unknown' when not audio or unreadable). */
export async function sniffAudioFile(path: string): Promise<ContainerFormat> {
  try {
    return await withFileSource(path, async (src) => {
      const start = await skipLeadingId3v2(src);
      return sniffContainer(await src.read(start, 64), start > 0);
    });
  } catch {
    return 'unknown'; // unreadable: an extension-less file Betti cannot open is not claimed as audio
  }
}
