"""Role rules: is an entity the paper's contribution, a baseline, something used, or only mentioned?

Follows GUIDELINE.md ("role"). Pure functions over a parsed Doc; the ``kg_entities`` component applies them.

* proposed: the object of "we propose / introduce / present / develop X" (X, its appositions and
  conjuncts, "termed / called / dubbed X"), "our X" for a name, a name that opens the title before ":";
* baseline: the object of "outperforms / surpasses / beats X", "compared with / to X", "than X",
  "improvement(s) over X", "baselines such as / including X";
* used: the object of "we use / adopt / apply / build on / fine-tune X", "based on X", "using X", and every
  Dataset, Task and Metric that is not only mentioned in passing;
* mentioned: anything else.
"""

__all__ = ["ROLE_RANK", "PROPOSE_VERBS", "NAMING_VERBS", "BASELINE_VERBS", "USE_VERBS", "proposal_heads",
           "baseline_tokens", "use_tokens", "component_tokens", "COMPONENT_VERBS", "title_names", "mention_role", "best_role"]

#: Roles from strongest to weakest; an entity takes the strongest role of its mentions.
ROLE_RANK = {"proposed": 0, "baseline": 1, "used": 2, "mentioned": 3}

PROPOSE_VERBS = {"propose", "introduce", "present", "develop", "design", "devise", "offer", "put", "unveil",
                 "suggest", "invent", "derive", "pioneer",
                 "establish", "formulate", "build", "construct", "contribute"}
NAMING_VERBS = {"call", "term", "dub", "name", "coin"}
BASELINE_VERBS = {"outperform", "surpass", "beat", "exceed", "outpace", "outstrip", "dominate", "eclipse",
                  "overtake", "rival"}
USE_VERBS = {"use", "adopt", "apply", "employ", "leverage", "utilize", "utilise", "exploit", "fine-tune",
             "finetune", "train", "integrate", "incorporate", "combine", "extend", "adapt", "augment", "equip",
             "base", "build", "rely", "draw", "harness", "implement", "instantiate", "plug"}
_SELF = {"we", "paper", "work", "study", "i", "article", "letter"}
#: Words that mark the paper's own thing right before a mention ("our X", "the proposed X").
_OWN = {"our", "proposed", "novel", "new"}
#: Words before a title mention that introduce the paper's technique ("... via X", "X: ...").
_TITLE_LEAD = {'via', 'with', 'using', 'through', 'by', ':'}
_COMPARE_HEADS = {"compare", "comparison", "relative", "compared", "versus", "vs", "vs."}
_OVER_HEADS = {"improvement", "improvements", "gain", "gains", "advantage", "improve", "speedup", "margin",
               "superiority", "outperform", "boost", "edge"}


def _np_heads(tok):
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


def _subject_is_self(verb):
    subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    for c in subj:
        if c.lower_ in ("we", "i"):
            return True
        # "this paper / our work proposes", not "several studies have proposed"
        if c.lemma_.lower() in _SELF and any(d.lower_ in ("this", "our", "present") for d in c.children):
            return True
    # "X is proposed", "we first propose", "this paper proposes": passive or coordinated with a "we" verb
    if any(c.dep_ == "auxpass" for c in verb.children):
        return True
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return _subject_is_self(verb.head)
    if verb.dep_ in ("xcomp", "advcl") and verb.head is not verb:
        return _subject_is_self(verb.head)
    return False


def proposal_heads(doc):
    """Tokens heading what the paper proposes.

    Returns
    -------
    set of int
        Token indices: heads of the objects of "we propose ..." and of "called/termed/dubbed X".
    """
    out = set()
    for tok in doc:
        lemma = tok.lemma_.lower()
        if tok.pos_ not in ("VERB", "AUX"):
            continue
        if lemma in PROPOSE_VERBS and _subject_is_self(tok):
            objs = [c for c in tok.children if c.dep_ in ("dobj", "attr", "oprd")]
            if not objs and any(c.dep_ == "auxpass" for c in tok.children):
                objs = [c for c in tok.children if c.dep_ == "nsubjpass"]
            for obj in objs:
                out.update(t.i for t in _np_heads(obj))
        elif lemma in NAMING_VERBS:
            for c in tok.children:
                if c.dep_ in ("oprd", "attr", "dobj", "xcomp", "npadvmod", "advcl", "ccomp"):
                    out.update(t.i for t in _np_heads(c))
    return out


