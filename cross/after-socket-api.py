#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Hook the non-Linux backends up once the socket API (lib/backend.h,
lib/socket.c, lib/netns.c, lib/backend/mock.c, tools/cmd-ls.c) is merged.

Usage: after-socket-api.py TOP  (run once, in the merged tree, after a
merge whose only conflicts are the source/test lists of lib/meson.build
and tests/meson.build: both sides are kept). It adds the per-OS sources,
the backend table entries, the Windows/FreeBSD suites, and the small
portability guards those files need for mingw-w64 (winsock headers,
no pwd.h, the /proc owner scan only on Linux). Idempotent."""
import re, sys, os
root = sys.argv[1]
def rd(p): return open(os.path.join(root,p)).read()
def wr(p,s): open(os.path.join(root,p),'w').write(s)
# resolve conflicts by keeping both sides
for p in ['lib/meson.build','tests/meson.build']:
    s=rd(p)
    s=re.sub(r'<<<<<<< [^\n]*\n(.*?)=======\n(.*?)>>>>>>> [^\n]*\n', lambda m: m.group(1)+'@@SPLIT@@\n'+m.group(2), s, flags=re.S)
    wr(p,s)
s=rd('lib/meson.build')
# normalise the OS blocks
s=re.sub(r"if host_os == 'windows'\n\tlb_sources \+= files\('port-range-windows.c'.*?\n@@SPLIT@@\nif host_os == 'linux'\n", "if host_os == 'linux'\n", s, flags=re.S)
s=s.replace("""	'backend/sysctl-freebsd-parse.c',
	'backend/lease-flock.c',
)""","""	'backend/sysctl-freebsd-parse.c',
	'backend/sysctl-freebsd-socket.c',
	'backend/lease-flock.c',
)""")
# add non-linux branches to the linux block
m=None if "'backend/iphlpapi.c'" in s else re.search(r"if host_os == 'linux'\n\tlb_sources \+= files\((.*?)\)\nendif\n", s, flags=re.S)
block=m.group(0) if m else ''

new=block[:-len("endif\n")]+"""elif host_os == 'windows'
	lb_sources += files(
		'backend/iphlpapi.c',
		'backend/iphlpapi-table.c',
		'backend/owner-join.c',
		'backend/port-windows.c',
		'port-range-windows.c',
	)
elif host_os == 'darwin'
	lb_sources += files(
		'backend/libproc.c',
		'backend/libproc-parse.c',
		'backend/owner-join.c',
	)
elif host_os == 'freebsd'
	lb_sources += files(
		'backend/owner-join.c',
		'backend/sysctl-freebsd.c',
		'backend/sysctl-freebsd-proc.c',
	)
