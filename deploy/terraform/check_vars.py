#!/usr/bin/env python3
"""Static checks of the Terraform under deploy/terraform, for a machine with no
terraform binary (check.sh runs it; `terraform validate` runs in CI).

  python check_vars.py [DIR]        # DIR defaults to this file's directory

1. Parses every .tf, .tfvars and .hcl file with python-hcl2; a parse error fails.
2. Per module (every directory holding .tf files): every var.X used is a
   declared variable and every declared variable is used; the same for
   local.X; every resource and data source referenced is declared.
3. Every environments/<env>.tfvars: each key is a declared variable of the
   root module with a value of its declared type, `environment` matches the
   file name, and every variable without a default is set there or is one the
   deploy pipeline passes (EXTERNAL below).
4. For each environment, the variables' validation conditions and the
   resource preconditions that depend only on variables are evaluated with
   the tfvars over the defaults (what `terraform plan` would check first).
5. backend-<env>.hcl: only S3 backend settings, and the state key and bucket
   name the environment.

Exits 1 on any error; prints what it checked.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import hcl2

# Variables without a default that the deploy pipeline provides outside the
# tfvars files: -var image_tag=<sha>, and TF_VAR_certificate_arn from the
# GitHub environment. Sample values stand in for them when conditions are
# evaluated.
EXTERNAL = {
    "image_tag": "0123456789abcdef0123456789abcdef01234567",
    "certificate_arn": "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000",
}

S3_BACKEND_KEYS = {
    "bucket", "key", "region", "dynamodb_table", "encrypt", "kms_key_id",
    "use_lockfile", "workspace_key_prefix", "profile", "role_arn", "assume_role", "acl",
}

REF_VAR = re.compile(r"\bvar\.([A-Za-z_][\w-]*)")
REF_LOCAL = re.compile(r"\blocal\.([A-Za-z_][\w-]*)")
REF_DATA = re.compile(r"\bdata\.([a-z][a-z0-9_]*)\.([A-Za-z_][\w-]*)")
REF_RESOURCE = re.compile(r"(?<![\w.])((?:aws|random)_[a-z0-9_]+)\.([A-Za-z_][\w-]*)")
META = {"__start_line__", "__end_line__"}

errors: list[str] = []


def err(msg: str) -> None:
    errors.append(msg)
    print(f"  ERROR {msg}")


def strings(node):
    """Every string anywhere in a parsed structure (expressions included)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            if k not in META:
                yield k
                yield from strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from strings(v)


def blocks(parsed: dict, kind: str):
    """(labels..., body) for each block of a kind: resource "t" "n" {...}."""
    for entry in parsed.get(kind, []):
        for label, body in entry.items():
            if kind in ("resource", "data"):
                for name, inner in body.items():
                    yield (label, name, inner)
            else:
                yield (label, body)


def unwrap(value):
    """hcl2 gives attribute values as one-element lists, expressions as ${...}."""
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, str) and value.startswith("${") and value.endswith("}"):
        value = value[2:-1]
    return value


def parse_all(root: Path) -> dict[Path, dict]:
    parsed = {}
    files = sorted(p for ext in ("*.tf", "*.tfvars", "*.hcl") for p in root.rglob(ext)
                   if ".terraform" not in p.parts)
    for path in files:
        try:
            with path.open() as f:
                parsed[path] = hcl2.load(f)
        except Exception as e:  # noqa: BLE001 - any parse failure is a failure
            err(f"{path.relative_to(root)}: does not parse: {e}")
    print(f"parsed {len(parsed)} of {len(files)} .tf/.tfvars/.hcl files")
    return parsed


# --- Conditions ------------------------------------------------------------

def _contains(collection, value):
    return value in collection


def _regex(pattern, text):
    m = re.search(pattern, text)
    if m is None:
        raise ValueError("no match")
    return m.group(0)


def _can(thunk):
    try:
        thunk()
        return True
    except Exception:  # noqa: BLE001 - can() is true when its argument evaluates
        return False


