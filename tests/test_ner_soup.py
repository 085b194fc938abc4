"""tools/ner_soup.py: the mean of runs' weights, and a clear message for runs that do not match."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from onnx import load, numpy_helper  # the test extra installs onnx (train-ner too)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import ner_soup  # noqa: E402

from rasid.errors import InputError  # noqa: E402
from rasid.extract.ner.tuned import model_file  # noqa: E402


@pytest.fixture(scope="module")
def shipped():
    """The float32 arrays of the shipped graph (its LayerNorms and biases stay float32)."""
    names = {"l0.aln_w", "l1.aln_w", "l0.aln_b", "l1.aln_b", "l0.ao_b", "l0.qkv_b"}
    graph = load(str(model_file())).graph
    return {i.name: numpy_helper.to_array(i) for i in graph.initializer if i.name in names}


def write(path: Path, **arrays) -> Path:
    np.savez(path, **arrays)
    return path


def test_the_soup_is_the_mean_of_the_runs(shipped, tmp_path):
    # two real arrays of one shape stand for one weight in two runs: layer 0's and layer 1's norm
    a, b = shipped["l0.aln_w"], shipped["l1.aln_w"]
    bias_a, bias_b = shipped["l0.aln_b"], shipped["l1.aln_b"]
    assert a.dtype == np.float32 and a.shape == (384,) and not np.array_equal(a, b)
    one = write(tmp_path / "one.npz", norm=a, bias=bias_a)
    two = write(tmp_path / "two.npz", norm=b, bias=bias_b)
    out = tmp_path / "soup" / "mean.npz"
    assert ner_soup.main([str(one), str(two), "--out", str(out)]) == 0
    with np.load(out) as soup:
        assert sorted(soup.files) == ["bias", "norm"] and soup["norm"].dtype == np.float32
        np.testing.assert_allclose(soup["norm"], (a.astype(np.float64) + b) / 2, rtol=1e-7)
        np.testing.assert_allclose(soup["bias"], (bias_a.astype(np.float64) + bias_b) / 2,
                                   rtol=1e-7, atol=1e-9)
    # a run averaged with itself is itself
    same = ner_soup.soup([(one, ner_soup.load(one)), (one, ner_soup.load(one))])
    assert np.array_equal(same["norm"], a)


def test_runs_of_other_shapes_are_refused_by_name(shipped, tmp_path):
    one = write(tmp_path / "one.npz", bias=shipped["l0.ao_b"])
    wide = write(tmp_path / "wide.npz", bias=shipped["l0.qkv_b"])  # 1,152 against 384
    with pytest.raises(InputError, match=r"wide\.npz: bias is float32\[1152\], but "
                                         r"float32\[384\] in .*one\.npz.*same --layers"):
        ner_soup.soup([(one, ner_soup.load(one)), (wide, ner_soup.load(wide))])
    other = write(tmp_path / "other.npz", head=shipped["l0.ao_b"])
    with pytest.raises(InputError, match=r"hold different arrays .*\['bias'\].*\['head'\]"):
        ner_soup.soup([(one, ner_soup.load(one)), (other, ner_soup.load(other))])
    with pytest.raises(InputError, match="two runs or more"):
        ner_soup.soup([(one, ner_soup.load(one))])


def test_bad_files_get_a_message_not_a_traceback(tmp_path, capsys):
    missing, text = tmp_path / "missing.npz", tmp_path / "weights.npz"
    text.write_text("not numpy", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"missing\.npz not found: train a run"):
        ner_soup.main([str(missing), str(missing), "--out", str(tmp_path / "x.npz")])
    with pytest.raises(SystemExit, match=r"weights\.npz is not an \.npz of weights"):
        ner_soup.main([str(text), str(text), "--out", str(tmp_path / "x.npz")])
    assert not (tmp_path / "x.npz").exists()
