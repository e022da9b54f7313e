#!/usr/bin/env bash
# Validates the GitHub Actions workflows without running them:
#   1. actionlint: workflow syntax, expressions and contexts, action inputs,
#      reusable workflow inputs, and every run: block through shellcheck;
#   2. yamllint;
#   3. this repository's rules: minimal top-level permissions, a concurrency
#      group, a timeout on every job, actions pinned to a version or commit
#      (never a branch);
#   4. checkov's GitHub Actions checks.
#
# Usage: bash .github/check.sh BIN_DIR
#   BIN_DIR holds actionlint, yamllint, checkov and python (with PyYAML),
#   e.g. the output of `bash scripts/deploy-tools.sh`.
set -euo pipefail
bin="${1:?usage: check.sh BIN_DIR (e.g. \$(bash scripts/deploy-tools.sh))}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

# actionlint checks run: blocks only when shellcheck is installed.
if ! command -v shellcheck >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "== installing shellcheck (for actionlint's run: checks)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends shellcheck >/dev/null
    else
        echo "shellcheck is missing: install it so that actionlint checks the run: blocks" >&2
        exit 1
    fi
fi

echo "== workflows: actionlint (with $(shellcheck --version | sed -n 's/^version: /shellcheck /p'))"
"$bin/actionlint" -shellcheck="$(command -v shellcheck)" -pyflakes= .github/workflows/*.yml
echo "actionlint: ok"

echo "== workflows: yamllint"
"$bin/yamllint" -s -d '{extends: default, rules: {line-length: {max: 160}, truthy: {check-keys: false}, document-start: disable}}' \
    .github/workflows
echo "yamllint: ok"

echo "== workflows: permissions, concurrency, timeouts, pinned actions"
"$bin/python" - .github/workflows/*.yml <<'PY'
import re
import sys

import yaml

PINNED = re.compile(r"^[^@\s]+@(v\d+(\.\d+){0,2}|\d+\.\d+\.\d+|[0-9a-f]{40})$")
errors = []
for path in sys.argv[1:]:
    with open(path) as f:
        wf = yaml.safe_load(f)
    perms = wf.get("permissions")
    if perms is None:
        errors.append(f"{path}: no top-level permissions: (the default token can write)")
    elif perms == "write-all" or (isinstance(perms, dict) and any(v == "write" for v in perms.values())):
        errors.append(f"{path}: top-level permissions grant write; grant it per job")
    jobs = wf.get("jobs", {})
    if "concurrency" not in wf and not all("concurrency" in j or "uses" in j for j in jobs.values()):
        errors.append(f"{path}: no concurrency group")
    for name, job in jobs.items():
        if "uses" in job:
            continue  # a reusable workflow's jobs carry their own timeouts
        if "timeout-minutes" not in job:
            errors.append(f"{path}: job {name} has no timeout-minutes")
        for step in job.get("steps", []):
            uses = step.get("uses")
            if uses and not uses.startswith(("./", "docker://")) and not PINNED.match(uses):
                errors.append(f"{path}: job {name}: {uses} is not pinned to a version or commit")
for e in errors:
    print("  ERROR", e)
print(f"{len(sys.argv) - 1} workflows: " + ("ok" if not errors else f"{len(errors)} error(s)"))
sys.exit(1 if errors else 0)
PY

echo "== workflows: checkov"
"$bin/checkov" -d .github --framework github_actions --skip-download --quiet --compact
echo "workflow checks: ok"
