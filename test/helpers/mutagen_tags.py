#!/usr/bin/python3
"""The independent tag reader/writer of Betti's library tests: python3-mutagen (Debian).

  mutagen_tags.py read PATH...            prints one JSON object: {path: fields | {"error": msg}}
  mutagen_tags.py write PATH  (stdin: JSON fields)   writes the fields into the file's own tag format

Fields (the ones Betti's scan stores as typed columns): title, artists [..], album, albumartist,
track, trackTotal, disc, discTotal, year, genres [..], mood, bpm, comment, picture (bool), plus
stream facts from mutagen's .info: duration, sampleRate, channels, bitrate.
Missing fields are left out. Run with /usr/bin/python3 (the Debian one has mutagen).
"""
import base64
import json
import re
import sys

import mutagen
from mutagen import id3
from mutagen.apev2 import APEv2, APENoHeaderError
from mutagen.asf import ASF
from mutagen.flac import FLAC, Picture
from mutagen.mp4 import MP4, MP4Cover, MP4FreeForm

# 1x1 PNG: enough to say "this file has a picture"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def split_num(text):
    """'3/12' -> (3, 12); '3' -> (3, None)."""
    m = re.match(r"\s*(\d+)\s*(?:/\s*(\d+))?", str(text))
    if not m:
        return None, None
    return int(m.group(1)), (int(m.group(2)) if m.group(2) else None)


def year_of(text):
    m = re.match(r"\s*(\d{4})", str(text))
    return int(m.group(1)) if m else None


def put(out, key, value):
    if value is None or value == [] or value == "":
        return
    out[key] = value


# ---------------------------------------------------------------- reading


def read_id3(tags, out):
    def text(fid):
        f = tags.get(fid)
        return list(f.text) if f is not None else []

    put(out, "title", (text("TIT2") or [None])[0])
    put(out, "artists", [str(a) for a in text("TPE1")])
    put(out, "album", (text("TALB") or [None])[0])
    put(out, "albumartist", (text("TPE2") or [None])[0])
    if text("TRCK"):
        n, of = split_num(text("TRCK")[0])
        put(out, "track", n)
        put(out, "trackTotal", of)
    if text("TPOS"):
        n, of = split_num(text("TPOS")[0])
        put(out, "disc", n)
        put(out, "discTotal", of)
    date = text("TDRC") or text("TYER")
    if date:
        put(out, "year", year_of(date[0]))
    genres = []
    for g in tags.getall("TCON"):
        genres.extend(g.genres)
    put(out, "genres", genres)
    mood = text("TMOO")
    if not mood:
        for t in tags.getall("TXXX"):
            if t.desc.upper() == "MOOD":
                mood = list(t.text)
    put(out, "mood", (mood or [None])[0])
    if text("TBPM"):
        put(out, "bpm", float(text("TBPM")[0]))
    # mutagen turns an ID3v1 comment into COMM:"ID3v1 Comment" when the ID3v2 tag has none
    comments = [c for c in tags.getall("COMM") if c.desc in ("", "ID3v1 Comment")]
    if comments:
        put(out, "comment", comments[0].text[0])
    put(out, "picture", bool(tags.getall("APIC")) or None)


def read_vorbis(tags, out, pictures=()):
    def vals(key):
        return tags.get(key) or []

    put(out, "title", (vals("title") or [None])[0])
    put(out, "artists", vals("artist"))
    put(out, "album", (vals("album") or [None])[0])
    put(out, "albumartist", (vals("albumartist") or vals("album artist") or [None])[0])
    for key, total_keys, a, b in (
        ("tracknumber", ("tracktotal", "totaltracks"), "track", "trackTotal"),
        ("discnumber", ("disctotal", "totaldiscs"), "disc", "discTotal"),
    ):
        if vals(key):
            n, of = split_num(vals(key)[0])
            put(out, a, n)
            for tk in total_keys:
                if of is None and vals(tk):
                    of = split_num(vals(tk)[0])[0]
            put(out, b, of)
    if vals("date") or vals("year"):
        put(out, "year", year_of((vals("date") or vals("year"))[0]))
    put(out, "genres", vals("genre"))
    put(out, "mood", (vals("mood") or [None])[0])
    if vals("bpm"):
        put(out, "bpm", float(vals("bpm")[0]))
    if vals("comment") or vals("description"):
        put(out, "comment", (vals("comment") or vals("description"))[0])
    put(out, "picture", (bool(pictures) or bool(vals("metadata_block_picture"))) or None)