endif
"""
if m:
    s=s.replace(block,new)
assert '@@SPLIT@@' not in s, s[:1500]
wr('lib/meson.build',s)
s=rd('tests/meson.build')
s=s.replace("@@SPLIT@@\n","")
if 'test-freebsd-socket' not in s:
    s=s.replace("""	'test-freebsd-pcblist': { 'sources': files('test-freebsd-pcblist.c'), 'internal': true },""","""	'test-freebsd-pcblist': { 'sources': files('test-freebsd-pcblist.c'), 'internal': true },
	'test-freebsd-socket': { 'sources': files('test-freebsd-socket.c'), 'internal': true },""")
wr('tests/meson.build',s)
s=rd('tests/win/meson.build')
if 'test-win-iphlpapi' not in s:
    s=s.replace("""	'test-win-port': { 'sources': files('test-win-port.c'), 'internal': true },""","""	'test-win-port': { 'sources': files('test-win-port.c'), 'internal': true },
	'test-win-iphlpapi': { 'sources': files('test-win-iphlpapi.c'), 'internal': true },""")
s=s.replace("lb_win_portable = ['test-common', 'test-endpoint', 'test-freebsd-pcblist']","lb_win_portable = ['test-common', 'test-endpoint', 'test-freebsd-pcblist', 'test-freebsd-socket', 'test-socket-mock']")
wr('tests/win/meson.build',s)
s=rd('lib/backend.h')
if 'lb__backend_iphlpapi' not in s:
    s=s.replace('extern const struct lb__backend lb__backend_mock;','''extern const struct lb__backend lb__backend_mock;
extern const struct lb__backend lb__backend_iphlpapi; /* Windows */
extern const struct lb__backend lb__backend_libproc;  /* macOS */
extern const struct lb__backend lb__backend_sysctl;   /* FreeBSD */''')
    assert 'lb__backend_iphlpapi' in s
wr('lib/backend.h',s)
s=rd('lib/socket.c')
if 'lb__backend_iphlpapi' not in s:
    s=s.replace('''	&lb__backend_procfs,
#endif''','''	&lb__backend_procfs,
#elif defined(_WIN32)
	&lb__backend_iphlpapi,
#elif defined(__APPLE__)
	&lb__backend_libproc,
#elif defined(__FreeBSD__)
	&lb__backend_sysctl,
#endif''')
    assert 'lb__backend_iphlpapi' in s
wr('lib/socket.c',s)
print('hooked')
s=rd('tests/win/meson.build')
if 'test-win-cli-who' not in s:
    s+='''
# loopback who / ls on real sockets, as Windows programs.
test('test-win-cli-who',
	executable('test-win-cli-who', files('test-win-cli-who.c'),
		dependencies: [lb_win_check_dep, libloopback_dep, cc.find_library('ws2_32')]),
	args: [loopback_tool],
	depends: [loopback_tool],
	suite: 'windows', timeout: 120)
'''
wr('tests/win/meson.build',s)
print('cli-who hooked')

# ---- portability guards ----
def ex(p): return os.path.exists(os.path.join(root,p))
if ex('lib/backend/mock.c'):
    s=rd('lib/backend/mock.c')
    if '#include <arpa/inet.h>\n' in s and '_WIN32' not in s:
        s=s.replace('#include <arpa/inet.h>\n','#ifdef _WIN32\n#include <winsock2.h>\n#include <ws2tcpip.h>\n#else\n#include <arpa/inet.h>\n#endif\n',1)
    wr('lib/backend/mock.c',s)
if ex('lib/netns.c'):
    s=rd('lib/netns.c')
    if '#include <sys/ioctl.h>\n' in s and s.index('#include <sys/ioctl.h>') < s.index('#if defined(__linux__)'):
        s=s.replace('#include <sched.h>\n','',1).replace('#include <sys/ioctl.h>\n','',1)
        s=s.replace('#if defined(__linux__)\n#include <linux/nsfs.h>','#if defined(__linux__)\n#include <sched.h>\n#include <sys/ioctl.h>\n#include <linux/nsfs.h>',1)
    wr('lib/netns.c',s)
if ex('tools/cmd-ls.c'):
    s=rd('tools/cmd-ls.c')
    if '#include <pwd.h>\n' in s and '_WIN32' not in s:
        s=s.replace('#include <pwd.h>\n','#ifndef _WIN32\n#include <pwd.h>\n#endif\n',1)
        s=s.replace('''			} else {
				struct passwd *pw = getpwnam(optarg);

				if (!pw) {
					lb_cli_error("--user: no such user '%s'", optarg);
					return -1;
				}
				lb_query_set_uid(q, pw->pw_uid);
			}''','''			} else {
#ifdef _WIN32
				lb_cli_error("--user: '%s': Windows has no numeric user ids", optarg);
				return -1;
#else
				struct passwd *pw = getpwnam(optarg);

				if (!pw) {
					lb_cli_error("--user: no such user '%s'", optarg);
					return -1;
				}
				lb_query_set_uid(q, pw->pw_uid);
#endif
			}''')
    wr('tools/cmd-ls.c',s)
s=rd('lib/socket.c')
if ': lb__owner_resolve(q, list)' in s and 'default_resolve' not in s:
    s=s.replace(': lb__owner_resolve(q, list)',': default_resolve(q, list)')
    s=s.replace('static int choose_backend(','''/* The /proc owner scan is Linux's; other backends resolve their own. */
#if defined(__linux__)
#define default_resolve lb__owner_resolve
#else
static int default_resolve(const lb_query *q, lb_socket_list *list)
{
	(void)q;
	(void)list;
	return LB_ENOTSUP;
}
#endif

static int choose_backend(''',1)
wr('lib/socket.c',s)
print('portfixed')
