#!/usr/bin/env bash
# Validates the Kubernetes manifests in deploy/k8s without a cluster.
#
#   bash deploy/k8s/check.sh "$(bash scripts/deploy-tools.sh)"
#
# $1 is the validators' bin dir (yamllint, checkov, kubernetes-validate and a
# python with PyYAML, as scripts/deploy-tools.sh installs them). It runs:
#   1. yamllint --strict on every YAML file here (.yamllint.yaml);
#   2. check_kustomize.py: every kustomization's resources, patches and
#      generator files exist, every patch hits an object, and the objects agree
#      with each other and with docs/operations.md (port, probes, HEARTH_*
#      names, Secret keys, selectors...);
#   3. each overlay rendered by kustomize (`kustomize build`, or
#      `kubectl kustomize`), then: check_kustomize.py on the output (namespace,
#      image tag, replicas = the autoscaler's minimum...), kubernetes-validate
#      --strict against the Kubernetes API schemas (KUBERNETES_VERSION, the
#      oldest version the manifests support; the ServiceMonitor, a CRD, has no
#      schema there), and checkov on the output;
#   4. checkov on base/ as written.
# Quiet on success apart from one summary line; on failure prints what failed
# and exits 1. With neither kustomize nor kubectl, step 3 is left out and the
# summary says so.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
bin="${1:?usage: check.sh VALIDATORS_BIN_DIR (see scripts/deploy-tools.sh)}"
bin="$(cd "$bin" && pwd)"
# preStop's sleep action (deployment.yaml) is on by default from 1.30.
KUBERNETES_VERSION=1.30.0

for tool in yamllint checkov kubernetes-validate python; do
    if [ ! -x "$bin/$tool" ]; then
        echo "check.sh: $bin/$tool is missing: run scripts/deploy-tools.sh" >&2
        exit 1
    fi
done

# checkov skips on base/ as written, each for the reason given. The rendered
# overlays are scanned with none of these: there both checks apply and pass.
base_skips=(
    # The base has no namespace on purpose: each overlay sets its own with
    # kustomize `namespace:`.
    CKV_K8S_21
    # The base names the image without a tag on purpose: each overlay sets the
    # release with kustomize `images:`.
    CKV_K8S_14
)
# Skips written into the manifests themselves (checkov.io/skipN annotations)
# must carry a reason: check_kustomize.py refuses one without.

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failed=0
fail() { # what, output file
    echo "check.sh: FAILED: $1" >&2
    cat "$2" >&2
    failed=1
}

# 1. yamllint.
if ! "$bin/yamllint" --strict -f parsable -c "$here/.yamllint.yaml" "$here" >"$work/yamllint" 2>&1; then
    fail "yamllint" "$work/yamllint"
fi
yaml_files=$(find "$here" -name '*.yaml' | wc -l)

# 2 and 3. Render the overlays, then check sources and renders together.
render=()
if command -v kustomize >/dev/null 2>&1; then
    render=(kustomize build)
elif command -v kubectl >/dev/null 2>&1; then
    render=(kubectl kustomize)
fi
rendered_args=()
overlays=()
if [ ${#render[@]} -gt 0 ]; then
    mkdir -p "$work/rendered"
    if ! "${render[@]}" "$here/base" >"$work/base.yaml" 2>"$work/render.err"; then
        fail "${render[*]} base" "$work/render.err"
    fi
    for dir in "$here"/overlays/*/; do
        name="$(basename "$dir")"
        overlays+=("$name")
        if "${render[@]}" "$dir" >"$work/rendered/$name.yaml" 2>"$work/render.err"; then
            rendered_args+=(--rendered "$name=$work/rendered/$name.yaml")
        else
            fail "${render[*]} overlays/$name" "$work/render.err"
        fi
    done
fi
if ! "$bin/python" "$here/check_kustomize.py" "${rendered_args[@]}" >"$work/consistency" 2>&1; then
    fail "check_kustomize.py" "$work/consistency"
fi

checkov() { # output file, checkov arguments...
    local out="$1"
    shift
    "$bin/checkov" --framework kubernetes --skip-download --compact --quiet \
        --output cli "$@" >"$out" 2>&1
}
counts() { # checkov output file -> "passed/failed/skipped"
    sed -n 's/.*Passed checks: \([0-9]*\), Failed checks: \([0-9]*\), Skipped checks: \([0-9]*\).*/\1 passed, \2 failed, \3 skipped/p' "$1" | head -n1
}

render_note="overlays not rendered (no kustomize or kubectl)"
if [ ${#rendered_args[@]} -gt 0 ]; then
    if ! "$bin/kubernetes-validate" -k "$KUBERNETES_VERSION" --strict --quiet --no-warn \
        "$work"/rendered/*.yaml >"$work/schema" 2>&1; then
        fail "kubernetes-validate (Kubernetes $KUBERNETES_VERSION)" "$work/schema"
    fi
    if ! checkov "$work/checkov-rendered" -d "$work/rendered"; then
        fail "checkov on the rendered overlays" "$work/checkov-rendered"
    fi
    render_note="${#overlays[@]} overlays rendered by ${render[*]} (${overlays[*]}): schemas of Kubernetes $KUBERNETES_VERSION, checkov $(counts "$work/checkov-rendered")"
fi

# 4. checkov on the base as written.
skip_list="$(IFS=,; echo "${base_skips[*]}")"
if ! checkov "$work/checkov-base" -d "$here/base" --skip-check "$skip_list"; then
    fail "checkov on base/" "$work/checkov-base"
fi

if [ "$failed" -ne 0 ]; then
    exit 1
fi
echo "deploy/k8s: ok: yamllint ($yaml_files files), kustomizations consistent; $render_note; base: checkov $(counts "$work/checkov-base")"
