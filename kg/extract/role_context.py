"""Context of a role: which sentences are about the work itself, and which phrases name what it is compared
with, improves on, or does without.

Follows GUIDELINE.md ("role"): a baseline is what the paper compares its contribution against, explicitly
("outperforms X", "compared with X", "unlike X", "X and Y as baselines") or by naming it as prior work it
improves on ("existing methods such as X", "the conventional X", "previous works adopt X"); a method or model
that only background sentences name is "mentioned", one the paper's own sentences name is "used"; a name in
apposition to "our N" or "a novel N", or abbreviated in the abstract after the name that opens the title, is
"proposed" ("the paper's own contribution"). Pure
functions over a parsed Doc returning token indices; :mod:`kg.extract.roles` combines them.
"""

from .sentences import title_end

__all__ = ["NAMING_VERBS", "BASELINE_VERBS", "PRIOR_MODIFIERS", "np_heads", "coined_name", "own_sentences",
           "is_own_sentence", "negated_tokens", "comparison_tokens", "prior_work_tokens", "own_apposition_tokens",
           "title_definition_tokens"]

NAMING_VERBS = {"call", "term", "dub", "name", "coin"}
BASELINE_VERBS = {"outperform", "surpass", "beat", "exceed", "outpace", "outstrip", "dominate", "eclipse",
                  "overtake", "rival"}
_COMPARE_HEADS = {"compare", "comparison", "relative", "compared", "versus", "vs", "vs."}
#: "instead of X", "fall short of X", "an improved version of X", "variants of X".
_OF_HEADS = {"instead", "short", "version", "versions", "variant", "variants", "extension", "generalization",
             "generalisation", "alternative"}
#: "X is replaced", "we replace X with ...".
_REPLACE_VERBS = {"replace", "supersede", "substitute"}
#: Adjectives and nouns that compare with or to something ("comparable to X", "on par with X").
_NEW_COMPARE = {"comparable", "competitive", "par", "superior", "inferior", "contrast"}
#: Prepositions setting the work against something ("unlike X", "beyond X").
_CONTRAST_PREPS = {"unlike", "beyond"}
_OVER_HEADS = {"improvement", "improvements", "gain", "gains", "advantage", "improve", "speedup", "margin",
               "superiority", "outperform", "boost", "edge", "increase", "increases", "reduction", "reductions",
               "advantages", "speed-up", "lead", "win", "wins"}


def np_heads(tok):
    """`tok` with its appositions and conjuncts (recursively) and their pre-modifiers: the words of a
    coordinated noun phrase without its prepositional phrases and relative clauses."""
    out, todo = [], [tok]
    while todo:
        t = todo.pop()
        out.extend(x for x in t.subtree if x.i <= t.i)
        todo.extend(c for c in t.children if c.dep_ in ("appos", "conj", "npadvmod") or
                    c.dep_ == "acl" and c.lemma_.lower() in NAMING_VERBS)
        # "X (Y)": the parenthesised short form hangs off the head as appos or dep
        todo.extend(c for c in t.children if c.dep_ in ("dep", "parataxis") and c.i == t.i + 2
                    and t.doc[t.i + 1].text == "(")
    return out


#: Words marking a sentence about the paper's own work (its contribution, experiments or findings).
_SELF_WORDS = {"we", "our", "us", "ours"}
_SELF_NOUNS = {"paper", "work", "study", "article", "letter", "thesis"}
_RESULT_WORDS = {"experiment", "experiments", "experimental", "empirical", "empirically", "results", "evaluation",
                 "evaluations"}
#: Words opening a sentence about prior work ("Previous works have explored ...", "Existing methods ...").
_PRIOR_WORDS = {"previous", "prior", "existing", "conventional", "traditional", "past", "earlier", "recent",
                "recently", "current", "currently", "typical", "typically", "standard", "mainstream", "popular"}


def coined_name(text):
    """A coined name: an inner capital or a digit ("SpecDec++", "VQ4DiT"), not a plural acronym ("LLMs")."""
    if len(text) < 2 or text.isdigit():
        return False
    inner = any(c.isupper() for c in text[1:]) or any(c.isdigit() for c in text)
    plural = text.endswith("s") and text[:-1].isupper()
    return inner and not plural


