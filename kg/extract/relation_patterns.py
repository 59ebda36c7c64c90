"""Surface and dependency cues of the relation rules (:mod:`kg.extract.relations`).

Every function here looks at tokens of one parsed sentence and answers a narrow question: where is a
comparison cue and which tokens hold the thing compared against; which tokens make a sentence an evaluation;
how a mention is attached to the rest of its clause. The trigger words are data
(``kg/extract/data/relation_cues.json``), read by :func:`load_cues`. Semantics follow GUIDELINE.md, "Relations".
"""

import json
import re
from dataclasses import dataclass, field, fields
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from ..errors import InputError

__all__ = [
    "CUES_PATH", "Cues", "Comparison", "load_cues", "lemma", "comparisons", "has_lemma", "implicit_subject",
    "attachment", "subject_tokens", "is_coined", "same_thing", "names_class",
]

#: The trigger word file shipped with the package.
CUES_PATH = Path(__file__).parent / "data" / "relation_cues.json"

_SUBJ_DEPS = ("nsubj", "nsubjpass", "csubj")
_OBJ_DEPS = ("dobj", "obj", "attr", "oprd", "dative")
#: Prepositions inside a compared-against phrase that name a setting rather than a competitor
#: ("prior techniques for models such as Llama").
_SETTING_PREPS = ("for", "on", "in", "across", "under", "at", "using", "with", "via", "over", "by")
#: "rather than", "other than" do not compare quality.
_NOT_COMPARATIVE = ("rather", "other", "instead")


@dataclass(frozen=True)
class Cues:
    """Trigger words of the relation rules, as frozensets of lower-cased lemmas (see the JSON file's comment)."""

    outperform_verbs: frozenset = field(default_factory=frozenset)
    improve_verbs: frozenset = field(default_factory=frozenset)
    improvement_heads: frozenset = field(default_factory=frozenset)
    comparison_words: frozenset = field(default_factory=frozenset)
    inferior_words: frozenset = field(default_factory=frozenset)
    par_words: frozenset = field(default_factory=frozenset)
    efficiency_cues: frozenset = field(default_factory=frozenset)
    negative_cues: frozenset = field(default_factory=frozenset)
    combine_verbs: frozenset = field(default_factory=frozenset)
    combine_preps: frozenset = field(default_factory=frozenset)
    combine_adjs: frozenset = field(default_factory=frozenset)
    strong_combine_cues: frozenset = field(default_factory=frozenset)
    weak_combine_cues: frozenset = field(default_factory=frozenset)
    idle_combine_cues: frozenset = field(default_factory=frozenset)
    evaluation_cues: frozenset = field(default_factory=frozenset)
    evaluation_preps: frozenset = field(default_factory=frozenset)
    implicit_subject: frozenset = field(default_factory=frozenset)
    name_heads: frozenset = field(default_factory=frozenset)
    class_heads: frozenset = field(default_factory=frozenset)
    pair_cues: frozenset = field(default_factory=frozenset)


#: The word lists a cue file must have: one per field of :class:`Cues`.
_LISTS = tuple(f.name for f in fields(Cues))


@dataclass(frozen=True)
class Comparison:
    """One comparison cue in a sentence.

    Attributes
    ----------
    cue : int
        Index (in the doc) of the cue token.
    region : frozenset of int
        Indices of the tokens that name what is compared against (the loser).
    subject : frozenset of int
        Indices of the grammatical subject of the comparison when the parse gives one, else empty.
    kind : str
        ``verb`` ("A outperforms B"), ``than``, ``over``, ``to`` ("superior to B"), ``compare``
        ("compared with B"), ``par`` ("comparable to B while ...") or ``improve`` ("A improves B", which
        holds only against a baseline).
    inverse : bool
        True when the subject is the worse side ("A performs worse than B", "A lags behind B").
    """

    cue: int
    region: frozenset
    subject: frozenset
    kind: str
    inverse: bool = False


