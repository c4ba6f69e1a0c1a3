"""The dense-vs-sparse separation script: its AUC and the clusterer-feature matrix."""

from __future__ import annotations

import numpy as np
from eval.ecbplus_dense import auc, sparse_matrix


def test_auc_counts_ordered_pairs_and_halves_ties() -> None:
    labels = np.array([True, False, True, False])
    # positives 0.9 and 0.5, negatives 0.5 and 0.1: 3 pairs ordered, 1 tied -> 3.5 / 4
    assert auc(labels, np.array([0.9, 0.5, 0.5, 0.1])) == 0.875
    assert auc(labels, np.array([1.0, 0.0, 1.0, 0.0])) == 1.0


def test_sparse_rows_are_unit_and_closer_within_a_story() -> None:
    records = [
        {"text": "Quake hits Qeshm island off Iran\nA 5.6 magnitude earthquake hit Qeshm."},
        {"text": "Earthquake jolts Qeshm\nThe 5.6 quake struck Qeshm island near Iran."},
        {"text": "Angels offer Teixeira eight years\nThe Angels made an offer to Mark Teixeira."},
    ]
    rows = sparse_matrix(records)
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0)
    sim = rows @ rows.T
    assert sim[0, 1] > sim[0, 2] and sim[0, 1] > sim[1, 2]
