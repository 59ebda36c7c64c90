"""Head words of names and phrases: which forms meet on their stem keys, and which heads a form may drop.

- **stem nodes** (:func:`stem_nodes`): every global ordinary phrase meets the others of its family of entity types
  on its stem keys (:mod:`kg.link.stems`). A phrase whose head says it names a model ("generative model") is of the
  Model family whatever type a paper gives it (rule ``model_head``), and the name of a model keeps the acts its
  words name ("full ranking model" is no "full-rank model"); a measure may drop a ``cost`` head (rule
  ``cost_head``: "computation" and "computational cost").
- **descriptor heads** (:func:`descriptor_rest`, rule ``descriptor_head``): "KV cache compression methods" is KV
  cache compression where the corpus names that process.
- **task qualifiers** (:func:`qualified_rest`, rule ``task_qualifier``): "ImageNet classification datasets" is
  ImageNet where the corpus names that dataset.
- **models based on a model** (:func:`based_rest`, rule ``based_model``): "Transformer-based models" and "CNN-based
  models" are transformers and CNNs where the corpus names those as models (a method is not: "LoRA-based methods"
  are methods built on LoRA, and "convolution-based models" are no convolutions).
- **title case** (:func:`title_cased`, rule ``title_case``): a phrase of a title that capitalises every word gets
  the stem keys of its lower-case words ("Efficient [Sparse Attention] in ..."), unless the paper abbreviates it.
- **spelled heads** (:func:`spelled_rest`, rule ``spelled_head``): "PEFT fine-tuning" is PEFT where the corpus
  spells PEFT out as "parameter-efficient fine-tuning", a long form that ends with the words after it.

:func:`join_by_heads` applies the five to a clustering. The word lists are data (:mod:`kg.link.lexicon`).
"""

import re
from collections import defaultdict
from functools import cache

from .abbreviations import spells_initials
from .cluster import _FUNCTION_WORDS
from .forms import key_families
from .lexicon import load_lexicon
from .normalize import _singular, based_on, is_acronym, name_like, normalize
from .stems import compound_words, content_words, family_of, model_stem_key, stem, stem_keys

__all__ = ["stem_nodes", "descriptor_rest", "based_rest", "qualified_rest", "spelled_rest", "join_by_heads"]


def descriptor_rest(nf, lexicon=None):
    """The form without a lower-case descriptor head (rule ``descriptor_head`` of the lexicon), or None.

    Examples
    --------
    >>> descriptor_rest(normalize("KV cache compression methods")).key
    'kvcachecompression'
    >>> [descriptor_rest(normalize(t)) for t in ("Cross-Entropy Method", "LoRA-based methods", "prior methods",
    ...                                          "the state-of-the-art methods")]
    [None, None, None, None]
    """
    lex = lexicon or load_lexicon()
    words = nf.text.split()
    if len(words) < 2 or not words[-1].islower() or _singular(words[-1]) not in lex.descriptor_heads:
        return None
    rest = normalize(" ".join(words[:-1]))
    if all(w.replace("-", "") in lex.vague | lex.evaluative for w in rest.spaced.split()):
        return None  # "prior methods", "the state-of-the-art methods": whose methods, not a name
    return rest if rest.key and "based" not in rest.steps and not rest.text.lower().endswith("-based") else None


def based_rest(nf, lexicon=None):
    """The name before "-based" in "<name>-based <model head>" (rule ``based_model``), or None.

    Examples
    --------
    >>> [getattr(based_rest(normalize(t)), "key", None) for t in ("Transformer-Based Models", "CNN-based models",
    ...     "LoRA-based methods", "transformer models", "LLM-based agents")]
    ['transformer', 'cnn', None, None, None]
    """
    lex = lexicon or load_lexicon()
    words = nf.text.split()
    base = based_on(words[-2]) if len(words) >= 2 else None
    if base is None or _singular(words[-1].lower()) not in lex.based_heads:
        return None
    rest = normalize(" ".join(words[:-2] + [base]))
    return rest if rest.key else None


def _said_family(nf, lexicon=None):
    """The family of the Model type when the head of an ordinary phrase says it names a model ("generative
    model", "ensemble of neural networks"; :attr:`Lexicon.model_said_by`), else None: such a phrase meets the stem
    keys of models only, never those of the process it names a model of ("generative modeling")."""
    lex = lexicon or load_lexicon()
    words = compound_words(nf)
    return family_of("Model") if words and _singular(words[-1]) in lex.model_said_by else None


