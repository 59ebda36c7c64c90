"""Surface-form normalisation for corpus-level linking: the key two names must share to be one thing.

A name is folded (Unicode NFKC, Unicode dashes to ``-``, case), stripped of a leading determiner ("the C4
dataset"), of a trailing head word after a proper name ("GLUE benchmark", "Adam optimizer"), of a ``-based``
suffix ("LoRA-based"), singularised on its last word ("LLMs", "codebooks") and mapped from British to American
spelling ("quantisation"). Its *key* then drops every separator, so "Low-Rank Adaptation", "low rank adaptation"
and "low‑rank adaptation" share the key ``lowrankadaptation``. Number blocks are kept apart by a ``_`` so that
"LLaMA 2 7B" (``llama2_7b``) never equals "LLaMA-27B" (``llama27b``).

Abbreviations are recognised with the algorithm of Schwartz & Hearst (2003), "A simple algorithm for
identifying abbreviation definitions in biomedical text", PSB 8:451-462: every character of the short form
appears, in order, in the long form, the first one at the start of a word.
"""

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "NormalForm", "normalize", "normal_key", "is_abbreviation", "is_acronym", "slugify", "numbers_of", "tokens_of",
]

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-")
_STRIP = "\"'`“”‘’()[]{}<>,.;:!?*"
#: Leading words that never belong to a name.
DETERMINERS = frozenset("the a an our their its this these those".split())
#: Words that follow a proper name without changing what it names: "the C4 dataset" is C4.
HEAD_WORDS = frozenset(
    "dataset datasets benchmark benchmarks corpus suite model models method algorithm framework architecture "
    "optimizer optimiser family series score metric task loss technique approach adapter adapters module modules"
    .split()
)
#: Plural words whose final ``s`` must stay.
_KEEP_S = ("ss", "us", "is", "as")
_INVARIANT = frozenset(("series", "species", "lens", "news", "physics", "mathematics"))
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_SPELLING = [
    (re.compile(r"isation"), "ization"),
    # -ise verbs only after the endings they follow in ML text (normalise, optimise, quantise, tokenise): a
    # bare rule would turn "denoising" into "denoizing"
    (re.compile(r"(?<=al|ar|at|il|im|nt|en|om|er|or|et|iv|ar)is(ed|er|ers|ing|e|es)\b"), r"iz\1"),
    (re.compile(r"(?<=[a-z]{2})yse(s|d)?\b"), r"yze\1"),
    (re.compile(r"(?<=[a-z]{2}e)ll(ing|ed|er)\b"), r"l\1"),
]
_TOKEN_SPLIT = re.compile(r"[\s\-_/]+")


@dataclass(frozen=True)
class NormalForm:
    """One surface form and its normalisations.

    Attributes
    ----------
    text : str
        The surface form as written (outer quotes and brackets removed).
    spaced : str
        Folded form with separators kept (``"llama-2-7b"``); used for slugs and tokens.
    key : str
        What two forms share when they name the same thing (``"llama2_7b"``).
    numbers : tuple of str
        The number blocks (``("2", "7")``): any difference keeps two names apart.
    letters : str
        The key without its numbers (``"llamab"``): equal letters with other numbers means another version.
    steps : frozenset of str
        The normalisation rules that changed the form: ``determiner``, ``head_word``, ``based``, ``plural``,
        ``spelling``.
    """

    text: str
    spaced: str
    key: str
    numbers: tuple
    letters: str
    steps: frozenset


def _name_like(tokens):
    """True when `tokens` (original case) look like a proper name: inner capitals or digits ("LoRA", "C4"), or
    several words all capitalised ("Stable Diffusion"). Hyphenated parts count as words."""
    tokens = [p for t in tokens for p in re.split(r"[-/]", t) if p]
    if not tokens:
        return False
    inner = _inner_capital(tokens) or any(any(c.isdigit() for c in t) for t in tokens)
    # one capitalised word may just start a sentence ("Training loss"): several must all be capitalised
    return inner or (len(tokens) > 1 and all(t[:1].isupper() for t in tokens))


def _inner_capital(tokens):
    """A capital inside a word ("LoRA", "ImageNet"), hyphenated parts counting as words ("Pre-Trained": no)."""
    return any(any(c.isupper() for c in p[1:]) for t in tokens for p in re.split(r"[-/]", t))


def is_acronym(text):
    """True when `text` looks like an abbreviation: one token with a capital after its first character or a
    capital and a digit ("LoRA", "GPT-4", "dLLMs", "3DGS"), not a capitalised word ("Transformer").

    Examples
    --------
    >>> [is_acronym(t) for t in ("LoRA", "dLLMs", "3DGS", "Transformer", "accuracy", "low rank")]
    [True, True, True, False, False, False]
    """
    if " " in text.strip() or not text:
        return False
    return any(c.isupper() for c in text[1:]) or (text[0].isupper() and any(c.isdigit() for c in text))


def _singular(token):
    """The singular of the last word of a name (a small rule set: enough to fold ``LLMs``, ``losses``)."""
    if re.fullmatch(r"[A-Za-z0-9]*[A-Z][A-Za-z0-9]*[A-Z0-9]s", token) and sum(c.isupper() for c in token) >= 2:
        return token[:-1]  # acronym plural: LLMs, GANs, ViTs, dLLMs
    if token[:1].isupper() and token[1:].islower():
        token = token.lower()  # "Models" in a title
    if not token.islower() or len(token) <= 3 or any(c.isdigit() for c in token) or token in _INVARIANT:
        return token
    if token.endswith("ies") and len(token) > 4 and token not in ("series", "species"):
        return token[:-3] + "y"
    if token.endswith(("sses", "shes", "xes", "zes", "iases", "oaches")):
        return token[:-2]
    if token.endswith("ches") and not token.endswith("aches"):  # "patches", but "caches" -> "cache"
        return token[:-2]
    if token.endswith("s") and not token.endswith(_KEEP_S):
        return token[:-1]
    return token


