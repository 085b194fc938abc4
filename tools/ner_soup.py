"""Average the float32 weights of several tuned NER runs into one model (a uniform "model soup").

    python tools/ner_soup.py /work/ner4-runs/seed13.npz /work/ner3-runs/seed7.npz --out soup.npz
    python tools/ner_onnx.py soup.npz soup-dynamic.onnx
    python tools/ner_static.py soup-dynamic.onnx soup.onnx

Each input is the `.npz` that `tools/train_ner_finetune.py --weights-out` writes. Runs of one
recipe that start from the same e5 weights and differ only in their seed stay close enough in
weight space that their mean is a model of its own, as fast as either (the same graph) and often
better than each; a logit ensemble would cost one encoder pass per run. Every input must hold the
same arrays (names, shapes, dtypes); each array of the soup is their plain mean, computed in
float64 and stored in the inputs' dtype. Build-time only (numpy).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rasid.errors import InputError  # noqa: E402


def load(path: Path) -> dict[str, np.ndarray]:
    """The arrays of one `.npz` weights file, or an InputError naming it."""
    if not path.is_file():
        raise InputError(f"{path} not found: train a run with tools/train_ner_finetune.py "
                         "--weights-out FILE")
    try:
        with np.load(path, allow_pickle=False) as z:
            return {k: z[k] for k in z.files}
    except (OSError, ValueError) as e:
        raise InputError(f"{path} is not an .npz of weights ({e}): give the file "
                         "tools/train_ner_finetune.py --weights-out writes") from None


def check_alike(first: tuple[Path, dict], other: tuple[Path, dict]) -> None:
    """Raise an InputError unless both runs hold the same arrays, by name, shape and dtype."""
    (p, a), (q, b) = first, other
    if a.keys() != b.keys():
        only_a, only_b = sorted(a.keys() - b.keys()), sorted(b.keys() - a.keys())
        raise InputError(f"{q} and {p} hold different arrays (only in {p}: {only_a[:5]}; only in "
                         f"{q}: {only_b[:5]}): average runs of one architecture (same --layers)")
    for k in a:
        if a[k].shape != b[k].shape or a[k].dtype != b[k].dtype:
            raise InputError(f"{q}: {k} is {b[k].dtype}{list(b[k].shape)}, but "
                             f"{a[k].dtype}{list(a[k].shape)} in {p}: average runs of one "
                             "architecture (same --layers and model)")


def soup(runs: list[tuple[Path, dict[str, np.ndarray]]]) -> dict[str, np.ndarray]:
    """The element-wise mean of the runs' arrays (each `(path, arrays)`; the path names errors)."""
    if len(runs) < 2:
        raise InputError(f"a soup needs two runs or more, got {len(runs)}: name several .npz files")
    for other in runs[1:]:
        check_alike(runs[0], other)
    first = runs[0][1]
    return {k: np.mean([r[k] for _, r in runs], axis=0, dtype=np.float64).astype(first[k].dtype)
            for k in first}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("weights", type=Path, nargs="+", help=".npz files from --weights-out")
    parser.add_argument("--out", type=Path, required=True, help="the averaged .npz to write")
    args = parser.parse_args(argv)
    try:
        mean = soup([(p, load(p)) for p in args.weights])
    except InputError as e:
        sys.exit(str(e))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(args.out, **mean)
    print(f"wrote {args.out}: the mean of {len(args.weights)} runs, {len(mean)} arrays, "
          f"{sum(v.size for v in mean.values()):,} weights")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
