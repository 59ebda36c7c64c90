"""The relation rules of :mod:`kg.extract.relations`, one function per relation and sentence.

Each rule reads one parsed sentence with the mentions of non-generic entities in it (:class:`Ref`) and the
paper's own contribution (the *anchor*), and returns :class:`kg.records.Relation` objects whose evidence is the
shortest fragment of the sentence covering the cue and both mentions. The cue words come from
:mod:`kg.extract.relation_patterns`. Semantics: GUIDELINE.md, "Relations" and "Conventions settled".
"""

from dataclasses import dataclass

from ..records import Relation
from .relation_patterns import (
    attachment, comparisons, has_lemma, implicit_subject, is_coined, lemma, subject_tokens,
)

__all__ = [
    "ACTORS", "Ref", "evidence", "compare_relations", "evaluation_relations", "task_relations",
    "combination_relations", "pair_relations", "role_relations",
]

#: Entity types that can be the subject of a relation (and either side of outperforms / combinesWith).
ACTORS = ("Method", "Model")


@dataclass(frozen=True, eq=False)
class Ref:
    """One mention of a non-generic entity: token offsets, entity key and the entity record."""

    start: int
    end: int
    key: str
    entity: object

    @property
    def name(self):
        return self.entity.name

    @property
    def type(self):
        return self.entity.type

    @property
    def role(self):
        """The entity's role, where a model with a coined name ("LLaMA-2-7B") that is merely ``mentioned``
        counts as ``used``: abstracts rarely name a model without running or building on it, and role rules
        miss many such uses."""
        role = self.entity.role
        if role == "mentioned" and self.entity.type == "Model" and is_coined(self.entity.name):
            return "used"
        return role

    def inside(self, region):
        """True when the mention's tokens are within the index set `region`."""
        return self.start in region and (self.end - 1) in region


def evidence(doc, sent, indices):
    """The shortest fragment of `sent` covering the token `indices` and the whole words they touch:
    (text, start char, end char)."""
    lo = max(min(indices), sent.start)
    hi = min(max(indices) + 1, sent.end)
    while lo > sent.start and not doc[lo - 1].whitespace_ and not doc[lo - 1].is_punct:
        lo -= 1  # "ImageNet-1K" is one word of the text though several tokens
    while hi < sent.end and not doc[hi - 1].whitespace_ and not doc[hi].is_punct:
        hi += 1
    while hi - 1 > lo and doc[hi - 1].is_punct and doc[hi - 1].text not in (")", "]"):
        hi -= 1
    span = doc[lo:hi]
    return span.text, span.start_char, span.end_char


def _rel(doc, sent, s, p, o, idx, confidence):
    """A Relation between `s` and `o` whose confidence is the rule's times the less certain endpoint's."""
    text, start, end = evidence(doc, sent, idx)
    sure = min(getattr(s.entity, "confidence", 1.0), getattr(o.entity, "confidence", 1.0))
    return Relation(s.name, p, o.name, text, start, end, round(confidence * sure, 3))


def _ref_idx(ref):
    return [ref.start, ref.end - 1] if ref is not None else []


def _governor_idx(sent, ref):
    """Indices of the tokens that attach `ref` up to its preposition and that preposition's head
    ("experiments on D1, D2 and D3" for D3): the cue half of the evidence."""
    out = []
    for tok in attachment(_span(sent, ref))[:4]:
        out.append(tok.i)
        if tok.dep_ == "prep":
            if tok.head.i != tok.i:
                out.append(tok.head.i)
            break
    return out


def _in(ref, sent):
    """True when the mention `ref` is inside `sent`."""
    return sent.start <= ref.start < sent.end


def _follows(doc, cue, ref):
    """True when `ref` is the noun phrase right after the cue token, maybe after determiners and adjectives
    ("over the strong GPTQ"): a fallback for parses that attach it elsewhere."""
    if ref.start <= cue or ref.start - cue > 4:
        return False
    return all(t.pos_ in ("DET", "ADJ", "NUM") or t.dep_ in ("det", "amod", "compound")
               for t in doc[cue + 1:ref.start])


def _pick_subjects(refs, region, subject_idx, anchor, exclude=()):
    """The outperforming side: the proposed actor mentions in the grammatical subject ("A and B outperform C"),
    else the proposed actors outside the compared-against region, else the other actors in the subject, else
    the paper's own contribution."""
    actors = [r for r in refs if r.type in ACTORS and not r.inside(region) and r.key not in exclude]
    in_subj = [r for r in actors if r.start in subject_idx]
    proposed = [r for r in actors if r.role == "proposed"]
    own = [r for r in in_subj if r.role == "proposed"]
    if own:
        return own, 0.85
    if proposed:
        # "Llama 2 7B adapted using SORSA ... outperforming LoRA": the paper's method, not its backbone
        return proposed, 0.75
    if in_subj:
        return in_subj, 0.8
    return ([anchor] if anchor is not None else []), 0.6