def read_mp4(tags, out):
    def first(key):
        v = tags.get(key)
        return v[0] if v else None

    put(out, "title", first("\xa9nam"))
    put(out, "artists", list(tags.get("\xa9ART") or []))
    put(out, "album", first("\xa9alb"))
    put(out, "albumartist", first("aART"))
    if first("trkn"):
        put(out, "track", first("trkn")[0] or None)
        put(out, "trackTotal", first("trkn")[1] or None)
    if first("disk"):
        put(out, "disc", first("disk")[0] or None)
        put(out, "discTotal", first("disk")[1] or None)
    if first("\xa9day"):
        put(out, "year", year_of(first("\xa9day")))
    put(out, "genres", list(tags.get("\xa9gen") or []))
    mood = first("----:com.apple.iTunes:MOOD")
    put(out, "mood", bytes(mood).decode("utf-8") if mood is not None else None)
    if first("tmpo") is not None:
        put(out, "bpm", float(first("tmpo")))
    put(out, "comment", first("\xa9cmt"))
    put(out, "picture", bool(tags.get("covr")) or None)


def read_asf(tags, out):
    def vals(key):
        return [str(v) for v in tags.get(key, [])]

    put(out, "title", (vals("Title") or [None])[0])
    put(out, "artists", vals("Author"))
    put(out, "album", (vals("WM/AlbumTitle") or [None])[0])
    put(out, "albumartist", (vals("WM/AlbumArtist") or [None])[0])
    if vals("WM/TrackNumber"):
        n, of = split_num(vals("WM/TrackNumber")[0])
        put(out, "track", n)
        put(out, "trackTotal", of)
    if vals("WM/PartOfSet"):
        n, of = split_num(vals("WM/PartOfSet")[0])
        put(out, "disc", n)
        put(out, "discTotal", of)
    if vals("WM/Year"):
        put(out, "year", year_of(vals("WM/Year")[0]))
    put(out, "genres", vals("WM/Genre"))
    put(out, "mood", (vals("WM/Mood") or [None])[0])
    if vals("WM/BeatsPerMinute"):
        put(out, "bpm", float(vals("WM/BeatsPerMinute")[0]))
    put(out, "comment", (vals("Description") or [None])[0])
    put(out, "picture", bool(tags.get("WM/Picture")) or None)


def read_ape(tags, out):
    def vals(key):
        v = tags.get(key)
        return list(v) if v is not None and v.kind == 0 else []

    put(out, "title", (vals("Title") or [None])[0])
    put(out, "artists", vals("Artist"))
    put(out, "album", (vals("Album") or [None])[0])
    put(out, "albumartist", (vals("Album Artist") or [None])[0])
    if vals("Track"):
        n, of = split_num(vals("Track")[0])
        put(out, "track", n)
        put(out, "trackTotal", of)
    if vals("Disc"):
        n, of = split_num(vals("Disc")[0])
        put(out, "disc", n)
        put(out, "discTotal", of)
    if vals("Year") or vals("Date"):  # ffmpeg writes the year under "date"
        put(out, "year", year_of((vals("Year") or vals("Date"))[0]))
    put(out, "genres", vals("Genre"))
    put(out, "mood", (vals("Mood") or [None])[0])
    if vals("BPM"):
        put(out, "bpm", float(vals("BPM")[0]))
    put(out, "comment", (vals("Comment") or [None])[0])
    put(out, "picture", any(k.lower().startswith("cover art") for k in tags.keys()) or None)


