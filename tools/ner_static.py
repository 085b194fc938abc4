"""Turn the tuned NER model's dynamic int8 graph into a static one, whose tags do not depend on
which sentences share a batch.

    python tools/ner_static.py DYNAMIC.onnx OUT.onnx [--percentiles 100 99.999 99.99 99.9]

`quantize_dynamic` (tools/ner_onnx.py) gives every int8 MatMul a `DynamicQuantizeLinear`, which
scales the activations of the whole onnxruntime call together: a sentence's logits move with the
sentences batched beside it. Here each of those becomes a `QuantizeLinear` with a scale and zero
point fixed at export, calibrated on ANERcorp TRAIN sentences (every 8th of the training part;
never the dev split), and each `MatMulInteger → Cast → Mul → Add` chain becomes one
`MatMulIntegerToFloat` kernel (onnxruntime fuses that chain itself only when the scale is computed
in the graph). The weights, the float32 feed-forward output MatMuls and the fused attention are
those of the dynamic graph, unchanged.

The range of each quantised tensor is a percentile of the calibration tokens' own minima and
maxima (100: every token fits; 99.99: the rarest 0.01% of tokens are clipped, for a finer step for
the rest). The percentile is chosen without the dev split: the one whose logits on other training
sentences (every 8th, offset by 4) are nearest (mean squared error) to the same weights run with
float32 activations. Build-time only: needs the `onnx` package (the `train-ner` extra).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_TRAIN = ROOT.parent / "shared" / "data" / "anercorp" / "train.txt"
DEFAULT_DEV = ROOT / "rasid" / "data" / "models" / "ner" / "dev.txt"
PERCENTILES = (100.0, 99.999, 99.99, 99.9)


def train_sentences(train: Path, dev: Path, offset: int, step: int = 8) -> list[list[str]]:
    """Every `step`-th sentence (from `offset`) of the training part: `train` minus its last
    len(dev) sentences, which must be the dev split."""
    from rasid.evaluate.ner import read_conll

    sents, held = read_conll(train), read_conll(dev)
    if sents[-len(held):] != held:
        sys.exit(f"{dev} is not the last {len(held)} sentences of {train}: calibrating needs "
                 "the training part without the dev split")
    return [[w for w, _ in s] for s in sents[:-len(held)][offset::step]]


def feeds(sentences: list[list[str]]):
    """(emb, mask) onnxruntime inputs, batched as rasid/extract/ner/tuned.py batches them."""
    from rasid.extract.ner.encoder import get_encoder
    from rasid.extract.ner.tuned import graph_inputs, length_batches, windows

    enc = get_encoder(0)
    seqs = sorted(([enc.bos, *ids, enc.eos] for s in sentences
                   for _, ids, _ in windows(s, lambda w: enc.pieces_of(w) or (enc.unk,))), key=len)
    for batch in length_batches([len(s) for s in seqs]):
        yield graph_inputs(enc, [seqs[k] for k in batch])


def _session(model):
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.log_severity_level = 3  # the float twin's unused constants are not worth a warning
    return ort.InferenceSession(model.SerializeToString(), opts, providers=["CPUExecutionProvider"])


def token_ranges(dynamic, sentences) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each dynamically quantised tensor's per-token minima and maxima over `sentences`."""
    from onnx import TensorProto, helper

    model = _copy(dynamic)
    names = [n.input[0] for n in model.graph.node
             if n.op_type == "DynamicQuantizeLinear" or n.name.endswith(".fo_mm")]
    model.graph.output.extend(helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in names)
    session = _session(model)
    lows: dict[str, list] = {n: [] for n in names}
    highs: dict[str, list] = {n: [] for n in names}
    for emb, mask in feeds(sentences):
        real = mask.astype(bool)
        for name, value in zip(names, session.run(names, {"emb": emb, "mask": mask})):
            lows[name].append(value[real].min(-1))
            highs[name].append(value[real].max(-1))
    return {n: (np.concatenate(lows[n]), np.concatenate(highs[n])) for n in names}


