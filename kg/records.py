"""The records that flow between pipeline stages.

``sources`` yield :class:`Paper`; ``extract`` turns each paper into a :class:`PaperExtraction`, whose JSON form
(:meth:`PaperExtraction.to_dict`) is the ``kg extract --format jsonl`` contract of ``devset/score.py``.
See ``DESIGN.md`` (data flow) and ``devset/GUIDELINE.md`` (schema).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field, replace

__all__ = [
    "ENTITY_TYPES", "ROLES", "ROLE_RANK", "RELATIONS", "SYMMETRIC_RELATIONS", "RESULT_KINDS", "strongest_role",
    "entity_key", "Paper", "Mention", "Entity", "Relation", "Result", "PaperExtraction", "paper_id_for_title",
]

#: Entity types of the schema (GUIDELINE.md).
ENTITY_TYPES = ("Method", "Model", "Dataset", "Task", "Metric")
#: Roles an entity plays in one paper, strongest first.
ROLES = ("proposed", "baseline", "used", "mentioned")
#: Rank of each role (0 = strongest): an entity named with several roles takes the strongest.
ROLE_RANK = {r: i for i, r in enumerate(ROLES)}
#: Relations extracted between entities of one paper.
RELATIONS = ("outperforms", "combinesWith", "evaluatedOn")
#: Relations that hold both ways (stored once, endpoints in key order).
SYMMETRIC_RELATIONS = ("combinesWith",)
#: Kinds of a reported number (GUIDELINE.md, "Results"): the subject's own score, or a difference to another.
RESULT_KINDS = ("absolute", "delta")


def entity_key(name, taken=()):
    """A key for an entity of one paper: its name lower-cased, runs of other characters than letters, digits,
    ``#``, ``&`` and ``+`` folded to ``-``; ``-2``, ``-3``... appended while the key is in `taken`.

    Keys stay readable and keep the symbols that tell names apart (``QuIP#`` is not ``QuIP``).

    Examples
    --------
    >>> entity_key("Low-Rank Adaptation"), entity_key("QuIP#"), entity_key("GPT-4", taken={"gpt-4"})
    ('low-rank-adaptation', 'quip#', 'gpt-4-2')
    """
    base = re.sub(r"[^\w#&+]+", "-", name.lower()).strip("-") or "entity"
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    return key


def strongest_role(roles):
    """The strongest of `roles` (see :data:`ROLE_RANK`); ``"mentioned"`` when there is none.

    Examples
    --------
    >>> strongest_role(["used", "baseline", "mentioned"])
    'baseline'
    >>> strongest_role([])
    'mentioned'
    """
    return min(roles, key=ROLE_RANK.__getitem__, default="mentioned")


def paper_id_for_title(title):
    """Stable paper id for a paper without an arXiv id: the first 10 hex digits of SHA-1 of its title,
    lower-cased with white space folded.

    Parameters
    ----------
    title : str

    Returns
    -------
    str

    Examples
    --------
    >>> paper_id_for_title("Hash Layers For Large Sparse Models")
    '159844bfaf'
    >>> paper_id_for_title("  hash layers for   large sparse models ")
    '159844bfaf'
    """
    norm = re.sub(r"\s+", " ", title).strip().lower()
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()[:10]


@dataclass
class Paper:
    """One paper as read from any source.

    Attributes
    ----------
    id : str
        arXiv id when known, an id given in the input, else :func:`paper_id_for_title`.
    title, abstract : str
    date : str or None
        ISO date ``YYYY-MM-DD`` (or ``YYYY-MM`` / ``YYYY``) when known.
    source : str
        The file it was read from; ``position`` is the 1-based line where its record starts.
    authors : list of str
        Author names when the source gives them; ``n_authors`` the count when only that is known.
    """

    id: str
    title: str
    abstract: str
    date: str | None = None
    source: str = ""
    position: int | None = None
    authors: list[str] = field(default_factory=list)
    n_authors: int | None = None
    organisation: str | None = None
    url: str | None = None
    upvotes: int | None = None

    #: Separator between title and abstract in :attr:`text`; offsets in extractions index that text.
    SEPARATOR = "\n\n"

    @property
    def text(self):
        """Title and abstract as one text: the input of extraction; mention offsets index into it."""
        return f"{self.title}{self.SEPARATOR}{self.abstract}"

    def to_dict(self):
        """JSON-ready dict of all fields."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d):
        """Inverse of :meth:`to_dict` (unknown keys are ignored)."""
        names = cls.__dataclass_fields__.keys()
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass
class Mention:
    """One occurrence of an entity: its text and character offsets in :attr:`Paper.text`."""

    text: str
    start: int
    end: int


@dataclass
class Entity:
    """One entity of one paper (all its mentions merged), as defined in GUIDELINE.md.

    Attributes
    ----------
    key : str
        Unique within the paper (:func:`entity_key` of the name unless set); relations and results refer to
        entities by it. :class:`PaperExtraction` fills it in.
    confidence : float
        Probability that the entity is right (span and type), calibrated on held-out folds.
    role_confidence : float
        Probability that `role` is right.
    provenance : list of str
        Ids of the rules (pattern ids) and models that produced the entity and decided its role.
    """

    name: str
    type: str
    role: str = "mentioned"
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    confidence: float = 1.0
    generic: bool = False
    key: str = ""
    role_confidence: float = 1.0
    provenance: list[str] = field(default_factory=list)

    @property
    def forms(self):
        """The name and every alias."""
        return [self.name, *self.aliases]


@dataclass
class Relation:
    """A relation between two entities of one paper, which `subject` and `object` name by :attr:`Entity.key`.

    ``start``/``end`` are the character offsets of ``evidence`` in :attr:`Paper.text`; ``provenance`` the ids of
    the rules and models that produced it.
    """

    subject: str
    predicate: str
    object: str
    evidence: str = ""
    start: int | None = None
    end: int | None = None
    confidence: float = 1.0
    provenance: list[str] = field(default_factory=list)


@dataclass
class Result:
    """A number the abstract reports (GUIDELINE.md, "Results"); entities are referred to by :attr:`Entity.key`.

    Attributes
    ----------
    subject : str or None
        The Method/Model the number belongs to.
    metric : str
        The Metric entity.
    dataset : str or None
        The Dataset (else Task) it was obtained on, when the abstract says.
    value : str
        As written, with its qualifier and unit ("up to 40%", "+1.8 BLEU").
    number : float
        The value in the written unit, without qualifier (40.0).
    unit : str
        ``%``, ``x``, ``points``, a written unit (``ms``, ``GB``), or ``""``.
    kind : str
        One of :data:`RESULT_KINDS`.
    baseline : str or None
        For a delta, the entity it is measured against when named.
    evidence, start, end : str, int, int
        The fragment holding the number and its offsets in :attr:`Paper.text`.
    """

    subject: str | None
    metric: str
    dataset: str | None
    value: str
    number: float
    unit: str = ""
    kind: str = "absolute"
    baseline: str | None = None
    evidence: str = ""
    start: int | None = None
    end: int | None = None
    confidence: float = 1.0
    provenance: list[str] = field(default_factory=list)


#: Fields of a result that refer to an entity (by key in memory, by name and key in JSON).
_RESULT_REFS = ("subject", "metric", "dataset", "baseline")


@dataclass
class PaperExtraction:
    """Everything extracted from one paper.

    Entities get unique keys (:func:`entity_key`) when they have none; relation and result endpoints given as an
    entity's name (or alias) are turned into its key, so older extractions and hand-built ones read the same.
    """

    id: str
    title: str = ""
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)

    def __post_init__(self):
        taken = {e.key for e in self.entities if e.key}
        for e in self.entities:
            if not e.key:
                e.key = entity_key(e.name, taken)
                taken.add(e.key)
        # copies: the records given may be shared (a doc's relations), and their endpoints change here
        self.relations = [replace(r, subject=self.key_of(r.subject), object=self.key_of(r.object))
                          for r in self.relations]
        self.results = [replace(r, **{ref: self.key_of(getattr(r, ref)) for ref in _RESULT_REFS
                                      if getattr(r, ref) is not None}) for r in self.results]

    def key_of(self, ref):
        """The key of the entity `ref` names (a key, a name or an alias); `ref` itself when none does."""
        by_key = {e.key: e for e in self.entities}
        if ref in by_key:
            return ref
        for e in self.entities:
            if ref == e.name:
                return e.key
        for e in self.entities:
            if ref in e.aliases:
                return e.key
        return ref

    def entity(self, key):
        """The entity with `key`, or None."""
        return next((e for e in self.entities if e.key == key), None)

    def name_of(self, key):
        """The name of the entity with `key` (`key` itself when there is none)."""
        e = self.entity(key)
        return e.name if e is not None else key

    def to_dict(self):
        """The JSON contract of ``kg extract --format jsonl`` (``devset/score.py``).

        Relation and result endpoints are written as entity names (what ``score.py`` reads) with their keys
        beside them (``subject_key``, ``object_key``, ``metric_key``...).

        Examples
        --------
        >>> e = PaperExtraction("p1", "T", [Entity("LoRA", "Method", "proposed", ["Low-Rank Adaptation"])],
        ...                     [Relation("LoRA", "combinesWith", "Low-Rank Adaptation")])
        >>> e.relations[0].subject, e.to_dict()["relations"][0]["subject"]
        ('lora', 'LoRA')
        >>> PaperExtraction.from_dict(e.to_dict()) == e
        True
        """
        d = asdict(self)
        for r in d["relations"]:
            for end in ("subject", "object"):
                r[f"{end}_key"] = r[end]
                r[end] = self.name_of(r[end])
        for r in d["results"]:
            for ref in _RESULT_REFS:
                r[f"{ref}_key"] = r[ref]
                r[ref] = self.name_of(r[ref]) if r[ref] is not None else None
        return d

    @classmethod
    def from_dict(cls, d):
        """Inverse of :meth:`to_dict` (also reads extractions written before keys and results existed)."""
        def pick(row, names):
            return {k: v for k, v in row.items() if k in names}

        ents = [
            Entity(**{**pick(e, Entity.__dataclass_fields__), "mentions": [Mention(**m) for m in e.get("mentions", [])]})
            for e in d.get("entities", [])
        ]
        rels = [Relation(**{**pick(r, Relation.__dataclass_fields__),
                            "subject": r.get("subject_key") or r["subject"],
                            "object": r.get("object_key") or r["object"]}) for r in d.get("relations", [])]
        results = [Result(**{**pick(r, Result.__dataclass_fields__),
                             **{ref: r.get(f"{ref}_key") or r.get(ref) for ref in _RESULT_REFS}})
                   for r in d.get("results", [])]
        return cls(id=d["id"], title=d.get("title", ""), entities=ents, relations=rels, results=results)
