"""The forms of every per-paper entity, and which of them may link across papers.

Each entity of each paper becomes a :class:`Record` with its normalised forms (its name first, then its aliases,
then the two names a parenthesised abbreviation inside one of them stands for). A form links across papers by its
key unless it is *local*, a node of its own paper only (key ``"<key>@<paper>"``):

- **specificity gate**: an unnamed phrase that a paper proposes as its own ("adaptive algorithm", "global loss",
  "synthetic dataset", "attention mechanism", "Scaling Laws" in a title, "coreset" in "Coreset for Line-Sets
  Clustering") names the paper's own thing, not the general concept and not another paper's thing of the same
  description; it stays local unless another paper writes it as a name (every word capitalised or an
  abbreviation, outside its title). This holds for a phrase with a generic head ("algorithm", "loss": data,
  :mod:`kg.link.lexicon`) and for any phrase few other papers use; a phrase many papers use ("fine-tuning",
  "transformer") is an established thing the paper builds on, and joins it. Measured on the annotated papers,
  gating the rare phrases too halves the wrong merges at no cost in recall.
- **metrics named after a unit**: a Metric that result extraction named after the unit of a number ("time" from
  "takes only 6 hours", "memory" from "merely 8.7MB"; the units of :mod:`kg.metrics`) and the paper never writes
  names a dimension, not the quantity measured (training time, run time, file size): it stays local, as does a
  Metric whose name is a bare unit wherever it comes from ("hours" of calibration and "hours" of training). A metric
  named after a word ("speedup" from "2.4x faster") links, and so does a dimension word that papers write as a
  metric themselves (rule ``written_dimension``: "memory" from "8.7MB" where papers write "80% [memory]
  reduction").
- **narrower, broader and paraphrasing aliases**: an alias that adds or drops content words ("accuracy" for
  "top-1 accuracy", "downstream recommendation tasks" for "recommendation"), or an ordinary phrase that says the
  name in other words ("deep networks" for "neural networks", "LLM quantization" for "LLM compression"), is how
  that paper refers to its entity, not a name of it elsewhere: "accuracy" in another paper is not top-1 accuracy.
  Abbreviations, names and stem-equivalent phrases ("self-attention mechanism") link.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..metrics import load_metrics
from .abbreviations import expands
from .cluster import _FUNCTION_WORDS
from .lexicon import load_lexicon
from .normalize import (
    _singular,
    is_abbreviation,
    is_acronym,
    name_like,
    normalize,
    parenthetical_forms,
    proper_name,
    tokens_of,
)
from .stems import content_stems, family_of, head_family, stem_keys

__all__ = ["Record", "build_records", "provenance_read", "release_title_terms", "title_role", "local_key",
           "written_keys", "key_families", "node_of", "acronym_kinds", "capital_keys", "results_only"]


@dataclass
class Record:
    """One entity of one paper with its normal forms and the node each form has in the clustering."""

    paper: str
    index: int
    entity: object
    forms: list
    nodes: list = field(default_factory=list)  # per form: its node in the clustering, or None
    local: list = field(default_factory=list)  # per form: True when it links within its paper only
    cluster: str | None = None  # the id of its corpus entity
    title: str = ""  # the title of its paper

    def anchor(self):
        """The node that places the record in a cluster: its first form that is a node."""
        return next(n for n in self.nodes if n is not None)


def written_keys(records, types=None):
    """Key -> the papers whose records (of `types`, else any) write a form that links by that key itself (its node
    is its key: no form kept in its paper).

    >>> from kg.records import Entity
    >>> r = Record("p", 0, Entity("LoRA", "Method"), [normalize("LoRA")], nodes=["lora"])
    >>> written_keys([r]), written_keys([r], ("Model",))
    ({'lora': {'p'}}, {})
    """
    out = {}
    for r in records:
        if types is None or r.entity.type in types:
            for f, n in zip(r.forms, r.nodes):
                if n == f.key:
                    out.setdefault(f.key, set()).add(r.paper)
    return out


def local_key(key, paper):
    """The node of a form that links within `paper` only.

    >>> local_key("adaptivealgorithm", "p1")
    'adaptivealgorithm@p1'
    """
    return f"{key}@{paper}"


#: Provenance of the Metric entities that result extraction creates from a reported number (:mod:`kg.extract.results`).
RESULT_PROVENANCE = "kg_results"


def results_only(provenance):
    """Whether a provenance list names result extraction and nothing else."""
    provenance = list(provenance or ())
    return bool(provenance) and all(p.split(":")[0] == RESULT_PROVENANCE for p in provenance)


def provenance_read(provenance, role=None, lexicon=None):
    """The part of an entity's provenance that linking reads, or None: all of it for a metric result extraction
    alone made (:func:`results_only`), the role cues of a ``proposed`` entity (rule ``title_role``,
    :func:`title_role`), nothing else (what :func:`kg.shards.read_shards` keeps when it slims extractions).

    >>> provenance_read(["candidates.ner", "roles.title_lead", "model:role"], "proposed")
    ['roles.title_lead']
    >>> provenance_read(["kg_results"], "used"), provenance_read(["candidates.ner", "roles.used_phrase"], "used")
    (['kg_results'], None)
    """
    provenance = list(provenance or ())
    if results_only(provenance):
        return provenance
    prefix = (lexicon or load_lexicon()).role_cue_prefix
    cues = [p for p in provenance if isinstance(p, str) and p.startswith(prefix)] if role == "proposed" else []
    return cues or None


def result_made(entity):
    """Whether result extraction alone made `entity` (a Metric named after a reported number)."""
    return results_only(getattr(entity, "provenance", None))


def _named_after_unit(entity):
    """A metric result extraction named after the unit of a number ("time" from "6 hours", "memory" from
    "8.7MB", units of :mod:`kg.metrics`) and the paper never writes, or any Metric named by a bare unit ("hours"):
    the unit says only the dimension (training time, run time, file size, memory), not which quantity was
    measured."""
    units = load_metrics().units
    if entity.type == "Metric" and entity.name.lower() in units:  # a written bare unit ("6 [hours]") as well
        return True
    return (result_made(entity) and not entity.mentions
            and any(a.lower() in units for a in entity.aliases))


def _named_by(entity):
    """The names of `entity` that may link: all its forms, but only the name of a Metric entity that result
    extraction made from a number ("accuracy" from "a 2% accuracy loss", "time" from "6 hours"), whose aliases
    are the result's wording (the change, "accuracy loss"; the unit, "GB") and name other things."""
    return [entity.name] if result_made(entity) else entity.forms


