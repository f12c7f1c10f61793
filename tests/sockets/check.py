# SPDX-License-Identifier: MIT
"""Assertions for the socket integration tests. Prints "ok DESC" or
"not ok DESC" lines (tests/sockets/common.sh run_check turns them into TAP).

  owners HOLDER LS [exact]   every holder socket listed with exactly its owners
  ss HOLDER SS_OUT LS        ss -tulpnH names the same pids for each listener
  count LS N [owned]         N sockets (each with an owner)
  perm LS PORT [INODE]       the socket on PORT (with INODE: that one; a busy host
                             may have another socket on the same number) is
                             listed, owner permission denied
  same A B [HOLDER]          two listings hold the same sockets and owners (HOLDER's only)
"""
import json, re, sys

def load(p):
    with open(p) as f:
        return json.load(f)

def res(cond, desc):
    print(("ok " if cond else "not ok ") + desc)

def by_inode(ls):
    return {s["inode"]: s for s in ls}

def owners(holder, lsf, exact=False):
    h, ls = load(holder), load(lsf)
    idx = by_inode(ls)
    pid, child, name = h["pid"], h["child"], h["name"]
    for s in h["sockets"]:
        d = "%s %s %s:%d" % (s["role"], s["proto"], s["addr"], s["port"])
        got = idx.get(s["inode"])
        if not got:
            res(False, d + " listed")
            continue
        want = {pid: name}
        if s["shared"]:
            want[child] = name + "-child"
        have = {o["pid"]: o["name"] for o in got["owners"]}
        ok = (have == want and got["protocol"] == s["proto"] and got["local"]["port"] == s["port"]
              and got["owner_error"] is None
              and all(o["cmdline"] and "holder.py" in o["cmdline"] and o["exe"] and "python" in o["exe"]
                      and o["user"] == "root" and o["start_time"] > 0 for o in got["owners"]))
        if s["role"] in ("client", "server"):
            ok = ok and got["state"] == "ESTAB" and got["remote"]["port"] == s["peer"]
        elif s["role"] == "listen":
            ok = ok and got["state"] == "LISTEN"
        else:
            ok = ok and got["state"] == "UNCONN"
        res(ok, d + " owners %s" % sorted(want))
        if not ok:
            print("got: " + json.dumps(got))
    if exact:
        a, b = set(idx), {s["inode"] for s in h["sockets"]}
        res(a == b, "exactly the holder's %d sockets (got %d)" % (len(b), len(a)))

def ss(holder, ssout, lsf):
    h, ls = load(holder), load(lsf)
    idx = by_inode(ls)
    lines = open(ssout).read().splitlines()
    for s in h["sockets"]:
        if s["role"] not in ("listen", "unconn"):
            continue
        pat = re.compile(r"^%s\s.*[:\]]%d\s" % (s["proto"], s["port"]))
        ss_pids = set()
        for l in lines:
            if pat.search(l):
                ss_pids |= {int(p) for p in re.findall(r"pid=(\d+)", l)}
        lb_pids = {o["pid"] for o in idx.get(s["inode"], {"owners": []})["owners"]}
        res(ss_pids and ss_pids == lb_pids,
            "ss and loopback agree on %s port %d: %s" % (s["proto"], s["port"], sorted(ss_pids)))

def count(lsf, n, owned=None):
    ls = load(lsf)
    res(len(ls) == int(n), "%s sockets listed (got %d)" % (n, len(ls)))
    if owned:
        bad = [s for s in ls if not s["owners"]]
        res(not bad, "every socket has its owner (%d without)" % len(bad))

def perm(lsf, port, inode=None):
    ls = [s for s in load(lsf) if s["local"]["port"] == int(port)
          and (inode is None or s["inode"] == int(inode))]
    res(len(ls) == 1, "the socket on port %s is listed" % port)
    if ls:
        res(ls[0]["owners"] == [] and ls[0]["owner_error"] == "permission denied",
            "its owner is marked permission denied (%s)" % ls[0]["owner_error"])
        res(ls[0]["uid"] == 0, "its uid is 0")

def same(a, b, holder=None):
    keep = {s["inode"] for s in load(holder)["sockets"]} if holder else None
    def key(ls):
        return sorted((s["protocol"], s["state"], s["local"]["address"], s["local"]["port"],
                       s["remote"]["port"], s["inode"], tuple(sorted(o["pid"] for o in s["owners"])))
                      for s in ls if keep is None or s["inode"] in keep)
    ka, kb = key(load(a)), key(load(b))
    res(ka == kb, "same sockets and owners (%d vs %d)" % (len(ka), len(kb)))

cmd, args = sys.argv[1], sys.argv[2:]
try:
    {"owners": owners, "ss": ss, "count": count, "perm": perm, "same": same}[cmd](*args)
except Exception as e:  # a broken JSON output is a failure, not a crash
    res(False, "%s: %s: %s" % (cmd, type(e).__name__, e))
