"""The pattern file of ``kg_results`` and the Matchers that apply it (GUIDELINE.md, "Results").

The file (``kg/extract/data/result_patterns.json``, :data:`PATTERNS_PATH`) holds spaCy Matcher patterns by
section (numbers, qualifiers, settings that are no results, metric words), each with an id, its output and
example sentences that the tests run, and the word lists the attachment rules read. The patterns match a
*canonical* copy of the doc (:func:`canonical_doc`): LaTeX and typography folded, Metric mentions as
``ENT_TYPE``, so one pattern covers "2.4x", "2.4×" and "$2.4\\times$".
"""

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from spacy.matcher import Matcher
from spacy.tokens import Doc

from ...errors import InputError

__all__ = ["PATTERNS_PATH", "ResultPatterns", "load_patterns", "canonical_token", "canonical_doc", "PatternMatchers",
           "number_windows"]

#: The pattern file shipped with the package.
PATTERNS_PATH = Path(__file__).resolve().parent.parent / "data" / "result_patterns.json"


#: Sections of the pattern file that hold Matcher patterns, and the word lists.
_PATTERN_SECTIONS = ("numbers", "qualifiers", "not_results", "metric_cues")


_WORD_LISTS = ("metric_heads", "weak_metric_heads", "change_heads", "delta_words", "baseline_words", "scale_units")


_WORD_TABLES = ("unit_measures", "time_activities")


_UNITS = ("%", "x", "points", "", "written")


@dataclass(frozen=True)
class ResultPatterns:
    """The content of a pattern file (see its ``_comment``): pattern entries by section and the word lists."""

    numbers: tuple = ()
    qualifiers: tuple = ()
    not_results: tuple = ()
    metric_cues: tuple = ()
    metric_heads: frozenset = frozenset()
    weak_metric_heads: frozenset = frozenset()
    change_heads: frozenset = frozenset()
    delta_words: frozenset = frozenset()
    baseline_words: frozenset = frozenset()
    scale_units: frozenset = frozenset()
    number_words: dict = field(default_factory=dict)
    unit_measures: dict = field(default_factory=dict)
    time_activities: dict = field(default_factory=dict)
    source: dict = field(default_factory=dict, compare=False, repr=False)

    def entry(self, pattern_id):
        """The entry (dict) of the pattern `pattern_id`, in any section."""
        for section in _PATTERN_SECTIONS:
            for e in getattr(self, section):
                if e["id"] == pattern_id:
                    return e
        raise KeyError(pattern_id)


def _expand(value, defs):
    """`value` (a Matcher pattern or part of one) with ``{NAME}`` in REGEX strings replaced by ``defs[NAME]``."""
    if isinstance(value, dict):
        return {k: (_sub(v, defs) if k == "REGEX" else _expand(v, defs)) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, defs) for v in value]
    return value


def _sub(regex, defs):
    return re.sub(r"\{([A-Z]+)\}", lambda m: defs.get(m.group(1), m.group(0)), regex)


def load_patterns(path=None):
    """Read a result pattern file (default :data:`PATTERNS_PATH`).

    Parameters
    ----------
    path : str or os.PathLike, optional

    Returns
    -------
    ResultPatterns

    Raises
    ------
    InputError
        When the file is missing, not JSON, or an entry lacks an id or patterns, or has an unknown unit.

    Examples
    --------
    >>> p = load_patterns()
    >>> p.entry("num:percent")["unit"], "accuracy" in p.metric_heads
    ('%', True)
    """
    path = Path(path or PATTERNS_PATH)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(path, f"cannot read the result pattern file ({exc.strerror})") from None
    except ValueError as exc:
        raise InputError(path, f"not JSON ({exc})") from None
    number_words = {str(k).lower(): float(v) for k, v in (raw.get("number_words") or {}).items()}
    defs = {**(raw.get("defs") or {}), "NUMWORD": "(?:" + "|".join(map(re.escape, number_words)) + ")"}
    sections, seen = {}, set()
    for section in _PATTERN_SECTIONS:
        entries = []
        for n, e in enumerate(raw.get(section) or [], 1):
            pid = e.get("id") if isinstance(e, dict) else None
            if not pid or not isinstance(e.get("patterns"), list) or not e["patterns"]:
                raise InputError(path, f"{section} entry {n} needs an 'id' and a non-empty list of 'patterns'")
            if pid in seen:
                raise InputError(path, f"pattern id {pid!r} is used twice")
            if section == "numbers" and e.get("unit") not in _UNITS:
                raise InputError(path, f"{pid}: unit {e.get('unit')!r} is not one of {_UNITS}")
            if section == "metric_cues" and not e.get("metric"):
                raise InputError(path, f"{pid}: a metric cue needs the 'metric' it states")
            seen.add(pid)
            entries.append({**e, "patterns": _expand(e["patterns"], defs)})
        sections[section] = tuple(entries)
    lists = {name: frozenset(w.lower() for w in raw.get(name) or []) for name in _WORD_LISTS}
    tables = {name: {str(k).lower(): str(v) for k, v in (raw.get(name) or {}).items()} for name in _WORD_TABLES}
    return ResultPatterns(**sections, **lists, **tables, number_words=number_words, source=raw)


_LATEX_DROP = re.compile(r"\\(?:mathbf|textbf|mathrm|text|bm|boldsymbol)\{|\\[,!;: ]|[${}]")


_TIMES = re.compile(r"(?<=[\d.])\s*(?:\\times|×|times|X)(?=$|[\W_])")