def _forms_of(entity, cache):
    texts = []
    for text in _named_by(entity):
        if isinstance(text, str):
            texts.append(text)
            texts.extend(parenthetical_forms(text))  # "Key-Value (KV) cache": also "KV cache"
    forms, seen = [], set()
    for text in texts:
        nf = cache.get(text) or cache.setdefault(text, normalize(text))
        if nf.key and nf.text not in seen:
            seen.add(nf.text)
            forms.append(nf)
    return forms


def build_records(extractions, drop, dropped, terms=frozenset(), counts=None):
    """One :class:`Record` per per-paper entity with its normalised forms (name first), in paper id order.

    Parameters
    ----------
    extractions : list of PaperExtraction
    drop : set of str
        Keys never linked (the curation file's ``drop``).
    dropped : collections.Counter
        Counts records left out, by reason (``empty_name``, ``curation``).
    terms : set of str
        Keys of established terms of the field (the names of the synonym table): a phrase few papers use is
        no paper's own vague phrase when it is one of them ("structural pruning").
    counts : collections.Counter, optional
        Counts the unit-named metrics linked by rule ``written_dimension`` (module docstring).

    Returns
    -------
    list of Record
        With :attr:`Record.local` set by the specificity gate and the alias rule of this module's docstring.
    """
    records, cache, titles = [], {}, {}  # the same names recur in every paper: normalise each once
    for ext in sorted(extractions, key=lambda e: e.id):
        titles[ext.id] = ext.title or ""
        for i, ent in enumerate(ext.entities):
            forms = _forms_of(ent, cache)
            if not forms or not isinstance(ent.name, str) or forms[0].text != cache[ent.name].text:
                dropped["empty_name"] += 1
                continue
            if forms[0].key in drop:
                dropped["curation"] += 1
                continue
            records.append(Record(ext.id, i, ent, [f for f in forms if f.key not in drop], title=titles[ext.id]))
    named, used = defaultdict(set), defaultdict(set)  # key -> papers that write it as a name / that use it
    for r in records:
        for f in r.forms:
            if _named(f.text, titles[r.paper]):
                named[f.key].add(r.paper)
            if r.entity.role != "proposed":
                used[f.key].add(r.paper)
    lex = load_lexicon()
    written = defaultdict(set)  # key -> papers that write it as a metric, not from a result alone
    for r in records:
        if r.entity.type == "Metric" and r.entity.mentions and not result_made(r.entity):
            written[r.forms[0].key].add(r.paper)
            # "reduces [memory costs]" writes memory as a metric too: a cost head names no other measure (rule
            # cost_head), so the paper counts for the bare dimension word
            words = r.forms[0].spaced.split()
            if len(words) > 1 and _singular(words[-1]) in lex.measure_heads:
                written[normalize(" ".join(words[:-1])).key].add(r.paper)
    for r in records:
        if _named_after_unit(r.entity):  # every form of it, unless its dimension word is a written metric
            dimension = (r.entity.name.lower() not in load_metrics().units
                         and len(written.get(r.forms[0].key, set()) - {r.paper}) >= lex.dimension_papers)
            r.local = [not dimension] * len(r.forms)
            if dimension and counts is not None:
                counts[lex.dimension_id] += 1
        else:
            r.local = [_is_local(r, f, named, titles[r.paper], used, lex, terms) for f in r.forms]
    return records


