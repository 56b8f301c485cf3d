"""W9, collections (issue 14's benchmark): `diffcore collection build` over many pages of 50 captures.

The collections of `bench.many_pages` (P pages of 50 captures of 50 items,
as text folders and as WARC files), written once into the cache. Each run
is `python -m diffcore collection build INPUT -o DIR` end to end in a child
process, into a fresh folder:

- the local engine (a process pool of every core) over text at 500, 1,000
  and 2,000 pages: time linear and memory flat in the pages;
- the same 1,000 pages built again into their own folder, nothing changed:
  every page kept by its inputs' digest;
- the Dask engine (a LocalCluster of this machine, no scheduler given) over
  the 1,000 pages, whose dataset must be the local engine's, file for file
  and byte for byte;
- the 1,000 pages as WARC files, with both engines, the datasets compared
  alike (the smoke run builds its WARC files with the local engine only).

Figures of a run: wall time, CPU time of the command and every process it
waited for (its workers), the peak RSS of the command with all its
processes (the sum over the process tree, sampled every `bench.measure.SAMPLE` seconds)
and of its own process alone, the CPU time other work took on the machine
meanwhile, and the 1-minute load average before it. The grouping pass
(`group_pages`, which the command runs in its own process before any page
is folded) is timed apart in this process, for the paper estimate of many
pages on many workers. The floor the build is held to, at the base size:
`bench.parse_all --pages`, the same grouping and the same captures read,
dated and parsed, a page a task on every core, with nothing folded or
written.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.many_pages import Collection, collection
from bench.measure import Command, machine, run_module, tree_peak

SEED = 90
CAPTURES = 50
SIZES = (500, 1_000, 2_000)
BASE = 1_000
"""The size the targets name: the rebuild, the Dask engine and the WARC form run at it."""
SMOKE_SIZES = (3, 6)
SMOKE_CAPTURES = 8
DASK_FORMS = ("text", "warc")
SMOKE_DASK_FORMS = ("text",)
"""The forms built with the Dask engine too (a LocalCluster takes seconds to start, too long for every smoke run)."""
CAP = 900.0
SMOKE_CAP = 120.0


@dataclass(frozen=True)
class BuildRun:
    """One `collection build`: what it built, its times and its memory."""

    name: str
    """What the run is: "local", "dask", "rebuild"."""
    form: str
    pages: int
    captures: int
    seconds: float | None
    """None when stopped at the cap."""
    cpu: float | None
    """CPU seconds of the command and its workers."""
    tree_rss: int | None
    """The peak of the RSS summed over the command's process tree (its workers included)."""
    max_rss: int | None
    """The peak RSS of the command's own process."""
    others: float | None
    """CPU seconds other work took on the machine meanwhile."""
    load: float
    """The 1-minute load average before the run."""
    said: str
    """The command's summary line."""
    dataset: int | None
    """Bytes of the dataset written."""


@dataclass(frozen=True)
class W9Result:
    """W9: every build, which datasets matched, the grouping pass, the machine."""

    runs: tuple[BuildRun, ...]
    same: tuple[tuple[str, bool], ...]
    """(form, whether the Dask engine's dataset is the local engine's, file for file and byte for byte)."""
    grouping: tuple[tuple[str, int, float], ...]
    """(form, pages, seconds of `group_pages` in this process)."""
    floors: tuple[tuple[str, int, Command], ...]
    """(form, pages, the run of `bench.parse_all --pages`: the same captures grouped, read and parsed alone)."""
    sizes: tuple[tuple[str, int, int, int], ...]
    """(form, pages, bytes on disk, bytes of the captures as read) of each collection at the base size."""
    captures_per_page: int
    machine: str
    cores: int
    cap: float
    smoke: bool

    def run(self, name: str, form: str, pages: int) -> BuildRun | None:
        """The run of that name, form and size, if measured."""
        return next((r for r in self.runs if (r.name, r.form, r.pages) == (name, form, pages)), None)

    def floor(self, form: str, pages: int) -> float | None:
        """The seconds of grouping, reading and parsing that collection alone, if measured and not stopped."""
        done = next((run for f, p, run in self.floors if (f, p) == (form, pages)), None)
        return None if done is None or done.capped else done.seconds


