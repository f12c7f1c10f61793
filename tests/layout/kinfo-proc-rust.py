#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Cross-check the kinfo_proc layout of lib/os/freebsd/proc-parse.c
against an independent source: the Rust libc crate's FreeBSD 14 struct
kinfo_proc (Debian librust-libc-dev). Computes every field's offset at LP64
sizes from the Rust definition and compares it with each LB_FBSD_KP_AT()
assertion and with LB_FBSD_KINFO_PROC_SIZE. Prints "ok TEXT" / "fail TEXT"
lines; exits 77 when the crate is not installed.

Usage: kinfo-proc-rust.py SOURCE_ROOT [LIBC_CRATE_DIR]"""
import glob
import re
import sys

root = sys.argv[1]
crates = sys.argv[2:] or sorted(glob.glob('/usr/share/cargo/registry/libc-*'))
if not crates:
    print('libc crate not found (apt-get install librust-libc-dev)')
    sys.exit(77)
fbsd = crates[-1] + '/src/unix/bsd/freebsdlike/freebsd'
mod14 = open(fbsd + '/freebsd14/mod.rs').read()
mod = open(fbsd + '/mod.rs').read()

# Constants: `pub const NAME: T = N;`, skipping FreeBSD 11's branch of a cfg_if.
consts = {}
for text in (mod, mod14):
    prev = ''
    for line in text.splitlines():
        m = re.match(r'\s*pub const (\w+): [\w:]+ = (\d+);', line)
        if m and not ('freebsd11' in prev and 'not(' not in prev):
            consts[m.group(1)] = int(m.group(2))
        if line.strip():
            prev = line

# LP64 (amd64, arm64): size and alignment of each type the struct uses.
scalar = {
    'c_int': (4, 4), 'c_uint': (4, 4), 'u_int': (4, 4), 'pid_t': (4, 4), 'uid_t': (4, 4),
    'gid_t': (4, 4), 'lwpid_t': (4, 4), 'fixpt_t': (4, 4), 'u32': (4, 4), 'i32': (4, 4),
    'c_short': (2, 2), 'u_short': (2, 2), 'c_char': (1, 1), 'c_uchar': (1, 1), 'i8': (1, 1),
    'u8': (1, 1), 'u64': (8, 8), 'i64': (8, 8), 'c_long': (8, 8), 'vm_size_t': (8, 8),
    'segsz_t': (8, 8), 'sigset_t': (16, 4), 'timeval': (16, 8), 'priority': (4, 1),
    'rusage': (144, 8),  # two timevals and 14 longs
}


def size_of(t):
    t = t.strip()
    if t.startswith('*'):
        return 8, 8
    m = re.match(r'\[(.*);\s*([^\]]+)\]$', t)
    if m:
        inner, count = m.group(1), m.group(2)
        if inner.count('[') > inner.count(']'):  # [[T; a]; b]
            m = re.match(r'\[(\[.*\]);\s*([^\]]+)\]$', t)
            inner, count = m.group(1), m.group(2)
        expr = re.sub(r'(::)?([A-Z_][A-Z0-9_]*)', lambda k: str(consts[k.group(2)]), count)
        if not re.fullmatch(r'[0-9+\- ]+', expr):
            raise ValueError(f'array length {count!r}')
        n = eval(expr)  # digits, + and - only
        s, a = size_of(inner)
        return s * n, a
    return scalar[t.replace('::', '')]


body = re.search(r'pub struct kinfo_proc \{(.*?)\n    \}', mod14, re.S).group(1)
offsets, off, maxalign = {}, 0, 1
for line in body.splitlines():
    m = re.match(r'\s*pub (\w+): (.+),\s*(//.*)?$', line)
    if not m:
        continue
    s, a = size_of(m.group(2))
    off = (off + a - 1) // a * a
    offsets[m.group(1)] = off
    off += s
    maxalign = max(maxalign, a)
size = (off + maxalign - 1) // maxalign * maxalign

src = open(root + '/lib/os/freebsd/proc-parse.c').read()
hdr = open(root + '/lib/os/freebsd/sysctl.h').read()
ours = int(re.search(r'#define LB_FBSD_KINFO_PROC_SIZE (\d+)', hdr).group(1))
print(('ok' if size == ours else 'fail') +
      f' sizeof(struct kinfo_proc): Rust libc {size}, ours {ours}')
# Our names for fields the Rust struct spells otherwise.
alias = {'ki_start_sec': ('ki_start', 0), 'ki_start_usec': ('ki_start', 8),
         'rest': ('ki_emul', 0)}
asserts = re.findall(r'LB_FBSD_KP_AT\((\w+), (\d+)\)', src)
if len(asserts) < 10:
    print(f'fail only {len(asserts)} LB_FBSD_KP_AT assertions found')
for field, value in asserts:
    name, extra = alias.get(field, (field, 0))
    if name not in offsets:
        print(f'fail {field}: not in the Rust struct')
        continue
    theirs = offsets[name] + extra
    print(('ok' if theirs == int(value) else 'fail') +
          f' offsetof({field}): Rust libc {theirs}, ours {value}')
