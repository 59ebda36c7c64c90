"""Role rules: is an entity the paper's contribution, a baseline, something used, or only mentioned?

Follows GUIDELINE.md ("role"). Pure functions over a parsed Doc; the ``kg_entities`` component applies them.

* proposed: the object of "we propose / introduce / present / develop X" (X, its appositions and
  conjuncts, "termed / called / dubbed X", "a set / family of X", the items of a list that spells it out after
  a colon; also "we improve ... by introducing X", "we are the first to design X"), "X is proposed", "our X"
  and "the proposed X" for a name, a name that opens the title before ":" (not a slogan, :func:`title_slogan`),
  the phrase that opens a title without such a name, a name in apposition to "our N" or "a novel N"
  (:func:`kg.extract.role_context.own_apposition_tokens`) or right after "our N" whatever the parse ("our (meta)
  algorithm TAILOR"), an abbreviation defined for the name that opens the title
  (:func:`kg.extract.role_context.title_definition_tokens`) or for what "we" do something "with / through
  / via / by" (:func:`means_tokens`), the name given right after what "we propose" (", Clustering VQ-VAE
  (CVQ-VAE)", ", or SAF", :func:`named_definition_tokens`); and (applied by the component) parts of it ("X uses
  Y", "our method performs Y", "X comprises two components: Y and Z", "we implement Y") and variants named after it
  ("ElasticViT-S1"). Never a well-known name (GPT-4), a phrase naming a finding (:func:`names_a_result`) nor the
  subject of a claim in the title ("Structured Pruning is All You Need");
  a proposed thing typed Task, Dataset or Metric by weak evidence is a Method (:func:`contribution_type`);
* baseline: what the paper compares against or improves on (:func:`baseline_tokens`, see
  :mod:`kg.extract.role_context`);
* used: the object of "we use / adopt / apply / build on / fine-tune X", "based on X", "using X", and whatever
  the paper's own sentences name (the title, sentences with "we", "our", "experiments", its coined names),
  unless the work does without it ("without X", "does not require X");
* mentioned: anything else, i.e. what only background sentences name. The same holds for Dataset, Task and
  Metric (used when the work evaluates or trains on them, else mentioned).

On the 248 annotated training abstracts (2-fold check, taggers trained on the other half) these rules agree with
the annotators' role for 76% of the matched methods and models; "proposed" has F1 0.74 there (precision 0.79).
"""

from .role_context import (BASELINE_VERBS, NAMING_VERBS, coined_name, comparison_tokens, is_own_sentence,
                           negated_tokens, np_heads, own_apposition_tokens, own_sentences,
                           prior_work_tokens, title_definition_tokens)
from ..records import strongest_role
from .boundaries import FINITE_TAGS, word_count
from .entity_types import is_name_like, strong_type
from .sentences import title_colon, title_end

__all__ = ["PROPOSE_VERBS", "NAMING_VERBS", "BASELINE_VERBS", "USE_VERBS", "COMPONENT_VERBS",
           "BUILD_VERBS", "proposal_heads", "list_items", "own_names", "baseline_tokens", "use_tokens",
           "component_tokens", "means_tokens", "named_definition_tokens", "title_names", "role_scopes",
           "own_scopes", "winner_tokens", "mention_role", "role_rule", "best_role", "contribution_type", "opens_title",
           "title_slogan", "names_a_result", "RESULT_HEADS"]


PROPOSE_VERBS = {"propose", "introduce", "present", "develop", "design", "devise", "offer", "put", "unveil",
                 "suggest", "invent", "derive", "pioneer",
                 "establish", "formulate", "build", "construct", "contribute"}
USE_VERBS = {"use", "adopt", "apply", "employ", "leverage", "utilize", "utilise", "exploit", "fine-tune",
             "finetune", "train", "integrate", "incorporate", "combine", "extend", "adapt", "augment", "equip",
             "base", "build", "rely", "draw", "harness", "implement", "instantiate", "plug"}
_SELF = {"we", "paper", "work", "study", "i", "article", "letter"}
#: Words that mark the paper's own thing right before a mention ("our X", "the proposed X").
_OWN = {"our", "proposed", "novel", "new"}
#: Words that always mark the paper's own thing, whatever their tag ("our X", "the proposed X").
_MINE = {"our", "proposed"}
#: Words before a title mention that introduce the paper's technique ("... via X", "X: ...").
_TITLE_LEAD = {'via', 'with', 'using', 'through', 'by', ':'}