def read_one(path):
    try:
        f = mutagen.File(path)
    except mutagen.MutagenError:
        # mutagen guesses MP3 for any file starting with ID3v2; an ADTS stream then fails to sync.
        if not path.lower().endswith(".aac"):
            raise
        from mutagen.aac import AAC

        f = AAC(path)
    if f is None:
        return {"error": "mutagen does not recognise the file"}
    out = {"kind": type(f).__name__}
    info = f.info
    put(out, "duration", getattr(info, "length", None))
    put(out, "sampleRate", getattr(info, "sample_rate", None))
    put(out, "channels", getattr(info, "channels", None))
    put(out, "bitrate", getattr(info, "bitrate", None) or None)
    tags = f.tags
    if tags is None and type(f).__name__ == "AAC":
        try:
            tags = id3.ID3(path)
        except id3.ID3NoHeaderError:
            tags = None
    if tags is None:
        return out
    if isinstance(tags, id3.ID3):
        read_id3(tags, out)
    elif isinstance(f, MP4):
        read_mp4(tags, out)
    elif isinstance(f, ASF):
        read_asf(tags, out)
    elif isinstance(tags, APEv2):
        read_ape(tags, out)
    else:  # Vorbis comments (FLAC, Ogg Vorbis/Opus/FLAC)
        read_vorbis(tags, out, getattr(f, "pictures", ()))
    return out


# ---------------------------------------------------------------- writing


def nums(n, of):
    return f"{n}/{of}" if of else str(n)


def write_id3(f, fields, v23, path):
    if type(f).__name__ == "AAC":  # raw ADTS: mutagen's AAC type has no tags; a bare ID3v2 tag works
        try:
            t = id3.ID3(path)
        except id3.ID3NoHeaderError:
            t = id3.ID3()
    else:
        if f.tags is None:
            f.add_tags()
        t = f.tags
    enc = 1 if v23 else 3
    if "title" in fields:
        t.add(id3.TIT2(encoding=enc, text=fields["title"]))
    if "artists" in fields:
        t.add(id3.TPE1(encoding=enc, text=fields["artists"] if not v23 else ["/".join(fields["artists"])]))
    if "album" in fields:
        t.add(id3.TALB(encoding=enc, text=fields["album"]))
    if "albumartist" in fields:
        t.add(id3.TPE2(encoding=enc, text=fields["albumartist"]))
    if "track" in fields:
        t.add(id3.TRCK(encoding=enc, text=nums(fields["track"], fields.get("trackTotal"))))
    if "disc" in fields:
        t.add(id3.TPOS(encoding=enc, text=nums(fields["disc"], fields.get("discTotal"))))
    if "year" in fields:
        t.add(id3.TDRC(encoding=enc, text=str(fields["year"])))
    if "genres" in fields:
        t.add(id3.TCON(encoding=enc, text=fields["genres"]))
    if "mood" in fields:
        if v23:
            t.add(id3.TXXX(encoding=enc, desc="MOOD", text=fields["mood"]))
        else:
            t.add(id3.TMOO(encoding=enc, text=fields["mood"]))
    if "bpm" in fields:
        t.add(id3.TBPM(encoding=enc, text=str(fields["bpm"])))
    if "comment" in fields:
        t.add(id3.COMM(encoding=enc, lang="eng", desc="", text=fields["comment"]))
    if fields.get("picture"):
        t.add(id3.APIC(encoding=enc, mime="image/png", type=3, desc="cover", data=PNG))
    if type(f).__name__ == "AAC":
        t.save(path, v2_version=3 if v23 else 4)
    else:
        f.save(v2_version=3 if v23 else 4)


def write_vorbis(f, fields):
    if f.tags is None:
        f.add_tags()
    t = f.tags
    for key, name in (("title", "TITLE"), ("album", "ALBUM"), ("albumartist", "ALBUMARTIST"), ("mood", "MOOD"), ("comment", "COMMENT")):
        if key in fields:
            t[name] = [fields[key]]
    if "artists" in fields:
        t["ARTIST"] = fields["artists"]
    if "genres" in fields:
        t["GENRE"] = fields["genres"]
    if "track" in fields:
        t["TRACKNUMBER"] = [str(fields["track"])]
        if fields.get("trackTotal"):
            t["TRACKTOTAL"] = [str(fields["trackTotal"])]
    if "disc" in fields:
        t["DISCNUMBER"] = [str(fields["disc"])]
        if fields.get("discTotal"):
            t["DISCTOTAL"] = [str(fields["discTotal"])]
    if "year" in fields:
        t["DATE"] = [str(fields["year"])]
    if "bpm" in fields:
        t["BPM"] = [str(fields["bpm"])]
    if fields.get("picture"):
        pic = Picture()
        pic.type, pic.mime, pic.desc, pic.data, pic.width, pic.height, pic.depth = 3, "image/png", "cover", PNG, 1, 1, 24
        if isinstance(f, FLAC):
            f.add_picture(pic)
        else:
            t["METADATA_BLOCK_PICTURE"] = [base64.b64encode(pic.write()).decode("ascii")]
    f.save()