def to_python(expr: str) -> str | None:
    """Translates the small HCL subset used in conditions; None if unsupported."""
    bare = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)  # strings blanked
    if "${" in expr or "?" in bare or "[for" in bare or "{" in bare:
        return None
    out = expr.replace("&&", " and ").replace("||", " or ")
    out = re.sub(r"!(?!=)", " not ", out)
    out = REF_VAR.sub(lambda m: f"V[{m.group(1)!r}]", out)
    out = re.sub(r"\btrue\b", "True", out)
    out = re.sub(r"\bfalse\b", "False", out)
    out = re.sub(r"\bnull\b", "None", out)
    out = re.sub(r"\bcan\(", "can(lambda: ", out)
    if re.search(r"\b(?!V\b|contains\b|regex\b|can\b|length\b|lambda\b|and\b|or\b|not\b|True\b|False\b|None\b)[A-Za-z_]\w*\b",
                 re.sub(r"'[^']*'|\"[^\"]*\"", "", out)):
        return None
    return out


def evaluate(expr: str, values: dict):
    code = to_python(expr)
    if code is None:
        raise NotImplementedError(expr)
    env = {"V": values, "contains": _contains, "regex": _regex, "can": _can, "length": len,
           "__builtins__": {}}
    return eval(code, env)  # noqa: S307 - translated from our own .tf files


def raw_conditions(path: Path, start: int, end: int) -> list[tuple[str, str]]:
    """(condition, error_message) pairs written within lines start..end of a file.
    Read from the source: hcl2 drops parentheses when it re-prints expressions."""
    lines = path.read_text().splitlines()[start - 1:end]
    out, cond = [], None
    for line in lines:
        m = re.match(r"\s*condition\s*=\s*(.+?)\s*$", line)
        if m:
            cond = m.group(1)
        m = re.match(r'\s*error_message\s*=\s*"(.*)"\s*$', line)
        if m and cond is not None:
            out.append((cond, m.group(1)))
            cond = None
    return out


# --- Checks ----------------------------------------------------------------

def check_module(root: Path, module: Path, parsed: dict[Path, dict]) -> dict:
    rel = module.relative_to(root) if module != root else Path(".")
    files = {p: d for p, d in parsed.items() if p.parent == module and p.suffix == ".tf"}
    declared_vars: dict[str, dict] = {}
    declared_locals: set[str] = set()
    declared_resources: set[tuple[str, str]] = set()
    declared_data: set[tuple[str, str]] = set()
    used_vars: set[str] = set()
    used_locals: set[str] = set()
    conditions: list[tuple[str, str, str]] = []  # (where, condition, message)

    for path, d in files.items():
        for name, body in blocks(d, "variable"):
            if name in declared_vars:
                err(f"{rel}: variable {name} declared twice")
            declared_vars[name] = body
            for cond, msg in raw_conditions(path, body["__start_line__"], body["__end_line__"]):
                conditions.append((f"variable {name}", cond, msg))
        for entry in d.get("locals", []):
            for name in entry:
                if name not in META:
                    if name in declared_locals:
                        err(f"{rel}: local {name} declared twice")
                    declared_locals.add(name)
        for rtype, name, body in blocks(d, "resource"):
            declared_resources.add((rtype, name))
            for cond, msg in raw_conditions(path, body["__start_line__"], body["__end_line__"]):
                conditions.append((f"{rtype}.{name}", cond, msg))
        for dtype, name, _ in blocks(d, "data"):
            declared_data.add((dtype, name))

    for path, d in files.items():
        where = path.relative_to(root)
        for s in strings(d):
            used_vars.update(REF_VAR.findall(s))
            used_locals.update(REF_LOCAL.findall(s))
            for ref in REF_DATA.findall(s):
                if ref not in declared_data:
                    err(f"{where}: data.{ref[0]}.{ref[1]} is not declared")
            for ref in REF_RESOURCE.findall(s):
                if ref not in declared_resources:
                    err(f"{where}: {ref[0]}.{ref[1]} is not declared")

    for name in sorted(used_vars - set(declared_vars)):
        err(f"{rel}: var.{name} is used but not declared")
    for name in sorted(set(declared_vars) - used_vars):
        err(f"{rel}: variable {name} is declared but never used")
    for name in sorted(used_locals - declared_locals):
        err(f"{rel}: local.{name} is used but not declared")
    for name in sorted(declared_locals - used_locals):
        err(f"{rel}: local {name} is declared but never used")
    for name, body in declared_vars.items():
        if "description" not in body or "type" not in body:
            err(f"{rel}: variable {name} needs a description and a type")

    print(f"module {rel}: {len(declared_vars)} variables, {len(declared_locals)} locals, "
          f"{len(declared_resources)} resources, {len(declared_data)} data sources; references checked")
    return {"vars": declared_vars, "conditions": conditions}