#: Verbs whose object, when the work is their subject, lists the parts of the contribution.
_LIST_VERBS = {"integrate", "include", "comprise", "contain", "feature", "consist", "combine", "involve", "have"}
#: Nouns that, as "our X" or "the proposed X", stand for the paper's contribution.
_OWN_HEADS = {"approach", "method", "framework", "model", "system", "algorithm", "technique", "pipeline",
              "architecture", "design", "scheme", "solution", "strategy"}


def _subject_is_self(verb):
    """True when the subject of `verb` is the paper or its contribution ("we", "this paper", "our method"),
    or `verb` is passive ("X is proposed") or coordinated with such a verb."""
    subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    for c in subj:
        if c.lower_ in ("we", "i"):
            return True
        # "this paper / our work proposes", not "several studies have proposed"
        if c.lemma_.lower() in _SELF and any(d.lower_ in ("this", "our", "present") for d in c.children):
            return True
        # "our approach / the proposed framework integrates ..."
        if c.lemma_.lower() in _OWN_HEADS and any(d.lower_ in ("our", "proposed") for d in c.children):
            return True
    # "recent works have proposed X" (its own subject), not "X is proposed" or "we first propose and design X"
    if any(c.dep_ == "nsubj" for c in verb.children):
        return False
    # "X is proposed", "we first propose", "this paper proposes": passive or coordinated with a "we" verb
    if any(c.dep_ == "auxpass" for c in verb.children):
        # "many approaches have been proposed": the perfect tells of prior work
        return not any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in verb.children)
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return _subject_is_self(verb.head)
    if verb.dep_ in ("xcomp", "advcl") and verb.head is not verb:
        return _subject_is_self(verb.head)
    # "we are the first to design X"
    if verb.dep_ in ("xcomp", "acl", "relcl") and verb.head.dep_ in ("attr", "acomp") and \
            verb.head.head.pos_ in ("VERB", "AUX"):
        return _subject_is_self(verb.head.head)
    # "we improve X by introducing Y": the verb the preposition hangs on
    if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.pos_ in ("VERB", "AUX"):
        return _subject_is_self(verb.head.head)
    return False


_ITEM_POS = {"ADJ", "NOUN", "PROPN", "ADV", "VERB", "NUM"}
_ENUMERATORS = {"i", "ii", "iii", "iv", "v", "vi", "1", "2", "3", "4", "5", "6", "a", "b", "c", "d"}


def list_items(obj):
    """Tokens of the items of a list that spells out `obj` after a colon: "we propose three techniques: (1) X,
    ...; (2) Y, ..." -> X and Y (each item's first noun phrase, not its explanation).

    Parameters
    ----------
    obj : spacy.tokens.Token
        Head of the announced noun phrase.

    Returns
    -------
    set of int
    """
    doc, sent = obj.doc, obj.sent
    colon = next((t.i for t in doc[obj.i + 1:sent.end] if t.text == ":"), None)
    if colon is None or any(t.pos_ == "VERB" and t.dep_ not in ("amod", "acl") for t in doc[obj.i + 1:colon]):
        return set()
    out, marker = set(), True
    i = colon + 1
    while i < sent.end:
        t = doc[i]
        if t.text in (";", ":") or t.text == "," and i + 1 < sent.end and (doc[i + 1].text in ("(", "and")
                                                                             or doc[i + 1].pos_ == "DET"):
            marker = True
        elif marker and (t.is_punct or t.lower_ in _ENUMERATORS or t.pos_ in ("DET", "CCONJ")):
            pass
        elif marker:
            marker = False
            end = i
            while end < sent.end and (doc[end].pos_ in _ITEM_POS or doc[end].text == "-"):
                end += 1
            if end > i:
                out.update(range(i, end))
                # "... (ABBR)"
                if doc[end:end + 3].text.count("(") == 1 and end + 2 < sent.end and doc[end + 2].text == ")":
                    out.add(end + 1)
            i = max(end, i + 1)
            continue
        i += 1
    return out


#: Nouns whose "of" phrase is what is proposed ("we introduce a set of hardware-efficient codebooks").
_CONTAINERS = {"set", "family", "suite", "series", "collection", "class", "pair", "combination", "variety",
               "number", "kind", "type", "range"}


#: Vague nouns whose "of" phrase names what is proposed when written as a name ("a new learning paradigm of
#: Cloud-Device Collaborative Continual Adaptation"); :data:`_CONTAINERS` take any "of" phrase.
_NAMED_OF_HEADS = _OWN_HEADS | {"paradigm", "formulation", "form", "variant", "notion", "concept"}


