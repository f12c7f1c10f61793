# SPDX-License-Identifier: MIT
"""tests/data/endpoint-conformance.tsv through the Python binding.

The same table runs through the C library (`loopback parse --batch`,
tests/cli/test-parse-conformance.sh) and the Go binding
(bindings/go/conformance_test.go): every row must give exactly its
EXPECTED batch line in all three.
"""
from __future__ import annotations

import os
import pathlib
import re
import subprocess
from typing import List, NamedTuple

import pytest

import loopback
from conftest import SOURCE_ROOT

TABLE = SOURCE_ROOT / "tests/data/endpoint-conformance.tsv"
_ESCAPE = re.compile(rb"\\(\\|t|r|x[0-9A-Fa-f]{2}|.?)")


class Row(NamedTuple):
    line: int
    mode: str
    input: bytes
    expected: str


def unescape(field: str) -> bytes:
    """Decode the table's escapes: \\\\ \\t \\r \\xHH; anything else is an error."""
    def one(m: "re.Match[bytes]") -> bytes:
        e = m.group(1)
        if e == b"\\":
            return b"\\"
        if e == b"t":
            return b"\t"
        if e == b"r":
            return b"\r"
        if len(e) == 3 and e[:1] == b"x":
            return bytes([int(e[1:], 16)])
        raise ValueError(f"bad escape \\{e.decode('latin-1')} in {field!r}")
    return _ESCAPE.sub(one, field.encode("ascii"))


def load_table(path: pathlib.Path = TABLE) -> List[Row]:
    rows = []
    for n, line in enumerate(path.read_text("ascii").split("\n"), 1):
        if not line or line.startswith("#"):
            continue
        mode, inp, expected = line.split("\t", 2)
        assert mode in ("addr", "endpoint"), f"line {n}: mode {mode!r}"
        rows.append(Row(n, mode, unescape(inp), expected))
    return rows


def batch_line(mode: str, data: bytes) -> str:
    """What `loopback parse --batch=MODE` prints for data, computed in Python."""
    try:
        if mode == "addr":
            return "ok\t" + str(loopback.parse_address(data))
        e = loopback.parse_endpoint(data)
        return f"ok\t{e.host}\t{e.port}"
    except loopback.ParseError as err:
        return f"err\t{err.offset}\t{err.reason}"


ROWS = load_table()


def test_escape_decoder():
    assert unescape(r"a\\b\t\r\x00\xffz") == b"a\\b\t\r\x00\xffz"
    for bad in (r"\n", r"\x1", r"\x", "\\", r"\q"):
        with pytest.raises(ValueError):
            unescape(bad)


def test_table_is_substantial():
    assert len(ROWS) >= 300
    assert {r.mode for r in ROWS} == {"addr", "endpoint"}
    assert any(r.expected.startswith("ok") for r in ROWS)
    assert any(r.expected.startswith("err") for r in ROWS)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"line{r.line}")
def test_row(row):
    assert batch_line(row.mode, row.input) == row.expected


def test_round_trip_of_every_accepted_row():
    # format(parse(x)) parses to the same value, for every accepted input.
    for row in ROWS:
        if not row.expected.startswith("ok"):
            continue
        if row.mode == "addr":
            a = loopback.parse_address(row.input)
            assert loopback.parse_address(str(a)) == a, row
        else:
            e = loopback.parse_endpoint(row.input)
            assert loopback.parse_endpoint(str(e)) == e, row


def test_same_as_the_c_tool():
    # The tool of the same build, when there is one: one batch run per mode,
    # line for line equal to what the binding computes.
    tool = pathlib.Path(loopback.library_path).resolve().parents[1] / "tools/loopback"
    if not tool.is_file():
        pytest.skip(f"no {tool} next to the library under test")
    for mode in ("addr", "endpoint"):
        rows = [r for r in ROWS if r.mode == mode]
        out = subprocess.run([str(tool), "parse", f"--batch={mode}"],
                             input=b"".join(r.input + b"\n" for r in rows),
                             capture_output=True, timeout=60,
                             env=dict(os.environ, LD_LIBRARY_PATH=str(
                                 pathlib.Path(loopback.library_path).parent)))
        assert out.returncode in (0, 1), out.stderr
        got = out.stdout.decode("utf-8").split("\n")
        assert got[-1] == "" and len(got) - 1 == len(rows)
        for r, line in zip(rows, got):
            assert line == batch_line(mode, r.input), r
