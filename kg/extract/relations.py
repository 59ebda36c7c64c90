"""``kg_relations``: the relations ``outperforms``, ``combinesWith`` and ``evaluatedOn`` between entities.

Rules over the dependency parse and surface cues (GUIDELINE.md, "Relations"), using the entity mentions and
roles that the earlier components put on the doc (``doc.spans["kg_entities"]``, ``doc._.kg_entities``; see
:mod:`kg.extract.extensions`). Most relations of an abstract involve the paper's own contribution, the
*anchor* (:func:`main_entity`), which also stands in for "we", "our method", "it".

- ``outperforms`` (A, B): a comparison cue ("A outperforms B", "higher X than B", "improvement over B",
  "compared with B, A ...", "superior to B", "A performs worse than B" reversed) whose compared-against tokens
  hold the mention of B; A is the proposed method or model of the sentence, else the grammatical subject,
  else the anchor.
- ``evaluatedOn`` (A, D): a dataset named in an evaluation sentence ("experiments on D", "results on D1, D2");
  A is each model, proposed method or compared-against baseline of the sentence, and the anchor. A task is used
  only when the paper evaluates on no named dataset.
- ``combinesWith`` (A, B): A and B are used together ("A with B", "apply A to B", "integrate A into B",
  "fine-tune M with A", "the integration of A and B"), one unordered pair each; not two contributions merely
  proposed side by side (GUIDELINE.md, "Conventions settled").
- Backstop from roles alone (:data:`ROLE_RULES`): the anchor combinesWith every (singular-named) model the
  paper uses and outperforms every baseline it names, at low confidence.

The anchor is the method or model named by the title's lead ("SpecDec++: ..."), else the best proposed one
(:func:`main_entity`). As the entities and roles are themselves predicted, the rules ask for more evidence than
the guideline's wording: generic entities, names of a broad class that were not marked generic ("downstream
tasks"), and entities of low confidence (guessed descriptions) other than the anchor are never endpoints, and
two entities that are one thing under two names ("ElasticViT" / "ElasticViT models", an acronym, a typo) are
never related. Each relation carries the shortest fragment of its sentence that covers both mentions and the
cue, its character offsets in ``doc.text``, and a confidence: the rule's (explicit patterns 0.7-0.85, implicit
subjects and weak cues 0.45-0.6, role backstops 0.4-0.45) times the confidence of the less certain endpoint.
"""

from pathlib import Path

from spacy.language import Language

from ..records import Relation
from .extensions import SPAN_KEY, register_extensions
from .models import Classifier
from .relation_features import pair_candidates
from .relation_text import TEXT_MODEL_FILE, doc_pair_words, read_text_model
from .lexicon import DATA_DIR, GAZETTEER_FILES, read_terms
from .relation_patterns import CUES_PATH, is_coined, load_cues, names_class, same_thing
from .relation_rules import (
    ACTORS, Ref, combination_relations, compare_relations, evaluation_relations, pair_relations, role_relations,
    task_relations,
)
from .sentences import sentences, title_colon, title_end

__all__ = [
    "ROLE_RULES", "SURE", "collect_mentions", "main_entity", "title_lead", "known_names", "dedupe", "extract_relations",
    "RelationExtractor", "make_relations",
]

#: Paper-level rules from roles (:func:`kg.extract.relation_rules.role_relations`): the contribution is used
#: together with every named model the paper uses, and outperforms every baseline it names (on the training
#: abstracts 85% and 73% of such pairs are annotated relations).
ROLE_RULES = (
    {"predicate": "combinesWith", "types": ("Model",), "roles": ("used",), "confidence": 0.45},
    {"predicate": "outperforms", "types": ("Method", "Model"), "roles": ("baseline",), "confidence": 0.4},
)


#: Entity confidence from which an entity counts as a name rather than a guessed description
#: (:data:`kg.extract.candidates.CONFIDENCE`: "proposal" candidates have 0.6, named sources 0.75 and more).
SURE = 0.7
#: Parts of speech that make a title's lead a phrase rather than a name.
_PHRASE_POS = ("ADP", "DET", "PRON", "AUX", "VERB", "PART", "SCONJ", "CCONJ", "NUM")


