# SPDX-License-Identifier: MIT
"""Validate loopback --json outputs against man/loopback.schema.json.

usage: json-schema.py SCHEMA LOOPBACK OUTDIR
OUTDIR holds VERB.NAME.json files (the real output of `loopback VERB
--json ...`). Checks, one TAP-style line each ("ok ..."/"not ok ..."):
  - the schema is a valid Draft 2020-12 schema;
  - every verb whose --help offers --json has a $defs/verb-VERB and at
    least one output here, and every verb-VERB a verb of `loopback --help`;
  - every output validates against its verb, with every object closed
    (unevaluatedProperties: false added here, not in the published file,
    which stays open so that 1.x may add fields): a field the schema does
    not name fails.
"""
import copy
import glob
import json
import os
import re
import subprocess
import sys

import jsonschema

schema_path, loopback, outdir = sys.argv[1:4]
failed = 0


def res(ok, desc):
    global failed
    print(("ok " if ok else "not ok ") + desc)
    failed += not ok


def closed(node, branch=False):
    """A copy of the schema where every object that names its properties
    allows no other (the branches of if/then/else see the whole object, so
    they stay open; their parent closes it)."""
    if isinstance(node, list):
        return [closed(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: closed(v, k in ("if", "then", "else")) if k not in ("properties", "$defs")
           else {n: closed(s) for n, s in v.items()} for k, v in node.items()}
    if "properties" in node and not branch:
        out["unevaluatedProperties"] = False
    return out


def sample(items):
    """A busy host lists thousands of sockets, slow to validate: keep 20 of
    each kind (protocol, state, owner_error, whether it has owners)."""
    seen, out = {}, []
    for x in items:
        k = (x.get("protocol"), x.get("state"), x.get("owner_error"), bool(x.get("owners"))) \
            if isinstance(x, dict) else None
        seen[k] = seen.get(k, 0) + 1
        if seen[k] <= 20:
            out.append(x)
    print("# sampled %d of %d items" % (len(out), len(items)))
    return out


schema = json.load(open(schema_path))
try:
    jsonschema.Draft202012Validator.check_schema(schema)
    res(True, "the schema is a valid JSON Schema (2020-12)")
except jsonschema.SchemaError as e:
    res(False, "the schema is a valid JSON Schema: %s" % e.message)
strict = closed(schema)

helptext = subprocess.run([loopback, "--help"], capture_output=True, text=True).stdout
verbs = re.findall(r"^  ([a-z]+) ", helptext.split("Verbs:")[1].split("\n\n")[0], re.M)
res(len(verbs) >= 8, "loopback --help lists the verbs: %s" % " ".join(verbs))
with_json = [v for v in verbs if "--json" in
             subprocess.run([loopback, v, "--help"], capture_output=True, text=True).stdout]
defined = sorted(k[5:] for k in schema["$defs"] if k.startswith("verb-"))
for v in with_json:
    res(v in defined, "verb %s has --json and a $defs/verb-%s" % (v, v))
for v in defined:
    res(v in verbs, "$defs/verb-%s is a verb of loopback --help" % v)

files = sorted(glob.glob(os.path.join(outdir, "*.json")))
for v in sorted(set(with_json) | set(defined)):
    mine = [f for f in files if os.path.basename(f).split(".")[0] == v]
    res(len(mine) > 0, "verb %s: %d real outputs to validate" % (v, len(mine)))
    for f in mine:
        name = os.path.basename(f)[:-5]
        try:
            data = json.load(open(f, encoding="utf-8"))
        except ValueError as e:
            res(False, "%s is JSON: %s" % (name, e))
            continue
        if isinstance(data, list) and len(data) > 400:
            data = sample(data)
        sub = dict(strict)
        sub["$ref"] = "#/$defs/verb-" + v
        errors = sorted(jsonschema.Draft202012Validator(sub).iter_errors(data), key=lambda e: e.path)
        res(not errors, "%s matches $defs/verb-%s%s" % (name, v, "".join(
            "\n# %s at %s" % (e.message[:300], "/".join(map(str, e.absolute_path))) for e in errors[:5])))
sys.exit(1 if failed else 0)
