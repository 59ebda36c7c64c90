"""``kg_entities``: merge candidate mentions into the entities of one paper, with name, aliases, type, role.

Follows GUIDELINE.md ("Entities"): one entity per real thing of the abstract; the name is the short form
when the text defines one ("Low-Rank Adaptation (LoRA)" -> LoRA, alias "Low-Rank Adaptation"); aliases are
the other surface forms exactly as written. Mentions merge when their normalised forms are equal (case,
punctuation, plural s: :func:`kg.extract.entity_types.norm_key`), when an abbreviation links them, or when one
is a name and the other that name with a common noun ("HRR" and "the HRR module"). A described contribution
also lists the fuller forms written at its mentions (:func:`kg.extract.boundaries.written_extensions`).
Names written together with a slash are two entities ("CIFAR10/100" -> CIFAR10, CIFAR100:
:func:`split_joined_name`).

Sets ``doc.spans["kg_entities"]`` (label: type, kb_id: entity key) and ``doc._.kg_entities``
(key -> :class:`kg.records.Entity`), the contract of :mod:`kg.extract.extensions`.
"""

import re
from collections import Counter, defaultdict
from dataclasses import replace

from pathlib import Path

from spacy.language import Language

from ..records import Entity, Mention
from .analysis import analyse
from .boundaries import cuts_hyphenated_name, word_count, written_extensions
from .candidates import PRIORITY
from .entity_types import form_type, is_name_like, norm_key, strong_type
from .extensions import SPAN_KEY, register_extensions
from .lexicon import DATA_DIR, load_lexicon
from .models import Classifier
from .relation_text import read_text_model
from .role_features import decide_roles_from_probs, entity_features
from .role_context import NAMING_VERBS
from .role_text import ROLE_TEXT_FILE, doc_entity_words
from .roles import (best_role, component_tokens, contribution_type, names_a_result, opens_title, own_scopes,
                    role_rule, role_scopes)
from .sentences import title_colon, title_end

__all__ = ["EntityAssembler", "make_entities", "group_candidates", "choose_name", "choose_type", "entity_is_generic",
           "split_joined_name", "is_descriptor", "title_only", "shortest_description", "VAGUE_HEADS", "NAME_FRAMES",
           "is_variant", "name_with_noun"]


class _UnionFind:
    def __init__(self, n):
        self.parent = list(range(n))

    def find(self, i):
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a, b):
        a, b = self.find(a), self.find(b)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def group_candidates(doc, cands):
    """Group candidate mentions of one entity: equal normalised forms, an abbreviation and its long form, and a
    name with a common noun after it and the name alone (:func:`name_with_noun`).

    Parameters
    ----------
    doc : spacy.tokens.Doc
        With ``doc._.kg_abbreviations``.
    cands : list of kg.extract.candidates.Candidate

    Returns
    -------
    list of list of int
        Indices into `cands`, one list per entity, in order of first mention.
    """
    uf = _UnionFind(len(cands))
    by_key = {}
    for i, c in enumerate(cands):
        key = norm_key(doc[c.start:c.end].text)
        if key in by_key:
            uf.union(by_key[key], i)
        else:
            by_key[key] = i
    for short, long in doc._.kg_abbreviations or []:
        a, b = by_key.get(norm_key(short.text)), by_key.get(norm_key(long.text))
        if a is not None and b is not None:
            uf.union(a, b)
    # "the HRR module", "a LoRA adapter": a mention of the name, when the name is one of its own
    for i, c in enumerate(cands):
        named = name_with_noun(doc[c.start:c.end])
        j = by_key.get(norm_key(named.text)) if named is not None else None
        if j is not None and (c.type is None or cands[j].type is None or c.type == cands[j].type):
            uf.union(j, i)
    groups = defaultdict(list)
    for i in range(len(cands)):
        groups[uf.find(i)].append(i)
    return sorted(groups.values(), key=lambda g: cands[g[0]].start)


def name_with_noun(span):
    """The name of a mention that is a name and one common noun ("LoRA adapter", "HRR module", "SSIM value"),
    or None.

    Such a mention is grouped with the name when the name is a mention of its own
    (:func:`group_candidates`), but its role and generic flag are the name's own (:class:`EntityAssembler`):
    "a PEFT scheme" we propose is not PEFT.
    """
    words = span.text.split(" ")
    if len(words) != 2 or not is_name_like(words[0]) or not words[1].islower() or span[-1].pos_ != "NOUN":
        return None
    return span.doc[span.start:span.end - 1]


