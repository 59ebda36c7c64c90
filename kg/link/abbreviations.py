"""Abbreviations across a corpus: which short form spells out which long form, and when one short form stands
for different things in different papers.

The short/long test is the algorithm of Schwartz & Hearst (2003), "A simple algorithm for identifying
abbreviation definitions in biomedical text", PSB 8:451-462 (:func:`kg.link.normalize.is_abbreviation`), restricted
to short forms that look like abbreviations. Two long forms of one abbreviation name the same thing when the words
that give it its letters agree (:func:`compatible_expansions`): "SFT" = "supervised fine-tuning" / "sparse
fine-tuning" is ambiguous, "LoRA" = "Low-Rank Adaptation" / "low-rank adapters" is not.

An abbreviation that an extractor took without its long form is spelled out by its own paper's text when the text
defines it ("the classical cross-entropy ([CE]) loss": rule ``text_definition``, :func:`define_from_text`), the
pattern "long form (short form)" of Schwartz & Hearst.
"""

import re
from collections import defaultdict

from rapidfuzz.distance import OSA

from .cluster import _FUNCTION_WORDS, FUZZY_MIN_LENGTH
from .normalize import is_abbreviation, is_acronym, normalize, tokens_of
from .stems import family_of, plain_stem

__all__ = ["expands", "abbreviates", "abbreviation_pairs", "ambiguous_abbreviations", "compatible_expansions",
           "spells_initials", "text_definition", "define_from_text", "tie_paper_abbreviations"]

#: The words before "(": a long form ends at a clause break and holds at most min(|short| + 5, 2 |short|) words.
_BEFORE = re.compile(r"[^.;:()\[\]]*$")


def _initials(nf):
    """First letter -> set of Snowball stems of the content words of a long form."""
    out = {}
    for t in tokens_of(nf.spaced):
        if t not in _FUNCTION_WORDS and t[:1].isalpha():
            out.setdefault(t[0], set()).add(plain_stem(t))
    return out


def _title_case_words(word):
    """A hyphenated word in title case ("Semi-Supervised", "Pre-Trained"): capitals that start words, no
    abbreviation to spell out (else "Semi-Supervised Learning" would read as "self supervised learning")."""
    parts = [p for p in word.split("-") if p]
    return len(parts) > 1 and all(len(p) >= 3 and p[0].isupper() and p[1:].islower() for p in parts)


def _expand_against(a, b):
    """`a` with each abbreviation in it replaced by the words of `b` it stands for ("Sparse MoE" against
    "Sparsely-activated Mixture-of-Experts" -> "Sparse Mixture Experts")."""
    words = a.text.split()
    content = [t for t in tokens_of(b.spaced) if t not in _FUNCTION_WORDS]
    out, changed = [], False
    for w in words:
        caps = "".join(c for c in w if c.isupper()).lower()
        span = None
        if is_acronym(w) and len(caps) >= 2 and not _title_case_words(w):
            for i in range(len(content) - len(caps) + 1):
                if "".join(t[0] for t in content[i:i + len(caps)]) == caps:
                    span = content[i:i + len(caps)]
                    break
        out.extend(span or [w])
        changed = changed or span is not None
    return normalize(" ".join(out)) if changed else a


def _first_stem(nf, letter):
    """The stem of the first content word that can give the abbreviation its first letter."""
    words = [t for t in tokens_of(nf.spaced) if t not in _FUNCTION_WORDS and t[:1] == letter]
    return plain_stem(words[0]) if words else ""


