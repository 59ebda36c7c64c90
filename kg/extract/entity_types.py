"""Typing rules: which of Method, Model, Dataset, Task, Metric a candidate span is (GUIDELINE.md "Entities").

Pure functions over spaCy spans and a :class:`kg.extract.lexicon.Lexicon`; the ``kg_candidates`` component
calls them. The evidence, strongest first: a gazetteer entry, the span's own head word ("ImageNet
benchmark", "inference latency"), the word right after it ("the GSM8K dataset", "the LLaMA model"), the
shape of a name ("LLaMA-2-7B" with a parameter count is a Model), else Method.
"""

import functools
import re

__all__ = ["SIZE_RE", "AT_K_RE", "form_type", "is_name_like", "is_generic", "is_junk", "strong_type", "name_type",
           "head_type", "following_type", "shape_type", "type_span", "norm_key"]

#: A parameter count such as 7B, 70b, 1.3B, 350M.
SIZE_RE = re.compile(r"(?i)^\d+(\.\d+)?[bmk]$|[-_]\d+(\.\d+)?[bm]\b")

_HAS_DIGIT_AND_ALPHA = re.compile(r"(?=.*\d)(?=.*[A-Za-z])")

#: Words after a name that type it ("the GSM8K dataset", "the OPT model").
_FOLLOWING = {"dataset": "Dataset", "datasets": "Dataset", "benchmark": "Dataset", "benchmarks": "Dataset",
              "corpus": "Dataset", "suite": "Dataset", "model": "Model", "models": "Model", "family": "Model",
              "series": "Model", "backbone": "Model", "backbones": "Model", "architecture": "Model",
              "metric": "Metric", "score": "Metric", "task": "Task", "tasks": "Task"}


_MARKS = re.compile(r"[+#*]+$")


def norm_key(text):
    """Key that merges surface forms of one entity: lower case, letters and digits only, no plural s.

    A trailing "+", "++", "#" or "*" is kept: "LoRA+" and "QuIP#" are other methods than LoRA and QuIP.

    Examples
    --------
    >>> norm_key("Large Language Models"), norm_key("LLaMA-2"), norm_key("llama 2"), norm_key("LoRA+")
    ('largelanguagemodel', 'llama2', 'llama2', 'lora+')
    """
    core = text.strip().rstrip(")]}.,;:'\"")
    mark = _MARKS.search(core)
    words = re.findall(r"[a-z0-9]+", core.lower())
    if words and len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith("ss") and not mark:
        words[-1] = words[-1][:-1]
    return "".join(words) + (mark.group() if mark and words else "")


@functools.lru_cache(maxsize=65536)
def is_name_like(text):
    """True for the shape of a proper name: CamelCase, an acronym, or letters mixed with digits.

    Examples
    --------
    >>> [is_name_like(w) for w in ("LoRA", "GPT-4", "ResNet-50", "BERT", "model", "Transformer", "Low-Rank")]
    [True, True, True, True, False, False, False]
    """
    core = text.strip("()[],.;:")
    if len(core) < 2 or not any(c.isalpha() for c in core) or core[0].isdigit():
        return False
    if _HAS_DIGIT_AND_ALPHA.match(core):
        return True
    # capitals inside a part; Title-Case compounds ("Low-Rank", "Diffusion-Based") are not names
    parts = [p for p in re.split(r"[-/]", core) if p]
    return any(any(c.isupper() for c in p[1:]) for p in parts)


def head_type(span, lexicon):
    """Type given by the span's last word (its head in English noun phrases), or None."""
    if not len(span):
        return None
    last = span[-1]
    return lexicon.heads.get(last.lower_) or lexicon.heads.get(last.lemma_.lower())


_PLURAL_ACRONYM = re.compile(r"[A-Z][A-Za-z-]*[A-Z]s")
#: Types whose head words are reliable enough to overrule a statistical tagger.
_STRONG = {"Model", "Dataset", "Task"}


#: Names built on a model family's or architecture's name: "MobileNetV3", "Zipformer", "DependencyViT",
#: "WizardCoder", "CodeLLama" (not "ImageNet", a dataset).
_MODEL_NAME = re.compile(r"^(?=[A-Z])[\w.-]*?(?<!Image)(Net|NeXt|[Ff]ormer|ViT|BERT|GPT|GAN|Coder|LLaMA|Llama|LLama)"
                         r"([-_]?[A-Za-z]{0,3}\d[\w.]*|-[A-Z]{1,2})?$")
#: Names of benchmark suites: "BigCodeBench", "DocVQA", "HumanEval".
_DATASET_NAME = re.compile(r"^[A-Z][\w.-]*(Bench|VQA|Eval)(-?[\w.]*)?$")
#: Heads too ambiguous to overrule the tagger: a "... model" or "... network" is as often a method.
_WEAK_HEADS = {"model", "network"}


def name_type(text):
    """Type given by the form of a one-word name, or None: a parameter count ("Qwen2.5-Math-7B") or an
    architecture's name inside it ("MobileNetV3", "Conformer", "StarCoder") makes a Model, a benchmark
    suffix ("BigCodeBench", "TextVQA") a Dataset.

    Examples
    --------
    >>> [name_type(t) for t in ("LLaVA-NeXT-7B", "MobileNetV3", "Zipformer", "ImageNet", "DocVQA", "LoRA")]
    ['Model', 'Model', 'Model', None, 'Dataset', None]
    """
    if " " in text.strip():
        return "Model" if len(text.split()) == 2 and shape_type(text.split()[1]) and is_name_like(
            text.split()[0]) else None
    if shape_type(text):
        return "Model"
    if _MODEL_NAME.match(text):
        return "Model"
    if _DATASET_NAME.match(text):
        return "Dataset"
    return None