def collect_mentions(doc, entities):
    """Mentions of non-generic entities, in text order, overlapping ones resolved to the longest.

    Parameters
    ----------
    doc : spacy.tokens.Doc
    entities : dict
        Entity key -> :class:`kg.records.Entity`.

    Returns
    -------
    list of Ref
    """
    spans = doc.spans[SPAN_KEY] if SPAN_KEY in doc.spans else []
    refs = []
    for span in spans:
        ent = entities.get(span.kb_id_)
        if ent is None or ent.generic:
            continue
        refs.append(Ref(span.start, span.end, span.kb_id_, ent))
    refs.sort(key=lambda r: (r.start - r.end, r.start))
    taken, out = set(), []
    for r in refs:
        if not taken.intersection(range(r.start, r.end)):
            taken.update(range(r.start, r.end))
            out.append(r)
    return sorted(out, key=lambda r: r.start)


def main_entity(entities, refs, abstract_start=None, known=frozenset(), doc=None):
    """Key of the paper's own contribution, or None.

    Among the proposed methods and models (or, when none is proposed, those named in the title), and the
    method or model named by the title's lead (:func:`title_lead`), prefer one with a coined name that is not
    a well-known existing one, then the title's lead (on the training abstracts, every lead that is an entity
    is the proposed one), then a confident entity (not a description guessed from "we propose a ..."), then
    one named in the abstract (not only in the title, where catch phrases live), then one named in the title,
    then the most mentioned, then the first.

    Parameters
    ----------
    entities : dict
        Entity key -> Entity.
    refs : list of Ref
    abstract_start : int, optional
        Token index where the abstract starts; mentions before it are in the title.
    known : set of str
        Lower-cased names of well-known methods and models (a paper does not propose "LoRA" or "RNN").
    doc : spacy.tokens.Doc, optional
        The doc of `refs`, to read the title's lead.
    """
    lead = title_lead(doc, refs, abstract_start)
    stats = {}
    proposed = any(r.role == "proposed" and r.type in ACTORS for r in refs)
    for r in refs:
        if r is not lead and (r.type not in ACTORS or (r.role != "proposed" if proposed else
                                                       abstract_start is None or r.start >= abstract_start
                                                       or r.role == "baseline")):
            continue
        in_title = abstract_start is not None and r.start < abstract_start
        title, body, count, first = stats.get(r.key, (False, False, 0, r.start))
        stats[r.key] = (title or in_title, body or not in_title, count + 1, min(first, r.start))
    if not stats:
        return None

    def score(key):
        title, body, count, first = stats[key]
        ent = entities[key]
        new = is_coined(ent.name) and not any(f.lower() in known for f in ent.forms)
        sure = getattr(ent, "confidence", 1.0) >= SURE
        return new, lead is not None and key == lead.key, sure, body, title, count, -first

    return max(stats, key=score)


def title_lead(doc, refs, abstract_start):
    """The mention of a method or model that is the whole lead of the title before its colon ("Mamba-FSCIL:
    Dynamic Adaptation ..."), unless the lead reads as a phrase rather than a name ("From Generator to
    Embedder:", "One Loss for All:") or the abstract never repeats it ("Vision Superalignment:"); else None.

    Parameters
    ----------
    doc : spacy.tokens.Doc or None
    refs : list of Ref
    abstract_start : int or None
        Token index where the abstract starts.

    Returns
    -------
    Ref or None
    """
    if doc is None or not abstract_start:
        return None
    colon = title_colon(doc, abstract_start)
    first = next((r for r in refs if r.start == 0), None)
    if colon is None or first is None or first.end != colon or first.type not in ACTORS:
        return None
    if any(t.pos_ in _PHRASE_POS for t in doc[:colon]):
        return None
    # a catch phrase ("Vision Superalignment:") is not named again; the contribution's name is
    abstract = doc.text[doc[abstract_start].idx:].lower()
    return first if any(f.lower() in abstract for f in first.entity.forms) else None


def known_names(data_dir=DATA_DIR):
    """Lower-cased names of the well-known methods and models in the curated gazetteers (not the learned one).

    Parameters
    ----------
    data_dir : str or os.PathLike

    Returns
    -------
    frozenset of str
    """
    names = set()
    for type_ in ACTORS:
        names.update(t.lower() for t in read_terms(Path(data_dir) / GAZETTEER_FILES[type_]))
    return frozenset(names)


def dedupe(relations):
    """One relation per triple (combinesWith unordered), the most confident one kept, in first-seen order."""
    best, order = {}, []
    for r in relations:
        if r.subject == r.object:
            continue
        key = (r.predicate, *sorted((r.subject, r.object))) if r.predicate == "combinesWith" else \
            (r.predicate, r.subject, r.object)
        if key not in best:
            order.append(key)
            best[key] = r
        elif r.confidence > best[key].confidence:
            best[key] = r
    return [best[k] for k in order]