def compare_relations(doc, sent, refs, anchor, cues):
    """``outperforms`` relations of one sentence.

    Parameters
    ----------
    doc : spacy.tokens.Doc
    sent : spacy.tokens.Span
    refs : list of Ref
        Mentions inside `sent`.
    anchor : Ref or None
        A mention standing for the paper's own contribution (used when the subject is implicit).
    cues : Cues

    Returns
    -------
    relations : list of Relation
    regions : set of int
        Token indices of compared-against things (kept out of the other relations).
    """
    rels, regions = [], set()
    for comp in comparisons(sent, cues):
        objects = [r for r in refs if r.type in ACTORS and (r.inside(comp.region) or _follows(doc, comp.cue, r))
                   and (r.role == "baseline" or r.role != "proposed" and comp.kind == "verb")]
        if comp.kind == "improve":
            objects = [r for r in objects if r.role == "baseline" and r.inside(comp.region)]
        if not objects:
            continue
        regions.update(comp.region)
        subjects, conf = _pick_subjects(refs, comp.region, comp.subject, anchor, {o.key for o in objects})
        if comp.kind == "compare" and has_lemma(sent, cues.negative_cues):
            conf -= 0.2
        if comp.kind == "par":
            conf -= 0.2
        for subj, obj in ((s, o) for s in subjects for o in objects):
            if obj.key == subj.key or subj.role == "baseline" and obj.role in ("used", "mentioned"):
                continue
            idx = [comp.cue, *_ref_idx(obj)] + (_ref_idx(subj) if _in(subj, sent) else [])
            if comp.subject:
                idx.append(min(comp.subject))
            if not comp.inverse:
                rels.append(_rel(doc, sent, subj, "outperforms", obj, idx, conf))
            elif _in(subj, sent) and subj.role != "proposed":
                rels.append(_rel(doc, sent, obj, "outperforms", subj, idx, conf))
    return rels, regions


def _is_evaluation(sent, ref, cues):
    """True when `ref` (a dataset or task) is what something is evaluated on in `sent`."""
    chain = attachment(_span(sent, ref))
    if chain and chain[0].lower_ in cues.evaluation_preps:
        return True
    return has_lemma(sent, cues.evaluation_cues)


def _span(sent, ref):
    """The span of `ref` in the doc of `sent`."""
    return sent.doc[ref.start:ref.end]


def evaluation_relations(doc, sent, refs, anchor, cues, regions=()):
    """``evaluatedOn`` (method or model, dataset) relations of one sentence.

    The subjects are the models and proposed methods named in the sentence (outside compared-against
    regions), the baselines it compares against, and the paper's own contribution.
    """
    data = [r for r in refs if r.type == "Dataset" and _is_evaluation(sent, r, cues)]
    if not data:
        return []
    # compared-against baselines are run on the same data ("outperforming LoRA and PiSSA on MATH")
    subjects = [r for r in refs if r.type in ACTORS and (
        r.start not in regions and (r.type == "Model" or r.role == "proposed")
        or r.start in regions and r.role == "baseline")]
    conf = 0.75
    if anchor is not None and all(s.key != anchor.key for s in subjects):
        subjects.append(anchor)
    rels = []
    for s in subjects:
        for d in data:
            # "experiments on D": the governing preposition and its head belong to the evidence
            idx = _ref_idx(d) + _governor_idx(sent, d)
            idx += _ref_idx(s) if _in(s, sent) else []
            c = conf if _in(s, sent) else conf - 0.1
            c -= 0.15 if s.role == "baseline" else 0.0
            rels.append(_rel(doc, sent, s, "evaluatedOn", d, idx, c))
    return rels


