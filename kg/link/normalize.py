"""Surface-form normalisation for corpus-level linking: the key two names must share to be one thing.

A name is folded (Unicode NFKC, Unicode dashes to ``-``, case), stripped of a leading determiner ("the C4
dataset"), of trailing head words after a proper name ("GLUE benchmark", "Adam optimizer", "LLaMA series
models"; the word lists are data, :mod:`kg.link.lexicon`), of a ``-based`` suffix ("LoRA-based"), singularised
on its last word ("LLMs", "codebooks") and mapped from British to American spelling ("quantisation"). Its *key*
then drops every separator, so "Low-Rank Adaptation", "low rank adaptation" and "low‑rank adaptation" share the
key ``lowrankadaptation``. Number blocks are kept apart by a ``_`` so that "LLaMA 2 7B" (``llama2_7b``) never
equals "LLaMA-27B" (``llama27b``). The symbols that tell names apart stay in the key as words: ``+`` ("LoRA+",
``loraplus``), ``#`` ("QuIP#", ``quipsharp``) and ``&`` ("PA&DA", ``paandda``).

A parenthesised abbreviation inside a name ("Key-Value (KV) cache", "Stable Diffusion (SD) V2.1") gives the two
names it stands for, each with the rest of the name (:func:`parenthetical_forms`: "Key-Value cache" and "KV
cache"; "Stable Diffusion V2.1" and "SD V2.1", which keep the version).

Abbreviations are recognised with the algorithm of Schwartz & Hearst (2003), "A simple algorithm for
identifying abbreviation definitions in biomedical text", PSB 8:451-462: every character of the short form
appears, in order, in the long form, the first one at the start of a word.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from .lexicon import load_lexicon

__all__ = [
    "NormalForm", "normalize", "normal_key", "is_abbreviation", "is_acronym", "slugify", "numbers_of", "tokens_of",
    "parenthetical_forms", "name_like", "proper_name", "based_on",
]

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-")
_STRIP = "\"'`“”‘’()[]{}<>,.;:!?*"
#: Leading words that never belong to a name.
DETERMINERS = frozenset("the a an our their its this these those".split())
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
    heads : tuple of str
        The head words stripped after the name, singular, last first (``("model", "series")`` for "LLaMA series
        models").
    """

    text: str
    spaced: str
    key: str
    numbers: tuple
    letters: str
    steps: frozenset
    heads: tuple = ()


def proper_name(text):
    """True when `text` has a word that only a name has: a capital inside it or a digit ("LoRA", "GPT-4",
    "ResNet"); title case alone ("Scaling Laws", in a title) does not make a phrase a name.

    Examples
    --------
    >>> [proper_name(t) for t in ("LoRA", "GPT-4", "Scaling Laws", "adaptive algorithm")]
    [True, True, False, False]
    """
    tokens = text.split()
    return _inner_capital(tokens) or any(c.isdigit() for c in text)


def name_like(text):
    """True when `text` looks like a proper name (:func:`_name_like` of its words): "LoRA", "GPT-4", "Stable
    Diffusion"; not "low-rank adaptation" or "Training loss".

    Examples
    --------
    >>> [name_like(t) for t in ("LoRA", "Stable Diffusion", "low-rank adaptation", "Training loss")]
    [True, True, False, False]
    """
    return _name_like(text.split())


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
    if re.fullmatch(r"[A-Z][a-z]+[A-Z][a-z]*[a-rt-z]s", token):
        return token[:-1]  # a name in two capitalised parts: ResNets, ConvNets, BatchNorms
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


def _strip_outer(text):
    """Strip outer quotes, brackets and punctuation, but not a closing bracket that a bracket inside opened
    ("Low-Rank Adaptation (LoRA)")."""
    while True:
        t = text.strip().strip(_STRIP.replace(")", "")).strip()
        if t.endswith(")") and t.count("(") < t.count(")"):
            t = t[:-1]
        if t.startswith("(") and t.count("(") > t.count(")"):
            t = t[1:]
        if t == text:
            return t
        text = t


def _strip_name_heads(words):
    """Drop head words after a proper name, repeatedly ("LLaMA series models" -> "LLaMA"); return the rest and
    the heads dropped (singular, last first)."""
    lex = load_lexicon()
    i, heads = len(words), []
    while i > 1:
        head = _singular(words[i - 1].lower())
        ending = lex.acronym_heads.get(head)
        if head in lex.name_heads or (ending and words[i - 2].lower().endswith(ending) and is_acronym(words[i - 2])):
            i -= 1
            heads.append(head)
        else:
            break
    rest = words[:i]
    # the rest must be a name in every word: "offline RL benchmark" is a benchmark of offline RL, no RL
    if not heads or not (_name_like(rest) and all(w[:1].isupper() or w[:1].isdigit() for w in rest)
                         and (all(w.islower() for w in words[i:]) or _inner_capital(rest))):
        return words, ()
    return rest, tuple(heads)


def based_on(word):
    """The word before a ``-based`` suffix, or None (rules ``based_act`` and ``based_model``).

    >>> based_on("magnitude-based"), based_on("Transformer-Based"), based_on("-based"), based_on("based")
    ('magnitude', 'Transformer', None, None)
    """
    return word[:-6] if len(word) > 6 and word[-6:].lower() == "-based" else None