def own_sentences(doc, names=frozenset()):
    """Sentences about the work itself rather than background: the title, and sentences with "we / our",
    "this paper / work", "the proposed", "experiments / results", or one of `names`.

    Parameters
    ----------
    doc : spacy.tokens.Doc
    names : set of str
        Names the paper proposes (:func:`kg.extract.roles.own_names`).

    Returns
    -------
    list of spacy.tokens.Span
        Empty when nothing set sentence boundaries.

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("en")("Pruning is popular. We prune.")
    >>> for i, t in enumerate(doc):
    ...     t.is_sent_start = i in (0, 4)
    >>> [s.text for s in own_sentences(doc)]
    ['We prune.']
    """
    if not doc.has_annotation("SENT_START") and not doc.has_annotation("DEP"):
        return []
    end = title_end(doc)
    return [sent for sent in doc.sents if is_own_sentence(sent, names, end)]


def is_own_sentence(sent, names=frozenset(), end=None):
    """True when `sent` is about the work itself (see :func:`own_sentences`).

    Parameters
    ----------
    sent : spacy.tokens.Span
    names : set of str
        Names the paper proposes.
    end : int, optional
        First token of the abstract: sentences before it are the title.

    Returns
    -------
    bool
    """
    if end is not None and sent.start < end:
        return True
    doc = sent.doc
    for t in sent:
        low = t.lower_
        if (low in _SELF_WORDS or t.text in names
                or low in _RESULT_WORDS and not any(w.lower_ in _PRIOR_WORDS for w in sent)
                or low == "proposed" and t.i > 0 and doc[t.i - 1].lower_ in ("the", "our")
                or low in _SELF_NOUNS and any(c.lower_ in ("this", "our", "present") for c in t.children)):
            return True
    return False


def negated_tokens(doc):
    """Tokens of what the work does without: "without X", "does not require X", "no X".

    Returns
    -------
    set of int
    """
    out = set()
    for tok in doc:
        if tok.lower_ == "without" and tok.dep_ == "prep":
            for o in tok.children:
                if o.dep_ in ("pobj", "pcomp"):
                    out.update(t.i for t in o.subtree)
        elif tok.dep_ == "neg" and tok.head.pos_ in ("VERB", "AUX"):
            for c in tok.head.children:
                if c.dep_ in ("dobj", "attr"):
                    out.update(t.i for t in c.subtree)
        elif tok.lower_ == "no" and tok.dep_ == "det":
            out.update(t.i for t in tok.head.subtree)
    return out


