#!/usr/bin/python3
"""Makes the benchmark library: COUNT copies of the given small audio files, spread over
part<k>/artist<a>/album<b>/ folders (1,000 files per part), each retagged with its own title,
artist, album and track number by mutagen (so every file's tags differ; the audio does not).

  make_library.py OUT COUNT BASE_FILE...
"""
import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "test", "helpers"))
from mutagen_tags import write  # noqa: E402  (the same writer the library tests use)


def main():
    out, count, bases = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    for i in range(count):
        base = bases[i % len(bases)]
        ext = os.path.splitext(base)[1]
        folder = os.path.join(out, f"part{i // 1000}", f"artist{(i // 40) % 25:02d}", f"album{(i // 10) % 100:03d}")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"{i:05d} track{ext}")
        shutil.copyfile(base, path)
        write(path, {"title": f"Track {i}", "artists": [f"Artist {(i // 40) % 25}"], "album": f"Album {(i // 10) % 100}", "track": i % 10 + 1, "trackTotal": 10, "genres": ["Bench"]})


if __name__ == "__main__":
    main()
