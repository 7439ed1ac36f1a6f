#!/usr/bin/env bash
# Creates .venv at the repo root and installs healthqa with its test tools. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test,eval]'