def load_cues(path=CUES_PATH):
    """Read the trigger words.

    Parameters
    ----------
    path : str or os.PathLike
        A JSON object with one list of words per :class:`Cues` field (keys starting with ``_`` are comments).

    Returns
    -------
    Cues

    Raises
    ------
    InputError
        When the file is missing, not JSON, or lacks a list.

    Examples
    --------
    >>> "outperform" in load_cues().outperform_verbs
    True
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(path, f"cannot read relation cues ({exc.strerror})") from None
    except json.JSONDecodeError as exc:
        raise InputError(path, f"not valid JSON ({exc.msg})", exc.lineno) from None
    missing = [k for k in _LISTS if not isinstance(data.get(k), list)]
    if missing:
        raise InputError(path, f"missing word lists: {', '.join(missing)}; expected one list per key of {_LISTS}")
    return Cues(**{k: frozenset(w.lower() for w in data[k]) for k in _LISTS})


def lemma(tok):
    """Lower-cased lemma of `tok`, falling back to its lower-cased text when no lemmatizer ran."""
    return (tok.lemma_ or tok.text).lower()


def has_lemma(tokens, words):
    """True when any token of `tokens` has its lemma or lower-cased text in `words`."""
    return any(lemma(t) in words or t.lower_ in words for t in tokens)


def implicit_subject(tokens, cues):
    """True when the tokens refer to the paper's own work ("we", "our method", "the proposed ...", "it")."""
    return any(t.lower_ in cues.implicit_subject for t in tokens)


def _subtree(tok):
    return frozenset(t.i for t in tok.subtree)


def subject_tokens(tok):
    """Indices of the grammatical subject of the clause of `tok` (climbing to a governing verb), or empty.

    Examples
    --------
    >>> import spacy
    >>> from spacy.tokens import Doc
    >>> doc = Doc(spacy.blank("en").vocab, words=["A", "beats", "B"], heads=[1, 1, 1],
    ...           deps=["nsubj", "ROOT", "dobj"])
    >>> sorted(subject_tokens(doc[2]))
    [0]
    """
    cur = tok
    for _ in range(6):
        for child in cur.children:
            if child.dep_ in _SUBJ_DEPS:
                return _subtree(child)
        if cur.head.i == cur.i:
            break
        cur = cur.head
    return frozenset()


def _trim_settings(region, root, keep=()):
    """`region` without the subtrees of setting prepositions below `root` (except those in `keep`)."""
    drop = set()
    for t in root.subtree:
        if t.i != root.i and t.dep_ == "prep" and t.lower_ in _SETTING_PREPS and t.lower_ not in keep \
                and t.i in region:
            drop.update(x.i for x in t.subtree)
    return frozenset(region - drop)


def _region_after(tok, sent_end):
    """Tokens after `tok` up to the next clause break: the fallback region when the parse has no object."""
    out = []
    for t in tok.doc[tok.i + 1:sent_end]:
        if t.text in (";", ":") or t.lower_ in ("while", "whereas", "but"):
            break
        out.append(t.i)
    return frozenset(out)


def _improvement_near(tok, cues, heads=True):
    """True when `tok` ("over", "upon") is governed by or follows an improvement word."""
    head = tok.head
    for _ in range(2 if heads else 0):
        if lemma(head) in cues.improvement_heads or head.lower_ in cues.improvement_heads:
            return True
        head = head.head
    if not heads:
        # "improves over B" is the "over" cue's; "improves B" is this one's
        return any(c.lower_ in ("over", "upon") for c in tok.children)
    start = max(tok.sent.start, tok.i - 4)
    return has_lemma(tok.doc[start:tok.i], cues.improvement_heads)


def _objects(tok):
    return [c for c in tok.children if c.dep_ in _OBJ_DEPS and c.i > tok.i]