def choose_name(texts, shorts):
    """Entity name: an abbreviation short form when there is one, else the most frequent form (first wins).

    Examples
    --------
    >>> choose_name(["Low-Rank Adaptation", "LoRA", "LoRA"], {"LoRA"})
    'LoRA'
    >>> choose_name(["speculative decoding", "Speculative decoding", "speculative decoding"], set())
    'speculative decoding'
    """
    for t in texts:
        if t in shorts:
            return t
    counts = Counter(texts)
    return max(texts, key=lambda t: (counts[t], -texts.index(t)))


#: Head words that only say what kind of thing a description is ("gradual pruning technique").
VAGUE_HEADS = {"strategy", "strategies", "technique", "techniques", "scheme", "schemes", "method", "methods",
               "approach", "approaches", "framework", "procedure", "algorithm", "algorithms"}
#: Words after a name that only say what kind of thing it is ("the Si-Blurry scenario").
NAME_FRAMES = {"mechanism", "mechanisms", "module", "modules", "scenario", "setting", "paradigm", "pipeline",
               "system", "architecture", "trick"}
_CUT_MODIFIERS = ("-based", "-like", "-driven", "-aware", "-guided")


def shortest_description(name):
    """The description without a vague head word, when at least two words are left: "gradual pruning
    technique" -> "gradual pruning" (GUIDELINE.md: an unnamed contribution is named by its shortest
    description); names and two-word phrases ("search algorithm") are kept. A name before a word for its kind
    loses that word ("Cross-Layer Cache mechanism"), unless it is a short acronym ("FC layer": FC is many
    things) or a modifier cut from its noun ("LoRA-Based Approach").

    Examples
    --------
    >>> shortest_description("progressive spatial masking strategy")
    'progressive spatial masking'
    >>> shortest_description("gating mechanism"), shortest_description("search algorithm")
    ('gating mechanism', 'search algorithm')
    >>> shortest_description("Cross-Layer Cache mechanism"), shortest_description("GPTVQ method")
    ('Cross-Layer Cache', 'GPTVQ')
    >>> shortest_description("LoRA-Based Approach"), shortest_description("FC layer")
    ('LoRA-Based Approach', 'FC layer')
    """
    *rest, head = name.split()
    if not rest:
        return name
    described = " ".join(rest)
    if (head.islower() and head in VAGUE_HEADS | NAME_FRAMES and all(w[:1].isupper() for w in rest)
            and len(described) > 3 and not described.lower().endswith(_CUT_MODIFIERS)):
        return described
    if len(rest) >= 2 and head.lower() in VAGUE_HEADS and not is_name_like(name):
        return described
    return name


_NUMBERED_PAIR = re.compile(r"^(?=.*[A-Za-z])(.*?[A-Za-z-])(\d+)/(\d+)$")


def split_joined_name(name):
    """The names written together with a slash: "CIFAR10/100" -> ["CIFAR10", "CIFAR100"], "LLaMA2/3" ->
    ["LLaMA2", "LLaMA3"], "ARC-Easy/ARC-Challenge" -> ["ARC-Easy", "ARC-Challenge"]; ``[name]`` otherwise
    (two halves with no common stem, "AR/VR", or a ratio, "8/255").

    Examples
    --------
    >>> split_joined_name("CIFAR-10/100")
    ['CIFAR-10', 'CIFAR-100']
    >>> split_joined_name("I/O")
    ['I/O']
    """
    if name.count("/") != 1 or " " in name:
        return [name]
    m = _NUMBERED_PAIR.match(name)
    if m:
        return [m.group(1) + m.group(2), m.group(1) + m.group(3)]
    first, second = name.split("/")
    stem = 0
    while stem < min(len(first), len(second)) and first[stem] == second[stem]:
        stem += 1
    if stem >= 3 and is_name_like(first) and is_name_like(second) and first != second:
        return [first, second]
    return [name]