def _titled(tok):
    """True when the noun phrase headed by `tok` is written in title case ("Cloud-Device Collaborative
    Continual Adaptation"), two words at least."""
    words = [t for t in tok.subtree if t.i <= tok.i and t.is_alpha and t.pos_ != "DET"]
    return len(words) >= 2 and all(t.text[:1].isupper() for t in words)


def proposal_heads(doc):
    """Tokens heading what the paper proposes.

    Returns
    -------
    set of int
        Token indices: heads of the objects of "we propose ..." (and of the list items that spell them out,
        :func:`list_items`) and of "called/termed/dubbed X".
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
            # "a set of hardware-efficient codebooks", "a family of loss functions"
            objs += [o for obj in objs for p in obj.children if p.dep_ == "prep" and p.lower_ == "of"
                     for o in p.children if o.dep_ == "pobj" and (
                         obj.lemma_.lower() in _CONTAINERS or obj.lemma_.lower() in _NAMED_OF_HEADS and _titled(o))]
            for obj in objs:
                out.update(t.i for t in np_heads(obj))
                out |= list_items(obj)
        elif lemma in _LIST_VERBS and _subject_is_self(tok):
            for obj in (c for c in tok.children if c.dep_ in ("dobj", "attr")):
                out |= list_items(obj)
        elif lemma in NAMING_VERBS:
            for c in tok.children:
                if c.dep_ in ("oprd", "attr", "dobj", "xcomp", "npadvmod", "advcl", "ccomp"):
                    out.update(t.i for t in np_heads(c))
    return out


def own_names(doc, end=None):
    """Texts of the coined names the paper proposes (:func:`proposal_heads`, :func:`title_names`).

    Parameters
    ----------
    doc : spacy.tokens.Doc
    end : int, optional
        First token of the abstract (:func:`kg.extract.sentences.title_end`).

    Returns
    -------
    set of str
    """
    return _coined_names(doc, proposal_heads(doc), title_names(doc, end))


def _coined_names(doc, proposed, title):
    return {doc[i].text for i in set(proposed) | set(title) if coined_name(doc[i].text)}


def _own(doc):
    return own_sentences(doc, own_names(doc, title_end(doc)))


def role_scopes(doc):
    """Every token set :func:`mention_role` reads, each computed once for the doc.

    Parameters
    ----------
    doc : spacy.tokens.Doc

    Returns
    -------
    dict
        ``proposed`` (:func:`proposal_heads`), ``title`` (:func:`title_names`), ``title_end``, ``own`` (first
        tokens of the sentences about the work itself), ``baseline`` (:func:`baseline_tokens`) and ``used``
        (:func:`use_tokens`).
    """
    end = title_end(doc)
    proposed, title = proposal_heads(doc), title_names(doc, end)
    own = own_sentences(doc, _coined_names(doc, proposed, title))
    return {"proposed": proposed, "title": title, "title_end": end, "own": {sent.start for sent in own},
            "baseline": baseline_tokens(doc, own), "used": use_tokens(doc, own)}


def baseline_tokens(doc, own=None):
    """Tokens inside phrases naming what the paper compares against or improves on: comparisons
    (:func:`kg.extract.role_context.comparison_tokens`) and, in background sentences, prior work named as such
    (:func:`kg.extract.role_context.prior_work_tokens`).

    Parameters
    ----------
    doc : spacy.tokens.Doc
    own : list of spacy.tokens.Span, optional
        The sentences about the work itself, when already known (:func:`role_scopes`).

    Returns
    -------
    set of int
    """
    own = _own(doc) if own is None else own
    return comparison_tokens(doc) | prior_work_tokens(doc, {s.start for s in own})


def use_tokens(doc, own=None):
    """Tokens inside phrases naming what the work uses or builds on, and every token of a sentence about the
    work itself (:func:`kg.extract.role_context.own_sentences`), outside what the work does without
    (:func:`kg.extract.role_context.negated_tokens`): annotators call a method or model that the paper's own
    sentences name "used", one that only background sentences name "mentioned".

    Parameters
    ----------
    doc : spacy.tokens.Doc
    own : list of spacy.tokens.Span, optional
        The sentences about the work itself, when already known (:func:`role_scopes`).

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
    for sent in _own(doc) if own is None else own:
        out.update(range(sent.start, sent.end))
    return out - negated_tokens(doc)


