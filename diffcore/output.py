"""Writing outputs safely: never over an input, whole or not at all, one run at a time.

Every output is built beside its destination and moved into place only when
complete (`os.replace`, or a rename of a whole folder), so a run cut short
(Ctrl-C, a crash, a full disk) leaves the old output or the new one, never a
mix, and removes what it had built. Before anything is written, each
destination is compared with the files read as the same file (device and
inode), so no spelling of a path, symlink or hard link lets an output land on
an input.

A report folder is written only into a new or empty folder, or into one that
holds an earlier diffcore report: the `MANIFEST` file lists what diffcore
wrote there, and it never overwrites or deletes a file not listed, even with
`force` (which lets it write beside such files). Runs into one folder take
turns: each holds an exclusive `flock` on the folder while it writes.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import shutil
import stat
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from diffcore._pool import interrupts_held
from diffcore.errors import OutputError

MANIFEST = ".diffcore-report.json"
MANIFEST_FORMAT = "diffcore-report/1"
TEMP_SUFFIX = ".diffcore-tmp"

FileId = tuple[int, int]


def file_id(path: str | Path) -> FileId | None:
    """The (device, inode) of the file a path leads to, through any symlinks; None when there is none."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_dev, status.st_ino


def refuse_inputs(output: str | Path, inputs: Iterable[str | Path]) -> None:
    """Refuse to write `output` when it is one of the inputs, under any path or link."""
    target = file_id(output)
    if target is None:
        return
    for source in inputs:
        if file_id(source) == target:
            raise _overwrites_input(output, source)


def _overwrites_input(output: str | Path, source: str | Path) -> OutputError:
    return OutputError(str(output), f"refusing to overwrite an input file ({source})")


def same_file(first: str | Path, second: str | Path) -> bool:
    """Whether two outputs are one file: the same path once resolved (existing or not), or one existing file."""
    second_id = file_id(second)
    return os.path.realpath(first) == os.path.realpath(second) or (
        second_id is not None and file_id(first) == second_id
    )


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _mode_for(path: Path, default: int) -> int:
    """The permissions of the file being replaced, else what a plain `open` would give."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return default & ~_umask()


def _cannot_write(path: str | Path, exc: OSError) -> OutputError:
    return OutputError(str(path), f"cannot write: {exc.strerror or exc}")


def write_file_atomic(path: str | Path, data: bytes, inputs: Iterable[str | Path] = ()) -> None:
    """Write the whole file or nothing: a temporary sibling, moved over `path` once complete.

    Refused when `path` is one of `inputs`. A symlink at `path` is followed:
    the file it names is the one replaced. A device or a FIFO (such as
    /dev/null or /dev/stdout) is written to in place, never replaced.
    """
    write_stream_atomic(path, [data], inputs)


def write_stream_atomic(path: str | Path, chunks: Iterable[bytes], inputs: Iterable[str | Path] = ()) -> None:
    """`write_file_atomic` for an output made in pieces: each written to the temporary sibling as it comes.

    So a huge output is never whole in memory; `path` still gets all of it or
    nothing, whatever stops the pieces (an error raised while making them too).
    """
    refuse_inputs(path, inputs)
    if _is_special(path):
        _write_in_place(path, chunks)
        return
    target = Path(os.path.realpath(path))
    temp = _sibling(target)
    try:
        handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:  # the file is built beside its destination: say where that failed
        raise OutputError(
            str(path), f"cannot write: cannot create a file in {target.parent}: {exc.strerror or exc}"
        ) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    try:
        with os.fdopen(handle, "wb") as stream:
            for chunk in chunks:
                stream.write(chunk)
        os.chmod(temp, _mode_for(target, 0o666))
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise _cannot_write(path, exc) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _sibling(target: Path) -> Path:
    """A name beside `target` for the output built before it is moved in place.

    Chosen before the file or folder is made (as mkstemp and mkdtemp do not),
    so that whenever Ctrl-C comes, even as it is made, the name is known and
    the temporary is removed. 64 random bits: no other file has it.
    """
    return target.parent / f".{target.name}.{secrets.token_hex(8)}{TEMP_SUFFIX}"


def _is_special(path: str | Path) -> bool:
    """Whether `path` leads to an existing file that is not a regular file (a device, a FIFO, a socket).

    A folder is refused: no file can be written there.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    if stat.S_ISDIR(mode):
        raise OutputError(str(path), "is a folder, not a file")
    return not stat.S_ISREG(mode)


def _write_in_place(path: str | Path, chunks: Iterable[bytes]) -> None:
    """Write to a device or FIFO as it is: no temporary file, no rename, never a new file in its place."""
    try:
        handle = os.open(path, os.O_WRONLY | os.O_NOCTTY)
        with os.fdopen(handle, "wb") as stream:
            for chunk in chunks:
                stream.write(chunk)
    except OSError as exc:
        raise _cannot_write(path, exc) from None


