#!/usr/bin/env bash
# Validates deploy/terraform without an AWS account (and, here, without
# provider plugins):
#   1. every .tf/.tfvars/.hcl file parses (python-hcl2), every variable,
#      local, resource and data source used is declared, every tfvars key is
#      a declared variable of the right type, and the variables' validations
#      and preconditions hold for each environment (check_vars.py);
#   2. every inline checkov skip carries a written reason;
#   3. checkov's Terraform checks pass (skips are inline, with reasons);
#   4. where a terraform binary is on PATH: terraform fmt -check, and
#      terraform validate of both modules when the provider registry can be
#      reached (it cannot be here; in CI it must be).
#
# Usage: bash deploy/terraform/check.sh BIN_DIR
#   BIN_DIR holds python (with python-hcl2) and checkov, e.g. the output of
#   `bash scripts/deploy-tools.sh`.
set -euo pipefail
bin="${1:?usage: check.sh BIN_DIR (e.g. \$(bash scripts/deploy-tools.sh))}"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

echo "== terraform: parse and cross-check variables (check_vars.py)"
"$bin/python" "$here/check_vars.py" "$here"

echo "== terraform: every checkov skip has a reason"
unexplained="$(grep -rnE 'checkov:skip=' "$here" --include='*.tf' \
    | grep -vE 'checkov:skip=CKV2?_[A-Z0-9]+_[0-9]+:[^[:space:]].{19,}' || true)"
if [ -n "$unexplained" ]; then
    echo "checkov skips without a reason (write #checkov:skip=CKV_..:why):" >&2
    echo "$unexplained" >&2
    exit 1
fi
echo "$(grep -rc 'checkov:skip=' "$here" --include='*.tf' | awk -F: '{s+=$2} END {print s}') skips, each with a reason"

echo "== terraform: checkov"
(cd "$repo" && "$bin/checkov" -d deploy/terraform --framework terraform --skip-download --quiet --compact)

if command -v terraform >/dev/null 2>&1; then
    # A TF_CLI_CONFIG_FILE that does not exist only makes terraform warn.
    if [ -n "${TF_CLI_CONFIG_FILE:-}" ] && [ ! -e "$TF_CLI_CONFIG_FILE" ]; then
        unset TF_CLI_CONFIG_FILE
    fi
    echo "== terraform: fmt ($(terraform version | head -1))"
    terraform -chdir="$here" fmt -check -recursive -diff
    echo "fmt: ok"

    # validate needs the providers, so the registry; it runs in a copy so
    # that no .terraform/ or lock file is left behind.
    echo "== terraform: validate"
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    cp -r "$here/." "$work/"
    rm -rf "$work/.terraform" "$work/bootstrap/.terraform"
    for module in "$work" "$work/bootstrap"; do
        name="${module#"$work"}"
        if terraform -chdir="$module" init -backend=false -input=false -no-color >"$work/init.log" 2>&1; then
            terraform -chdir="$module" validate -no-color
        elif [ "${GITHUB_ACTIONS:-}" = "true" ]; then
            cat "$work/init.log" >&2
            echo "terraform init failed in CI" >&2
            exit 1
        else
            echo "validate skipped for .${name:-/}: the provider registry is not reachable from here (CI runs it)"
        fi
    done
else
    echo "== terraform: no terraform binary; fmt and validate run in CI"
fi
echo "terraform checks: ok"