#: Verbs whose object, when their subject is the paper's contribution, is a part of it.
COMPONENT_VERBS = {"use", "employ", "adopt", "introduce", "incorporate", "integrate", "leverage", "utilize",
                   "feature", "include", "comprise", "combine", "propose", "exploit", "apply", "add", "design",
                   "rely", "consist", "contain", "perform"}


#: Verbs whose object, when "we" do them, is part of the contribution ("we implement a re-weighting term").
BUILD_VERBS = {"implement", "apply", "utilize", "utilise", "add", "impose", "design", "develop", "construct", "build",
               "provide", "derive", "extend", "enforce", "equip", "augment", "formulate", "devise", "introduce"}

#: Build verbs whose "with" phrase is what the work adds ("we equip X with Y").
_EQUIP_VERBS = {"equip", "augment", "extend"}


def _we_subject(verb):
    """True when "we" is the subject of `verb` (directly, or of the verb it is coordinated with)."""
    for c in verb.children:
        if c.dep_ == "nsubj":
            return c.lower_ == "we"
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head is not verb:
        return _we_subject(verb.head)
    return False


def component_tokens(doc, own, build=True):
    """Tokens of what the contribution itself uses or contains ("TAILOR uses novel reward functions", "X, a
    simple technique that leverages a semantic preservation loss").

    Parameters
    ----------
    doc : spacy.tokens.Doc
    own : set of int
        Tokens of the mentions of proposed entities.
    build : bool
        Also the objects of "we implement / derive / provide ..." (:data:`BUILD_VERBS`).

    Returns
    -------
    set of int
        The object noun phrases (:func:`_np_heads`) of :data:`COMPONENT_VERBS` whose subject is in `own`, or
        whose subject is a relative pronoun on a description in apposition to a token of `own`.
    """
    out = set()
    for tok in doc:
        if tok.pos_ != "VERB":
            continue
        lemma = tok.lemma_.lower()
        if build and lemma in BUILD_VERBS and _we_subject(tok):
            for c in tok.children:
                if c.dep_ in ("dobj", "nsubjpass"):
                    out.update(t.i for t in np_heads(c))
            if lemma in _EQUIP_VERBS:  # "we augment the draft model with a trained acceptance prediction head"
                hosts = [tok] + [c for c in tok.children if c.dep_ == "dobj"]  # "with" on the verb or its object
                out.update(t.i for h in hosts for p in h.children if p.dep_ == "prep" and p.lower_ == "with"
                           for o in p.children if o.dep_ == "pobj" for t in np_heads(o))
            continue
        if lemma not in COMPONENT_VERBS:
            continue
        subj = [c for c in tok.children if c.dep_ == "nsubj"]
        if tok.dep_ == "relcl" and tok.head.dep_ == "appos" and any(c.tag_ in ("WDT", "WP") for c in subj):
            # "we present X, a simple technique that leverages Y": what the description of X uses, X uses
            subj = [tok.head.head]
        if not any(c.i in own or _own_head(c) for c in subj):
            continue
        for c in tok.children:
            objs = [c] if c.dep_ == "dobj" else [o for o in c.children if o.dep_ == "pobj"] if c.dep_ == "prep" else []
            for o in objs:  # "EASY-EP comprises two key components: X and Y"
                out.update(t.i for t in np_heads(o))
                out |= list_items(o)
    return out


def _own_head(tok):
    """True for "our method", "the proposed framework": a vague noun that stands for the contribution."""
    return tok.lemma_.lower() in _OWN_HEADS and any(d.lower_ in ("our", "proposed") for d in tok.children)


#: Prepositions introducing how "we" do something ("we enhance stability through X (ABBR)").
_MEANS_PREPS = {"with", "through", "via", "by"}
#: Verbs whose "with" names what the work is set against, not its means ("we compare it with X (ABBR)").
_COMPARE_VERBS = {"compare", "contrast", "benchmark", "match", "pair", "rival", "replace", "substitute"}


