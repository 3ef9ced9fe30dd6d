#!/usr/bin/python3
"""The reference reader of bench/scan: walks the given folders and reads, with python3-mutagen,
the same fields Betti's scan stores (tags, duration, sample rate, channels, bitrate, picture).
Prints the number of files read, of files mutagen could not read, and the seconds the walk and
the reads took inside this process (after start-up and imports).

  mutagen_reader.py FOLDER...
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "test", "helpers"))
from mutagen_tags import read_one  # noqa: E402  (the same field reader the library tests use)

AUDIO = {".mp3", ".flac", ".ogg", ".oga", ".opus", ".m4a", ".aac", ".wav", ".aif", ".aiff", ".wma", ".ape", ".wv"}


def main():
    t0 = time.perf_counter()
    read = failed = 0
    for root in sys.argv[1:]:
        for folder, dirs, files in os.walk(root):
            dirs.sort()
            for name in sorted(files):
                if os.path.splitext(name)[1].lower() not in AUDIO:
                    continue
                path = os.path.join(folder, name)
                st = os.stat(path)
                fields = {"size": st.st_size, "mtime": st.st_mtime}
                try:
                    fields.update(read_one(path))
                    read += 1
                except Exception:  # a bad file is counted, not fatal
                    failed += 1
    print(f"{read} {failed} {time.perf_counter() - t0:.4f}")


if __name__ == "__main__":
    main()
