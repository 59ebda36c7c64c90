"""The extraction lexicon: gazetteers and word lists kept as data files in ``kg/extract/data/``.

Hand-curated files (general ML knowledge), one term a line, ``#`` starts a comment:

``models.txt``, ``datasets.txt``, ``metrics.txt``, ``tasks.txt``, ``methods.txt``
    well-known names of each entity type (GUIDELINE.md, "Entities").
``generic.txt``
    broad classes flagged ``generic`` ("large language models", "existing methods"), as ``term<TAB>Type``.
``heads.tsv``
    head words that type a noun phrase (``dataset -> Dataset``, ``accuracy -> Metric``), as ``word<TAB>Type``.
``generic_modifiers.txt``, ``generic_heads.txt``
    a phrase opening with such a word ("existing", "traditional") or ending in such a plural class noun
    ("methods", "architectures") names a broad class.
``descriptors.txt``
    head nouns of descriptions that restate a named thing in apposition ("X, a novel pruning method").
``stopwords.txt``
    vague words that are never entities on their own ("approach", "framework").
``modifiers.txt``
    evaluative or deictic words stripped from the start of a candidate ("novel", "existing", "our").

Derived files, written by ``kg train`` into the model directory (``kg/extract/model`` for the shipped one) from
the annotated training abstracts (:mod:`kg.train.ner`):

``learned.tsv``
    ``term<TAB>Type<TAB>generic(0/1)`` for surface forms that the annotators labelled consistently.
``rejected.txt``
    lower-cased phrases frequent in abstracts that the annotators rarely marked ("training", "loss").
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..records import ENTITY_TYPES

__all__ = ["DATA_DIR", "GAZETTEER_FILES", "Lexicon", "read_terms", "read_table", "load_lexicon"]

#: Directory of the data files.
DATA_DIR = Path(__file__).parent / "data"

#: Curated gazetteer file of each entity type.
GAZETTEER_FILES = {"Model": "models.txt", "Dataset": "datasets.txt", "Metric": "metrics.txt",
                   "Task": "tasks.txt", "Method": "methods.txt"}


def _lines(path):
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(path, f"cannot read lexicon file ({exc.strerror})") from None
    for n, line in enumerate(text.splitlines(), 1):
        # a comment is a line starting with "#" or "  # ..." after a term ("QuIP#" is a term)
        line = "" if line.lstrip().startswith("#") else re.sub(r"\s+#.*$", "", line)
        if line.strip():
            yield n, line.strip()


def read_terms(path):
    """Terms of a one-term-a-line file, comments and blank lines skipped.

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    list of str
    """
    return [line for _, line in _lines(path)]


def read_table(path, ncols):
    """Rows of a tab-separated file with exactly `ncols` columns.

    Raises
    ------
    InputError
        Naming the file and line of a row with another number of columns.
    """
    rows = []
    for n, line in _lines(path):
        cols = [c.strip() for c in line.split("\t")]
        if len(cols) != ncols:
            raise InputError(path, f"expected {ncols} tab-separated columns, got {len(cols)}", n)
        rows.append(cols)
    return rows


def _check_type(path, type_):
    if type_ not in ENTITY_TYPES:
        raise InputError(path, f"unknown entity type {type_!r}; expected one of {', '.join(ENTITY_TYPES)}")
    return type_


@dataclass
class Lexicon:
    """Every word list the extraction components read.

    Attributes
    ----------
    terms : dict
        Gazetteer: surface form -> entity type (curated lists, then learned ones that do not clash).
    generic : dict
        Lower-cased broad class -> entity type.
    heads : dict
        Lower-cased head word -> entity type.
    stopwords, modifiers, generic_modifiers, generic_heads, descriptors, rejected : set of str
        Lower-cased.
    """

    terms: dict = field(default_factory=dict)
    generic: dict = field(default_factory=dict)
    heads: dict = field(default_factory=dict)
    stopwords: set = field(default_factory=set)
    modifiers: set = field(default_factory=set)
    generic_modifiers: set = field(default_factory=set)
    generic_heads: set = field(default_factory=set)
    descriptors: set = field(default_factory=set)
    rejected: set = field(default_factory=set)


def load_lexicon(data_dir=DATA_DIR, learned_dir=None):
    """Read the lexicon from `data_dir` (default: the files shipped in the package).

    Parameters
    ----------
    data_dir : str or os.PathLike
        The curated lists.
    learned_dir : str or os.PathLike, optional
        Where ``learned.tsv`` and ``rejected.txt`` (written by ``kg train`` into its model directory) are read
        from when they are there; default: the shipped model directory (:data:`kg.extract.pipeline.MODEL_DIR`).

    Returns
    -------
    Lexicon

    Examples
    --------
    >>> lex = load_lexicon()
    >>> lex.heads["dataset"], lex.terms["ImageNet"]
    ('Dataset', 'Dataset')
    """
    data_dir = Path(data_dir)
    from .pipeline import MODEL_DIR

    learned_dir = Path(learned_dir) if learned_dir and (Path(learned_dir) / "learned.tsv").exists() else MODEL_DIR
    lex = Lexicon()
    for type_, fname in GAZETTEER_FILES.items():
        for term in read_terms(data_dir / fname):
            lex.terms.setdefault(term, type_)
    learned = learned_dir / "learned.tsv"
    if learned.exists():
        for term, type_, generic in read_table(learned, 3):
            _check_type(learned, type_)
            if generic == "1":
                lex.generic.setdefault(term.lower(), type_)
            else:
                lex.terms.setdefault(term, type_)
    path = data_dir / "generic.txt"
    for term, type_ in read_table(path, 2):
        lex.generic[term.lower()] = _check_type(path, type_)
    path = data_dir / "heads.tsv"
    for word, type_ in read_table(path, 2):
        lex.heads[word.lower()] = _check_type(path, type_)
    lex.stopwords = {w.lower() for w in read_terms(data_dir / "stopwords.txt")}
    lex.modifiers = {w.lower() for w in read_terms(data_dir / "modifiers.txt")}
    lex.generic_modifiers = {w.lower() for w in read_terms(data_dir / "generic_modifiers.txt")}
    lex.generic_heads = {w.lower() for w in read_terms(data_dir / "generic_heads.txt")}
    lex.descriptors = {w.lower() for w in read_terms(data_dir / "descriptors.txt")}
    if (learned_dir / "rejected.txt").exists():
        lex.rejected = set(read_terms(learned_dir / "rejected.txt"))
    return lex