def _key(spaced):
    """Drop separators; keep a ``_`` between two numbers so that ``2 7b`` and ``27b`` stay different."""
    if any(c.isdigit() for c in spaced):
        # a version tag is its number: "LLaMA v2", "Llamav2" and "LLaMA-2" are one name ("conv2d" keeps its v)
        spaced = re.sub(r"(?:(?<=[a-z]{4})|(?<![a-z0-9]))v(?=\d)", "", spaced)
    s = re.sub(r"(?<=\d)[^0-9a-z.]+(?=\d)", "_", spaced) if any(c.isdigit() for c in spaced) else spaced
    s = re.sub(r"(?<!\d)\.|\.(?!\d)", "", s)  # a dot counts only inside a number ("2.5")
    return "".join(c for c in s if c.isalnum() or c in "._")


def normalize(text):
    """Normalise one surface form.

    Parameters
    ----------
    text : str

    Returns
    -------
    NormalForm

    Examples
    --------
    >>> normalize("the C4 dataset").key
    'c4'
    >>> normalize("Low‑Rank Adaptation").key == normalize("low rank adaptation").key
    True
    >>> normalize("LLMs").key, normalize("LoRA-based").key, normalize("GLUE benchmark").key
    ('llm', 'lora', 'glue')
    >>> normalize("LoRA-Based Approach").key
    'lorabased'
    >>> normalize("LLaMA-2-7B").numbers
    ('2', '7')
    """
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).strip().strip(_STRIP).strip()
    text = re.sub(r"\s+", " ", text)
    steps = set()
    words = text.split(" ")
    if len(words) > 1 and words[0].lower() in DETERMINERS:
        words = words[1:]
        steps.add("determiner")
    if len(words) > 1 and words[-1].lower() in HEAD_WORDS:
        rest = words[:-1]
        if _name_like(rest) and (words[-1].islower() or _inner_capital(rest)):
            words = rest
            steps.add("head_word")
    last = words[-1]
    for suffix in ("-based", "-style"):
        stem = last[: -len(suffix)]
        # "LoRA-based" is LoRA, but "a LoRA-Based Approach" is an approach built on it
        if last.lower().endswith(suffix) and stem and _name_like([stem]) and "head_word" not in steps:
            words[-1] = last = stem
            steps.add("based")
    single = _singular(last)
    if single != last:
        words[-1] = single
        steps.add("plural")
    spaced = " ".join(words).lower().replace("++", "pp").replace("+", " plus")
    spelled = spaced
    for pattern, repl in _SPELLING:
        spelled = pattern.sub(repl, spelled)
    if spelled != spaced:
        steps.add("spelling")
    key = _key(spelled)
    numbers = tuple(_NUMBER.findall(spelled))
    letters = "".join(c for c in key if c.isalpha())
    return NormalForm(text, spelled, key, numbers, letters, frozenset(steps))


def normal_key(text):
    """The key of :func:`normalize` alone (what :func:`kg.graph.find_entities` matches on).

    Examples
    --------
    >>> normal_key("Llama 2") == normal_key("LLaMA-2")
    True
    """
    return normalize(text).key


def numbers_of(text):
    """The number blocks of `text` as a tuple of strings."""
    return tuple(_NUMBER.findall(text))


def tokens_of(spaced):
    """Split a :attr:`NormalForm.spaced` form at spaces, hyphens, underscores and slashes."""
    return [t for t in _TOKEN_SPLIT.split(spaced) if t]


def is_abbreviation(short, long):
    """True when `short` abbreviates `long` (Schwartz & Hearst 2003).

    Every letter or digit of `short` appears in `long` in the same order, its first one at the start of a word
    of `long`; `short` is one token and `long` has at least two words.

    Examples
    --------
    >>> is_abbreviation("LoRA", "Low-Rank Adaptation")
    True
    >>> is_abbreviation("3DGS", "3D Gaussian Splatting")
    True
    >>> is_abbreviation("DPP", "Low-Rank Adaptation")
    False
    """
    s = [c for c in short.lower() if c.isalnum()]
    lo = unicodedata.normalize("NFKC", long).translate(_DASHES).lower()
    if len(s) < 2 or " " in short.strip() or len(tokens_of(lo)) < 2 or len(s) >= sum(c.isalnum() for c in lo):
        return False
    si, li = len(s) - 1, len(lo) - 1
    while si >= 0:
        c = s[si]
        while li >= 0 and (lo[li] != c or (si == 0 and li > 0 and lo[li - 1].isalnum())):
            li -= 1
        if li < 0:
            return False
        li -= 1
        si -= 1
    return True


def _ascii_char(c):
    if c.isascii():
        return c
    base = unicodedata.normalize("NFKD", c)[:1]
    if base.isascii():
        return base
    name = unicodedata.name(c, "")
    return f"-{name.split()[-1].lower()}-" if "LETTER" in name else "-"


def slugify(text):
    """A safe IRI path segment (``[a-z0-9-]``) for `text`: Greek letters spelled out, other marks dropped.

    Examples
    --------
    >>> slugify("LLaMA-2-7B"), slugify("PixArt-α"), slugify("Qwen2.5 VL")
    ('llama-2-7b', 'pixart-alpha', 'qwen2-5-vl')
    """
    s = "".join(_ascii_char(c) for c in text.lower())
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s or "entity"
