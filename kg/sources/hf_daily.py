"""Reader of Hugging Face Daily Papers listing pages saved as text (https://huggingface.co/papers).

A saved page is page chrome ("Subscribe", "Daily Papers", the page date ...) followed by listings. Each listing
is a title line, an abstract line (the long paragraph after the title) and, on most pages, metadata lines::

    Grammar-Aligned Decoding
    <abstract>
      • 5 authors           (or an organisation: "nvidia NVIDIA", "Tsinghua University")
    ·
    May 31, 2024 2          (the paper's date; a trailing number is its upvotes; "Mar 9" has no year)

Three layouts occur and are read alike, because every unit is one line: blank-line separated blocks with
metadata, the same without metadata, and title line / abstract line with no blank lines (where the chrome may be
glued to the first title: "SubscribeNeural Image Compression ..."). Papers have no arXiv id here, so their id
is :func:`kg.records.paper_id_for_title`.
"""

import re

from ..records import Paper, paper_id_for_title
from .fields import MONTHS, bad_record, fold, month_day_date

__all__ = ["CHROME", "parse_hf_daily", "parse_listing_date", "parse_organisation"]

#: Lines of page chrome, never papers.
CHROME = frozenset({
    "new", "Subscribe", "Daily Papers", "byAK and the research community",
    "Get trending papers in your email inbox!", "Get trending papers in your email inbox once a day!",
})
#: A title is at most this long; a longer line is an abstract.
TITLE_MAX = 300
#: Metadata lines before the "·" separator (author count, organisation) are at most this long.
META_MAX = 100

SEPARATOR = "·"
_AUTHORS = re.compile(r"•\s*(\d+)\s+authors?")
_DATE = re.compile(r"([A-Z][a-z]{2,8})\.? (\d{1,2})(, \d{4})?(?: (\d+))?")
_SLUG = re.compile(r"[A-Za-z0-9][\w.-]*")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
#: Chrome that may be glued to the line after it, longest first ("new" is too short to tell).
_GLUED = sorted((c for c in CHROME if len(c) > 3), key=len, reverse=True)


def parse_listing_date(text):
    """Date and upvotes of a listing's date line, or None when `text` is not a date line.

    Returns
    -------
    tuple of (str or None, int or None) or None
        ISO date (None without a year) and upvotes (None when not shown).

    Examples
    --------
    >>> parse_listing_date("Oct 22, 2024 3")
    ('2024-10-22', 3)
    >>> parse_listing_date("Mar 9 2")
    (None, 2)
    >>> parse_listing_date("Mar 8")
    (None, None)
    >>> parse_listing_date("Pointer Networks") is None
    True
    """
    m = _DATE.fullmatch(text.strip())
    if not m or m.group(1).lower() not in MONTHS:
        return None
    date = month_day_date(f"{m.group(1)} {m.group(2)}{m.group(3) or ''}")
    return date, int(m.group(4)) if m.group(4) else None


def parse_organisation(text):
    """The organisation's display name from a listing's organisation line.

    The page shows an organisation as its Hub handle followed by its name ("nvidia NVIDIA"); the handle is
    dropped when it repeats the name or is a lower-case handle before a capitalised name.

    >>> parse_organisation("nvidia NVIDIA"), parse_organisation("Tsinghua University")
    ('NVIDIA', 'Tsinghua University')
    """
    text = fold(text)
    handle, _, name = text.partition(" ")
    if name and _SLUG.fullmatch(handle):
        if handle.lower() == name.replace(" ", "").lower() or (handle.islower() and name[0].isupper()):
            return name
    return text


def _units(text):
    """Non-blank lines as (line number, text), without page chrome and page dates.

    A page date ("Mar 24") is a date line right after chrome; chrome glued to the next line is cut off.
    """
    units, after_chrome = [], True
    # Only line breaks end a line: U+2028, U+0085 or a form feed inside an abstract do not (str.splitlines would).
    for n, raw in enumerate(_LINE_BREAK.split(text), 1):
        line = raw.strip()
        if not line:
            continue
        if line in CHROME:
            after_chrome = True
            continue
        if after_chrome:
            if parse_listing_date(line) is not None:
                continue
            for junk in _GLUED:
                if line.startswith(junk):
                    line = line[len(junk):].strip()
                    break
            if not line:
                continue
            after_chrome = False
        units.append((n, line))
    return units


