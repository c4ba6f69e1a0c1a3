#!/usr/bin/env bash
# Set up, run storyline on the bundled examples, and write the report to out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
rm -f out/storyline.db out/storyline.db-wal out/storyline.db-shm
mkdir -p out
.venv/bin/storyline run examples/ --db out/storyline.db
.venv/bin/storyline export briefs --db out/storyline.db --out out/briefs.json
.venv/bin/storyline report --db out/storyline.db --out out/report
echo "open out/report/index.html"