def _verb_comparison(tok, sent, cues, parsed):
    """A comparison by verb: "A outperforms B (and C)", "A lags behind B" (inverse)."""
    after = _region_after(tok, sent.end)
    if parsed:
        after &= _subtree(tok)
        # "A outperforms B and enables C": the conjoined clause is not compared against
        for c in tok.children:
            if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"):
                after -= _subtree(c)
    # "outperforms LoRA by 5.4% and DoRA by 4.4%": the parser hangs conjuncts under "by"
    region = _trim_settings(after, tok, keep=("by",))
    for c in _objects(tok):
        region |= _trim_settings(_subtree(c), c)
    return Comparison(tok.i, region, subject_tokens(tok), "verb", lemma(tok) in cues.inferior_words)


def _compare_comparison(tok, sent, cues):
    """A comparison by phrase: "compared with B", "in comparison to B", "unlike B", "relative to B"; None
    without a compared phrase."""
    if tok.lower_ in ("unlike", "versus", "vs", "vs.", "against"):
        region = _subtree(tok) - {tok.i}
    else:
        preps = [c for c in tok.children if c.dep_ in ("prep", "pobj", "dobj", "agent") and c.i > tok.i]
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < sent.end else None
        if preps:
            # "compared to other methods for VGG-16": the setting is not what is compared against
            region = frozenset().union(*(_trim_settings(_subtree(c), c) for c in preps))
        elif nxt is not None and nxt.lower_ in ("to", "with"):
            region = _trim_settings(_subtree(nxt), nxt)
        else:
            return None
    # "Adam generalizes poorly compared with SGD": the subject is the worse side
    inverse = has_lemma(tok.doc[sent.start:tok.i], cues.inferior_words)
    return Comparison(tok.i, region, subject_tokens(tok), "compare", inverse) if region else None


def _par_comparison(tok, sent):
    """A comparison by parity: "comparable to B", "matches B" (which abstracts say of the better side when the
    sentence adds "while faster", "with fewer ..."); None without a compared phrase."""
    if tok.pos_ == "VERB":
        objs = _objects(tok)
    else:
        objs = [c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("to", "with")]
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < sent.end else None
        if not objs and nxt is not None and nxt.lower_ in ("to", "with"):
            objs = [nxt]
    region = frozenset().union(*(_trim_settings(_subtree(c), c) for c in objs)) - {tok.i}
    return Comparison(tok.i, region, subject_tokens(tok), "par") if region else None


def comparisons(sent, cues):
    """Every comparison cue of `sent` with the tokens of what is compared against.

    Parameters
    ----------
    sent : spacy.tokens.Span
        One parsed sentence.
    cues : Cues

    Returns
    -------
    list of Comparison
    """
    out = []
    parsed = sent.doc.has_annotation("DEP")
    efficient = has_lemma(sent, cues.efficiency_cues)
    for tok in sent:
        low, lem = tok.lower_, lemma(tok)
        comp = None
        if lem in cues.outperform_verbs or low.startswith("outperform") or \
                (tok.pos_ == "VERB" and lem in cues.inferior_words):
            comp = _verb_comparison(tok, sent, cues, parsed)
        elif tok.pos_ == "VERB" and lem in cues.improve_verbs and not _improvement_near(tok, cues, heads=False):
            region = frozenset().union(*(_trim_settings(_subtree(c), c) for c in _objects(tok)))
            comp = Comparison(tok.i, region, subject_tokens(tok), "improve") if region else None
        elif low == "than" and tok.i > sent.start and tok.doc[tok.i - 1].lower_ not in _NOT_COMPARATIVE:
            region = (_subtree(tok) - {tok.i}) or _region_after(tok, sent.end)
            inverse = has_lemma(tok.doc[max(sent.start, tok.i - 3):tok.i], cues.inferior_words)
            comp = Comparison(tok.i, region, subject_tokens(tok), "than", inverse)
        elif low in ("over", "upon", "beyond") and _improvement_near(tok, cues):
            comp = Comparison(tok.i, _subtree(tok) - {tok.i}, subject_tokens(tok), "over")
        elif low == "to" and lemma(tok.head) in ("superior", "preferable") and tok.i > tok.head.i:
            comp = Comparison(tok.i, _subtree(tok) - {tok.i}, subject_tokens(tok), "to")
        elif lem in cues.comparison_words or low in cues.comparison_words:
            comp = _compare_comparison(tok, sent, cues)
        elif (lem in cues.par_words or low in cues.par_words) and efficient:
            comp = _par_comparison(tok, sent)
        if comp is not None:
            out.append(comp)
    return out