def title_role(entity, lexicon=None):
    """Whether `entity` is ``proposed`` by a title cue alone (:attr:`Lexicon.title_cues`): the role extractor
    found no proposing words in the abstract, only the phrase leading or naming the title."""
    lex = lexicon or load_lexicon()
    cues = {p for p in getattr(entity, "provenance", None) or () if p.startswith(lex.role_cue_prefix)}
    return entity.role == "proposed" and bool(cues) and cues <= lex.title_cues


def release_title_terms(records, lexicon=None, counts=None):
    """Rule ``title_role``: a phrase with a generic head proposed by a title cue alone that another paper writes
    (not as its own) is the established term the title is about, not the paper's own thing: it links ("[Scaling
    Laws] for Neural Language Models", 24dd9498f6; "[Cross-Entropy Loss Functions]: Theoretical Analysis",
    2897651c27). The specificity gate keeps it local otherwise, and keeps a rare phrase without a generic head
    local whatever the cue ("Multi-Vector Document Retrieval with [Dynamic Pruning]" prunes document vectors, not
    a model as the other papers' "dynamic pruning").

    Parameters
    ----------
    records : list of Record
        With :attr:`Record.local` and :attr:`Record.nodes` set (after the truncated spans are relinked, whose
        longer names count as written); a released form is no longer local and its node is its key.
    lexicon : Lexicon, optional
    counts : collections.Counter, optional
        Counts the forms released under the rule's id.
    """
    lex = lexicon or load_lexicon()
    others = defaultdict(set)  # key (or family and stem key) -> papers that write it, not as their own proposal
    for r in records:
        if r.entity.role != "proposed":
            for f, n in zip(r.forms, r.nodes):
                if n == f.key:
                    others[f.key].add(r.paper)
                    for k in stem_keys(f, lex):
                        others[(family_of(r.entity.type), k)].add(r.paper)
    for r in records:
        if not title_role(r.entity, lex):
            continue
        for i, (f, local) in enumerate(zip(r.forms, r.local)):
            generic = _singular(f.spaced.split()[-1]) in lex.generic_heads
            # the words as another paper writes them: title case in a title is no name ("Loss Functions")
            stems = {(family_of(r.entity.type), k) for k in stem_keys(normalize(f.text.lower()), lex)}
            written = set().union(others.get(f.key, set()), *(others.get(k, set()) for k in stems))
            if local and generic and written - {r.paper}:
                r.local[i], r.nodes[i] = False, f.key
                if counts is not None:
                    counts[lex.title_id] += 1


def _named(text, title):
    """`text` is written as a name: every word capitalised or an abbreviation ("LoRA", "Stable Diffusion"; not
    "KV cache compression", "an MCMC algorithm"), and, when it has several words, outside the paper's title
    (title case in a title is no name: "Scaling Laws for Neural Language Models")."""
    words = [w for w in re.split(r"[\s/]+", text) if w and w.lower() not in _FUNCTION_WORDS]
    if not words or not all(w[:1].isupper() or w[:1].isdigit() for w in words):
        return False
    if text in title and len(words) > 1:  # "KV Cache Compression" in "GEAR: An Efficient KV Cache Compression..."
        return False
    return proper_name(text) or name_like(text)


