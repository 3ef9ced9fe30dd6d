#!/usr/bin/python3
"""The reference writer of bench/write: python3-mutagen writing the same fields Betti writes
(Picard's conventions) to each file, in place, without verification.

  mutagen_write.py  (stdin: {"files": [...], "fields": {"GENRE": [..], "MOOD": [..], "BETTI_TAGS": [..]}})
  prints {"seconds": s, "files": n}: the time of the write loop alone (interpreter start excluded).
"""
import json
import sys
import time

import mutagen
from mutagen.id3 import ID3, TCON, TMOO, TXXX
from mutagen.mp4 import MP4, MP4FreeForm

job = json.load(sys.stdin)
fields = job["fields"]
t0 = time.perf_counter()
for path in job["files"]:
    f = mutagen.File(path)
    if f.tags is None:
        f.add_tags()
    tags = f.tags
    if isinstance(tags, ID3):
        tags.setall("TCON", [TCON(encoding=3, text=fields["GENRE"])])
        tags.setall("TMOO", [TMOO(encoding=3, text=fields["MOOD"])])
        tags.setall("TXXX:BETTI_TAGS", [TXXX(encoding=3, desc="BETTI_TAGS", text=fields["BETTI_TAGS"])])
        f.save(v2_version=4)
    elif isinstance(f, MP4):
        tags["\u00a9gen"] = fields["GENRE"]
        tags["----:com.apple.iTunes:MOOD"] = [MP4FreeForm(v.encode("utf-8")) for v in fields["MOOD"]]
        tags["----:com.apple.iTunes:BETTI_TAGS"] = [MP4FreeForm(v.encode("utf-8")) for v in fields["BETTI_TAGS"]]
        f.save()
    else:
        tags["GENRE"] = fields["GENRE"]
        tags["MOOD"] = fields["MOOD"]
        tags["BETTI_TAGS"] = fields["BETTI_TAGS"]
        f.save()
print(json.dumps({"seconds": time.perf_counter() - t0, "files": len(job["files"])}))