def attachment(span):
    """The chain of tokens that govern `span`'s root, nearest first, up to the sentence root (at most 5).

    Examples
    --------
    >>> import spacy
    >>> from spacy.tokens import Doc
    >>> doc = Doc(spacy.blank("en").vocab, words=["We", "combine", "A", "with", "B"], heads=[1, 1, 1, 1, 3],
    ...           deps=["nsubj", "ROOT", "dobj", "prep", "pobj"])
    >>> [t.text for t in attachment(doc[4:5])]
    ['with', 'combine']
    """
    chain = []
    tok = span.root
    for _ in range(5):
        if tok.head.i == tok.i:
            break
        tok = tok.head
        chain.append(tok)
    return chain


def is_coined(name):
    """True when `name` looks like a coined name ("LoRA", "SpecDec++", "GPT-4", "ID^3") rather than a
    description ("pruning", "Adaptive Convolution"): a paper's contribution usually has one.

    Examples
    --------
    >>> [is_coined(n) for n in ("SpecDec++", "GPT-4", "VQGAN-LC", "adaptive convolution", "Beyond Heuristic Prompting")]
    [True, True, True, False, False]
    """
    for word in re.split(r"[\s/]+", name):
        if any(c.isdigit() or c in "+^#" for c in word) or any(c.isupper() for c in word[1:]):
            return True
    return False


def _name_key(name, heads):
    """`name` lower-cased, alphanumeric words only, without trailing `heads` words and a final plural s."""
    words = re.findall(r"[a-z0-9+#^]+", name.lower())  # "QuIP#" is not "QuIP"
    while len(words) > 1 and words[-1] in heads:
        words.pop()
    if words and len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]
    return "".join(words)


def same_thing(first, second, heads=()):
    """True when two names read as names of one thing: equal up to case, punctuation, a plural s and trailing
    head words in `heads` ("ElasticViT" / "ElasticViT models"), one letter more or less in a long name without
    digits (a typo), or one is the acronym of the other ("QAQ" / "Quality Adaptive Quantization"). Relations between
    them would relate a thing to itself.

    Examples
    --------
    >>> same_thing("OFA", "OFA network", {"network"}), same_thing("QAQ", "Quality Adaptive Quantization")
    (True, True)
    >>> same_thing("SA-SRRW", "SRRW"), same_thing("VQGAN", "VQGAN-LC")
    (False, False)
    """
    a, b = _name_key(first, heads), _name_key(second, heads)
    if not a or not b:
        return False
    if a == b:
        return True
    if min(len(a), len(b)) >= 7 and abs(len(a) - len(b)) == 1 and not any(c.isdigit() for c in a + b) \
            and Levenshtein.distance(a, b) == 1:
        return True  # a dropped letter ("MaskSparity"); not a changed one ("VQGAN-FC") nor a version ("LLaMA-2")
    short, long_ = sorted((first, second), key=len)
    letters = re.sub(r"[^A-Za-z]", "", short)
    if len(letters) < 2 or sum(c.isupper() for c in letters) < len(letters) - 1:
        return False
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", long_))
    return len(initials) > 1 and initials.lower() == letters.lower()


def names_class(name, heads):
    """True when `name` ends in a lower-case plural head of a broad class in `heads` ("downstream tasks",
    "PTQ methods"): the earlier components missed that it is generic.

    Examples
    --------
    >>> names_class("XMC datasets", {"datasets"}), names_class("Switch Transformers", {"transformers"})
    (True, False)
    """
    words = name.split()
    return bool(words) and words[-1] in heads
