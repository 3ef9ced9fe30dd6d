// Independent readers for the tag-writer tests: python3-mutagen and exiftool read what Betti
// wrote; ffmpeg decodes the audio (md5 of the samples) and hashes the stream packets (md5 of the
// compressed stream as the container carries it). None of them shares code with Betti.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Id3Version, TagFormat } from '../../../src-main/tags/fields.ts';
import { formats } from '../../../src-main/tags/fields.ts';

const dumpScript = fileURLToPath(new URL('./dump_tags.py', import.meta.url));

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

export interface MutagenDump {
  id3: number[] | null;
  tags: Record<string, string[]>;
  error?: string;
}

export function mutagenRead(paths: readonly string[]): Record<string, MutagenDump> {
  return JSON.parse(run('/usr/bin/python3', [dumpScript, ...paths])) as Record<string, MutagenDump>;
}

/** exiftool's view: "Group:Tag" → values in file order (exiftool numbers duplicates Copy1, Copy2, … and leaves the last unnumbered). */
export function exiftoolRead(paths: readonly string[]): Record<string, Record<string, string[]>> {
  const groups = ['ID3v2_3:all', 'ID3v2_4:all', 'ID3v1:all', 'Vorbis:all', 'ItemList:all', 'iTunes:all', 'RIFF:all'];
  const out = JSON.parse(run('exiftool', ['-j', '-a', '-G1:4', '-b', '-charset', 'UTF8', ...groups.map((g) => `-${g}`), ...paths])) as Record<string, unknown>[];
  const result: Record<string, Record<string, string[]>> = {};
  for (const file of out) {
    const tags: Record<string, { copy: number; value: string }[]> = {};
    for (const [k, v] of Object.entries(file)) {
      if (k === 'SourceFile') continue;
      const parts = k.split(':');
      const copy = parts.length === 3 ? Number(parts[1]!.replace('Copy', '')) : Number.MAX_SAFE_INTEGER;
      const key = `${parts[0]}:${parts.at(-1)}`;
      (tags[key] ??= []).push({ copy, value: String(v) });
    }
    result[String(file.SourceFile)] = Object.fromEntries(Object.entries(tags).map(([k, vs]) => [k, vs.sort((a, b) => a.copy - b.copy).map((x) => x.value)]));
  }
  return result;
}

/** md5 of the decoded audio samples (ffmpeg's md5 muxer). */
export function decodedMd5(path: string): string {
  return run('ffmpeg', ['-nostdin', '-v', 'error', '-i', path, '-map', '0:a', '-f', 'md5', '-']).trim();
}

/** md5 of the audio stream's packets as stored (stream copy, no decoding). */
export function streamMd5(path: string): string {
  return run('ffmpeg', ['-nostdin', '-v', 'error', '-i', path, '-map', '0:a', '-c', 'copy', '-f', 'streamhash', '-hash', 'md5', '-']).trim();
}

/** The key mutagen uses for a field, and how its values are stored, per format and ID3 version. */
export function mutagenValues(dump: MutagenDump, format: TagFormat, field: string, id3Version: Id3Version, separator = '; '): string[] {
  const system = formats[format].system;
  if (system === 'vorbis') return dump.tags[field.toUpperCase()] ?? [];
  if (system === 'mp4') return dump.tags[field === 'GENRE' ? '©gen' : `----:com.apple.iTunes:${field}`] ?? [];
  const key = field === 'GENRE' ? 'TCON' : field === 'MOOD' && id3Version === '2.4' ? 'TMOO' : `TXXX:${field}`;
  const raw = dump.tags[key] ?? [];
  return id3Version === '2.3' ? raw.flatMap((v) => v.split(separator)) : raw;
}

function exifName(field: string): string {
  return field
    .split('_')
    .map((w) => w.charAt(0) + w.slice(1).toLowerCase())
    .join('');
}

/**
 * What exiftool shows for a field, next to what it should show for `values`. exiftool joins the
 * values of an ID3v2.4 text frame with "/", and shows only the first value of a multi-valued
 * TXXX frame (as "(NAME) value"); Vorbis comments and MP4 atoms it lists one by one.
 */
export function exiftoolView(tags: Record<string, string[]>, format: TagFormat, field: string, id3Version: Id3Version, values: readonly string[], separator = '; '): { got: string[]; want: string[] } {
  const system = formats[format].system;
  if (system === 'vorbis') return { got: tags[`Vorbis:${exifName(field)}`] ?? [], want: [...values] };
  if (system === 'mp4') return { got: tags[field === 'GENRE' ? 'ItemList:Genre' : `iTunes:${field === 'MOOD' ? 'Mood' : field}`] ?? [], want: [...values] };
  const group = id3Version === '2.3' ? 'ID3v2_3' : 'ID3v2_4';
  const join = id3Version === '2.3' ? separator : '/';
  const text = field === 'GENRE' || (field === 'MOOD' && id3Version === '2.4');
  if (text) return { got: tags[`${group}:${field === 'GENRE' ? 'Genre' : 'Mood'}`] ?? [], want: values.length ? [values.join(join)] : [] };
  const txxx = (tags[`${group}:UserDefinedText`] ?? []).filter((v) => v.startsWith(`(${field}) `));
  const first = id3Version === '2.3' ? values.join(separator) : values[0];
  return { got: txxx, want: values.length ? [`(${field}) ${first}`] : [] };
}