def task_relations(doc, sents, anchor, cues, every_task=False):
    """``evaluatedOn`` (method, task) for a paper that names no evaluation dataset.

    A task the paper works on (role other than ``mentioned``) is what its contribution is evaluated on; the
    subject is a proposed method or model of the same sentence, else the paper's contribution. Tasks of the
    title count; in the abstract, only from the first sentence that speaks of the paper's own work ("we", "our",
    a proposed name) on, not in the opening background.

    Parameters
    ----------
    sents : list of (Span, list of Ref)
        Every sentence with its mentions.
    every_task : bool
        Also relate tasks of sentences without an evaluation cue (at a lower confidence).
    """
    if anchor is None:
        return []
    rels = []
    started = False
    for n, (sent, refs) in enumerate(sents):
        own = [r for r in refs if r.type in ACTORS and r.role == "proposed"]
        # the abstract's opening background ("Image super-resolution has witnessed ...") evaluates nothing
        started = started or n > 0 and (bool(own) or implicit_subject(sent, cues))
        if not started and n > 0:
            continue
        subj = own[0] if own else anchor
        for r in refs:
            if r.type != "Task" or r.role == "mentioned":
                continue
            conf = 0.55 if _is_evaluation(sent, r, cues) else 0.45
            if conf < 0.5 and not every_task:
                continue
            idx = _ref_idx(r) + _governor_idx(sent, r)
            idx += _ref_idx(subj) if _in(subj, sent) else []
            rels.append(_rel(doc, sent, subj, "evaluatedOn", r, idx, conf))
    return rels


def _conj_siblings(a, b):
    """True when the roots of mentions `a` and `b` are conjuncts of one list ("X and Y") or one is in
    apposition to the other ("TARS, a token-adaptive preference strategy": two names of one thing)."""
    ra, rb = a.root, b.root
    return rb.head == ra and rb.dep_ in ("conj", "appos") or ra.head == rb and ra.dep_ in ("conj", "appos") or \
        ra.dep_ == rb.dep_ == "conj" and ra.head == rb.head


def _combine_cue(chain, cues):
    return next((t for t in chain if lemma(t) in cues.combine_verbs or t.lower_ in cues.combine_preps
                 or lemma(t) in cues.combine_adjs), None)


def _verb_governed(doc, sent, ref, actors, spans, cues):
    """combinesWith (X, `ref`) for a merely mentioned method or model that a combine verb takes as its object
    where the verb's subject, or the noun it modifies, is a proposed X ("X: Unify A and B", "X integrates A"):
    the parse, not the role, says that X uses it."""
    chain = attachment(spans[ref])
    verb = next((t for t in chain[:3] if t.pos_ == "VERB" and lemma(t) in cues.combine_verbs), None)
    if verb is None or any(t.dep_ == "prep" for t in chain[:chain.index(verb)]):
        return []
    gsubj = subject_tokens(verb)
    own = next((a for a in actors if a.key != ref.key and a.role == "proposed"
                and (a.start in gsubj or a.start <= verb.head.i < a.end and verb.dep_ in ("acl", "relcl"))), None)
    if own is None:
        return []
    return [_rel(doc, sent, own, "combinesWith", ref, [verb.i, *_ref_idx(ref), *_ref_idx(own)], 0.6)]


def combination_relations(doc, sent, refs, anchor, cues, regions=()):
    """``combinesWith`` relations of one sentence: the sentence's own method or model (or the paper's
    contribution when the sentence speaks of "our method", "we", "it") with each method or model it uses,
    and "A with B" between any two methods or models.

    The confidence follows the cue that attaches the used thing (``strong_combine_cues`` such as "apply",
    "integrate", "via" above plain ones above ``weak_combine_cues`` such as "propose", "include"). Sharing a
    sentence is no evidence, and two proposed things need more than a weak cue ("we propose A and introduce
    B" lists two contributions). A merely mentioned method or model counts when a combine verb governed by a
    proposed one takes it ("X: Unify A and B").
    """
    actors = [r for r in refs if r.type in ACTORS and r.start not in regions]
    if not actors:
        return []
    spans = {r: doc[r.start:r.end] for r in actors}
    own = [r for r in actors if r.role == "proposed"]
    local = next((r for r in own if anchor is not None and r.key == anchor.key), own[0] if own else None)
    implicit = anchor is not None and implicit_subject(sent, cues)
    rels = []
    for r in actors:
        if r.role == "mentioned":
            rels += _verb_governed(doc, sent, r, actors, spans, cues)
        if r.role not in ("used", "proposed"):
            continue
        chain = attachment(spans[r])
        cue = _combine_cue(chain, cues)
        if cue is None:
            continue  # sharing a sentence is no evidence (on the training abstracts 1 such pair in 7 is related)
        gsubj = subject_tokens(cue) if cue.pos_ in ("VERB", "AUX") else ()
        subj = next((a for a in actors if a.start in gsubj and a.key != r.key and a.role != "baseline"), local)
        if subj is None or subj.key == r.key or _conj_siblings(spans[subj], spans[r]):
            subj = anchor if anchor is not None and (implicit or r.role == "proposed") else None
        if subj is None or subj.key == r.key or _in(subj, sent) and _conj_siblings(_span(sent, subj), spans[r]):
            continue
        idx = [cue.i, *_ref_idx(r)] + (_ref_idx(subj) if _in(subj, sent) else [])
        word = cue.lower_ if cue.pos_ == "ADP" else lemma(cue)
        conf = 0.7 if word in cues.strong_combine_cues else 0.45 if word in cues.weak_combine_cues else 0.6
        # weak cues: "we propose A and introduce B" lists two contributions, not one used with the other; some
        # ("in", "include") relate fewer than 1 pair in 4 on the training abstracts
        if word in cues.weak_combine_cues and (r.role == subj.role == "proposed" or word in cues.idle_combine_cues):
            continue
        rels.append(_rel(doc, sent, subj, "combinesWith", r, idx, conf))
    for r in actors:
        # "A with B", "A combined with B": B hangs on A through "with"
        chain = attachment(spans[r])
        if len(chain) < 2 or chain[0].lower_ != "with" and lemma(chain[0]) not in ("combine", "integrate"):
            continue
        head = chain[1] if chain[0].lower_ == "with" else chain[0]
        other = next((a for a in actors if a.key != r.key and (a.start <= head.i < a.end or
                                                               spans[a].root.head == head)), None)
        if other is not None:
            rels.append(_rel(doc, sent, other, "combinesWith", r, [*_ref_idx(other), *_ref_idx(r)], 0.65))
    return rels


