#!/usr/bin/env bash
# Validates every deployment artifact with a real validator: the container
# image (hadolint, checkov), the Compose files (the compose-spec schema),
# Prometheus, Alertmanager and Grafana configuration (promtool: rules and
# their unit tests, amtool), Kubernetes, Terraform and the GitHub workflows
# (their own check scripts). Installs the validators itself.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(bash scripts/deploy-tools.sh)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

step() { echo "check-deploy: $*"; }

step "Dockerfile (hadolint, checkov)"
"$bin/hadolint" deploy/docker/Dockerfile
"$bin/checkov" --quiet --compact --skip-download --framework dockerfile \
    -f deploy/docker/Dockerfile >"$work/checkov-docker.txt" || { cat "$work/checkov-docker.txt"; exit 1; }

step "Compose (compose-spec schema)"
"$bin/check-jsonschema" --builtin-schema vendor.compose-spec \
    deploy/compose/compose.yaml deploy/compose/compose.sqlite.yaml

step "YAML (yamllint)"
"$bin/yamllint" -s -d '{extends: relaxed, rules: {line-length: disable}}' \
    deploy/compose deploy/prometheus deploy/alertmanager deploy/grafana

step "Prometheus configuration and alert rules (promtool)"
sed "s#/etc/prometheus/alerts.yml#$PWD/deploy/prometheus/alerts.yml#" \
    deploy/prometheus/prometheus.yml >"$work/prometheus.yml"
promtool check config "$work/prometheus.yml" >/dev/null
promtool check rules deploy/prometheus/alerts.yml >/dev/null
promtool test rules deploy/prometheus/alerts.test.yml

step "Alertmanager (amtool)"
amtool check-config deploy/alertmanager/alertmanager.yml >/dev/null

step "Grafana dashboards (JSON)"
for f in deploy/grafana/dashboards/*.json; do
    python3 -m json.tool "$f" >/dev/null
done

for check in deploy/k8s/check.sh deploy/terraform/check.sh .github/check.sh; do
    if [ -f "$check" ]; then
        step "$check"
        bash "$check" "$bin"
    fi
done
step "all deployment artifacts pass"
