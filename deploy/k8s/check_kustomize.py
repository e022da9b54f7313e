#!/usr/bin/env python3
"""Structural and consistency checks of the kustomize tree in deploy/k8s.

It renders nothing: rendering is kustomize's (check.sh runs `kubectl kustomize`
and passes the output here with --rendered). What it checks:

  sources (always):
    - every kustomization.yaml: known fields only; its resources, patch files
      and generator files exist; no Secret and no secretGenerator anywhere;
    - every patch hits an object: a strategic-merge patch names a kind and
      name that its kustomization's resources hold, and its containers exist
      there (a misspelt container name would add a container); a JSON 6902
      patch's target selects at least one object and each op's path resolves
      in every object selected; images: and replicas: name what exists;
    - the base's objects are consistent with each other and with
      docs/operations.md (below);
    - every checkov.io/skipN annotation gives the check and a reason;
  rendered (--rendered NAME=FILE, one per overlay):
    - the same consistency checks on the rendered objects, plus: every
      namespaced object is in the overlay's namespace, the image has a tag or
      a digest, the Deployment's replicas are the overlay's (EXPECTED_REPLICAS)
      and equal the HorizontalPodAutoscaler's minReplicas.

Consistency: port 8787 named http everywhere (container, HEARTH_LISTEN,
Service, Ingress backends, ServiceMonitor, NetworkPolicy); probe and scrape
paths are endpoints that docs/operations.md documents; every HEARTH_* name is
a documented variable, numeric ones whole numbers within their documented
range; the secrets come only from the Secret hearth-server-secrets (keys
database-url, registration-secret); selectors select the server's pods (and
the Service not the migration Job's); the pod's user is the image's
(deploy/docker/Dockerfile USER). Exits 1 listing every problem, 0 silently.
"""

import argparse
import pathlib
import re
import sys

import yaml

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
OPERATIONS = REPO / "docs" / "operations.md"
DOCKERFILE = REPO / "deploy" / "docker" / "Dockerfile"

IMAGE = "ghcr.io/hearth-app/hearth-server"
PORT = 8787
PORT_NAME = "http"
SECRET = "hearth-server-secrets"
SECRET_KEYS = {"HEARTH_DATABASE_URL": "database-url",
               "HEARTH_REGISTRATION_SECRET": "registration-secret"}
EXPECTED_REPLICAS = {"staging": 2, "production": 3}
WEBSOCKET_TIMEOUT = 3600
# Numeric settings and their least value (docs/operations.md, "Configuration").
NUMERIC_MIN = {"HEARTH_DB_POOL_SIZE": 1, "HEARTH_MAX_FRAME_BYTES": 1024,
               "HEARTH_PAIR_PER_MINUTE": 0, "HEARTH_FORWARDED_HOPS": 0,
               "HEARTH_INVITE_TTL_SECS": 1,
               "HEARTH_COMPACT_AFTER": 2, "HEARTH_DOC_IDLE_SECS": 0}
KUSTOMIZATION_FIELDS = {"apiVersion", "kind", "namespace", "labels", "resources",
                        "images", "replicas", "configMapGenerator", "patches",
                        "generatorOptions", "commonAnnotations"}
CLUSTER_SCOPED = {"Namespace"}

problems = []


def problem(where, msg):
    problems.append(f"{where}: {msg}")


def rel(path):
    try:
        return str(pathlib.Path(path).resolve().relative_to(REPO))
    except ValueError:
        return str(path)


def load_docs(path):
    with open(path, encoding="utf-8") as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


# --- what docs/operations.md documents --------------------------------------

OPS = OPERATIONS.read_text(encoding="utf-8")
DOC_VARS = set(re.findall(r"`(HEARTH_[A-Z_]+)`", OPS))
DOC_PATHS = set(re.findall(r"`GET (/[a-z/]+)`", OPS))
_COMMAND_TABLE = OPS.partition("| command | what it does |")[2].partition("\n\n")[0]
DOC_COMMANDS = set(re.findall(r"^\| `([a-z]+)` \|", _COMMAND_TABLE, re.M))
for needed in ("/healthz", "/readyz", "/metrics"):
    if needed not in DOC_PATHS:
        problem(rel(OPERATIONS), f"does not document GET {needed}")
