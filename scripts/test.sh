#!/usr/bin/env bash
# Set up and run the whole test suite (lint and types included).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
.venv/bin/ruff check src tests eval bench
.venv/bin/mypy
.venv/bin/python -m pytest -q "$@"
