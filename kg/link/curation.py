"""The curation file: a user's corrections to the linker, read on every build (TOML, read with ``tomllib``).

Format (every section optional)::

    # names that are one thing, whatever the linker thinks
    [[merge]]
    names = ["LoRA", "low rank adapters"]

    # names that must stay apart even when a paper ties them or they look alike
    [[keep_apart]]
    names = ["DPP", "Determinantal Point Process"]

    # names that are never entities (matched after normalisation: case, plural, dashes)
    drop = ["our method", "proposed approach"]

    # the type of an entity, overriding the vote over papers
    [types]
    "BERT" = "Model"

Names are matched after the linker's normalisation (:func:`kg.link.normalize.normalize`), so ``"LLMs"`` also
matches "LLM" and "large-language-model" matches "large language model".
"""

import tomllib
from dataclasses import dataclass, field

from ..errors import InputError
from ..records import ENTITY_TYPES

__all__ = ["Curation", "load_curation"]

_SECTIONS = ("merge", "keep_apart", "drop", "types")


@dataclass
class Curation:
    """Corrections to the linker.

    Attributes
    ----------
    merge : list of list of str
        Each list names one entity.
    keep_apart : list of list of str
        Each list names entities that must end in different nodes.
    drop : list of str
        Names that are never entities (their relations go too).
    types : dict of str to str
        Name -> entity type, overriding the vote.
    """

    merge: list = field(default_factory=list)
    keep_apart: list = field(default_factory=list)
    drop: list = field(default_factory=list)
    types: dict = field(default_factory=dict)


def _names(path, section, i, entry):
    names = entry.get("names") if isinstance(entry, dict) else None
    if not (isinstance(names, list) and len(names) >= 2 and all(isinstance(n, str) and n.strip() for n in names)):
        raise InputError(path, f"[[{section}]] entry {i + 1} needs `names = [...]` with at least two names")
    return [n.strip() for n in names]


def load_curation(path):
    """Read a curation file.

    Parameters
    ----------
    path : str or os.PathLike
        A TOML file in the format of this module's docstring.

    Returns
    -------
    Curation

    Raises
    ------
    InputError
        When the file is missing, is not TOML, or has an unknown section, a malformed entry or an unknown type.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "curation.toml"
    >>> _ = p.write_text('drop = ["our method"]\\n[[merge]]\\nnames = ["LoRA", "low rank adapters"]\\n')
    >>> load_curation(p).merge
    [['LoRA', 'low rank adapters']]
    """
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise InputError(path, "curation file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read curation file ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(path, f"not a valid TOML curation file ({exc})") from None
    unknown = sorted(set(data) - set(_SECTIONS))
    if unknown:
        raise InputError(path, f"unknown curation section {unknown[0]!r}; valid sections: {', '.join(_SECTIONS)}")
    cur = Curation()
    for section in ("merge", "keep_apart"):
        entries = data.get(section, [])
        if not isinstance(entries, list):
            raise InputError(path, f"{section} must be an array of tables ([[{section}]])")
        getattr(cur, section).extend(_names(path, section, i, e) for i, e in enumerate(entries))
    drop = data.get("drop", [])
    if not (isinstance(drop, list) and all(isinstance(n, str) for n in drop)):
        raise InputError(path, "drop must be a list of names")
    cur.drop = [n.strip() for n in drop if n.strip()]
    types = data.get("types", {})
    if not isinstance(types, dict):
        raise InputError(path, "[types] must be a table of name = type")
    for name, type_ in types.items():
        if type_ not in ENTITY_TYPES:
            raise InputError(path, f"unknown type {type_!r} for {name!r}; valid types: {', '.join(ENTITY_TYPES)}")
    cur.types = dict(types)
    return cur