def _list_head(tok):
    """The first conjunct of the list `tok` is in ("A" for "A, B and C"), or `tok` itself."""
    for _ in range(8):
        if tok.dep_ != "conj" or tok.head.i == tok.i:
            break
        tok = tok.head
    return tok


def pair_relations(doc, sent, refs, cues, regions=()):
    """``combinesWith`` between the members of one list that a pair cue puts together: "the integration of
    A and B", "by fusing A and B", "Unify A and B" (``pair_cues``). When the cue is a verb whose subject names
    a method or model ("X combines A and B"), the combination rule relates X to each instead.

    Parameters
    ----------
    doc : spacy.tokens.Doc
    sent : spacy.tokens.Span
    refs : list of Ref
        Mentions inside `sent`.
    cues : Cues
    regions : set of int
        Token indices of compared-against things.

    Returns
    -------
    list of Relation
    """
    actors = [r for r in refs if r.type in ACTORS and r.start not in regions]
    if len(actors) < 2:
        return []
    lists = {}
    for r in actors:
        root = _span(sent, r).root
        if root.dep_ == "conj" or any(c.dep_ == "conj" for c in root.children):
            lists.setdefault(_list_head(root).i, []).append(r)
    rels = []
    for members in lists.values():
        if len({m.key for m in members}) < 2:
            continue
        first = members[0]
        cue = next((t for t in [_span(sent, first).root, *attachment(_span(sent, first))[:3]]
                    if lemma(t) in cues.pair_cues or t.lower_ in cues.pair_cues), None)
        if cue is None:
            continue
        gsubj = subject_tokens(cue) if cue.pos_ in ("VERB", "AUX") else ()
        if any(a.start in gsubj for a in actors if a not in members):
            continue
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if a.key != b.key:
                    rels.append(_rel(doc, sent, a, "combinesWith", b, [cue.i, *_ref_idx(a), *_ref_idx(b)], 0.65))
    return rels


def _plural(name):
    """True when `name` ends in a plural ("VAEs", "Multimodal LLMs"): a class of models, not one the paper uses."""
    last = name.split()[-1] if name.split() else ""
    return len(last) > 2 and last.endswith("s") and not last.endswith("ss") and (last[-2].isupper() or " " in name)


def role_relations(doc, sents, anchor, predicate, types, roles, confidence):
    """Paper-level relations from roles alone: the contribution `predicate` every entity of one of `types`
    playing one of `roles` ("uses" a model -> combinesWith; a baseline -> outperforms). The evidence is the
    first sentence naming the entity. These are the low-confidence backstop of the sentence rules.

    Parameters
    ----------
    sents : list of (Span, list of Ref)
    anchor : Ref or None
    predicate : str
    types, roles : tuple of str
    confidence : float
    """
    if anchor is None:
        return []
    rels, seen = [], {anchor.key}
    for sent, refs in sents:
        for r in refs:
            if r.type in types and r.role in roles and r.key not in seen and not _plural(r.name):
                seen.add(r.key)
                rels.append(_rel(doc, sent, anchor, predicate, r, [sent.start, sent.end - 1], confidence))
    return rels
