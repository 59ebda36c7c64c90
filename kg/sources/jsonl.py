"""Reader of JSON Lines (https://jsonlines.org/): one JSON object per line with ``title`` and ``abstract``.

Optional keys are those of :func:`kg.sources.fields.paper_from_record` (``id``, ``date``, ``url``, ``authors``
...). Blank lines are ignored. A line that is not a JSON object, or lacks a title or abstract, is a bad record;
a file in which no line is a JSON object (a pretty-printed JSON document, say) is not JSON Lines at all.
"""

import json

from ..errors import InputError
from .fields import paper_from_record

__all__ = ["parse_jsonl"]

_KIND = {dict: "an object", list: "an array", str: "a string", int: "a number", float: "a number",
         bool: "a boolean", type(None): "null"}


def _not_jsonl(text, source, lines):
    """The fatal error for a file in which no line holds a JSON object."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError:
        pass
    else:
        return InputError(source, f"a single JSON document ({_KIND.get(type(doc), 'a value')}), not JSON Lines "
                                  "(one object per line)", 1)
    n, line = next((n, ln) for n, ln in enumerate(lines, 1) if ln.strip())
    try:
        json.loads(line)
    except json.JSONDecodeError as exc:
        return InputError(source, f"not JSON Lines: no line is a JSON object ({exc.msg})", n)
    return InputError(source, "not JSON Lines: no line is a JSON object", n)


def parse_jsonl(text, source="", on_error=None):
    """Yield the papers of a JSON Lines text.

    Parameters
    ----------
    text : str
    source : str
        The file it was read from (recorded in each Paper and in errors).
    on_error : callable, optional
        Called with an :class:`~kg.errors.InputError` for each bad line, which is skipped. Default: raise it.

    Yields
    ------
    Paper
        ``position`` is the line number.

    Raises
    ------
    InputError
        When no line of the file is a JSON object.

    Examples
    --------
    >>> text = '{"id": "p1", "title": "T", "abstract": "A."}\\n\\n'
    >>> text += '{"title": "Hash Layers For Large Sparse Models", "abstract": "B."}'
    >>> [(p.id, p.position) for p in parse_jsonl(text)]
    [('p1', 1), ('159844bfaf', 3)]
    """
    lines = text.splitlines()
    parsed = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            parsed.append((n, json.loads(line), None))
        except json.JSONDecodeError as exc:
            parsed.append((n, None, f"not valid JSON ({exc.msg}, column {exc.colno})"))
    if not any(isinstance(obj, dict) for _, obj, _ in parsed):
        raise _not_jsonl(text, source, lines)
    for n, obj, problem in parsed:
        if problem is None and not isinstance(obj, dict):
            problem = f"expected a JSON object, got {_KIND.get(type(obj), 'a value')}"
        if problem is None:
            try:
                yield paper_from_record(obj, source, n)
                continue
            except ValueError as exc:
                problem = str(exc)
        error = InputError(source, problem, n)
        if on_error is None:
            raise error
        on_error(error)
