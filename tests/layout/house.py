#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The "Done when" criteria of issue 12 (the house by concern and by OS),
measured on the real tree. One "ok TEXT" / "fail TEXT" line per criterion,
"# ..." lines with the details (what is over, which files tie a cycle);
tests/layout/test-house.sh turns them into TAP.

The rules, precisely:

 os-ifs    A preprocessor conditional (#if, #elif, #ifdef, #ifndef; one
           directive, continuation lines included, counts once) that names
           an OS macro (OS_MACROS below, or a macro the OS-selection header
           OS_HEADER defines) is an OS conditional. Counted over lib/,
           tools/ and include/ (*.c, *.h), except under OS_DIRS and in
           OS_HEADER itself. At most MAX_OS_IFS (the public header's
           LB_EXPORT `_WIN32` is one of them).
 file-len  No lib/**/*.c over MAX_FILE_LINES lines.
 func-len  No function in lib/ or tools/ (*.c, *.h) over MAX_FUNC_LINES
           lines, counted from the line of its name (ctags) to its closing
           brace, the first "}" at column 0 after it, both included.
 cycles    No file-level call cycle in lib/: one object file per lib/ .c
           (compile_commands.json of the build names which), an edge A -> B
           when A's object has an undefined symbol that B's object defines
           as a function (nm: T or W). A strongly connected component
           (Tarjan) of more than one file is a cycle; each is printed with
           the symbols on its edges. Needs the build (LB_BUILD_ROOT).
           The same graph lists, as information only (no failure yet),
           the calls that go against the layers (layer_breaks()).
 errno     One errno -> LB_E* mapping, in lib/core/ (ERRNO_HOME). Anywhere
           else in lib/ or tools/, a mapping is: a "case E...:" label (an
           errno name: E + capitals/digits, no underscore; or WSAE...)
           whose case group (up to the next statement that ends it:
           break/return ...;) names an LB_E* code, or a ternary chain
           "E... ? LB_E...". Allowed: if-statements that handle one errno
           visibly before calling the mapping, Windows WSAE* -> E* tables
           (they name errno values, not LB_E*), and "case E...:" groups
           that set other things (check reasons).
 growth    One growth helper, lib/core/grow.c (GROWTH_HOME): no doubling
           (x ? x * 2 : N, cap * 2, *= 2, << 1 on a cap/size) elsewhere in
           lib/. tools/ cannot link the hidden helper; its doublings are
           listed as information only.
 user-name One user-name lookup: getpwuid_r()/getpwuid() called in exactly
           one file of lib/ and tools/.
 tests     tests/ mirrors lib/: every C suite tests/**/test-*.c sits in a
           folder named after a lib/ folder (tests/core, tests/os/linux,
           ...), none at the top of tests/ (tests/fuzz, tests/env hold
           other programs).

Usage: house.py SOURCE_ROOT [BUILD_ROOT]     criteria (ok/fail lines)
       house.py --numbers SOURCE_ROOT [BUILD_ROOT]   the numbers, for humans
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys

# The one OS-selection header allowed to test OS macros outside lib/os/
# (issue 12: "everything outside lib/os/ and one OS-selection header").
# Assumed name; it lies under lib/os/ anyway, so moving it elsewhere is a
# one-line change here.
OS_HEADER = 'lib/os/os.h'
OS_DIRS = ('lib/os/', 'tools/os/')
SCAN_DIRS = ('lib', 'tools', 'include')
OS_MACROS = ('__linux__', '_WIN32', '__APPLE__', '__FreeBSD__', '__NetBSD__',
             '__OpenBSD__', '__MACH__', '__sun', '_MSC_VER', '__CYGWIN__')
MAX_OS_IFS = 3
MAX_FILE_LINES = 500
MAX_FUNC_LINES = 80
ERRNO_HOME = 'lib/core/'
GROWTH_HOME = 'lib/core/grow.c'
USER_LOOKUP = re.compile(r'\bgetpwuid(_r)?\s*\(')
# Test folders that mirror no lib/ folder and hold C programs, not suites.
TEST_HELPER_DIRS = ('tests/fuzz', 'tests/env')


def sources(root, dirs, exts=('.c', '.h')):
    out = []
    for d in dirs:
        for base, subdirs, files in os.walk(os.path.join(root, d)):
            subdirs.sort()
            for f in sorted(files):
                if f.endswith(exts):
                    out.append(os.path.relpath(os.path.join(base, f), root))
    return out


def read(root, rel):
    with open(os.path.join(root, rel), encoding='utf-8', errors='replace') as f:
        return f.read()


