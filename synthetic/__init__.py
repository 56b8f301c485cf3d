"""Synthetic archives of a fictional page, with the true changes recorded.

The page belongs to the Saltmere Lighthouse Trust, an invented charity. This
package is test and benchmark data, not part of the installed diffcore.

- `vocabulary`: the words, titles and paragraphs of the page;
- `layout`: the one layout writer, snapshot model to page text;
- `page`: a page's true state (`Page`, `Entry`, `Tally`) and its text and model;
- `truth`: the truth oracle (`compare`, `chronicle`, `truth_of`), kept
  independent of the diff engine;
- `churn`: seeded random churn (`Churn`, `iter_captures`, `generate`);
  `examples/make_archive.py` drives `truth.chronicle` with a scripted storyline.

The other forms of a capture, for diffcore's readers (imported by name, not
here, as they need resiliparse, warcio and git):

- `html`: a snapshot as an HTML page, its Wayback Machine view and raw forms,
  and encoded bytes (each extracts back to its text with diffcore's reader);
- `warcs`: WARC records and files, well formed and damaged;
- `gitrepo`: a git-scraping history, one commit per capture;
- `forms`: `python -m synthetic.forms SRC OUT` writes every form of a folder.

Everything is deterministic for a seed: one `random.Random` draws every choice,
and no result depends on set iteration order.
"""

from __future__ import annotations

from synthetic.churn import Churn, generate, iter_captures, random_pages
from synthetic.page import Entry, Page, Tally, new_entry, tally, tick
from synthetic.truth import (
    Archive,
    Capture,
    ChangeTruth,
    Truth,
    archive_of,
    chronicle,
    truth_of,
    truth_to_dict,
    write_archive,
)

__all__ = [
    "Archive",
    "Capture",
    "ChangeTruth",
    "Churn",
    "Entry",
    "Page",
    "Tally",
    "Truth",
    "archive_of",
    "chronicle",
    "generate",
    "iter_captures",
    "new_entry",
    "random_pages",
    "tally",
    "tick",
    "truth_of",
    "truth_to_dict",
    "write_archive",
]
