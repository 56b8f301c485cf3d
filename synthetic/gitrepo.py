"""A git-scraping history: a repository that commits a page's file once per capture.

`build_repo` commits each file version with its capture time as both author
and committer date, so `git log --format=%cI -- PATH` gives the capture times.
Every git call carries its identity and `safe.directory=*` on the command line
and ignores the global and system config, so it works as root, in CI, and with
no `~/.gitconfig`.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

NAME = "Saltmere Scraper"
EMAIL = "scraper@saltmere-trust.example"


def _env(when: dt.datetime | None = None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("GIT_") and key not in {"HOME", "XDG_CONFIG_HOME"}
    }
    env.update(
        {
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "HOME": os.devnull,
            "GIT_AUTHOR_NAME": NAME,
            "GIT_AUTHOR_EMAIL": EMAIL,
            "GIT_COMMITTER_NAME": NAME,
            "GIT_COMMITTER_EMAIL": EMAIL,
            "LC_ALL": "C",
            "TZ": "UTC",
        }
    )
    if when is not None:
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        stamp = when.isoformat()
        env["GIT_AUTHOR_DATE"] = stamp
        env["GIT_COMMITTER_DATE"] = stamp
    return env


def git(folder: str | Path, *args: str, when: dt.datetime | None = None) -> str:
    """Run git in `folder` and return its standard output; raises CalledProcessError on failure."""
    command = [
        "git",
        "-c",
        "safe.directory=*",
        "-c",
        f"user.name={NAME}",
        "-c",
        f"user.email={EMAIL}",
        "-c",
        "commit.gpgsign=false",
        "-c",
        "init.defaultBranch=main",
        "-c",
        "core.autocrlf=false",
        *args,
    ]
    done = subprocess.run(command, cwd=folder, env=_env(when), capture_output=True, text=True, check=True)
    return done.stdout


def build_repo(
    folder: str | Path,
    commits: Sequence[tuple[dt.datetime, str, bytes]],
    *,
    message: str = "Latest data: {path} at {when}",
) -> Path:
    """A new repository in `folder` with one commit per (time, path, content), in the order given.

    A commit whose content is unchanged is still made (`--allow-empty`), as
    scrapers that commit on a schedule do; the history of a path skips it.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    git(folder, "init", "-q")
    for when, relpath, content in commits:
        target = folder / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        git(folder, "add", "--", relpath)
        stamp = when.astimezone(dt.UTC).isoformat() if when.tzinfo else when.isoformat()
        git(folder, "commit", "-q", "--allow-empty", "-m", message.format(path=relpath, when=stamp), when=when)
    return folder


def log_dates(folder: str | Path, path: str) -> list[dt.datetime]:
    """The committer dates of the commits that changed `path`, oldest first (UTC)."""
    out = git(folder, "log", "--reverse", "--format=%cI", "--", path)
    return [dt.datetime.fromisoformat(line).astimezone(dt.UTC) for line in out.split()]


def file_at(folder: str | Path, commit: str, path: str) -> bytes:
    """The bytes of `path` at `commit`."""
    command = ["git", "-c", "safe.directory=*", "show", f"{commit}:{path}"]
    done = subprocess.run(command, cwd=folder, env=_env(), capture_output=True, check=True)
    return done.stdout