def choose_type(cands):
    """Type of an entity: that of its strongest typed source, ties broken by votes; Method by default."""
    typed = [c for c in cands if c.type]
    if not typed:
        return "Method"
    best = min(PRIORITY[c.source] for c in typed)
    votes = Counter(c.type for c in typed if PRIORITY[c.source] == best)
    return votes.most_common(1)[0][0]


def entity_is_generic(members, texts):
    """An entity is a broad class when most of its mentions are, and none is a name ("DiT", "KANs")
    that no list of broad classes holds."""
    n = sum(c.generic for c in members)
    if 2 * n <= len(members):
        return False
    return not any(is_name_like(t) and not c.generic for c, t in zip(members, texts))


_LINKS = {"appos", "oprd", "attr"}


def is_descriptor(span, other_tokens, descriptors):
    """True when `span` is a description in apposition to, or naming, another candidate mention, whose tokens
    are `other_tokens`: "a novel pruning method, named X", "X, a lightweight parameter-efficient codec", "a new
    fast DPM sampler called X", "a weighted simulation scheme which we call X". The name is the entity, not its
    description."""
    root = span.root
    # the head noun of the whole phrase: "adaptive data selection" of "a ... data selection approach, X"
    while root.dep_ in ("compound", "amod", "nmod") and root.head.i >= span.end and root.head.pos_ == "NOUN":
        root = root.head
    named = [g for c in root.children if c.dep_ in ("acl", "relcl") and c.lemma_.lower() in NAMING_VERBS
             for g in c.children if g.dep_ in _LINKS | {"oprd", "dobj", "xcomp", "ccomp"}]
    indefinite = any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in root.children)
    if not named and root.lower_ not in descriptors and span[-1].lower_ not in descriptors and not (
            indefinite and root.dep_ == "appos"):
        return False
    linked = [root.head] if root.dep_ in _LINKS else []
    linked += [c for c in root.children if c.dep_ in _LINKS]
    linked += [g for c in root.children if c.dep_ == "acl" for g in c.children if g.dep_ in _LINKS | {"oprd"}]
    linked += named
    return any(t.i in other_tokens and not (span.start <= t.i < span.end) for t in linked)


def is_variant(name, base):
    """True when `name` is `base` with a suffix: a size, version or part of it.

    Examples
    --------
    >>> is_variant("ElasticViT-S1", "ElasticViT"), is_variant("BLAST matrix", "BLAST"), is_variant("LoRA", "LoRA")
    (True, True, False)
    >>> is_variant("LoRAX", "LoRA")
    False
    """
    return len(name) > len(base) and name.startswith(base) and name[len(base)] in "- +"


def title_only(doc, members, end):
    """True for a Title-Case phrase that the abstract never repeats ("Towards Efficient Sparse Attention"):
    annotators rarely make it an entity (about 2% of gold entities occur only in the title). Names, listed
    terms and the title's leading name ("SpecDec++: ...") are kept."""
    if end is None or any(c.end > end for c in members):
        return False
    # the phrase that opens a title with no leading name is usually its technique ("Multi-Sample Dropout for ...")
    first = min(members, key=lambda c: c.start)
    if opens_title(doc[first.start:first.end]) and title_colon(doc, end) is None:
        return False
    return not any(c.source in ("title", "gazetteer", "known") or is_name_like(doc[c.start:c.end].text)
                   for c in members)


