"""Mentions whose words around them say what they name (rules ``phase_word``, ``ratio_metric``, ``gloss_mention``,
``instance_phrase``, ``anaphor_head``, ``optimizer_act``, ``descent_method``), and names a paper shortens from its
own longer names (rules ``shortened_rate``, ``elided_head``).

Readings of a mention that its name alone does not settle, decided from the text right around every mention
(the word lists are data, ``[phase]`` and ``[ratio]`` of :mod:`kg.link.lexicon`):

- **a phase, not a quantity**: "unseen at [training time]", "during [inference time]", "cheap, both at train and
  [inference time]" name a phase of a model's life, not the duration measured in "a 5x reduction in [training
  time]". A Metric whose every mention follows a phase preposition links within its paper only.
- **the ratio of a process**: result extraction names the metric of "achieves a 2x [compression]" or "5times
  [compression] improvement" after the process; a number of times of a process is its ratio. A Metric made by
  result extraction alone whose every mention follows a multiplier links as "<name> ratio" (or another ratio
  head) where the corpus names that metric.
- **a gloss of another phrase**: "the accessible state size ([memory])" says in the paper's words what "state size"
  is; a lower-case entity (of any type) whose every mention is such a gloss links within its paper only. Not an
  abbreviation ("differential privacy ([DP])" defines one) nor a word the noun phrase goes on after ("tighter
  ([regret]) bounds" is the regret).
- **one of its kind**: "the efficient [distillation technique], i.e., SwiftBrushv2" describes one named technique,
  not the field of distillation: a lower-case method or task named by a singular descriptor head (``[descriptor]``)
  whose every mention comes right before a name that says which ("i.e.", "namely", "called") links within its
  paper only (rule ``instance_phrase``).
- **a name said again**: "We apply [this training loss] to two adaption methods" points back to the paper's
  "text-guided contrastive adversarial training loss": a lower-case phrase whose every mention follows "this" or
  "these" and that ends exactly one longer name of its paper joins that name's node, as a name of its paper only
  (rule ``anaphor_head``).
- **the use of an optimizer**: "compared to [Adam optimization]" is Adam where other papers call Adam an optimizer
  ("optimizers, particularly [Adam]", "the [Adam] optimizer"); "LLM optimization" is what is optimized. A method
  whose name says it optimizes ("gradient descent") needs no such call: "gradient descent optimization" is it.

Two more read a paper's names against each other, not the text: a paper's "Utilization Rate" is its one metric
"codebook utilization" (rule ``shortened_rate``), and its "Key & Value compression" beside its "Key-Value caches"
is the KV cache compression other papers write (rule ``elided_head``).
"""

import re
from functools import cache

from .cluster import _FUNCTION_WORDS
from .forms import local_key, result_made, written_keys
from .lexicon import load_lexicon
from .normalize import _singular, is_abbreviation, is_acronym, normalize, tokens_of
from .stems import plain_stem
from .spans import matching_mentions

__all__ = ["phase_mention", "multiplied_mention", "gloss_mention", "optimizer_mention",
           "relink_context", "relink_shortened_rates", "relink_elided_heads"]

_MULTIPLIER = re.compile(r"\d+(?:\.\d+)?\s*(?:x|×|times)\s*(?:more\s+|higher\s+|better\s+)?$", re.IGNORECASE)


def _alternation(words):
    """A regular-expression alternation matching any of `words` literally (sorted, so the pattern is stable)."""
    return "|".join(map(re.escape, sorted(words)))


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
    preps = _alternation(prepositions)
    return re.compile(rf"\b(?:{preps})\s+(?:the\s+)?(?:[\w-]+\s*(?:,|and|or)\s+)?$", re.IGNORECASE)


def multiplied_mention(text, start):
    """Whether the mention starting at `start` follows a number of times ("2x [compression]", "5times").

    >>> t = "achieves a 2x compression and less compression"
    >>> multiplied_mention(t, t.index("compression")), multiplied_mention(t, t.rindex("compression"))
    (True, False)
    """
    return bool(_MULTIPLIER.search(text[max(0, start - 30):start]))


#: Words that may follow the closing parenthesis of a gloss, besides a participle ("size ([memory]) determining"):
#: the noun phrase it glosses has ended.
_GLOSS_NEXT = _FUNCTION_WORDS | frozenset("but that which who is are was were has have had can could may might will "
                                          "would should as than while whereas".split())
_GLOSS_BEFORE = re.compile(r"([A-Za-z][\w-]*)\s*\(\s*$")
_EXAMPLE = re.compile(r"\b(?:e\.\s*g|i\.\s*e|eg|ie|such as|including)\b[.,:]*\s*$", re.IGNORECASE)