def comparison_tokens(doc):
    """Tokens of what a comparison sets the work against: "outperforms X", "compared with X", "than X",
    "improvement over X", "unlike X", "instead of X", "comparable to X", "baselines such as X".

    Returns
    -------
    set of int
    """
    out = set()
    for tok in doc:
        lemma = tok.lemma_.lower()
        if lemma in BASELINE_VERBS:
            for c in tok.children:
                if c.dep_ in ("dobj", "attr"):
                    out.update(t.i for t in c.subtree)
        if tok.dep_ == "prep":
            head = tok.head.lemma_.lower()
            obj = [c for c in tok.children if c.dep_ == "pobj"]
            compared = head in _COMPARE_HEADS or tok.head.lower_ in _COMPARE_HEADS
            if (tok.lower_ in ("with", "to", "against") and compared
                    or tok.lower_ == "than"
                    or tok.lower_ in ("over", "upon") and (head in _OVER_HEADS or tok.head.lower_ in _OVER_HEADS)
                    or tok.lower_ in ("versus", "vs", "vs.")):
                for o in obj:
                    out.update(t.i for t in o.subtree)
                    out |= _examples(o)
            elif (tok.lower_ in _CONTRAST_PREPS
                    or tok.lower_ == "with" and head in _NEW_COMPARE
                    or tok.lower_ == "to" and head in _NEW_COMPARE
                    or tok.lower_ == "of" and head in _OF_HEADS):
                # the phrase itself, not its relative clauses ("a version of the algorithm which uses X")
                for o in obj:
                    out.update(t.i for t in np_heads(o))
                    out |= _examples(o)
                # "instead of applying X", "beyond X" in a title the parser leaves without an object
                for c in tok.children:
                    if c.dep_ == "pcomp":
                        out.update(t.i for d in c.children if d.dep_ == "dobj" for t in np_heads(d))
                        out.update(i for d in c.children if d.dep_ == "dobj" for i in _examples(d))
                if not obj and tok.lower_ in _CONTRAST_PREPS:
                    end = tok.i + 1
                    while end < tok.sent.end and doc[end].pos_ in ("ADJ", "NOUN", "PROPN", "PUNCT") \
                            and doc[end].text not in (",", ":", ";", "(", ")", "."):
                        end += 1
                    out.update(range(tok.i + 1, end))
        if lemma in _REPLACE_VERBS:
            for c in tok.children:
                if c.dep_ in ("dobj", "nsubjpass"):
                    out.update(t.i for t in np_heads(c))
        # "X and Y as baselines"
        if tok.lower_ in ("baseline", "baselines") and tok.dep_ == "pobj" and tok.head.lower_ == "as":
            for c in tok.head.head.children:
                if c.dep_ in ("dobj", "nsubjpass"):
                    out.update(t.i for t in np_heads(c))
        if tok.lower_ in ("baseline", "baselines") and tok.i + 2 < len(doc):
            nxt = doc[tok.i + 1: tok.i + 3]
            if nxt[0].lower_ in ("including", "like") or nxt.text.lower() == "such as":
                end = tok.i + 1
                sent_end = tok.sent.end
                while end < sent_end and doc[end].text not in (".", ";"):
                    end += 1
                out.update(range(tok.i + 1, end))
    return out


#: Modifiers naming prior work ("existing methods such as X", "the conventional X", "state-of-the-art X").
PRIOR_MODIFIERS = {"existing", "prior", "previous", "conventional", "traditional", "vanilla", "naive", "classic",
                   "classical", "competing", "sota", "state-of-the-art", "baseline", "past", "earlier"}
#: Heads of a class of prior work ("existing VQ methods"): its examples are prior work, its modifiers are not
#: (a new VQ method *uses* VQ).
_CLASS_HEADS = {"method", "approach", "technique", "model", "work", "algorithm", "solution", "framework",
                "strategy", "baseline", "scheme", "system", "variant", "architecture", "network", "study", "paradigm",
                "practice", "design", "pipeline", "tool", "optimizer", "estimator", "procedure", "alternative"}


def _np_root(tok, max_dist=8):
    """The head noun of the noun phrase that `tok` modifies ("existing" -> "methods" in "existing pruning
    methods")."""
    root = tok
    while (root.dep_ in ("amod", "compound", "nmod", "npadvmod", "advmod", "punct", "det", "pobj", "prep", "poss")
           and root.head.i > root.i and root.head.i - tok.i <= max_dist):
        root = root.head
    return root


def _examples(root):
    """Tokens of the examples attached to a noun: "methods such as X and Y", "including X", "like X",
    "(e.g., X, Y)"."""
    out = set()
    for c in root.children:
        if c.dep_ == "prep" and c.lower_ in ("as", "like", "including") or c.dep_ in ("appos", "acl") and \
                c.lower_ == "including":
            if c.lower_ == "as" and not any(g.lower_ == "such" for g in c.children) and \
                    not (c.i > 0 and c.doc[c.i - 1].lower_ == "such"):
                continue
            out.update(t.i for t in c.subtree)
    # "(e.g., X, Y)" right after the phrase
    doc = root.doc
    i = root.i + 1
    if i + 1 < len(doc) and doc[i].text == "(" and doc[i + 1].lower_ in ("e.g.", "e.g", "eg", "i.e.", "including"):
        j = i + 1
        while j < len(doc) and doc[j].text != ")" and j < root.sent.end:
            out.add(j)
            j += 1
    return out


