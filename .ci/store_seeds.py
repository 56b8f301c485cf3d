"""CI: the real captures added to a history store one by one, in shuffled order, give the batch timeline.

    python .ci/store_seeds.py ../shared/seeds

Each capture is added with its own `diffcore store add` run (as a crawler's
cron job would), in an order drawn from a seed that is printed; then `store
timeline` must print what `timeline` prints over the same files, as text and
as JSON, and `store verify` must find nothing. Skipped when the folder is absent.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(*args: str, ok: tuple[int, ...] = (0,)) -> str:
    """Run the diffcore command; fail loudly on an unexpected exit status."""
    done = subprocess.run(["diffcore", *args], capture_output=True, text=True)
    if done.returncode not in ok:
        sys.exit(f"FAIL: diffcore {' '.join(args)} exited {done.returncode}: {done.stderr.strip()}")
    return done.stdout


def main(folder: Path) -> None:
    if not folder.is_dir():
        print(f"store seeds: {folder} not present, skipped")
        return
    files = sorted(str(path) for path in folder.glob("*.txt"))
    seed = int(time.time())
    order = files[:]
    random.Random(seed).shuffle(order)
    with tempfile.TemporaryDirectory() as tmp:
        store = str(Path(tmp) / "seeds.db")
        for path in order:
            run("store", "add", store, path, ok=(0, 1))
        for args in ((), ("--format", "json"), ("--table", "presence")):
            stored = run("store", "timeline", store, *args)
            batch = run("timeline", *files, *args)
            if stored != batch:
                sys.exit(f"FAIL: store timeline {' '.join(args)} differs from timeline (order seed {seed})")
        print(run("store", "verify", store).strip())
    names = ", ".join(Path(path).name for path in order)
    print(f"store seeds ok: {len(files)} captures added one by one ({names}; order seed {seed}), same timeline")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
