"""Corpus-level linking: one node per real thing across the whole corpus (issue 4, DESIGN.md).

:func:`link` turns the per-paper entities of every :class:`kg.records.PaperExtraction` into corpus entities with
stable ids, preferred labels, aliases, types by vote and the papers that mention them, and merges relations
across papers. One module per concern:

- :mod:`kg.link.normalize`  surface-form normalisation and abbreviation matching
- :mod:`kg.link.cluster`    the guarded union-find and near-duplicate candidates
- :mod:`kg.link.curation`   the user's curation file
- :mod:`kg.link.relations`  relation merging and ``variantOf``
- :mod:`kg.link.results`    result endpoints mapped onto corpus entities
- :mod:`kg.link.linker`     :func:`link` itself
"""

from .curation import Curation, load_curation
from .linker import CorpusEntity, LinkResult, link
from .normalize import normal_key, normalize, slugify
from .relations import CorpusRelation
from .results import CorpusResult

__all__ = [
    "link", "LinkResult", "CorpusEntity", "CorpusRelation", "CorpusResult", "Curation", "load_curation",
    "normalize", "normal_key", "slugify",
]