def baseline_tokens(doc):
    """Tokens inside phrases naming what the paper compares against.

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
            if (tok.lower_ in ("with", "to", "against") and (head in _COMPARE_HEADS or tok.head.lower_ in _COMPARE_HEADS)
                    or tok.lower_ == "than"
                    or tok.lower_ in ("over", "upon") and (head in _OVER_HEADS or tok.head.lower_ in _OVER_HEADS)
                    or tok.lower_ in ("versus", "vs", "vs.")):
                for o in obj:
                    out.update(t.i for t in o.subtree)
        if tok.lower_ in ("baseline", "baselines") and tok.i + 2 < len(doc):
            nxt = doc[tok.i + 1: tok.i + 3]
            if nxt[0].lower_ in ("including", "like") or nxt.text.lower() == "such as":
                end = tok.i + 1
                sent_end = tok.sent.end
                while end < sent_end and doc[end].text not in (".", ";"):
                    end += 1
                out.update(range(tok.i + 1, end))
    return out


def use_tokens(doc):
    """Tokens inside phrases naming what the work uses or builds on.

    Returns
    -------
    set of int
    """
    out = set()
    for tok in doc:
        lemma = tok.lemma_.lower()
        if lemma not in USE_VERBS:
            continue
        for c in tok.children:
            if c.dep_ in ("dobj", "pobj", "nsubjpass"):
                out.update(t.i for t in c.subtree)
            elif c.dep_ in ("prep", "agent"):
                for o in c.children:
                    if o.dep_ == "pobj":
                        out.update(t.i for t in o.subtree)
    return out


#: Verbs whose object, when their subject is the paper's contribution, is a part of it.
COMPONENT_VERBS = {"use", "employ", "adopt", "introduce", "incorporate", "integrate", "leverage", "utilize",
                   "feature", "include", "comprise", "combine", "propose", "exploit", "apply", "add", "design",
                   "rely"}


def component_tokens(doc, own):
    """Tokens of what the contribution itself uses or contains ("TAILOR uses novel reward functions").

    Parameters
    ----------
    doc : spacy.tokens.Doc
    own : set of int
        Tokens of the mentions of proposed entities.

    Returns
    -------
    set of int
        The object noun phrases (:func:`_np_heads`) of :data:`COMPONENT_VERBS` whose subject is in `own`.
    """
    out = set()
    for tok in doc:
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in COMPONENT_VERBS:
            continue
        subj = [c for c in tok.children if c.dep_ == "nsubj"]
        if not any(c.i in own for c in subj):
            continue
        for c in tok.children:
            if c.dep_ == "dobj":
                out.update(t.i for t in _np_heads(c))
            elif c.dep_ == "prep":
                out.update(t.i for o in c.children if o.dep_ == "pobj" for t in _np_heads(o))
    return out


def title_names(doc, title_end, max_words=4):
    """Token range of the title's prefix before ":" when it is a short name ("SpecDec++: Boosting ...").

    Parameters
    ----------
    doc : spacy.tokens.Doc
    title_end : int or None
        First token of the abstract.
    max_words : int
        Longer prefixes are descriptions ("Hierarchical Patch Compression for X: ..."), not names.

    Returns
    -------
    range
        Empty when the title has no such prefix.
    """
    end = title_end if title_end is not None else len(doc)
    for tok in doc[:end]:
        if tok.text == ":" and tok.i > 0:
            words = 1 + sum(1 for t in doc[:tok.i - 1] if t.whitespace_)
            return range(0, tok.i) if words <= max_words else range(0)
    return range(0)


def mention_role(span, type_, scopes, known=False):
    """Role of one mention from the token sets of :func:`proposal_heads` (``scopes["proposed"]``),
    :func:`baseline_tokens`, :func:`use_tokens` and the title (:func:`title_names`, ``scopes["title_end"]``).

    Parameters
    ----------
    span : spacy.tokens.Span
    type_ : str
    scopes : dict
        ``{"proposed": set, "title": range, "title_end": int or None, "baseline": set, "used": set}``.
    known : bool
        The mention is a well-known name of the lexicon (GPT-4, LoRA): never proposed from the title alone.

    Returns
    -------
    str
    """
    idx = range(span.start, span.end)
    if type_ not in ("Method", "Model"):
        return "used"
    doc = span.doc
    if len(idx) and idx[-1] in scopes["title"]:
        return "proposed"
    before = [t for t in doc[max(0, span.start - 3):span.start] if not t.is_punct or t.text == "-"]
    # a well-known name (GPT-4, BERT) is never the paper's own contribution, whatever the verb
    if not known and (any(i in scopes["proposed"] for i in idx) or
                      any(t.lower_ in _OWN for t in before[-2:]) and not any(t.pos_ == "VERB" for t in before[-2:])):
        return "proposed"
    title_end = scopes.get("title_end")
    if not known and not len(scopes["title"]) and title_end is not None and span.end < title_end:
        prev = doc[span.start - 1] if span.start else None
        if prev is None or prev.lower_ in _TITLE_LEAD:
            return "proposed"
    if any(i in scopes["baseline"] for i in idx):
        return "baseline"
    if any(i in scopes["used"] for i in idx):
        return "used"
    return "mentioned"


def best_role(roles):
    """The strongest of `roles` (see :data:`ROLE_RANK`).

    Examples
    --------
    >>> best_role(["used", "baseline", "mentioned"])
    'baseline'
    """
    return min(roles, key=ROLE_RANK.__getitem__, default="mentioned")