def gloss_mention(text, start, end):
    """Whether the mention ``text[start:end]`` stands alone in parentheses right after a word (rule
    ``gloss_mention``): "the accessible state size ([memory])".

    >>> t = "bottlenecked by the state size (memory) and the loss (e.g., cross-entropy) or (memory)"
    >>> [gloss_mention(t, t.index("memory"), t.index("memory") + 6), gloss_mention(t, t.rindex("memory"), len(t) - 1)]
    [True, False]
    """
    after = text[end:].lstrip()
    if not after.startswith(")") or is_acronym(text[start:end]):  # "differential privacy ([DP])" defines DP
        return False
    nxt = re.match(r"\)\s*([a-z][\w-]*)", after)
    if nxt and nxt.group(1) not in _GLOSS_NEXT and not nxt.group(1).endswith(("ing", "ed")):
        return False  # "tighter ([regret]) bounds": a word inside the noun phrase, which goes on after it
    before = text[max(0, start - 40):start]
    word = _GLOSS_BEFORE.search(before)
    return bool(word) and word.group(1).lower() not in _FUNCTION_WORDS and not _EXAMPLE.search(before)


_APPOSITION = re.compile(r"\s*[,(]\s*(?:i\.\s*e\.|namely|called|dubbed|named)[,:]?\s+[A-Z]")


def _instance_name(name, lex):
    """A lower-case name of some words and a singular descriptor head ("distillation technique")."""
    words = name.split()
    return len(words) >= 2 and name.islower() and words[-1] in lex.descriptor_heads


def instance_mention(text, start, end):
    """Whether the mention ``text[start:end]`` comes right before a name that says which one it is (rule
    ``instance_phrase``): "the efficient [distillation technique], i.e., SwiftBrushv2", "a novel [graph augmentation
    method], called GRACE".

    >>> t = "The distillation technique, i.e., SB2, beats a distillation technique."
    >>> [instance_mention(t, m.start(), m.end()) for m in re.finditer("distillation technique", t)]
    [True, False]
    """
    return bool(_APPOSITION.match(text[end:end + 30]))


_ANAPHOR = re.compile(r"(?:^|\W)(?:this|these)\s+$", re.I)


def anaphor_mention(text, start):
    """Whether the mention at `start` follows "this" or "these": it points back to something its paper has named
    (rule ``anaphor_head``).

    >>> t = "We propose a contrastive training loss. We apply this training loss to tuning; a training loss."
    >>> [anaphor_mention(t, m.start()) for m in re.finditer("training loss", t)]
    [False, True, False]
    """
    return bool(_ANAPHOR.search(text[max(0, start - 7):start]))


def _anaphor_target(r, records):
    """The one record of `r`'s paper whose longer name ends with `r`'s name ("text-guided contrastive adversarial
    training loss" for "training loss"), or None."""
    tail = " " + r.entity.name.lower()
    found = [o for o in records if o is not r and o.entity.name.lower().endswith(tail)]
    return found[0] if len(found) == 1 else None


def optimizer_mention(text, start, end, lexicon=None):
    """Whether the text calls the mention ``text[start:end]`` an optimizer (rule ``optimizer_act``): a cue word
    right after it ("[Adam] optimizer") or a cue word and a list marker before it ("optimizers, particularly
    [Adam]").

    >>> t = "gradient-based optimizers, particularly Adam; the SGD optimizer; LLMs as optimizers"
    >>> [optimizer_mention(t, t.index(w), t.index(w) + len(w)) for w in ("Adam", "SGD", "LLM")]
    [True, True, False]
    """
    lex = lexicon or load_lexicon()
    after, before = _optimizer_patterns(lex.optimizer_cues, lex.optimizer_markers, lex.optimizer_window)
    return bool(after.match(text[end:end + 20]) or before.search(text[max(0, start - lex.optimizer_window):start]))


@cache
def _optimizer_patterns(cues, markers, window):
    c, m = _alternation(cues), _alternation(markers)
    after = re.compile(rf"\s+(?:{c})\b", re.IGNORECASE)
    before = re.compile(rf"\b(?:{c})\b[^.;]*?(?:{m})[\s,:]*(?:[^.;]*?(?:,|\band|\bor)\s+)?$", re.IGNORECASE)
    return after, before


