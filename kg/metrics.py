"""Which way is better for a metric, and when two reported values can be compared (issue 16).

The knowledge is data, ``kg/data/metrics.toml`` (:data:`METRICS_PATH`): metrics that are better when higher
(accuracy, BLEU, speedup) or lower (perplexity, FID, latency), found by name or by the last word of the name
("top-1 accuracy"); measures on a 0-100 scale that papers also write as fractions (0.873 and 87.3% are one
accuracy); written units converted to one base unit (ms and s, MB and GB). A metric in neither list has no known
direction: a leaderboard then lists its values unordered and says so. Nothing is guessed from the numbers.
"""

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import InputError

__all__ = ["METRICS_PATH", "DIRECTIONS", "MetricTable", "load_metrics", "metric_key"]

#: The metric file shipped with the package.
METRICS_PATH = Path(__file__).parent / "data" / "metrics.toml"
#: The directions a metric can have (``None``: unknown, values are not ordered).
DIRECTIONS = ("higher", "lower")


def metric_key(name):
    """A metric name compared across spellings: lower case, letters, digits and ``@`` only, no plural s.

    Examples
    --------
    >>> metric_key("Top-1 Accuracy"), metric_key("speed-ups"), metric_key("pass@1")
    ('top1accuracy', 'speedup', 'pass@1')
    """
    words = re.findall(r"[a-z0-9@]+", str(name).lower())
    if words and len(words[-1]) > 2 and words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]
    return "".join(words)


def _tails(name):
    """Keys of the last two words and of the last word of `name` ("word error rate" -> errorrate, rate)."""
    words = re.findall(r"[a-z0-9@]+", str(name).lower())
    while len(words) > 1 and words[-1].isdigit():  # "BLEU-4", "ROUGE 2"
        words.pop()
    return [metric_key(" ".join(words[-2:])) if len(words) > 1 else None, metric_key(words[-1]) if words else None]


@dataclass(frozen=True)
class MetricTable:
    """The content of a metric file: name keys and head words per section, and the unit conversions."""

    names: dict = field(default_factory=dict)  # section -> frozenset of metric_key
    heads: dict = field(default_factory=dict)  # section -> frozenset of metric_key of one word
    units: dict = field(default_factory=dict)  # lower-case unit -> (base unit, factor)

    def _find(self, section, forms):
        """3: a name of `section`; 2: its last two words are a head ("error rate"); 1: its last word is; 0."""
        forms = [f for f in forms if f]
        if any(metric_key(f) in self.names.get(section, ()) for f in forms):
            return 3
        heads = self.heads.get(section, ())
        tails = [_tails(f) for f in forms]
        if any(two in heads for two, _ in tails if two):
            return 2
        return 1 if any(one in heads for _, one in tails) else 0

    def direction(self, *forms):
        """``"higher"``, ``"lower"`` or ``None`` for the metric called `forms` (its label, then its aliases): a
        name match in either section wins over a head-word match.

        Examples
        --------
        >>> t = load_metrics()
        >>> t.direction("top-1 accuracy"), t.direction("FID"), t.direction("word error rate"), t.direction("vibes")
        ('higher', 'lower', 'lower', None)
        """
        found = {d: self._find(d, forms) for d in DIRECTIONS}
        best = max(found.values())
        if best == 0:
            return None
        winners = [d for d in DIRECTIONS if found[d] == best]
        return winners[0] if len(winners) == 1 else None

    def is_fraction(self, *forms):
        """Whether the metric is on a 0-100 scale also written as a fraction (accuracy, F1, AUC)."""
        return self._find("fraction", forms) > 0

    def normalise(self, number, unit, *forms):
        """The value in a unit that compares across papers: written units in their base unit, a fraction of a
        0-100 measure in percent; anything else unchanged.

        Examples
        --------
        >>> t = load_metrics()
        >>> t.normalise(0.873, "", "accuracy"), t.normalise(87.3, "%", "accuracy"), t.normalise(250, "ms", "latency")
        ((87.3, '%'), (87.3, '%'), (0.25, 's'))
        >>> t.normalise(0.5, "", "perplexity")
        (0.5, '')
        """
        unit = unit or ""
        conv = self.units.get(unit.lower())
        if conv is not None:
            base, factor = conv
            return _round(number * factor), base
        if unit == "" and self.is_fraction(*forms) and 0 <= number <= 1:
            return _round(number * 100), "%"
        return number, unit


def _round(x):
    return float(f"{x:.10g}")


@lru_cache(maxsize=8)
def _load(path):
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(path, f"cannot read the metric file ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(path, f"not TOML ({exc})") from None
    names, heads = {}, {}
    for section in (*DIRECTIONS, "fraction"):
        body = raw.get(section) or {}
        names[section] = frozenset(metric_key(n) for n in body.get("names", []))
        heads[section] = frozenset(metric_key(n) for n in body.get("heads", []))
    units = {}
    for unit, conv in (raw.get("units") or {}).items():
        if not isinstance(conv, dict) or "base" not in conv or "factor" not in conv:
            raise InputError(path, f"unit {unit!r} needs a 'base' and a 'factor'")
        units[str(unit).lower()] = (str(conv["base"]), float(conv["factor"]))
    return MetricTable(names, heads, units)


def load_metrics(path=None):
    """Read a metric file (default :data:`METRICS_PATH`), once per path.

    Raises
    ------
    InputError
        When the file is missing, is not TOML, or a unit lacks its base or factor.
    """
    return _load(str(path or METRICS_PATH))
