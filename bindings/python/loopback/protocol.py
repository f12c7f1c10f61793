# SPDX-License-Identifier: MIT
"""Protocols, as the socket table (LB_PROTO_*) and the picker (LB_PICK_*) number them."""
from __future__ import annotations

import enum


class Protocol(enum.IntFlag):
    """TCP or UDP, or a set of them: LB_PROTO_* and LB_PICK_* share the values."""

    TCP = 0x1
    UDP = 0x2
    ALL = 0x3
