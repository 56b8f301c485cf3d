"""The engines of `collection build`: a Dask cluster writes the dataset the local process pool writes, byte for byte.

The cluster here is a LocalCluster of threads in this process (fast to
start); .ci/collection_check.py runs a real `dask scheduler` and two
`dask worker` processes. Scheduler trouble is one line and exit 2.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.crawl import site_pages, write_folders, write_warc
from tests.support import Cli


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
