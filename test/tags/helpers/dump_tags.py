#!/usr/bin/python3
"""Independent reader for Betti's tag-writer tests: python3-mutagen (Debian).

  dump_tags.py PATH...   prints one JSON object {path: {"id3": [2, 4, 0] | null, "tags": {key: [values]}}}
                         or {path: {"error": message}}

Keys as mutagen names them: ID3 frame ids ("TCON", "TMOO", "TXXX:BETTI_TAGS"), Vorbis comment
names upper-cased ("GENRE"), MP4 atoms ("\u00a9gen", "----:com.apple.iTunes:MOOD"). Values are
the text values in order (MP4 freeform bytes decoded as UTF-8). Run with /usr/bin/python3.
"""
import json
import sys

import mutagen
from mutagen.id3 import ID3


def values_of(v):
    if hasattr(v, "text"):
        return [str(x) for x in v.text]
    if isinstance(v, list):
        out = []
        for x in v:
            if isinstance(x, (bytes, bytearray)):
                out.append(bytes(x).decode("utf-8"))
            else:
                out.append(str(x))
        return out
    return [str(v)]


def dump(path):
    f = mutagen.File(path)
    if f is None:
        return {"error": "mutagen does not recognise the file"}
    tags = f.tags
    out = {"id3": None, "tags": {}}
    if tags is None:
        return out
    if isinstance(tags, ID3):
        out["id3"] = list(tags.version)
        for key, frame in tags.items():
            out["tags"][key] = values_of(frame)
        return out
    for key in tags.keys():
        name = key.upper() if not key.startswith(("\u00a9", "----", "aART", "trkn", "disk")) else key
        out["tags"].setdefault(name, []).extend(values_of(tags[key]))
    return out


result = {}
for p in sys.argv[1:]:
    try:
        result[p] = dump(p)
    except Exception as e:  # noqa: BLE001 - reported per file
        result[p] = {"error": f"{type(e).__name__}: {e}"}
print(json.dumps(result, ensure_ascii=False))
