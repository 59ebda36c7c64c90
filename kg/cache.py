"""An on-disk cache of per-paper extractions (SQLite, standard library).

Extraction is a pure function of a paper's text and of the pipeline, so a result can be reused whenever
both are unchanged. The key is SHA-1 of the pipeline fingerprint and the text: editing any file of
``kg/extract`` (code, gazetteers, trained model) or changing the spaCy model invalidates every entry.
"""

import hashlib
import json
import sqlite3
from pathlib import Path

from .records import PaperExtraction

__all__ = ["ExtractionCache", "pipeline_fingerprint"]


def pipeline_fingerprint(nlp):
    """Fingerprint of an extraction pipeline: spaCy model, components and every file of ``kg/extract``.

    Parameters
    ----------
    nlp : spacy.Language

    Returns
    -------
    str
        Hex digest.
    """
    h = hashlib.sha1()
    h.update(json.dumps([nlp.meta.get("name"), nlp.meta.get("version"), nlp.pipe_names]).encode())
    root = Path(__file__).parent / "extract"
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


class ExtractionCache:
    """Extractions keyed by pipeline fingerprint and paper text.

    Parameters
    ----------
    path : str or os.PathLike
        The SQLite file (created with its directory when missing).
    fingerprint : str
        From :func:`pipeline_fingerprint`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from kg.records import Paper, PaperExtraction
    >>> cache = ExtractionCache(pathlib.Path(tempfile.mkdtemp()) / "c.sqlite", "fp")
    >>> p = Paper("x1", "T", "A.")
    >>> cache.put([(p, PaperExtraction("x1", "T"))])
    >>> cache.get([p])["x1"].id
    'x1'
    """

    def __init__(self, path, fingerprint):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path))
        self._db.execute("CREATE TABLE IF NOT EXISTS extraction (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        self._fp = fingerprint

    def _key(self, paper):
        return hashlib.sha1(f"{self._fp}\0{paper.text}".encode("utf-8")).hexdigest()

    def get(self, papers):
        """Cached extractions of `papers`, as a dict paper id -> PaperExtraction (misses are absent)."""
        out = {}
        for paper in papers:
            row = self._db.execute("SELECT value FROM extraction WHERE key = ?", (self._key(paper),)).fetchone()
            if row:
                d = json.loads(row[0])
                out[paper.id] = PaperExtraction.from_dict({**d, "id": paper.id, "title": paper.title})
        return out

    def put(self, pairs):
        """Store ``(paper, extraction)`` pairs."""
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO extraction VALUES (?, ?)",
                [(self._key(p), json.dumps(e.to_dict(), ensure_ascii=False)) for p, e in pairs],
            )

    def close(self):
        """Close the database."""
        self._db.close()
