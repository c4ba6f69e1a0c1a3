"""Evaluation of storyline on the public gold sets in ../shared/eval (one module per set)."""
