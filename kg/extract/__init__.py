"""Per-paper extraction: a spaCy pipeline of the project's own components (DESIGN.md, GUIDELINE.md).

``load_pipeline`` builds it once; ``extract_papers`` runs it over papers and yields one
:class:`kg.records.PaperExtraction` per paper, in order.
"""

from .pipeline import doc_to_extraction, extract_papers, load_pipeline

__all__ = ["load_pipeline", "extract_papers", "doc_to_extraction"]
