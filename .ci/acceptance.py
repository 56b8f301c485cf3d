"""CI acceptance steps on a folder of real captures (skipped when it is absent).

- `diffcore show` on every capture: exit 0, zero unparsed lines, a capture date.
- `diffcore diff` on each consecutive pair (by capture date): exit 0 or 1, JSON
  that parses and holds the documented contract.
- `diffcore timeline` and `diffcore report` over the folder.
- The same captures as HTML pages, a Wayback folder (view mode, with stray
  files), a raw waybackpack folder, a WARC file and a git history, built in a
  temporary folder by `python -m synthetic.forms`: every report (each pair's
  change report and the timeline, as JSON) equals the text form's, apart from
  where each capture was read and when it was taken.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from contract import check_diff_contract, without_sources  # noqa: E402


def run(*args: str, ok: tuple[int, ...] = (0,)) -> str:
    """Run the diffcore command; fail loudly on an unexpected exit status."""
    done = subprocess.run(["diffcore", *args], capture_output=True, text=True)
    if done.returncode not in ok:
        sys.exit(f"FAIL: diffcore {' '.join(args)} exited {done.returncode}: {done.stderr.strip()}")
    return done.stdout


def main(folder: Path) -> None:
    if not folder.is_dir():
        print(f"acceptance: {folder} not present, skipped")
        return
    files = sorted(folder.glob("*.txt"))
    dated = []
    for path in files:
        snapshot = json.loads(run("show", str(path), "--format", "json"))
        if snapshot["unparsed"]:
            sys.exit(f"FAIL: {path}: {len(snapshot['unparsed'])} unparsed line(s)")
        if not snapshot["captured"] or not snapshot["items"]:
            sys.exit(f"FAIL: {path}: no capture date or no items")
        dated.append((snapshot["captured"], path))
        print(
            f"show ok: {path.name} {snapshot['captured']} {len(snapshot['items'])} items, "
            f"{len(snapshot['counters'])} counters, 0 unparsed"
        )
    dated.sort()
    for (_, old), (_, new) in itertools.pairwise(dated):
        document = json.loads(run("diff", str(old), str(new), "--format", "json", ok=(0, 1)))
        check_diff_contract(document)
        print(
            f"diff ok: {document['old']['captured']} -> {document['new']['captured']}: "
            f"{len(document['added'])} added, {len(document['dropped'])} dropped, "
            f"{len(document['edited'])} edited, {len(document['moved'])} moved"
        )
    timeline = json.loads(run("timeline", str(folder), "--format", "json"))
    print(f"timeline ok: {len(timeline['captures'])} captures, {len(timeline['items'])} items")
    with tempfile.TemporaryDirectory() as out:
        run("report", str(folder), "-o", out, "--format", "html")
        written = sorted(p.name for p in Path(out).rglob("*") if p.is_file())
        pages = [name for name in written if name.endswith(".html") and name != "index.html"]
        if "index.md" not in written or "index.html" not in written or len(pages) != len(dated) - 1:
            sys.exit(f"FAIL: report folder incomplete: {written}")
        print(f"report ok: {len(written)} files")


def _report(args: list[str], out: Path) -> dict[str, object]:
    """The JSON files of a report folder (change reports and timeline), without sources."""
    run("report", *args, "-o", str(out))
    return {
        str(path.relative_to(out)): without_sources(json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(out.rglob("*.json"))
    }


def forms(folder: Path) -> None:
    """Every other form of the captures gives the text form's reports."""
    if not folder.is_dir():
        return
    with tempfile.TemporaryDirectory() as tmp:
        built = Path(tmp) / "forms"
        subprocess.run(
            [sys.executable, "-m", "synthetic.forms", str(folder), str(built)],
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        expected = _report([str(folder)], Path(tmp) / "text")
        inputs = {
            "html": [str(built / "html")],
            "wayback": [str(built / "wayback")],
            "waybackpack": [str(built / "waybackpack")],
            "warc": [str(built / "captures.warc.gz")],
            "git": ["--git", str(built / "git" / "scrape" / "index.html")],
        }
        for name, args in inputs.items():
            got = _report(args, Path(tmp) / name)
            if got != expected:
                differ = sorted(key for key in expected.keys() | got.keys() if expected.get(key) != got.get(key))
                sys.exit(f"FAIL: the {name} form reports otherwise than the text form: {', '.join(differ)}")
            print(f"forms ok: {name}: {len(got)} JSON reports equal to the text form's")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
    forms(Path(sys.argv[1]))
