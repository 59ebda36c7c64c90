"""Field normalisation shared by the readers: white space, dates, arXiv identifiers, author lists, and the
mapping of one flat record (a JSON Lines object or a CSV row) to a :class:`~kg.records.Paper`.

Dates become ISO 8601 calendar dates (``YYYY-MM-DD``, or ``YYYY-MM`` / ``YYYY`` when that is all that is known);
arXiv identifiers follow the arXiv identifier scheme (https://info.arxiv.org/help/arxiv_identifier.html):
new-style ``YYMM.NNNNN`` and old-style ``archive(.SUBJ)/YYMMNNN``, both without their ``vN`` version suffix.
"""

import datetime
import re

from ..errors import InputError
from ..records import Paper, paper_id_for_title

__all__ = [
    "MONTHS", "SYNONYMS", "FIELDS", "fold", "clean_title", "iso_date", "month_day_date", "arxiv_id",
    "split_authors", "check_field_map", "find_field", "paper_from_record", "bad_record",
]

#: The fields of a flat record that a :class:`~kg.records.Paper` is made from.
FIELDS = ("id", "title", "abstract", "date", "url", "authors", "n_authors", "organisation", "upvotes")

#: Other names (lower case) a field goes by in common exports, tried after the field's own name: the arXiv API
#: and the Kaggle arXiv export (``summary``, ``titles``, ``summaries``), Semantic Scholar (``paperAbstract``,
#: ``paperId``), Hugging Face (``publishedAt``) and BibTeX-like records (``author``, ``year``).
SYNONYMS = {
    "id": ("paperid", "arxiv_id"),
    "title": ("titles",),
    "abstract": ("summary", "summaries", "paperabstract"),
    "date": ("published", "publishedat", "year"),
    "url": ("link",),
    "authors": ("author",),
}

#: Month names and abbreviations (lower case) -> month number.
MONTHS = {
    name: i
    for i, names in enumerate([
        ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
        ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
        ("nov", "november"), ("dec", "december"),
    ], start=1)
    for name in names
}

_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?")
_MONTH_DAY = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2})(?:,\s*(\d{4}))?")
_ARXIV_NEW = re.compile(r"(?<![\w.])(\d{4}\.\d{4,5})(?:v\d+)?(?![\w.])")
_ARXIV_OLD = re.compile(r"(?<![\w.-])([a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?(?!\w)")


def fold(text):
    """Collapse every run of white space to one space and strip the ends.

    >>> fold("  Low-Rank\\n   Adaptation ")
    'Low-Rank Adaptation'
    """
    return " ".join(text.split())


def _valid(year, month=None, day=None):
    try:
        datetime.date(year, month or 1, day or 1)
    except ValueError:
        return False
    return 1000 <= year <= 9999


def month_day_date(text):
    """ISO date of ``"Oct 22, 2024"``-style text; None when the year is missing or the date is invalid.

    A month and day without a year (``"Mar 8"``) cannot be placed in time, so it gives None rather than a guess.

    >>> month_day_date("Oct 22, 2024"), month_day_date("Mar 8"), month_day_date("Feb 30, 2024")
    ('2024-10-22', None, None)
    """
    m = _MONTH_DAY.fullmatch(text.strip())
    if not m or m.group(1).lower() not in MONTHS or m.group(3) is None:
        return None
    year, month, day = int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2))
    return f"{year:04d}-{month:02d}-{day:02d}" if _valid(year, month, day) else None


def iso_date(value):
    """Normalise a date given in an input record to ISO 8601, or None when it is absent or not understood.

    Accepts ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` (a time part is dropped) and ``"Oct 22, 2024"``.

    >>> iso_date("2021-06-17T17:37:18Z"), iso_date("2021-6"), iso_date("Oct 22, 2024"), iso_date("soon")
    ('2021-06-17', '2021-06', '2024-10-22', None)
    """
    if value is None:
        return None
    text = str(value).strip()
    m = _ISO.fullmatch(text)
    if m:
        year, month, day = (int(g) if g else None for g in m.groups())
        if not _valid(year, month, day):
            return None
        return "-".join(f"{v:02d}" for v in (year, month, day) if v is not None)
    return month_day_date(text)


def arxiv_id(text):
    """The arXiv identifier (without version) found in `text`: an abs/pdf URL, ``arXiv:...`` or a bare id.

    Parameters
    ----------
    text : str or None

    Returns
    -------
    str or None

    Examples
    --------
    >>> arxiv_id("http://arxiv.org/abs/2106.09685v2")
    '2106.09685'
    >>> arxiv_id("http://arxiv.org/abs/hep-th/9901001v1")
    'hep-th/9901001'
    >>> arxiv_id("https://example.org/paper") is None
    True
    """
    if not text:
        return None
    m = _ARXIV_NEW.search(text) or _ARXIV_OLD.search(text)
    return m.group(1) if m else None


def split_authors(value):
    """Author names from a list (of names, or of objects with a ``name``) or a ``;``-separated string; empty
    names are dropped.

    >>> split_authors("Edward Hu; Yelong  Shen;"), split_authors([{"name": "Edward Hu"}])
    (['Edward Hu', 'Yelong Shen'], ['Edward Hu'])
    """
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple)) else str(value).split(";")
    # Semantic Scholar and Hugging Face give authors as objects with a name
    items = [a.get("name") if isinstance(a, dict) else a for a in items]
    return [name for name in (fold(str(a)) for a in items if a is not None) if name]


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


