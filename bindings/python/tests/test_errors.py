# SPDX-License-Identifier: MIT
"""The LB_E* codes and their exception classes agree with the C library."""
from __future__ import annotations

import errno
import pickle

import pytest

import loopback
from loopback import errors


def c_codes():
    """Every code the C library names: 0, -1, ... until lb_error_name() says NULL."""
    codes = []
    code = 0
    while loopback.error_name(code) is not None:
        codes.append(code)
        code -= 1
    return codes


def test_enum_matches_c_names_exactly():
    codes = c_codes()
    assert len(codes) >= 20
    for c in loopback.ErrorCode:
        assert loopback.error_name(c) == "LB_" + c.name
    known = [c.value for c in sorted(loopback.ErrorCode, reverse=True)]
    assert codes[:len(known)] == known
    if len(codes) > len(known):
        # Still raised correctly (as LoopbackError with the C name), but
        # without its own class: say so rather than fail.
        pytest.skip("codes without a class yet: " +
                    ", ".join(loopback.error_name(c) for c in codes[len(known):]))


def test_unknown_codes():
    assert loopback.error_name(1) is None
    assert loopback.error_name(-1000) is None
    assert loopback.strerror(-1000) == "Unknown error"
    e = errors.from_code(-1000)
    assert type(e) is loopback.LoopbackError
    assert e.code == -1000 and e.name == "LB_E(-1000)"


@pytest.mark.parametrize("code", [c for c in loopback.ErrorCode if c != 0])
def test_every_code_maps_to_its_class(code):
    e = errors.from_code(code)
    assert isinstance(e, loopback.LoopbackError)
    assert e.code == code
    assert e.name == loopback.error_name(code)
    assert str(e) == loopback.strerror(code) == e.message
    assert type(e) is not loopback.LoopbackError, "every known code has its own class"
    assert type(e).default_code == code
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is type(e) and back.code == code and str(back) == str(e)


@pytest.mark.parametrize("code,builtin,posix", [
    (loopback.ErrorCode.EINVAL, ValueError, None),
    (loopback.ErrorCode.ESYNTAX, ValueError, None),
    (loopback.ErrorCode.ERANGE, ValueError, None),
    (loopback.ErrorCode.ENOMEM, MemoryError, None),
    (loopback.ErrorCode.ENOENT, LookupError, None),
    (loopback.ErrorCode.EPERM, PermissionError, errno.EPERM),
    (loopback.ErrorCode.EACCES, PermissionError, errno.EACCES),
    (loopback.ErrorCode.EIO, OSError, errno.EIO),
    (loopback.ErrorCode.EADDRINUSE, OSError, errno.EADDRINUSE),
    (loopback.ErrorCode.EADDRNOTAVAIL, OSError, errno.EADDRNOTAVAIL),
    (loopback.ErrorCode.EAFNOSUPPORT, OSError, errno.EAFNOSUPPORT),
    (loopback.ErrorCode.ETIMEDOUT, TimeoutError, errno.ETIMEDOUT),
    (loopback.ErrorCode.ERESOLVE, OSError, None),
    (loopback.ErrorCode.EMFILE, OSError, errno.EMFILE),
])
def test_builtin_bases(code, builtin, posix):
    e = errors.from_code(code)
    assert isinstance(e, builtin)
    if posix is not None:
        assert e.errno == posix
        assert e.strerror == loopback.strerror(code)


def test_named_classes():
    assert errors.error_class(-10) is loopback.AddressInUse
    assert errors.error_class(-13) is loopback.Timeout
    assert errors.error_class(-15) is loopback.Leased
    assert errors.error_class(-3) is loopback.ParseError
    assert issubclass(loopback.NoBackend, loopback.NotSupported)
    assert errors.error_class(-20) is loopback.NotVisible
    assert errors.error_class(-21) is loopback.Exited
    assert errors.error_class(-22) is loopback.NotRequested
    assert issubclass(loopback.ParseRangeError, loopback.ParseError)
    assert issubclass(loopback.ParseRangeError, loopback.OutOfRange)


def test_parse_error_fields():
    e = loopback.ParseError(input="1.2.3:80", offset=5, reason="bad IPv4 address")
    assert (e.input, e.offset, e.reason, e.code) == ("1.2.3:80", 5, "bad IPv4 address", -3)
    assert str(e) == "bad IPv4 address at offset 5 in '1.2.3:80'"
    r = loopback.ParseRangeError(input="x:70000", offset=2, reason="port out of range")
    assert r.code == loopback.ErrorCode.ERANGE and r.name == "LB_ERANGE"


def test_check_passes_values_and_raises():
    assert errors.check(0) == 0
    assert errors.check(7) == 7
    with pytest.raises(loopback.Exhausted) as ei:
        errors.check(-14)
    assert ei.value.name == "LB_EEXHAUSTED"