def write_mp4(f, fields):
    if f.tags is None:
        f.add_tags()
    t = f.tags
    for key, name in (("title", "\xa9nam"), ("album", "\xa9alb"), ("albumartist", "aART"), ("comment", "\xa9cmt")):
        if key in fields:
            t[name] = [fields[key]]
    if "artists" in fields:
        t["\xa9ART"] = fields["artists"]
    if "genres" in fields:
        t["\xa9gen"] = fields["genres"]
    if "track" in fields:
        t["trkn"] = [(fields["track"], fields.get("trackTotal") or 0)]
    if "disc" in fields:
        t["disk"] = [(fields["disc"], fields.get("discTotal") or 0)]
    if "year" in fields:
        t["\xa9day"] = [str(fields["year"])]
    if "bpm" in fields:
        t["tmpo"] = [int(fields["bpm"])]
    if "mood" in fields:
        t["----:com.apple.iTunes:MOOD"] = [MP4FreeForm(fields["mood"].encode("utf-8"))]
    if fields.get("picture"):
        t["covr"] = [MP4Cover(PNG, imageformat=MP4Cover.FORMAT_PNG)]
    f.save()


def write_asf(f, fields):
    t = f.tags
    for key, name in (
        ("title", "Title"),
        ("album", "WM/AlbumTitle"),
        ("albumartist", "WM/AlbumArtist"),
        ("mood", "WM/Mood"),
        ("comment", "Description"),
    ):
        if key in fields:
            t[name] = [fields[key]]
    if "artists" in fields:
        t["Author"] = fields["artists"]
    if "genres" in fields:
        t["WM/Genre"] = fields["genres"]
    if "track" in fields:
        t["WM/TrackNumber"] = [str(fields["track"])]
    if "disc" in fields:
        t["WM/PartOfSet"] = [nums(fields["disc"], fields.get("discTotal"))]
    if "year" in fields:
        t["WM/Year"] = [str(fields["year"])]
    if "bpm" in fields:
        t["WM/BeatsPerMinute"] = [str(fields["bpm"])]
    f.save()


def write_ape(path, fields):
    try:
        t = APEv2(path)
    except APENoHeaderError:
        t = APEv2()
    for key, name in (("title", "Title"), ("album", "Album"), ("albumartist", "Album Artist"), ("mood", "Mood"), ("comment", "Comment")):
        if key in fields:
            t[name] = fields[key]
    if "artists" in fields:
        t["Artist"] = fields["artists"]
    if "genres" in fields:
        t["Genre"] = fields["genres"]
    if "track" in fields:
        t["Track"] = nums(fields["track"], fields.get("trackTotal"))
    if "disc" in fields:
        t["Disc"] = nums(fields["disc"], fields.get("discTotal"))
    if "year" in fields:
        t["Year"] = str(fields["year"])
    if "bpm" in fields:
        t["BPM"] = str(fields["bpm"])
    t.save(path)


def write(path, fields):
    fmt = fields.pop("tagFormat", None)
    if fmt == "ape":
        return write_ape(path, fields)
    f = mutagen.File(path)
    if f is None:
        raise SystemExit(f"mutagen does not recognise {path}")
    if isinstance(f, MP4):
        write_mp4(f, fields)
    elif isinstance(f, ASF):
        write_asf(f, fields)
    elif isinstance(f.tags, APEv2) or type(f).__name__ in ("WavPack", "MonkeysAudio"):
        write_ape(path, fields)
    elif type(f).__name__ in ("MP3", "AIFF", "WAVE", "AAC") or isinstance(f.tags, id3.ID3):
        write_id3(f, fields, fmt == "id3v2.3", path)
    else:
        write_vorbis(f, fields)


def main():
    cmd, *paths = sys.argv[1:]
    if cmd == "read":
        result = {}
        for p in paths:
            try:
                result[p] = read_one(p)
            except Exception as e:  # a bad file is a result, not a crash
                result[p] = {"error": f"{type(e).__name__}: {e}"}
        json.dump(result, sys.stdout)
    elif cmd == "write":
        write(paths[0], json.load(sys.stdin))
    else:
        raise SystemExit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
