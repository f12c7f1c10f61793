#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Run the shell commands README.md shows, as a reader would.

Usage: readme-commands.py [--list] README

Every line of every ```sh block (a trailing backslash joins lines) runs,
in order, in one bash, so a variable or an `export` carries over as it
would in the reader's terminal; the exit status of each line is checked.
The reader is "after the two README commands": the working directory is
a copy of the tree's files with build/gcc and build/demo pointing at the
tree's (scripts/test.sh and demo.sh build them), and HOME is a fresh temporary
folder, so what the README installs under $HOME lands there. A line may
exit 0 unless RULES below say otherwise; a line RULES call not runnable
here is reported as skipped with the reason, and nothing else is.

Prints one "ok|fail|skip readme: COMMAND" line per command (steps.txt
format, tests/tally.py) and exits 1 when a command failed.
"""
import os
import re
import subprocess
import sys

# (pattern, what): what is ("skip", why), ("exit", {codes}) or
# ("server", seconds): a server that runs until stopped, stopped after
# that many seconds (its exit is then 124 from timeout(1)).
RULES = [
    (r"^bash scripts/(demo|test)\.sh\b", ("skip", "one of the two commands: this runs after them")),
    (r"^bash scripts/update-abi-baseline\.sh\b", ("skip", "rewrites the committed ABI baseline")),
    (r"^bash scripts/soak\.sh\b", ("skip", "the soak runs the suites 10 times (tens of minutes), on its own")),
    (r"^LB_FUZZ_SECONDS=3600\b", ("skip", "an hour of fuzzing (scripts/test.d/fuzz.sh runs the short form)")),
    (r"--listen-fds -- \./server\b", ("skip", "./server stands for the reader's own server")),
    (r"^kill \$\(loopback who -q ", ("skip", "it would kill whatever holds that port on this machine")),
    # A negative answer (exit 1) is an answer: the port is in use, nobody
    # is on it, something listens beyond loopback on this machine.
    (r"(^|\| )loopback (parse|check|who|audit|wait)\b", ("exit", {0, 1})),
    (r"^loopback run -- sh -c 'exec python3 -m http\.server", ("server", 3)),
]

TIMEOUT = 900  # seconds for all the commands together


def commands(text):
    """The logical lines of the ```sh blocks, in order."""
    out, block, cont = [], False, ""
    for line in text.splitlines():
        if line.strip().startswith("```"):
            block = line.strip() == "```sh" if not block else False
            cont = ""
            continue
        if not block:
            continue
        if line.rstrip().endswith("\\"):
            cont += line.rstrip()[:-1] + " "
            continue
        line = cont + line
        cont = ""
        if line.strip() and not line.strip().startswith("#"):
            out.append(line.strip())
    return out


def rule(cmd):
    for pat, what in RULES:
        if re.search(pat, cmd):
            return what
    return ("exit", {0})


def main():
    args = sys.argv[1:]
    listing = args and args[0] == "--list"
    if listing:
        args = args[1:]
    readme = os.path.abspath(args[0])
    top = os.path.dirname(readme)
    cmds = commands(open(readme).read())
    if listing:
        for c in cmds:
            print(rule(c)[0], c)
        return 0

    import shutil
    import tempfile
    tmp = tempfile.mkdtemp(prefix="lb-readme.")
    try:
        src = os.path.join(tmp, "src")
        home = os.path.join(tmp, "home")
        os.makedirs(home)
        files = subprocess.run(["git", "-C", top, "ls-files", "-z"], check=True,
                               capture_output=True).stdout.decode().split("\0")
        for f in filter(None, files):
            if os.path.lexists(os.path.join(top, f)):
                os.makedirs(os.path.join(src, os.path.dirname(f)), exist_ok=True)
                shutil.copy2(os.path.join(top, f), os.path.join(src, f), follow_symlinks=False)
        # The builds the two commands made; what the README builds itself
        # (build/mine) stays in the copy and goes with it.
        os.makedirs(os.path.join(src, "build"))
        for b in ("gcc", "demo"):
            if os.path.isdir(os.path.join(top, "build", b)):
                os.symlink(os.path.join(top, "build", b), os.path.join(src, "build", b))

        # Output to a log file, statuses to another: no pipe that a
        # background server of the README could hold open.
        # Servers the README started in the background and left are
        # stopped when the shell ends, however it ends.
        script = ["exec >>\"$LB_README_LOG\" 2>&1 </dev/null",
                  "trap 'jobs -p | xargs -r kill 2>/dev/null' EXIT"]
        plan = []
        for i, c in enumerate(cmds):
            kind, arg = rule(c)
            plan.append((c, kind, arg))
            if kind == "skip":
                continue
            script.append(f"echo '$ '{shq(c)}")
            if kind == "server":
                script.append(f"timeout {arg} bash -c {shq(c)}")
            else:
                script.append(c)
            script.append(f"echo \"LB_README_STATUS {i} $?\" >>\"$LB_README_MARKS\"")
        marks_file = os.path.join(tmp, "marks")
        open(marks_file, "w").close()
        env = dict(os.environ, HOME=home, LB_README_LOG=os.path.join(tmp, "log"),
                   LB_README_MARKS=marks_file)
        subprocess.run(["timeout", str(TIMEOUT), "bash", "-c", "\n".join(script)],
                       cwd=src, env=env, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        marks = open(marks_file).read()
        status = {}
        for line in marks.splitlines():
            m = re.match(r"LB_README_STATUS (\d+) (\d+)$", line)
            if m:
                status[int(m.group(1))] = int(m.group(2))
        log = open(os.path.join(tmp, "log"), errors="replace").read()
        failed = 0
        for i, (c, kind, arg) in enumerate(plan):
            if kind == "skip":
                print(f"skip readme: {c}: {arg}")
                continue
            want = {124} if kind == "server" else arg
            got = status.get(i)
            if got in want:
                print(f"ok readme: {c}")
            else:
                failed += 1
                why = "did not run (an earlier line ended the shell, or the time ran out)" \
                    if got is None else f"exit {got}, want {'/'.join(map(str, sorted(want)))}"
                print(f"fail readme: {c}: {why}")
        sys.stderr.write(log)
        return 1 if failed else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def shq(s):
    return "'" + s.replace("'", "'\\''") + "'"


if __name__ == "__main__":
    sys.exit(main())