if not {"serve", "migrate"} <= DOC_COMMANDS:
    problem(rel(OPERATIONS), "does not document the serve and migrate commands")


def image_user():
    if not DOCKERFILE.exists():
        return None
    users = re.findall(r"^USER\s+(\d+)(?::(\d+))?\s*$", DOCKERFILE.read_text(), re.M)
    return (int(users[-1][0]), int(users[-1][1] or users[-1][0])) if users else None


# --- kustomizations ---------------------------------------------------------

def env_file(path):
    out = {}
    for line in pathlib.Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            out[name] = value
    return out


def generated_configmaps(kdir, kust):
    """name -> data of the kustomization's own configMapGenerator entries."""
    out = {}
    for gen in kust.get("configMapGenerator") or []:
        data = {}
        for f in gen.get("envs") or []:
            if (kdir / f).exists():
                data.update(env_file(kdir / f))
        for lit in gen.get("literals") or []:
            name, _, value = lit.partition("=")
            data[name] = value
        out[gen["name"]] = data
    return out


def objects_of(kdir, seen=None):
    """The objects a kustomization's resources hold, unpatched, and its
    generated ConfigMaps (merged down the tree), as (objects, configmaps)."""
    seen = seen or set()
    kdir = kdir.resolve()
    if kdir in seen:
        problem(rel(kdir), "kustomization cycle")
        return [], {}
    seen = seen | {kdir}
    kfile = kdir / "kustomization.yaml"
    if not kfile.exists():
        return [], {}
    kust = yaml.safe_load(kfile.read_text(encoding="utf-8")) or {}
    objs, cms = [], {}
    for res in kust.get("resources") or []:
        p = kdir / res
        if p.is_dir():
            o, c = objects_of(p, seen)
            objs += o
            for name, data in c.items():
                cms.setdefault(name, {}).update(data)
        elif p.is_file():
            objs += load_docs(p)
    for name, data in generated_configmaps(kdir, kust).items():
        cms.setdefault(name, {}).update(data)
    return objs, cms


def resolve_pointer(doc, pointer):
    """True if the JSON pointer resolves in doc."""
    cur = doc
    for part in pointer.lstrip("/").split("/") if pointer != "/" else []:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        elif isinstance(cur, list) and part.isdigit() and int(part) < len(cur):
            cur = cur[int(part)]
        else:
            return False
    return True


def selects(target, obj):
    api = obj.get("apiVersion", "")
    group, _, version = api.rpartition("/")
    md = obj.get("metadata") or {}
    return all([
        target.get("kind") in (None, obj.get("kind")),
        target.get("name") in (None, md.get("name")),
        target.get("group") in (None, group),
        target.get("version") in (None, version),
    ])


def containers(obj):
    spec = ((obj.get("spec") or {}).get("template") or {}).get("spec") or {}
    return spec.get("containers") or []


def check_patch(where, patch, target, objs):
    if isinstance(patch, list):  # JSON 6902
        if not target:
            problem(where, "a JSON 6902 patch needs a target")
            return
        hit = [o for o in objs if selects(target, o)]
        if not hit:
            problem(where, f"target {target} selects no object")
        for op in patch:
            path = op.get("path", "")
            need = path if op.get("op") in ("replace", "remove", "test") \
                else path.rsplit("/", 1)[0] or "/"
            for o in hit:
                if not resolve_pointer(o, need):
                    problem(where, f"{op.get('op')} {path}: not in "
                                   f"{o['kind']}/{o['metadata']['name']}")
        return
    if not isinstance(patch, dict):
        problem(where, "a patch is neither an object nor a list of operations")
        return
    kind, name = patch.get("kind"), (patch.get("metadata") or {}).get("name")
    hit = [o for o in objs if o.get("kind") == kind
           and o.get("metadata", {}).get("name") == name
           and (not target or selects(target, o))]
    if not hit:
        problem(where, f"patches {kind}/{name}, which the resources do not hold")
        return
    have = {c.get("name") for o in hit for c in containers(o)}
    for c in containers(patch):
        if c.get("name") not in have:
            problem(where, f"container {c.get('name')!r} is not in {kind}/{name}")