def means_tokens(doc):
    """Tokens of names the paper coins for its means: a definition "Long Form (ABBR)"
    (``doc._.kg_abbreviations``) that is the object of "with / through / via / by" after a verb whose subject
    is "we" ("we enhance training stability through Proper Guidance-SwiftBrush (PG-SB)").

    Returns
    -------
    set of int
        Tokens of the long and short forms; empty without abbreviation definitions.
    """
    out = set()
    pairs = doc._.kg_abbreviations if doc.has_extension("kg_abbreviations") else None
    for short, long_ in pairs or []:
        root = long_.root
        prep = root.head
        # "we extend this approach with X (ABBR)": the preposition may hang on the verb's object
        verb = prep.head.head if prep.head.dep_ == "dobj" else prep.head
        if (root.dep_ == "pobj" and prep.lower_ in _MEANS_PREPS and verb.pos_ == "VERB"
                and verb.lemma_.lower() not in _COMPARE_VERBS and _we_subject(verb)):
            out.update(range(long_.start, long_.end))
            out.update(range(short.start, short.end))
    return out


#: Words that may stand between what "we propose" and the name given to it ("..., called X (ABBR)").
_NAMING_WORDS = {"called", "named", "coined", "termed", "dubbed", "namely", "i.e.", "ie", "viz"}
#: Words after which a definition is no longer the name of the proposed thing ("a method that improves X (A)").
_WINDOW_STOPS = {"that", "which", "who", "where", "whereby", "than", "over", "like", "unlike", "including",
                 "e.g.", "such", ";", ":", "(", "of"}


def named_definition_tokens(doc, heads):
    """Tokens of the name given to what "we propose": an abbreviation definition ("Long Form (ABBR)",
    ``doc._.kg_abbreviations``) or a word shaped like a name that follows the proposed noun phrase after a
    comma, ", or" or "called / coined / namely", with no verb or relative clause between ("we present a simple
    alternative method for online codebook learning, Clustering VQ-VAE (CVQ-VAE)", "a novel importance score
    for global pruning, coined layer-adaptive magnitude-based pruning (LAMP) score", "we propose
    Sharpness-Aware Training for Free, or SAF"). Robust to a misparse of the name itself ("Clustering" as a
    verb).

    Parameters
    ----------
    doc : spacy.tokens.Doc
    heads : set of int
        Tokens heading what the paper proposes (:func:`proposal_heads`).

    Returns
    -------
    set of int
        Tokens of the name (both forms of a definition).
    """
    pairs = doc._.kg_abbreviations if doc.has_extension("kg_abbreviations") else None
    names = [(long_.start, set(range(long_.start, long_.end)) | set(range(short.start, short.end)))
             for short, long_ in pairs or []]
    defined = {i for _, toks in names for i in toks}
    names += [(t.i, {t.i}) for t in doc if t.i not in defined and is_name_like(t.text)]
    out = set()
    for start, toks in names:
        i = start - 1
        if i >= 1 and doc[i].lower_ == "or" and doc[i - 1].text == ",":
            i -= 1
        if i < 1 or not (doc[i].text == "," or doc[i].lower_ in _NAMING_WORDS):
            continue
        sent_start = doc[start].sent.start
        while i >= sent_start and i not in heads:
            t = doc[i]
            if t.lower_ in _WINDOW_STOPS or t.pos_ in ("VERB", "AUX") and t.lower_ not in _NAMING_WORDS:
                break
            i -= 1
        if i >= sent_start and i in heads:
            out |= toks
    return out


