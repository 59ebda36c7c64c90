"""Stand-off annotations: the extractor's training data as offsets into texts that stay where they are.

An annotated abstract is kept in the project as a *stand-off record* (``data/annotations/<source>/*.jsonl``):
the paper id, the entities (name, type, role, generic flag, aliases and the character offsets of every
mention), the relations and results with the offsets of their evidence. The abstracts themselves stay in
their corpus (third-party text is never copied into the project); :func:`resolve` joins a record with its
paper and gives back the ``devset/GUIDELINE.md`` gold dict (evidence as text) that ``kg train`` and
``devset/score.py`` read.

Offsets index :attr:`kg.records.Paper.text` (title, blank line, abstract), the text extraction sees.

A *draft* is an annotation as an annotator writes it, in the guideline's format with evidence as text;
:func:`to_standoff` checks it against the paper (aliases and evidence must be exact substrings, relation
endpoints and result fields must name entities of the paper) and computes every offset.

Command line (for annotators)::

    python -m kg.annotations text ID... --source neurips2022       # print papers to read
    python -m kg.annotations convert DRAFT.jsonl --source neurips2022 --annotator a1 -o OUT.jsonl
    python -m kg.annotations agree A.jsonl B.jsonl --source neurips2022   # inter-annotator agreement
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

from .errors import InputError, KGError
from .records import ENTITY_TYPES, RELATIONS, ROLES

__all__ = [
    "ROOT", "SOURCES", "RESULT_KINDS", "AnnotationError", "text_hash", "load_texts", "find_mentions",
    "to_standoff", "refresh_mentions", "resolve", "read_records", "read_annotated", "agreement",
]

#: The project's top directory (annotation and corpus paths below are relative to it).
ROOT = Path(__file__).resolve().parent.parent
#: Where each source's texts are read from (relative to :data:`ROOT`); its records live in
#: ``data/annotations/<source>/``.
SOURCES = {
    "neurips2022": "../shared/corpus/neurips2022/papers.jsonl",
    "hf-daily": "data/hf-daily-papers",
}
#: Result kinds (GUIDELINE.md, "Results").
RESULT_KINDS = ("absolute", "delta")
_RESULT_REFS = ("subject", "metric", "dataset", "baseline")
_DOUBLE = "double"


class AnnotationError(KGError):
    """A draft annotation that does not fit its paper; ``problems`` lists every fault found."""

    def __init__(self, paper_id, problems):
        self.paper_id = paper_id
        self.problems = list(problems)
        super().__init__(f"{paper_id}: " + "; ".join(self.problems))


def text_hash(text):
    """First 12 hex digits of SHA-1 of `text`: a stand-off record's check that its text has not changed.

    >>> text_hash("LoRA\\n\\nWe adapt.")
    'c84f55111e75'
    """
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def load_texts(source, path=None):
    """The papers of an annotation source, by id.

    Parameters
    ----------
    source : str
        A key of :data:`SOURCES`.
    path : str or os.PathLike, optional
        Where the texts are, overriding :data:`SOURCES`.

    Returns
    -------
    dict
        ``{paper id: kg.records.Paper}``.
    """
    from .sources import read_papers

    if path is None:
        if source not in SOURCES:
            raise InputError(source, f"unknown annotation source; expected one of: {', '.join(SOURCES)}")
        path = ROOT / SOURCES[source]
    if not Path(path).exists():
        raise InputError(path, f"the texts of source {source!r} are not there")
    return {p.id: p for p in read_papers([str(path)])}


def _occurrences(text, form, ignore_case=False, compounds=False):
    # a word boundary that a hyphen joining two words is not ("LoRA-based"), but a dash is ("latency---but");
    # `compounds` lets a hyphen join it after all (the last resort of a name written only as "AdaGrad-inspired")
    before, after = (r"(?<!\w)", r"(?!\w)") if compounds else (r"(?<!\w)(?<!\w-)", r"(?!\w)(?!-\w)")
    pattern = before + re.escape(form) + after
    return [(m.start(), m.end()) for m in re.finditer(pattern, text, re.IGNORECASE if ignore_case else 0)]


def find_mentions(text, entities):
    """Every mention of every entity: occurrences of its name and aliases at word boundaries.

    Case-sensitive matches first (a form found nowhere is then searched ignoring case); overlapping
    occurrences keep the longer one, so "Low-Rank Adaptation (LoRA)" gives two mentions, not one. An entity
    written only inside a longer one's mention ("ImageNet" in "ImageNet classifiers", both entities) keeps those
    nested occurrences, and one written only in a hyphenated compound ("AdaGrad-inspired") those: it is still
    an entity of the paper (training's tagger drops a nested span, see :func:`kg.train.ner.gold_spans`).

    Parameters
    ----------
    text : str
    entities : list of dict
        With ``name`` and ``aliases``.

    Returns
    -------
    list of list
        Per entity, its ``[start, end]`` pairs sorted by start.

    Examples
    --------
    >>> find_mentions("We use LoRA. Low-Rank Adaptation (LoRA) works.",
    ...               [{"name": "LoRA", "aliases": ["Low-Rank Adaptation"]}])
    [[[7, 11], [13, 32], [34, 38]]]
    >>> find_mentions("ImageNet classifiers fail.", [{"name": "ImageNet classifiers"}, {"name": "ImageNet"}])
    [[[0, 20]], [[0, 8]]]
    >>> find_mentions("An AdaGrad-inspired step.", [{"name": "AdaGrad"}])
    [[[3, 10]]]
    """
    found = []
    for k, e in enumerate(entities):
        for form in _forms(e):
            found.extend((s, t, k) for s, t in _occurrences(text, form) or _occurrences(text, form, True))
    taken, out = set(), [[] for _ in entities]
    for s, t, k in sorted(found, key=lambda x: (-(x[1] - x[0]), x[0], x[2])):
        if any(i in taken for i in range(s, t)):
            continue
        taken.update(range(s, t))
        out[k].append([s, t])
    for k in [k for k, m in enumerate(out) if not m]:
        # written only inside a longer name (nested mentions), or only in a hyphenated compound ("AdaGrad-inspired")
        own = [(s, t) for s, t, j in found if j == k] or [
            (s, t) for form in _forms(entities[k])
            for s, t in _occurrences(text, form, compounds=True) or _occurrences(text, form, True, True)]
        seen = set()
        for s, t in sorted(own, key=lambda x: (x[0] - x[1], x[0])):
            if not seen & set(range(s, t)):
                seen.update(range(s, t))
                out[k].append([s, t])
    return [sorted(m) for m in out]


def _forms(entity):
    """The name and aliases of `entity` that are not blank."""
    return [f for f in {entity["name"], *(entity.get("aliases") or [])} if f.strip()]


def _locate(text, fragment):
    """Offsets of `fragment` in `text`, tolerant of white space and quote differences; None if absent."""
    fragment = fragment.strip()
    if not fragment:
        return None
    i = text.find(fragment)
    if i >= 0:
        return [i, i + len(fragment)]
    words = [re.escape(w) for w in fragment.split()]
    m = re.search(r"\s+".join(words), text)
    return [m.start(), m.end()] if m else None


def to_standoff(draft, paper, annotator, strict=True):
    """Check a draft annotation against its paper and turn it into a stand-off record.

    Parameters
    ----------
    draft : dict
        GUIDELINE.md format: ``id``, ``entities``, ``relations`` (``s``, ``p``, ``o``, ``evidence``) and
        optionally ``results``; evidence as text.
    paper : kg.records.Paper
    annotator : str
    strict : bool
        Require every entity to occur in the text under its name or an alias (GUIDELINE.md allows a canonical
        name, but then the form as written must be an alias). Off only to import older annotations.

    Returns
    -------
    dict
        The stand-off record (no text of the abstract beyond entity names, aliases and result values).

    Raises
    ------
    AnnotationError
        Listing every problem: unknown types or roles, aliases or evidence not in the text, endpoints that
        are no entity of the paper, duplicate names, malformed results.
    """
    text, problems = paper.text, []
    ents = draft.get("entities") or []
    names = [e.get("name", "") for e in ents]
    for dup in sorted({n for n in names if names.count(n) > 1}):
        problems.append(f"entity name {dup!r} is used twice")
    out_ents = []
    for e in ents:
        name = (e.get("name") or "").strip()
        if not name:
            problems.append("an entity has no name")
            continue
        if e.get("type") not in ENTITY_TYPES:
            problems.append(f"{name!r}: type {e.get('type')!r} is not one of {', '.join(ENTITY_TYPES)}")
        role = e.get("role") or ("used" if e.get("type") in ("Dataset", "Task", "Metric") else "mentioned")
        if role not in ROLES:
            problems.append(f"{name!r}: role {role!r} is not one of {', '.join(ROLES)}")
        aliases = [a for a in dict.fromkeys(e.get("aliases") or []) if a != name]
        for a in aliases:
            if a not in text:
                problems.append(f"{name!r}: alias {a!r} is not an exact substring of the text")
        out_ents.append({"name": name, "type": e.get("type"), "role": role, "generic": bool(e.get("generic")),
                         "aliases": aliases})
    for e, mentions in zip(out_ents, find_mentions(text, out_ents)):
        e["mentions"] = mentions
        if not mentions and strict:
            problems.append(f"{e['name']!r}: neither the name nor an alias occurs in the text")
    known = {e["name"] for e in out_ents}
    rels, seen = [], set()
    for r in draft.get("relations") or []:
        s, p, o = r.get("s", r.get("subject")), r.get("p", r.get("predicate")), r.get("o", r.get("object"))
        if p not in RELATIONS:
            problems.append(f"relation {s!r} {p!r} {o!r}: predicate not one of {', '.join(RELATIONS)}")
        for end in (s, o):
            if end not in known:
                problems.append(f"relation {s!r} {p!r} {o!r}: {end!r} is not an entity name")
        key = (s, p, o) if p != "combinesWith" else (tuple(sorted((str(s), str(o)))), p)
        if key in seen:
            problems.append(f"relation {s!r} {p!r} {o!r} is given twice")
        seen.add(key)
        ev = _locate(text, r.get("evidence") or "")
        if ev is None:
            problems.append(f"relation {s!r} {p!r} {o!r}: evidence is not a fragment of the text")
        rels.append({"s": s, "p": p, "o": o, "evidence": ev})
    out = {"id": paper.id, "annotator": annotator, "text_sha1": text_hash(text), "entities": out_ents,
           "relations": rels}
    if "results" in draft:
        out["results"] = []
        for res in draft.get("results") or []:
            where = f"result {res.get('value')!r}"
            for key in _RESULT_REFS:
                if res.get(key) is not None and res.get(key) not in known:
                    problems.append(f"{where}: {key} {res.get(key)!r} is not an entity name")
            if not res.get("metric"):
                problems.append(f"{where}: no metric")
            if res.get("kind") not in RESULT_KINDS:
                problems.append(f"{where}: kind {res.get('kind')!r} is not one of {', '.join(RESULT_KINDS)}")
            if res.get("baseline") and res.get("kind") != "delta":
                problems.append(f"{where}: only a delta has a baseline")
            try:
                number = float(res.get("number"))
            except (TypeError, ValueError):
                problems.append(f"{where}: number {res.get('number')!r} is not a number")
                number = None
            ev = _locate(text, res.get("evidence") or "")
            if ev is None:
                problems.append(f"{where}: evidence is not a fragment of the text")
            elif not str(res.get("value") or "").strip() or _locate(text[ev[0]:ev[1]], str(res["value"])) is None:
                problems.append(f"{where}: the value is not written in its evidence")
            out["results"].append({**{k: res.get(k) for k in _RESULT_REFS}, "value": res.get("value"),
                                   "number": number, "unit": res.get("unit") or "", "kind": res.get("kind"),
                                   "evidence": ev})
    if problems:
        raise AnnotationError(paper.id, problems)
    return out


def refresh_mentions(record, paper):
    """`record` with every entity's mentions found again by :func:`find_mentions` (after a change of its rules).

    Returns
    -------
    dict
        A new record; the other fields are unchanged.
    """
    ents = [dict(e) for e in record["entities"]]
    for e, mentions in zip(ents, find_mentions(paper.text, ents)):
        e["mentions"] = mentions
    return {**record, "entities": ents}


def resolve(record, paper):
    """The GUIDELINE.md gold dict of a stand-off record, with evidence as text.

    Parameters
    ----------
    record : dict
        From :func:`to_standoff`.
    paper : kg.records.Paper

    Returns
    -------
    dict
        ``id``, ``entities`` (with ``mentions`` as offsets), ``relations`` and, when annotated, ``results``.

    Raises
    ------
    KGError
        When the paper's text is not the text the record was made on.
    """
    text = paper.text
    if record.get("text_sha1") and record["text_sha1"] != text_hash(text):
        raise KGError(f"{record['id']}: the text has changed since it was annotated")

    def cut(span):
        return text[span[0]:span[1]] if span else ""

    gold = {"id": record["id"], "entities": [dict(e) for e in record["entities"]],
            "relations": [{**r, "evidence": cut(r["evidence"])} for r in record["relations"]]}
    if "results" in record:
        gold["results"] = [{**r, "evidence": cut(r["evidence"])} for r in record["results"]]
    return gold


def read_records(path):
    """Stand-off records from a ``.jsonl`` file or every ``*.jsonl`` under a directory (sorted by path).

    Files under a ``double/`` folder hold second annotations of papers annotated elsewhere in the folder,
    kept to measure agreement (:func:`agreement`); they are read only when named directly.

    Returns
    -------
    list of dict
    """
    path = Path(path)
    files = sorted(f for f in path.rglob("*.jsonl") if _DOUBLE not in f.relative_to(path).parts[:-1]) \
        if path.is_dir() else [path]
    rows = []
    for f in files:
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except ValueError as exc:
                    raise InputError(f, f"not JSON ({exc})", n) from None
    return rows


def read_annotated(path, source, texts=None):
    """Papers and their resolved gold: what ``kg train`` learns from.

    Parameters
    ----------
    path : str or os.PathLike
        A stand-off ``.jsonl`` file or a directory of them (without its ``double/`` folder); of several
        records of one paper the first in path order is kept.
    source : str
        Key of :data:`SOURCES` the texts come from.
    texts : dict, optional
        ``{id: Paper}``, overriding :func:`load_texts`.

    Returns
    -------
    list of tuple
        ``(Paper, gold dict)``.
    """
    texts = load_texts(source) if texts is None else texts
    out, seen = [], set()
    for rec in read_records(path):
        if rec["id"] in seen:
            continue
        if rec["id"] not in texts:
            raise InputError(path, f"paper {rec['id']} is not in the texts of source {source!r}")
        seen.add(rec["id"])
        out.append((texts[rec["id"]], resolve(rec, texts[rec["id"]])))
    return out


def _score_module():
    import importlib.util

    path = ROOT / "tests" / "data" / "devset" / "score.py"
    spec = importlib.util.spec_from_file_location("kg_devset_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def agreement(first, second, texts):
    """Inter-annotator agreement of two sets of resolved gold dicts over their common papers.

    The second annotator is scored as predictions against the first with ``devset/score.py`` (entity F1 is
    symmetric in the two; so is relation F1 up to generic endpoints).

    Parameters
    ----------
    first, second : list of dict
        Resolved gold dicts (:func:`resolve`).
    texts : dict
        ``{id: Paper}``.

    Returns
    -------
    dict
        The scorer's result (``ent``, ``ent_typed``, ``rel``, ``proposed``, ``result``... with p/r/f1).
    """
    score = _score_module()
    ids = {g["id"] for g in first} & {g["id"] for g in second}
    gold = [g for g in first if g["id"] in ids]
    preds = [{"id": g["id"], "title": texts[g["id"]].title,
              "entities": g["entities"],
              "relations": [{"subject": r["s"], "predicate": r["p"], "object": r["o"], "evidence": r["evidence"]}
                            for r in g["relations"]],
              **({"results": g["results"]} if "results" in g else {})}
             for g in second if g["id"] in ids]
    res, _ = score.score(preds, gold, {i: texts[i].title for i in ids})
    return res


def _main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m kg.annotations", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("text", help="print papers (id, title, abstract) to read")
    t.add_argument("ids", nargs="+")
    c = sub.add_parser("convert", help="check drafts and write stand-off records")
    c.add_argument("draft")
    c.add_argument("--annotator", required=True)
    c.add_argument("-o", "--output", required=True)
    c.add_argument("--lenient", action="store_true", help="allow entities that occur under no written form")
    r = sub.add_parser("refresh", help="find the mentions of stand-off records again (rewrites the files)")
    r.add_argument("path")
    a = sub.add_parser("agree", help="agreement of two annotators (stand-off files)")
    a.add_argument("first")
    a.add_argument("second")
    for p in (t, c, a, r):
        p.add_argument("--source", default="neurips2022", choices=sorted(SOURCES))
    args = ap.parse_args(argv)
    texts = load_texts(args.source)
    if args.cmd == "text":
        for i in args.ids:
            p = texts.get(i)
            print(f"### {i}\n{p.title}\n\n{p.abstract}\n" if p else f"### {i}: not in {args.source}\n")
        return 0
    if args.cmd == "refresh":
        path = Path(args.path)
        for f in sorted(path.rglob("*.jsonl")) if path.is_dir() else [path]:
            recs = [refresh_mentions(rec, texts[rec["id"]]) for rec in read_records(f)]
            f.write_text("".join(json.dumps(rec, ensure_ascii=False) + "\n" for rec in recs), encoding="utf-8")
            print(f"{f}: {len(recs)} records")
        return 0
    if args.cmd == "agree":
        res = agreement(*[[resolve(r, texts[r["id"]]) for r in read_records(f)] for f in (args.first, args.second)],
                        texts)
        for k in ("ent", "ent_typed", "proposed", "rel", "rel:outperforms", "rel:combinesWith", "rel:evaluatedOn",
                  "result", "result_full"):
            v = res[k]
            print(f"{k:20s} P={v['p']:.3f} R={v['r']:.3f} F1={v['f1']:.3f} (tp={v['tp']} fp={v['fp']} fn={v['fn']})")
        return 0
    drafts = [json.loads(line) for line in Path(args.draft).read_text(encoding="utf-8").splitlines() if line.strip()]
    out, bad = [], 0
    for d in drafts:
        paper = texts.get(d.get("id"))
        if paper is None:
            print(f"{d.get('id')}: not a paper of {args.source}", file=sys.stderr)
            bad += 1
            continue
        try:
            out.append(to_standoff(d, paper, args.annotator, strict=not args.lenient))
        except AnnotationError as exc:
            bad += 1
            for problem in exc.problems:
                print(f"{exc.paper_id}: {problem}", file=sys.stderr)
    if bad:
        print(f"{bad} of {len(drafts)} drafts have problems; nothing written", file=sys.stderr)
        return 1
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as fh:
        for rec in out:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"{len(out)} records written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(_main())