def compatible_expansions(short, a, b):
    """True when two long forms `a`, `b` of the abbreviation `short` name the same thing.

    The words that can give the abbreviation its letters decide: for every letter of `short` that starts a
    content word in both long forms, the words must share a Snowball stem (one stem the start of the other); the
    first letter must agree and all others (one may differ when three agree). "SFT" = "supervised fine-tuning" /
    "sparse fine-tuning", "CL" = "continual learning" / "contrastive learning", "SSL" = "self-supervised learning" /
    "semi-supervised learning" (the first words differ) and "DPP" = "Determinantal Point
    Process" / "Delta-parameter pruning" are two things; "LoRA" = "Low-Rank Adaptation" / "low-rank adapters"
    is one.

    Parameters
    ----------
    short : str
        The abbreviation as written.
    a, b : NormalForm
        Two long forms.

    Examples
    --------
    >>> from kg.link.normalize import normalize
    >>> compatible_expansions("LoRA", normalize("Low-Rank Adaptation"), normalize("low-rank adapters"))
    True
    >>> compatible_expansions("SFT", normalize("supervised fine-tuning"), normalize("sparse fine-tuning"))
    False
    >>> compatible_expansions("CL", normalize("continual learning"), normalize("contrastive learning"))
    False
    >>> compatible_expansions("SSL", normalize("self-supervised learning"), normalize("semi-supervised learning"))
    False
    >>> compatible_expansions("SSL", normalize("self-supervised learning"), normalize("Semi-Supervised Learning"))
    False
    >>> compatible_expansions("SMoE", normalize("Sparse MoE"), normalize("Sparsely-activated Mixture-of-Experts"))
    True
    >>> compatible_expansions("DPP", normalize("Determinantal Point Process"), normalize("Delta-parameter pruning"))
    False
    """
    if a.key == b.key:
        return True
    a, b = _expand_against(a, b), _expand_against(b, a)  # "Calibrated FAT" = "Calibrated Federated Adversarial..."
    if a.key == b.key:
        return True
    ia, ib = _initials(a), _initials(b)
    letters = list(dict.fromkeys(c for c in short.lower() if c.isalpha()))
    shared = [c for c in letters if c in ia and c in ib]
    if not shared:
        return OSA.distance(a.key, b.key) <= 1 and min(len(a.key), len(b.key)) >= FUZZY_MIN_LENGTH
    agree = [c for c in shared if any(x.startswith(y) or y.startswith(x) for x in ia[c] for y in ib[c])]
    if letters[0] in shared and letters[0] not in agree:
        return False
    first_a, first_b = _first_stem(a, letters[0]), _first_stem(b, letters[0])  # "self-" / "semi-supervised"
    if first_a and first_b and not (first_a.startswith(first_b) or first_b.startswith(first_a)):
        return False
    # every shared letter must agree, save one among many: "OOD" = out-of-distribution / out-of-domain differ
    return len(agree) == len(shared) or (len(agree) >= 3 and len(shared) - len(agree) <= 1)


def expands(short, long):
    """`long` spells out the abbreviation `short` (and does not merely contain it: "LoRA adapters")."""
    if short.key == long.key or not is_acronym(short.text) or not is_abbreviation(short.text, long.text):
        return False
    parts = [p for p in tokens_of(short.spaced) if len(p) >= 2]
    words = tokens_of(long.spaced)
    return not any(w.startswith(p) for p in parts for w in words)


def abbreviates(short, long):
    """`short` may abbreviate `long`: an acronym by Schwartz-Hearst, lower-case initials ("bpp" / "bits per
    pixel"), or an acronym with a number whose letters start the long form ("GPT-3" / "Generative Pre-trained
    Transformer", "C4" / "Colossal Clean Crawled Corpus")."""
    if is_acronym(short.text) and is_abbreviation(short.text, long.text):
        return True
    if short.key == "".join(t[0] for t in tokens_of(long.spaced)):  # lower-case initials: "bpp"
        return True
    return (bool(short.numbers) and is_acronym(short.text) and len(tokens_of(long.spaced)) > 1
            and short.key[:1] == long.key[:1])


def abbreviation_pairs(records):
    """Abbreviation key -> list of (record, short form, long form) over all records."""
    pairs = defaultdict(list)
    for r in records:
        for s in r.forms:
            for lf in r.forms:
                if s is not lf and expands(s, lf):
                    pairs[s.key].append((r, s, lf))
    return pairs


