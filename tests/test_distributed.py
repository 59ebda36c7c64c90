"""Extraction on a Dask cluster (kg.distributed): the same outputs as local extraction."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.distributed import parse_cluster
from kg.errors import KGError

from conftest import snapshot

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("spec", ["local:0", "local", "ssh:2", "tcp://host:8786"])
def test_a_cluster_is_local_n(spec):
    with pytest.raises(KGError, match="is not local:N"):
        parse_cluster(spec)


def test_cluster_and_scheduler_exclude_each_other(tmp_path):
    result = CliRunner().invoke(cli, ["build", str(tmp_path), "--cluster", "local:1", "--scheduler", "tcp://x:1",
                                      "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and "either --cluster or --scheduler" in result.output


@pytest.mark.model
def test_two_worker_cluster_gives_the_outputs_of_local_extraction(tmp_path):
    source = ROOT / "tests" / "data" / "devset" / "papers.jsonl"
    corpus = tmp_path / "papers.jsonl"
    corpus.write_text("".join(source.read_text(encoding="utf-8").splitlines(keepends=True)[:12]), encoding="utf-8")
    runner = CliRunner()
    local = runner.invoke(cli, ["build", str(corpus), "-o", str(tmp_path / "local"), "-q"])
    dask = runner.invoke(cli, ["build", str(corpus), "-o", str(tmp_path / "dask"), "-q", "--cluster", "local:2"])
    assert local.exit_code == 0 and dask.exit_code == 0, (local.output, dask.output)
    assert snapshot(tmp_path / "local") == snapshot(tmp_path / "dask")
    assert len((tmp_path / "dask" / "extractions.jsonl").read_text().splitlines()) == 12
    assert json.loads((tmp_path / "dask" / "kg.json").read_text())["graph"]["papers"] == 12
