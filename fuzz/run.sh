#!/bin/sh
# Fuzz the parser, checks and writers for SECONDS (default 600) from the seed corpus.
# Usage: fuzz/run.sh [SECONDS]   (needs: pip install atheris)
set -eu
cd "$(dirname "$0")"
mkdir -p work crashes
exec "${PYTHON:-python}" fuzz_parse.py -max_total_time="${1:-600}" \
    -artifact_prefix=crashes/ -print_final_stats=1 work corpus
