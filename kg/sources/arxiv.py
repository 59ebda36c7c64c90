"""Reader of arXiv API query results: Atom 1.0 feeds (RFC 4287) as documented in the arXiv API User's Manual
(https://info.arxiv.org/help/api/user-manual.html).

Each ``<entry>`` is a paper: ``<id>`` (``http://arxiv.org/abs/2106.09685v2``) gives the paper id without its
version, ``<title>`` and ``<summary>`` (white space folded) the title and abstract, ``<published>`` the date,
``<author><name>`` the authors and ``<link rel="alternate">`` the abs page URL. Parsed with
:mod:`xml.etree.ElementTree`; documents that declare entities are refused (no entity expansion attacks).
"""

import re
import xml.etree.ElementTree as ET

from ..errors import InputError
from ..records import Paper, paper_id_for_title
from .fields import arxiv_id, bad_record, fold, iso_date

__all__ = ["ATOM", "parse_arxiv"]

#: The Atom namespace, in ElementTree's ``{uri}`` form.
ATOM = "{http://www.w3.org/2005/Atom}"

_ENTRY_TAG = re.compile(r"<(?:[\w.-]+:)?entry[\s>/]")
_POSITION = re.compile(r":\s*line \d+, column \d+$")


def _entry_lines(text, count):
    """Line of each ``<entry`` start tag, or None when the text does not show exactly `count` of them."""
    starts = [m.start() for m in _ENTRY_TAG.finditer(text)]
    if len(starts) != count:
        return None
    lines, last, line = [], 0, 1
    for pos in starts:
        line += text.count("\n", last, pos)
        last = pos
        lines.append(line)
    return lines


def _parse_xml(text, source):
    if re.search(r"<!ENTITY", text):
        raise InputError(source, "XML with entity declarations is not accepted")
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:
        raise InputError(source, f"not well-formed XML ({_POSITION.sub('', str(exc))})", exc.position[0]) from None


def _entry_paper(entry, source, position):
    """The Paper of one entry; ValueError when it is not a paper."""
    raw_id = (entry.findtext(f"{ATOM}id") or "").strip()
    title = fold(entry.findtext(f"{ATOM}title") or "")
    summary = fold(entry.findtext(f"{ATOM}summary") or "")
    if "/api/errors" in raw_id:
        raise ValueError(f"arXiv API error entry: {summary or title}")
    if not title or not summary:
        raise ValueError(f"entry {raw_id or position} has no {'title' if not title else 'summary'}")
    url = None
    for link in entry.findall(f"{ATOM}link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            url = link.get("href")
            break
    authors = [fold(a.findtext(f"{ATOM}name") or "") for a in entry.findall(f"{ATOM}author")]
    authors = [a for a in authors if a]
    return Paper(
        id=arxiv_id(raw_id) or arxiv_id(url) or paper_id_for_title(title),
        title=title,
        abstract=summary,
        date=iso_date(entry.findtext(f"{ATOM}published") or entry.findtext(f"{ATOM}updated")),
        source=str(source),
        position=position,
        authors=authors,
        n_authors=len(authors) or None,
        url=url or (raw_id if raw_id.startswith("http") else None),
    )


def parse_arxiv(text, source="", on_error=None):
    """Yield the papers of an arXiv API Atom feed.

    Parameters
    ----------
    text : str
    source : str
        The file it was read from (recorded in each Paper and in errors).
    on_error : callable, optional
        Called with an :class:`~kg.errors.InputError` for each entry that is not a paper (no title or summary,
        an API error entry), which is skipped. Default: raise it.

    Yields
    ------
    Paper
        ``position`` is the line of the entry's start tag (its 1-based index if lines cannot be told).

    Raises
    ------
    InputError
        When the text is not well-formed XML or not an Atom feed.

    Examples
    --------
    >>> feed = '''<feed xmlns="http://www.w3.org/2005/Atom"><entry>
    ...   <id>http://arxiv.org/abs/2106.09685v2</id><title>LoRA</title><summary>We
    ...   propose LoRA.</summary><published>2021-06-17T17:37:18Z</published>
    ... </entry></feed>'''
    >>> [(p.id, p.abstract, p.date, p.position) for p in parse_arxiv(feed)]
    [('2106.09685', 'We propose LoRA.', '2021-06-17', 1)]
    """
    root = _parse_xml(text, source)
    if root.tag != f"{ATOM}feed":
        local = root.tag.rpartition("}")[2]
        raise InputError(source, f"not an Atom feed: the root element is <{local}>, expected <feed> in the "
                                 "Atom namespace")
    entries = root.findall(f"{ATOM}entry")
    lines = _entry_lines(text, len(entries))
    for i, entry in enumerate(entries):
        position = lines[i] if lines else i + 1
        try:
            paper = _entry_paper(entry, source, position)
        except ValueError as exc:
            bad_record(on_error, source, str(exc), position)
            continue
        yield paper