class EntityAssembler:
    """The ``kg_entities`` component (see the module docstring)."""

    def __init__(self, nlp, name="kg_entities", lexicon=None, classifier=None):
        register_extensions()
        self.name = name
        self.lexicon = lexicon or load_lexicon()
        self.classifier = classifier
        self.known = set(self.lexicon.terms)
        # nouns saying what kind of technique a description is ("pruning method", "quantization scheme")
        self.kinds = (VAGUE_HEADS | NAME_FRAMES | self.lexicon.descriptors
                      | {w for w, t in self.lexicon.heads.items() if t in ("Method", "Model")})

    def __call__(self, doc):
        # a part of a hyphenated word is no mention of anything ("GPTQ" of "GPTQ-LoRA": rule boundaries.hyphen_cut)
        cands = [c for c in doc._.kg_candidates or [] if not cuts_hyphenated_name(doc[c.start:c.end])]
        pairs = doc._.kg_abbreviations or []
        shorts = {s.text for s, _ in pairs}
        # an abbreviation defined here as something unlisted is not the listed name ("SAM" for
        # "Sharpness-Aware Minimization" is not the Segment Anything Model)
        redefined = {s.text for s, long_ in pairs if long_.text not in self.known}
        end = title_end(doc)
        if doc._.kg_analysis is not None:
            scopes = doc._.kg_analysis.scopes
        else:
            scopes = role_scopes(doc)
            own_scopes(doc, scopes)
        entities, spans, may_propose, joined = {}, [], {}, set()
        groups = group_candidates(doc, cands)
        for group in groups:
            others = {i for g in groups if g is not group for c in (cands[j] for j in g)
                      for i in range(c.start, c.end)}
            members = [cands[i] for i in group]
            if all(is_descriptor(doc[c.start:c.end], others, self.lexicon.descriptors) for c in members):
                continue
            if title_only(doc, members, end):
                continue
            texts = [doc[c.start:c.end].text for c in members]
            # "the HRR module" joined to "HRR": the name, role and generic flag are the name's own ("a PEFT
            # scheme" we propose is no PEFT)
            keys = {norm_key(t) for t in texts}
            proper = [c for c in members if (n := name_with_noun(doc[c.start:c.end])) is None
                      or norm_key(n.text) not in keys] or members
            joined.update((c.start, c.end) for c in members if c not in proper)
            proper_texts = [doc[c.start:c.end].text for c in proper]
            name = choose_name(proper_texts, shorts)
            name = shortest_description(name)
            key = norm_key(name)
            if key in entities:  # two groups normalising alike: keep them apart
                key = f"{key}#{len(entities)}"
            listed = any(c.source in ("gazetteer", "known") for c in members)
            known = listed or name in self.known
            chosen = choose_type(members)
            type_ = contribution_type([doc[c.start:c.end] for c in members], chosen, scopes, known, self.lexicon)
            type_rules = [] if type_ == chosen else ["types.appos_dataset" if type_ == "Dataset" else
                                                     "types.contribution"]
            fixed_type = form_type(name)
            if fixed_type not in (None, type_):
                type_, type_rules = fixed_type, ["types.at_k"]
            # never proposed: a well-known name, or a phrase naming a finding ("the explicit form")
            result = names_a_result(name)
            fixed = known or result
            # a listed abbreviation the title spells out anew is this paper's name ("Sharpness-Aware
            # Minimization for ...": "SAM" is not the Segment Anything Model); never a part (the pass below)
            redef = not listed and name in redefined and any(
                i in scopes["title_def"] for c in members for i in range(c.start, c.end))
            decided = [role_rule(doc[c.start:c.end], type_, scopes, result or known and not redef) for c in proper]
            roles = [r for r, _ in decided]
            aliases = list(dict.fromkeys(t for t in texts if t != name))
            generic = entity_is_generic(proper, proper_texts)
            mentions = [Mention(doc[c.start:c.end].text, doc[c.start].idx, doc[c.end - 1].idx + len(doc[c.end - 1]))
                        for c in members]
            role = best_role(roles)
            sources = {f"candidates.{src}" for c in members for src in (c.sources or (c.source,))}
            if any(c.score is not None for c in members):
                sources.add("model:mention")
            provenance = sorted(sources) + type_rules + sorted({rule for r, rule in decided if r == role})
            entities[key] = Entity(name=name, type=type_, role=role, aliases=aliases,
                                   mentions=mentions, confidence=max(c.confidence for c in members),
                                   generic=generic, provenance=provenance)
            may_propose[key] = not fixed
            for c in members:
                span = doc[c.start:c.end]
                span.label_ = type_
                span.kb_id_ = key
                spans.append(span)
        for key, e in list(entities.items()):  # "CIFAR10/100": two datasets, the spans stay with the first
            names = split_joined_name(e.name)
            if len(names) == 2 and not any(norm_key(n) in entities for n in names):
                e.aliases = e.aliases + [e.name]
                e.name = names[0]
                other = norm_key(names[1])
                entities[other] = replace(e, name=names[1], aliases=list(e.aliases), mentions=list(e.mentions))
                may_propose[other] = may_propose[key]
        # second pass: parts of the contribution ("SpecDec++ uses a trained acceptance head")
        own = {i for s in spans if entities[s.kb_id_].role == "proposed" for i in range(s.start, s.end)}
        parts = component_tokens(doc, own)
        # a name is a part only when the abstract defines it ("the Coarse Predictor (CP)"), not a known one
        defined = {t.i for pair in pairs for sp in pair for t in sp}
        for s in spans:
            e = entities[s.kb_id_]
            if (e.role == "proposed" or not may_propose[s.kb_id_] or e.generic or (s.start, s.end) in joined
                    or not any(i in parts for i in range(s.start, s.end))):
                continue
            # a part typed a Task by its head word alone ("we apply length-normalized aggregation") is a technique
            if e.type == "Task" and not is_name_like(s.text) and strong_type(s, self.lexicon) is None:
                e.type = "Method"
            if e.type == "Method" and (not is_name_like(s.text) or s.start in defined):
                e.role = "proposed"
                e.provenance = [*e.provenance, "roles.part_of_contribution"]
        # variants named after the contribution: "ElasticViT-S1", "NViT-Base", "BLAST matrix"
        coined = [e.name for e in entities.values() if e.role == "proposed" and is_name_like(e.name)]
        for key, e in entities.items():
            if (e.role != "proposed" and e.type in ("Method", "Model") and may_propose[key] and not e.generic
                    and any(is_variant(e.name, n) for n in coined)):
                e.role = "proposed"
                e.provenance = [*e.provenance, "roles.variant_of_contribution"]
        for s in spans:  # the types the passes above changed
            s.label_ = entities[s.kb_id_].type
        # a described contribution is also named by its fuller forms as written ("adaptively adjustable
        # loss function" for "adjustable loss function"); a one-word name is only its name
        for s in spans:
            e = entities[s.kb_id_]
            if e.role == "proposed" and e.type in ("Method", "Model") and not (word_count(s) == 1
                                                                               and is_name_like(s.text)):
                e.aliases.extend(f for f in written_extensions(s, self.lexicon.modifiers, self.kinds)
                                 if f != e.name and f not in e.aliases)
        doc.spans[SPAN_KEY] = spans
        doc._.kg_entities = entities
        if self.classifier is not None and entities:
            self.decide_roles(doc)
        return doc

    def role_features(self, doc):
        """Keys and feature rows of the role classifier (:mod:`kg.extract.role_features`)."""
        analysis = doc._.kg_analysis or analyse(doc)
        return entity_features(doc, doc._.kg_entities or {}, analysis, self.known)

    def decide_roles(self, doc, classifier=None):
        """Let the role classifier decide each entity's role; the rules' role is one of its features, and so are
        the probabilities of its text model (:mod:`kg.extract.role_text`) when it has one; its ``proposed``
        threshold, when it has one, decides that role (:func:`kg.extract.role_features.decide_roles_from_probs`)."""
        classifier = classifier or self.classifier
        keys, rows = self.role_features(doc)
        if classifier.text_model is not None and keys:
            rows = classifier.text_model.with_features(rows, doc_entity_words(doc, keys))
        doc._.kg_role_probs = {key: {c: float(x) for c, x in zip(classifier.classes, p)}
                               for key, p in zip(keys, classifier.predict(rows))}
        decide_roles_from_probs(doc, classifier.thresholds.get("proposed"))
        for key in keys:
            e = doc._.kg_entities[key]
            e.provenance = [*e.provenance, "model:role"]


@Language.factory("kg_entities", assigns=["doc._.kg_entities", "doc.spans"],
                  requires=["doc._.kg_candidates"], default_config={"lexicon_dir": "", "model_dir": ""})
def make_entities(nlp, name, lexicon_dir, model_dir):
    """Build the ``kg_entities`` component (`lexicon_dir`: the curated lexicon files, empty for the package's
    own; `model_dir`: the trained models, whose learned lexicon is used when it has one, and whose role
    classifier, ``role.lgb``/``.json``, decides roles when it is there)."""
    classifier = None
    if model_dir and (Path(model_dir) / "role.json").is_file():
        classifier = Classifier.from_disk(Path(model_dir) / "role")
        classifier.text_model = read_text_model(classifier, Path(model_dir) / ROLE_TEXT_FILE, "role")
    return EntityAssembler(nlp, name, lexicon=load_lexicon(lexicon_dir or DATA_DIR, model_dir or None),
                           classifier=classifier)