@functools.lru_cache(maxsize=65536)  # a pure function of the text: words repeat across abstracts
def canonical_token(text):
    """The canonical form of one token, which the patterns match: lower case, LaTeX wrappers and thin spaces
    dropped, ``\\%`` as ``%``, a multiplication sign (``×``, ``\\times``, ``X``, ``times``) glued to a number as
    ``x``, ``\\sim``/``sim!!`` and the tilde-like signs (∼, ～, 〜) as ``~``, a full stop after a number and unit
    dropped.

    Examples
    --------
    >>> [canonical_token(t) for t in ["$\\\\mathbf{14}\\\\times$", "97.54\\\\%", "4.98times", "40X.", "2.37×", "Acc"]]
    ['14x', '97.54%', '4.98x', '40x', '2.37x', 'acc']
    """
    t = text.replace("\\%", "%").replace("\\sim", "~").replace("sim!!", "~").replace("\\approx", "≈")
    t = t.replace("\\textasciitilde", "~").replace("∼", "~").replace("～", "~").replace("〜", "~")
    t = _LATEX_DROP.sub("", t)
    if t in ("\\times", "×"):  # a multiplication sign of its own: "$4 \times$"
        return "x"
    t = _TIMES.sub("x", t)
    if re.fullmatch(r".*\d[%x]?\.", t):
        t = t[:-1]
    return (t or text).lower()


def canonical_doc(doc, spans=()):
    """A copy of `doc` with :func:`canonical_token` words, the same tokens (so indices carry over), its
    part-of-speech tags and lemmas, and `spans` (e.g. Metric mentions) as entities labelled with their type.

    Parameters
    ----------
    doc : spacy.tokens.Doc
    spans : iterable of spacy.tokens.Span
        Overlaps are resolved to the longest span.

    Returns
    -------
    spacy.tokens.Doc
    """
    words, pos, lemmas, spaces = [], [], [], []
    for t in doc:  # one walk over the tokens
        words.append(canonical_token(t.text))
        pos.append(t.pos_ or "X")
        lemmas.append(t.lemma_)
        spaces.append(bool(t.whitespace_))
    kwargs = {}
    if doc.has_annotation("TAG") or doc.has_annotation("POS"):
        kwargs["pos"] = pos
    if doc.has_annotation("LEMMA"):
        kwargs["lemmas"] = lemmas
    iob, taken = ["O"] * len(doc), set()
    for s in sorted(spans, key=lambda s: (s.start - s.end, s.start)):
        if taken.isdisjoint(range(s.start, s.end)):
            taken.update(range(s.start, s.end))
            iob[s.start:s.end] = [f"B-{s.label_}"] + [f"I-{s.label_}"] * (len(s) - 1)
    return Doc(doc.vocab, words=words, spaces=spaces, ents=iob, **kwargs)


#: Token attributes that only a tagged doc has: patterns using them are left out on a doc without tags.
_TAGGED = ("POS", "TAG", "LEMMA", "MORPH", "DEP")


def _untagged(pattern):
    return not any(k in tok for tok in pattern for k in _TAGGED)


class PatternMatchers:
    """The Matchers of a :class:`ResultPatterns`, one per section, over a vocabulary; each section also has one
    without the patterns that need tags (for docs that have none, such as tokenizer-only docs in tests)."""

    def __init__(self, vocab, patterns):
        self.patterns = patterns
        self.vocab = vocab
        self.matchers = {}
        for section in _PATTERN_SECTIONS:
            tagged, plain = Matcher(vocab, validate=True), Matcher(vocab, validate=True)
            for e in getattr(patterns, section):
                tagged.add(e["id"], e["patterns"])
                if any(_untagged(p) for p in e["patterns"]):
                    plain.add(e["id"], [p for p in e["patterns"] if _untagged(p)])
            self.matchers[section] = (tagged, plain)

    def __call__(self, section, doc):
        """``(pattern id, start, end)`` of every match of `section` in `doc` (a canonical doc), looked for only
        around the tokens that hold a number (:func:`number_windows`): a result pattern spans a few tokens
        around its number, and the regular expressions of the patterns are the costly part of extraction."""
        tagged, plain = self.matchers[section]
        matcher = tagged if doc.has_annotation("POS") and doc.has_annotation("LEMMA") else plain
        last = getattr(self, "_windows", None)  # the sections are matched one after another on the same doc
        if last is None or last[0] is not doc:
            self._windows = last = (doc, number_windows(doc, self.patterns.number_words))
        out = []
        for start, end in last[1]:
            out += [(self.vocab.strings[m], start + s, start + e) for m, s, e in matcher(doc[start:end])]
        return out


#: Tokens before and after a number within which the patterns are looked for (the longest pattern, and the verb
#: of "reduces X by" before a number, fit in it).
WINDOW = (14, 10)


def number_windows(doc, number_words=(), window=WINDOW):
    """``(start, end)`` token ranges of `doc` around its tokens with a digit or a number word, overlaps merged.

    Examples
    --------
    >>> import spacy
    >>> number_windows(spacy.blank("en")("a b c 12 d e f g h i j k l m n o p q r s t u 3%"), window=(2, 2))
    [(1, 6), (20, 24)]
    """
    before, after = window
    hits = [t.i for t in doc if any(map(str.isdigit, t.text)) or t.lower_ in number_words]
    out = []
    for i in hits:
        s, e = max(0, i - before), min(len(doc), i + after + 1)
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