def strip_comments(text):
    """C comments and string/char literals blanked, line breaks kept, so
    line numbers stay and a word in a comment or string never counts."""
    def blank(m):
        s = m.group(0)
        if s.startswith('/'):
            return re.sub(r'[^\n]', ' ', s)
        return s[0] + re.sub(r'[^\n]', ' ', s[1:-1]) + s[-1]
    return re.sub(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'',
                  blank, text, flags=re.S)


# ---- os-ifs ----
def os_header_macros(root):
    """Macros the OS-selection header defines: testing one of them in shared
    code is an OS conditional in disguise."""
    if not os.path.exists(os.path.join(root, OS_HEADER)):
        return ()
    names = re.findall(r'^\s*#\s*define\s+(\w+)', strip_comments(read(root, OS_HEADER)), re.M)
    return tuple(sorted(n for n in set(names) if not re.search(r'_H_?$', n)))  # not its guard


def os_conditionals(root):
    words = OS_MACROS + os_header_macros(root)
    word_re = re.compile(r'\b(' + '|'.join(re.escape(w) for w in words) + r')\b')
    hits = []
    for rel in sources(root, SCAN_DIRS):
        if rel.startswith(OS_DIRS) or rel == OS_HEADER:
            continue
        lines = strip_comments(read(root, rel)).split('\n')
        i = 0
        while i < len(lines):
            start, text = i, lines[i]
            while text.endswith('\\') and i + 1 < len(lines):
                i += 1
                text = text[:-1] + ' ' + lines[i]
            i += 1
            m = re.match(r'\s*#\s*(if|elif|ifdef|ifndef)\b(.*)', text)
            if m and word_re.search(m.group(2)):
                hits.append((rel, start + 1, re.sub(r'\s+', ' ', text.strip())))
    return hits


# ---- file-len ----
def long_files(root):
    out = []
    for rel in sources(root, ('lib',), ('.c',)):
        n = read(root, rel).count('\n')
        out.append((n, rel))
    out.sort(reverse=True)
    return out


# ---- func-len ----
def functions(root):
    """(lines, file, line, name) of every function definition in lib/ and
    tools/: ctags for the name line, the first "}" at column 0 for the end."""
    ctags = shutil.which('ctags-universal') or shutil.which('ctags')
    if not ctags:
        return None
    files = sources(root, ('lib', 'tools'))
    r = subprocess.run([ctags, '-x', '--c-kinds=f', '--language-force=C',
                        '--_xformat=%N %n %F'] + files,
                       cwd=root, capture_output=True, text=True, check=True)
    text = {}
    out = []
    for line in r.stdout.splitlines():
        name, num, rel = line.split(' ', 2)
        num = int(num)
        if rel not in text:
            text[rel] = read(root, rel).split('\n')
        lines = text[rel]
        end = next((j for j in range(num - 1, len(lines)) if lines[j].startswith('}')), None)
        if end is None:
            continue
        out.append((end - (num - 1) + 1, rel, num, name))
    out.sort(key=lambda t: (-t[0], t[1], t[2]))
    return out


# ---- cycles ----
def lib_objects(build):
    """{lib source (relative to the source root): its object file} of the
    library, from compile_commands.json."""
    path = os.path.join(build, 'compile_commands.json')
    if not os.path.exists(path):
        return None
    objs = {}
    for e in json.load(open(path)):
        src = os.path.normpath(os.path.join(e['directory'], e['file']))
        out = os.path.normpath(os.path.join(e['directory'], e['output']))
        rel_out = os.path.relpath(out, build)
        if re.match(r'lib/libloopback[^/]*\.p/', rel_out) and os.path.exists(out):
            objs.setdefault(src, out)
    return objs


def nm_symbols(obj):
    r = subprocess.run(['nm', '-P', obj], capture_output=True, text=True, check=True)
    defined, undefined = set(), set()
    for line in r.stdout.splitlines():
        f = line.split()
        if len(f) < 2:
            continue
        if f[1] in ('T', 'W'):
            defined.add(f[0])
        elif f[1] == 'U':
            undefined.add(f[0])
    return defined, undefined


def call_graph(root, build, prefix='lib/'):
    objs = lib_objects(build)
    if objs is None:
        return None
    syms = {}
    for src, obj in objs.items():
        rel = os.path.relpath(src, root)
        if rel.startswith(prefix):
            syms[rel] = nm_symbols(obj)
    owner = {}
    for rel, (defined, _) in syms.items():
        for s in defined:
            owner.setdefault(s, rel)
    edges = {rel: {} for rel in syms}
    for rel, (_, undefined) in syms.items():
        for s in undefined:
            to = owner.get(s)
            if to and to != rel:
                edges[rel].setdefault(to, []).append(s)
    return edges


