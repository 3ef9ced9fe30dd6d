// A small generated music folder for the browser tests (ffmpeg; a few seconds each, long enough
// for several analysis windows), the API called from the test (to compute expectations the UI
// must match), and an independent reader of a field's values (music-metadata's native tags).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseFile } from 'music-metadata';
import type { MethodName, RequestOf, ResponseOf } from '../../../src-main/api/contract.ts';
import { routeOf } from '../../../src-main/api/contract.ts';
import { ffmpeg } from '../../helpers/ffmpeg-fixtures.ts';

interface Piece {
  name: string;
  ext: 'flac' | 'ogg' | 'mp3';
  source: string;
  seconds: number;
  meta: Record<string, string>;
}

const CODECS: Record<Piece['ext'], string[]> = {
  flac: ['-c:a', 'flac'],
  ogg: ['-c:a', 'libvorbis', '-q:a', '2'],
  mp3: ['-c:a', 'libmp3lame', '-b:a', '96k', '-id3v2_version', '4'],
};

const PIECES: Piece[] = [
  { name: 'tides', ext: 'flac', source: "aevalsrc='0.4*sin(2*PI*330*t)*(0.6+0.4*sin(2*PI*0.5*t))+0.05*random(0)':s=22050", seconds: 14, meta: { title: 'Tides', artist: 'Aurora Lane', album: 'Coast', genre: 'Ambient' } },
  { name: 'engine', ext: 'ogg', source: 'anoisesrc=c=brown:a=0.4:r=22050', seconds: 12, meta: { title: 'Engine Room', artist: 'The Quiet Engines', album: 'Machines' } },
  { name: 'steps', ext: 'mp3', source: "aevalsrc='0.5*sin(2*PI*(220+110*floor(mod(t*4,4)))*t)*exp(-mod(t,0.25)*8)':s=22050", seconds: 13, meta: { title: 'Steps', artist: 'Mara Ostrova', album: 'Stairs' } },
  { name: 'chords', ext: 'flac', source: "aevalsrc='0.2*sin(2*PI*261.6*t)+0.2*sin(2*PI*329.6*t)+0.2*sin(2*PI*392*t)':s=22050", seconds: 12, meta: { title: 'Chords', artist: 'Nils Berg Trio', album: 'Triads' } },
];

/** Writes the pieces into `dir/music` and returns that folder. */
export function makeMusicFolder(dir: string): string {
  const music = join(dir, 'music');
  mkdirSync(music, { recursive: true });
  for (const p of PIECES) {
    const meta = Object.entries(p.meta).flatMap(([k, v]) => ['-metadata', `${k}=${v}`]);
    ffmpeg(['-f', 'lavfi', '-i', p.source, '-t', String(p.seconds), '-ac', '1', ...CODECS[p.ext], ...meta, join(music, `${p.name}.${p.ext}`)]);
  }
  return music;
}

/** Calls the served API as the test (not the page), with the token. */
export async function api<M extends MethodName>(base: { port: number; token: string }, name: M, request: RequestOf<M>): Promise<ResponseOf<M>> {
  const res = await fetch(`http://127.0.0.1:${base.port}${routeOf(name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${base.token}` },
    body: JSON.stringify(request),
  });
  const body = (await res.json()) as ResponseOf<M>;
  if (!res.ok) throw new Error(`${name}: HTTP ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/**
 * A field's values as music-metadata reads the file: Vorbis comments by name; ID3v2 GENRE (TCON),
 * MOOD (TMOO) or TXXX:<field>, a multi-valued frame's values one by one.
 */
export async function fieldValues(path: string, field: string): Promise<string[]> {
  const { native } = await parseFile(path, { skipCovers: true, duration: false });
  const out: string[] = [];
  for (const [type, tags] of Object.entries(native)) {
    const id3 = type.startsWith('ID3v2');
    const want = id3 ? (field === 'GENRE' ? 'TCON' : field === 'MOOD' ? 'TMOO' : `TXXX:${field}`) : field.toUpperCase();
    if (type === 'ID3v1') continue;
    for (const t of tags) {
      if ((id3 ? t.id : t.id.toUpperCase()) !== want) continue;
      const v = t.value as unknown;
      if (Array.isArray(v)) out.push(...v.map(String));
      else if (typeof v === 'object' && v !== null && 'text' in v) out.push(String((v as { text: unknown }).text));
      else out.push(String(v));
    }
  }
  return out;
}
