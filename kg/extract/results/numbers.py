"""Reported numbers: where the number patterns match, what the value, number and unit are (GUIDELINE.md,
"Results": "the number exactly as written, with its unit or sign"; a range gives one result per end; "up to"
stays in the value, not in the number)."""

import re
from dataclasses import dataclass

from .patterns import canonical_doc

__all__ = ["NumberMention", "clean_value", "parse_values", "find_numbers"]

_NUMBER = re.compile(r"(?P<sign>[+\-−]?)(?P<num>\d[\d,]*(?:\.\d+)?|\.\d+)")


_SIGN_BEFORE = re.compile(r"(?:\\times|[x×])[\s$]*$")  # a multiplication sign written before its number: "×15"


_ORDINAL = re.compile(r"\^?\{?(?:st|nd|rd|th)\}?", re.I)


_UNIT_AFTER = re.compile(r"\s*(?:\\?%|per\s*cent|percent|pp\b|x\b|×|\\times|times|-?fold)", re.I)


@dataclass
class NumberMention:
    """One reported number: token span ``[start, end)`` of its expression (qualifier included), the value as
    written with its character offsets, the number, its unit and the id of the pattern that found it."""

    start: int
    end: int
    value: str
    number: float
    unit: str
    pattern: str
    char_start: int
    char_end: int
    group: int = 0  # numbers of one expression ("3.7-4.3x", "FID 2.05/2.12") share a group
    qualifier: str = ""


def clean_value(text):
    r"""A value as written, without LaTeX markup: ``\times`` as ``×``, ``\%`` as ``%``, no ``$``, braces or
    ``\mathbf``.

    Examples
    --------
    >>> clean_value(r"up to $\mathbf{14}\times$"), clean_value(r"97.54\%"), clean_value("sim!!25%")
    ('up to 14×', '97.54%', '~25%')
    >>> clean_value(r"$1^{st}$"), clean_value(r"4.5 $\times$"), clean_value(r"$3 \times 3$")
    ('1st', '4.5×', '3 × 3')
    """
    t = text.replace("\\times", "×").replace("\\%", "%").replace("sim!!", "~").replace("\\sim", "~")
    t = t.replace("\\textasciitilde", "~")
    t = re.sub(r"(\d)\^\{?(st|nd|rd|th)\}?", r"\1\2", t)  # an ordinal: "$1^{st}$"
    t = re.sub(r"\\(?:mathbf|textbf|mathrm|text|bm|boldsymbol)\{|\\[,!;]|[${}]", "", t)
    t = re.sub(r"(?<![\d.]\s)(?<![\w.])×\s+(?=\d)", "×", t)  # a sign before its number: "$\\times 3$"
    t = re.sub(r"(\d)\s+×(?!\s*\d)", r"\1×", t)  # and after it: "4.5 $\\times$"
    return re.sub(r"\s+", " ", t).strip()


def _word_number(text, number_words):
    for word, value in number_words.items():
        if re.search(rf"\b{re.escape(word)}\b", text, re.I):
            return word, value
    return None


def parse_values(text, unit, number_words=None):
    """The numbers written in `text` (one number expression as written): ``(start, end, number, unit)`` per
    number, with character offsets into `text` that cover the number and its own unit sign.

    A range or list ("3.7-4.3x", "2.8%/1.0%") gives one item per number; the unit of a ``written`` pattern is
    the word after the last number ("27GB", "2 hours"); a number word ("ten percentage points", "a factor of two")
    is read through `number_words`. A leading ``+`` stays in the value but not in the number, a ``-`` stays in
    both (except the dash of a range). With unit ``""`` (a bare number beside a metric name) the value is the
    number alone.

    Examples
    --------
    >>> [(n, u) for *_, n, u in parse_values("3.7-4.3x", "x")]
    [(3.7, 'x'), (4.3, 'x')]
    >>> [(n, u) for *_, n, u in parse_values("27GB", "written")], parse_values("+1,200.5%", "%")[0][2]
    ([(27.0, 'GB')], 1200.5)
    >>> parse_values("a factor of two", "x", {"two": 2.0})
    [(0, 15, 2.0, 'x')]
    >>> [(n, u) for *_, n, u in parse_values("FID 2.05/2.12", "")], parse_values("-58.33%", "%")[0][2]
    ([(2.05, ''), (2.12, '')], -58.33)
    >>> [n for *_, n, u in parse_values("20%-30%", "%")], [n for *_, n, u in parse_values("-5.0 to -3.2", "")]
    ([20.0, 30.0], [-5.0, -3.2])
    >>> parse_values("x63.6", "x"), parse_values("$× 3", "x"), parse_values("1^{st}", "")
    ([(0, 5, 63.6, 'x')], [(1, 4, 3.0, 'x')], [(0, 6, 1.0, '')])
    """
    items = list(_NUMBER.finditer(text))
    if not items:
        found = _word_number(text, number_words or {})
        return [(0, len(text), found[1], "" if unit == "written" else unit)] if found else []
    tail = text[items[-1].end():].strip(" -$")
    written = re.sub(r"\s+", " ", tail) if unit == "written" else unit
    out = []
    for k, m in enumerate(items):
        sign = m.group("sign")
        between = re.sub(r"[%x×\s]", "", text[items[k - 1].end():m.start("num")]) if k else ""
        is_range_dash = k > 0 and sign in ("-", "−") and between in ("-", "--", "–-", "—-", "~-")
        start = m.start("num") if is_range_dash else m.start()
        number = float(m.group("num").replace(",", ""))
        if sign in ("-", "−") and not is_range_dash:
            number = -number
        if k == 0 and unit == "x":
            times = _SIGN_BEFORE.search(text, 0, start)
            start = times.start() if times else start
        end = m.end()
        ordinal = _ORDINAL.match(text, end) if not unit else None
        if ordinal:
            end = ordinal.end()
        own = _UNIT_AFTER.match(text, end)
        if k == len(items) - 1 and unit:
            end = len(text.rstrip(" .,;"))
        elif own and unit in ("%", "x", "points"):
            end = own.end()
        out.append((start, end, number, written))
    return out


