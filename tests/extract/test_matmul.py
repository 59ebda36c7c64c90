"""The pipeline's neural layers multiply with numpy's BLAS (kg/extract/matmul.py): the same products as blis."""

import numpy
import pytest
from thinc.api import NumpyOps

from kg.extract.matmul import MatmulOps, thinc_models, use_numpy_matmul


@pytest.mark.parametrize("trans1, trans2", [(False, False), (False, True), (True, False), (True, True)])
def test_products_are_those_of_numpy_ops(trans1, trans2):
    rng = numpy.random.default_rng(0)
    x = rng.random((7, 5), dtype="float32")
    y = rng.random((5, 3), dtype="float32")
    x, y = (x.T.copy() if trans1 else x), (y.T.copy() if trans2 else y)
    expected = NumpyOps().gemm(x, y, trans1=trans1, trans2=trans2)
    got = MatmulOps().gemm(x, y, trans1=trans1, trans2=trans2)
    assert got.shape == (7, 3) and got.dtype == numpy.float32
    numpy.testing.assert_allclose(got, expected, rtol=1e-5)
    out = numpy.zeros((7, 3), dtype="float32")
    assert MatmulOps().gemm(x, y, out=out, trans1=trans1, trans2=trans2) is out
    numpy.testing.assert_allclose(out, expected, rtol=1e-5)


def test_one_blas_thread_inside_the_product_only():
    from threadpoolctl import threadpool_info

    def blas_threads():
        return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]

    before = blas_threads()
    MatmulOps().gemm(numpy.ones((4, 4), dtype="f"), numpy.ones((4, 4), dtype="f"))
    assert blas_threads() == before  # the caller's setting is back


@pytest.mark.model
def test_every_layer_of_the_extraction_pipeline_uses_it():
    from kg.extract import load_pipeline

    nlp = load_pipeline(relations=False)
    models = list(thinc_models(nlp))
    names = {name for name, proc in nlp.pipeline if any(getattr(proc, "model", None) is m for m in models)}
    assert {"tok2vec", "parser"} <= names and len(models) > len(names)  # and kg_ner's taggers
    assert {type(node.ops) for m in models for node in m.walk()} == {MatmulOps}
    assert use_numpy_matmul(nlp) == sum(len(list(m.walk())) for m in models)