def _is_meta(line):
    return line == SEPARATOR or _AUTHORS.fullmatch(line) is not None or parse_listing_date(line) is not None


def _separator_at(units, j):
    """Index of the "·" that closes the metadata starting at `j` (at most two short lines before it), or None."""
    for s in range(j, min(j + 3, len(units))):
        line = units[s][1]
        if line == SEPARATOR:
            return s
        if len(line) > META_MAX or parse_listing_date(line) is not None:
            return None
    return None


def _starts_meta(units, j):
    return j < len(units) and (_is_meta(units[j][1]) or _separator_at(units, j) is not None)


def _read_meta(units, j):
    """Metadata of the listing whose metadata starts at `j`: (fields, index after the metadata)."""
    meta = {}
    s = _separator_at(units, j)
    if s is not None:
        for _, line in units[j:s]:
            m = _AUTHORS.fullmatch(line)
            if m:
                meta["n_authors"] = int(m.group(1))
            else:
                meta["organisation"] = parse_organisation(line)
        j = s + 1
    while j < len(units) and _is_meta(units[j][1]):
        line = units[j][1]
        m, d = _AUTHORS.fullmatch(line), parse_listing_date(line)
        if m:
            meta["n_authors"] = int(m.group(1))
        elif d is not None:
            if "date" in meta:
                break  # one date per listing; a second one is not this listing's
            meta["date"], meta["upvotes"] = d
        j += 1
    return meta, j


def parse_hf_daily(text, source="", on_error=None):
    """Yield the papers of one saved Daily Papers page.

    Parameters
    ----------
    text : str
        The page as saved text.
    source : str
        The file it was read from (recorded in each Paper and in errors).
    on_error : callable, optional
        Called with an :class:`~kg.errors.InputError` for each listing that cannot be read (a title without an
        abstract, a paragraph without a title, stray metadata); the listing is skipped. Default: raise it.

    Yields
    ------
    Paper
        ``position`` is the line of the title.

    Examples
    --------
    >>> page = "Daily Papers\\n\\nMar 24\\n\\nA Title\\n\\n" + "An abstract. " * 30
    >>> page += "\\n\\n  • 3 authors\\n·\\nMar 9 2\\n"
    >>> [(p.title, p.n_authors, p.date, p.upvotes, p.position) for p in parse_hf_daily(page)]
    [('A Title', 3, None, 2, 5)]
    """
    def bad(message, line):
        bad_record(on_error, source, message, line)

    units = _units(text)
    i = 0
    while i < len(units):
        n, title = units[i]
        if _is_meta(title):
            bad(f"listing metadata without a listing: {title!r}", n)
            i = max(_read_meta(units, i)[1], i + 1)
            continue
        if len(title) > TITLE_MAX:
            bad("paragraph without a title line before it", n)
            i += 1
            continue
        if i + 1 >= len(units) or _starts_meta(units, i + 1):
            bad(f"title without an abstract: {title!r}", n)
            i = _read_meta(units, i + 1)[1]
            continue
        abstract = units[i + 1][1]
        following = units[i + 2][1] if i + 2 < len(units) else ""
        if len(abstract) <= TITLE_MAX and len(following) > TITLE_MAX and not _starts_meta(units, i + 2):
            # two title-length lines then an abstract: the first is a title whose abstract is missing
            bad(f"title without an abstract: {title!r}", n)
            i += 1
            continue
        meta, i = _read_meta(units, i + 2)
        title = fold(title)
        yield Paper(id=paper_id_for_title(title), title=title, abstract=abstract, source=str(source), position=n,
                    **meta)
