"""Run a command and print the CPU time of each of its processes (the importer and its workers).

    .venv/bin/python bench/cpu_by_process.py .venv/bin/newsarchive import --quiet --db X.db FOLDER

Samples /proc every half second, so a process that lives less than that may be missed, and the
last half second of each process is not counted. Linux only.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> list[int]:
    found = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                for child in handle.read().split():
                    found += descendants(int(child))
    except OSError:
        pass
    return found


def cpu_seconds(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def main(command: list[str]) -> int:
    started = time.perf_counter()
    process = subprocess.Popen(command)
    seen: dict[int, float] = {}
    while process.poll() is None:
        for pid in descendants(process.pid):
            seconds = cpu_seconds(pid)
            if seconds is not None:
                seen[pid] = seconds
        time.sleep(0.5)
    wall = time.perf_counter() - started
    print(f"wall {wall:.1f} s", file=sys.stderr)
    for pid, seconds in seen.items():
        role = "main" if pid == process.pid else "child"
        print(f"  {role} {pid}: {seconds:.1f} s CPU", file=sys.stderr)
    print(f"  total {sum(seen.values()):.1f} s CPU", file=sys.stderr)
    return process.returncode


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1:]))