def _base_checkpoint(text):
    """The name without a last word that marks the pretrained checkpoint of a model whose name gives its size in
    parameters (rule ``base_checkpoint``, the words of ``[checkpoint]`` in the lexicon), or None: "LLaMA2-7B-base" is
    LLaMA2-7B, the checkpoint before instruction tuning; without a size the word is a size itself ("BERT-base",
    "DeiT-Base") and stays a part of the name (``part_words``).

    >>> _base_checkpoint("LLaMA2-7B-base"), _base_checkpoint("Mistral-7B-v0.3-base"), _base_checkpoint("BERT-base")
    ('LLaMA2-7B', 'Mistral-7B-v0.3', None)
    """
    m = _checkpoint_pattern(load_lexicon().checkpoint_words).match(text)
    return m.group(1) if m else None


@cache
def _checkpoint_pattern(words):
    alternation = "|".join(sorted(map(re.escape, words))) or "(?!)"
    return re.compile(rf"^(.*\d(?:\.\d+)?[BbMm]\b.*?)[-\s](?:{alternation})$", re.IGNORECASE)


def parenthetical_forms(text):
    """The names a parenthesised abbreviation inside a name stands for: the name with the words it abbreviates
    and the name with the abbreviation in their place ("Key-Value (KV) cache" gives "Key-Value cache" and "KV
    cache"). Empty when `text` holds no such abbreviation, or it does not abbreviate the words before it.

    Examples
    --------
    >>> parenthetical_forms("Key-Value (KV) cache")
    ['Key-Value cache', 'KV cache']
    >>> parenthetical_forms("Stable Diffusion (SD) V2.1")
    ['Stable Diffusion V2.1', 'SD V2.1']
    >>> parenthetical_forms("Low-Rank Adaptation (LoRA)"), parenthetical_forms("a (very) big model")
    (['Low-Rank Adaptation', 'LoRA'], [])
    """
    m = re.search(r"\s*\(([^()]+)\)\s*", text)
    if not m or not is_acronym(m.group(1).strip()):
        return []
    short, before, after = m.group(1).strip(), text[:m.start()].split(), text[m.end():].strip()
    for n in range(1, len(before) + 1):  # the fewest words before it that the abbreviation spells out
        long = " ".join(before[-n:])
        if is_abbreviation(short, long) or (n == 1 and "-" in long and is_abbreviation(short, long)):
            head = " ".join(before[:-n])
            joined = [" ".join(p for p in (head, x, after) if p) for x in (long, short)]
            return joined if all(joined) else []
    return []


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
    text = _strip_outer(re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).translate(_DASHES)))
    steps = set()
    inner = parenthetical_forms(text)
    words = (inner[0] if inner else text).split(" ")  # "Key-Value (KV) cache" names the Key-Value cache
    if len(words) > 1 and words[0].lower() in DETERMINERS:
        words = words[1:]
        steps.add("determiner")
    words, heads = _strip_name_heads(words)
    if heads:
        steps.add("head_word")
    lex = load_lexicon()
    for i in range(1, len(words) - 2):  # "memory-augmented version of Adam" is memory-augmented Adam
        if words[i].lower() in lex.version_words and words[i + 1].lower() == "of":
            words = words[:i] + words[i + 2:]
            steps.add("version_of")
            break
    checkpoint = _base_checkpoint(" ".join(words))
    if checkpoint:  # "LLaMA2-7B-base" is LLaMA2-7B: the pretrained checkpoint of a size, not another size
        words = checkpoint.split(" ")
        steps.add("base_checkpoint")
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
    spaced = " ".join(words).lower().replace("++", "pp").replace("+", " plus").replace("#", " sharp")
    spaced = re.sub(r"\s*&\s*", " and ", spaced)
    spelled = spaced
    for pattern, repl in _SPELLING:
        spelled = pattern.sub(repl, spelled)
    if spelled != spaced:
        steps.add("spelling")
    key = _key(spelled)
    numbers = tuple(_NUMBER.findall(spelled))
    letters = "".join(c for c in key if c.isalpha())
    return NormalForm(text, spelled, key, numbers, letters, frozenset(steps), heads)


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
    of `long`; `short` is one token and `long` has at least two words with letters (a name with a list of
    numbers, "CIFAR10/100", spells nothing out).

    Examples
    --------
    >>> is_abbreviation("LoRA", "Low-Rank Adaptation")
    True
    >>> is_abbreviation("3DGS", "3D Gaussian Splatting")
    True
    >>> is_abbreviation("DPP", "Low-Rank Adaptation"), is_abbreviation("CIFAR100", "CIFAR10/100")
    (False, False)
    """
    s = [c for c in short.lower() if c.isalnum()]
    lo = unicodedata.normalize("NFKC", long).translate(_DASHES).lower()
    words = [t for t in tokens_of(lo) if any(c.isalpha() for c in t)]
    if len(s) < 2 or " " in short.strip() or len(words) < 2 or len(s) >= sum(c.isalnum() for c in lo):
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
