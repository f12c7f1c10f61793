#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Extract names for the ABI guards in tests/abi.

Usage:
  abi-names.py sym FILE.sym           "NODE SYMBOL" for every global of the
                                      version script, in file order
  abi-names.py exported FILE...       the functions declared or defined
                                      with LB_EXPORT in C source text
  abi-names.py macros INCLUDE_DIR     < output of `cc -E -dD` on a header
  abi-names.py decls INCLUDE_DIR      < output of `clang -Xclang -ast-dump=json`

macros and decls print one line per name defined in a file under INCLUDE_DIR:
  macros: "macro NAME VALUE"  (VALUE is the rest of the #define line)
  decls:  "KIND NAME" where KIND is function, variable, typedef, struct,
          union, enum or enumerator; functions also print "exported" or
          "not-exported" (whether they carry visibility("default"), which
          is what LB_EXPORT expands to).
Names from system headers are not listed.
"""
import json
import os
import re
import sys

LINEMARKER = re.compile(r'^# [0-9]+ "(.*)"')
DEFINE = re.compile(r'^#define ([A-Za-z_][A-Za-z0-9_]*)(\([^)]*\))?\s*(.*)$')


def ours(path, incdir):
    return path is not None and os.path.abspath(path).startswith(incdir + os.sep)


def macros(incdir, text):
    current = None
    for line in text.splitlines():
        m = LINEMARKER.match(line)
        if m:
            current = m.group(1)
            continue
        m = DEFINE.match(line)
        if m and ours(current, incdir):
            print("macro", m.group(1), m.group(3).strip())


DECL_KINDS = {
    "FunctionDecl": "function",
    "VarDecl": "variable",
    "TypedefDecl": "typedef",
    "EnumDecl": "enum",
    "EnumConstantDecl": "enumerator",
}


class Walker:
    """Walks clang's JSON AST in document order. The dump writes a file
    name only when it changes, so the file of a node is the last file
    written before (or in) its "loc"."""

    def __init__(self, incdir):
        self.incdir = incdir
        self.current = None

    def walk(self, node, scope):
        if isinstance(node, list):
            for n in node:
                self.walk(n, scope)
            return
        if not isinstance(node, dict):
            return
        if "file" in node and "offset" in node:
            self.current = node["file"]
        kind = node.get("kind")
        for key, value in node.items():
            if key == "includedFrom":
                continue
            if key == "inner":
                inner_scope = kind if kind in ("TranslationUnitDecl", "RecordDecl",
                                               "EnumDecl") else None
                self.walk(value, inner_scope)
            else:
                self.walk(value, None)
            if key == "loc":
                self.report(node, scope)

    def report(self, node, scope):
        kind, name = node.get("kind"), node.get("name")
        if not name or node.get("isImplicit") or not ours(self.current, self.incdir):
            return
        # Only names with file scope in C: top-level declarations, struct
        # tags (even nested ones) and enumerators. Fields and parameters
        # live in their own scopes.
        if kind == "RecordDecl" and scope in ("TranslationUnitDecl", "RecordDecl"):
            # "struct sockaddr;" only names a tag for use in prototypes;
            # a definition is what would clash with a user's.
            if node.get("completeDefinition"):
                print(node.get("tagUsed", "struct"), name)
        elif kind == "EnumDecl" and scope in ("TranslationUnitDecl", "RecordDecl"):
            print("enum", name)
        elif kind == "EnumConstantDecl" and scope == "EnumDecl":
            print("enumerator", name)
        elif kind in DECL_KINDS and scope == "TranslationUnitDecl":
            if kind == "FunctionDecl":
                exported = any(a.get("kind") == "VisibilityAttr"
                               for a in node.get("inner", []))
                print("function", name, "exported" if exported else "not-exported")
            else:
                print(DECL_KINDS[kind], name)


def strip_comments(text):
    return re.sub(r"/\*.*?\*/|//[^\n]*", " ", text, flags=re.S)


def sym(path):
    """A GNU ld version script: NODE { global: a; b; local: *; } [PARENT];"""
    with open(path) as fh:
        text = strip_comments(fh.read())
    pos = 0
    node_re = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\{(.*?)\}\s*([A-Za-z_][A-Za-z0-9_.]*)?\s*;", re.S)
    while text[pos:].strip():
        m = node_re.match(text, pos)
        if not m:
            sys.exit(f"{path}: cannot parse the version script near: {text[pos:pos + 60]!r}")
        node, body, section = m.group(1), m.group(2), None
        for item in body.split(";"):
            item = item.strip()
            if not item:
                continue
            label = re.match(r"(global|local)\s*:\s*(.*)$", item, re.S)
            if label:
                section, item = label.group(1), label.group(2).strip()
                if not item:
                    continue
            if section == "global":
                if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", item):
                    sys.exit(f"{path}: {node}: not a plain symbol name: {item!r}")
                print(node, item)
            elif section == "local":
                if item != "*":
                    sys.exit(f"{path}: {node}: unexpected local entry {item!r}")
            else:
                sys.exit(f"{path}: {node}: symbol {item!r} outside global:/local:")
        pos = m.end()


def exported(paths):
    """Every identifier right before the first "(" after LB_EXPORT."""
    for path in paths:
        with open(path, errors="replace") as fh:
            text = strip_comments(fh.read())
        # Drop preprocessor directives (the definition of LB_EXPORT itself).
        text = re.sub(r"^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", "", text, flags=re.M)
        for m in re.finditer(r"\bLB_EXPORT\b([^;{(]*)\(", text):
            names = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", m.group(1))
            if names:
                print(names[-1])


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "sym" and len(sys.argv) == 3:
        sym(sys.argv[2])
    elif mode == "exported":
        exported(sys.argv[2:])
    elif mode == "macros" and len(sys.argv) == 3:
        macros(os.path.abspath(sys.argv[2]), sys.stdin.read())
    elif mode == "decls" and len(sys.argv) == 3:
        Walker(os.path.abspath(sys.argv[2])).walk(json.load(sys.stdin), None)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
