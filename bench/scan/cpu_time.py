#!/usr/bin/python3
"""Runs a command and reports how long it took and how much CPU it used, so bench/scan can compare
the readers on a busy machine: the wall-clock time of a process depends on what else runs, its CPU
time (user + system, every thread and child) far less. The command's output passes through; the
report is the last line of stderr: `cpu_time wall=SECONDS cpu=SECONDS`. Exits with the command's
status.

  cpu_time.py COMMAND [ARG...]
"""
import resource
import subprocess
import sys
import time


def main():
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    status = subprocess.run(sys.argv[1:]).returncode
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    sys.stderr.write(f"cpu_time wall={wall:.4f} cpu={cpu:.4f}\n")
    sys.exit(status)


if __name__ == "__main__":
    main()
