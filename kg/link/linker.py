"""Corpus-level linking: per-paper entities become corpus entities with stable ids (issue 4).

The rules, in order:

1. Every surface form of an entity is normalised (:mod:`kg.link.normalize`): case, dashes and spaces, plural,
   leading determiner, trailing head words after a name, ``-based``, British spelling; a parenthesised
   abbreviation inside a name gives both names it stands for. Forms with one key are one thing, except the
   forms that link within their paper only (:mod:`kg.link.forms`: a paper's own unnamed "adaptive algorithm",
   an alias narrower or broader than the name).
   An entity whose every mention the text around it extends into a longer name ("[BERT]-Base", "tiny-[ImageNet]",
   "FID, [CLIP], and CMMD scores") links as that name, or within its paper only (:mod:`kg.link.spans`).
2. The forms of one entity of one paper (its name and aliases) are tied: an abbreviation and its long form
   ("LoRA", "Low-Rank Adaptation") are one thing everywhere in the corpus, so "LoRA" alone in another paper
   joins them. A tie is refused when one form is a variant of the other ("LoRA+" / "LoRA") or when the alias
   is implausible (no shared word, not an abbreviation, not a name: extraction noise).
3. An abbreviation whose long forms disagree across papers ("DPP" = "Determinantal Point Process" /
   "Delta-parameter pruning") is *ambiguous* (:mod:`kg.link.abbreviations`): each long form keeps its own
   cluster (the abbreviation is then an alias of each, and its id is disambiguated by the long form), and a
   bare use of it stays apart.
4. Ordinary noun phrases also meet on their stem key (:mod:`kg.link.stems`: "computational cost" =
   "computation cost", "self-attention mechanism" = "self-attention"), within one family of entity types; a
   form with a lower-case descriptor head joins the process the corpus names without it (rule
   ``descriptor_head``, data: "KV cache compression methods" = "KV cache compression").
5. Keys one edit apart within one entity type are joined (:func:`kg.link.cluster.near_duplicates`).
6. The bundled synonym table (``kg/link/data/synonyms.toml``: MMLU = Massive Multitask Language
   Understanding, COCO = MS-COCO) and the curation file's merges join their names.
7. No merge ever joins different number blocks, a name and its version, size or part ("SGD-M", "CLIP score",
   "QuIP#"), or names a curation file keeps apart (:class:`kg.link.cluster.KeyClusters`).

Each cluster becomes a :class:`CorpusEntity`: its type by vote over papers (curation overrides; conflicts
reported), its label the most frequent proper form (ties: the abbreviation, then a capitalised name), its role
per paper the strongest one. A new node's id is the slug of its abbreviation when it has one, else of its most
frequent normalised form, spelled with its numbers separated ("resnet-18"); it depends on the names only, not
on corpus order, and is unique. With an id table (:class:`kg.link.index.NodeIndex`) a node keeps the id it was
given before, and no id is ever given to another thing. Generic clusters (most papers flag them generic) are
returned with ``generic=True`` and never take part in relations.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..records import ENTITY_TYPES, ROLES, strongest_role
from .abbreviations import (
    abbreviates,
    abbreviation_pairs,
    ambiguous_abbreviations,
    define_from_text,
    tie_paper_abbreviations,
)
from .cluster import KeyClusters, near_duplicates, parts_of, plausible_alias
from .context import relink_context, relink_elided_heads, relink_shortened_rates
from .curation import Curation, load_curation
from .forms import (
    acronym_kinds,
    build_records,
    capital_keys,
    key_families,
    local_key,
    node_of,
    release_title_terms,
    written_keys,
)
from .heads import join_by_heads
from .index import NodeIndex, assign_ids
from .normalize import _name_like, normalize, slugify
from .relations import family_candidates, find_variants, merge_relations
from .results import link_results
from .spans import relink_truncated

__all__ = ["CorpusEntity", "LinkResult", "link", "SYNONYMS_PATH"]

#: The linker's bundled synonym table (in the format of a curation file's ``[[merge]]`` entries).
SYNONYMS_PATH = Path(__file__).parent / "data" / "synonyms.toml"



@dataclass
class CorpusEntity:
    """One node of the knowledge graph: every mention of one real thing across the corpus."""

    id: str
    type: str
    label: str
    aliases: list = field(default_factory=list)
    papers: list = field(default_factory=list)
    roles: dict = field(default_factory=dict)
    first_seen: str | None = None
    generic: bool = False
    confidence: float = 1.0
    type_votes: dict = field(default_factory=dict)


@dataclass
class LinkResult:
    """What :func:`link` returns.

    Attributes
    ----------
    entities : dict of str to CorpusEntity
        By id; generic entities are included with ``generic=True``.
    relations : list of CorpusRelation
        One per (subject id, predicate, object id), merged across papers.
    variants : list of tuple of str
        ``(variant id, family id)`` pairs, e.g. ``("llama-2-7b", "llama-2")``.
    report : dict
        Counts: ``entities_in``, ``nodes_out``, ``merges`` by rule, ``normalised`` forms by rule, ``refused``
        merges by guard, ``type_conflicts``, ``ambiguous_abbreviations``, ``dropped``, relation counts.
    members : dict of str to list of tuple
        Id -> the ``(paper id, entity name)`` records it merges (for inspection and tests).
    index : NodeIndex
        The id table after this run: the one passed to :func:`link`, updated, or a new one.
    results : list of kg.link.results.CorpusResult
        Every paper's results, their endpoints mapped onto corpus entity ids.
    """

    entities: dict
    relations: list
    variants: list
    report: dict
    members: dict = field(default_factory=dict)
    index: NodeIndex = field(default_factory=NodeIndex)
    results: list = field(default_factory=list)


def _curation_keys(cur):
    merge = [[normalize(n).key for n in group] for group in cur.merge]
    apart = defaultdict(set)
    for g, group in enumerate(cur.keep_apart):
        for m, name in enumerate(group):
            apart[normalize(name).key].add((g, m))
    drop = {normalize(n).key for n in cur.drop}
    types = {normalize(n).key: t for n, t in cur.types.items()}
    return merge, dict(apart), drop, types


def _is_variant(a, b):
    """`a` is a size, version, flavour or part of `b` ("LoRA+" of "LoRA", "BERT-base" of "BERT", "SGD-M" of
    "SGD")."""
    return (any(normalize(c).key == b.key for c in family_candidates(a.spaced))
            or any(base == b.key for base, _ in parts_of(a)))


def _type_votes(records):
    votes = defaultdict(set)
    for r in records:
        votes[r.entity.type].add(r.paper)
    return {t: len(p) for t, p in sorted(votes.items())}


def _choose_type(votes, records):
    conf = Counter()
    for r in records:
        conf[r.entity.type] += r.entity.confidence
    order = {t: i for i, t in enumerate(ENTITY_TYPES)}
    return min(votes, key=lambda t: (-votes[t], -conf[t], order.get(t, len(order)), t))


def _label(form_papers, name_papers, short_keys):
    def score(item):
        nf, papers = item
        proper = not nf.steps
        short = nf.key in short_keys
        return (-proper, -len(papers), -len(name_papers.get(nf.text, ())), -short,
                -_name_like(nf.text.split()), len(nf.text), nf.text)

    return min(form_papers.items(), key=score)[0].text


def _separate_numbers(slug):
    """Put a hyphen between a name and its number ("resnet18" -> "resnet-18", "llamav2" -> "llama-v2"), so that
    the spellings of one name give one id; a one-letter name keeps its number ("c4", "t5")."""
    slug = re.sub(r"(?<=[a-z]{2})(?<!-v)v(?=\d+(?:-|$))", "-v", slug)
    return re.sub(r"(?<=[a-z]{2})(?=\d)", "-", slug).replace("-v-", "-v")


def _slug_for(key, form_papers):
    """Slug of the most separated spelling of `key` ("llama-2-7b" before "llama2-7b"), then the first in order:
    it changes only when a more separated spelling appears, not with how often each is used."""
    slugs = {_separate_numbers(slugify(f.spaced)) for f in form_papers if f.key == key}
    return min(slugs, key=lambda s: (-s.count("-"), s)) if slugs else slugify(key)


def _join_own_forms(records, kc):
    """Rule ``same_paper``: a form kept in its paper (the paper's own proposal, ``key@paper``) joins the global node
    of the same key when only that paper writes the key: "we propose a new [memory-augmented version of Adam]" and
    the title's "[Memory-Augmented Adam]" (67b280cd61) are one thing; a key other papers write too stays apart, as
    the specificity gate says."""
    writers = written_keys(records)
    for r in records:
        for f, n in zip(r.forms, r.nodes):
            if n is not None and n == local_key(f.key, r.paper) and writers.get(f.key) == {r.paper}:
                kc.union(f.key, n, "same_paper")


def _join_modified_synonyms(kc, forms, by_tail):
    """Rule ``synonym_modifier``: names of one synonym entry stay synonyms after the same modifier ("GPU memory
    usage" and "GPU memory consumption", as memory usage and memory consumption; "peak memory consumption" and
    "peak memory usage"): two keys the corpus writes as "<modifier> <one name of an entry>" and "<the same modifier>
    <another name of it>" join, under the guards (not forced, as the entries themselves are)."""
    if not by_tail:
        return
    spaced = {k: forms[k].spaced for k in kc.parent if k in forms and "@" not in k}
    found = defaultdict(dict)  # (entry, modifier) -> key
    for k, text in spaced.items():
        words = text.split()
        for cut in range(1, len(words)):
            tail = " ".join(words[cut:])
            for i in by_tail.get(tail, ()):
                found[(i, " ".join(words[:cut]))][tail] = k
    for keys in found.values():
        first, *rest = sorted(set(keys.values()))
        for k in rest:
            kc.union(first, k, "synonym_modifier")


def _cluster(records, merges, apart, ambiguous, pairs=None, tails=None, ties=()):
    """Union the nodes of all records: synonyms and curation merges (and the synonyms after one modifier: `tails`,
    :func:`_synonym_tails`), abbreviations a relinked record defines (`ties`), ties within one paper's entity, stem
    keys, near-identical spellings.

    Returns
    -------
    kc : KeyClusters
    forms : dict of str to NormalForm
        A representative form of every node of a form (global key or paper-local key).
    """
    forms, key_types = {}, defaultdict(Counter)
    for r in records:
        for f, n in zip(r.forms, r.nodes):
            forms.setdefault(n or f.key, f)
            forms.setdefault(f.key, f)
            if n is None or n == f.key:
                key_types[f.key][r.entity.type] += 1
    kc = KeyClusters(forms, apart)
    for r in records:
        for n in r.nodes:
            if n is not None:
                kc.add(n)
    for rule, group in merges:
        present = [k for k in group if k in kc.parent]  # names of the table that this corpus writes
        for k in present[1:]:
            kc.union(present[0], k, rule, force=True)
    _join_modified_synonyms(kc, forms, tails or {})
    for short, long in ties:  # "Stable Diffusion (SD) V2.1": SD still abbreviates Stable Diffusion elsewhere
        if short in kc.parent and long in kc.parent:
            kc.union(short, long, "abbreviation")
    _join_own_forms(records, kc)
    for r in records:
        anchor = r.anchor()
        head = r.forms[r.nodes.index(anchor)]
        for f, n in zip(r.forms, r.nodes):
            if n is None or n == anchor:
                continue
            if _is_variant(f, head) or _is_variant(head, f):  # a paper's alias never merges a variant into its family
                kc.refused["variant"] += 1
                continue
            abbr = abbreviates(f, head) or abbreviates(head, f)
            if not abbr and not plausible_alias(head, f):
                kc.refused["implausible_alias"] += 1
                continue
            kc.union(anchor, n, "abbreviation" if abbr else "alias")
    join_by_heads(records, kc, ambiguous, pairs)  # stem keys, descriptor heads, task qualifiers, spelled heads
    by_type = defaultdict(dict)  # fuzzy matching stays within the type most papers give a key
    for k, votes in key_types.items():
        if k not in ambiguous:
            by_type[min(votes, key=lambda t: (-votes[t], t))][k] = forms[k]
    for t in sorted(by_type):
        for a, b in near_duplicates(by_type[t]):
            kc.union(a, b, "fuzzy")
    return kc, forms


def _draft(root, recs, kc, pairs, ambiguous, type_override, dates):
    """The id base and the attributes of the corpus entity of one cluster of records."""
    form_papers, name_papers, keys, local, by_text = defaultdict(set), defaultdict(set), set(), set(), {}
    for r in recs:
        for f, n in zip(r.forms, r.nodes):
            if n is None or kc.find(n) == root:
                form_papers[by_text.setdefault(f.text, f)].add(r.paper)
                (local if n is not None and "@" in n else keys).add(n if n and "#" in n else f.key)
        name_papers[r.forms[0].text].add(r.paper)
    keys = keys or local  # a node of one paper's own phrase: its id comes from that phrase
    short_keys = {k for k in keys if k in pairs}
    key_papers = Counter()
    for nf, ps in form_papers.items():
        key_papers[nf.key] += len(ps)
    roles, generic_votes = {}, {}
    for r in recs:
        # when one paper gives one entity several roles, the strongest wins
        role = r.entity.role if r.entity.role in ROLES else "mentioned"
        roles[r.paper] = strongest_role([role, roles.get(r.paper, "mentioned")])
        generic_votes[r.paper] = generic_votes.get(r.paper, False) or bool(r.entity.generic)
    votes = _type_votes(recs)
    type_ = next((type_override[k] for k in sorted(keys) if k in type_override), None) or _choose_type(votes, recs)
    known = [dates[p] for p in roles if dates.get(p)]

    def most_used(pool):
        return min(pool, key=lambda k: (-key_papers[k], len(k), k))

    amb = sorted(k for k in keys if k in ambiguous)
    longs = [k for k in keys if k not in ambiguous]
    if amb and longs:  # one sense of an ambiguous abbreviation: the abbreviation and its long form
        base = f"{_slug_for(amb[0], form_papers)}-{_slug_for(most_used(longs), form_papers)}"
    elif amb:
        base = _slug_for(amb[0], form_papers)
    else:
        base = _slug_for(most_used(short_keys or keys), form_papers)
    label = _label(form_papers, name_papers, short_keys)
    attrs = dict(type=type_, label=label, aliases=sorted({nf.text for nf in form_papers} - {label}),
                 papers=sorted(roles), roles=dict(sorted(roles.items())), first_seen=min(known) if known else None,
                 generic=sum(generic_votes.values()) * 2 > len(generic_votes),
                 confidence=max(r.entity.confidence for r in recs), type_votes=votes)
    return base, attrs, keys


def _report(extractions, records, entities, kc, forms, ambiguous, dropped, variants, rel_report):
    texts = {}
    for r in records:
        for f in r.forms:
            texts.setdefault(f.text, f)
    per_key, normalised = defaultdict(set), Counter()
    for f in texts.values():
        per_key[f.key].add(f.text.lower())
    for f in texts.values():
        if len(per_key[f.key]) > 1:  # a rule that made this form equal to another
            normalised.update(f.steps)
    same_text = len({r.entity.name for r in records})
    same_key = len({r.forms[0].key for r in records})
    generic_n = sum(e.generic for e in entities.values())
    conflicts = [{"entity": e.id, "votes": e.type_votes, "type": e.type}
                 for e in entities.values() if len(e.type_votes) > 1]
    return {
        "papers": len({e.id for e in extractions}),
        "entities_in": sum(len(e.entities) for e in extractions),
        "entities_linked": len(records),
        "surface_forms": len(texts),
        "keys": len(forms),
        "clusters": len(entities),
        "nodes_out": len(entities) - generic_n,
        "generic_nodes": generic_n,
        "merges": dict(sorted(kc.merges.items())),
        # records -> nodes, by what joined them: the same name, the same normalised name, then ties and fuzzy
        "record_merges": {"identical_name": len(records) - same_text, "normalised_name": same_text - same_key,
                          "linked": same_key - len(entities)},
        "normalised": dict(sorted(normalised.items())),
        "refused": dict(sorted(kc.refused.items())),
        "variants": len(variants),
        "type_conflicts": sorted(conflicts, key=lambda c: c["entity"]),
        "ambiguous_abbreviations": [
            {"abbreviation": forms[a].text, "long_forms": [sorted(forms[k].text for k in g) for g in groups]}
            for a, groups in sorted(ambiguous.items())
        ],
        "dropped": dict(sorted((dropped + Counter(rel_report["dropped"])).items())),
        "relations_in": rel_report["relations_in"],
        "relations_out": rel_report["relations_out"],
    }


def _merges(curation, table):
    """``(rule, keys)`` groups joined whatever the guards but keep-apart say: the synonym `table`, then curation."""
    groups = [("synonym", g) for g in table] + [("curation", g) for g in curation.merge]
    return [(rule, [normalize(n).key for n in g]) for rule, g in groups]


def _synonym_tails(table):
    """Spaced name -> numbers of the entries of the synonym `table` that hold it."""
    out = defaultdict(list)
    for i, group in enumerate(table):
        for n in group:
            out[normalize(n).spaced].append(i)
    return out


def link(papers, extractions, curation=None, index=None, synonyms=True):
    """Link the per-paper entities of a corpus into corpus entities and merge their relations.

    Parameters
    ----------
    papers : iterable of Paper
        For the dates (``first_seen``); papers without an extraction are ignored.
    extractions : iterable of PaperExtraction
    curation : Curation or str or os.PathLike, optional
        Corrections (:func:`kg.link.load_curation`); a path is read.
    index : NodeIndex, optional
        The id table of earlier builds (:func:`kg.link.read_index`), updated in place: a node keeps the id
        given to its keys before, a new node gets an id never given. To link new papers against a built graph,
        pass the table the build left and only the new extractions: known things get their old ids.
    synonyms : bool
        Apply the bundled synonym table (:data:`SYNONYMS_PATH`).

    Returns
    -------
    LinkResult

    Raises
    ------
    InputError
        When `curation` is a path to a bad curation file.

    Examples
    --------
    >>> from kg.records import Entity, PaperExtraction
    >>> exts = [PaperExtraction("a", entities=[Entity("LoRA", "Method", "proposed", ["Low-Rank Adaptation"])]),
    ...         PaperExtraction("b", entities=[Entity("low rank adaptation", "Method", "used")])]
    >>> r = link([], exts)
    >>> list(r.entities), r.entities["lora"].label, r.entities["lora"].papers
    (['lora'], 'LoRA', ['a', 'b'])
    """
    if curation is not None and not isinstance(curation, Curation):
        curation = load_curation(curation)
    curation = curation or Curation()
    _, apart, drop, type_override = _curation_keys(curation)
    table = load_curation(SYNONYMS_PATH).merge if synonyms else []
    merges = _merges(curation, table)
    index = NodeIndex() if index is None else index
    dates = {p.id: p.date for p in papers}
    extractions = list(extractions)
    dropped = Counter()
    terms = {k for rule, group in merges if rule == "synonym" for k in group}
    relinked, texts = Counter(), {p.id: p.text for p in papers}
    records = build_records(extractions, drop, dropped, terms, relinked)
    define_from_text(records, texts, relinked)  # "cross-entropy ([CE])": the paper's own long form
    tie_paper_abbreviations(records, texts, relinked)  # "Weight-Decomposed Low-Rank Adaptation ([DoRA])"

    # abbreviations whose long forms disagree: a form of one is no node of its own where a long form is given
    pairs = abbreviation_pairs(records)
    merged_root = {k: group[0] for _, group in merges for k in group}
    ambiguous = ambiguous_abbreviations(pairs, merged_root)
    bare, kinds, caps = key_families(records, bare=True), acronym_kinds(records, pairs), capital_keys(records)
    for r in records:
        keys = {f.key for f in r.forms}
        expanded = {a for a in keys & ambiguous.keys() if keys & set().union(*ambiguous[a])}
        r.nodes = [None if f.key in expanded else node_of(f, loc, r, bare, kinds, caps)
                   for f, loc in zip(r.forms, r.local)]
        if all(n is None for n in r.nodes):
            r.nodes = [f.key for f in r.forms]
    ties = relink_truncated(records, texts, terms, relinked)
    release_title_terms(records, counts=relinked)
    relink_context(records, texts, relinked)
    relink_shortened_rates(records, relinked)
    relink_elided_heads(records, relinked)

    kc, forms = _cluster(records, merges, apart, ambiguous, pairs, _synonym_tails(table), ties)
    clusters = defaultdict(list)
    for r in records:
        clusters[kc.find(r.anchor())].append(r)
    groups = kc.groups()
    drafts = []
    for root, recs in clusters.items():
        base, attrs, keys = _draft(root, recs, kc, pairs, ambiguous, type_override, dates)
        drafts.append((base, -len(attrs["papers"]), attrs["label"], root, attrs, keys, groups[root], recs))
    drafts.sort(key=lambda d: d[:4])

    # unique ids: known things keep theirs; on a clash the better-attested new cluster keeps the plain slug. A node
    # also claims the ids of its papers' own nodes of earlier builds ("importancesampling@0e4392a7e4") that no node
    # holds now: the phrase a paper kept to itself joined the common node, whose id it is redirected to.
    held = {k for d in drafts for k in d[6]}
    owners = index.owners()
    kept_to_paper = {eid for eid, v in index.ids.items() if all("@" in k for k in v.get("keys", ()))}
    own = [sorted(k for k in {local_key(f.key, r.paper) for r in d[7] for f in r.forms} - held
                  if kept_to_paper.intersection(owners.get(k, ()))) for d in drafts]
    entities, members, key_owner = {}, {}, {}
    given = assign_ids([(d[0], d[4]["type"], d[6], o) for d, o in zip(drafts, own)], index, owners)
    for eid, (_, _, _, _, attrs, keys, nodes, recs) in zip(given, drafts):
        entities[eid] = CorpusEntity(eid, **attrs)
        members[eid] = sorted((r.paper, r.entity.name) for r in recs)
        index.record(eid, attrs["label"], attrs["type"], nodes, len(attrs["papers"]))
        for r in recs:
            r.cluster = eid
        key_owner.update((k, eid) for k in keys if k not in ambiguous)

    relations, rel_report = merge_relations(extractions, records, entities, drop)
    results, res_report = link_results(extractions, records, entities)
    variants = find_variants(entities, key_owner)
    report = _report(extractions, records, entities, kc, forms, ambiguous, dropped, variants, rel_report)
    report["results"] = res_report
    report["relinked"] = dict(relinked)
    return LinkResult(dict(sorted(entities.items())), relations, variants, report, members, index, results)
