# SPDX-License-Identifier: MIT
"""Errors of libloopback as Python exceptions.

Every C function returns 0 or a negative ``LB_E*`` code; the binding turns
a code into an instance of one class of a small hierarchy rooted at
:class:`LoopbackError`. Each class also derives from the built-in exception
a Python programmer would catch for the same trouble (``ValueError`` for bad
input, ``PermissionError``, ``TimeoutError``, ``OSError`` with ``errno`` for
address errors), so ``except OSError`` keeps working.
"""
from __future__ import annotations

import enum
import errno as _errno
from typing import Any, Dict, Optional, Type

from ._native import C, text


class ErrorCode(enum.IntEnum):
    """The ``LB_E*`` codes of <loopback/common.h> (stable numbers)."""

    OK = 0
    EINVAL = -1
    ENOMEM = -2
    ESYNTAX = -3
    ERANGE = -4
    ENOSPC = -5
    ENOENT = -6
    EPERM = -7
    EIO = -8
    ENOTSUP = -9
    EADDRINUSE = -10
    EADDRNOTAVAIL = -11
    EACCES = -12
    ETIMEDOUT = -13
    EEXHAUSTED = -14
    ELEASED = -15
    ERESOLVE = -16
    EAFNOSUPPORT = -17
    EBADDATA = -18
    ENOBACKEND = -19
    ENOTVISIBLE = -20
    EEXITED = -21
    ENOTREQUESTED = -22
    EMFILE = -23


def strerror(code: int) -> str:
    """``lb_strerror()``: an English sentence for an error code."""
    return text(C.lb_strerror(int(code))) or "Unknown error"


def error_name(code: int) -> Optional[str]:
    """``lb_error_name()``: ``"LB_EINVAL"`` for -1, None for an unknown code."""
    return text(C.lb_error_name(int(code)))


def _restore(cls: Type["LoopbackError"], message: str, state: Dict[str, Any]) -> "LoopbackError":
    e = cls(message, code=state.get("code"))
    e.__dict__.update(state)
    return e


class LoopbackError(Exception):
    """An error reported by libloopback.

    Attributes:
        code: the negative ``LB_E*`` code (an int; see :class:`ErrorCode`).
        name: its symbolic name from ``lb_error_name()`` (``"LB_ETIMEDOUT"``).
        message: the text: ``lb_strerror()`` unless a more precise one was given.
    """

    #: The code instances of this class carry unless told otherwise.
    default_code: int = 0
    #: The matching POSIX errno, for the classes that are also OSError.
    posix_errno: Optional[int] = None

    def __init__(self, message: Optional[str] = None, *, code: Optional[int] = None) -> None:
        self.code: int = self.default_code if code is None else int(code)
        self.name: str = error_name(self.code) or f"LB_E({self.code})"
        self.message: str = message if message is not None else strerror(self.code)
        Exception.__init__(self, self.message)
        if self.posix_errno is not None and isinstance(self, OSError):
            self.errno = self.posix_errno
            self.strerror = self.message

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, code={self.name})"

    def __reduce__(self) -> Any:
        return (_restore, (type(self), self.message, dict(self.__dict__)))


class InvalidArgument(LoopbackError, ValueError):
    """LB_EINVAL: an argument the library refuses (a bad flag or value)."""
    default_code = ErrorCode.EINVAL


class OutOfMemory(LoopbackError, MemoryError):
    """LB_ENOMEM."""
    default_code = ErrorCode.ENOMEM


class ParseError(LoopbackError, ValueError):
    """LB_ESYNTAX, or any rejection by a parser: malformed text.

    Attributes:
        input: the text that was parsed.
        offset: the byte offset of the problem in ``input`` (UTF-8 bytes).
        reason: why it was rejected, as the library says it.
    """
    default_code = ErrorCode.ESYNTAX

    def __init__(self, message: Optional[str] = None, *, code: Optional[int] = None,
                 input: Optional[str] = None, offset: int = -1,
                 reason: Optional[str] = None) -> None:
        self.input: Optional[str] = input
        self.offset: int = offset
        self.reason: str = reason or strerror(self.default_code if code is None else code)
        if message is None and input is not None:
            message = f"{self.reason} at offset {offset} in {input!r}"
        super().__init__(message, code=code)


class OutOfRange(LoopbackError, ValueError):
    """LB_ERANGE: a value out of range (a port above 65535, a label too long)."""
    default_code = ErrorCode.ERANGE


class ParseRangeError(ParseError, OutOfRange):
    """A parser's rejection with LB_ERANGE: both a ParseError and an OutOfRange."""
    default_code = ErrorCode.ERANGE