def _optimizers(records, texts, lex):
    """Keys of the names some paper calls an optimizer (:func:`optimizer_mention`), with those papers."""
    out = {}
    for r in records:
        text = texts.get(r.paper)
        if text is not None and r.entity.type == "Method" and any(
                optimizer_mention(text, m.start, m.end, lex) for m in matching_mentions(r.entity, text)):
            out.setdefault(r.forms[0].key, set()).add(r.paper)
    return out


def _optimizer_act(r, optimizers, lex, methods=None):
    """The name of an optimizer that the name of `r` uses ("Adam optimization" -> "Adam", "gradient descent
    optimization" -> "gradient descent") and the id of the rule that says so, or None: a name some other paper
    calls an optimizer, or a method whose last word says it is one (rule ``descent_method``: "gradient descent",
    "mirror descent") and that another paper writes."""
    words = r.forms[0].text.split()
    if len(words) < 2 or words[-1].lower() not in lex.optimizer_acts:
        return None
    if len(words) == 2 and not words[0].islower():
        name = normalize(words[0])
        return (name, lex.optimizer_id) if optimizers.get(name.key, set()) - {r.paper} else None
    if _singular(words[-2].lower()) in lex.optimizer_kinds and len(words) <= 1 + lex.optimizer_kind_words:
        name = normalize(" ".join(words[:-1]))
        return (name, lex.descent_id) if (methods or {}).get(name.key, set()) - {r.paper} else None
    return None


def _ends_in(nf, word):
    """`nf` has several words, the last of stem `word` ("codebook utilization", "utilization")."""
    words = nf.spaced.split()
    return len(words) > 1 and plain_stem(_singular(words[-1])) == word


def _noun_compound(nf, lex):
    """`nf` is a compound of plain nouns: "codebook utilization" says what is utilized; an adjective says how
    ("linear convergence" is one kind of convergence rate, not the paper's "convergence rate")."""
    return not any(w.endswith(lex.adjective_endings) or not w.isalpha() for w in nf.spaced.split()[:-1])


def relink_shortened_rates(records, counts, lexicon=None):
    """Rule ``shortened_rate``: a paper's Metric "<word> rate" (or another ratio head) is the paper's one other
    Metric that ends in that word, written again shortened with the word that says it is measured as a share
    ("enhancing [codebook utilization]" ... "a [Utilization Rate] of 99%", c4f513d173). Only within the paper, only
    when exactly one such metric is there ("error rate" beside "top-1 error" and "test error" says which of them no
    more), and only a compound of nouns, which names what is measured: "linear convergence" is one kind of
    convergence rate, not the "convergence rate" of the paper.

    Parameters
    ----------
    records : list of kg.link.forms.Record
        With their nodes set; a changed record takes the form and node of the paper's metric.
    counts : collections.Counter
        Counts the records changed, under the rule's id.
    """
    lex = lexicon or load_lexicon()
    by_paper = {}
    for r in records:
        if r.entity.type == "Metric":
            by_paper.setdefault(r.paper, []).append(r)
    for recs in by_paper.values():
        for r in recs:
            words = r.forms[0].spaced.split()
            if len(words) != 2 or _singular(words[1]) not in lex.ratio_heads or "@" in (r.nodes[0] or ""):
                continue
            word = plain_stem(words[0])
            longer = {(o.forms[0].key, o.nodes[0]): o for o in recs
                      if o is not r and _ends_in(o.forms[0], word) and o.nodes[0] is not None}
            o = next(iter(longer.values())) if len(longer) == 1 else None
            if o is not None and _noun_compound(o.forms[0], lex):
                _retarget(r, o.forms[0], o.nodes[0], o.local[0])
                counts[lex.shortened_id] += 1


def _retarget(r, nf, node, local=False):
    """Give record `r` the form `nf` on `node` first, its own forms kept as names of its paper only: the node takes
    the paper's wording as an alias ("Utilization Rate") without linking it anywhere else."""
    r.forms, r.nodes, r.local = ([nf] + r.forms, [node] + [local_key(f.key, r.paper) for f in r.forms],
                                 [local] + [True] * len(r.forms))


def _modifier_words(words):
    """The lower-case words of a modifier, hyphenated words split and a coordinating "&" or "and" dropped: "Key &
    Value" and "Key-Value" are both ``["key", "value"]``."""
    return [t for w in words for t in tokens_of(w.lower()) if t not in ("&", "and")]


def _says_modifier(prefix, modifier):
    """`prefix` (words of another paper's name) says `modifier` (:func:`_modifier_words`): the same words, or an
    abbreviation of them ("KV" of "key value")."""
    if _modifier_words(prefix) == modifier:
        return True
    return len(prefix) == 1 and is_acronym(prefix[0]) and len(modifier) > 1 and is_abbreviation(
        prefix[0], " ".join(modifier))