def refuse_holding_inputs(folder: str | Path, inputs: Iterable[str | Path]) -> None:
    """Refuse a report folder that is an input folder or holds an input file at any depth."""
    target = file_id(folder)
    if target is None:
        return
    for source in inputs:
        if any(file_id(parent) == target for parent in Path(os.path.realpath(source)).parents):
            raise OutputError(str(folder), f"the report folder must not hold an input file ({source})")


@dataclass(frozen=True)
class FolderFiles:
    """Writes files of a report being built, by name, into its temporary folder.

    Picklable, so a worker process can write a report's files too; the
    `ReportWriter` must then `record` every name written, for the manifest.
    """

    temp: Path
    target: Path

    def write(self, name: str, text: str) -> None:
        """Write one file (`name` like "changes/0001_....md") into the temporary folder."""
        self.write_pieces(name, (text,))

    def write_pieces(self, name: str, pieces: Iterable[str]) -> None:
        """`write` for a file made in pieces, each written as it comes (the whole text is never in memory)."""
        path = self.temp / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("w", encoding="utf-8", newline="") as stream:
                stream.writelines(pieces)
        except OSError as exc:
            raise _cannot_write(self.target / name, exc) from None


class ReportWriter:
    """Takes the files of one report folder, by name relative to it, into a temporary folder."""

    def __init__(self, temp: Path, target: Path) -> None:
        self.files = FolderFiles(temp, target)
        self.names: set[str] = set()

    def write(self, name: str, text: str) -> None:
        """Add a file (`name` like "changes/0001_....md") to the report being built."""
        self.write_pieces(name, (text,))

    def write_pieces(self, name: str, pieces: Iterable[str]) -> None:
        """`write` for a file made in pieces (see `FolderFiles.write_pieces`)."""
        self.files.write_pieces(name, pieces)
        self.names.add(name)

    def record(self, names: Iterable[str]) -> None:
        """Take note of files written through `files` elsewhere (in a worker process)."""
        self.names.update(names)


@contextmanager
def report_folder(
    folder: str | Path, inputs: Sequence[str | Path] = (), force: bool = False, last: Sequence[str] = ()
) -> Iterator[ReportWriter]:
    """Build a report folder in a temporary sibling; put it in place when the body completes.

    A folder holding only an earlier report is swapped whole for the new one.
    Beside files diffcore did not write (allowed with a manifest, or `force`),
    each file is moved in on its own, the names in `last` (the indexes) after
    the rest, and the earlier report's files that the new one lacks are removed.
    On any failure, Ctrl-C included, the temporary folder is removed and the
    old report is left as it was.
    """
    target = Path(os.path.normpath(folder))
    if target.name in ("", ".", "..") or target.is_symlink():
        # A folder is renamed by its name in its parent; a link to a folder is
        # followed, so the folder it names is written and the link is kept.
        target = Path(os.path.realpath(target))
    refuse_holding_inputs(target, inputs)
    with _locked(target) as created:
        owned = _owned(target, force)
        beside_foreign = _has_foreign(target, owned)
        temp = _sibling(target)
        try:
            temp.mkdir(mode=0o700)
            writer = ReportWriter(temp, target)
            yield writer
            _refuse_linked_inputs(target, owned | writer.names, inputs)
            if beside_foreign:
                _move_in_one_by_one(temp, target, owned, writer.names, last)
            else:
                _swap_in(temp, target, writer.names)
        except OSError as exc:
            _discard(temp, target if created else None)
            raise _cannot_write(target, exc) from None
        except BaseException:
            _discard(temp, target if created else None)
            raise
        shutil.rmtree(temp, ignore_errors=True)


@contextmanager
def _locked(target: Path) -> Iterator[bool]:
    """Hold an exclusive lock on the folder, creating it when missing; yields whether this run created it.

    A run that waited for the lock checks that the path still names the folder
    it locked: the run before may have swapped in a new one.
    """
    while True:
        created = _make_folder(target)
        try:
            handle = os.open(target, os.O_RDONLY | os.O_DIRECTORY)
        except FileNotFoundError:
            continue
        except NotADirectoryError:
            raise OutputError(str(target), "is not a folder") from None
        except OSError as exc:
            raise OutputError(str(target), f"cannot open report folder: {exc.strerror}") from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            locked = os.fstat(handle)
            if file_id(target) == (locked.st_dev, locked.st_ino):
                yield created
                return
        finally:
            os.close(handle)


def _make_folder(target: Path) -> bool:
    try:
        target.mkdir(parents=True)
    except FileExistsError:
        return False
    except OSError as exc:
        raise OutputError(str(target), f"cannot create report folder: {exc.strerror}") from None
    return True