# C0 controls but tab, line feed and carriage return, and C1 controls: never part of an id or a title.
_CONTROL = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]")


def clean_title(text):
    """A title on one line: control characters and runs of white space become one space.

    >>> clean_title("LoRA:\\x0c Low-Rank\\u2028Adaptation ")
    'LoRA: Low-Rank Adaptation'
    """
    return fold(_CONTROL.sub(" ", text))


def _text(record, key):
    value = record.get(key)
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    return str(value).strip() or None


def check_field_map(fields):
    """Validate a field map ``{field: name in the input}`` (e.g. from ``--title-column``); return it lower-cased.

    Raises
    ------
    ValueError
        For a field that is not one of :data:`FIELDS`, or an empty name.

    Examples
    --------
    >>> check_field_map({"title": "Headline"})
    {'title': 'headline'}
    """
    out = {}
    for field, name in (fields or {}).items():
        if field not in FIELDS:
            raise ValueError(f"unknown field {field!r} in the field map; fields: {', '.join(FIELDS)}")
        if name is None:
            continue
        if not str(name).strip():
            raise ValueError(f"empty column name for the field {field!r}")
        out[field] = str(name).strip().lower()
    return out


def find_field(names, field, fields=None):
    """The name among `names` (lower case) that holds `field`: the mapped one, else its own name or a synonym.

    Parameters
    ----------
    names : collection of str
        The record's keys or the CSV's columns, lower-cased.
    field : str
        One of :data:`FIELDS`.
    fields : dict, optional
        A map from :func:`check_field_map`; a mapped field is looked up under its mapped name only.

    Returns
    -------
    str or None

    Examples
    --------
    >>> find_field({"titles", "summaries"}, "abstract"), find_field({"text"}, "abstract", {"abstract": "text"})
    ('summaries', 'text')
    """
    if fields and field in fields:
        name = str(fields[field]).strip().lower()
        return name if name in names else None
    return next((n for n in (field, *SYNONYMS.get(field, ())) if n in names), None)


def paper_from_record(record, source="", position=None, fields=None):
    """A :class:`~kg.records.Paper` from one flat record with an abstract and (usually) a title.

    A record without a title key (an abstract alone, as in SciERC) is a paper with an empty title, whose id
    without one given is the hash of its abstract. Optional keys: ``id`` (kept as the paper id), ``date``, ``url``, ``authors`` (list or ``;``-separated),
    ``n_authors``, ``organisation``, ``upvotes``. Without an ``id`` the arXiv id of an arXiv ``url`` is used,
    else :func:`~kg.records.paper_id_for_title`. Keys are matched case-insensitively, each under its own name
    or one of its :data:`SYNONYMS` (``summary``, ``paperAbstract`` ...), or under the name `fields` maps it to.
    Control characters are removed from the id and the title.

    Parameters
    ----------
    record : dict
    source : str
        The file the record comes from.
    position : int, optional
        1-based line where the record starts.
    fields : dict, optional
        ``{field: key in the record}`` (see :func:`check_field_map`).

    Returns
    -------
    Paper

    Raises
    ------
    ValueError
        When the abstract is missing or empty, or the title key is there but empty (the message names the
        field).

    Examples
    --------
    >>> p = paper_from_record({"Title": "Hash Layers For Large Sparse Models", "summary": "We ..."})
    >>> p.id, p.title, p.abstract
    ('159844bfaf', 'Hash Layers For Large Sparse Models', 'We ...')
    >>> paper_from_record({"abstract": "We propose X."}).title
    ''
    """
    record = {str(k).strip().lower(): v for k, v in record.items()}
    key = {f: find_field(record, f, fields) for f in FIELDS}
    title, abstract = _text(record, key["title"]), _text(record, key["abstract"])
    if abstract is None:
        state = "no" if key["abstract"] is None else "an empty"
        raise ValueError(f"record has {state} {(fields or {}).get('abstract', 'abstract')!r} field")
    if title is None and key["title"] is not None:
        raise ValueError(f"record has an empty {(fields or {}).get('title', 'title')!r} field")
    # a record with an abstract only (as SciERC's) is a paper without a title: extracted from its abstract
    title = clean_title(title) if title is not None else ""
    if not title and key["title"] is not None:
        raise ValueError("record has an empty 'title' field")
    url = _text(record, key["url"])
    given = _CONTROL.sub("", _text(record, key["id"]) or "").strip()
    from_url = arxiv_id(url) if url and "arxiv.org/" in url else None
    authors = split_authors(record.get(key["authors"]))
    return Paper(
        id=given or from_url or paper_id_for_title(title or abstract),
        title=title,
        abstract=abstract,
        date=iso_date(record.get(key["date"])),
        source=str(source),
        position=position,
        authors=authors,
        n_authors=len(authors) or _int_or_none(record.get(key["n_authors"])),
        organisation=_text(record, key["organisation"]),
        url=url,
        upvotes=_int_or_none(record.get(key["upvotes"])),
    )


def bad_record(on_error, source, message, line):
    """Report a bad record: ``on_error(InputError)`` (the reader then skips it), or raise when there is none.

    The one rule of every reader (see :mod:`kg.sources`).
    """
    error = InputError(source, message, line)
    if on_error is None:
        raise error
    on_error(error)
