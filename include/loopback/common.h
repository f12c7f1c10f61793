/* SPDX-License-Identifier: MIT */
/*
 * loopback/common.h: export macro, version, error codes.
 *
 * Included by every other public header; users include <loopback.h>.
 * This header must compile as C89 -pedantic, C99, C11 and C++11.
 */
#ifndef LOOPBACK_COMMON_H
#define LOOPBACK_COMMON_H

#ifdef __cplusplus
extern "C" {
#endif

#ifndef LB_EXPORT
# if defined(_WIN32) || defined(__CYGWIN__)
#  if defined(LB_BUILDING_LIBRARY) && !defined(LB_STATIC)
#   define LB_EXPORT __declspec(dllexport)
#  elif defined(LB_STATIC) || defined(LB_BUILDING_LIBRARY)
#   define LB_EXPORT
#  else
#   define LB_EXPORT __declspec(dllimport)
#  endif
# elif defined(__GNUC__) && __GNUC__ >= 4
#  define LB_EXPORT __attribute__((visibility("default")))
# else
#  define LB_EXPORT
# endif
#endif

/* Version of the headers you compiled against. lb_version() tells the
 * version of the library you run against. */
#define LB_VERSION_MAJOR 0
#define LB_VERSION_MINOR 1
#define LB_VERSION_MICRO 0
#define LB_VERSION_STRING "0.1.0"
#define LB_VERSION_NUMBER \
	((LB_VERSION_MAJOR << 16) | (LB_VERSION_MINOR << 8) | LB_VERSION_MICRO)

/*
 * Error codes. Every function returns 0 (or a documented non-negative
 * value) on success and one of these on failure. The numbers are stable
 * forever: new codes get new numbers, old ones never change meaning.
 */
#define LB_OK              0
#define LB_EINVAL         (-1)  /* invalid argument (NULL, bad flag, bad size) */
#define LB_ENOMEM         (-2)  /* out of memory */
#define LB_ESYNTAX        (-3)  /* malformed text: see the parse error for where and why */
#define LB_ERANGE         (-4)  /* value out of range (port > 65535, label too long) */
#define LB_ENOSPC         (-5)  /* output buffer too small */
#define LB_ENOENT         (-6)  /* no such object (interface, process, namespace, file) */
#define LB_EPERM          (-7)  /* permission denied by the operating system */
#define LB_EIO            (-8)  /* a system call failed unexpectedly */
#define LB_ENOTSUP        (-9)  /* not supported on this platform or backend */
#define LB_EADDRINUSE     (-10) /* address already in use */
#define LB_EADDRNOTAVAIL  (-11) /* address not available on this host */
#define LB_EACCES         (-12) /* bind refused: privileged port or OS policy */
#define LB_ETIMEDOUT      (-13) /* timed out */
#define LB_EEXHAUSTED     (-14) /* no free port left in the range */
#define LB_ELEASED        (-15) /* port leased by another process */
#define LB_ERESOLVE       (-16) /* host name resolution failed */
#define LB_EAFNOSUPPORT   (-17) /* address family not supported on this host */
#define LB_EBADDATA       (-18) /* malformed data from the kernel or a fixture */
#define LB_ENOBACKEND     (-19) /* no usable socket-table backend */
/* Why a socket's owners are unknown (lb_socket_owner_error()); codes of
 * their own so they never read as a failure of the call. */
#define LB_ENOTVISIBLE    (-20) /* held by no process visible here (another PID namespace) */
#define LB_EEXITED        (-21) /* the process exited */
#define LB_ENOTREQUESTED  (-22) /* not asked for (LB_OWNERS_NONE) */
/* @since 1.0: too many open files (EMFILE: this process's limit, ENFILE:
 * the system's); raise the limit (ulimit -n) or close descriptors. */
#define LB_EMFILE         (-23)

/**
 * lb_strerror - describe an error code
 * @err: a negative LB_E* code (the sign is what the library returns)
 *
 * Returns a static, NUL-terminated English sentence; never NULL. Unknown
 * codes give "Unknown error". Thread-safe; do not free.
 * @since 0.1
 */
LB_EXPORT const char *lb_strerror(int err);

/**
 * lb_error_name - the symbolic name of an error code
 * @err: a negative LB_E* code, or 0
 *
 * Returns the name as a static string ("LB_EINVAL", "LB_OK"), or NULL
 * if @err is not a code of this library. Do not free.
 * @since 0.1
 */
LB_EXPORT const char *lb_error_name(int err);

/**
 * lb_version - the version of the library at run time
 *
 * Returns a static string such as "0.1.0"; compare with
 * LB_VERSION_STRING to detect a header/library mismatch. Do not free.
 * @since 0.1
 */
LB_EXPORT const char *lb_version(void);

/**
 * lb_version_number - the run-time version as a number
 *
 * Returns (major << 16) | (minor << 8) | micro, comparable with
 * LB_VERSION_NUMBER.
 * @since 0.1
 */
LB_EXPORT unsigned long lb_version_number(void);

#ifdef __cplusplus
}
#endif

#endif /* LOOPBACK_COMMON_H */
