"""Readers of JSON Lines (https://jsonlines.org/) and of JSON documents (RFC 8259): records with a title and an
abstract.

JSON Lines is one JSON value per line, and only a line feed ends a line (U+2028, U+0085 or a form feed are legal
inside JSON strings and never split a record). A JSON document is an array of records (or a single record). The
keys of a record are those of :func:`kg.sources.fields.paper_from_record` (``id``, ``date``, ``url``, ``authors``
..., with synonyms such as ``summary`` or ``paperAbstract``).

Every record is checked against limits before it becomes a paper (:data:`MAX_DEPTH` levels of nesting,
:data:`MAX_DIGITS` digits in an integer, finite numbers only: ``NaN`` and ``Infinity`` are not JSON): a record
over a limit is a bad record with its line, not a crash of the whole build.
"""

import json
import re

from ..errors import InputError
from .fields import bad_record, paper_from_record

__all__ = ["MAX_DEPTH", "MAX_DIGITS", "loads", "parse_jsonl", "parse_json"]

#: Deepest nesting of arrays and objects accepted in one record (paper records are two or three levels deep).
MAX_DEPTH = 64
#: Most digits accepted in one JSON integer (Python refuses to convert more than 4,300).
MAX_DIGITS = 100

_KIND = {dict: "an object", list: "an array", str: "a string", int: "a number", float: "a number",
         bool: "a boolean", type(None): "null"}
_SPACE = re.compile(r"[ \t\n\r]*")


class _Bad:
    """Stands in for a value over a limit, so that the decoder can finish the record and report it."""

    def __init__(self, problem):
        self.problem = problem


def _int(text):
    digits = len(text.lstrip("-"))
    return _Bad(f"an integer of {digits:,} digits (at most {MAX_DIGITS})") if digits > MAX_DIGITS else int(text)


def _float(text):
    value = float(text)
    return value if value not in (float("inf"), float("-inf")) else _Bad(f"the number {text} is out of range")


def _constant(name):
    return _Bad(f"{name} is not a JSON number")


# strict=False: raw control characters inside strings (a tab, a form feed) are kept rather than refused
_DECODER = json.JSONDecoder(parse_int=_int, parse_float=_float, parse_constant=_constant, strict=False)