def qualified_rest(nf, lexicon=None):
    """The dataset name before a lower-case task qualifier and a dataset head (rule ``task_qualifier``), or None.

    Examples
    --------
    >>> [getattr(qualified_rest(normalize(t)), "key", None) for t in ("ImageNet classification datasets",
    ...     "GLUE language understanding benchmark", "MNIST testing dataset", "ImageNet based robustness benchmarks",
    ...     "synthetic and real datasets", "ImageNet dataset")]
    ['imagenet', 'glue', None, None, None, None]
    """
    lex = lexicon or load_lexicon()
    words = nf.text.split()
    if len(words) < 3 or not words[-1].islower() or _singular(words[-1]) not in lex.qualified_heads:
        return None
    for i in range(1, len(words) - 1):
        middle = words[i:-1]
        if all(w.islower() for w in middle):
            name = " ".join(words[:i])
            if (len(middle) > lex.qualified_words or not (is_acronym(name) or name_like(name))
                    or any(w.replace("-", "") in lex.qualified_splits or w in _FUNCTION_WORDS for w in middle)):
                return None
            return normalize(name)
    return None


def spelled_rest(nf, long_forms, lexicon=None):
    """The abbreviation that starts `nf` when the lower-case words after it end its long form (rule
    ``spelled_head``), or None.

    Parameters
    ----------
    nf : NormalForm
    long_forms : dict of str to list of NormalForm
        Abbreviation key -> the long forms the corpus spells it out with.

    Examples
    --------
    >>> longs = {"peft": [normalize("parameter-efficient fine-tuning")], "kd": [normalize("knowledge distillation")]}
    >>> [getattr(spelled_rest(normalize(t), longs), "key", None) for t in ("PEFT fine-tuning", "KD distillation",
    ...     "PEFT methods", "PEFT", "KD loss")]
    ['peft', 'kd', None, None, None]
    """
    lex = lexicon or load_lexicon()
    words = nf.text.split()
    if not 2 <= len(words) <= lex.spelled_words + 1 or not is_acronym(words[0]) or not all(
            w.islower() for w in words[1:]):
        return None
    short = normalize(words[0])
    tail = content_words(normalize(" ".join(words[1:])), lex)
    for lf in long_forms.get(short.key, ()):
        full = content_words(lf, lex)
        if tail and len(full) > len(tail) and full[-len(tail):] == tail and spells_initials(words[0], lf.text):
            return short
    return None


def _family_stem(key, family, lexicon=None):
    """A stem key as its family compares it: a class of models without its model head (:func:`model_stem_key`);
    a measure of two words without a leading "model" that says only whose measure it is (rule ``model_compound``:
    "model generalization ability", "model training time"), without a leading word that says only where or how it
    is measured (rule ``measure_modifier``: "system throughput", "run-time speedup"), and without a head that says
    only what it costs (rule ``cost_head``: "communication" and "communication cost", "reducing [computation] by
    25%" and "computational cost", "computational overhead" are one measure)."""
    if family == "model":
        return model_stem_key(key)
    words = key.split()
    if family != "measure":
        return " ".join(words)
    lex = lexicon or load_lexicon()
    for parts in _modifier_stems(lex.compound_modifiers):  # rule model_compound
        if len(words) == len(parts) + 2 and words[:len(parts)] == list(parts):
            words = words[len(parts):]
            break
    if len(words) > 1 and words[0] in _measure_modifier_stems(lex.measure_modifiers):  # rule measure_modifier
        words = words[1:]
    if len(words) > 1 and words[-1] in _measure_stems(lex.measure_heads):  # rule cost_head
        return " ".join(words[:-1])
    return " ".join(words)


@cache
def _modifier_stems(modifiers):
    return [tuple(stem(w) for w in m.split()) for m in modifiers]


@cache
def _measure_modifier_stems(modifiers):
    return frozenset(stem(m.replace("-", "")) for m in modifiers)  # as a stem key writes them: "run-time" -> runtim


@cache
def _measure_stems(heads):
    return frozenset(stem(h) for h in heads)


