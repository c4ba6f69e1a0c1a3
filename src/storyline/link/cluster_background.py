"""Build the bundled background document frequencies (aggregated counts only, never text).

Usage: ``python -m storyline.link.cluster_background TEXT_DIR OUT.json.gz`` — TEXT_DIR holds
``.txt`` articles from a set marked for training (the shipped file uses PolNeAR ``train/text``).
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

from storyline.errors import InputError
from storyline.link.features import FeatureWeights, article_features, extract_dates

__all__ = ["build_background"]


def build_background(text_dir: Path, min_df: int = 2) -> dict[str, object]:
    """Return ``{"n_docs", "df"}`` over the ``.txt`` files of ``text_dir`` (features seen ≥ min_df)."""
    files = sorted(text_dir.glob("*.txt"))
    if not files:
        raise InputError(f"{text_dir}: no .txt files to count")
    df: dict[str, int] = {}
    weights = FeatureWeights()
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        feats = article_features(text, None, None, extract_dates(text[:2000]), weights)
        for f in feats:
            df[f] = df.get(f, 0) + 1
    kept = {k: v for k, v in sorted(df.items()) if v >= min_df}
    return {"n_docs": len(files), "df": kept}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: count TEXT_DIR and write OUT as gzip JSON."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 1
    data = build_background(Path(args[0]))
    with gzip.open(args[1], "wt", encoding="utf-8") as fh:
        json.dump(data, fh, separators=(",", ":"))
    print(f"{data['n_docs']} documents, {len(data['df'])} features -> {args[1]}")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