def check_kustomization(kfile):
    where = rel(kfile)
    kdir = kfile.parent
    kust = yaml.safe_load(kfile.read_text(encoding="utf-8")) or {}
    for field in set(kust) - KUSTOMIZATION_FIELDS:
        problem(where, f"unexpected field {field!r}"
                + (" (secrets are made in the cluster, README.md)"
                   if field == "secretGenerator" else ""))
    for res in kust.get("resources") or []:
        p = kdir / res
        if not (p.is_file() or (p / "kustomization.yaml").is_file()):
            problem(where, f"resource {res!r} does not exist")
    for gen in kust.get("configMapGenerator") or []:
        for f in (gen.get("envs") or []) + (gen.get("files") or []):
            if not (kdir / f).is_file():
                problem(where, f"configMapGenerator file {f!r} does not exist")
    objs, cms = objects_of(kdir)
    # Patches apply to what the resources hold, before this level's patches.
    base_objs = [o for res in kust.get("resources") or []
                 for o in (objects_of(kdir / res)[0] if (kdir / res).is_dir()
                           else load_docs(kdir / res) if (kdir / res).is_file() else [])]
    for gen in kust.get("configMapGenerator") or []:
        if gen.get("behavior") == "merge" and gen["name"] not in objects_of_cms(kdir, kust):
            problem(where, f"merges ConfigMap {gen['name']!r}, which no base generates")
    for i, entry in enumerate(kust.get("patches") or []):
        pw = f"{where} patches[{i}]"
        if "path" in entry:
            p = kdir / entry["path"]
            if not p.is_file():
                problem(pw, f"{entry['path']!r} does not exist")
                continue
            docs = load_docs(p)
            pw = rel(p)
        elif "patch" in entry:
            docs = [yaml.safe_load(entry["patch"])]
        else:
            problem(pw, "has neither path nor patch")
            continue
        for doc in docs:
            check_patch(pw, doc, entry.get("target"), base_objs)
    used_images = {c.get("image", "").split("@")[0].split(":")[0]
                   for o in objs for c in containers(o)}
    for img in kust.get("images") or []:
        if img.get("name") not in used_images:
            problem(where, f"images: {img.get('name')!r} is used by no container")
        if not (img.get("newTag") or img.get("digest")):
            problem(where, f"images: {img.get('name')!r} sets no tag or digest")
    for rep in kust.get("replicas") or []:
        if not any(o.get("kind") == "Deployment" and o["metadata"]["name"] == rep.get("name")
                   for o in objs):
            problem(where, f"replicas: no Deployment {rep.get('name')!r}")
    return objs, cms


def objects_of_cms(kdir, kust):
    names = set()
    for res in kust.get("resources") or []:
        if (kdir / res).is_dir():
            names |= set(objects_of(kdir / res)[1])
    return names


# --- consistency of a set of objects ----------------------------------------

def by_kind(objs, kind):
    return [o for o in objs if o.get("kind") == kind]