def _problem(value):
    """What puts a decoded value over a limit (depth, a marked number), or None; iterative, so never recursing."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, _Bad):
            return item.problem
        if isinstance(item, (dict, list)):
            if depth > MAX_DEPTH:
                return f"nested more than {MAX_DEPTH} levels deep"
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return None


def _decode(text, start=0):
    """``(value, end)`` of the JSON value at `start`; ValueError (with a readable message) when it is no value
    or is over a limit."""
    try:
        value, end = _DECODER.raw_decode(text, start)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg}, column {exc.colno})") from None
    except RecursionError:
        raise ValueError(f"record over a limit: nested more than {MAX_DEPTH} levels deep") from None
    problem = _problem(value)
    if problem:
        raise ValueError(f"record over a limit: {problem}")
    return value, end


def loads(text):
    """One JSON value, with the limits of this module.

    Raises
    ------
    ValueError
        When `text` is not one JSON value, or the value is over a limit.

    Examples
    --------
    >>> loads('{"n": [1, 2.5]}')
    {'n': [1, 2.5]}
    >>> loads('{"n": Infinity}')
    Traceback (most recent call last):
    ...
    ValueError: record over a limit: Infinity is not a JSON number
    """
    value, end = _decode(text, _SPACE.match(text, 0).end())
    if _SPACE.match(text, end).end() != len(text):
        raise ValueError(f"not valid JSON (extra data after the value, column {end + 1})")
    return value


def _records(items, source, on_error, fields):
    """Papers of ``(line, value or None, problem or None)`` items; bad ones go to `on_error`."""
    for n, obj, problem in items:
        if problem is None and not isinstance(obj, dict):
            problem = f"expected a JSON object, got {_KIND.get(type(obj), 'a value')}"
        if problem is None:
            try:
                yield paper_from_record(obj, source, n, fields)
                continue
            except ValueError as exc:
                problem = str(exc)
        bad_record(on_error, source, problem, n)


def _lines(text):
    """``(line number, line)`` of the non-blank lines, split at line feeds only (a CR before one is dropped)."""
    for n, line in enumerate(text.split("\n"), 1):
        if line.strip(" \t\r"):
            yield n, line


def parse_jsonl(text, source="", on_error=None, fields=None):
    """Yield the papers of a JSON Lines text.

    A text that is one JSON document over several lines (a pretty-printed array, say) is read as such
    (:func:`parse_json`), since that is clearly what it holds.

    Parameters
    ----------
    text : str
    source : str
        The file it was read from (recorded in each Paper and in errors).
    on_error : callable, optional
        Called with an :class:`~kg.errors.InputError` for each bad line, which is skipped. Default: raise it.
    fields : dict, optional
        ``{field: key}`` for records that name the title or abstract otherwise
        (:func:`kg.sources.fields.check_field_map`).

    Yields
    ------
    Paper
        ``position`` is the line number.

    Raises
    ------
    InputError
        When no line of the file is a JSON object and the file is no JSON document either.

    Examples
    --------
    >>> text = '{"id": "p1", "title": "T", "abstract": "A.\\u2028B."}\\n\\n'
    >>> text += '{"title": "Hash Layers For Large Sparse Models", "abstract": "B."}'
    >>> [(p.id, p.position) for p in parse_jsonl(text)]
    [('p1', 1), ('159844bfaf', 3)]
    """
    parsed = []
    for n, line in _lines(text):
        try:
            parsed.append((n, loads(line), None))
        except ValueError as exc:
            parsed.append((n, None, str(exc)))
    if not any(isinstance(obj, dict) for _, obj, _ in parsed):
        if text.lstrip().startswith("["):  # an array over several lines: its own errors name the right line
            yield from parse_json(text, source, on_error, fields)
            return
        try:
            loads(text)
        except ValueError:
            n, _, problem = next((item for item in parsed if item[2]), (parsed[0][0], None, None))
            raise InputError(source, f"not JSON Lines: no line is a JSON object ({problem or 'no objects'})",
                             n) from None
        yield from parse_json(text, source, on_error, fields)
        return
    yield from _records(parsed, source, on_error, fields)


def _check_end(text, end, line):
    if _SPACE.match(text, end).end() != len(text):
        raise ValueError("not valid JSON (extra data after the array)", line)


def _array_items(text, start):
    """``(line, value or None, problem or None)`` of each element of the JSON array opening at `start`.

    An element over a limit is reported and skipped; malformed JSON ends the array (there is no telling where
    the next element starts), as an :class:`ValueError` with the line.
    """
    line, last = 1 + text.count("\n", 0, start), start
    i = _SPACE.match(text, start + 1).end()
    if text.startswith("]", i):
        _check_end(text, i + 1, line)
        return
    while True:
        line += text.count("\n", last, i)
        last = i
        try:
            value, end = _DECODER.raw_decode(text, i)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not valid JSON ({exc.msg}, column {exc.colno})", exc.lineno) from None
        except RecursionError:
            raise ValueError(f"record over a limit: nested more than {MAX_DEPTH} levels deep", line) from None
        problem = _problem(value)
        yield line, (None if problem else value), (f"record over a limit: {problem}" if problem else None)
        i = _SPACE.match(text, end).end()
        if text.startswith(",", i):
            i = _SPACE.match(text, i + 1).end()
        elif text.startswith("]", i):
            _check_end(text, i + 1, line + text.count("\n", last, i))
            return
        else:
            raise ValueError("not valid JSON (expected ',' or ']' after an array element)",
                             line + text.count("\n", last, i))


def parse_json(text, source="", on_error=None, fields=None):
    """Yield the papers of a JSON document: an array of records, or one record.

    Parameters
    ----------
    text, source, on_error, fields
        As in :func:`parse_jsonl`.

    Yields
    ------
    Paper
        ``position`` is the line where the record starts.

    Raises
    ------
    InputError
        When the text is not a JSON array or object (JSON Lines are read by :func:`parse_jsonl`), or the JSON
        is malformed (naming the line).

    Examples
    --------
    >>> text = '[\\n {"title": "T", "abstract": "A."},\\n {"title": "U", "abstract": "B."}\\n]'
    >>> [(p.title, p.position) for p in parse_json(text)]
    [('T', 2), ('U', 3)]
    """
    start = _SPACE.match(text, 0).end()
    if text.startswith("{", start):
        try:
            loads(text)
        except ValueError as exc:
            if "extra data" in str(exc):  # several values: JSON Lines after all
                yield from parse_jsonl(text, source, on_error, fields)
                return
            raise InputError(source, str(exc), 1 + text.count("\n", 0, start)) from None
        yield from _records([(1 + text.count("\n", 0, start), loads(text), None)], source, on_error, fields)
        return
    if not text.startswith("[", start):
        raise InputError(source, "not a JSON array of records", 1 + text.count("\n", 0, start))
    items = _array_items(text, start)
    while True:
        try:
            item = next(items)
        except StopIteration:
            return
        except ValueError as exc:
            raise InputError(source, exc.args[0], exc.args[1]) from None
        yield from _records([item], source, on_error, fields)
