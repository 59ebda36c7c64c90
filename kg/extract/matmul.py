"""Matrix products of the pipeline's neural layers by numpy's BLAS, one thread, instead of blis.

thinc's :class:`~thinc.api.NumpyOps` multiplies matrices with blis (the ``blis`` package), which picks its
kernels by recognising the CPU; one it does not recognise (blis 1.3 and AMD Zen 4, for one: ``BLIS_ARCH_DEBUG=1``
prints "selecting sub-configuration 'generic'") gets its portable reference kernel, and that was a fifth of the
extraction's CPU time on this project's machines (``bli_sgemm_generic_ref`` in a ``perf`` profile). numpy's
BLAS (OpenBLAS, built for every x86-64 generation and choosing at run time) does the same products three times
as fast there. :class:`MatmulOps` is NumpyOps with ``gemm`` by :func:`numpy.matmul`, and
:func:`use_numpy_matmul` gives it to every thinc layer of a pipeline (the tok2vec and ``ner`` models of spaCy
and of ``kg_ner``'s taggers): extraction took 12-15% less CPU on 366 abstracts, with the same extractions.
spaCy's parser multiplies in its own compiled code and keeps blis.

BLAS may run a product on several threads; in a process of a pool (``--workers N``) those threads only compete
with the other processes, so each product runs on one (:mod:`threadpoolctl`, around the call: the caller's own
numpy keeps its settings).
"""

import numpy
from thinc.api import NumpyOps

__all__ = ["MatmulOps", "use_numpy_matmul"]


class MatmulOps(NumpyOps):
    """:class:`thinc.api.NumpyOps` whose matrix product is :func:`numpy.matmul` on one BLAS thread.

    Examples
    --------
    >>> import numpy
    >>> ops = MatmulOps()
    >>> x, w = numpy.ones((2, 3), dtype="f"), numpy.arange(12, dtype="f").reshape(4, 3)
    >>> ops.gemm(x, w, trans2=True).tolist()
    [[3.0, 12.0, 21.0, 30.0], [3.0, 12.0, 21.0, 30.0]]
    """

    name = "kg-matmul"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._one_thread = None

    def gemm(self, x, y, out=None, trans1=False, trans2=False):
        """``x @ y`` (each transposed when asked), written into `out` when given, as NumpyOps.gemm."""
        a = x.T if trans1 else x
        b = y.T if trans2 else y
        with self._limit():
            if out is None:
                return numpy.matmul(a, b)
            numpy.matmul(a, b, out=out)
        return out

    def _limit(self):
        if self._one_thread is None:
            from threadpoolctl import ThreadpoolController

            self._one_thread = ThreadpoolController().select(user_api="blas")
        return self._one_thread.limit(limits=1)


def thinc_models(nlp):
    """The thinc models of a pipeline's components, a committee's members' (``members``) included."""
    from thinc.api import Model

    for _, proc in nlp.pipeline:
        for part in (proc, *getattr(proc, "members", ())):
            model = getattr(part, "model", None)
            if isinstance(model, Model):
                yield model


def use_numpy_matmul(nlp, ops=None):
    """Give every layer of every thinc model of `nlp` :class:`MatmulOps` (`ops`, default a new one).

    Returns
    -------
    int
        The number of layers changed.
    """
    ops = ops or MatmulOps()
    n = 0
    for model in thinc_models(nlp):
        for node in model.walk():
            node.ops = ops
            n += 1
    return n