def relink_elided_heads(records, counts, lexicon=None):
    """Rule ``elided_head``: a paper's process "<modifier> <act>" that no other paper writes drops the head of the
    one compound that the paper writes with that modifier: "we aim to improve [Key & Value compression]" beside the
    paper's "[Key-Value caches]" (1a313689ab) is the compression of the cache, "KV cache compression", which other
    papers write. It links there when exactly one name "<modifier or its abbreviation> <head> <act>" of other papers
    fits; a coordinating "&" reads as the hyphen of a compound ("Key & Value", "Key-Value"). Not a phrase whose last
    word is a generic head ("deep methods" says what kind of method, not which).

    Parameters
    ----------
    records : list of kg.link.forms.Record
        With their nodes set; a changed record takes the form and node of the longer name.
    counts : collections.Counter
        Counts the records changed, under the rule's id.
    """
    lex = lexicon or load_lexicon()
    written, tails, by_paper = written_keys(records), {}, {}
    for r in records:
        by_paper.setdefault(r.paper, []).append(r)
        for f, n in zip(r.forms, r.nodes):
            words = f.spaced.split()
            if n == f.key and len(words) >= 3:
                tails.setdefault(tuple(words[-2:]), {}).setdefault(f.key, []).append((r.paper, f))
    for recs in by_paper.values():
        for r in recs:
            name = r.forms[0]
            words = name.spaced.split()
            if (r.entity.type not in ("Method", "Task") or len(words) < 2 or r.nodes[0] != name.key
                    or _singular(words[-1]) in lex.generic_heads or written.get(name.key, set()) - {r.paper}):
                continue
            modifier, act = _modifier_words(name.text.split()[:-1]), words[-1]
            heads = {o.forms[0].spaced.split()[-1] for o in recs if o is not r and len(o.forms[0].text.split()) > 1
                     and _modifier_words(o.forms[0].text.split()[:-1]) == modifier}
            if len(heads) != 1:
                continue
            fits = {k: uses for k, uses in tails.get((heads.pop(), act), {}).items()
                    if any(p != r.paper and _says_modifier(f.text.split()[:-2], modifier) for p, f in uses)}
            if len(fits) == 1:
                (key, uses), = fits.items()
                _retarget(r, uses[0][1], key)
                counts[lex.elided_id] += 1


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
    # a loss a result reports is named by result extraction only ("accuracy loss" from "a 1% accuracy loss")
    named = metrics | {f.key for r in records if r.entity.type == "Metric"
                       for f, n in zip(r.forms, r.nodes) if n == f.key}
    optimizers = _optimizers(records, texts, lex)
    methods = written_keys(records, ("Method",))  # the methods other papers write (rule descent_method)
    by_paper = {}
    for r in records:
        by_paper.setdefault(r.paper, []).append(r)
    for r in records:
        act = _optimizer_act(r, optimizers, lex, methods) if r.entity.type in ("Method", "Task") else None
        if act is not None:  # "compared to [Adam optimization]": the optimizer Adam
            name, rule = act
            if rule == lex.descent_id:  # "gradient descent optimization" stays a name of its paper's node
                _retarget(r, name, name.key)
            else:
                r.forms, r.nodes, r.local = [name], [name.key], [False]
            counts[rule] += 1
            continue
        text = texts.get(r.paper)
        mentions = matching_mentions(r.entity, text) if text is not None else []
        if not mentions:
            continue
        if r.entity.name.islower() and all(gloss_mention(text, m.start, m.end) for m in mentions):
            r.local = [True] * len(r.forms)  # "the accessible state size ([memory])": the paper's own gloss
            r.nodes = [local_key(f.key, r.paper) for f in r.forms]
            counts[lex.gloss_id] += 1
            continue
        if r.entity.type in ("Method", "Task") and _instance_name(r.entity.name, lex) and all(
                instance_mention(text, m.start, m.end) for m in mentions):
            r.local = [True] * len(r.forms)  # "the [distillation technique], i.e., SwiftBrushv2": one of its kind
            r.nodes = [local_key(f.key, r.paper) for f in r.forms]
            counts[lex.instance_id] += 1
            continue
        if r.entity.name.islower() and all(anaphor_mention(text, m.start) for m in mentions):
            target = _anaphor_target(r, by_paper[r.paper])
            if target is not None:  # "this training loss": the paper's own longer name
                _retarget(r, target.forms[0], target.nodes[0], target.local[0])
                counts[lex.anaphor_id] += 1
                continue
        if r.entity.type != "Metric":
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
                continue
