"""Mentions whose words around them say what they name (rules ``phase_word`` and ``ratio_metric``).

Two readings of a metric that its name alone does not settle, decided from the text right around every mention
(the word lists are data, ``[phase]`` and ``[ratio]`` of :mod:`kg.link.lexicon`):

- **a phase, not a quantity**: "unseen at [training time]", "during [inference time]", "cheap, both at train and
  [inference time]" name a phase of a model's life, not the duration measured in "a 5x reduction in [training
  time]". A Metric whose every mention follows a phase preposition links within its paper only.
- **the ratio of a process**: result extraction names the metric of "achieves a 2x [compression]" or "5times
  [compression] improvement" after the process; a number of times of a process is its ratio. A Metric made by
  result extraction alone whose every mention follows a multiplier links as "<name> ratio" (or another ratio
  head) where the corpus names that metric.
"""

import re
from functools import cache

from .forms import local_key, result_made
from .lexicon import load_lexicon
from .normalize import _singular, normalize
from .spans import matching_mentions

__all__ = ["phase_mention", "multiplied_mention", "relink_context"]

_MULTIPLIER = re.compile(r"\d+(?:\.\d+)?\s*(?:x|×|times)\s*(?:more\s+|higher\s+|better\s+)?$", re.IGNORECASE)


def phase_mention(text, start, lexicon=None):
    """Whether the mention starting at `start` follows a phase preposition, perhaps with a coordinated phase
    before it ("at [training time]", "both at train and [inference time]").

    Examples
    --------
    >>> t = "unseen at training time; cheap at train and inference time; a reduction in training time"
    >>> [phase_mention(t, t.index(w)) for w in ("training time;", "inference", "training time", )][:2]
    [True, True]
    >>> phase_mention(t, t.rindex("training time"))
    False
    """
    return bool(_phase_pattern((lexicon or load_lexicon()).phase_prepositions).search(text[max(0, start - 60):start]))


@cache
def _phase_pattern(prepositions):
    preps = "|".join(map(re.escape, sorted(prepositions)))
    return re.compile(rf"\b(?:{preps})\s+(?:the\s+)?(?:[\w-]+\s*(?:,|and|or)\s+)?$", re.IGNORECASE)


def multiplied_mention(text, start):
    """Whether the mention starting at `start` follows a number of times ("2x [compression]", "5times").

    >>> t = "achieves a 2x compression and less compression"
    >>> multiplied_mention(t, t.index("compression")), multiplied_mention(t, t.rindex("compression"))
    (True, False)
    """
    return bool(_MULTIPLIER.search(text[max(0, start - 30):start]))


def relink_context(records, texts, counts, lexicon=None):
    """Apply the two rules of the module docstring to records with their nodes set.

    Parameters
    ----------
    records : list of kg.link.forms.Record
    texts : dict of str to str
        Paper id -> :attr:`kg.records.Paper.text`; records of papers without a text are left alone.
    counts : collections.Counter
        Counts the records changed, by rule id.
    """
    lex = lexicon or load_lexicon()
    metrics = {f.key for r in records if r.entity.type == "Metric"
               for f, n in zip(r.forms, r.nodes) if n == f.key and not result_made(r.entity)}
    for r in records:
        text = texts.get(r.paper)
        if text is None or r.entity.type != "Metric":
            continue
        mentions = matching_mentions(r.entity, text)
        if not mentions:
            continue
        words = r.forms[0].spaced.split()
        if words and _singular(words[-1]) in lex.phase_heads and all(phase_mention(text, m.start, lex)
                                                                      for m in mentions):
            r.local = [True] * len(r.forms)
            r.nodes = [local_key(f.key, r.paper) for f in r.forms]
            counts[lex.phase_id] += 1
            continue
        if result_made(r.entity) and all(multiplied_mention(text, m.start) for m in mentions):
            ratio = next((nf for nf in (normalize(f"{r.entity.name} {h}") for h in lex.ratio_heads)
                          if nf.key in metrics), None)
            if ratio is not None:
                r.forms, r.nodes, r.local = [ratio], [ratio.key], [False]
                counts[lex.ratio_id] += 1