def _tagged(rule, relations):
    """`relations` with the rule's id added to their provenance (``relations.<rule>``)."""
    for r in relations:
        r.provenance = [*r.provenance, f"relations.{rule}"]
    return relations


def extract_relations(doc, entities, cues, abstract_start=None, known=frozenset(), plausible=True):
    """All relations of one doc.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        Parsed, with ``doc.spans["kg_entities"]`` set.
    entities : dict
        Entity key -> :class:`kg.records.Entity` (``doc._.kg_entities``).
    cues : Cues
    abstract_start : int, optional
        Token index where the abstract starts (the end of the title).
    known : set of str
        Well-known method and model names (:func:`known_names`), never taken for the paper's contribution
        when a newer name is at hand.
    plausible : bool
        Drop relations whose ends the entity confidences make doubtful (:func:`_plausible`); off when a
        classifier decides on them afterwards.

    Returns
    -------
    list of Relation
        Each with the id of the rule that found it in its provenance.
    """
    refs = collect_mentions(doc, entities)
    if not refs:
        return []
    anchor_key = main_entity(entities, refs, abstract_start, known, doc)
    anchor_refs = [r for r in refs if r.key == anchor_key]
    sents = []
    i = 0
    for sent in sentences(doc):
        mine = []
        while i < len(refs) and refs[i].start < sent.end:
            if refs[i].start >= sent.start:
                mine.append(refs[i])
            i += 1
        sents.append((sent, mine))
    rels = []
    for sent, mine in sents:
        if not mine:
            continue
        local = next((r for r in anchor_refs if sent.start <= r.start < sent.end), None)
        anchor = local or (anchor_refs[0] if anchor_refs else None)
        out, regions = compare_relations(doc, sent, mine, anchor, cues)
        rels += _tagged("compare", out)
        rels += _tagged("evaluation", evaluation_relations(doc, sent, mine, anchor, cues, regions))
        rels += _tagged("combination", combination_relations(doc, sent, mine, anchor, cues, regions))
        rels += _tagged("pair", pair_relations(doc, sent, mine, cues, regions))
    if plausible:
        rels = _plausible(rels, entities, anchor_key, cues)
    if anchor_refs and not any(r.predicate == "evaluatedOn" for r in rels):
        rels += _tagged("task", task_relations(doc, sents, anchor_refs[0], cues))
    if anchor_refs:
        for rule in ROLE_RULES:
            rels += _tagged(f"role_{rule['predicate']}", role_relations(doc, sents, anchor_refs[0], **rule))
    return dedupe(_plausible(rels, entities, anchor_key, cues) if plausible else rels)


def _plausible(relations, entities, anchor_key, cues):
    """`relations` without those that predicted entities make doubtful: an end of low confidence other than
    the contribution, an end named like a broad class, or two ends that are names of one thing
    (:func:`kg.extract.relation_patterns.same_thing` on any of their forms: entities not merged)."""
    by_name = {e.name: e for e in entities.values()}
    sure = {e.name for k, e in entities.items() if getattr(e, "confidence", 1.0) >= SURE or k == anchor_key}
    out = []
    for r in relations:
        if r.subject not in sure or r.object not in sure or names_class(r.subject, cues.class_heads) \
                or names_class(r.object, cues.class_heads):
            continue
        forms_s, forms_o = by_name[r.subject].forms, by_name[r.object].forms
        if not any(same_thing(a, b, cues.name_heads) for a in forms_s for b in forms_o):
            out.append(r)
    return out


