"""Metric directions and comparable values (kg.metrics, kg/data/metrics.toml)."""

import pytest

from kg.errors import InputError
from kg.metrics import load_metrics, metric_key


@pytest.mark.parametrize("forms, direction", [
    (["accuracy"], "higher"), (["Top-1 Acc."], "higher"), (["BLEU-4"], "higher"), (["BLEU"], "higher"),
    (["perplexity"], "lower"), (["PPL"], "lower"), (["inference latency"], "lower"), (["word error rate"], "lower"),
    (["attack success rate"], "lower"), (["success rate"], "higher"), (["speedups"], "higher"),
    (["peak GPU memory"], "lower"), (["vibe check"], None), (["vibes", "FID"], "lower"),
])
def test_direction(forms, direction):
    assert load_metrics().direction(*forms) == direction


@pytest.mark.parametrize("number, unit, metric, expected", [
    (0.873, "", "top-1 accuracy", (87.3, "%")), (87.3, "%", "accuracy", (87.3, "%")), (1.0, "", "F1", (100.0, "%")),
    (1.5, "", "accuracy", (1.5, "")),  # not a fraction
    (0.45, "", "perplexity", (0.45, "")), (250, "ms", "latency", (0.25, "s")), (2, "hours", "time", (7200.0, "s")),
    (512, "MB", "memory", (0.512, "GB")), (3.5, "x", "speedup", (3.5, "x")), (12, "GFLOPs", "FLOPs", (12, "GFLOPs")),
])
def test_normalise(number, unit, metric, expected):
    assert load_metrics().normalise(number, unit, metric) == expected


def test_metric_key():
    assert metric_key("Speed-ups") == metric_key("speedup") and metric_key("IS") == "is"


def test_bad_metric_files(tmp_path):
    with pytest.raises(InputError, match="cannot read the metric file"):
        load_metrics(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[higher\n")
    with pytest.raises(InputError, match="not TOML"):
        load_metrics(bad)
    unit = tmp_path / "unit.toml"
    unit.write_text('[units]\nms = { base = "s" }\n')
    with pytest.raises(InputError, match="unit 'ms' needs a 'base' and a 'factor'"):
        load_metrics(unit)
