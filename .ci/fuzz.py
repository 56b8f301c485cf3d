"""A short, seeded fuzz pass through the installed `diffcore` command.

Mutates the committed fixtures (byte flips, truncation, control characters,
huge lines and counters, relabelled header fields, random Unicode, BOMs,
random bytes) and runs `diffcore show|diff|timeline --format json` on them as
a user would. Fails (exit 1) on a traceback, an exit status outside 0-2,
output that is not JSON, or more than one stderr line on exit 2.

Usage: python .ci/fuzz.py [CASES] [SEED]   (defaults: 100 cases, about 30 s on two cores; seed 0)
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
SEEDS = [path.read_bytes() for path in sorted(FIXTURES.glob("*.txt"))]
INSERTS = [
    b"\x00",
    b"\x1b[31m",
    b"\r",
    b"\x0c",
    b"\xc2\x85",
    b"\xe2\x80\xa8",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    "é ✓ 中文 \U0001f600".encode(),
    b"12 days have passed since ",
    b"05.08.2020 - ",
    b"Queries:\n",
]
ENCODINGS = [None, None, None, "utf-16", "cp1252", "utf-7", "rot13"]


def mutate(data: bytes, rng: random.Random) -> bytes:
    """Up to three random changes to a capture."""
    for _ in range(rng.randint(0, 3)):
        at = rng.randint(0, len(data))
        kind = rng.randrange(9)
        if kind == 0 and at < len(data):
            data = data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1 :]
        elif kind == 1:
            data = data[:at]
        elif kind == 2:
            data = data[:at] + rng.choice(INSERTS) + data[at:]
        elif kind == 3:
            data = data[:at] + b"\n" + b"x" * rng.randint(1000, 20000) + b"\n" + data[at:]
        elif kind == 4:
            data = data.replace(b"Visitor enquiries:", rng.choice([b"Visitor queries:", b"__:", b"X:"]))
        elif kind == 5:
            data = data.replace(b"412 days", rng.choice([b"9" * 19, b"1" * 5000, str(2**64).encode()]) + b" days")
        elif kind == 6:
            data = rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]) + data
        elif kind == 7:
            data = data.decode("utf-8", "replace").encode(rng.choice(["utf-16", "utf-32-be", "cp1252"]), "replace")
        else:
            data = data[:at] + rng.randbytes(rng.randint(1, 64)) + data[at:]
    return data


def run(args: list[str]) -> str | None:
    """The fault of one `diffcore` run, or None."""
    done = subprocess.run(["diffcore", *args], capture_output=True, timeout=60, check=False)
    err = done.stderr.decode("utf-8", "replace")
    if "Traceback" in err or "internal error" in err:
        return f"traceback or internal error: {err.strip()[-400:]}"
    if done.returncode not in (0, 1, 2):
        return f"exit {done.returncode}"
    if done.returncode == 2:
        return f"{len(err.splitlines())} stderr lines on exit 2: {err[:400]!r}" if len(err.splitlines()) > 1 else None
    try:
        json.loads(done.stdout)
    except ValueError as exc:
        return f"invalid JSON: {exc}"
    return None


def main(cases: int, seed: int) -> int:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        runs = []
        for case in range(cases):
            files = []
            for number in range(rng.randint(1, 3)):
                path = folder / f"{case}" / f"{number}.txt"
                path.parent.mkdir(exist_ok=True)
                path.write_bytes(mutate(rng.choice(SEEDS), rng))
                files.append(path)
            command = (
                ["show", str(files[0])]
                if case % 3 == 0
                else ["diff", str(files[0]), str(files[-1])]
                if case % 3 == 1
                else ["timeline", str(folder / f"{case}")]
            )
            encoding = rng.choice(ENCODINGS)
            runs.append((files, [*command, "--format", "json", *(["--encoding", encoding] if encoding else [])]))
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            faults = list(pool.map(run, [args for _, args in runs]))
        failures = 0
        for case, ((files, args), fault) in enumerate(zip(runs, faults, strict=True)):
            if fault:
                failures += 1
                kept = Path(tempfile.mkdtemp(prefix="diffcore-fuzz-"))
                for path in files:
                    (kept / path.name).write_bytes(path.read_bytes())
                print(f"FAIL case {case}: diffcore {' '.join(args)}: {fault} (inputs kept in {kept})")
    print(f"fuzz: {cases} cases, seed {seed}, {failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100, int(sys.argv[2]) if len(sys.argv) > 2 else 0))