def _copy(model):
    import onnx

    out = onnx.ModelProto()
    out.CopyFrom(model)
    return out


def staticise(dynamic, ranges, percentile: float, ffn_out: bool = False):
    """The dynamic graph with fixed activation scales (uint8, zero point where 0 falls) and fused
    integer MatMuls; with `ffn_out`, each layer's float32 feed-forward output MatMul too becomes
    int8 (weights per output channel, GELU activations at a fixed scale)."""
    import onnx
    from onnx import helper, numpy_helper

    model = _copy(dynamic)
    graph = model.graph
    weights = {i.name: i for i in graph.initializer}
    nodes = []

    def quantise(x: str, out: str, scale_name: str, zero_name: str) -> None:
        lows, highs = ranges[x]
        low = min(0.0, float(np.percentile(lows, 100.0 - percentile)))
        high = max(0.0, float(np.percentile(highs, percentile)))
        scale = (high - low) / 255.0 or 1.0
        zero = int(np.clip(np.rint(-low / scale), 0, 255))
        graph.initializer.extend([numpy_helper.from_array(np.array(scale, np.float32), scale_name),
                                  numpy_helper.from_array(np.array(zero, np.uint8), zero_name)])
        nodes.append(helper.make_node("QuantizeLinear", [x, scale_name, zero_name], [out], name=out))

    for node in graph.node:
        if node.op_type == "DynamicQuantizeLinear":
            quantise(node.input[0], *node.output)
        elif ffn_out and node.name.endswith(".fo_mm"):
            x, w = node.input
            quantise(x, x + "_quantized", x + "_scale", x + "_zero_point")
            value = numpy_helper.to_array(weights[w])
            w_scale = (np.abs(value).max(0) / 127.0).astype(np.float32)
            w_scale[w_scale == 0] = 1.0
            graph.initializer.remove(weights[w])
            graph.initializer.extend([
                numpy_helper.from_array(np.clip(np.rint(value / w_scale), -127, 127).astype(np.int8),
                                        w + "_quantized"),
                numpy_helper.from_array(w_scale, w + "_scale"),
                numpy_helper.from_array(np.zeros(len(w_scale), np.int8), w + "_zero_point")])
            nodes.extend([
                helper.make_node("Mul", [x + "_scale", w + "_scale"], [node.name + "_scales"],
                                 name=node.name + "_scales"),
                helper.make_node("MatMulInteger", [x + "_quantized", w + "_quantized",
                                                   x + "_zero_point", w + "_zero_point"],
                                 [node.name + "_int"], name=node.name + "_int"),
                helper.make_node("Cast", [node.name + "_int"], [node.name + "_cast"],
                                 name=node.name + "_cast", to=onnx.TensorProto.FLOAT),
                helper.make_node("Mul", [node.name + "_cast", node.name + "_scales"],
                                 [node.output[0]], name=node.output[0])])
        else:
            nodes.append(node)
    del graph.node[:]
    graph.node.extend(_fuse_integer_matmuls(nodes))
    onnx.checker.check_model(model)
    return model


def _fuse_integer_matmuls(nodes: list) -> list:
    """`MatMulInteger → Cast → Mul(a_scale × b_scale) → Add(bias)` as one MatMulIntegerToFloat."""
    from onnx import helper

    made = {o: n for n in nodes for o in n.output}
    users: dict[str, list] = {}
    for n in nodes:
        for i in n.input:
            users.setdefault(i, []).append(n)
    replace, drop = {}, set()
    for mm in (n for n in nodes if n.op_type == "MatMulInteger"):
        cast = users[mm.output[0]][0]
        mul = users[cast.output[0]][0]
        add = users[mul.output[0]][0]
        scales = made[next(i for i in mul.input if i != cast.output[0])]
        bias = next(i for i in add.input if i != mul.output[0])
        replace[id(mm)] = helper.make_node(
            "MatMulIntegerToFloat", [mm.input[0], mm.input[1], *scales.input, mm.input[2],
                                     mm.input[3], bias],
            [add.output[0]], name=add.output[0], domain="com.microsoft")
        drop |= {id(cast), id(mul), id(add), id(scales)}
    return [replace.get(id(n), n) for n in nodes if id(n) not in drop]