class BufferTooSmall(LoopbackError):
    """LB_ENOSPC: an output buffer too small (a binding bug if ever seen)."""
    default_code = ErrorCode.ENOSPC


class NotFound(LoopbackError, LookupError):
    """LB_ENOENT: no such interface, process, namespace or file."""
    default_code = ErrorCode.ENOENT


class PermissionDenied(LoopbackError, PermissionError):
    """LB_EPERM: the operating system denied the operation."""
    default_code = ErrorCode.EPERM
    posix_errno = _errno.EPERM


class SystemCallFailed(LoopbackError, OSError):
    """LB_EIO: a system call failed unexpectedly."""
    default_code = ErrorCode.EIO
    posix_errno = _errno.EIO


class NotSupported(LoopbackError):
    """LB_ENOTSUP: not supported on this platform or backend."""
    default_code = ErrorCode.ENOTSUP


class AddressInUse(LoopbackError, OSError):
    """LB_EADDRINUSE: the address is already in use."""
    default_code = ErrorCode.EADDRINUSE
    posix_errno = _errno.EADDRINUSE


class AddressNotAvailable(LoopbackError, OSError):
    """LB_EADDRNOTAVAIL: the address is not on this host."""
    default_code = ErrorCode.EADDRNOTAVAIL
    posix_errno = _errno.EADDRNOTAVAIL


class BindRefused(LoopbackError, PermissionError):
    """LB_EACCES: bind refused, a privileged port or a system policy."""
    default_code = ErrorCode.EACCES
    posix_errno = _errno.EACCES


class Timeout(LoopbackError, TimeoutError):
    """LB_ETIMEDOUT: the wait timed out."""
    default_code = ErrorCode.ETIMEDOUT
    posix_errno = _errno.ETIMEDOUT


class Exhausted(LoopbackError):
    """LB_EEXHAUSTED: no free port left in the range."""
    default_code = ErrorCode.EEXHAUSTED


class Leased(LoopbackError):
    """LB_ELEASED: the port is leased by another process."""
    default_code = ErrorCode.ELEASED


class ResolveError(LoopbackError, OSError):
    """LB_ERESOLVE: host name resolution failed."""
    default_code = ErrorCode.ERESOLVE


class FamilyNotSupported(LoopbackError, OSError):
    """LB_EAFNOSUPPORT: the address family is not supported on this host."""
    default_code = ErrorCode.EAFNOSUPPORT
    posix_errno = _errno.EAFNOSUPPORT


class BadData(LoopbackError):
    """LB_EBADDATA: malformed data from the kernel or a fixture."""
    default_code = ErrorCode.EBADDATA


class NoBackend(NotSupported):
    """LB_ENOBACKEND: no usable socket-table backend."""
    default_code = ErrorCode.ENOBACKEND


class NotVisible(LoopbackError, LookupError):
    """LB_ENOTVISIBLE: held by no process visible here (another PID namespace).

    A ``Socket.owner_error``: every process the caller can see was
    inspected and none holds the socket.
    """
    default_code = ErrorCode.ENOTVISIBLE


class Exited(LoopbackError, LookupError):
    """LB_EEXITED: the process exited (a socket's holder, while it was described)."""
    default_code = ErrorCode.EEXITED


class NotRequested(LoopbackError):
    """LB_ENOTREQUESTED: not asked for (``Socket.owner_error`` with OwnerMode.NONE)."""
    default_code = ErrorCode.ENOTREQUESTED
class TooManyOpenFiles(LoopbackError, OSError):
    """LB_EMFILE: too many open files (the process's or the system's limit)."""
    default_code = ErrorCode.EMFILE
    posix_errno = _errno.EMFILE


_BY_CODE: Dict[int, Type[LoopbackError]] = {
    cls.default_code: cls
    for cls in (InvalidArgument, OutOfMemory, ParseError, OutOfRange, BufferTooSmall,
                NotFound, PermissionDenied, SystemCallFailed, NotSupported, AddressInUse,
                AddressNotAvailable, BindRefused, Timeout, Exhausted, Leased,
                ResolveError, FamilyNotSupported, BadData, NoBackend, NotVisible,
                Exited, NotRequested, TooManyOpenFiles)
}


def error_class(code: int) -> Type[LoopbackError]:
    """The exception class for a code (LoopbackError itself for an unknown one)."""
    return _BY_CODE.get(int(code), LoopbackError)


def from_code(code: int, message: Optional[str] = None) -> LoopbackError:
    """The exception for a negative code returned by the library."""
    return error_class(code)(message, code=code)


def check(rc: int) -> int:
    """Return ``rc`` if it is not negative, else raise the matching exception."""
    if rc < 0:
        raise from_code(rc)
    return rc
