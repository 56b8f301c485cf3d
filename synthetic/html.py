"""A snapshot as an HTML page, as the Wayback Machine serves it, and as encoded bytes.

Test data for diffcore's HTML readers: every form built here must extract back
to the text capture it came from. `snapshot_html` writes the page of the
Saltmere Lighthouse Trust with realistic site chrome (head scripts and styles,
a menu, a sidebar, hidden cookie banners, `<noscript>`, a footer) around a
`<main>` that holds the capture's lines, one block element a line.

The extractor is diffcore's own (`diffcore.inputs.html.html_text`: resiliparse
with the reader's options and skipped elements). What it does to
text, found by probing resiliparse 2.0.1:

- ASCII whitespace (space, tab, LF, CR, FF, VT) inside a block collapses to
  one space and is trimmed at the block's ends; NBSP (U+00A0) is kept as is,
  also at the ends and in runs, and so are the other Unicode spaces (U+2003,
  U+3000, U+2028), zero-width characters, U+FEFF and control characters
  other than NUL, which is dropped. A line of only NBSP stays a line.
- Entities decode once: `&amp;` gives "&", `&amp;amp;` gives "&amp;", so
  `html.escape` round-trips every text; `&nbsp;` and `&#xa0;` give NBSP.
- Table cells come back joined by tabs ("a\\t\\tb"): no tables in `<main>`.
- `<head>`, `<script>`, `<style>`, `<button>`, `<label>`, form fields, `<svg>`,
  `<img>` alt texts and `<noscript>` (with `noscript=False`) give no text;
  `<header>` is not skipped, so its chrome stands inside `<nav>`.
- `[style*="display:none"]` is a plain substring test: `display: none` (with
  a space) is not skipped, so the hidden chrome here is written without one.
- Blocks come back separated by blank lines, nested `<div>`s by one line
  end: blank lines are not preserved, only the non-blank lines and their order.

`content_lines` is the text capture as the extractor gives it back. A capture
with a run of spaces inside a line (a title "lamp  room") therefore comes back
with one space; diffcore's keys do not see the difference, its display texts do.

`cyrillic_snapshot` adds a Russian paragraph to the lead, for the
windows-1251 forms (`encode(html, "windows-1251")`).
"""

from __future__ import annotations

import codecs
import datetime as dt
import html
import re
from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import urljoin

from diffcore.inputs.html import html_text
from diffcore.model import Lead, Snapshot
from diffcore.profile import Profile
from synthetic.layout import lay_out

SITE = "Saltmere Lighthouse Trust"
BASE_URL = "https://www.saltmere-trust.example/news/"

_SPACES = re.compile(r"[ \t\n\r\f\v]+")
_BREAK = re.compile(r"\r\n|\r|\n")


def collapse(line: str) -> str:
    """A line as the extractor gives it: ASCII whitespace runs to one space, trimmed; NBSP kept; NUL dropped."""
    return _SPACES.sub(" ", line.replace("\x00", "")).strip(" ")


def content_lines(text: str) -> list[str]:
    """The non-blank lines of a text capture as the extractor gives them back, in order."""
    lines = (collapse(line) for line in _BREAK.split(text))
    return [line for line in lines if line]


def extract(page: str) -> str:
    """The page's text as diffcore's HTML reader extracts it; decode bytes first."""
    return html_text(page)


# --- the page ---------------------------------------------------------------------------------

_MENU = ("Home", "About us", "The lighthouse", "Visit", "Volunteer", "News", "Shop", "Contact", "Donate")
_SIDEBAR = (
    ("Opening hours", ("Tower: first Sunday of every month, 10:00-16:00", "Visitor centre: daily except Mondays")),
    ("Find us", ("Lantern Hill, Saltmere", "Parking at Crane Wharf, 400 m")),
    ("Newsletter", ("Four letters a year about the light and the harbour.",)),
)
_FOOTER = (
    "\u00a9 {year} {site}. Registered charity no. 1099999.",
    "The Lantern House, Lantern Hill, Saltmere SM1 4LT",
    "Privacy \u2013 Cookies \u2013 Accessibility \u2013 Sitemap",
)