def type_ok(decl_type: str, value) -> bool:
    t = unwrap(decl_type) if decl_type is not None else "any"
    if t == "bool":
        return isinstance(value, bool)
    if t == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if t == "string":
        return isinstance(value, str)
    if t.startswith("map(") or t.startswith("object("):
        return isinstance(value, dict)
    if t.startswith("list(") or t.startswith("set("):
        return isinstance(value, list)
    return True


def check_environments(root: Path, parsed: dict[Path, dict], module: dict) -> None:
    declared = module["vars"]
    defaults = {n: unwrap(b["default"]) for n, b in declared.items() if "default" in b}
    required = {n for n, b in declared.items() if "default" not in b}
    tfvars = sorted(p for p in parsed if p.suffix == ".tfvars")
    if not tfvars:
        err("no environments/*.tfvars found")
    for path in tfvars:
        where = path.relative_to(root)
        env = path.stem
        values = {k: unwrap(v) for k, v in parsed[path].items() if k not in META}
        for key, value in values.items():
            if key not in declared:
                err(f"{where}: {key} is not a declared variable")
            elif not type_ok(declared[key].get("type"), value):
                err(f"{where}: {key} = {value!r} is not of type {unwrap(declared[key].get('type'))}")
        if values.get("environment") != env:
            err(f"{where}: environment must be {env!r}, the file's name")
        for name in sorted(required - set(values) - set(EXTERNAL)):
            err(f"{where}: required variable {name} (no default) is not set")
        for name in sorted(set(values) & set(EXTERNAL)):
            err(f"{where}: {name} is passed by the deploy pipeline; do not set it here")

        effective = {**defaults, **EXTERNAL, **values}
        evaluated = skipped = 0
        for owner, cond, msg in module["conditions"]:
            try:
                ok = evaluate(cond, effective)
            except NotImplementedError:
                skipped += 1
                continue
            except Exception as e:  # noqa: BLE001
                err(f"{where}: {owner}: cannot evaluate `{cond}`: {e}")
                continue
            evaluated += 1
            if ok is not True:
                err(f"{where}: {owner}: condition `{cond}` is false: {msg}")
        print(f"{where}: {len(values)} settings checked; {evaluated} conditions hold"
              + (f" ({skipped} depend on more than variables, left to terraform plan)" if skipped else ""))

        backend = root / f"backend-{env}.hcl"
        if backend not in parsed:
            err(f"{backend.relative_to(root)} is missing for environment {env}")
            continue
        settings = {k: unwrap(v) for k, v in parsed[backend].items() if k not in META}
        for key in settings:
            if key not in S3_BACKEND_KEYS:
                err(f"{backend.name}: {key} is not an S3 backend setting")
        for key in ("bucket", "key", "region"):
            if key not in settings:
                err(f"{backend.name}: {key} is missing")
        if "dynamodb_table" not in settings and settings.get("use_lockfile") is not True:
            err(f"{backend.name}: no state locking (dynamodb_table or use_lockfile)")
        if f"/{env}/" not in str(settings.get("key", "")) or not str(settings.get("bucket", "")).endswith(env):
            err(f"{backend.name}: the state key and bucket must name {env}")
        if settings.get("region") != effective.get("aws_region"):
            print(f"  note: {backend.name} keeps state in {settings.get('region')}, "
                  f"resources go to {effective.get('aws_region')}")


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent).resolve()
    parsed = parse_all(root)
    modules = sorted({p.parent for p in parsed if p.suffix == ".tf"})
    results = {m: check_module(root, m, parsed) for m in modules}
    if root in results:
        check_environments(root, parsed, results[root])
    else:
        err("no .tf files in the root module")
    # The conditions of other modules (bootstrap/) are evaluated on their defaults.
    for module, result in results.items():
        if module == root:
            continue
        defaults = {n: unwrap(b["default"]) for n, b in result["vars"].items() if "default" in b}
        for owner, cond, msg in result["conditions"]:
            names = set(REF_VAR.findall(cond))
            if names <= set(defaults):
                try:
                    if evaluate(cond, defaults) is not True:
                        err(f"{module.relative_to(root)}: {owner}: default fails `{cond}`: {msg}")
                except NotImplementedError:
                    pass
    if errors:
        print(f"check_vars: {len(errors)} error(s)")
        return 1
    print("check_vars: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
