# SPDX-License-Identifier: MIT
# Sourced by scripts/demo.sh: what is this endpoint? (loopback parse)
printf '\n## What is this endpoint?\n'
run parse 127.0.0.1:62893
run parse '[::1]:8080'
run parse localhost:3000
run parse '[fe80::1%lo]:22'
run parse 0.0.0.0:80
# Leading zeros are octal to inet_aton(): 010.1.1.1 would be 8.1.1.1.
run parse 010.1.1.1:80
# The resolver's order is the order clients try: why "localhost" may
# reach ::1 before 127.0.0.1 (or only one of them).
run parse --json localhost
cmd='printf "127.0.0.1:80\n[::1%%lo]:22\nhost:http\n" | loopback parse --batch=endpoint'
printf '\n$ %s\n' "$cmd"
printf '127.0.0.1:80\n[::1%%lo]:22\nhost:http\n' | "$lb" parse --batch=endpoint || true
