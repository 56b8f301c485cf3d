"""A capture's payload to the page text the parser reads.

Plain text is decoded; HTML decoded and extracted, or with a profile's
`[html]` selectors read element by element as record text; a feed read as
record text (`diffcore.inputs.records`).
"""

from __future__ import annotations

from dataclasses import dataclass

from diffcore.errors import SnapshotError
from diffcore.inputs.decoding import decode
from diffcore.inputs.sniff import PageFacts, sniffed_type
from diffcore.model import FEED_TYPES, MediaType
from diffcore.profile import HtmlSelectors


@dataclass(frozen=True)
class PageText:
    """The text of a capture, its media type, and what the page or feed says of itself."""

    text: str
    media_type: MediaType
    facts: PageFacts
    charset: str | None
    """The charset the container or the page declared, when the text was read in it."""


def page_text(
    data: bytes,
    where: str,
    media_type: MediaType | None,
    encoding: str | None = None,
    charset: str | None = None,
    selectors: HtmlSelectors | None = None,
) -> PageText:
    """The page text of a payload; its media type from its bytes when the container did not say.

    `charset` is the one the container declared (an HTTP header); `encoding`
    the user's, which overrides every other. With `selectors` (a profile's
    `[html]` table), an HTML page's text is the record text of the elements
    they pick.
    """
    kind: MediaType = media_type or sniffed_type(data)
    if kind in FEED_TYPES:
        from diffcore.inputs.feed import feed_text  # here: plain text needs no feed reader, nor HTML extractor

        feed = feed_text(data, where, encoding, charset)
        return PageText(feed.text, feed.media_type, feed.facts, charset)
    if kind == "text/plain":
        return PageText(decode(data, where, encoding), kind, PageFacts(None, None), charset)
    from diffcore.inputs.html import decode_html, html_text, page_facts

    html, declared = decode_html(data, where, encoding, charset)
    if selectors is None:
        text = html_text(html)
        if not text.strip():
            raise SnapshotError(where, "HTML page without text (after page chrome and archive markup)")
    else:
        from diffcore.inputs.records import record_text
        from diffcore.inputs.selectors import selected_records

        lead, records = selected_records(html, selectors)
        if not (lead or records):
            raise SnapshotError(where, f"no element matches the [html] item selector {selectors.item!r}, nor a title")
        text = record_text(lead, records)
    return PageText(text, kind, page_facts(html), declared)