def prior_work_tokens(doc, own=frozenset()):
    """Tokens of prior work the paper positions itself against, in background sentences: phrases under a
    :data:`PRIOR_MODIFIERS` word, the examples they list and what such work does ("existing methods such as
    X", "the conventional X", "previous works adopt X").

    Parameters
    ----------
    doc : spacy.tokens.Doc
    own : set of int
        First tokens of the sentences about the work itself (:func:`own_sentences`), which are skipped.

    Returns
    -------
    set of int
    """
    out = set()
    for tok in doc:
        low = tok.lower_
        if low == "state" and doc[tok.i:tok.i + 7].text.lower().replace(" ", "") == "state-of-the-art":
            low = "state-of-the-art"
        elif low not in PRIOR_MODIFIERS or tok.dep_ not in ("amod", "compound", "nmod", "npadvmod", "advmod"):
            continue
        root = _np_root(tok)
        if root.pos_ not in ("NOUN", "PROPN") or root is tok or root.sent.start in own:
            continue
        if root.lemma_.lower() not in _CLASS_HEADS:
            out.update(t.i for t in np_heads(root) if t.i >= tok.i)
        out |= _examples(root)
        # "previous works adopt X", "prior methods that rely on X": what prior work does is prior work
        verbs = [root.head] if root.dep_ in ("nsubj", "nsubjpass") else []
        verbs += [c for c in root.children if c.dep_ == "relcl"]
        for verb in verbs:
            for c in verb.children:
                if c.dep_ in ("dobj", "attr"):
                    out.update(t.i for t in np_heads(c))
                    out |= _examples(c)
                elif c.dep_ == "prep":
                    out.update(t.i for o in c.children if o.dep_ == "pobj" for t in np_heads(o))
    return out


#: Words that, on a noun, mark it as the paper's own ("our procedure, X", "X, a novel method").
_OWN_MARKS = {"our", "proposed", "novel", "new"}


def _marked_own(tok):
    """True when the noun `tok` carries "our", "the proposed", "novel" or "new" (not "the recently proposed")."""
    return any(c.lower_ in _OWN_MARKS and c.dep_ in ("poss", "amod", "det", "compound", "advmod")
               and not any(a.pos_ == "ADV" for a in c.children) and not (c.i and c.doc[c.i - 1].pos_ == "ADV")
               for c in tok.children)


def own_apposition_tokens(doc):
    """Tokens of names in apposition to a noun marked as the paper's own: "our procedure, Sharpness-Aware
    Minimization (SAM)", "our algorithm TAILOR", "X, a novel training-free method".

    Returns
    -------
    set of int
    """
    out = set()
    for tok in doc:
        if tok.dep_ != "appos" or tok.head is tok:
            continue
        if _marked_own(tok.head):
            out.update(t.i for t in np_heads(tok))
        elif _marked_own(tok):
            # the name with what precedes the apposition, not the apposition itself
            out.update(t.i for t in tok.head.subtree if t.i < tok.left_edge.i and not t.is_punct)
    return out


def title_definition_tokens(doc, title_end):
    """Tokens of the abbreviation the abstract defines for the name that opens the title: "Sharpness-Aware
    Minimization for Efficiently Improving Generalization" ... "Sharpness-Aware Minimization (SAM)" (the
    longest such definition, so "Minimum Entropy Coupling with Bottleneck (MEC-B)" wins over "Minimum
    Entropy Coupling (MEC)" in a paper titled "Minimum Entropy Coupling with Bottleneck").

    Parameters
    ----------
    doc : spacy.tokens.Doc
    title_end : int or None
        First token of the abstract; nothing without it.

    Returns
    -------
    set of int
        Tokens of the short and long forms in the abstract. Two-letter abbreviations are left out: they
        shorten names of people or fields ("Cauchy-Schwarz (CS)"), not coined methods.
    """
    pairs = doc._.kg_abbreviations if doc.has_extension("kg_abbreviations") else None
    if not title_end or not pairs:
        return set()
    title = [t.lower_ for t in doc[:title_end]]
    best = None
    for short, long_ in pairs:
        words = [t.lower_ for t in long_]
        if (long_.start >= title_end and len(words) >= 2 and len(short.text) >= 3
                and title[:len(words)] == words):
            if best is None or len(long_) > len(best[1]):
                best = (short, long_)
    if best is None:
        return set()
    short, long_ = best
    return set(range(short.start, short.end)) | set(range(long_.start, long_.end))
