"""Reader of CSV (RFC 4180) with a header row naming at least ``title`` and ``abstract`` columns.

Optional columns are those of :func:`kg.sources.fields.paper_from_record` (``id``, ``date``, ``url``,
``authors`` as a ``;``-separated list ...); column names are matched case-insensitively. Quoted fields may span
lines. The delimiter is a comma, or a tab or semicolon when the header uses that instead.
"""

import csv
import io

from ..errors import InputError
from .fields import paper_from_record

__all__ = ["parse_csv", "REQUIRED_COLUMNS"]

#: Columns every CSV input must have.
REQUIRED_COLUMNS = ("title", "abstract")


def _delimiter(first_line):
    counts = {d: first_line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def parse_csv(text, source="", on_error=None):
    """Yield the papers of a CSV text.

    Parameters
    ----------
    text : str
    source : str
        The file it was read from (recorded in each Paper and in errors).
    on_error : callable, optional
        Called with an :class:`~kg.errors.InputError` for each bad row (wrong number of fields, empty title or
        abstract), which is skipped. Default: raise it.

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
    """
    body = text.lstrip("\r\n")
    offset = len(text) - len(body)
    first_line_no = text.count("\n", 0, offset) + 1
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=_delimiter(body.split("\n", 1)[0]))
    try:
        header = [h.strip() for h in next(reader)]
        names = [h.lower() for h in header]
        missing = [c for c in REQUIRED_COLUMNS if c not in names]
        if missing:
            raise InputError(source, f"CSV has no {' or '.join(repr(c) for c in missing)} column; "
                                     f"its columns are: {', '.join(header)}", first_line_no)
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
                paper = paper_from_record(dict(zip(names, row)), source, start)
            except ValueError as exc:
                error = InputError(source, str(exc), start)
                if on_error is None:
                    raise error from None
                on_error(error)
                continue
            yield paper
    except csv.Error as exc:
        raise InputError(source, f"malformed CSV ({exc})", reader.line_num + first_line_no - 1) from None
