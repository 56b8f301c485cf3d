"""Git-scraping histories: every committed version of a file is a capture, taken at its commit's time.

Read with the git command (`git log` for the commits, `git cat-file` for the
contents), which every such repository already needs; no repository hook or
configured command is run by either. The capture time is the committer time:
when the scraping job committed what it fetched.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

from diffcore.errors import InputError, SnapshotError
from diffcore.inputs.found import Found, Skipped
from diffcore.model import Source

NAME = "git"


def _git(args: list[str], where: str, cwd: Path) -> bytes:
    """Run git and return its output; a failure is one line naming `where` and git's own reason."""
    try:
        done = subprocess.run(
            ["git", "--no-pager", "--literal-pathspecs", "-c", "core.quotepath=off", *args],
            cwd=cwd,
            capture_output=True,
            check=False,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"},
        )
    except FileNotFoundError:
        raise InputError(where, "--git needs the git command, which is not installed") from None
    except OSError as exc:
        raise InputError(where, f"cannot run git: {exc.strerror}") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(where, f"git: {reason[-1] if reason else f'exit status {done.returncode}'}")
    return done.stdout


def repository_of(path: Path) -> tuple[Path, str]:
    """The work tree holding a path (which may no longer exist there), and the path within it."""
    where = str(path)
    if path.is_dir():
        raise InputError(where, "--git takes files whose history to read, not folders")
    folder = path.parent
    if not folder.is_dir():
        raise InputError(where, "no such folder")
    inside = _git(["rev-parse", "--is-inside-work-tree"], where, folder).strip()
    if inside != b"true":
        raise InputError(where, "not inside a git work tree")
    top = Path(_git(["rev-parse", "--show-toplevel"], where, folder).decode("utf-8", "surrogateescape").strip())
    relative = Path(os.path.relpath(folder.resolve() / path.name, top.resolve()))
    return top, relative.as_posix()


def find(path: Path, explicit: bool, digests: dict[str, Found]) -> Iterator[Found | Skipped]:
    """One capture per commit that added or changed the file, oldest first."""
    top, relative = repository_of(path)
    log = _git(
        ["log", "--format=%H %ct", "--diff-filter=AMT", "--no-renames", "--reverse", "--", relative],
        str(path),
        top,
    )
    commits = [line.split() for line in log.decode("ascii", "replace").splitlines() if line.strip()]
    if not commits:
        raise InputError(str(path), "no commit of this file in the git history")
    for commit, seconds in commits:
        yield Found(
            NAME,
            Source(relative, repository=str(top), commit=commit),
            captured_at=dt.datetime.fromtimestamp(int(seconds), dt.UTC),
            time_source="git-commit",
            explicit=explicit,
        )


def payload(source: Source) -> bytes:
    """The file as committed."""
    if source.repository is None or source.commit is None:
        raise SnapshotError(source.describe(), "not a committed file")
    try:
        return _git(["cat-file", "blob", f"{source.commit}:{source.path}"], source.describe(), Path(source.repository))
    except InputError as exc:
        raise SnapshotError(exc.source, exc.reason) from None