_CSS_RULES = (
    ("body", "margin:0;font-family:Georgia,'Times New Roman',serif;color:#1d2733;background:#f7f5ef"),
    (".site-header", "background:#0b2a45;color:#fff;padding:12px 24px"),
    (".site-nav a", "color:#fff;text-decoration:none;margin-right:18px;font-size:15px"),
    (".site-nav a:hover", "text-decoration:underline"),
    ("main", "max-width:760px;margin:24px auto;padding:0 16px"),
    ("main h1", "font-size:15px;letter-spacing:.08em;text-transform:uppercase;color:#6b7785"),
    ("main h2", "font-size:22px;line-height:1.3;margin:28px 0 8px"),
    ("main p", "font-size:17px;line-height:1.6;margin:0 0 12px"),
    (".clock", "display:inline-block;margin-right:16px;font-variant-numeric:tabular-nums"),
    (".counters", "font-size:14px;color:#8a3b12"),
    ("aside", "float:right;width:240px;margin:24px;font-size:14px"),
    (".cookie-banner", "position:fixed;bottom:0;left:0;right:0;background:#222;color:#eee;padding:16px"),
    ("#donato", "position:fixed;right:16px;bottom:16px"),
    ("footer", "clear:both;background:#0b2a45;color:#c9d3de;padding:24px;font-size:13px"),
)


def _style() -> str:
    """A site stylesheet of realistic length, deterministic."""
    rules = [f"{selector}{{{body}}}" for selector, body in _CSS_RULES]
    for width in (480, 640, 768, 1024, 1280):
        inner = "".join(f"{selector}{{{body};zoom:1}}" for selector, body in _CSS_RULES[:8])
        rules.append(f"@media (min-width:{width}px){{{inner}}}")
    return "\n".join(rules)


def _script(seed: int) -> str:
    """A block of site JavaScript, deterministic; long enough to look like a real bundle."""
    parts = [
        "(function(w,d){'use strict';",
        "var cfg={site:'saltmere',consent:'cookie_consent_v2',endpoint:'/api/collect'};",
        "function ready(fn){if(d.readyState!=='loading'){fn();}else{d.addEventListener('DOMContentLoaded',fn);}}",
    ]
    for n in range(40):
        name = f"m{seed}_{n}"
        parts.append(
            f"function {name}(el,o){{o=o||{{}};if(!el){{return null;}}var r=el.getBoundingClientRect();"
            f"var k='{name}'+(o.key||'');if(w.localStorage){{try{{w.localStorage.setItem(k,String(r.top|0));}}"
            f"catch(e){{}}}}return {{top:r.top,left:r.left,width:r.width,height:r.height,id:{n}}};}}"
        )
    parts.append(
        "ready(function(){var b=d.getElementById('cookie-banner');if(b&&!d.cookie.match(/consent/)){b.hidden=false;}});"
    )
    parts.append("w.saltmere=cfg;})(window,document);")
    return "\n".join(parts)


def _kinds(placed: Snapshot, count: int) -> list[str]:
    """The element and class of each line of the laid-out text, by its line number."""
    kinds = ["p"] * (count + 1)
    header = placed.header
    kinds[header.date_line] = "h1"
    for clock in header.clocks:
        kinds[clock.line] = "div clock"
    for field in header.fields:
        kinds[field.lines[0]] = "div field-label"
        for line in field.lines[1:]:
            kinds[line] = "div field-value"
    for counter in header.counters:
        kinds[counter.line] = "p counters"
    if placed.lead is not None:
        kinds[placed.lead.lines[0]] = "h2 lead-title"
    for item in placed.items:
        kinds[item.lines[0]] = "h2 item-title"
        for line in item.lines[1:]:
            kinds[line] = "p summary"
    if placed.footer_line is not None:
        kinds[placed.footer_line] = "div all-messages"
    return kinds


def _blocks(lines: Sequence[str], kinds: Sequence[str]) -> str:
    """The lines as block elements, blank-line separated groups as sections."""
    sections: list[list[str]] = [[]]
    for number, line in enumerate(lines, start=1):
        if not collapse(line):
            if sections[-1]:
                sections.append([])
            continue
        tag, _, cls = kinds[number].partition(" ")
        attr = f' class="{cls}"' if cls else ""
        sections[-1].append(f"<{tag}{attr}>{html.escape(line, quote=True)}</{tag}>")
    return "\n".join('<section class="block">\n' + "\n".join(blocks) + "\n</section>" for blocks in sections if blocks)