def _is_local(record, nf, named, title="", used=None, lexicon=None, terms=frozenset()):
    if record.entity.role == "proposed" and not any(expands(g, nf) for g in record.forms if g is not nf):
        # (the long form of the paper's own abbreviation, "Low-Rank Adaptation" of LoRA, is a name)
        lex = lexicon or load_lexicon()
        generic = _singular(nf.spaced.split()[-1]) in lex.generic_heads
        others = len((used or {}).get(nf.key, set()) - {record.paper})
        # rule sure_role: an unsure proposal of a phrase other papers write is their phrase
        rare = others < lex.common_papers and nf.key not in terms and (
            not others or record.entity.role_confidence >= lex.sure_role)
        if not _named(nf.text, title) and not named.get(nf.key, set()) - {record.paper} and (generic or rare):
            return True
        if nf.heads and nf.key not in normalize(title).key:  # "an MCMC algorithm" we propose is no MCMC
            return True
    name = record.forms[0]
    if nf is name:
        return False
    if _broader_acronym(nf, name) or _broader_acronym(name, nf):  # "RL" for "deep reinforcement learning"
        return True
    if expands(nf, name) or expands(name, nf):
        return False
    # a narrower, broader or paraphrasing alias holds in its paper: elsewhere the phrase may be another thing
    return _narrower_or_broader(content_stems(nf), content_stems(name)) or _paraphrase(nf, name)


def _letters(nf):
    """The capitals and digits of an acronym, or the initials of a phrase's words."""
    if is_acronym(nf.text):
        return "".join(c for c in nf.text if c.isupper() or c.isdigit()).lower()
    words = tokens_of(nf.spaced)
    return "".join(w[0] for w in words) if len(words) >= 2 else ""


def _spelled_from_start(short, long):
    """`short` abbreviates `long` from its first word on ("VAE", "variational autoencoder")."""
    return is_abbreviation(short, long) and short[:1].lower() == long.strip()[:1].lower()


def _broader_acronym(a, b):
    """`a` is an abbreviation or a phrase that spells fewer words than `b` means, one of them an acronym: "RL"
    for "deep reinforcement learning", "CoT" for "Long Chain-of-Thought", "instance segmentation" for "FSIS"
    (few-shot instance segmentation). Not an abbreviation and its own expansion ("VAE", "variational
    autoencoder")."""
    if is_acronym(a.text) and not is_acronym(b.text):  # the abbreviation spells only the last words
        words = b.text.split()
        return not _spelled_from_start(a.text, b.text) and any(
            _spelled_from_start(a.text, " ".join(words[k:])) for k in range(1, len(words)))
    if is_acronym(b.text) and not is_acronym(a.text):  # the phrase spells only part of the abbreviation
        la, lb = _letters(a), _letters(b)
        return (len(la) >= 2 and len(la) < len(lb) and (lb.endswith(la) or lb.startswith(la))
                and not is_abbreviation(b.text, a.text))
    return False


def _paraphrase(nf, name):
    """Two phrases that share no stem key say one thing in other words ("deep networks" for "neural networks",
    "Diffusion" for "score-based generative models"); a one-word name ("ElasticViT") and its description, or a
    phrase with an abbreviation in it ("offline RL" for "offline reinforcement learning"), are no paraphrase;
    "LLM quantization" for "LLM compression" is."""
    if any(len(f.text.split()) == 1 and proper_name(f.text) for f in (nf, name)):
        return False
    acronyms = [{w for w in f.text.split() if is_acronym(w)} for f in (nf, name)]
    if acronyms[0] != acronyms[1]:  # "offline RL" for "offline reinforcement learning": an abbreviation spelled out
        return False
    mine, its = content_stems(nf), content_stems(name)
    return bool(mine and its) and not (stem_keys(nf) & stem_keys(name)) and mine != its


def _narrower_or_broader(a, b):
    """One set of stems holds the other and more; a stem counts as held by one it starts or extends
    ("speedup" by "speed")."""
    if not a or not b or a == b:
        return False
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    return len(small) < len(big) and all(any(x.startswith(y) or y.startswith(x) for y in big) for x in small)