def _longest(matches, priority):
    """Non-overlapping matches: higher priority first, then longer, then earlier."""
    out, taken = [], set()
    for pid, s, e in sorted(matches, key=lambda m: (-priority(m[0]), m[1] - m[2], m[1])):
        if taken.isdisjoint(range(s, e)):
            taken.update(range(s, e))
            out.append((pid, s, e))
    return sorted(out, key=lambda m: m[1])


def _qualifier_start(doc, start, qualifiers):
    """Start of the chain of qualifier matches that ends right before token `start` ("up to over 40x"); tokens of
    LaTeX markup alone ("$") between them do not break it."""
    ends = {}
    for _, s, e in qualifiers:
        ends[e] = min(s, ends.get(e, s))
    while True:
        k = start
        while k > 0 and doc[k - 1].text.strip("$\\()") == "":
            k -= 1
        if k not in ends:
            return start
        start = ends[k]


def find_numbers(doc, matchers, canon=None):
    """Every reported number of `doc` that a number pattern finds outside a setting pattern.

    Parameters
    ----------
    doc : spacy.tokens.Doc
    matchers : PatternMatchers
    canon : spacy.tokens.Doc, optional
        :func:`canonical_doc` of `doc` (made when not given).

    Returns
    -------
    list of NumberMention
        In text order.
    """
    canon = canon if canon is not None else canonical_doc(doc)
    pats = matchers.patterns
    prio = {e["id"]: e.get("priority", 0) for e in pats.numbers}
    vetoed = set()
    for _, s, e in matchers("not_results", canon):
        vetoed.update(range(s, e))
    qualifiers = matchers("qualifiers", canon)
    out = []
    for group, (pid, s, e) in enumerate(_longest(matchers("numbers", canon), lambda p: prio.get(p, 0))):
        if vetoed.intersection(range(s, e)):
            continue
        entry = pats.entry(pid)
        # a bare number beside a metric name: the number is the first token of the match ("2.69 FID"), or the
        # numbers start at its first token with a digit ("FID of 2.05 and 2.12")
        first_digit = next((t.i for t in doc[s:e] if re.match(r"[+\-−~≈<>$]*\.?\d", t.text)), s)
        span = {"first": doc[s:s + 1], "from-number": doc[first_digit:e]}.get(entry.get("value"), doc[s:e])
        while len(span) > 1 and span[-1].text.strip("$)") == "":
            span = span[:-1]
        values = parse_values(span.text, entry["unit"], pats.number_words)
        if not values:
            continue
        for k, (vs, ve, number, unit) in enumerate(values):
            c0 = span.start_char + vs
            own = next((t.i for t in span if t.idx <= c0 < t.idx + len(t)), span.start)
            # the qualifiers written before the number ("up to 40%", "as few as 10 steps"), not before a metric
            # name that opens the match ("FID 1.95")
            q = _qualifier_start(doc, own, qualifiers) if k == 0 and entry["unit"] else own
            qual = doc[q:own].text if q < own else ""
            if q < own:
                c0, own = doc[q].idx, q
            value = clean_value(doc.text[c0:span.start_char + ve])
            out.append(NumberMention(min(own, s) if k == 0 else own, e, value, number, unit, pid, c0,
                                     span.start_char + ve, group, qual))
    return out