def _owned(target: Path, force: bool) -> frozenset[str]:
    """The files an earlier report listed in the folder's manifest; refuses a foreign folder without `force`."""
    try:
        text = (target / MANIFEST).read_text(encoding="utf-8")
    except FileNotFoundError:
        if force or not any(target.iterdir()):
            return frozenset()
        raise OutputError(
            str(target),
            "folder is not empty and holds no diffcore report "
            "(give a new or empty folder, or --force to write beside its files)",
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise OutputError(str(target / MANIFEST), f"cannot read the report manifest: {exc}") from None
    try:
        manifest = json.loads(text)
        files = manifest["files"] if manifest.get("format") == MANIFEST_FORMAT else None
    except (ValueError, AttributeError, KeyError):
        files = None
    if not isinstance(files, list) or not all(_is_plain_name(name) for name in files):
        raise OutputError(str(target / MANIFEST), "not a diffcore report manifest")
    return frozenset(files)


def _is_plain_name(name: object) -> bool:
    """A relative path inside the folder, never leading out of it."""
    return isinstance(name, str) and bool(name) and not Path(name).is_absolute() and ".." not in Path(name).parts


def _has_foreign(target: Path, owned: Collection[str]) -> bool:
    """Whether the folder holds anything besides the earlier report's files, their folders and the manifest."""
    ours = {MANIFEST, *owned, *(str(parent) for name in owned for parent in Path(name).parents)}
    for root, folders, files in os.walk(target):
        base = Path(root).relative_to(target)
        if any(str(base / name) not in ours for name in (*folders, *files)):
            return True
    return False


def _refuse_linked_inputs(target: Path, names: Iterable[str], inputs: Iterable[str | Path]) -> None:
    """Refuse when a file to be replaced or removed is an input under another name (a hard link).

    Each input's file is looked up once, not once per file of the folder: a
    collection rebuilt in place has a file per page and table, and an input
    file per capture.
    """
    present = [(name, found) for name in sorted(names) if (found := file_id(target / name)) is not None]
    if not present:
        return
    ids: dict[FileId, str | Path] = {}
    for source in inputs:
        if (found := file_id(source)) is not None:
            ids.setdefault(found, source)
    for name, found in present:
        if found in ids:
            raise _overwrites_input(target / name, ids[found])


def manifest_text(names: Iterable[str]) -> str:
    """The manifest: the files diffcore wrote, sorted (no dates, so reruns are byte-identical)."""
    document = {
        "format": MANIFEST_FORMAT,
        "note": "The files diffcore wrote here; a later run replaces or removes only these.",
        "files": sorted(names),
    }
    return json.dumps(document, indent=2) + "\n"


def _swap_in(temp: Path, target: Path, names: Collection[str]) -> None:
    """Replace the folder (empty, or an earlier report only) with the finished one.

    Ctrl-C and SIGTERM wait until the swap is done and the earlier report
    removed: coming between the renames, they would leave no folder (the
    earlier report moved aside), or the earlier report aside beside the new one.
    """
    (temp / MANIFEST).write_text(manifest_text(names), encoding="utf-8")
    os.chmod(temp, 0o777 & ~_umask())
    with interrupts_held():
        try:
            os.rename(temp, target)  # onto an empty folder: one atomic step
            return
        except OSError:
            pass
        aside = target.parent / f".{target.name}.{secrets.token_hex(4)}.old{TEMP_SUFFIX}"
        os.rename(target, aside)
        try:
            os.rename(temp, target)
        except BaseException:
            os.rename(aside, target)
            raise
        shutil.rmtree(aside, ignore_errors=True)


def _move_in_one_by_one(
    temp: Path, target: Path, owned: frozenset[str], names: Collection[str], last: Sequence[str]
) -> None:
    """Move each finished file over its old version, indexes last, beside files diffcore did not write."""
    for name in sorted(names):
        if name not in owned and os.path.lexists(target / name):
            raise OutputError(str(target / name), "refusing to overwrite a file diffcore did not write")
    _refuse_links(target, {MANIFEST, *owned, *names})
    # List every name first: a run cut short then leaves no file of ours unlisted.
    write_file_atomic(target / MANIFEST, manifest_text(owned | set(names)).encode("utf-8"))
    for name in sorted(names, key=lambda name: (name in last, last.index(name) if name in last else 0, name)):
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        os.replace(temp / name, target / name)
    write_file_atomic(target / MANIFEST, manifest_text(names).encode("utf-8"))
    for stale in sorted(owned - set(names)):
        (target / stale).unlink(missing_ok=True)


def _refuse_links(target: Path, names: Iterable[str]) -> None:
    """Refuse when a path to be written or removed in the folder is, or passes through, a symlink.

    A link could lead out of the folder, into an input folder say, and a later
    run would remove what was written there.
    """
    for name in sorted(names):
        path = target
        for part in Path(name).parts:
            path = path / part
            if path.is_symlink():
                raise OutputError(str(path), "is a symlink; refusing to write or remove anything through it")


def _discard(temp: Path, created: Path | None) -> None:
    """Remove the unfinished build, and the report folder when this run created it and it is still empty."""
    shutil.rmtree(temp, ignore_errors=True)
    if created is not None:
        with suppress(OSError):
            created.rmdir()
