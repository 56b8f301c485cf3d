"""The engines of `collection build`: a Dask cluster writes the dataset the local process pool writes, byte for byte.

The cluster here is a LocalCluster of threads in this process (fast to
start); .ci/collection_check.py runs a real `dask scheduler` and two
`dask worker` processes. Scheduler trouble is one line and exit 2.
"""

from __future__ import annotations

import logging
import multiprocessing
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import distributed
import pytest

from diffcore.collection import DaskEngine, LocalEngine, build_collection
from diffcore.collection.dataset import read_manifest
from diffcore.collection.fold import Settings, build_page
from diffcore.collection.grouping import PageInputs, group_pages
from diffcore.profile import default_profile
from tests.crawl import site_pages, write_folders, write_warc
from tests.support import Cli


@pytest.fixture(scope="module")
def client() -> Iterator[distributed.Client]:
    """A Dask LocalCluster of two single-thread workers in this process."""
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None, silence_logs=logging.ERROR
        ) as cluster,
        distributed.Client(cluster) as connected,
    ):
        yield connected


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Five pages in folders, three in a WARC file, and a page folder that holds no capture."""
    root = tmp_path_factory.mktemp("inputs")
    pages = site_pages(5, captures=3, seed=3)
    write_folders(root / "crawl", pages)
    (root / "crawl" / "empty").mkdir()
    (root / "crawl" / "empty" / "notes.txt").write_text("nothing dated here\n", encoding="utf-8")
    write_warc(root / "crawl.warc.gz", site_pages(3, captures=3, seed=4))
    return [root / "crawl", root / "crawl.warc.gz"]


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_a_dask_cluster_writes_the_local_pool_s_dataset_byte_for_byte(
    client: distributed.Client, inputs: list[Path], tmp_path: Path
) -> None:
    local = build_collection(inputs, tmp_path / "local", engine=LocalEngine(workers=2))
    dask = build_collection(inputs, tmp_path / "dask", engine=DaskEngine(client=client))
    assert (dask.built, dask.failed, dask.problems) == (local.built, local.failed, local.problems)
    assert [page for page, _ in local.failed] == ["empty"]
    assert len(local.built) == 9
    files = _files(tmp_path / "local")
    assert len(files) == 3 + 7 * 8  # the report folder's record, manifest, errors; seven tables of eight pages
    assert _files(tmp_path / "dask") == files
    in_process = build_collection(inputs, tmp_path / "in-process", engine=LocalEngine(workers=1))
    assert in_process.built == local.built
    assert _files(tmp_path / "in-process") == files


def test_a_dask_rebuild_keeps_unchanged_pages(client: distributed.Client, inputs: list[Path], tmp_path: Path) -> None:
    first = build_collection(inputs, tmp_path / "dataset", engine=DaskEngine(client=client))
    again = build_collection(inputs, tmp_path / "dataset", engine=DaskEngine(client=client))
    assert again.built == tuple(page for page, _ in first.failed)  # only the page that failed is tried again
    assert sorted(again.kept) == sorted(set(first.built) - {page for page, _ in first.failed})
    manifest = read_manifest(tmp_path / "dataset")
    assert manifest is not None and len(manifest.pages) == len(first.built)


def _late_first(number: int) -> int:
    time.sleep(0.02 * (6 - number))
    return number * number


@pytest.mark.parametrize("engine", ["dask", "local"])
def test_results_come_in_the_pages_order_whatever_finishes_first(client: distributed.Client, engine: str) -> None:
    chosen = DaskEngine(client=client) if engine == "dask" else LocalEngine(workers=2)
    assert list(chosen.map(_late_first, range(7))) == [number * number for number in range(7)]


def test_a_scheduler_file_that_is_missing_or_not_one_is_one_line(cli: Cli, inputs: list[Path], tmp_path: Path) -> None:
    """distributed itself waits forever for a missing scheduler file, and fails with an AssertionError on an empty one."""
    (tmp_path / "empty.json").write_bytes(b"")
    (tmp_path / "other.json").write_text('{"workers": {}}', encoding="utf-8")
    cases = {
        "missing.json": "no such scheduler file (is the Dask scheduler running?)",
        "empty.json": "not a Dask scheduler file (no scheduler address in it)",
        "other.json": "not a Dask scheduler file (no scheduler address in it)",
        ".": "cannot read the scheduler file: Is a directory",
    }
    for name, reason in cases.items():
        args = ("collection", "build", *map(str, inputs), "-o", "out", "--engine", "dask", "--scheduler-file", name)
        run = cli(*args, cwd=tmp_path)
        assert (run.returncode, run.stdout, run.stderr) == (2, "", f"diffcore: {name}: {reason}\n"), name
    assert not (tmp_path / "out").exists()


def test_a_scheduler_nobody_answers_at_is_one_line(
    cli: Cli, inputs: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("diffcore.collection.engines.CONNECT_TIMEOUT", "1s")
    address = "tcp://127.0.0.1:9"  # discard: nothing listens there
    run = cli(
        "collection", "build", *map(str, inputs), "-o", "out", "--engine", "dask", "--scheduler", address, cwd=tmp_path
    )
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr.startswith(f"diffcore: {address}: cannot reach the Dask scheduler: ")
    assert run.stderr.count("\n") == 1
    local = cli("collection", "build", *map(str, inputs), "-o", "out", "--scheduler", address, cwd=tmp_path)
    assert (local.returncode, local.stderr) == (2, "diffcore: --scheduler: is for --engine dask\n")


def _fold_in_daemon(page: PageInputs, results: Any) -> None:
    result = build_page(page, Settings(default_profile()))
    results.put((result.error, result.captures))


def test_a_page_folds_in_a_process_that_may_not_start_processes(
    inputs: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Dask worker under its nanny is a daemonic process: the page's task must start none of its own, even
    where DIFFCORE_WORKERS asks for several (it did, and every page failed with an internal error)."""
    monkeypatch.setenv("DIFFCORE_WORKERS", "2")
    page = next(page for page in group_pages([inputs[0]]).pages if page.name != "empty")
    context = multiprocessing.get_context("fork")
    results = context.SimpleQueue()
    process = context.Process(target=_fold_in_daemon, args=(page, results), daemon=True)
    process.start()
    process.join(60)
    assert process.exitcode == 0
    assert results.get() == (None, 3)