def strong_type(span, lexicon):
    """Model, Dataset or Task when the span's form says so beyond doubt: a multi-word phrase headed by
    "models", "networks", "dataset", "benchmark", "classification", "generation"..., a plural acronym
    ("KANs", "MLPs") or the shape of a name (:func:`name_type`); else None.

    Examples
    --------
    >>> import spacy
    >>> from kg.extract.lexicon import load_lexicon
    >>> nlp, lex = spacy.blank("en"), load_lexicon()
    >>> [strong_type(nlp(t)[:], lex) for t in ("Predictive Coding Networks", "KANs", "GLUE benchmark", "loss",
    ...                                        "trie-based word model")]
    ['Model', 'Model', 'Dataset', None, None]
    """
    if _PLURAL_ACRONYM.fullmatch(span.text):
        return "Model"
    named = name_type(span.text)
    if named:
        return named
    if len(span) < 2 or span[-1].lower_ in _WEAK_HEADS:
        return None
    type_ = head_type(span, lexicon)
    return type_ if type_ in _STRONG else None


def following_type(span):
    """Type given by the noun right after the span ("the Alpaca dataset"), or None."""
    doc = span.doc
    if span.end < len(doc):
        nxt = doc[span.end]
        return _FOLLOWING.get(nxt.lower_)
    return None


#: A metric at a cut-off: "NDCG@10", "Recall@K", "pass@1", "mAP@0.5", "Hits@10" (rule ``types.at_k``).
AT_K_RE = re.compile(r"^[A-Za-z][A-Za-z0-9-]*@(?:\d+(?:\.\d+)?|[Kk])$")


def form_type(name):
    """The type a name's written form fixes whatever its context, else None: a metric at a cut-off ("NDCG@10",
    "Recall@K", "pass@1") is a Metric (all 9 such names of the 3,118 annotated abstracts are).

    >>> form_type("NDCG@10"), form_type("mAP@0.5"), form_type("user@example"), form_type("LoRA")
    ('Metric', 'Metric', None, None)
    """
    return "Metric" if AT_K_RE.match(name) else None


def shape_type(text):
    """Type suggested by a name's shape: a parameter count (7B, -70B) marks a Model, else None."""
    return "Model" if SIZE_RE.search(text) else None


def type_span(span, lexicon, source):
    """The entity type of a candidate span.

    Parameters
    ----------
    span : spacy.tokens.Span
    lexicon : kg.extract.lexicon.Lexicon
    source : str
        How the candidate was found: ``"gazetteer"`` candidates carry their type already and are not
        passed here; ``"name"``, ``"chunk"`` and ``"long"`` (an abbreviation's long form) are.

    Returns
    -------
    str
    """
    if source == "name":
        return following_type(span) or shape_type(span.text) or head_type(span, lexicon) or "Method"
    return head_type(span, lexicon) or following_type(span) or "Method"


def is_generic(span, lexicon):
    """True when `span` names a broad class rather than one thing (GUIDELINE.md "generic").

    A listed broad class ("large language models"), or a phrase without any name in it that opens with a
    word such as "existing" or ends in a lower-case plural class noun ("neural architectures").
    """
    text = span.text.lower()
    if text in lexicon.generic:
        return True
    if any(is_name_like(t.text) for t in span):
        return False
    if span[0].lower_ in lexicon.generic_modifiers:
        return True
    last = span[-1]
    return last.text.islower() and last.lower_ in lexicon.generic_heads


_HARDWARE = {"gpu", "gpus", "cpu", "cpus", "tpu", "tpus", "npu", "fpga"}
_BRACKETS = ("()", "[]", "{}")


_PREFIXES = {"pre", "post", "non", "multi", "self", "co", "re", "semi", "sub", "cross", "inter", "intra", "un",
             "de", "anti", "meta", "mid"}
_DANGLING = re.compile(r"-(based|driven|aware|guided|free|like|specific|wise)$", re.I)


def is_junk(span, lexicon):
    """True for spans that are never entities: URLs, numbers, a lone vague word ("approach", "GPU"),
    hardware ("A6000 GPU"), a citation ("Smith et al."), a bracket left open ("Sampler~(DEIS"), a LaTeX macro
    ("\\sysname"), a modifier cut from its noun ("PC-based", "Sparse Pre" of "Sparse Pre-training").

    Examples
    --------
    >>> import spacy
    >>> from kg.extract.lexicon import load_lexicon
    >>> nlp, lex = spacy.blank("en"), load_lexicon()
    >>> [is_junk(nlp(t)[:], lex) for t in ("approach", "State-of-the-art", "A6000 GPU", "Chamfer L_{1", "Hu et al",
    ...                                    "LoRA (r=8)", "PC-based", "LoRA-based tuning")]
    [True, True, True, True, True, False, True, False]
    """
    text = span.text
    if "://" in text or text.startswith("www.") or not any(c.isalpha() for c in text):
        return True
    if span[-1].lower_ in _HARDWARE or " et al" in text or text.startswith("\\"):
        return True
    if any(text.count(a) != text.count(b) for a, b in _BRACKETS):
        return True
    # a modifier cut from its noun: "PC-based", "Sparse Pre" (of "Sparse Pre-training"), "rm" (LaTeX "\\rm")
    cut = (span[-1].lower_ in _PREFIXES and not span[-1].whitespace_ and span.end < len(span.doc)
           and span.doc[span.end].text == "-")
    if _DANGLING.search(text) or text in ("rm", "bf") or cut:
        return True
    return text.lower() in lexicon.stopwords  # also written with hyphens: "state-of-the-art"