def title_cased(nf, title):
    """The form as an ordinary phrase when it is capitalised only as its paper's title capitalises every word (rule
    ``title_case``): "Efficient [Sparse Attention] in Long-context LLM Prefilling" writes sparse attention, not a
    name. Not a form with an acronym, a capital inside a word or a digit ("LoRA", "GPT-4"), nor a form outside the
    title. Else the form itself.

    >>> title_cased(normalize("Sparse Attention"), "Efficient Sparse Attention in LLMs").text
    'sparse attention'
    >>> title = "Stable Diffusion and LoRA Tricks"
    >>> [title_cased(normalize(t), title).text for t in ("LoRA Tricks", "Sparse Attention")]
    ['LoRA Tricks', 'Sparse Attention']
    """
    words = [w for w in re.split(r"[\s-]+", nf.text) if w.lower() not in _FUNCTION_WORDS]
    if (len(words) < 2 or nf.text not in (title or "") or any(c.isdigit() for c in nf.text)
            or not all(w[:1].isupper() and (w[1:].islower() or not w[1:]) for w in words)):
        return nf
    return normalize(nf.text.lower())


def stem_nodes(records, families):
    """Key -> sorted stem nodes (``"~<family>:<stem key>"``) of the global ordinary-phrase forms with that key."""
    out = defaultdict(set)
    for r in records:
        for f, local in zip(r.forms, r.local):
            if not local:
                fam = _said_family(f) or families[f.key]
                model = fam == "model"  # the name of a model keeps the acts its words name (rule model_head)
                # "Efficient [Sparse Attention] in ...": an ordinary phrase, unless the paper abbreviates it, a name
                # ("the Cross-Entropy Method (CEM)")
                spelled = any(is_acronym(o.text) and spells_initials(o.text, f.text) for o in r.forms if o is not f)
                g = f if spelled else title_cased(f, r.title)
                out[f.key].update(f"~{fam}:{_family_stem(s, fam)}" for s in stem_keys(g, gerunds=model))
    return {k: sorted(v) for k, v in out.items() if v}


def join_by_heads(records, kc, ambiguous, pairs=None):
    """Union the nodes of `records` in `kc` (:class:`kg.link.cluster.KeyClusters`) by stem keys, descriptor heads,
    task qualifiers and spelled heads (module docstring); keys of `ambiguous` abbreviations take no part. `pairs`:
    abbreviation key -> ``(record, short form, long form)`` (:func:`kg.link.abbreviations.abbreviation_pairs`)."""
    families, lex = key_families(records), load_lexicon()
    long_forms = defaultdict(list)
    for key, uses in (pairs or {}).items():
        for _, _, lf in uses:
            long_forms[key].append(lf)
    attached = set()
    for key, stems in sorted(stem_nodes(records, families).items()):
        if key in kc.parent and key not in ambiguous:
            for node in stems:  # a stem node joins keys: counted from its second key on
                kc.union(key, node, "stem", count=node in attached)
                attached.add(node)
    for r in records:
        data = family_of(r.entity.type) == "data"
        for f, n in zip(r.forms, r.nodes):
            if n is None or "@" in n:
                continue
            # "KV cache compression methods" is KV cache compression where the corpus names that
            rest = descriptor_rest(f, lex)
            if rest and rest.key in kc.parent and rest.key not in ambiguous and families.get(rest.key) == "process":
                kc.union(rest.key, n, lex.descriptor_id)
            # "ImageNet classification datasets" is ImageNet where the corpus names that dataset
            rest = qualified_rest(f, lex) if data else None
            if rest and rest.key in kc.parent and rest.key not in ambiguous and families.get(rest.key) == "data":
                kc.union(rest.key, n, lex.qualified_id)
            # "Transformer-based models" are transformers where the corpus names transformers as models
            rest = based_rest(f, lex) if family_of(r.entity.type) == "model" else None
            if rest and rest.key in kc.parent and rest.key not in ambiguous and families.get(rest.key) == "model":
                kc.union(rest.key, n, lex.based_id)
            # "PEFT fine-tuning" is PEFT where the corpus spells PEFT out as "parameter-efficient fine-tuning"
            rest = spelled_rest(f, long_forms, lex) if long_forms else None
            if (rest and rest.key in kc.parent and rest.key not in ambiguous
                    and families.get(rest.key) == family_of(r.entity.type)):
                kc.union(rest.key, n, lex.spelled_id)
