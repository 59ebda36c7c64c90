"""An on-disk cache of per-paper extractions (SQLite, standard library).

Extraction is a pure function of a paper's text and of the pipeline, so a result can be reused whenever
both are unchanged. The key is SHA-1 of the pipeline fingerprint and the text: editing any file of
``kg/extract`` (code, gazetteers, trained model) or changing the spaCy model invalidates every entry.

The cache is written as extraction goes (:func:`kg.pipeline.extract_corpus` stores each chunk as soon as it is
done), so an interrupted build keeps what it had extracted and the next one resumes from there. A cache is never
a reason for a build to fail: a file that is not a SQLite database is moved aside and a new one started, a
read-only one is read but not written, an unusable one is ignored; each case is reported in :attr:`problems`.
"""

import hashlib
import json
import os
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


def _one_line(exc):
    return " ".join(str(exc).split()) or type(exc).__name__


class ExtractionCache:
    """Extractions keyed by pipeline fingerprint and paper text.

    Parameters
    ----------
    path : str or os.PathLike
        The SQLite file (created with its directory when missing).
    fingerprint : str
        From :func:`pipeline_fingerprint`.

    Attributes
    ----------
    problems : list of str
        What went wrong with the cache, one line each (a corrupt file moved aside, a read-only file ...).
    writable : bool
        False when new extractions cannot be saved.

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
        self.path = Path(path)
        self._fp = fingerprint
        self.problems = []
        self.writable = True
        self._db = self._open()

    def _connect(self, read_only=False):
        if read_only:
            db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        else:
            db = sqlite3.connect(str(self.path), timeout=30)
            db.execute("CREATE TABLE IF NOT EXISTS extraction (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("SELECT count(*) FROM (SELECT 1 FROM extraction LIMIT 1)").fetchone()  # a readable database?
        return db

    def _open(self):
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.path.is_file() and not (os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK)):
                return self._open_read_only("permission denied")  # SQLite also writes a journal beside it
            return self._connect()
        except sqlite3.DatabaseError as exc:
            if self.path.is_file() and not isinstance(exc, sqlite3.OperationalError):
                return self._replace_corrupt(exc)
            return self._open_read_only(exc)
        except OSError as exc:
            return self._open_read_only(exc)

    def _open_read_only(self, why):
        try:
            db = self._connect(read_only=True)
        except (sqlite3.Error, OSError, ValueError):
            self.problems.append(f"{self.path}: cannot use the extraction cache ({_one_line(why)}); "
                                 "extracting without it")
            self.writable = False
            return None
        self.writable = False
        self.problems.append(f"{self.path}: the extraction cache is read-only ({_one_line(why)}); "
                             "cached extractions are used, new ones are not saved")
        return db

    def _replace_corrupt(self, why):
        aside = self.path.with_name(self.path.name + ".corrupt")
        try:
            os.replace(self.path, aside)
            db = self._connect()
        except (sqlite3.Error, OSError) as exc:
            self.problems.append(f"{self.path}: not a usable SQLite database ({_one_line(why)}) and cannot be "
                                 f"replaced ({_one_line(exc)}); extracting without a cache")
            self.writable = False
            return None
        self.problems.append(f"{self.path}: was not a usable SQLite database ({_one_line(why)}); moved it to "
                             f"{aside.name} and started a new cache")
        return db

    def _key(self, paper):
        return hashlib.sha1(f"{self._fp}\0{paper.text}".encode("utf-8")).hexdigest()

    def get(self, papers):
        """Cached extractions of `papers`, as a dict paper id -> PaperExtraction (misses and unreadable entries
        are absent)."""
        out = {}
        for pid, text in self.get_json(papers).items():
            try:
                out[pid] = PaperExtraction.from_dict(json.loads(text))
            except (ValueError, TypeError, KeyError, AttributeError):
                continue  # an entry written by something else: extract the paper again
        return out

    def get_json(self, papers):
        """Like :meth:`get`, as JSON texts of :meth:`kg.records.PaperExtraction.to_dict` (nothing parsed into
        records: what a build appends to its shards)."""
        out = {}
        if self._db is None:
            return out
        for paper in papers:
            try:
                row = self._db.execute("SELECT value FROM extraction WHERE key = ?", (self._key(paper),)).fetchone()
            except sqlite3.Error as exc:
                self.problems.append(f"{self.path}: cannot read the extraction cache ({_one_line(exc)}); "
                                     "extracting without it")
                self.close()
                return {}
            if row:
                try:
                    d = json.loads(row[0])
                    if not isinstance(d, dict) or not isinstance(d.get("entities", []), list):
                        continue
                except ValueError:
                    continue  # an entry written by something else: extract the paper again
                if d.get("id") != paper.id or d.get("title") != paper.title:  # same text, another paper
                    d = {**d, "id": paper.id, "title": paper.title}
                    out[paper.id] = json.dumps(d, ensure_ascii=False)
                else:
                    out[paper.id] = row[0]
        return out

    def put(self, pairs):
        """Store ``(paper, extraction)`` pairs, committed at once (nothing when the cache is not writable)."""
        self.put_json((p, json.dumps(e.to_dict(), ensure_ascii=False)) for p, e in pairs)

    def put_json(self, pairs):
        """Store ``(paper, JSON text of its extraction)`` pairs, committed at once."""
        if self._db is None or not self.writable:
            return
        rows = [(self._key(p), text) for p, text in pairs]
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO extraction VALUES (?, ?)", rows)
        except sqlite3.Error as exc:
            self.writable = False
            self.problems.append(f"{self.path}: cannot write the extraction cache ({_one_line(exc)}); "
                                 "new extractions are not saved")

    def close(self):
        """Close the database."""
        if self._db is not None:
            self._db.close()
            self._db = None
