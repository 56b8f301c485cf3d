"""Outputs, inputs and signals at the edges: devices, FIFOs, symlinks, odd names, closed streams."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tests.support import Cli, run_cli

ROOT = Path(__file__).resolve().parents[1]
CAPTURE = ROOT / "tests" / "fixtures" / "lighthouse_2020-08-07.txt"


def test_output_to_a_fifo_writes_into_it_and_keeps_it(cli: Cli, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader waiting, so the write does not block
    try:
        result = cli("show", str(CAPTURE), "-o", str(fifo))
        received = os.read(reader, 1 << 16)
    finally:
        os.close(reader)
    assert result.returncode == 0, result.stderr
    assert received.startswith(b"Snapshot ")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(tmp_path.iterdir()) == [fifo]


def test_output_to_dev_stdout_goes_to_standard_output() -> None:
    result = run_cli("show", str(CAPTURE), "-o", "/dev/stdout")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Snapshot ")


def test_output_onto_a_folder_is_one_line(cli: Cli, tmp_path: Path) -> None:
    result = cli("show", str(CAPTURE), "-o", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr == f"diffcore: {tmp_path}: is a folder, not a file\n"
