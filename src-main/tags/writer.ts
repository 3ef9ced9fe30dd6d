// The tag writer behind a small interface: given a temporary copy (never the original: apply.ts
// owns that rule) and the final values of some of Betti's fields, it rewrites those fields and
// nothing else, in the place fields.ts names.
//
// Why node-taglib-sharp (a TypeScript port of TagLib#) and not taglib-wasm (TagLib 2.3 in wasm):
// `npm run bench -- write --writers` writes the same multi-valued Unicode GENRE/MOOD/custom
// fields with both, into copies of the same 10-second file per format, and reads them back with
// mutagen and exiftool. Measured (2 shared cores, mean in-place write per file):
// node-taglib-sharp 2.4 ms, taglib-wasm 3.8 ms. node-taglib-sharp was correct in every format;
// taglib-wasm wrote the right values but
//   1. cannot write ID3v2.3: version 1.5.1's save() always writes ID3v2.4 (no option), so the
//      "ID3v2.3 for players that need it" setting could not be honoured;
//   2. added an ID3v1 tag to MP3 files that had none (TagLib's save duplicates ID3v2 into ID3v1),
//      where Betti keeps ID3v1 as found;
//   3. in WAV, rewrote the RIFF INFO chunk and wrote an ID3 chunk exiftool does not read.
// node-taglib-sharp also lets Betti turn off every "default tag" the library would create, open
// exactly the one tag it writes, and write frames/keys/atoms explicitly; it is plain JS (no wasm
// to load or ship unpacked). Its quirks, handled here: it would create ID3v1 (and, in WAV,
// INFO/MovieID/DivX) tags unless the per-format default tag types are cleared; it joins several
// MP4 ©gen values into one string (so ©gen is written as data atoms directly); it throws when
// creating an ID3v2.3 tag in a WAV file (so tags are created at 2.4 and the version is set on
// the tag before saving).
import type * as NtsModule from 'node-taglib-sharp';
import type { File as NtsFile, Id3v2Tag, Id3v2UserTextInformationFrame, Mpeg4AppleTag, XiphComment } from 'node-taglib-sharp';
import type { Id3Version, TagFormat } from './fields.ts';
import { encodeValues, fieldAliases, fieldLocation, formats } from './fields.ts';

/** One field's complete new values (an empty list removes the field). */
export interface FieldWrite {
  readonly field: string;
  readonly values: readonly string[];
}

export interface WriteRequest {
  /** The temporary copy to rewrite in place. */
  readonly path: string;
  readonly format: TagFormat;
  readonly writes: readonly FieldWrite[];
  readonly id3Version: Id3Version;
  readonly separator: string;
}

export interface TagWriter {
  readonly name: string;
  write(req: WriteRequest): Promise<void>;
}

type Nts = typeof NtsModule.default;
let loaded: Promise<Nts> | undefined;

/** Loads node-taglib-sharp once (lazily: `betti --help` must not pay for it) and configures it. */
async function loadNts(): Promise<Nts> {
  loaded ??= (async () => {
    const nts = (await import('node-taglib-sharp')).default;
    const aiff = (await import('node-taglib-sharp/dist/aiff/aiffFileSettings.js')).default;
    const general = (await import('node-taglib-sharp/dist/settings.js')).default;
    // Create no tag the file does not have; Betti asks for the one it writes.
    for (const s of [nts.MpegAudioFileSettings, nts.WaveFileSettings, nts.FlacFileSettings, nts.OggFileSettings, aiff.default]) {
      if ('defaultTagTypes' in s) s.defaultTagTypes = nts.TagTypes.None;
    }
    general.default.copyExistingTagsToNewDefaultTags = false;
    nts.Id3v2Settings.defaultVersion = 4;
    nts.Id3v2Settings.forceDefaultVersion = false;
    nts.Id3v2Settings.defaultEncoding = nts.StringType.UTF8;
    nts.Id3v2Settings.useNumericGenres = false;
    return nts;
  })();
  return loaded;
}

export function createTagWriter(): TagWriter {
  return {
    name: 'node-taglib-sharp',
    async write(req) {
      const nts = await loadNts();
      const file = nts.File.createFromPath(req.path, formats[req.format].writerMime);
      try {
        switch (formats[req.format].system) {
          case 'id3v2':
            writeId3v2(nts, file, req);
            break;
          case 'vorbis':
            writeVorbis(nts, file, req);
            break;
          case 'mp4':
            writeMp4(nts, file, req);
            break;
        }
        file.save();
      } finally {
        file.dispose();
      }
    },
  };
}

function writeId3v2(nts: Nts, file: NtsFile, req: WriteRequest): void {
  const tag = file.getTag(nts.TagTypes.Id3v2, true) as Id3v2Tag;
  const version = req.id3Version === '2.3' ? 3 : 4;
  if (tag.version !== version) tag.version = version; // converts TYER/TDRC and friends
  const ids = nts.Id3v2FrameIdentifiers;
  const removeTxxx = (description: string) => {
    for (const f of [...tag.frames]) {
      if (f.frameId === ids.TXXX && (f as Id3v2UserTextInformationFrame).description === description) tag.removeFrame(f);
    }
  };
  for (const w of req.writes) {
    for (const alias of fieldAliases('id3v2', w.field)) {
      if (alias.startsWith('TXXX:')) removeTxxx(alias.slice(5));
      else tag.removeFrames(ids[alias as 'TCON' | 'TMOO' | 'TIT1']);
    }
    if (w.values.length === 0) continue;
    const loc = fieldLocation('id3v2', w.field, req.id3Version);
    if (loc.system !== 'id3v2') continue;
    const text = encodeValues(loc, w.values, req.separator);
    if (loc.kind === 'text') {
      const frame = nts.Id3v2TextInformationFrame.fromIdentifier(ids[loc.frame]);
      frame.text = text;
      tag.addFrame(frame);
    } else {
      const frame = nts.Id3v2UserTextInformationFrame.fromDescription(loc.description);
      frame.text = text;
      tag.addFrame(frame);
    }
  }
}

function writeVorbis(nts: Nts, file: NtsFile, req: WriteRequest): void {
  const comment = file.getTag(nts.TagTypes.Xiph, true) as XiphComment;
  for (const w of req.writes) {
    comment.removeField(w.field.toUpperCase());
    if (w.values.length) comment.setFieldAsStrings(w.field, ...w.values);
  }
}

function writeMp4(nts: Nts, file: NtsFile, req: WriteRequest): void {
  const tag = file.getTag(nts.TagTypes.Apple, true) as Mpeg4AppleTag;
  for (const w of req.writes) {
    const loc = fieldLocation('mp4', w.field, req.id3Version);
    if (loc.system !== 'mp4') continue;
    if (loc.kind === 'atom') {
      if (loc.atom === '©gen') tag.setQuickTimeData(nts.Mpeg4BoxType.GNRE, []); // drop iTunes' numeric genre
      const data = w.values.map((v) => nts.ByteVector.fromString(v, nts.StringType.UTF8));
      tag.setQuickTimeData(loc.atom === '©gen' ? nts.Mpeg4BoxType.GEN : nts.Mpeg4BoxType.GRP, data, nts.Mpeg4AppleDataBoxFlagType.ContainsText);
    } else {
      tag.setItunesStrings(loc.mean, loc.name, ...w.values);
    }
  }
}
