"""Pair evaluation of the linker: does every pair of one thing land in one node, and no pair of two things?

The gold is a list of *labelled pairs* of per-paper entities across papers (``data/linking/pairs.tsv``), decided
by reading: ``same`` pairs name one thing ("LoRA" in one paper, "low-rank adaptation" in another), ``apart``
pairs are near-identical names of different things (versions and sizes, +/- variants, a part or score of a thing,
homonyms, two papers' own unnamed "progressive training strategy"). A side of a pair is an entity name and the
papers where an annotated entity has that name, so one row stands for every cross-paper combination of its sides.
The list holds names and paper ids only, never text of the papers.

The linker runs on the annotated entities themselves (:func:`gold_extractions`), so the figures measure linking
alone, not extraction. :func:`evaluate_pairs` reports, overall and per kind of pair:

- merge recall: ``same`` pairs that end in one node;
- merge precision: of the labelled pairs in one node, the ``same`` ones;
- keep-apart violations: ``apart`` pairs that end in one node;

and the cross-paper pairs the linker merged that no label covers (``unlabelled``), which a reviewer should label
when they grow (:func:`candidate_pairs` lists pairs worth labelling).

Kinds of ``same`` pairs: ``identical`` (one normalised name), ``abbreviation``, ``wording`` (stems, descriptor
heads, word order, spelling) and ``synonym``; :data:`VARIANT_KINDS` are every kind but ``identical``.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..errors import InputError
from ..records import Entity, Mention, PaperExtraction
from .cluster import parts_of
from .normalize import is_acronym, normalize, tokens_of
from .stems import stem_key

__all__ = [
    "LabelledPair", "PairScores", "SAME_KINDS", "APART_KINDS", "VARIANT_KINDS", "WORDING_KINDS", "read_pairs",
    "write_pairs", "record_labels", "gold_extractions", "generic_records", "evaluate_pairs", "candidate_pairs",
    "within_paper_splits",
]

#: Kinds of pairs of one thing.
SAME_KINDS = ("identical", "abbreviation", "wording", "synonym")
#: Kinds of near-identical pairs of two things.
APART_KINDS = ("version", "size", "variant", "plusminus", "part", "head", "type", "stem", "specific", "homonym")
#: Pairs whose names differ after normalisation: what "wording variants" measures.
VARIANT_KINDS = ("abbreviation", "wording", "synonym")
#: Variants that are neither an abbreviation nor a synonym: stems, descriptor heads, word order, spelling.
WORDING_KINDS = ("wording", "synonym")
_COLUMNS = ("label", "kind", "name_a", "papers_a", "name_b", "papers_b")


@dataclass(frozen=True)
class LabelledPair:
    """Every cross-paper pair of an entity named `name_a` in `papers_a` and one named `name_b` in `papers_b`."""

    same: bool
    kind: str
    name_a: str
    papers_a: tuple
    name_b: str
    papers_b: tuple


def read_pairs(path):
    """Read a labelled pair list (TSV: label, kind, name_a, papers_a, name_b, papers_b; ``#`` starts a comment).

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    list of LabelledPair

    Raises
    ------
    InputError
        When the file is missing or a row is malformed (the message names the line).
    """
    out = []
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            for n, row in enumerate(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE), 1):
                if not row or row[0].startswith("#"):
                    continue
                if len(row) != len(_COLUMNS):
                    raise InputError(path, f"line {n}: expected {len(_COLUMNS)} tab-separated columns "
                                           f"({', '.join(_COLUMNS)}), got {len(row)}")
                label, kind, name_a, papers_a, name_b, papers_b = row
                if label not in ("same", "apart"):
                    raise InputError(path, f"line {n}: label {label!r} is not 'same' or 'apart'")
                kinds = SAME_KINDS if label == "same" else APART_KINDS
                if kind not in kinds:
                    raise InputError(path, f"line {n}: unknown kind {kind!r} for {label!r}; "
                                           f"valid kinds: {', '.join(kinds)}")
                pa, pb = tuple(p for p in papers_a.split(",") if p), tuple(p for p in papers_b.split(",") if p)
                if not (name_a and name_b and pa and pb):
                    raise InputError(path, f"line {n}: empty name or paper list")
                out.append(LabelledPair(label == "same", kind, name_a, pa, name_b, pb))
    except FileNotFoundError:
        raise InputError(path, "pair list not found") from None
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text ({exc})") from None
    return out


def write_pairs(pairs, path):
    """Write labelled pairs in the format :func:`read_pairs` reads (sorted, so the file diffs well)."""
    rows = sorted(pairs, key=lambda p: (not p.same, p.name_a.lower(), p.name_b.lower(), p.papers_a, p.papers_b))
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("# " + "\t".join(_COLUMNS) + "\n")
        for p in rows:
            fh.write("\t".join(("same" if p.same else "apart", p.kind, p.name_a, ",".join(p.papers_a),
                                p.name_b, ",".join(p.papers_b))) + "\n")


def record_labels(pairs):
    """Expand labelled pairs to ``{(record a, record b): (same, kind)}``, a record being ``(paper id, name)``
    and each key sorted; pairs within one paper are skipped, a later row wins over an earlier one."""
    out = {}
    for p in pairs:
        for pa, pb in itertools.product(p.papers_a, p.papers_b):
            if pa != pb:
                out[tuple(sorted(((pa, p.name_a), (pb, p.name_b))))] = (p.same, p.kind)
    return out


def gold_extractions(rows):
    """Per-paper extractions made of annotated entities: the linker's input when it is measured alone.

    Each entity carries its annotated mentions (offsets into the paper's text), so the linking rules that read
    the words around a mention (:mod:`kg.link.context`, :mod:`kg.link.spans`) are measured too.

    Parameters
    ----------
    rows : iterable of tuple
        ``(Paper, gold dict)`` as :func:`kg.annotations.read_annotated` returns them.

    Returns
    -------
    list of PaperExtraction
    """
    out = []
    for paper, gold in rows:
        text = paper.text or ""
        ents = [Entity(e["name"], e["type"], e.get("role", "mentioned"), list(e.get("aliases") or []),
                       mentions=[Mention(text[a:b], a, b) for a, b in e.get("mentions") or ()
                                 if 0 <= a < b <= len(text)],
                       generic=bool(e.get("generic"))) for e in gold["entities"]]
        out.append(PaperExtraction(paper.id, paper.title, ents))
    return out


@dataclass
class PairScores:
    """What :func:`evaluate_pairs` measured.

    Attributes
    ----------
    groups : dict
        Group name (``overall``, ``variants``, ``wording variants`` and every kind) -> counts ``same``, ``merged``
        (same pairs in one node), ``apart``, ``violations`` (apart pairs in one node) and the rates ``recall``,
        ``precision``, ``violation_rate`` (None when undefined).
    misses, violations : list of tuple
        ``(kind, record a, record b)`` of same pairs split and apart pairs merged.
    unlabelled : list of tuple
        ``(record a, record b)``: cross-paper pairs in one node that no label covers.
    missing_records : int
        Labelled records (paper, name) that the linked extractions do not hold.
    """

    groups: dict
    misses: list = field(default_factory=list)
    violations: list = field(default_factory=list)
    unlabelled: list = field(default_factory=list)
    missing_records: int = 0

    def table(self):
        """The scores as an aligned text table, one group a line."""
        lines = [f"{'group':<16} {'recall':>8} {'same':>6} {'precision':>9} {'violations':>10} {'apart':>6}"]
        for name, g in self.groups.items():
            def pct(x):
                return "-" if x is None else f"{100 * x:.2f}%"
            lines.append(f"{name:<16} {pct(g['recall']):>8} {g['same']:>6} {pct(g['precision']):>9} "
                         f"{pct(g['violation_rate']):>10} {g['apart']:>6}")
        lines.append(f"unlabelled cross-paper pairs in one node: {len(self.unlabelled)}")
        return "\n".join(lines)


def _rates(c):
    merged, viol = c["merged"], c["violations"]
    return {**c, "recall": merged / c["same"] if c["same"] else None,
            "precision": merged / (merged + viol) if merged + viol else None,
            "violation_rate": viol / c["apart"] if c["apart"] else None}


def generic_records(extractions):
    """The ``(paper id, name)`` records of entities flagged generic (broad classes the graph leaves out)."""
    return {(x.id, e.name) for x in extractions for e in x.entities if e.generic}


def evaluate_pairs(result, pairs, skip=()):
    """Score a :class:`kg.link.LinkResult` against labelled pairs.

    Parameters
    ----------
    result : LinkResult
        Of extractions whose entity names are the labelled names (:func:`gold_extractions`).
    pairs : list of LabelledPair
    skip : set of tuple, optional
        Records ``(paper id, name)`` to leave out, with every pair they are in (e.g. :func:`generic_records`:
        the graph holds no node for a broad class, so the pairs that count for it are between specific things).

    Returns
    -------
    PairScores

    Examples
    --------
    >>> from kg.link import link
    >>> exts = [PaperExtraction("a", entities=[Entity("LoRA", "Method")]),
    ...         PaperExtraction("b", entities=[Entity("LoRA+", "Method")]),
    ...         PaperExtraction("c", entities=[Entity("low-rank adaptation", "Method", aliases=["LoRA"])])]
    >>> pairs = [LabelledPair(True, "abbreviation", "LoRA", ("a",), "low-rank adaptation", ("c",)),
    ...          LabelledPair(False, "plusminus", "LoRA", ("a",), "LoRA+", ("b",))]
    >>> s = evaluate_pairs(link([], exts), pairs)
    >>> s.groups["overall"]["recall"], s.groups["overall"]["violation_rate"]
    (1.0, 0.0)
    """
    node = {}
    for eid, members in result.members.items():
        for rec in members:
            node[rec] = eid
    labels = record_labels(pairs)
    counts = defaultdict(lambda: {"same": 0, "merged": 0, "apart": 0, "violations": 0})
    misses, violations, missing = [], [], set()
    skip = set(skip)
    for (ra, rb), (same, kind) in sorted(labels.items()):
        if ra in skip or rb in skip:
            continue
        if ra not in node or rb not in node:
            missing.update(r for r in (ra, rb) if r not in node)
            continue
        together = node[ra] == node[rb]
        groups = ["overall", kind]
        if kind in VARIANT_KINDS:
            groups.append("variants")
        if kind in WORDING_KINDS:
            groups.append("wording variants")
        for g in groups:
            if same:
                counts[g]["same"] += 1
                counts[g]["merged"] += together
            else:
                counts[g]["apart"] += 1
                counts[g]["violations"] += together
        if same and not together:
            misses.append((kind, ra, rb))
        elif not same and together:
            violations.append((kind, ra, rb))
    unlabelled = []
    for members in result.members.values():
        for ra, rb in itertools.combinations(sorted(set(members) - skip), 2):
            if ra[0] != rb[0] and (ra, rb) not in labels:
                unlabelled.append((ra, rb))
    order = ["overall", "variants", "wording variants", *SAME_KINDS, *APART_KINDS]
    groups = {g: _rates(counts[g]) for g in order if g in counts}
    return PairScores(groups, misses, violations, unlabelled, len(missing))


# -- candidates for labelling ---------------------------------------------------------------------------------

_FUNCTION = frozenset("a an and at based by for from in of on or the to via with".split())


def within_paper_splits(rows, extractions, result):
    """Annotated entities whose mentions the extractor and linker put into two or more nodes of one graph.

    Issue 17 counts these ("Key-Value (KV) cache" and "KV cache" of one paper in two nodes): an annotated entity is
    one thing of its paper, so every extracted entity that shares a mention with it should land in its node.

    Parameters
    ----------
    rows : iterable of tuple
        ``(Paper, gold dict)`` (:func:`kg.annotations.read_annotated`); generic gold entities are skipped.
    extractions : iterable of PaperExtraction
        The extractor's output for (some of) those papers, with mentions.
    result : LinkResult
        The linking of `extractions` (its ``members``: node id -> ``(paper id, entity name)`` records).

    Returns
    -------
    dict
        ``judged`` (annotated entities some extracted mention overlaps), ``split`` (of those, the ones in two or
        more nodes), ``abbreviation`` (splits that part an abbreviation from its long form: one node's names hold
        an acronym the other's do not) and ``examples``: ``(paper id, gold name, [node ids])``.

    Examples
    --------
    >>> from kg.link import link
    >>> from kg.records import Paper
    >>> p = Paper("p", "Scaling Laws", "We study empirical scaling laws.")  # text: title, blank line, abstract
    >>> x = PaperExtraction("p", "", [Entity("Scaling Laws", "Method", mentions=[Mention("Scaling Laws", 0, 12)]),
    ...     Entity("empirical scaling laws", "Method", mentions=[Mention("empirical scaling laws", 23, 45)])])
    >>> gold = {"entities": [{"name": "scaling laws", "mentions": [[0, 12], [23, 45]]}]}
    >>> s = within_paper_splits([(p, gold)], [x], link([p], [x]))
    >>> s["judged"], s["split"], s["examples"]
    (1, 1, [('p', 'scaling laws', ['empirical-scaling-law', 'scaling-law'])])
    """
    node = {rec: nid for nid, recs in result.members.items() for rec in recs}
    predicted = {x.id: x.entities for x in extractions}
    judged = split = abbreviation = 0
    examples = []
    for paper, gold in rows:
        ents = predicted.get(paper.id)
        if not ents:
            continue
        for g in gold["entities"]:
            if g.get("generic"):
                continue
            spans = [(a, b) for a, b in g.get("mentions") or ()]
            hits = {}
            for e in ents:
                if any(m.start < b and a < m.end for m in e.mentions or () for a, b in spans):
                    nid = node.get((paper.id, e.name))
                    if nid is not None:
                        hits.setdefault(nid, set()).add(e.name)
            if not hits:
                continue
            judged += 1
            if len(hits) > 1:
                split += 1
                acr = [any(is_acronym(n) for n in names) for names in hits.values()]
                abbreviation += any(acr) and not all(acr)
                examples.append((paper.id, g["name"], sorted(hits)))
    return {"judged": judged, "split": split, "abbreviation": abbreviation, "examples": examples}


def _initials(text):
    words = [w for w in re.split(r"[\s\-/]+", text) if w and w.lower() not in _FUNCTION]
    return "".join(w[0] for w in words).lower() if len(words) >= 2 else None


def _capitals(text):
    return "".join(c for c in text if c.isupper() or c.isdigit()).lower()


def candidate_pairs(extractions, labelled=()):
    """Cross-paper pairs of entities worth labelling: one normalised name, one name but for a part token
    ("CLIP score"), one stem key, one name but for its numbers or symbols, or an acronym whose capitals are the
    initials of the other's words.

    Parameters
    ----------
    extractions : iterable of PaperExtraction
    labelled : iterable of LabelledPair
        Pairs already labelled are left out.

    Returns
    -------
    list of tuple
        ``((paper a, name a), (paper b, name b), reasons)``, sorted, reasons a string of ``k`` (key), ``s``
        (stems), ``n`` (numbers), ``y`` (symbols), ``a`` (abbreviation).
    """
    done = set(record_labels(labelled))
    recs = [(x.id, e) for x in extractions for e in x.entities]
    index = defaultdict(set)
    for i, (_, e) in enumerate(recs):
        for form in e.forms:
            nf = normalize(form)
            if not nf.key:
                continue
            index["k", nf.key].add(i)
            for base, _ in parts_of(nf):  # "CLIP score", "ImageNet-C", "QuIP#" beside CLIP, ImageNet, QuIP
                index["k", base].add(i)
            sk = stem_key(nf)
            if sk:
                index["s", sk].add(i)
            index["n", nf.letters].add(i)
            index["y", re.sub(r"[^a-z0-9]", "", form.lower())].add(i)
            if is_acronym(form) and sum(c.isupper() for c in form) >= 2:
                index["a", _capitals(form)].add(i)
            elif len(tokens_of(nf.spaced)) >= 2:
                index["a", _initials(form)].add(i)
    found = defaultdict(set)
    for (why, _), ids in index.items():
        if len(ids) > 200:  # a key shared by hundreds of entities ("accuracy") adds nothing to review
            continue
        for i, j in itertools.combinations(sorted(ids), 2):
            (pa, ea), (pb, eb) = recs[i], recs[j]
            if pa != pb:
                pair = tuple(sorted(((pa, ea.name), (pb, eb.name))))
                if pair not in done:
                    found[pair].add(why)
    return sorted((a, b, "".join(sorted(w))) for (a, b), w in found.items())
