"""Extraction shards: a folder of JSON Lines files (``part-00000.jsonl``, ...) holding each paper with its
extraction, written as extraction goes and read back one at a time.

A build never holds the extractions of its corpus in memory: the extract stage appends each chunk to the current
shard as soon as it is done (:class:`ShardWriter`), and the link stage reads them back in batches
(:func:`read_shards`). ``kg extract --shards DIR`` writes the same files, so that extraction can run elsewhere (a
Dask cluster, another day) and ``kg build --from-extractions DIR`` build from them.

Each line is an extraction in the ``kg extract`` JSON contract (:meth:`kg.records.PaperExtraction.to_dict`, the
``devset/score.py`` format) with one more key, ``paper``: the paper record (:meth:`kg.records.Paper.to_dict`).
A line without ``paper`` (a plain ``extractions.jsonl``) is read too: its paper node then has only the id and
title of the extraction.
"""

import json
import os
from pathlib import Path

from .errors import InputError
from .link.forms import provenance_read
from .records import Paper, PaperExtraction

__all__ = ["ShardWriter", "read_shards", "shard_files", "remove_shards", "SHARD_PAPERS"]

#: Papers per shard file.
SHARD_PAPERS = 2000
_PATTERN = "part-*.jsonl"
# What linking does not read: dropped when reading for it. Linking reads the mentions of entities (truncated
# spans, kg.link.spans) and the provenance it reads (kg.link.forms.provenance_read).
_UNUSED_BY_LINKING = {"relations": ("provenance",)}


class ShardWriter:
    """Append papers with their extractions to numbered shard files in a folder, `per_shard` papers a file.

    Parameters
    ----------
    folder : str or os.PathLike
        Created when missing; shards already in it are kept and numbering goes on after them.
    per_shard : int

    Examples
    --------
    >>> import tempfile
    >>> with ShardWriter(tempfile.mkdtemp(), per_shard=1) as shards:
    ...     shards.write([(Paper("p1", "T", "A."), PaperExtraction("p1", "T")), (Paper("p2", "U", "B."), None)])
    >>> [p.id for p, _ in read_shards(shards.folder)], [f.name for f in shard_files(shards.folder)]
    (['p1'], ['part-00000.jsonl'])
    """

    def __init__(self, folder, per_shard=SHARD_PAPERS):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.per_shard = per_shard
        self._number = len(shard_files(self.folder))
        self._fh, self._count = None, 0
        self.papers = 0

    def write(self, pairs):
        """Append ``(paper, extraction)`` pairs (a pair without an extraction is left out)."""
        self.write_json((paper, json.dumps(e.to_dict(), ensure_ascii=False)) for paper, e in pairs if e is not None)

    def write_json(self, pairs):
        """Append ``(paper, extraction as JSON text)`` pairs (the paper may be None)."""
        for paper, text in pairs:
            if self._fh is None or self._count >= self.per_shard:
                self._next()
            if paper is not None:  # the paper goes in last: {"id": ..., "entities": ..., "paper": {...}}
                text = f'{text.rstrip()[:-1]}, "paper": {json.dumps(paper.to_dict(), ensure_ascii=False)}}}'
            self._fh.write(text + "\n")
            self._count += 1
            self.papers += 1

    def _next(self):
        self.close()
        self._fh = open(self.folder / f"part-{self._number:05d}.jsonl", "w", encoding="utf-8")
        self._number += 1
        self._count = 0

    def close(self):
        """Close the current shard."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def shard_files(source):
    """The shard files of `source`, in order: a folder's ``part-*.jsonl``, or a single JSONL file itself.

    Raises
    ------
    InputError
        When `source` does not exist, or is a folder without shards.
    """
    source = Path(source)
    if source.is_file():
        return [source]
    if not source.is_dir():
        raise InputError(source, "no such file or folder of extraction shards")
    return sorted(p for p in source.glob(_PATTERN) if p.is_file())


def _slim(record):
    for part, keys in _UNUSED_BY_LINKING.items():
        for item in record.get(part) or ():
            for key in keys:
                item.pop(key, None)
    for item in record.get("entities") or ():  # kept only where linking reads it (kg.link.forms.provenance_read)
        kept = provenance_read(item.get("provenance"), item.get("role"))
        if kept is None:
            item.pop("provenance", None)
        else:
            item["provenance"] = kept
    return record


def read_shards(source, slim=False, raw=False):
    """Yield ``(paper, extraction)`` from shard files in order (:func:`shard_files`).

    Parameters
    ----------
    source : str or os.PathLike
        A folder of shards or one JSONL file of extractions.
    slim : bool
        Leave out what linking does not read (the provenance of relations and of entities but for result
        extraction's).
    raw : bool
        Yield ``(paper id, line)`` instead, the line as written without its paper (for ``extractions.jsonl``).

    Yields
    ------
    tuple
        ``(Paper or None, PaperExtraction)``; the paper is None for a line without one.

    Raises
    ------
    InputError
        Naming the file and line of a record that is not an extraction.
    """
    files = shard_files(source)
    if not files:
        raise InputError(source, "no extraction shards here (part-*.jsonl); write them with kg extract --shards")
    for path in files:
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                    paper = record.pop("paper", None)
                    if raw:
                        yield record["id"], json.dumps(record, ensure_ascii=False)
                        continue
                    extraction = PaperExtraction.from_dict(_slim(record) if slim else record)
                    yield (Paper.from_dict(paper) if isinstance(paper, dict) else None), extraction
                except (ValueError, TypeError, KeyError, AttributeError) as exc:
                    raise InputError(path, f"not an extraction record ({exc})", n) from None


def remove_shards(folder):
    """Remove a folder of shards written by :class:`ShardWriter` (and nothing else)."""
    folder = Path(folder)
    for path in shard_files(folder) if folder.is_dir() else ():
        os.unlink(path)
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
