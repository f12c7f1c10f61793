/* SPDX-License-Identifier: MIT */
/*
 * The Windows dynamic port range. Windows has no Win32 call for it; the
 * supported surface is the CIM class MSFT_NetTCPSetting in
 * ROOT\StandardCimv2 (what Get-NetTCPSetting and `netsh int ipv4 show
 * dynamicport tcp` show: DynamicPortRangeStartPort and
 * DynamicPortRangeNumberOfPorts). The documented default 49152-65535 is
 * not assumed: installers change it (Visual Studio sets 1024 + 64511),
 * so when the class cannot be read lb_port_ephemeral_range() says
 * LB_ENOTSUP instead of guessing. Picking, which must keep out of the range
 * either way, then avoids the documented default
 * (lb__os_ephemeral_default()). The rest of lib/os/ports.h: Windows has no
 * privileged ports and no reserved-port list; a bind refused with
 * WSAEACCES is an excluded port range.
 */
#ifdef _WIN32
#define COBJMACROS
#include <windows.h>
#include <objbase.h>
#include <oleauto.h>
#include <wbemidl.h>

#include "core/internal.h"
#include "os/ports.h"
#include "os/windows/port-range.h"

/* A range given as its first port and a count of ports (Windows: the
 * DynamicPortRange start and number of ports). Pure; strict. */
int lb__port_range_from_count(unsigned long start, unsigned long count, uint16_t *ret_first,
			      uint16_t *ret_last)
{
	lb_return_if(!ret_first || !ret_last, LB_EINVAL);
	if (start == 0 || count == 0 || start > 65535 || count > 65536 - start)
		return LB_EBADDATA;
	*ret_first = (uint16_t)start;
	*ret_last = (uint16_t)(start + count - 1);
	return 0;
}

static int variant_uint(const VARIANT *v, unsigned long *ret)
{
	switch (V_VT(v)) {
	case VT_I4:
		if (V_I4(v) < 0)
			return LB_EBADDATA;
		*ret = (unsigned long)V_I4(v);
		return 0;
	case VT_UI4:
		*ret = V_UI4(v);
		return 0;
	case VT_I2:
		if (V_I2(v) < 0)
			return LB_EBADDATA;
		*ret = (unsigned long)V_I2(v);
		return 0;
	case VT_UI2:
		*ret = V_UI2(v);
		return 0;
	default:
		return LB_ENOENT; /* VT_NULL: this setting instance has no value */
	}
}

/* Read one property as a number from a CIM instance. */
static int get_uint(IWbemClassObject *obj, const wchar_t *prop, unsigned long *ret)
{
	VARIANT v;
	int r;

	VariantInit(&v);
	if (FAILED(IWbemClassObject_Get(obj, prop, 0, &v, NULL, NULL)))
		return LB_ENOENT;
	r = variant_uint(&v, ret);
	VariantClear(&v);
	return r;
}

static int query(IWbemServices *svc, uint16_t *ret_first, uint16_t *ret_last)
{
	IEnumWbemClassObject *en = NULL;
	BSTR lang = SysAllocString(L"WQL");
	BSTR wql = SysAllocString(L"SELECT DynamicPortRangeStartPort, "
				  L"DynamicPortRangeNumberOfPorts FROM MSFT_NetTCPSetting");
	int r = LB_ENOTSUP;

	if (!lang || !wql) {
		r = LB_ENOMEM;
		goto out;
	}
	if (FAILED(IWbemServices_ExecQuery(svc, lang, wql,
					   WBEM_FLAG_FORWARD_ONLY | WBEM_FLAG_RETURN_IMMEDIATELY,
					   NULL, &en)))
		goto out;
	/* Every template (Internet, Datacenter, ...) that has the range
	 * carries the same global one; templates without it give NULL. */
	for (;;) {
		IWbemClassObject *obj = NULL;
		ULONG got = 0;
		unsigned long start, count;

		if (IEnumWbemClassObject_Next(en, 5000, 1, &obj, &got) != WBEM_S_NO_ERROR ||
		    got == 0)
			break;
		r = get_uint(obj, L"DynamicPortRangeStartPort", &start);
		if (r == 0)
			r = get_uint(obj, L"DynamicPortRangeNumberOfPorts", &count);
		IWbemClassObject_Release(obj);
		if (r == 0) {
			r = lb__port_range_from_count(start, count, ret_first, ret_last);
			break;
		}
		if (r != LB_ENOENT)
			break;
		r = LB_ENOTSUP;
	}
	IEnumWbemClassObject_Release(en);
out:
	SysFreeString(lang);
	SysFreeString(wql);
	return r;
}

int lb__os_ephemeral_range(uint16_t *ret_first, uint16_t *ret_last)
{
	IWbemLocator *loc = NULL;
	IWbemServices *svc = NULL;
	BSTR ns = NULL;
	HRESULT init;
	int r = LB_ENOTSUP;

	/* Join whatever COM apartment the calling thread has; undo only our
	 * own initialisation. */
	init = CoInitializeEx(NULL, COINIT_MULTITHREADED);
	if (FAILED(init) && init != RPC_E_CHANGED_MODE)
		return LB_EIO;
	if (FAILED(CoCreateInstance(&CLSID_WbemLocator, NULL, CLSCTX_INPROC_SERVER,
				    &IID_IWbemLocator, (void **)&loc)))
		goto out;
	ns = SysAllocString(L"ROOT\\StandardCimv2");
	if (!ns) {
		r = LB_ENOMEM;
		goto out;
	}
	if (FAILED(IWbemLocator_ConnectServer(loc, ns, NULL, NULL, NULL, 0, NULL, NULL, &svc)))
		goto out; /* no such namespace (wine, Windows 7): not supported */
	if (FAILED(CoSetProxyBlanket((IUnknown *)svc, RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE,
				     NULL, RPC_C_AUTHN_LEVEL_CALL,
				     RPC_C_IMP_LEVEL_IMPERSONATE, NULL, EOAC_NONE)))
		goto out;
	r = query(svc, ret_first, ret_last);
out:
	if (svc)
		IWbemServices_Release(svc);
	if (loc)
		IWbemLocator_Release(loc);
	SysFreeString(ns);
	if (SUCCEEDED(init))
		CoUninitialize();
	return r;
}

int lb__os_ephemeral_default(uint16_t *ret_first, uint16_t *ret_last)
{
	/* https://learn.microsoft.com/troubleshoot/windows-server/networking/
	 * default-dynamic-port-range-tcpip-chang */
	*ret_first = 49152;
	*ret_last = 65535;
	return 0;
}

/* Excluded port ranges refuse the probe bind with WSAEACCES instead, and
 * the pick moves on. */
int lb__os_reserved_ports(uint8_t *set)
{
	(void)set;
	return 0;
}

int lb__os_unprivileged_start(unsigned long *ret_port)
{
	*ret_port = 1024;
	return 0;
}

enum lb__bind_denied lb__os_bind_denied(void)
{
	return LB__BIND_DENIED_EXCLUDED;
}
#endif /* _WIN32 */
