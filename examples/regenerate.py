"""Regenerate everything generated that the repository commits, or check it is fresh.

    python examples/regenerate.py          # rewrite reports/ and the README examples
    python examples/regenerate.py --check  # exit 1, naming what is stale

reports/ is `diffcore report examples/archive -o reports --format html`. The
README's examples are the fenced blocks that follow a marker line
`<!-- output of: diffcore ... -->`: each is the real output of that command,
run from the repository root.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT_COMMAND = ("report", "examples/archive", "-o", "{out}", "--format", "html")
MARKER = re.compile(r"^<!-- output of: (diffcore [^>]*?) -->\n```(\w*)\n(.*?)```\n", re.MULTILINE | re.DOTALL)


def diffcore(args: list[str]) -> str:
    """Run the diffcore command from the repository root; return its stdout."""
    done = subprocess.run(
        [sys.executable, "-m", "diffcore", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    if done.returncode not in (0, 1):
        raise SystemExit(f"diffcore {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def readme_text(readme: str) -> str:
    """The README with every marked example block replaced by its command's real output."""

    def fill(match: re.Match[str]) -> str:
        command, language = match[1], match[2]
        return f"<!-- output of: {command} -->\n```{language}\n{diffcore(shlex.split(command)[1:])}```\n"

    return MARKER.sub(fill, readme)


def write_reports(folder: Path) -> None:
    """Write the example report folder."""
    diffcore([part.format(out=folder) for part in REPORT_COMMAND])


def differences(fresh: Path, committed: Path) -> list[str]:
    """Files that differ between a fresh report folder and the committed one."""
    generated = {p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file()}
    kept = {p.relative_to(committed) for p in committed.rglob("*") if p.is_file() and p.name != "README.md"}
    stale = [f"reports/{name} (missing)" for name in sorted(generated - kept)]
    stale += [f"reports/{name} (not generated any more)" for name in sorted(kept - generated)]
    stale += [
        f"reports/{name} (differs)"
        for name in sorted(generated & kept)
        if not filecmp.cmp(fresh / name, committed / name, shallow=False)
    ]
    return stale


def stale() -> list[str]:
    """What is out of date: report files, and the README examples."""
    with tempfile.TemporaryDirectory() as fresh:
        write_reports(Path(fresh))
        found = differences(Path(fresh), ROOT / "reports")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    if readme_text(readme) != readme:
        found.append("README.md examples")
    return found


def main() -> int:
    """Regenerate, or with --check report what is stale."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when something is stale")
    if parser.parse_args().check:
        found = stale()
        for name in found:
            print(f"stale: {name}", file=sys.stderr)
        return 1 if found else 0
    readme = ROOT / "README.md"
    readme.write_text(readme_text(readme.read_text(encoding="utf-8")), encoding="utf-8")
    write_reports(ROOT / "reports")
    print("regenerated the README examples and reports/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
