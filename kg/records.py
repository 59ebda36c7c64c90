"""The records that flow between pipeline stages.

``sources`` yield :class:`Paper`; ``extract`` turns each paper into a :class:`PaperExtraction`, whose JSON form
(:meth:`PaperExtraction.to_dict`) is the ``kg extract --format jsonl`` contract of ``devset/score.py``.
See ``DESIGN.md`` (data flow) and ``devset/GUIDELINE.md`` (schema).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field

__all__ = [
    "ENTITY_TYPES", "ROLES", "ROLE_RANK", "RELATIONS", "strongest_role", "Paper", "Mention", "Entity", "Relation",
    "PaperExtraction",
    "paper_id_for_title",
]

#: Entity types of the schema (GUIDELINE.md).
ENTITY_TYPES = ("Method", "Model", "Dataset", "Task", "Metric")
#: Roles an entity plays in one paper, strongest first.
ROLES = ("proposed", "baseline", "used", "mentioned")
#: Rank of each role (0 = strongest): an entity named with several roles takes the strongest.
ROLE_RANK = {r: i for i, r in enumerate(ROLES)}
#: Relations extracted between entities of one paper.
RELATIONS = ("outperforms", "combinesWith", "evaluatedOn")


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
    """One entity of one paper (all its mentions merged), as defined in GUIDELINE.md."""

    name: str
    type: str
    role: str = "mentioned"
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    confidence: float = 1.0
    generic: bool = False

    @property
    def forms(self):
        """The name and every alias."""
        return [self.name, *self.aliases]


@dataclass
class Relation:
    """A relation between two entities of one paper, named by their :attr:`Entity.name`.

    ``start``/``end`` are the character offsets of ``evidence`` in :attr:`Paper.text`.
    """

    subject: str
    predicate: str
    object: str
    evidence: str = ""
    start: int | None = None
    end: int | None = None
    confidence: float = 1.0


@dataclass
class PaperExtraction:
    """Everything extracted from one paper."""

    id: str
    title: str = ""
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)

    def to_dict(self):
        """The JSON contract of ``kg extract --format jsonl`` (``devset/score.py``).

        Examples
        --------
        >>> e = PaperExtraction("p1", "T", [Entity("LoRA", "Method", "proposed", ["Low-Rank Adaptation"])])
        >>> PaperExtraction.from_dict(e.to_dict()) == e
        True
        """
        return asdict(self)

    @classmethod
    def from_dict(cls, d):
        """Inverse of :meth:`to_dict`."""
        ents = [
            Entity(**{**e, "mentions": [Mention(**m) for m in e.get("mentions", [])]})
            for e in d.get("entities", [])
        ]
        rels = [Relation(**r) for r in d.get("relations", [])]
        return cls(id=d["id"], title=d.get("title", ""), entities=ents, relations=rels)