def tarjan(edges):
    index, low, on, stack, sccs = {}, {}, set(), [], []
    counter = [0]

    def visit(v):
        # Iterative, so a deep graph cannot hit Python's recursion limit.
        work = [(v, iter(sorted(edges[v])))]
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        while work:
            node, it = work[-1]
            nxt = next(it, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter[0]
                    counter[0] += 1
                    stack.append(nxt)
                    on.add(nxt)
                    work.append((nxt, iter(sorted(edges[nxt]))))
                elif nxt in on:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                scc = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    scc.append(w)
                    if w == node:
                        break
                sccs.append(sorted(scc))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return [s for s in sccs if len(s) > 1]


def cycle_lines(edges, scc):
    out = []
    members = set(scc)
    for a in scc:
        for b in sorted(edges[a]):
            if b in members:
                out.append(f'{a} -> {b}: {", ".join(sorted(edges[a][b]))}')
    return out


# ---- layers (information) ----
# Headers that declare the interfaces shared code may call OS code through,
# and (backend.h) the list helpers the OS code may call back.
INTERFACE_HEADERS = ('lib/os/*.h', 'lib/sockets/backend.h')


def declared_in(root, patterns):
    out = {}
    for pat in patterns:
        for h in sorted(glob.glob(os.path.join(root, pat))):
            rel = os.path.relpath(h, root)
            for name in re.findall(r'\b(lb__\w+)\s*\(', strip_comments(read(root, rel))):
                out.setdefault(name, rel)
    return out


def area(rel):
    parts = rel.split('/')
    if parts[1] == 'os' and len(parts) > 3:
        return 'os/' + parts[2]
    return parts[1]


def layer_breaks(root, edges):
    """Calls that go against the layers: core calls nothing of ours;
    endpoint only core; sockets never ports; shared code calls into
    lib/os/<os>/ only through an interface header (INTERFACE_HEADERS);
    lib/os/<os>/ (and the mock) call back only core, endpoint, the
    backend.h helpers, their own OS and lib/os/posix or lib/os/bsd."""
    iface = declared_in(root, INTERFACE_HEADERS)
    out = []
    for a in sorted(edges):
        for b in sorted(edges[a]):
            src, dst = area(a), area(b)
            if dst == 'core' or src == dst:
                continue
            bad = []
            for sym in sorted(edges[a][b]):
                if src == 'core' or src == 'endpoint':
                    bad.append(sym)
                elif src.startswith('os/') or src == 'mock':
                    if dst in ('os/posix', 'os/bsd', 'endpoint') or iface.get(sym):
                        continue
                    bad.append(sym)
                elif dst.startswith('os/') or dst == 'mock':
                    if not iface.get(sym):
                        bad.append(sym)
                elif src == 'sockets' and dst == 'ports':
                    bad.append(sym)
            if bad:
                out.append(f'{a} -> {b}: {", ".join(bad)}')
    return out


# ---- errno ----
ERRNO_LABEL = re.compile(r'\bcase\s+(WSA)?E[A-Z0-9]+\s*:')
GROUP_END = re.compile(r'(\breturn\b[^;]*;)|\b(?:break|goto\s+\w+)\s*;|\bdefault\s*:'
                       r'|\bcase\s+(?!(?:WSA)?E[A-Z0-9]+\s*:)')


def case_groups(text):
    """(line, errno names, LB_E* codes) of each "case E...:" group of @text."""
    out = []
    pos = 0
    while True:
        m = ERRNO_LABEL.search(text, pos)
        if not m:
            return out
        # The group: its labels and statements up to the first one that
        # leaves it (break, goto, return: the return included), or the next
        # label that is not an errno name.
        rest = text[m.start():]
        end = GROUP_END.search(rest, m.end() - m.start())
        group = rest if not end else rest[:end.end() if end.group(1) else end.start()]
        names = re.findall(r'\bcase\s+((?:WSA)?E[A-Z0-9]+)\s*:', group)
        codes = set(re.findall(r'\bLB_E[A-Z0-9_]+\b', group))
        out.append((text.count('\n', 0, m.start()) + 1, names, codes))
        pos = m.start() + len(group) if end else len(text)


def core_meanings(root):
    """{errno name: the LB_E* codes lib/core's mappings give it}."""
    meaning = {}
    for rel in sources(root, (ERRNO_HOME,), ('.c',)):
        for _, names, codes in case_groups(strip_comments(read(root, rel))):
            for n in names:
                meaning.setdefault(n, set()).update(codes)
    return meaning


def errno_mappings(root):
    """(mappings, overrides): switches and repeated meanings outside the
    core (fail), and one-errno overrides that differ from the core's
    meaning (allowed, listed for the reader)."""
    meaning = core_meanings(root)
    hits, overrides = [], []
    for rel in sources(root, ('lib', 'tools'), ('.c',)):
        if rel.startswith(ERRNO_HOME):
            continue
        text = strip_comments(read(root, rel))
        for line, names, codes in case_groups(text):
            if codes:
                hits.append((rel, line, 'switch: case ' + ': case '.join(names) + ': '
                             + ', '.join(sorted(codes))))
        for m in re.finditer(r'\b((?:WSA)?E[A-Z0-9]+)\s*\?\s*(LB_E[A-Z0-9_]+)', text):
            line = text.count('\n', 0, m.start()) + 1
            if m.group(2) in meaning.get(m.group(1), ()):
                hits.append((rel, line, f'{m.group(1)} -> {m.group(2)} repeats'
                             f' {ERRNO_HOME}\'s mapping'))
            else:
                overrides.append((rel, line, f'{m.group(1)} -> {m.group(2)}'))
    return hits, overrides


# ---- growth ----
CAP = r'(?:[\w>.-]*(?:cap|size|alloc|n_pool|\bn)\w*)'
DOUBLING = re.compile(r'\*\s*2\s*:'                    # x ? x * 2 : 64
                      r'|\b' + CAP + r'\s*\*\s*2\b'    # realloc(p, cap * 2)
                      r'|\*=\s*2\b'                    # cap *= 2
                      r'|\b' + CAP + r'\s*<<=?\s*1\b')  # cap << 1


def doublings(root, dirs):
    hits = []
    for rel in sources(root, dirs, ('.c', '.h')):
        if rel == GROWTH_HOME:
            continue
        for i, line in enumerate(strip_comments(read(root, rel)).split('\n'), 1):
            if DOUBLING.search(line):
                hits.append((rel, i, line.strip()))
    return hits


# ---- user-name ----
def user_lookups(root):
    files = {}
    for rel in sources(root, ('lib', 'tools')):
        for i, line in enumerate(strip_comments(read(root, rel)).split('\n'), 1):
            if USER_LOOKUP.search(line):
                files.setdefault(rel, []).append(i)
    return files


# ---- tests mirror lib/ ----
def misplaced_suites(root):
    lib_dirs = {os.path.relpath(b, os.path.join(root, 'lib'))
                for b, _, _ in os.walk(os.path.join(root, 'lib'))} - {'.'}
    out = []
    for rel in sources(root, ('tests',), ('.c',)):
        name = os.path.basename(rel)
        d = os.path.dirname(rel)
        if not name.startswith('test-') or d.startswith(TEST_HELPER_DIRS):
            continue
        area = os.path.relpath(d, 'tests')
        if area not in lib_dirs:
            out.append(rel)
    return out


def main():
    args = sys.argv[1:]
    numbers = bool(args) and args[0] == '--numbers'
    if numbers:
        args = args[1:]
    if not args:
        print(__doc__.split('Usage:')[1].strip(), file=sys.stderr)
        return 2
    root = os.path.abspath(args[0])
    build = os.path.abspath(args[1]) if len(args) > 1 else None

    ifs = os_conditionals(root)
    files = long_files(root)
    funcs = functions(root)
    edges = call_graph(root, build) if build else None
    sccs = tarjan(edges) if edges is not None else None
    errnos, overrides = errno_mappings(root)
    grows = doublings(root, ('lib',))
    tool_grows = doublings(root, ('tools',))
    users = user_lookups(root)
    suites = misplaced_suites(root)

    if numbers:
        print(f'OS conditionals in shared code: {len(ifs)} (at most {MAX_OS_IFS})')
        per_file = {}
        for rel, _, _ in ifs:
            per_file[rel] = per_file.get(rel, 0) + 1
        for rel, n in sorted(per_file.items(), key=lambda t: (-t[1], t[0])):
            print(f'  {n:3} {rel}')
        over = [f for f in files if f[0] > MAX_FILE_LINES]
        print(f'longest lib/ .c file: {files[0][0]} lines, {files[0][1]}'
              f' ({len(over)} over {MAX_FILE_LINES})')
        if funcs is None:
            print('longest function: ctags not installed')
        else:
            over = [f for f in funcs if f[0] > MAX_FUNC_LINES]
            print(f'longest function: {funcs[0][0]} lines, {funcs[0][3]}() in'
                  f' {funcs[0][1]}:{funcs[0][2]} ({len(over)} over {MAX_FUNC_LINES})')
            for n, rel, line, name in over:
                print(f'  {n:4} {name}() {rel}:{line}')
        if sccs is None:
            print('call cycles in lib/: no build to read (give BUILD_ROOT)')
        else:
            print(f'call cycles in lib/: {len(sccs)}'
                  + (' (' + '; '.join(' <-> '.join(s) for s in sccs) + ')' if sccs else ''))
            breaks = layer_breaks(root, edges)
            print(f'calls against the layers (information): {len(breaks)}')
            for b in breaks:
                print('  ' + b)
        print(f'errno -> LB_E* mappings outside {ERRNO_HOME}: {len(errnos)}'
              f' (and {len(overrides)} local meanings that differ, allowed)')
        print(f'doublings outside {GROWTH_HOME}: {len(grows)} in lib/,'
              f' {len(tool_grows)} in tools/')
        print(f'files calling getpwuid(_r): {len(users)} ({", ".join(sorted(users))})')
        return 0

    def report(good, text, details):
        print(('ok ' if good else 'fail ') + text)
        for d in details:
            print('# ' + d)

    report(len(ifs) <= MAX_OS_IFS,
           f'OS conditionals in shared code: {len(ifs)} <= {MAX_OS_IFS}'
           f' (outside {", ".join(OS_DIRS)} and {OS_HEADER})',
           [f'{rel}:{line}: {text}' for rel, line, text in ifs] if len(ifs) > MAX_OS_IFS else [])
    over = [f for f in files if f[0] > MAX_FILE_LINES]
    report(not over, f'no lib/ .c file over {MAX_FILE_LINES} lines (longest: {files[0][0]},'
           f' {files[0][1]})', [f'{rel}: {n} lines' for n, rel in over])
    if funcs is None:
        report(False, f'no function over {MAX_FUNC_LINES} lines: ctags (universal-ctags)'
               ' not installed', [])
    else:
        over = [f for f in funcs if f[0] > MAX_FUNC_LINES]
        report(not over, f'no function in lib/ or tools/ over {MAX_FUNC_LINES} lines'
               f' (longest: {funcs[0][0]}, {funcs[0][3]}() in {funcs[0][1]})',
               [f'{rel}:{line}: {name}(): {n} lines' for n, rel, line, name in over])
    if sccs is None:
        where = f'compile_commands.json in {build}' if build else 'no build directory given'
        report(False, f'no file-level call cycle in lib/: no objects found ({where})', [])
    elif not edges:
        report(False, f'no file-level call cycle in lib/: no lib/ objects in {build}', [])
    else:
        details = []
        for s in sccs:
            details.append('cycle: ' + ' <-> '.join(s))
            details += ['  ' + d for d in cycle_lines(edges, s)]
        details += [f'(information: against the layers) {d}' for d in layer_breaks(root, edges)]
        report(not sccs, f'no file-level call cycle in lib/ ({len(edges)} files,'
               f' {len(sccs)} cycles)', details)
    report(not errnos, f'one errno -> LB_E* mapping (in {ERRNO_HOME}):'
           f' {len(errnos)} elsewhere', [f'{rel}:{line}: {t}' for rel, line, t in errnos]
           + [f'(information: a local meaning, allowed) {rel}:{line}: {t}'
              for rel, line, t in overrides])
    report(not grows, f'one growth helper ({GROWTH_HOME}): {len(grows)} doublings elsewhere'
           ' in lib/', [f'{rel}:{line}: {t}' for rel, line, t in grows]
           + [f'(information: tools/ cannot call it) {rel}:{line}: {t}'
              for rel, line, t in tool_grows])
    report(len(users) == 1, f'one user-name lookup: getpwuid(_r) called in {len(users)}'
           ' file(s) of lib/ and tools/',
           [f'{rel}:{",".join(map(str, lines))}' for rel, lines in sorted(users.items())]
           if len(users) != 1 else [])
    report(not suites, 'tests/ mirrors lib/: every C suite in a folder named after a lib/'
           ' folder', [f'{rel}: move it to the tests/ folder of the lib/ folder it tests'
                       for rel in suites])
    return 0


if __name__ == '__main__':
    sys.exit(main())
