"""Reader of CSV (RFC 4180) with a header row naming at least a title and an abstract column.

The title and abstract columns are ``title`` and ``abstract``, or a common synonym (``titles``, ``summary``,
``summaries``, ``paperAbstract``: :data:`kg.sources.fields.SYNONYMS`), or any column named by a field map
(``kg build --title-column ... --abstract-column ...``). Optional columns are those of
:func:`kg.sources.fields.paper_from_record` (``id``, ``date``, ``url``, ``authors`` as a ``;``-separated list
...); column names are matched case-insensitively. Quoted fields may span lines. The delimiter is a comma, or a
tab or semicolon when the header uses that instead.
"""

import csv
import io

from ..errors import InputError
from .fields import bad_record, find_field, paper_from_record

__all__ = ["parse_csv", "REQUIRED_COLUMNS", "MAX_FIELD_CHARS"]

#: Columns every CSV input must have (under their own name, a synonym or a mapped name).
REQUIRED_COLUMNS = ("title", "abstract")
#: Longest field read (the csv module's default, 131,072, would abort the file at one long abstract; the
#: length limits of :func:`kg.sources.check_paper` then report that record alone).
MAX_FIELD_CHARS = 1 << 27

_OPTIONS = {"title": "--title-column", "abstract": "--abstract-column"}


def _delimiter(first_line):
    counts = {d: first_line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def parse_csv(text, source="", on_error=None, fields=None):
    """Yield the papers of a CSV text.

    Parameters
    ----------
    text : str
    source : str
        The file it was read from (recorded in each Paper and in errors).
    on_error : callable, optional
        Called with an :class:`~kg.errors.InputError` for each bad row (wrong number of fields, empty title or
        abstract), which is skipped. Default: raise it.
    fields : dict, optional
        ``{field: column}`` for a title or abstract column of another name
        (:func:`kg.sources.fields.check_field_map`).

    Yields
    ------
    Paper
        ``position`` is the line where the row starts.

    Raises
    ------
    InputError
        When the header lacks a required column (the message lists the columns it has), or the CSV cannot be
        parsed at all.

    Examples
    --------
    >>> [(p.id, p.authors, p.position) for p in parse_csv('id,title,abstract,authors\\np1,T,"A.",X; Y\\n')]
    [('p1', ['X', 'Y'], 2)]
    >>> [(p.title, p.abstract) for p in parse_csv('titles,summaries,terms\\nT,"A.",cs.LG\\n')]
    [('T', 'A.')]
    """
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD_CHARS))
    body = text.lstrip("\r\n")
    offset = len(text) - len(body)
    first_line_no = text.count("\n", 0, offset) + 1
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=_delimiter(body.split("\n", 1)[0]))
    try:
        header = [h.strip() for h in next(reader)]
        names = [h.lower() for h in header]
        missing = [c for c in REQUIRED_COLUMNS if find_field(names, c, fields) is None]
        if missing:
            shown = [repr((fields or {}).get(c, c)) for c in missing]
            hint = "; name them with " + " and ".join(_OPTIONS[c] for c in missing) if not fields else ""
            raise InputError(source, f"CSV has no {' or '.join(shown)} column; "
                                     f"its columns are: {', '.join(header)}{hint}", first_line_no)
        while True:
            start = reader.line_num + first_line_no
            try:
                row = next(reader)
            except StopIteration:
                return
            if not any(field.strip() for field in row):
                continue
            try:
                if len(row) != len(header):
                    raise ValueError(f"expected {len(header)} fields as in the header, got {len(row)}")
                paper = paper_from_record(dict(zip(names, row)), source, start, fields)
            except ValueError as exc:
                bad_record(on_error, source, str(exc), start)
                continue
            yield paper
    except csv.Error as exc:
        raise InputError(source, f"malformed CSV ({exc})", reader.line_num + first_line_no - 1) from None
