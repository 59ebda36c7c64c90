"""``kg_results``: the numbers an abstract reports, with what they measure and on what (GUIDELINE.md, "Results").

Patterns propose, attachment rules decide. The number, qualifier, setting and metric-word patterns are data
(``kg/extract/data/result_patterns.json``, each with an id, its output and example sentences that the tests run),
applied by spaCy's :class:`~spacy.matcher.Matcher` to a *canonical* copy of the doc (:func:`canonical_token`:
LaTeX and typography folded, Metric mentions as ``ENT_TYPE``). Each number found is then attached
(:mod:`kg.extract.result_attach`) to the entities the earlier components put on the doc
(``doc._.kg_entities``, ``doc.spans["kg_entities"]``): its metric (a Metric mention or measure noun next to the
number, the object of "reduces X by", a metric word such as "faster"; a metric stated only by a word becomes a
new Metric entity), its subject (the method in parentheses before it, the subject of its clause, else the
paper's own contribution), its dataset (else task) in the same sentence, its kind (``absolute`` or ``delta``)
and, for a delta, the baseline named after "than", "over", "compared with" or an outperform verb.

The component writes ``doc._.kg_results`` (a list of :class:`kg.records.Result` whose endpoints are entity
*names*; :class:`kg.records.PaperExtraction` turns them into keys) and adds the Metric entities it creates to
``doc._.kg_entities`` and ``doc.spans["kg_entities"]``. Every result's ``provenance`` lists the ids of the
patterns and attachment rules that produced it, so that per-rule precision can be measured. The choice of
rules over a learned attachment model was made by cross-validation on the training annotations
(``benchmarks/results_cv.py``).
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from ..errors import InputError
from .extensions import register_extensions

__all__ = [
    "PATTERNS_PATH", "ResultPatterns", "NumberMention", "load_patterns", "canonical_token", "canonical_doc",
    "parse_values", "clean_value", "PatternMatchers", "find_numbers", "ResultExtractor", "make_results",
]

#: The pattern file shipped with the package.
PATTERNS_PATH = Path(__file__).parent / "data" / "result_patterns.json"
#: Sections of the pattern file that hold Matcher patterns, and the word lists.
_PATTERN_SECTIONS = ("numbers", "qualifiers", "not_results", "metric_cues")
_WORD_LISTS = ("metric_heads", "weak_metric_heads", "change_heads", "delta_words", "baseline_words")
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
    number_words: dict = field(default_factory=dict)
    unit_measures: dict = field(default_factory=dict)
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
    units = {str(k).lower(): str(v) for k, v in (raw.get("unit_measures") or {}).items()}
    return ResultPatterns(**sections, **lists, number_words=number_words, unit_measures=units, source=raw)


# -- canonical tokens ------------------------------------------------------------------------------------------

_LATEX_DROP = re.compile(r"\\(?:mathbf|textbf|mathrm|text|bm|boldsymbol)\{|\\[,!;: ]|[${}]")
_TIMES = re.compile(r"(?<=[\d.])\s*(?:\\times|×|times|X)(?=$|[\W_])")


def canonical_token(text):
    """The canonical form of one token, which the patterns match: lower case, LaTeX wrappers and thin spaces
    dropped, ``\\%`` as ``%``, a multiplication sign (``×``, ``\\times``, ``X``, ``times``) glued to a number as
    ``x``, ``\\sim``/``sim!!`` as ``~``, a full stop after a number and unit dropped.

    Examples
    --------
    >>> [canonical_token(t) for t in ["$\\\\mathbf{14}\\\\times$", "97.54\\\\%", "4.98times", "40X.", "2.37×", "Acc"]]
    ['14x', '97.54%', '4.98x', '40x', '2.37x', 'acc']
    """
    t = text.replace("\\%", "%").replace("\\sim", "~").replace("sim!!", "~").replace("\\approx", "≈")
    t = t.replace("\\textasciitilde", "~")
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
    words = [canonical_token(t.text) for t in doc]
    kwargs = {}
    if doc.has_annotation("TAG") or doc.has_annotation("POS"):
        kwargs["pos"] = [t.pos_ or "X" for t in doc]
    if doc.has_annotation("LEMMA"):
        kwargs["lemmas"] = [t.lemma_ for t in doc]
    iob, taken = ["O"] * len(doc), set()
    for s in sorted(spans, key=lambda s: (s.start - s.end, s.start)):
        if taken.isdisjoint(range(s.start, s.end)):
            taken.update(range(s.start, s.end))
            iob[s.start:s.end] = [f"B-{s.label_}"] + [f"I-{s.label_}"] * (len(s) - 1)
    return Doc(doc.vocab, words=words, spaces=[bool(t.whitespace_) for t in doc], ents=iob, **kwargs)


# -- numbers ---------------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"(?P<sign>[+\-−]?)(?P<num>\d[\d,]*(?:\.\d+)?|\.\d+)")
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
    """
    t = text.replace("\\times", "×").replace("\\%", "%").replace("sim!!", "~").replace("\\sim", "~")
    t = t.replace("\\textasciitilde", "~")
    t = re.sub(r"\\(?:mathbf|textbf|mathrm|text|bm|boldsymbol)\{|\\[,!;]|[${}]", "", t)
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
    both (except the dash of a range). With unit ``""`` (a bare number beside a metric name) the value is the number alone.

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
    """
    items = list(_NUMBER.finditer(text))
    if not items:
        found = _word_number(text, number_words or {})
        return [(0, len(text), found[1], "" if unit == "written" else unit)] if found else []
    tail = text[items[-1].end():].strip(" -")
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
        end = m.end()
        own = _UNIT_AFTER.match(text, end)
        if k == len(items) - 1 and unit:
            end = len(text.rstrip(" .,;"))
        elif own and unit in ("%", "x", "points"):
            end = own.end()
        out.append((start, end, number, written))
    return out


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
        """``(pattern id, start, end)`` of every match of `section` in `doc` (a canonical doc)."""
        tagged, plain = self.matchers[section]
        matcher = tagged if doc.has_annotation("POS") and doc.has_annotation("LEMMA") else plain
        return [(self.vocab.strings[m], s, e) for m, s, e in matcher(doc)]


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
            out.append(NumberMention(min(own, s) if k == 0 else own, e, clean_value(doc.text[c0:span.start_char + ve]), number, unit,
                                     pid, c0, span.start_char + ve, group, qual))
    return out


# -- the component ---------------------------------------------------------------------------------------------


class ResultExtractor:
    """The ``kg_results`` pipeline component (see the module docstring)."""

    def __init__(self, vocab, patterns, min_confidence=0.0):
        self.patterns = patterns
        self.matchers = PatternMatchers(vocab, patterns)
        self.min_confidence = min_confidence

    def __call__(self, doc):
        from .result_attach import extract_results

        register_extensions()
        doc._.kg_results = [r for r in extract_results(doc, self.matchers) if r.confidence >= self.min_confidence]
        return doc

    def to_disk(self, path, exclude=()):
        """Save the patterns (``patterns.json``) in `path`, as spaCy's SpanRuler saves its own."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "patterns.json").write_text(json.dumps(self.patterns.source, ensure_ascii=False, indent=1),
                                            encoding="utf-8")

    def from_disk(self, path, exclude=()):
        """Load the patterns saved by :meth:`to_disk`."""
        self.patterns = load_patterns(Path(path) / "patterns.json")
        self.matchers = PatternMatchers(self.matchers.vocab, self.patterns)
        return self


@Language.factory(
    "kg_results",
    assigns=["doc._.kg_results", "doc._.kg_entities", "doc.spans"],
    requires=["doc._.kg_entities"],
    default_config={"patterns_path": None, "min_confidence": 0.0},
)
def make_results(nlp, name, patterns_path=None, min_confidence=0.0):
    """Build the ``kg_results`` component.

    Parameters
    ----------
    nlp : spacy.Language
    name : str
    patterns_path : str, optional
        A pattern file like ``kg/extract/data/result_patterns.json`` (the default).
    min_confidence : float
        Results below this confidence are dropped.
    """
    register_extensions()
    return ResultExtractor(nlp.vocab, load_patterns(patterns_path), min_confidence)