def matches(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def pod_spec(obj):
    return ((obj.get("spec") or {}).get("template") or {}).get("spec") or {}


def pod_labels(obj):
    return (((obj.get("spec") or {}).get("template") or {}).get("metadata") or {}).get("labels") or {}


def configmap_data(objs, cms, name):
    """The data of the ConfigMap an envFrom names (generated names carry a
    hash suffix once rendered)."""
    if name in cms:
        return cms[name]
    for cm in by_kind(objs, "ConfigMap"):
        if cm["metadata"]["name"] == name:
            return cm.get("data") or {}
    return None


def size_bytes(text):
    m = re.fullmatch(r"(\d+)([kKmMgG]?)", str(text))
    if not m:
        return None
    return int(m.group(1)) * {"": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}[m.group(2).lower()]


def check_settings(where, env):
    """env: HEARTH_* name -> literal value."""
    for name, value in env.items():
        if name not in DOC_VARS:
            problem(where, f"{name} is not a variable docs/operations.md documents")
        if name in SECRET_KEYS:
            problem(where, f"{name} is a secret: it must come from the Secret {SECRET}")
        if name in NUMERIC_MIN:
            if not re.fullmatch(r"\d+", str(value)):
                problem(where, f"{name}={value!r} is not a whole number")
            elif int(value) < NUMERIC_MIN[name]:
                problem(where, f"{name}={value} is below {NUMERIC_MIN[name]}")
    if env.get("HEARTH_LOG_FORMAT", "json") != "json":
        problem(where, "HEARTH_LOG_FORMAT must be json")


def check_container(where, c, objs, cms, want_args):
    image = c.get("image", "")
    if image.split("@")[0].rsplit(":", 1)[0] != IMAGE and image.split("@")[0] != IMAGE:
        problem(where, f"image {image!r} is not {IMAGE}")
    if c.get("args") != want_args:
        problem(where, f"args {c.get('args')} are not {want_args}")
    for a in want_args[:1]:
        if a not in DOC_COMMANDS:
            problem(where, f"command {a!r} is not documented")
    literal = {}
    for e in c.get("env") or []:
        name = e.get("name", "")
        ref = (e.get("valueFrom") or {}).get("secretKeyRef")
        if ref:
            if ref.get("name") != SECRET or SECRET_KEYS.get(name) != ref.get("key"):
                problem(where, f"{name} comes from {ref.get('name')}/{ref.get('key')}, "
                               f"not {SECRET}/{SECRET_KEYS.get(name)}")
        elif name.startswith("HEARTH_"):
            literal[name] = e.get("value", "")
        if name.startswith("HEARTH_") and name not in DOC_VARS:
            problem(where, f"{name} is not a variable docs/operations.md documents")
    if not any(e.get("name") == "HEARTH_DATABASE_URL" for e in c.get("env") or []):
        problem(where, "no HEARTH_DATABASE_URL")
    for src in c.get("envFrom") or []:
        ref = src.get("configMapRef")
        if not ref:
            problem(where, "envFrom other than a ConfigMap")
            continue
        data = configmap_data(objs, cms, ref.get("name"))
        if data is None:
            problem(where, f"envFrom ConfigMap {ref.get('name')!r} does not exist")
        else:
            for k in data:
                if k in literal:
                    problem(where, f"{k} is set both in env and in the ConfigMap")
            check_settings(f"{where} ConfigMap {ref.get('name')}", data)
    check_settings(where, {k: v for k, v in literal.items() if k != "HEARTH_LISTEN"})
    return literal


def check_security(where, spec, c):
    user = image_user()
    psc, csc = spec.get("securityContext") or {}, c.get("securityContext") or {}
    if spec.get("automountServiceAccountToken") is not False:
        problem(where, "automountServiceAccountToken is not false")
    if user and (psc.get("runAsUser"), psc.get("runAsGroup")) != user:
        problem(where, f"runAsUser/runAsGroup are not the image's {user[0]}:{user[1]}")
    want = {"runAsNonRoot": True, "readOnlyRootFilesystem": True,
            "allowPrivilegeEscalation": False}
    for k, v in want.items():
        if csc.get(k) != v:
            problem(where, f"securityContext.{k} is not {v}")
    if (csc.get("capabilities") or {}).get("drop") != ["ALL"]:
        problem(where, "capabilities do not drop ALL")
    if (psc.get("seccompProfile") or csc.get("seccompProfile") or {}).get("type") != "RuntimeDefault":
        problem(where, "seccompProfile is not RuntimeDefault")
    res = c.get("resources") or {}
    for part in ("requests", "limits"):
        for r in ("cpu", "memory"):
            if r not in (res.get(part) or {}):
                problem(where, f"no resources.{part}.{r}")


def check_consistency(where, objs, cms):
    deps = by_kind(objs, "Deployment")
    jobs = by_kind(objs, "Job")
    svcs = by_kind(objs, "Service")
    if len(deps) != 1 or len(jobs) != 1 or len(svcs) != 1:
        problem(where, "expected one Deployment, one Job and one Service")
        return
    dep, job, svc = deps[0], jobs[0], svcs[0]
    dw, jw = f"{where} Deployment/{dep['metadata']['name']}", f"{where} Job/{job['metadata']['name']}"
    spec, jspec = pod_spec(dep), pod_spec(job)
    labels, jlabels = pod_labels(dep), pod_labels(job)

    # The server.
    if len(spec.get("containers") or []) != 1:
        problem(dw, "expected one container")
        return
    c = spec["containers"][0]
    if not matches(dep["spec"].get("selector", {}).get("matchLabels"), labels):
        problem(dw, "selector does not select its own pods")
    ports = c.get("ports") or []
    if [(p.get("name"), p.get("containerPort")) for p in ports] != [(PORT_NAME, PORT)]:
        problem(dw, f"container ports are not one {PORT_NAME}:{PORT}")
    literal = check_container(dw, c, objs, cms, ["serve"])
    if literal.get("HEARTH_LISTEN") != f"0.0.0.0:{PORT}":
        problem(dw, f"HEARTH_LISTEN is not 0.0.0.0:{PORT}")
    for probe, path in (("startupProbe", None), ("livenessProbe", "/healthz"),
                        ("readinessProbe", "/readyz")):
        get = (c.get(probe) or {}).get("httpGet")
        if not get:
            problem(dw, f"no HTTP {probe}")
            continue
        if get.get("path") not in DOC_PATHS or (path and get.get("path") != path):
            problem(dw, f"{probe} GETs {get.get('path')}, want {path or 'a documented path'}")
        if get.get("port") not in (PORT_NAME, PORT):
            problem(dw, f"{probe} port {get.get('port')} is not {PORT_NAME}")
    check_security(dw, spec, c)
    grace = spec.get("terminationGracePeriodSeconds", 30)
    sleep = ((((c.get("lifecycle") or {}).get("preStop") or {}).get("sleep") or {})
             .get("seconds", 0))
    # The server waits up to 5 s for its sockets after SIGTERM.
    if not sleep + 5 < grace <= 60:
        problem(dw, f"terminationGracePeriodSeconds {grace} does not fit preStop {sleep} s + 5 s")
    sa = spec.get("serviceAccountName")
    if sa not in {o["metadata"]["name"] for o in by_kind(objs, "ServiceAccount")}:
        problem(dw, f"serviceAccountName {sa!r} is not a ServiceAccount here")
    if not spec.get("topologySpreadConstraints"):
        problem(dw, "no topologySpreadConstraints")

    # The migration Job: same image, same Secret, the documented command.
    if len(jspec.get("containers") or []) != 1:
        problem(jw, "expected one container")
    else:
        jc = jspec["containers"][0]
        check_container(jw, jc, objs, cms, ["migrate"])
        check_security(jw, jspec, jc)
        if jc.get("image") != c.get("image"):
            problem(jw, f"image {jc.get('image')} is not the server's {c.get('image')}")
    for k in ("backoffLimit", "ttlSecondsAfterFinished"):
        if k not in job["spec"]:
            problem(jw, f"no {k}")
    if jspec.get("restartPolicy") not in ("Never", "OnFailure"):
        problem(jw, "restartPolicy is not Never or OnFailure")

    # Service.
    sw = f"{where} Service/{svc['metadata']['name']}"
    if svc["spec"].get("type", "ClusterIP") != "ClusterIP":
        problem(sw, "is not ClusterIP")
    if not matches(svc["spec"].get("selector"), labels):
        problem(sw, "selector does not select the server's pods")
    if matches(svc["spec"].get("selector"), jlabels):
        problem(sw, "selector also selects the migration Job's pods")
    sports = {p.get("name"): p for p in svc["spec"].get("ports") or []}
    if PORT_NAME not in sports or sports[PORT_NAME].get("targetPort") not in (PORT_NAME, PORT):
        problem(sw, f"no port {PORT_NAME} to targetPort {PORT_NAME}")
    svc_labels = svc["metadata"].get("labels") or {}

    # Ingresses.
    server_env = {}
    for src in c.get("envFrom") or []:
        server_env.update(configmap_data(objs, cms, (src.get("configMapRef") or {}).get("name")) or {})
    server_env.update(literal)
    max_frame = server_env.get("HEARTH_MAX_FRAME_BYTES", "16777216")
    for ing in by_kind(objs, "Ingress"):
        iw = f"{where} Ingress/{ing['metadata']['name']}"
        ann = ing["metadata"].get("annotations") or {}
        rule_hosts = set()
        for rule in ing["spec"].get("rules") or []:
            rule_hosts.add(rule.get("host"))
            for p in (rule.get("http") or {}).get("paths") or []:
                if not p.get("path", "").startswith("/v1"):
                    problem(iw, f"routes {p.get('path')}: only /v1 is public")
                be = (p.get("backend") or {}).get("service") or {}
                port = be.get("port") or {}
                if be.get("name") != svc["metadata"]["name"] or \
                        (port.get("name") or port.get("number")) not in (PORT_NAME, PORT):
                    problem(iw, f"backend {be} is not {svc['metadata']['name']}:{PORT_NAME}")
                if p.get("path") == "/v1" and max_frame:
                    body = size_bytes(ann.get("nginx.ingress.kubernetes.io/proxy-body-size", "1m"))
                    if body is None or body < int(max_frame):
                        problem(iw, "proxy-body-size is below HEARTH_MAX_FRAME_BYTES")
                    for t in ("proxy-read-timeout", "proxy-send-timeout"):
                        v = ann.get(f"nginx.ingress.kubernetes.io/{t}", "60")
                        if not str(v).isdigit() or int(v) < WEBSOCKET_TIMEOUT:
                            problem(iw, f"{t} {v} is below {WEBSOCKET_TIMEOUT} s (WebSockets)")
        tls = ing["spec"].get("tls") or []
        tls_hosts = {h for t in tls for h in t.get("hosts") or []}
        if not tls or not all(t.get("secretName") for t in tls) or not rule_hosts <= tls_hosts:
            problem(iw, "TLS does not cover every host with a secretName")

    # Autoscaler, disruption budget, monitoring, network policy.
    for hpa in by_kind(objs, "HorizontalPodAutoscaler"):
        hw = f"{where} HorizontalPodAutoscaler/{hpa['metadata']['name']}"
        ref = hpa["spec"].get("scaleTargetRef") or {}
        if hpa.get("apiVersion") != "autoscaling/v2" or ref.get("kind") != "Deployment" \
                or ref.get("name") != dep["metadata"]["name"]:
            problem(hw, "does not scale the Deployment with autoscaling/v2")
        if not any(((m.get("resource") or {}).get("name")) == "cpu"
                   for m in hpa["spec"].get("metrics") or []):
            problem(hw, "has no CPU metric")
        if not 1 <= hpa["spec"].get("minReplicas", 1) <= hpa["spec"].get("maxReplicas", 0):
            problem(hw, "minReplicas is not between 1 and maxReplicas")
    for pdb in by_kind(objs, "PodDisruptionBudget"):
        pw = f"{where} PodDisruptionBudget/{pdb['metadata']['name']}"
        if not matches((pdb["spec"].get("selector") or {}).get("matchLabels"), labels):
            problem(pw, "does not select the server's pods")
        if pdb["spec"].get("maxUnavailable") != 1 and pdb["spec"].get("minAvailable") != 1:
            problem(pw, "is neither maxUnavailable 1 nor minAvailable 1")
    for sm in by_kind(objs, "ServiceMonitor"):
        mw = f"{where} ServiceMonitor/{sm['metadata']['name']}"
        if not matches((sm["spec"].get("selector") or {}).get("matchLabels"), svc_labels):
            problem(mw, "does not select the Service")
        for ep in sm["spec"].get("endpoints") or []:
            if ep.get("port") != PORT_NAME or ep.get("path") != "/metrics" \
                    or ep.get("path") not in DOC_PATHS:
                problem(mw, f"endpoint {ep} is not port {PORT_NAME} /metrics")
    nps = by_kind(objs, "NetworkPolicy")
    if not nps:
        problem(where, "no NetworkPolicy")
    for np in nps:
        nw = f"{where} NetworkPolicy/{np['metadata']['name']}"
        sel = (np["spec"].get("podSelector") or {}).get("matchLabels")
        if not (matches(sel, labels) and matches(sel, jlabels)):
            problem(nw, "does not select both the server's and the Job's pods")
        if sorted(np["spec"].get("policyTypes") or []) != ["Egress", "Ingress"]:
            problem(nw, "policyTypes are not Ingress and Egress")
        for rule in np["spec"].get("ingress") or []:
            if {(p.get("protocol"), p.get("port")) for p in rule.get("ports") or []} \
                    - {("TCP", PORT), ("TCP", PORT_NAME)} or not rule.get("ports") \
                    or not rule.get("from"):
                problem(nw, f"an ingress rule is not from given peers to {PORT} only")
        allowed = {("TCP", 5432), ("UDP", 53), ("TCP", 53)}
        for rule in np["spec"].get("egress") or []:
            got = {(p.get("protocol"), p.get("port")) for p in rule.get("ports") or []}
            if not got or got - allowed:
                problem(nw, f"an egress rule allows {sorted(got) or 'every port'}")
    if any(o.get("kind") == "Secret" for o in objs):
        problem(where, "a Secret is committed")
    return dep, by_kind(objs, "HorizontalPodAutoscaler")


def check_rendered(name, path):
    where = f"{name} (rendered)"
    objs = load_docs(path)
    dep_hpa = check_consistency(where, objs, {})
    namespaces = [o["metadata"]["name"] for o in by_kind(objs, "Namespace")]
    if len(namespaces) != 1:
        problem(where, "expected one Namespace")
    else:
        for o in objs:
            if o["kind"] not in CLUSTER_SCOPED and o["metadata"].get("namespace") != namespaces[0]:
                problem(where, f"{o['kind']}/{o['metadata']['name']} is not in {namespaces[0]}")
    for o in objs:
        for c in containers(o):
            ref = c.get("image", "")
            if "@sha256:" not in ref and ":" not in ref.rsplit("/", 1)[-1]:
                problem(where, f"{o['kind']}/{o['metadata']['name']}: image {ref} has no tag")
            if ref.endswith(":latest"):
                problem(where, f"{o['kind']}/{o['metadata']['name']}: image tag latest")
    if dep_hpa:
        dep, hpas = dep_hpa
        replicas = dep["spec"].get("replicas")
        if name in EXPECTED_REPLICAS and replicas != EXPECTED_REPLICAS[name]:
            problem(where, f"Deployment replicas {replicas}, want {EXPECTED_REPLICAS[name]}")
        if replicas is None or replicas < 2:
            problem(where, "fewer than 2 replicas: the disruption budget would block drains")
        for hpa in hpas:
            if hpa["spec"].get("minReplicas") != replicas:
                problem(where, f"HPA minReplicas {hpa['spec'].get('minReplicas')} "
                               f"is not the Deployment's replicas {replicas}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rendered", action="append", default=[], metavar="NAME=FILE",
                    help="kustomize output of overlay NAME")
    args = ap.parse_args()
    for f in sorted(HERE.rglob("*.yaml")):
        for doc in load_docs(f):
            if isinstance(doc, dict) and doc.get("kind") == "Secret":
                problem(rel(f), "a Secret is committed: create it in the cluster (README.md)")
            ann = ((doc.get("metadata") or {}).get("annotations") or {}) \
                if isinstance(doc, dict) else {}
            for key, value in ann.items():
                if key.startswith("checkov.io/skip") and \
                        not re.fullmatch(r"CKV2?_[A-Z0-9_]+=\S.{19,}", str(value).strip(), re.S):
                    problem(rel(f), f"{key}: a skipped check needs CKV_...=<its reason>")
    kfiles = sorted(HERE.rglob("kustomization.yaml"))
    if not kfiles:
        problem(rel(HERE), "no kustomization.yaml")
    for kfile in kfiles:
        objs, cms = check_kustomization(kfile)
        if kfile.parent.name == "base":
            check_consistency(rel(kfile.parent), objs, cms)
    for spec in args.rendered:
        name, _, path = spec.partition("=")
        check_rendered(name, path)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
