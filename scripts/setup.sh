#!/usr/bin/env bash
# Creates .venv at the repo root and installs healthqa with its test tools. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
# eval: the benchmarks' metrics; serve: the HTTP API and page; ray: `serve --ray` and its test;
# browser: Selenium for the page test
.venv/bin/python -m pip install --quiet -e '.[test,eval,serve,ray,browser]'
# axe-core for the page's accessibility test (tests/serving/test_browser.py finds it here);
# skipped without npm, and the test then skips that check.
if command -v npm >/dev/null; then
  npm install --silent --prefix .venv/node --no-save --no-package-lock --no-audit --no-fund \
    axe-core@4 || echo "setup: axe-core not installed; the accessibility check will skip" >&2
fi
