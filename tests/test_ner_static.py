"""tools/ner_static.py: the integer MatMul chain it fuses computes what the chain did, and bad
inputs get a clear message."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper  # the test extra installs onnx (train-ner too)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import ner_static  # noqa: E402

from rasid.extract.ner.tuned import model_file  # noqa: E402
from tests.test_ner import DEV  # noqa: E402


def chain_graph():
    """x → QuantizeLinear → MatMulInteger → Cast → Mul(a_scale × b_scale) → Add(bias), as
    quantize_dynamic lays it out once its scale is fixed (small int8 weights, seeded)."""
    rng = np.random.default_rng(0)
    w = rng.integers(-127, 128, (6, 4)).astype(np.int8)
    inits = [numpy_helper.from_array(v, n) for n, v in (
        ("x_scale", np.array(0.05, np.float32)), ("x_zero", np.array(128, np.uint8)),
        ("w_q", w), ("w_scale", np.linspace(0.01, 0.02, 4).astype(np.float32)),
        ("w_zero", np.zeros(4, np.int8)), ("bias", np.arange(4, dtype=np.float32)))]
    nodes = [helper.make_node("QuantizeLinear", ["x", "x_scale", "x_zero"], ["xq"], name="xq"),
             helper.make_node("Mul", ["x_scale", "w_scale"], ["s"], name="s"),
             helper.make_node("MatMulInteger", ["xq", "w_q", "x_zero", "w_zero"], ["i"], name="i"),
             helper.make_node("Cast", ["i"], ["c"], name="c", to=TensorProto.FLOAT),
             helper.make_node("Mul", ["c", "s"], ["m"], name="m"),
             helper.make_node("Add", ["m", "bias"], ["y"], name="y")]
    graph = helper.make_graph(nodes, "chain", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [3, 6])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [3, 4])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17),
                                                   helper.make_opsetid("com.microsoft", 1)])


def run(model, x):
    return ort.InferenceSession(model.SerializeToString(),
                                providers=["CPUExecutionProvider"]).run(["y"], {"x": x})[0]


def test_the_fused_matmul_computes_what_the_chain_did():
    model = chain_graph()
    fused = ner_static._copy(model)
    nodes = ner_static._fuse_integer_matmuls(list(fused.graph.node))
    del fused.graph.node[:]
    fused.graph.node.extend(nodes)
    assert [n.op_type for n in fused.graph.node] == ["QuantizeLinear", "MatMulIntegerToFloat"]
    x = np.linspace(-3, 3, 18, dtype=np.float32).reshape(3, 6)
    np.testing.assert_allclose(run(fused, x), run(model, x), rtol=1e-5, atol=1e-5)


def test_bad_inputs_are_named(tmp_path):
    with pytest.raises(SystemExit, match="not found"):
        ner_static.main([str(tmp_path / "none.onnx"), str(tmp_path / "out.onnx")])
    with pytest.raises(SystemExit, match="no dynamically quantised MatMul"):
        ner_static.main([str(model_file()), str(tmp_path / "out.onnx")])  # already static
    other = tmp_path / "other.txt"
    other.write_text("قال O\nالمرصد B-ORG\n\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="is not the last 1 sentences"):
        ner_static.train_sentences(DEV, other, 0)  # calibrating must never read the dev split