def text_html(
    text: str,
    *,
    kinds: Sequence[str] | None = None,
    site: str = SITE,
    charset_meta: str | None = "utf-8",
    base_url: str = BASE_URL,
    year: int = 2020,
) -> str:
    """A realistic HTML page whose content is the lines of a text capture.

    `kinds` gives "tag class" for each line (index 0 unused); `<p>` by default.
    Deterministic: the same arguments give the same page.
    """
    lines = _BREAK.split(text)
    if kinds is None:
        kinds = ["p"] * (len(lines) + 1)
    e = html.escape
    root = urljoin(base_url, "/")
    charset = f'<meta charset="{e(charset_meta)}">\n' if charset_meta is not None else ""
    menu = "\n".join(f'<li><a href="{e(urljoin(root, _slug(name)))}">{e(name)}</a></li>' for name in _MENU)
    sidebar = "\n".join(
        f"<section><h3>{e(title)}</h3>\n" + "\n".join(f"<p>{e(line)}</p>" for line in body) + "\n</section>"
        for title, body in _SIDEBAR
    )
    footer = "\n".join(f"<p>{e(line.format(year=year, site=site))}</p>" for line in _FOOTER)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
{charset}<meta name="viewport" content="width=device-width, initial-scale=1">
<title>News \u2013 {e(site)}</title>
<meta name="description" content="News from the {e(site)}: the light, the pier and the harbour.">
<meta property="og:site_name" content="{e(site)}">
<meta property="og:url" content="{e(base_url)}">
<link rel="canonical" href="{e(base_url)}">
<link rel="icon" href="/favicon.ico">
<link rel="stylesheet" href="/static/css/site.css?v=3.2.1">
<link rel="stylesheet" href="/static/css/print.css" media="print">
<link rel="stylesheet" href="https://fonts.cdn.example/css?family=Merriweather:400,700">
<script src="/static/js/vendor.min.js"></script>
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NGO","name":"{e(site)}","url":"{e(root)}"}}</script>
<script>
{_script(1)}
</script>
<style>
{_style()}
</style>
</head>
<body class="news">
<div id="cookie-banner" class="cookie-banner" hidden>
<p>We use cookies to count visitors and remember your choices.</p>
<button type="button">Accept all</button> <button type="button">Settings</button>
</div>
<div class="cookie-settings" style="display:none">
<p>Strictly necessary cookies are always on. Statistics cookies help us improve the site.</p>
</div>
<header class="site-header">
<nav class="site-nav" aria-label="Main menu">
<a class="logo" href="{e(root)}"><img src="/static/img/logo.png" alt="{e(site)}" width="180" height="48"> {e(site)}</a>
<ul>
{menu}
</ul>
<form action="/search" method="get"><label for="q">Search</label> <input id="q" name="q" type="search"> <button>Go</button></form>
</nav>
</header>
<div id="donato"><a href="{e(urljoin(root, "donate/"))}">Donate</a> Keep the light shining</div>
<noscript><p>Please enable JavaScript to see the tower's live webcam.</p></noscript>
<main id="content">
{_blocks(lines, kinds)}
</main>
<aside class="sidebar">
{sidebar}
<p><img src="/static/img/tower.jpg" alt="The tower at dusk" width="240" height="160"></p>
</aside>
<footer class="site-footer">
{footer}
<nav aria-label="Footer"><a href="/privacy/">Privacy</a> <a href="/cookies/">Cookies</a></nav>
</footer>
<script src="/static/js/site.js?v=3.2.1"></script>
<script>
{_script(2)}
</script>
</body>
</html>
"""


def _slug(name: str) -> str:
    """A menu entry's path: "About us" -> "about-us/"."""
    return "" if name == "Home" else name.lower().replace(" ", "-") + "/"


def snapshot_html(
    snapshot: Snapshot,
    *,
    site: str = SITE,
    charset_meta: str | None = "utf-8",
    base_url: str = BASE_URL,
    profile: Profile | None = None,
) -> str:
    """The page of a snapshot: its text capture (`lay_out`) in `<main>`, inside site chrome.

    The date line is an `<h1>`, the lead and item titles `<h2>`s, other lines
    `<p>` or `<div>`; the extractor gives back `content_lines` of the text.
    """
    text, placed = lay_out(snapshot, profile)
    kinds = _kinds(placed, len(_BREAK.split(text)))
    return text_html(
        text, kinds=kinds, site=site, charset_meta=charset_meta, base_url=base_url, year=snapshot.captured.year
    )


CYRILLIC_PARAGRAPH = (
    "Маяк Солтмира снова светит: после ремонта фонарь повернулся в субботу вечером, "
    "и более двухсот человек смотрели на него с холма."  # noqa: RUF001
)


