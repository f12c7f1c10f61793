# SPDX-License-Identifier: MIT
"""Hold real sockets for the socket tests, then wait to be killed.

usage: holder.py [OPTIONS] SPEC... ; each SPEC is PROTO/ADDR/PORT[/FLAGS]
  PROTO tcp|udp, ADDR an IPv4 or IPv6 literal, PORT (leased by the
  test; 0, a kernel-chosen one, only in a private network namespace),
  FLAGS letters: v (IPv6-only), c (also connect to it: an established
  pair), f (fork a child named NAME-child that shares it).
Options first: --name NAME (process name, default lbt-holder),
  --count N (bind N sockets for each SPEC, ports PORT..PORT+N-1),
  --timeout S (exit after S seconds, default 60).
Prints one JSON line {"pid", "child", "sockets": [{"proto","addr","port","inode","role"}]}
on stdout once everything is bound, then sleeps.
"""
import ctypes, json, os, signal, socket, sys, time

args = sys.argv[1:]
name, count, timeout = "lbt-holder", 1, 60.0
while args and args[0].startswith("--"):
    opt, val = args[0], args[1]
    args = args[2:]
    if opt == "--name": name = val
    elif opt == "--count": count = int(val)
    elif opt == "--timeout": timeout = float(val)

def set_name(n):
    libc = ctypes.CDLL(None)
    libc.prctl(15, n.encode()[:15], 0, 0, 0)  # PR_SET_NAME

set_name(name)
keep, out, shared = [], [], []
for spec in args:
    fields = spec.split("/")
    proto, addr, port = fields[0], fields[1], fields[2]
    flags = fields[3] if len(fields) > 3 else ""
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    typ = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
    for i in range(count):
        s = socket.socket(fam, typ)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if fam == socket.AF_INET6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1 if "v" in flags else 0)
        p = int(port) + i if int(port) else 0
        s.bind((addr, p))
        if typ == socket.SOCK_STREAM:
            s.listen(16)
        bound = s.getsockname()[1]
        keep.append(s)
        rec = {"proto": proto, "addr": addr, "port": bound, "inode": os.fstat(s.fileno()).st_ino,
               "role": "listen" if typ == socket.SOCK_STREAM else "unconn", "shared": "f" in flags}
        out.append(rec)
        if "f" in flags:
            shared.append(s)
        if "c" in flags and typ == socket.SOCK_STREAM:
            c = socket.socket(fam, typ)
            c.connect((addr, bound))
            a, _ = s.accept()
            keep += [c, a]
            out.append({"proto": proto, "addr": addr, "port": c.getsockname()[1], "inode": os.fstat(c.fileno()).st_ino,
                        "role": "client", "peer": bound, "shared": False})
            out.append({"proto": proto, "addr": addr, "port": bound, "inode": os.fstat(a.fileno()).st_ino,
                        "role": "server", "peer": c.getsockname()[1], "shared": False})

child = 0
if shared:
    rd, wr = os.pipe()
    child = os.fork()
    if child == 0:
        set_name(name + "-child")
        for s in keep:
            if s not in shared:
                s.close()
        os.close(rd)
        os.close(wr)  # the parent reads EOF once the child holds only the shared sockets
        signal.alarm(int(timeout))
        time.sleep(timeout)
        os._exit(0)
    os.close(wr)
    os.read(rd, 1)
    os.close(rd)

print(json.dumps({"pid": os.getpid(), "child": child, "name": name, "sockets": out}), flush=True)
sys.stdout.close()
os.close(1)
signal.alarm(int(timeout))
time.sleep(timeout)
if child:
    os.kill(child, signal.SIGKILL)