def float_twin(dynamic):
    """The dynamic graph's int8 weights, dequantised, as a float32 graph (tools/ner_onnx.py):
    the reference the calibration is measured against."""
    import onnx
    from onnx import numpy_helper

    sys.path.insert(0, str(ROOT / "tools"))
    import ner_onnx

    from rasid.extract.ner.encoder import get_encoder

    arrays = {i.name: numpy_helper.to_array(i) for i in dynamic.graph.initializer}
    weights = {}
    for name, value in arrays.items():
        if name.endswith("_quantized"):
            base = name[:-len("_quantized")]
            weights[base] = ((value.astype(np.float32) - arrays[base + "_zero_point"])
                             * arrays[base + "_scale"]).astype(np.float32)
        elif name.startswith(("l", "head")) and not name.endswith(("_scale", "_zero_point")):
            weights[name] = value
    enc = get_encoder(0)
    meta = {p.key: p.value for p in dynamic.metadata_props}
    return ner_onnx.build(weights, enc.NH, enc.eps, meta["labels"].split())


def logit_error(model, reference, sentences) -> float:
    """Mean squared difference of the two graphs' logits over the real pieces of `sentences`."""
    a, b = _session(model), _session(reference)
    total, n = 0.0, 0
    for emb, mask in feeds(sentences):
        real = mask.astype(bool)
        x = a.run(["logits"], {"emb": emb, "mask": mask})[0][real]
        y = b.run(["logits"], {"emb": emb, "mask": mask})[0][real]
        total += float(((x - y) ** 2).sum())
        n += x.size
    return total / n


def main(argv: list[str] | None = None) -> int:
    import onnx

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dynamic", type=Path, help="the int8 graph tools/ner_onnx.py writes")
    parser.add_argument("out", type=Path, help="the static .onnx file to write")
    parser.add_argument("--percentiles", type=float, nargs="+", default=list(PERCENTILES))
    parser.add_argument("--train", type=Path, default=DEFAULT_TRAIN)
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV)
    args = parser.parse_args(argv)
    if not args.dynamic.is_file():
        sys.exit(f"{args.dynamic} not found: export one with tools/ner_onnx.py or "
                 "tools/train_ner_finetune.py")
    dynamic = onnx.load(str(args.dynamic))
    if not any(n.op_type == "DynamicQuantizeLinear" for n in dynamic.graph.node):
        sys.exit(f"{args.dynamic} has no dynamically quantised MatMul (already static, or float32)")
    calibration = train_sentences(args.train, args.dev, 0)
    check = train_sentences(args.train, args.dev, 4)
    ranges = token_ranges(dynamic, calibration)
    reference = float_twin(dynamic)
    print(f"calibration: {len(calibration)} training sentences; check: {len(check)} others")
    print(f"{'percentile':>10} {'logit MSE vs float32':>21}")
    best = None
    for pct in args.percentiles:
        model = staticise(dynamic, ranges, pct)
        error = logit_error(model, reference, check)
        print(f"{pct:10g} {error:21.5f}", flush=True)
        if best is None or error < best[0]:
            best = (error, pct, model)
    print(f"{'dynamic':>10} {logit_error(dynamic, reference, check):21.5f}")
    _, pct, model = best
    onnx.helper.set_model_props(model, {**{p.key: p.value for p in model.metadata_props},
                                        "activations": f"static, percentile {pct:g}"})
    onnx.save(model, str(args.out))
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB), percentile {pct:g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
