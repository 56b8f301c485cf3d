"""An HTML page's items read straight from its elements, by a profile's `[html]` CSS selectors.

The elements the item selector picks, in document order, are the items;
within each, the other selectors pick its title, date, summary and link
(`diffcore.profile.HtmlSelectors` says each one's default). They are written
as record text (`diffcore.inputs.records`), which the parser reads as it
reads a feed's entries. resiliparse's DOM does the work, as its extractor
does for the page text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from diffcore.inputs.html import EXTRACT_OPTIONS, SKIP_ELEMENTS, original_url, strip_archive
from diffcore.inputs.records import Record
from diffcore.profile import HtmlSelectors

if TYPE_CHECKING:
    from resiliparse.parse.html import ElementNode

HEADINGS = "h1, h2, h3, h4, h5, h6"


def selected_records(html: str, selectors: HtmlSelectors) -> tuple[list[str], list[Record]]:
    """The lead lines (the page's title) and the records of the items the selectors pick."""
    from resiliparse.parse.html import HTMLTree

    tree = HTMLTree.parse(strip_archive(html))
    lead = [tree.title] if tree.title else []
    items = tree.document.query_selector_all(selectors.item) if tree.document is not None else []
    return lead, [_record(item, selectors) for item in items]


def _record(item: ElementNode, selectors: HtmlSelectors) -> Record:
    """One item element as a record."""
    title, title_text = _title(item, selectors)
    dated = item.query_selector(selectors.date or "time")
    summary = item.query_selector_all(selectors.summary) if selectors.summary else []
    return Record(
        date=None if dated is None else dated.getattr("datetime") or _text(dated),
        title=title_text,
        link=_link(item, title, selectors),
        summary=tuple(_text(node) for node in summary),
    )


def _title(item: ElementNode, selectors: HtmlSelectors) -> tuple[ElementNode | None, str]:
    """The item's title element and text: the title selector's first match (none: no title), by default its
    first heading, else its first link, else (no element) the item's whole text."""
    if selectors.title is not None:
        found = item.query_selector(selectors.title)
        return found, "" if found is None else _text(found)
    found = item.query_selector(HEADINGS)
    if found is None:
        found = item.query_selector("a[href]")
    return found, _text(item if found is None else found)


def _link(item: ElementNode, title: ElementNode | None, selectors: HtmlSelectors) -> str | None:
    """The item's link (Wayback rewriting undone): the link selector's `href`, else the title's own or its first
    link's, else the item's own or its first link's."""
    if selectors.link is not None:
        candidates = [item.query_selector(selectors.link)]
    else:
        inner = title.query_selector("a[href]") if title is not None else None
        candidates = [title, inner, item, item.query_selector("a[href]")]
    href = next((node.getattr("href") for node in candidates if node is not None and node.getattr("href")), None)
    return original_url(href)[0] if href and href.strip() else None


def _text(node: ElementNode) -> str:
    """An element's text on one line: the element as the profile picked it, hidden parts inside it, scripts and
    styles left out (as from the page text)."""
    from resiliparse.extract.html2text import extract_plain_text

    text: str = extract_plain_text(node.inner_html, skip_elements=list(SKIP_ELEMENTS), **EXTRACT_OPTIONS)
    return " ".join(text.split())