def title_names(doc, title_end, max_words=4):
    """Token range of the title's prefix before ":" when it is a short name ("SpecDec++: Boosting ..."), not a
    slogan (:func:`title_slogan`).

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
    colon = title_colon(doc, title_end)
    if not colon:
        return range(0)
    name = doc[:colon]
    return range(0, colon) if word_count(name) <= max_words and not title_slogan(name) else range(0)


def title_slogan(span):
    """True for a title's slogan rather than a name: it opens with a preposition ("From Entropy to Epiplexity",
    "From GaLore to WeLore"), holds a finite verb ("Layer-wise Importance Matters", "Don't Play Favorites"), or,
    holding no name, opens with an article ("A New Way") or holds a preposition or article as a word of its
    own ("Catching the Details", "One Loss for All").

    Parameters
    ----------
    span : spacy.tokens.Span
        The words before the title's colon.

    Returns
    -------
    bool
    """
    if len(span) > 1 and span[0].pos_ in ("ADP", "SCONJ"):
        return True
    if any(t.tag_ in FINITE_TAGS or t.lower_ == "n't" for t in span):
        return True
    if any(is_name_like(t.text) for t in span):
        return False
    return span[0].pos_ == "DET" or any(
        t.pos_ in ("ADP", "DET") and t.whitespace_ and t.i > span.start and span.doc[t.i - 1].whitespace_
        for t in span)


def _in_own_sentence(span, scopes):
    """True when `span` is in a sentence about the work itself and not in what the work does without (what
    :func:`use_tokens` adds to ``scopes["used"]``, checked again for scopes built otherwise)."""
    doc = span.doc
    if "own" in scopes:  # computed once for the doc (empty when nothing set sentence boundaries)
        own = bool(scopes["own"]) and span.sent.start in scopes["own"]
    elif not doc.has_annotation("SENT_START") and not doc.has_annotation("DEP"):
        return False
    else:
        own = is_own_sentence(span.sent, _coined_names(doc, scopes["proposed"], scopes["title"]),
                              scopes.get("title_end"))
    if not own:
        return False
    if "negated" not in scopes:
        scopes["negated"] = negated_tokens(doc)
    return not any(i in scopes["negated"] for i in range(span.start, span.end))


def own_scopes(doc, scopes):
    """Add to `scopes`, once, the token sets of the paper's own names that only some mentions need:
    ``appos`` (:func:`kg.extract.role_context.own_apposition_tokens`), ``means`` (:func:`means_tokens`),
    ``named`` (:func:`named_definition_tokens`), ``winner`` (:func:`winner_tokens`) and ``title_def``
    (:func:`kg.extract.role_context.title_definition_tokens`)."""
    parsed = doc.has_annotation("DEP")
    if "appos" not in scopes:
        scopes["appos"] = own_apposition_tokens(doc) if parsed else set()
    if "means" not in scopes:
        scopes["means"] = means_tokens(doc) if parsed else set()
    if "named" not in scopes:
        scopes["named"] = named_definition_tokens(doc, scopes["proposed"]) if parsed else set()
    if "winner" not in scopes:
        scopes["winner"] = winner_tokens(doc) if parsed else set()
    if "title_def" not in scopes:
        scopes["title_def"] = title_definition_tokens(doc, scopes.get("title_end"))


def _after_own_head(span, window=4):
    """True for a name right after "our N" or "the proposed N" with N a word for the contribution, whatever
    the parse: "our (meta) algorithm TAILOR", "our proposed framework SpecDec"."""
    doc = span.doc
    if span.start < 2 or not is_name_like(span.text) or doc[span.start - 1].lemma_.lower() not in _OWN_HEADS:
        return False
    for t in reversed(doc[max(0, span.start - 1 - window):span.start - 1]):
        if t.lower_ in _MINE:
            return not (t.i and doc[t.i - 1].pos_ == "ADV")
        if not (t.is_punct or t.pos_ in ("ADJ", "NOUN", "PROPN")):
            return False
    return False


#: Words that make the loser of a comparison the field's prior work ("outperforms existing methods").
_PRIOR_ART = {"existing", "previous", "prior", "baseline", "baselines", "state-of-the-art", "sota", "conventional",
              "traditional", "competing", "other", "others", "recently-proposed", "current", "standard"}


def winner_tokens(doc):
    """Tokens of the subject of "outperforms / surpasses" when what it beats is prior work as a class
    ("Adaptive rank sampling outperformed existing fine-tuning methods"): what a paper sets against the field
    is its own.

    Returns
    -------
    set of int
    """
    out = set()
    for tok in doc:
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in ("outperform", "surpass", "beat", "exceed"):
            continue
        if any(c.dep_ == "neg" for c in tok.children):
            continue
        objs = [c for c in tok.children if c.dep_ == "dobj"]
        if not any(t.lower_ in _PRIOR_ART for o in objs for t in o.subtree):
            continue
        for c in tok.children:
            if c.dep_ == "nsubj":
                out.update(t.i for t in np_heads(c))
    return out


def _title_claim(span, title_end):
    """True when the part of the title holding `span` (the title split at its colon) makes a claim about it:
    "Structured Pruning is All You Need", "X Need Decoupled Embeddings" name no contribution."""
    doc = span.doc
    colon = title_colon(doc, title_end)
    part = doc[:title_end] if colon is None else doc[:colon] if span.start < colon else doc[colon + 1:title_end]
    return any(t.tag_ in FINITE_TAGS for t in part)


def mention_role(span, type_, scopes, known=False):
    """Role of one mention (see :func:`role_rule`, which also says which rule decided it).

    Returns
    -------
    str
    """
    return role_rule(span, type_, scopes, known)[0]


def role_rule(span, type_, scopes, known=False):
    """Role of one mention and the id of the rule that decided it (``roles.<rule>``), from the token sets of
    :func:`proposal_heads` (``scopes["proposed"]``), :func:`baseline_tokens`, :func:`use_tokens` and the title
    (:func:`title_names`, ``scopes["title_end"]``).

    Parameters
    ----------
    span : spacy.tokens.Span
    type_ : str
    scopes : dict
        ``{"proposed": set, "title": range, "title_end": int or None, "baseline": set, "used": set}``. The
        token sets of :func:`own_scopes` (keys ``"appos"``, ``"means"``, ``"named"``, ``"winner"``,
        ``"title_def"``) are added on first use unless the caller set them.
    known : bool
        The mention is a well-known name of the lexicon (GPT-4, LoRA): never proposed.

    Returns
    -------
    tuple of str
        ``(role, rule id)``.
    """
    idx = range(span.start, span.end)
    if type_ not in ("Method", "Model"):
        if any(i in scopes["used"] for i in idx):
            return "used", "roles.used_phrase"
        return ("used", "roles.own_sentence") if _in_own_sentence(span, scopes) else ("mentioned", "roles.default")
    doc = span.doc
    if len(idx) and idx[-1] in scopes["title"]:
        return "proposed", "roles.title_name"
    own_scopes(doc, scopes)
    if not known:
        for name in ("appos", "means", "named", "winner", "title_def"):
            if any(i in scopes[name] for i in idx):
                return "proposed", f"roles.own_{name}"
        if _after_own_head(span):
            return "proposed", "roles.after_own_head"
    before = [t for t in doc[max(0, span.start - 3):span.start] if not t.is_punct or t.text == "-"]
    # a well-known name (GPT-4, BERT) is never the paper's own contribution, whatever the verb
    if not known:
        if any(i in scopes["proposed"] for i in idx):
            return "proposed", "roles.proposal_object"
        if (any(t.lower_ in _MINE and not (t.i and doc[t.i - 1].pos_ == "ADV") for t in before[-2:]) or
                any(t.lower_ in _OWN for t in before[-2:]) and not any(t.pos_ == "VERB" for t in before[-2:])):
            return "proposed", "roles.own_marker"
    title_end = scopes.get("title_end")
    if not known and title_end is not None and span.end < title_end:
        i = span.start - 1
        if i >= 0 and doc[i].lower_ in ("a", "an", "the"):  # "...: A Concept-Guided Bayesian Framework for"
            i -= 1
        prev = doc[i] if i >= 0 else None
        if (not len(scopes["title"]) and (prev is None or prev.lower_ in _TITLE_LEAD)
                and not _title_claim(span, title_end)):
            return "proposed", "roles.title_lead"
    if any(i in scopes["baseline"] for i in idx):
        return "baseline", "roles.compared"
    if any(i in scopes["used"] for i in idx):
        return "used", "roles.used_phrase"
    return "mentioned", "roles.default"


#: Nouns that, linked to a proposed thing ("a new benchmark, X", "X, a metric for ..."), keep it a Dataset, Task
#: or Metric.
_DATA_DESCRIPTORS = {"dataset", "benchmark", "corpus", "suite", "collection", "task", "problem", "challenge",
                     "metric", "measure", "score", "criterion", "evaluation", "leaderboard", "testbed"}


def _described_as_data(span):
    """True when a noun linked to `span` (apposition, "called/named", the word right after it, the head of
    the phrase it ends) says it is a dataset, task or metric."""
    doc, root = span.doc, span.root
    linked = [root.head] if root.dep_ in ("appos", "attr", "oprd", "compound", "nmod") else []
    linked += [c for c in root.children if c.dep_ in ("appos", "attr")]
    if root.head.dep_ == "acl" or root.dep_ in ("oprd", "attr"):  # "a benchmark called X"
        linked += [root.head.head, root.head]
    if span.end < len(doc):
        linked.append(doc[span.end])
    linked += [t for t in span]
    return any(t.lemma_.lower() in _DATA_DESCRIPTORS or t.lower_ in _DATA_DESCRIPTORS for t in linked)


_DATASET_WORDS = {"dataset", "benchmark", "corpus"}


def _named_as_dataset(span, scopes):
    """True for a name that an apposition calls a dataset or benchmark, whether the paper introduces it ("we
    introduce Inter4K, a novel ... video dataset") or publishes or cites it ("we will publish WikiSQL, a dataset of
    80654 hand-annotated examples"). Rule ``types.appos_dataset``: of the names in apposition to such a noun in the
    3,118 annotated abstracts, 13 of 14 are annotated a Dataset (the other is the task a benchmark is named for)."""
    root = span.root
    return is_name_like(span.text) and any(c.dep_ == "appos" and c.lemma_.lower() in _DATASET_WORDS
                                           for c in root.children)


def contribution_type(spans, type_, scopes, known=False, lexicon=None):
    """Type of a thing the paper proposes: a Method unless it is described as a dataset, task or metric.

    A coined name that the tagger or a head word typed as a Task, Dataset or Metric ("we propose SDIM
    (Sampling-based Deep Interest Modeling)", "we propose the object-aware filter") is the paper's technique
    when a proposal verb or an own apposition introduces it, or it opens a title that has no leading name ("Neural
    Fine-Tuning Search for Few-Shot Learning"); "we introduce X, a benchmark for ..." stays a Dataset.

    Parameters
    ----------
    spans : list of spacy.tokens.Span
        Mentions of one entity.
    type_ : str
        Its type from the candidates.
    scopes : dict
        From :func:`role_scopes`.
    known : bool
        A listed term keeps its type.
    lexicon : kg.extract.lexicon.Lexicon, optional
        With it, a task or dataset phrase opening a title ("Image Super-Resolution with ...",
        :func:`kg.extract.entity_types.strong_type`) keeps its type.

    Returns
    -------
    str
    """
    if known:
        return type_
    if type_ in ("Method", "Model"):
        # "we introduce Inter4K, a novel high-quality video dataset": a name the tagger took for a technique
        return "Dataset" if any(_named_as_dataset(s, scopes) for s in spans) else type_
    own_scopes(spans[0].doc, scopes)
    own = scopes["proposed"] | scopes["appos"] | scopes["title_def"]
    introduced = any(i in own for s in spans for i in range(s.start, s.end))
    # a title opening with a task ("Image Super-Resolution with ...") names no technique
    by_title = any(_opens_title(s, scopes) for s in spans) and not (
        lexicon and any(strong_type(s, lexicon) in ("Task", "Dataset") for s in spans))
    if not (introduced or by_title) or any(_described_as_data(s) for s in spans):
        return type_
    return "Method"


def opens_title(span):
    """True for a span at the very start of the title, after an article at most ("The LLM Surgeon")."""
    return span.start == 0 or span.start == 1 and span.doc[0].lower_ in ("a", "an", "the")


def _opens_title(span, scopes):
    """True for a mention that opens a title without a leading name ("Neural Fine-Tuning Search for Few-Shot
    Learning", "The LLM Surgeon")."""
    end = scopes.get("title_end")
    return end is not None and span.end < end and not len(scopes["title"]) and opens_title(span)


#: Head nouns of what a paper finds, measures or shows rather than a technique it proposes ("we derive the
#: explicit form", "we introduce two parameters which measure: (1) the max column norm ...").
RESULT_HEADS = {"performance", "form", "gap", "requirement", "weight", "pair", "evaluation", "insight",
                "property", "guarantee", "result", "proof", "evidence", "description", "characterization",
                "output", "sample", "information", "norm", "phenomenon", "behavior", "behaviour", "trade-off",
                "tradeoff", "capability", "ability", "quality", "efficiency", "accuracy", "cost", "speed",
                "finding", "observation", "understanding", "perspective", "view", "question", "answer", "limit",
                "limitation", "issue", "challenge", "need", "benefit", "advantage", "improvement", "gain",
                # only a kind of something named elsewhere: "a coordinate-wise variant of X", "an LLM family"
                "variant", "family", "version", "extension", "component"}


def names_a_result(name):
    """True when `name` is headed by a word for a finding or measure, not a technique ("explicit form",
    "minimizability gaps", "SOTA performance"), or by a word for a kind of something named elsewhere
    ("coordinate-wise variant"): such a phrase is never the paper's proposed method.

    Examples
    --------
    >>> names_a_result("minimizability gaps"), names_a_result("gap-aware loss"), names_a_result("VARiant")
    (True, False, False)
    """
    words = name.split()
    if not words or not words[-1].islower():  # a name: "VARiant", "Optimization Gap"
        return False
    last = words[-1]
    return last in RESULT_HEADS or last.endswith("s") and last[:-1] in RESULT_HEADS


def best_role(roles):
    """The strongest of `roles` (see :data:`kg.records.ROLE_RANK`).

    Examples
    --------
    >>> best_role(["used", "baseline", "mentioned"])
    'baseline'
    """
    return strongest_role(roles)


