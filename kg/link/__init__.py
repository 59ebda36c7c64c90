"""Corpus-level linking: one node per real thing across the whole corpus (issue 4, DESIGN.md).

:func:`link` turns the per-paper entities of every :class:`kg.records.PaperExtraction` into corpus entities with
stable ids, preferred labels, aliases, types by vote and the papers that mention them, and merges relations
across papers. One module per concern:

- :mod:`kg.link.normalize`  surface-form normalisation and abbreviation matching
- :mod:`kg.link.stems`      the second key of ordinary phrases: word stems without descriptor heads
- :mod:`kg.link.lexicon`    the word lists the linker reads (``data/lexicon.toml``)
- :mod:`kg.link.forms`      per-paper records, and the forms that link within their paper only
- :mod:`kg.link.heads`      head words: stem nodes by family, descriptor heads, task qualifiers
- :mod:`kg.link.context`    metrics read from the words around their mentions (a phase, a ratio)
- :mod:`kg.link.cluster`    the guarded union-find and near-duplicate candidates
- :mod:`kg.link.index`      the id table that keeps ids stable across builds
- :mod:`kg.link.curation`   the user's curation file
- :mod:`kg.link.relations`  relation merging and ``variantOf``
- :mod:`kg.link.results`    result endpoints mapped onto corpus entities
- :mod:`kg.link.linker`     :func:`link` itself
- :mod:`kg.link.evaluate`   the pair evaluation (merge recall, precision, keep-apart violations)
"""

from .curation import Curation, load_curation
from .index import NodeIndex, read_index, write_index
from .linker import CorpusEntity, LinkResult, link
from .normalize import normal_key, normalize, slugify
from .relations import CorpusRelation
from .results import CorpusResult

__all__ = [
    "link", "LinkResult", "CorpusEntity", "CorpusRelation", "CorpusResult", "Curation", "load_curation",
    "NodeIndex", "read_index", "write_index", "normalize", "normal_key", "slugify",
]
