/* SPDX-License-Identifier: MIT */
/*
 * loopback.h: the one header users of libloopback include.
 */
#ifndef LOOPBACK_H
#define LOOPBACK_H

#include <loopback/common.h>
#include <loopback/check.h>
#include <loopback/endpoint.h>
#include <loopback/lease.h>
#include <loopback/pick.h>
#include <loopback/port.h>
#include <loopback/socket.h>
#include <loopback/wait.h>

#endif /* LOOPBACK_H */
