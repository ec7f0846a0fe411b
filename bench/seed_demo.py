"""Benchmark: how long `manage.py seed_demo` takes on a fresh database, and again on the
seeded one (which changes nothing).

    python bench/seed_demo.py            # SQLite file and media in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zizhu_seed python bench/seed_demo.py

Runs the command as `scripts/run.sh` does (its own process, DEBUG on) after `migrate`, and
prints for each run the wall time, the CPU time of the process, the machine's load average
when it finished (other work on the machine stretches the wall time, not the CPU time) and
the command's own line. Target: under 30 s for the first run. A PostgreSQL database named
in DATABASE_URL must exist and be empty.
"""

import os
import resource
import subprocess  # nosec B404 (bench only: fixed argv)
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str], env: dict) -> tuple[float, float, str]:
    """(wall s, CPU s, last line of output) of `manage.py *args`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,  # nosec
                          capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = (done.stdout + done.stderr).strip().splitlines()
    return wall, cpu, lines[-1] if lines else ""


def main():
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DEBUG": "true", "MEDIA_ROOT": f"{tmp}/media"}
        env.setdefault("DATABASE_URL", f"sqlite:///{tmp}/seed.sqlite3")
        run(["migrate", "-v0"], env)
        for label in ("fresh database", "again (nothing to do)"):
            wall, cpu, line = run(["seed_demo"], env)
            load = os.getloadavg()[0]
            print(f"{label}: {wall:.1f} s wall, {cpu:.1f} s CPU, load {load:.1f} — {line}")


if __name__ == "__main__":
    main()