def _build(source: Collection, output: Path, engine: str, cap: float) -> tuple[Command, int]:
    """`collection build` of the collection into `output` with `engine`; the command and its tree's peak RSS."""
    args = ["collection", "build", str(source.path), "-o", str(output), "--engine", engine]
    with tree_peak() as peak:
        done = run_module("diffcore", args, timeout=cap)
    if not done.capped and done.returncode != 0:
        raise RuntimeError(f"diffcore collection build failed: {done.stderr.strip()[-2000:]}")
    return done, peak[0]


def _measure(name: str, source: Collection, output: Path, engine: str, cap: float) -> BuildRun:
    load = os.getloadavg()[0]
    done, tree = _build(source, output, engine, cap)
    said = next((line for line in reversed(done.stderr.splitlines()) if "wrote" in line), "")
    said = said.removeprefix("diffcore: ").replace(str(output), "DIR")
    if done.capped:
        return BuildRun(name, source.form, source.pages, source.captures, None, None, None, None, None, load, "", None)
    return BuildRun(
        name,
        source.form,
        source.pages,
        source.captures,
        done.seconds,
        done.cpu,
        tree or None,
        done.max_rss,
        done.others_cpu,
        load,
        said,
        sum(path.stat().st_size for path in output.rglob("*") if path.is_file()),
    )


def same_files(one: Path, other: Path) -> bool:
    """Whether two folders hold the same files with the same bytes."""

    def files(folder: Path) -> dict[str, Path]:
        return {path.relative_to(folder).as_posix(): path for path in folder.rglob("*") if path.is_file()}

    left, right = files(one), files(other)
    return left.keys() == right.keys() and all(left[name].read_bytes() == right[name].read_bytes() for name in left)


def _grouping(source: Collection) -> float:
    from diffcore.collection.grouping import group_pages

    started = time.perf_counter()
    group_pages([source.path])
    return time.perf_counter() - started


def run(smoke: bool = False, progress: Callable[[str], None] = lambda _: None) -> W9Result:
    """Every W9 build, smallest first, each into a fresh folder (the inputs are cached)."""
    cap = SMOKE_CAP if smoke else CAP
    sizes = SMOKE_SIZES if smoke else SIZES
    base = sizes[-1] if smoke else BASE
    captures = SMOKE_CAPTURES if smoke else CAPTURES
    runs: list[BuildRun] = []
    same: list[tuple[str, bool]] = []
    grouping: list[tuple[str, int, float]] = []
    floors: list[tuple[str, int, Command]] = []
    written: list[tuple[str, int, int, int]] = []
    with tempfile.TemporaryDirectory(prefix="diffcore-bench-w9-") as tmp:
        root = Path(tmp)
        for form in ("text", "warc"):
            for pages in sizes if form == "text" else (base,):
                progress(f"W9: {pages:,} pages of {captures} captures as {form} (written once, then cached)")
                source = collection(form, pages, captures, SEED)
                output = root / f"{form}-{pages}-local"
                progress(f"W9: collection build, {form}, {pages:,} pages, local engine")
                runs.append(_measure("local", source, output, "local", cap))
                if pages != base:
                    shutil.rmtree(output, ignore_errors=True)
                    continue
                written.append((form, pages, source.size, source.payload))
                grouping.append((form, pages, _grouping(source)))
                progress(f"W9: the same captures grouped, read and parsed alone, {form}, {pages:,} pages")
                floors.append((form, pages, run_module("bench.parse_all", ["--pages", str(source.path)], timeout=cap)))
                if form == "text":
                    again = root / f"{form}-{pages}-again"
                    shutil.copytree(output, again, copy_function=os.link)
                    progress(f"W9: collection build again, {form}, {pages:,} pages, nothing changed")
                    runs.append(_measure("rebuild", source, again, "local", cap))
                    shutil.rmtree(again, ignore_errors=True)
                if form not in (SMOKE_DASK_FORMS if smoke else DASK_FORMS):
                    shutil.rmtree(output, ignore_errors=True)
                    continue
                progress(f"W9: collection build, {form}, {pages:,} pages, Dask engine (LocalCluster)")
                dask = root / f"{form}-{pages}-dask"
                runs.append(_measure("dask", source, dask, "dask", cap))
                same.append((form, same_files(output, dask)))
                shutil.rmtree(output, ignore_errors=True)
                shutil.rmtree(dask, ignore_errors=True)
    found = machine()
    return W9Result(
        tuple(runs),
        tuple(same),
        tuple(grouping),
        tuple(floors),
        tuple(written),
        captures,
        f"{found['CPU']}, {found['cores']} cores",
        int(found["cores"]),
        cap,
        smoke,
    )
