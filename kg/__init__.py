"""kg: a knowledge graph of ML research (what beats what), built offline from paper abstracts.

Data flow (DESIGN.md): ``sources`` -> ``extract`` -> ``link`` -> ``graph`` -> ``export`` / ``query``.
"""

from .errors import InputError, KGError, QueryError, ValidationError
from .pipeline import graph_from_papers
from .records import Entity, Mention, Paper, PaperExtraction, Relation

__version__ = "0.1.0"

__all__ = [
    "__version__", "KGError", "InputError", "QueryError", "ValidationError",
    "Paper", "Entity", "Mention", "Relation", "PaperExtraction", "graph_from_papers",
]