def key_families(records, bare=False):
    """Key -> the family of entity types (:data:`kg.link.stems.FAMILIES`) most records with that key have
    (with `bare`, counting only forms without a head word that says their type: "VQ", not "VQ models")."""
    votes = defaultdict(Counter)
    for r in records:
        for f, local in zip(r.forms, r.local):
            if not local and not (bare and head_family(f)):
                votes[f.key][family_of(r.entity.type)] += 1
    return {k: min(c, key=lambda fam: (-c[fam], fam)) for k, c in votes.items()}


#: Kinds of things an abbreviation can stand for that no paper confuses: "IS" the Inception Score (a metric) is
#: not "IS" importance sampling (a method), whereas a method, model or task may be typed either way.
_KINDS = {"Dataset": "data", "Metric": "measure"}


def _bare_acronym(text):
    """An abbreviation on its own ("IS", "MAE", "GPT-4"), not a phrase that starts with one ("KL-divergence")."""
    return is_acronym(text) and not any(p.islower() and len(p) > 2 for p in re.split(r"[-/]", text))


def capital_keys(records):
    """Keys written both as an abbreviation in capitals and as a lower-case word ("COST", "cost"): the
    abbreviation is not the word."""
    caps, lower = set(), set()
    for r in records:
        for f, local in zip(r.forms, r.local):
            if not local:
                if len(f.text) >= 3 and f.text.isupper() and f.text.isalpha():
                    caps.add(f.key)
                elif f.text.islower() and " " not in f.text:
                    lower.add(f.key)
    return caps & lower


def acronym_kinds(records, pairs):
    """Key of an abbreviation that names two kinds of thing -> those kinds (:data:`_KINDS`, else ``thing``).

    An abbreviation counts when some entities that write it spell it out (`pairs`, from
    :func:`kg.link.abbreviations.abbreviation_pairs`) and entities of another kind write it without doing so: "IS"
    spelled out as importance sampling (a method) and a bare "IS" metric, the Inception Score. A name typed a
    dataset in one paper and a task in another ("GSM8K") is no such thing, and neither is a kind that fewer than
    the lexicon's ``minority_share`` of the papers writing the name give it (rule ``type_vote``: "CIFAR-100" a
    Dataset in 12 papers and a Model in one is a typing slip; the node takes the majority type).
    """
    kinds, spelled = defaultdict(lambda: defaultdict(set)), defaultdict(set)
    for r in records:
        for f, local in zip(r.forms, r.local):
            if not local and _bare_acronym(f.text):
                kinds[f.key][_KINDS.get(r.entity.type, "thing")].add(r.paper)
    for key, uses in pairs.items():
        for r, _, _ in uses:
            spelled[key].add(_KINDS.get(r.entity.type, "thing"))
    share, out = load_lexicon().minority_share, {}
    for k, papers in kinds.items():
        total = len(set().union(*papers.values()))
        v = {kind for kind, ps in papers.items() if len(ps) >= share * total}
        if len(v) > 1 and spelled.get(k) and v - spelled[k]:
            out[k] = v
    return out


def node_of(nf, local, record, bare_families, kinds=None, capitals=frozenset()):
    """The node of a form: its key; its paper-local key when `local`; its key marked with the family its head
    word says when papers give the bare name another family ("VQ models" -> ``vq#model`` when VQ is a method);
    an abbreviation written for two kinds of thing (:func:`acronym_kinds`) marked with its entity's kind; an
    abbreviation in capitals that is also a lower-case word (:func:`capital_keys`) marked ``#caps``.

    Examples
    --------
    >>> from kg.records import Entity
    >>> r = Record("p1", 0, Entity("VQ models", "Model"), [])
    >>> node_of(normalize("VQ models"), False, r, {"vq": "process"}), node_of(normalize("VQ"), True, r, {})
    ('vq#model', 'vq@p1')
    """
    if local:
        return local_key(nf.key, record.paper)
    fam = head_family(nf)
    if fam and bare_families.get(nf.key, fam) != fam:
        return f"{nf.key}#{fam}"
    if kinds and nf.key in kinds and _bare_acronym(nf.text):
        return f"{nf.key}#{_KINDS.get(record.entity.type, 'thing')}"
    if nf.key in capitals and nf.text.isupper():
        return f"{nf.key}#caps"
    return nf.key