def decide(doc, pairs, probs, classes, thresholds, rule_relations):
    """The relations a classifier decides for candidate pairs (:mod:`kg.extract.relation_features`).

    For each pair, every relation class whose probability reaches its threshold gives a relation; one relation
    per triple (combinesWith unordered) keeps its most probable pair. Evidence is the fragment of a rule that found
    the same triple when there is one, else the pair's sentence; provenance the rules and ``model:relation``.

    Parameters
    ----------
    doc : spacy.tokens.Doc
    pairs : list of kg.extract.relation_features.Pair
    probs : numpy.ndarray
        Class probabilities per pair.
    classes : sequence of str
        :data:`kg.extract.relation_features.PAIR_CLASSES` order.
    thresholds : callable
        ``thresholds(class) -> float``.
    rule_relations : list of Relation

    Returns
    -------
    list of Relation
    """
    sents = sentences(doc)
    by_rule = {}
    for r in rule_relations:
        key = (r.predicate, *sorted((r.subject, r.object))) if r.predicate == "combinesWith" else \
            (r.predicate, r.subject, r.object)
        by_rule.setdefault(key, []).append(r)
    best = {}
    for pair, p in zip(pairs, probs):
        for k, cls in enumerate(classes):
            if cls == "none" or p[k] < thresholds(cls):
                continue
            a, b = pair.a.entity.name, pair.b.entity.name
            pred = cls.replace("_rev", "")
            s, o = (b, a) if cls.endswith("_rev") else (a, b)
            key = (pred, *sorted((s, o))) if pred == "combinesWith" else (pred, s, o)
            if key not in best or best[key][0] < p[k]:
                best[key] = (float(p[k]), s, pred, o, pair)
    out = []
    for key, (conf, s, pred, o, pair) in best.items():
        rules = by_rule.get(key, [])
        if rules:
            ev = max(rules, key=lambda r: r.confidence)
            text, start, end = ev.evidence, ev.start, ev.end
        else:
            sent = sents[pair.sentence]
            text, start, end = sent.text.strip(), sent.start_char, sent.start_char + len(sent.text.strip())
        provenance = sorted({p for r in rules for p in r.provenance}) + ["model:relation"]
        out.append(Relation(s, pred, o, text, start, end, round(conf, 3), provenance))
    return out


class RelationExtractor:
    """The ``kg_relations`` component: sets ``doc._.kg_relations``.

    With a trained relation classifier the rules only propose: candidate pairs (:mod:`kg.extract.relation_features`)
    are decided by the classifier (:func:`decide`); without one, the rules' relations are kept as they are.
    """

    def __init__(self, cues, known=frozenset(), min_confidence=0.0, classifier=None):
        self.cues = cues
        self.known = known
        self.min_confidence = min_confidence
        self.classifier = classifier

    @property
    def text_model(self):
        """The text model whose probabilities the classifier reads (:mod:`kg.extract.relation_text`), or None."""
        return self.classifier.text_model if self.classifier is not None else None

    def candidates(self, doc):
        """Candidate pairs, their feature rows and the rules' relations of a doc."""
        entities = doc._.kg_entities or {}
        end = title_end(doc)
        rules = extract_relations(doc, entities, self.cues, end, self.known, plausible=False)
        refs = collect_mentions(doc, entities)
        anchor = main_entity(entities, refs, end, self.known, doc) if refs else None
        hits = doc._.kg_analysis.hits if doc._.kg_analysis is not None else ()
        pairs, rows = pair_candidates(doc, refs, anchor, rules, self.cues, self.known, end, hits)
        return pairs, rows, rules

    def __call__(self, doc):
        if self.classifier is None:
            entities = doc._.kg_entities or {}
            rels = extract_relations(doc, entities, self.cues, title_end(doc), self.known)
        else:
            pairs, rows, rules = self.candidates(doc)
            if self.text_model is not None and pairs:
                rows = self.text_model.with_features(rows, doc_pair_words(doc, pairs))
            probs = self.classifier.predict(rows)
            rels = decide(doc, pairs, probs, self.classifier.classes, self.classifier.threshold, rules)
        doc._.kg_relations = [r for r in rels if r.confidence >= self.min_confidence]
        return doc


@Language.factory(
    "kg_relations",
    assigns=["doc._.kg_relations"],
    requires=["doc._.kg_entities", "token.dep", "token.lemma"],
    default_config={"cues_path": None, "min_confidence": 0.0, "model_dir": ""},
)
def make_relations(nlp, name, cues_path=None, min_confidence=0.0, model_dir=""):
    """Build the ``kg_relations`` component.

    Parameters
    ----------
    nlp : spacy.Language
    name : str
    cues_path : str, optional
        A trigger word file like ``kg/extract/data/relation_cues.json`` (the default).
    min_confidence : float
        Relations below this confidence are dropped.
    model_dir : str
        Directory of the trained models; its relation classifier (``relation.lgb``/``.json``), when there,
        decides the relations, with the probabilities of its text model (``relation.text.json``) among its
        features when it was trained with them.
    """
    register_extensions()
    classifier = None
    if model_dir and (Path(model_dir) / "relation.json").is_file():
        classifier = Classifier.from_disk(Path(model_dir) / "relation")
        classifier.text_model = read_text_model(classifier, Path(model_dir) / TEXT_MODEL_FILE, "relation")
    return RelationExtractor(load_cues(cues_path or CUES_PATH), known_names(), min_confidence, classifier)
