// The names people see for a file's format and its tag formats. music-metadata's own names
// ("M4A/isom/iso2", "exif" for RIFF INFO) are precise but not what a filter menu should show.
import type { ContainerFormat } from './audio-payload.ts';

/** The formats `library.list` can filter on. */
export const formatNames = ['mp3', 'aac', 'flac', 'ogg', 'opus', 'm4a', 'wav', 'aiff', 'wma', 'ape', 'wavpack'] as const;

const BY_CONTAINER: Partial<Record<ContainerFormat, string>> = {
  flac: 'flac',
  mp4: 'm4a',
  wav: 'wav',
  aiff: 'aiff',
  asf: 'wma',
  ape: 'ape',
  wavpack: 'wavpack',
};

/**
 * The user-facing format of a file from its payload container and, when music-metadata read it,
 * its container name and codec. Null when neither recognised the file.
 */
export function formatName(container: ContainerFormat, containerName: string | null, codec: string | null): string | null {
  const mm = (containerName ?? '').toLowerCase();
  const cd = (codec ?? '').toLowerCase();
  if (container === 'mp3') return mm.startsWith('adts') || cd === 'aac' ? 'aac' : 'mp3';
  if (container === 'ogg') return cd.startsWith('opus') ? 'opus' : 'ogg';
  const byContainer = BY_CONTAINER[container];
  if (byContainer) return byContainer;
  if (mm === '') return null;
  if (mm.startsWith('mpeg')) return 'mp3';
  if (mm.startsWith('adts')) return 'aac';
  if (mm.startsWith('ogg')) return cd.startsWith('opus') ? 'opus' : 'ogg';
  if (mm.startsWith('flac')) return 'flac';
  if (mm.startsWith('m4a') || mm.startsWith('mp4') || mm.startsWith('isom') || mm.startsWith('3gp')) return 'm4a';
  if (mm.startsWith('wave') || mm.startsWith('rf64')) return 'wav';
  if (mm.startsWith('aiff')) return 'aiff';
  if (mm.startsWith('asf')) return 'wma';
  if (mm.startsWith('monkey')) return 'ape';
  if (mm.startsWith('wavpack')) return 'wavpack';
  return mm.split(/[/\s]/)[0] ?? null;
}

const TAG_TYPE_NAMES: Record<string, string> = {
  vorbis: 'Vorbis',
  exif: 'RIFF INFO', // music-metadata files WAV LIST/INFO chunks under "exif"
  iTunes: 'MP4',
  asf: 'ASF',
  matroska: 'Matroska',
};

/** A tag format as people know it: ID3v1, ID3v2.3, ID3v2.4, Vorbis, APEv2, MP4, ASF, RIFF INFO, AIFF. */
export function tagTypeName(musicMetadataTagType: string): string {
  return TAG_TYPE_NAMES[musicMetadataTagType] ?? musicMetadataTagType;
}
