"""`collection report`: an HTML index of a dataset's pages, ranked, each linking to a report of its own.

A page's report lists its item events after the first capture and its items
(first and last seen, gaps, edits), read from the dataset alone. Everything
printed is escaped (the templates autoescape); file names are the dataset's
own, made safe when it was built.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from diffcore.collection.dataset import dataset_files, read_manifest, read_table
from diffcore.collection.ranking import ITEM_EVENTS, ranked_pages
from diffcore.output import report_folder

if TYPE_CHECKING:
    import pandas as pd


def _cells(table: pd.DataFrame) -> list[dict[str, Any]]:
    """A table's rows with missing values as empty text, for the templates."""
    return [
        {str(key): "" if value is None or value != value else value for key, value in row.items()}
        for row in table.to_dict("records")
    ]


def write_collection_report(dataset: str | Path, folder: str | Path, force: bool = False) -> int:
    """Write `index.html` and `pages/<page file>.html` for every page built; the number of files written.

    The folder is written as every report folder is: complete or not at all,
    never over an input or a file diffcore did not write.
    """
    from diffcore.render.as_html import environment

    env = environment()
    ranking = ranked_pages(dataset)
    manifest = read_manifest(dataset)
    assert manifest is not None  # ranked_pages read it
    events = read_table(dataset, "events")
    captures = read_table(dataset, "captures")
    first_capture = events["page"].map(captures.groupby("page")["captured_at"].min())
    shown = events["event"].isin(ITEM_EVENTS) & ~(
        (events["event"] == "appeared") & (events["captured_at"] == first_capture)
    )
    events_by_page = dict(tuple(events[shown].groupby("page", sort=False)))
    items_by_page = dict(tuple(read_table(dataset, "items").groupby("page", sort=False)))
    pages = _cells(ranking)
    failed = [entry.page for entry in manifest.pages if entry.error is not None]
    name = Path(dataset).resolve().name
    with report_folder(folder, dataset_files(dataset), force=force) as out:
        out.write(
            "index.html",
            env.get_template("collection.html.j2").render(
                title=f"Collection {name}", pages=pages, captures=int(ranking["captures"].sum()), failed=failed
            ),
        )
        template = env.get_template("collection_page.html.j2")
        for page in pages:
            page_events = events_by_page.get(page["page"])
            page_items = items_by_page.get(page["page"])
            out.write(
                f"pages/{page['file']}.html",
                template.render(
                    page=page,
                    events=_cells(page_events) if page_events is not None else [],
                    items=_cells(page_items) if page_items is not None else [],
                ),
            )
    return 1 + len(pages)