def ambiguous_abbreviations(pairs, merged_with):
    """Abbreviation key -> list of sets of long-form keys, for abbreviations with incompatible long forms."""
    out = {}
    for short, uses in pairs.items():
        forms, text = {}, uses[0][1].text
        for _, _, lf in uses:
            forms.setdefault(lf.key, lf)
        keys = sorted(forms)
        parent = {k: k for k in keys}

        def find(k):
            while parent[k] != k:
                k = parent[k]
            return k

        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                if compatible_expansions(text, forms[a], forms[b]) or merged_with.get(a, a) == merged_with.get(b, b):
                    parent[find(b)] = find(a)
        groups = defaultdict(set)
        for k in keys:
            groups[find(k)].add(k)
        if len(groups) > 1:
            out[short] = sorted(groups.values(), key=lambda g: sorted(g))
    return out


def spells_initials(short, long):
    """The initials of the words of `long` are the capitals of `short` (all its letters when it has no lower-case
    letter; a plural "s" aside): "PEFT" / "parameter-efficient fine-tuning", "FedAvg" / "federated averaging",
    "GNNs" / "graph neural networks"; not "SPS-Conv" / "sparse convolution" nor "NN" / "NN-based potentials".

    >>> pairs = [("PEFT", "parameter-efficient fine-tuning"), ("GNNs", "graph neural networks"),
    ...          ("SPS-Conv", "sparse convolution"), ("NN", "neural network based potentials")]
    >>> [spells_initials(s, l) for s, l in pairs]
    [True, True, False, False]
    """
    if not re.fullmatch(r"[A-Za-z0-9]+", short):
        return False
    core = short[:-1] if len(short) > 2 and short.endswith("s") and short[-2].isupper() else short
    letters = core if core.isupper() else "".join(c for c in core if c.isupper() or c.isdigit())
    words = [t for t in tokens_of(normalize(long).spaced) if t not in _FUNCTION_WORDS]
    return len(letters) >= 2 and "".join(w[0] for w in words) == letters.lower()


def text_definition(short, text):
    """The long form that `text` defines the abbreviation `short` with ("long form (short)"), or None: the
    fewest words right before the parenthesis whose initials are its capitals (:func:`spells_initials`; the
    Schwartz & Hearst (2003) window of at most min(len + 5, 2 len) words for an abbreviation of len letters).

    Examples
    --------
    >>> text_definition("CE", "we explain the classical cross-entropy (CE) loss and SVM loss")
    'cross-entropy'
    >>> text_definition("CE", "the loss (CE) is used"), text_definition("CE", "CE is a loss")
    (None, None)
    >>> text_definition("SPS-Conv", "sparse convolution (SPS-Conv)") is None
    True
    """
    letters = sum(c.isalnum() for c in short)
    for m in re.finditer(r"\(\s*" + re.escape(short) + r"\s*\)", text):
        words = _BEFORE.search(text[max(0, m.start() - 200):m.start()]).group(0).split()
        for n in range(1, min(letters + 5, 2 * letters, len(words)) + 1):
            long = " ".join(words[-n:])
            if spells_initials(short, long):
                return long
    return None


def define_from_text(records, texts, counts=None):
    """Rule ``text_definition``: a bare abbreviation whose paper defines it in its text ("cross-entropy ([CE])")
    gets that long form as a form of its entity, when the corpus writes the long form as a name of its own
    elsewhere: the tie of its entity then links the abbreviation where the paper says it belongs, also when
    other papers use the abbreviation for other things.

    Parameters
    ----------
    records : list of kg.link.forms.Record
        With their local flags set (before the nodes are); a form is appended to the records the rule applies to.
    texts : dict of str to str
        Paper id -> :attr:`kg.records.Paper.text`.
    counts : collections.Counter, optional
        Counts the records given a long form, under the rule's id.
    """
    known = defaultdict(set)  # key -> papers writing it as a global form
    for r in records:
        for f, local in zip(r.forms, r.local):
            if not local:
                known[f.key].add(r.paper)
    for r in records:
        name, text = r.forms[0], texts.get(r.paper)
        if text is None or not is_acronym(name.text) or any(expands(name, f) for f in r.forms[1:]):
            continue
        long = text_definition(name.text, text)
        nf = normalize(long) if long else None
        if nf is not None and nf.key and known.get(nf.key, set()) - {r.paper}:
            r.forms.append(nf)
            r.local.append(False)
            if counts is not None:
                counts["text_definition"] += 1