def cyrillic_snapshot(snapshot: Snapshot) -> Snapshot:
    """The snapshot with a Russian paragraph ending its lead (a lead is made when there is none)."""
    lead = snapshot.lead or Lead(title="Новости маяка", paragraphs=(), lines=())
    return replace(snapshot, lead=replace(lead, paragraphs=(*lead.paragraphs, CYRILLIC_PARAGRAPH)))


# --- the Wayback Machine ----------------------------------------------------------------------

WAYBACK = "https://web.archive.org"
RETRIEVED = dt.datetime(2024, 3, 1, 10, 22, 13, tzinfo=dt.UTC)
"""When the Wayback forms say the page was retrieved: fixed, so every form is deterministic."""


def wayback_timestamp(when: dt.datetime) -> str:
    """The 14-digit UTC timestamp of the Wayback Machine: "20200807041741" (naive times are UTC)."""
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC)
    return when.strftime("%Y%m%d%H%M%S")


def _parse_timestamp(timestamp: str) -> dt.datetime:
    return dt.datetime.strptime(timestamp, "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)


_TAG = re.compile(r"<(a|link|script|img|form|iframe|source)\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""\b(href|src|action)=(["'])(.*?)\2""", re.IGNORECASE)
_KEEP = ("#", "mailto:", "tel:", "javascript:", "data:")


def rewrite_links(page: str, url: str, timestamp: str, *, prefix: str = WAYBACK) -> str:
    """Links resolved against `url` and rewritten to `PREFIX/web/TIMESTAMP<mode>/ORIGINAL`.

    The mode follows the Wayback Machine: `im_` for images, `cs_` for
    stylesheets, `js_` for scripts, none for pages.
    """

    def tag(match: re.Match[str]) -> str:
        name = match[1].lower()
        whole = match[0]
        if name == "img":
            mode = "im_"
        elif name == "script":
            mode = "js_"
        elif name == "link" and "stylesheet" in whole.lower():
            mode = "cs_"
        else:
            mode = ""

        def attr(found: re.Match[str]) -> str:
            target = html.unescape(found[3])
            if not target or target.startswith(_KEEP) or target.startswith(f"{prefix}/web/"):
                return found[0]
            absolute = urljoin(url, target)
            new = f"{prefix}/web/{timestamp}{mode}/{absolute}"
            return f"{found[1]}={found[2]}{html.escape(new, quote=True)}{found[2]}"

        return _ATTR.sub(attr, whole)

    return _TAG.sub(tag, page)


def _head_include(url: str, timestamp: str) -> str:
    e = html.escape
    seconds = int(_parse_timestamp(timestamp).timestamp())
    return f"""<script type="text/javascript" src="/_static/js/bundle-playback.js?v=1WaXNDFE" charset="utf-8"></script>
<script type="text/javascript" src="/_static/js/wombat.js?v=txqj7nKC" charset="utf-8"></script>
<script>window.RufflePlayer=window.RufflePlayer||{{}};window.RufflePlayer.config={{"autoplay":"on","unmuteOverlay":"hidden"}};</script>
<script type="text/javascript" src="/_static/js/ruffle/ruffle.js"></script>
<script type="text/javascript" src="/_static/js/athena.js?v=P8XoPqNv" charset="utf-8"></script>
<script type="text/javascript">
  if (window.archive_analytics) {{ window.archive_analytics.values['server_name']="wwwb-app216.us.archive.org";
    window.archive_analytics.values['server_ms']=171; }}
</script>
<script type="text/javascript">
    __wm.init("{WAYBACK}/web");
  __wm.wombat("{e(url)}","{timestamp}","{WAYBACK}/","web","/_static/",
          "{seconds}");
</script>
<link rel="stylesheet" type="text/css" href="/_static/css/banner-styles.css?v=S1zqJCYt" />
<link rel="stylesheet" type="text/css" href="/_static/css/iconochive.css?v=3PDvdIFv" />
<!-- End Wayback Rewrite JS Include -->
"""


def _toolbar(url: str, timestamp: str) -> str:
    e = html.escape
    when = _parse_timestamp(timestamp)
    shown = f"{when:%b} {when.day:02d}, {when.year}"
    here = f"{WAYBACK}/web/{timestamp}/{url}"
    months = "".join(
        f'<td class="c"><a href="{WAYBACK}/web/{when.year}{m:02d}01000000*/{e(url)}">{dt.date(2000, m, 1):%b}</a></td>'
        for m in range(1, 13)
    )
    return f"""<!-- BEGIN WAYBACK TOOLBAR INSERT -->
<script>__wm.rw(0);</script>
<div id="wm-ipp-base" lang="en" style="display:none;direction:ltr;">
<div id="wm-ipp" style="position:fixed;left:0;top:0;right:0;">
<div id="wm-ipp-inside">
  <div id="wm-logo" style="float:left;width:110px;padding-top:12px;">
    <a href="/web/" title="Wayback Machine home page"><img src="/_static/images/toolbar/wayback-toolbar-logo-200.png" srcset="/_static/images/toolbar/wayback-toolbar-logo-100.png, /_static/images/toolbar/wayback-toolbar-logo-150.png 1.5x, /_static/images/toolbar/wayback-toolbar-logo-200.png 2x" alt="Wayback Machine" style="width:100px" border="0" /></a>
  </div>
  <div class="r" style="float:right;">
    <div id="wm-btns" style="text-align:right;height:25px;">
      <div id="wm-save-snapshot-success">success</div>
      <div id="wm-save-snapshot-fail">fail</div>
      <a href="#" onclick="__wm.share();return false;" title="Share via My Web Archive">Share</a>
      <a id="wm-expand" class="wm-btn wm-closed" href="#expand" onclick="__wm.ex(event);return false;"><span id="wm-expand-icon" class="iconochive-down-solid"></span> <span style="font-size:80%">About this capture</span></a>
    </div>
  </div>
  <table class="c" style="">
  <tbody><tr>
  <td class="u" colspan="2">
  <form target="_top" method="get" action="/web/submit" name="wmtb" id="wmtb"><input type="text" name="url" id="wmtbURL" value="{e(url)}" onfocus="this.focus();this.select();" /><input type="hidden" name="type" value="replay" /><input type="hidden" name="date" value="{timestamp}" /><input type="submit" value="Go" /></form>
  </td>
  <td class="n" rowspan="2" style="width:110px;">
  <table><tbody><tr class="m">{months}</tr>
  <tr class="d"><td class="c"><a href="{e(here)}">{when.day}</a></td></tr>
  <tr class="y"><td class="c">{when.year}</td></tr></tbody></table>
  </td>
  </tr>
  <tr>
  <td class="s"><a class="t" href="{WAYBACK}/web/{timestamp}*/{e(url)}" title="See a list of every capture for this URL">37 captures</a>
  <div class="r" title="Timespan for captures of this URL">18 Mar 2017 - {shown}</div>
  </td>
  </tr>
  </tbody></table>
</div>
<div id="wm-capinfo" style="border-top:1px solid #777;display:none; overflow:hidden">
  <div id="wm-capinfo-collected-by">
  <div style="background-color:#666;color:#fff;font-weight:bold;text-align:center">COLLECTED BY</div>
  <div style="padding:3px;position:relative" id="wm-collected-by-content">
    <div style="display:inline-block;vertical-align:top;width:50%;">
      <span class="c-logo" style="background-image:url(https://archive.org/services/img/alexacrawls);"></span>
      Organization: <a style="color:#33f;" href="https://archive.org/details/alexacrawls" target="_new"><span class="wm-title">Alexa Crawls</span></a>
      <div style="max-height:75px;overflow:hidden;position:relative;">
        <div style="position:absolute;top:0;left:0;width:100%;height:75px;background:linear-gradient(to bottom,rgba(255,255,255,0) 0%,rgba(255,255,255,0) 90%,rgba(255,255,255,1) 100%);"></div>
        Starting in 1996, Alexa Internet has been donating their crawl data to the Internet Archive.
      </div>
    </div>
  </div>
  </div>
  <div id="wm-capinfo-timestamps">
  <div style="background-color:#666;color:#fff;font-weight:bold;text-align:center" title="Timestamps for the elements of this page">TIMESTAMPS</div>
  <div><div id="wm-capresources" style="margin:0 5px 5px 5px;max-height:250px;overflow-y:scroll !important"></div>
  <div id="wm-capresources-loading" style="text-align:left;margin:0 20px 5px 5px;display:none"><img src="/_static/images/loading.gif" alt="loading" /></div>
  </div>
  </div>
</div>
</div>
<div id="wm-ipp-print">The Wayback Machine - {e(here)}</div>
</div>
<script type="text/javascript">//<![CDATA[
__wm.bt(750,27,25,2,"web","{e(url)}","{timestamp}",1996,"/_static/",["/_static/css/banner-styles.css?v=S1zqJCYt","/_static/css/iconochive.css?v=3PDvdIFv"], false);
  __wm.rw(1);
//]]></script>
<!-- END WAYBACK TOOLBAR INSERT -->
"""


def _trailer(timestamp: str, retrieved: dt.datetime) -> str:
    archived = _parse_timestamp(timestamp)
    return f"""<!--
     FILE ARCHIVED ON {archived:%H:%M:%S %b %d, %Y} AND RETRIEVED FROM THE
     INTERNET ARCHIVE ON {retrieved.astimezone(dt.UTC):%H:%M:%S %b %d, %Y}.
     JAVASCRIPT APPENDED BY WAYBACK MACHINE, COPYRIGHT INTERNET ARCHIVE.

     ALL OTHER CONTENT MAY ALSO BE PROTECTED BY COPYRIGHT (17 U.S.C.
     SECTION 108(a)(3)).
-->
<!--
playback timings (ms):
  captures_list: 0.589
  exclusion.robots: 0.076
  exclusion.robots.policy: 0.066
  esindex: 0.009
  cdx.remote: 18.251
  LoadShardBlock: 136.733 (3)
  PetaboxLoader3.datanode: 170.912 (4)
  load_resource: 96.113
  PetaboxLoader3.resolve: 53.872
-->"""


_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
_HTML_END = re.compile(r"</html\s*>", re.IGNORECASE)


def wayback_view(page: str, url: str, timestamp: str, *, retrieved: dt.datetime = RETRIEVED) -> str:
    """The page as the Wayback Machine's view mode serves it.

    The rewrite scripts go right after `<head>` (so `<meta charset>` lands past
    the first kilobyte), the toolbar right after `<body>`, links are rewritten
    to `https://web.archive.org/web/TIMESTAMP<mode>/ORIGINAL`, and the archive
    comments follow `</html>`.
    """
    view = rewrite_links(page, url, timestamp)
    head = _HEAD.search(view)
    if head is None:
        raise ValueError("the page has no <head>")
    view = view[: head.end()] + _head_include(url, timestamp) + view[head.end() :]
    body = _BODY.search(view)
    if body is None:
        raise ValueError("the page has no <body>")
    view = view[: body.end()] + "\n" + _toolbar(url, timestamp) + view[body.end() :]
    end = list(_HTML_END.finditer(view))
    cut = end[-1].end() if end else len(view)
    return view[:cut] + "\n" + _trailer(timestamp, retrieved) + "\n" + view[cut:].lstrip("\n")


def waybackpack_raw(page: str, url: str, timestamp: str, *, rebase_links: bool = False) -> str:
    """What waybackpack writes by default (the raw `id_` mode): the original page, links untouched.

    With `rebase_links`, links point into the archive as some other tools write them.
    """
    return rewrite_links(page, url, timestamp) if rebase_links else page


# --- bytes ------------------------------------------------------------------------------------

_META_CHARSET = re.compile(r"""(<meta\s+charset=["']?)([^"'\s/>]+)""", re.IGNORECASE)
_META_EQUIV = re.compile(
    r"""(<meta\s+http-equiv=["']?content-type["']?\s+content=["'][^"']*charset=)([^"'\s;]+)""", re.IGNORECASE
)


def encode(
    page: str,
    encoding: str,
    *,
    bom: bool = False,
    crlf: bool = False,
    fix_meta: bool = True,
    errors: str = "strict",
) -> bytes:
    """The page as bytes in `encoding`.

    `fix_meta` rewrites a `<meta charset>` (or http-equiv Content-Type) to name
    `encoding`; without it the page keeps what it said, which may now be wrong,
    and a page without a meta has its charset only where the caller puts it (an
    HTTP header). `bom` prefixes U+FEFF in the encoding (UTF-8/16/32 only;
    Python's "utf-16" and "utf-32" codecs write one whatever `bom` says),
    `crlf` ends lines with CR LF. `errors="xmlcharrefreplace"` writes what the
    encoding lacks as character references, which the extractor decodes.
    """
    if fix_meta:
        page = _META_CHARSET.sub(lambda m: m[1] + encoding, page)
        page = _META_EQUIV.sub(lambda m: m[1] + encoding, page)
    if crlf:
        page = re.sub(r"\r\n|\r|\n", "\r\n", page)
    data = page.encode(encoding, errors)
    if bom:
        if not encoding.lower().replace("_", "-").startswith("utf"):
            raise ValueError(f"{encoding} has no byte order mark")
        marks = (codecs.BOM_UTF8, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
        if not data.startswith(marks):  # "utf-16" and "utf-32" write their own mark
            data = "\ufeff".encode(encoding) + data
    return data
