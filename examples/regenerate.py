"""Regenerate everything generated that the repository commits, or check it is fresh.

    python examples/regenerate.py          # rewrite reports/ and the README examples
    python examples/regenerate.py --check  # exit 1, naming what is stale

reports/ is `diffcore report examples/archive -o reports --format html`.
examples/inputs/ holds the first captures of the example archive in the other
forms diffcore reads (HTML pages, a Wayback Machine download with stray files,
a WARC file), written by `python -m synthetic.forms`. The README's examples
are the fenced blocks that follow a marker line `<!-- output of: diffcore ... -->`:
each is the real output of that command, run from the repository root; after
`<!-- output in a git-scraping repository: diffcore ... -->` it is run in a git
history of the same captures, built in a temporary folder (a repository
cannot be committed inside this one); after `<!-- output in a history store:
diffcore store ... -->` it is run in a temporary folder where `examples` is
the repository's, so its store file is written there: the first such block
(`diffcore store add history.db examples/archive`) makes the store the
others read.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT_COMMAND = ("report", "examples/archive", "-o", "{out}", "--format", "html")
MARKER = re.compile(
    r"^<!-- output (of|in a git-scraping repository|in a history store|in a collection folder): (diffcore [^>]*?) -->"
    r"\n```(\w*)\n(.*?)```\n",
    re.MULTILINE | re.DOTALL,
)
COLLECTION_COMMAND = ("collection", "build", "examples/archive", "examples/inputs/captures.warc.gz", "-o", "dataset")
"""The collection the README's `in a collection folder` examples read (its command is shown in the README)."""
INPUTS = ROOT / "examples" / "inputs"
INPUT_CAPTURES = 4
"""How many of the example archive's captures (the first, by date) examples/inputs holds."""


def diffcore(args: list[str], cwd: Path = ROOT) -> str:
    """Run the diffcore command (from the repository root); return its stdout."""
    done = subprocess.run(
        [sys.executable, "-m", "diffcore", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    if done.returncode not in (0, 1):
        raise SystemExit(f"diffcore {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def readme_text(readme: str) -> str:
    """The README with every marked example block replaced by its command's real output."""
    with tempfile.TemporaryDirectory() as tmp:
        forms = Path(tmp) / "forms"
        write_forms(forms)
        places = {"of": ROOT, "in a git-scraping repository": forms / "git", "in a history store": Path(tmp) / "store"}
        places["in a history store"].mkdir()
        (places["in a history store"] / "examples").symlink_to(ROOT / "examples")
        places["in a collection folder"] = Path(tmp) / "collection"
        places["in a collection folder"].mkdir()
        (places["in a collection folder"] / "examples").symlink_to(ROOT / "examples")
        diffcore([*COLLECTION_COMMAND], places["in a collection folder"])

        def fill(match: re.Match[str]) -> str:
            where, command, language = match[1], match[2], match[3]
            output = diffcore(shlex.split(command)[1:], places[where])
            return f"<!-- output {where}: {command} -->\n```{language}\n{output}```\n"

        return MARKER.sub(fill, readme)


def write_forms(folder: Path) -> None:
    """Every form (`synthetic.forms`) of the example archive's first captures, in `folder`."""
    sys.path.insert(0, str(ROOT))
    from diffcore.load import scan
    from synthetic.forms import build_forms

    with tempfile.TemporaryDirectory() as tmp:
        for entry in scan([ROOT / "examples" / "archive"]).captures[:INPUT_CAPTURES]:
            shutil.copy(entry.path, tmp)
        build_forms(Path(tmp), folder)


def write_inputs(folder: Path) -> None:
    """examples/inputs: the HTML, Wayback and WARC forms (a git history cannot be committed here)."""
    with tempfile.TemporaryDirectory() as tmp:
        forms = Path(tmp) / "forms"
        write_forms(forms)
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        for name in ("html", "wayback", "captures.warc.gz"):
            source = forms / name
            if source.is_dir():
                shutil.copytree(source, folder / name)
            else:
                shutil.copy(source, folder / name)


def write_reports(folder: Path) -> None:
    """Write the example report folder."""
    diffcore([part.format(out=folder) for part in REPORT_COMMAND])


def differences(fresh: Path, committed: Path) -> list[str]:
    """Files that differ between a fresh folder and the committed one."""
    label = committed.relative_to(ROOT).as_posix()
    generated = {p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file()}
    kept = {p.relative_to(committed) for p in committed.rglob("*") if p.is_file() and p.name != "README.md"}
    stale = [f"{label}/{name} (missing)" for name in sorted(generated - kept)]
    stale += [f"{label}/{name} (not generated any more)" for name in sorted(kept - generated)]
    stale += [
        f"{label}/{name} (differs)"
        for name in sorted(generated & kept)
        if not filecmp.cmp(fresh / name, committed / name, shallow=False)
    ]
    return stale


def stale() -> list[str]:
    """What is out of date: report files, and the README examples."""
    with tempfile.TemporaryDirectory() as fresh:
        write_reports(Path(fresh))
        found = differences(Path(fresh), ROOT / "reports")
    with tempfile.TemporaryDirectory() as fresh:
        write_inputs(Path(fresh) / "inputs")
        found += differences(Path(fresh) / "inputs", INPUTS)
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
    write_inputs(INPUTS)
    readme = ROOT / "README.md"
    readme.write_text(readme_text(readme.read_text(encoding="utf-8")), encoding="utf-8")
    write_reports(ROOT / "reports")
    print("regenerated examples/inputs/, the README examples and reports/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