#: What stands between a long form and its abbreviation written beside it: "Long Form (LF)", "LF (Long Form)",
#: "LF: Long Form" (a title), "LF, Long Form, ...".
_BESIDE = re.compile(r"\s*\(\s*$|\s*[:,]\s*$")


def _beside(text, first, second, short_first):
    """Mention `second` stands right after mention `first`, joined as an abbreviation and its long form are: in
    parentheses either way, or after a colon or comma when the abbreviation comes first ("codebooks, RIS focuses"
    joins two clauses)."""
    between = text[first.end:second.start]
    if not (0 <= len(between) <= 4 and _BESIDE.match(between)):
        return False
    if between.strip().startswith("("):
        return text[second.end:second.end + 3].lstrip().startswith(")")
    return short_first


def _spelled_beside(short, long):
    """`long` may be the long form of `short` written beside it: it abbreviates it from its first word on (or a
    hyphenated part of it: "Weight-Decomposed Low-Rank Adaptation" of DoRA) and does not itself hold the
    abbreviation ("asynchronous SGD", "Partial G-CNNs" are kinds of SGD and G-CNNs) nor more words before the
    letters start ("image-level self-supervised learning" is no "SSL")."""
    words = [w.lower() for w in re.split(r"[\s-]+", long) if w]
    if not words or short.lower() in words or short.lower().rstrip("s") in {w.rstrip("s") for w in words}:
        return False
    parts = long.split()[0].split("-")  # "Weight-[D]ecomposed Low-Rank Adaptation (DoRA)"
    starts = {part[:1].lower() for part in parts if part}
    return short[:1].lower() in starts and is_abbreviation(short, long)


def tie_paper_abbreviations(records, texts, counts=None):
    """Rule ``paper_abbreviation``: two entities of one paper, an abbreviation and a long form it abbreviates from
    its first letter on (:func:`_spelled_beside`), of one family of types, written beside each other
    ("[Activation-aware Weight Quantization] ([AWQ])", "[LISA]: [Layerwise Importance Sampling] for ...", "[DEFT],
    [Density-Efficient Fine-Tuning], can ...") are one thing: the abbreviation's entity takes the long form as a
    form of its own, so both link into one node. The extractor gave them apart when it did not see the pair (the
    aliases of an entity tie the pairs it saw). Parameters as :func:`define_from_text`.

    Examples
    --------
    >>> from kg.link.forms import build_records
    >>> from kg.records import Entity, Mention, PaperExtraction
    >>> t = "We propose Activation-aware Weight Quantization (AWQ). AWQ is fast."
    >>> awq = [Mention("AWQ", 49, 52), Mention("AWQ", 55, 58)]
    >>> x = PaperExtraction("p", "", [Entity("AWQ", "Method", mentions=awq),
    ...     Entity("Activation-aware Weight Quantization", "Method",
    ...            mentions=[Mention("Activation-aware Weight Quantization", 11, 47)])])
    >>> records = build_records([x], {}, defaultdict(int))
    >>> tie_paper_abbreviations(records, {"p": t})
    >>> [f.text for f in records[0].forms]
    ['AWQ', 'Activation-aware Weight Quantization']
    """
    from .spans import matching_mentions  # here: kg.link.spans imports kg.link.forms, which imports this module

    by_paper = defaultdict(list)
    for r in records:
        by_paper[r.paper].append(r)
    for paper, recs in by_paper.items():
        text = texts.get(paper)
        if text is None:
            continue
        for r in recs:
            short = r.forms[0]
            if not is_acronym(short.text):
                continue
            for o in recs:
                long = o.forms[0]
                if o is r or is_acronym(long.text) or long.key in {f.key for f in r.forms}:
                    continue
                if not _spelled_beside(short.text, long.text):
                    continue
                if family_of(o.entity.type) != family_of(r.entity.type):
                    continue  # "ScienceQA" (a dataset) beside "science question answering" (its task)
                shorts, longs = matching_mentions(r.entity, text), matching_mentions(o.entity, text)
                if any(_beside(text, a, b, True) or _beside(text, b, a, False) for a in shorts for b in longs):
                    r.forms.append(long)
                    r.local.append(o.local[0])
                    if counts is not None:
                        counts["paper_abbreviation"] += 1
                    break

