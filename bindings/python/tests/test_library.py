# SPDX-License-Identifier: MIT
"""Loading the library: version, and the three places it is looked for."""
from __future__ import annotations

import os
import pathlib
import re
import shutil

import pytest

import loopback
from conftest import PYTHON_DIR, SOURCE_ROOT, run_python


def test_version_matches_headers():
    header = (SOURCE_ROOT / "include/loopback/common.h").read_text()
    assert f'#define LB_VERSION_STRING "{loopback.version()}"' in header
    major, minor, micro = loopback.version_info()
    assert loopback.version_number() == (major << 16) | (minor << 8) | micro
    assert loopback.version() == f"{major}.{minor}.{micro}"
    assert loopback.__version__ == loopback.version()


def test_every_prototype_is_in_the_library():
    # The binding declares only functions of the public headers; the
    # library it was tested with exports all of them.
    assert loopback._native.C.missing == []


def header_functions():
    """Every function the public headers export."""
    names = set()
    for p in (SOURCE_ROOT / "include/loopback").glob("*.h"):
        names.update(re.findall(r"LB_EXPORT[^;(]*?\b(lb_\w+)\s*\(", p.read_text()))
    return names


def test_every_prototype_is_declared_in_a_header():
    declared = header_functions()
    assert len(declared) >= 5
    assert sorted(set(loopback._native._PROTOTYPES) - declared) == []


def test_every_header_function_is_bound():
    unbound = sorted(header_functions() - set(loopback._native._PROTOTYPES))
    if unbound:
        pytest.skip("not bound yet: " + ", ".join(unbound))


def test_env_library_wins(library_dir, tmp_path):
    copy = tmp_path / "libloopback.so.1"
    shutil.copy(library_dir / "libloopback.so.1", copy)
    r = run_python("import loopback; print(loopback.library_path)",
                   env={"LOOPBACK_LIBRARY": str(copy)})
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == str(copy)


def test_env_library_bad_path_is_a_clear_error(tmp_path):
    # Importing never loads the library; the first call does, and says
    # what was wrong and how to point the binding at the library.
    r = run_python("import loopback, loopback.pytest_plugin; print('imported', flush=True); "
                   "loopback.version()", env={"LOOPBACK_LIBRARY": str(tmp_path / "nope.so")})
    assert r.returncode != 0 and r.stdout == "imported\n"
    assert "LibraryNotFound" in r.stderr and "nope.so" in r.stderr
    for hint in ("LOOPBACK_LIBRARY=", "LD_LIBRARY_PATH=", "PKG_CONFIG_PATH="):
        assert hint in r.stderr


def test_relative_env_library_is_made_absolute(library_dir):
    # A relative LOOPBACK_LIBRARY is taken from the directory the process
    # started in, and library_path says where that was.
    r = run_python("import loopback, os; print(loopback.library_path); os.chdir('/'); "
                   "print(loopback.version())",
                   env={"LOOPBACK_LIBRARY": "./libloopback.so.1"}, cwd=str(library_dir))
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == [str(library_dir / "libloopback.so.1"), loopback.version()]


def test_harness_hands_an_absolute_env_library_to_subprocesses():
    # conftest makes a relative LOOPBACK_LIBRARY absolute, so that the
    # subprocesses of the tests (which run in / or a temp dir) load it.
    path = os.environ.get("LOOPBACK_LIBRARY")
    if not path:
        pytest.skip("LOOPBACK_LIBRARY is not set for this run")
    assert os.path.isabs(path) or os.sep not in path


def test_build_tree_found_without_env(library_dir):
    if not str(library_dir).startswith(str(SOURCE_ROOT / "build")):
        pytest.skip("the library under test is not in this source tree's build/")
    r = run_python("import loopback; print(loopback.library_path)",
                   env={"LOOPBACK_LIBRARY": None}, cwd="/")
    assert r.returncode == 0, r.stderr
    found = pathlib.Path(r.stdout.strip())
    assert found.name == "libloopback.so.1"
    assert found.is_relative_to(SOURCE_ROOT / "build")


def outside_the_tree(tmp_path):
    """A copy of the package outside any source tree, and an environment that
    names no library: no LOOPBACK_LIBRARY, no loopback.pc for pkg-config."""
    shutil.copytree(PYTHON_DIR / "loopback", tmp_path / "loopback",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "no-pc").mkdir()
    return {"LOOPBACK_LIBRARY": None, "PYTHONPATH": str(tmp_path), "PKG_CONFIG_PATH": None,
            "PKG_CONFIG_LIBDIR": str(tmp_path / "no-pc"), "LD_LIBRARY_PATH": None}


def test_installed_library_through_the_loader(library_dir, tmp_path):
    # A copy of the package outside any source tree finds the library the
    # way an installed one does: through the dynamic loader's search path.
    env = outside_the_tree(tmp_path)
    env["LD_LIBRARY_PATH"] = str(library_dir)
    r = run_python("import loopback; print(loopback.library_path, loopback.version())",
                   env=env, cwd="/")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["libloopback.so.1", loopback.version()]
    env["LD_LIBRARY_PATH"] = str(tmp_path)
    r = run_python("import loopback", env=env, cwd="/")
    assert r.returncode == 0, r.stderr  # importing loads nothing
    r = run_python("import loopback; loopback.parse_endpoint('[::1]:80')", env=env, cwd="/")
    if r.returncode == 0:
        pytest.skip("libloopback.so.1 is installed in the loader's default path here")
    assert "libloopback not found" in r.stderr and "LOOPBACK_LIBRARY=" in r.stderr


def test_library_through_pkg_config(installed_prefix, tmp_path):
    # An install under its own prefix (meson setup --prefix; meson install):
    # its loopback.pc on PKG_CONFIG_PATH is enough, no loader path.
    env = outside_the_tree(tmp_path)
    (pc,) = installed_prefix.glob("**/pkgconfig/loopback.pc")
    env["PKG_CONFIG_PATH"] = str(pc.parent)
    env["PKG_CONFIG_LIBDIR"] = None
    r = run_python("import loopback; print(loopback.library_path, loopback.version())",
                   env=env, cwd="/")
    assert r.returncode == 0, r.stderr
    path, version = r.stdout.split()
    assert version == loopback.version()
    assert path == str(pc.parent.parent / "libloopback.so.1")
    assert pathlib.Path(path).is_relative_to(installed_prefix)


def test_build_tree_through_uninstalled_pkg_config(library_dir, tmp_path):
    # meson's <build>/meson-uninstalled/loopback-uninstalled.pc names the
    # build tree in -L (its libdir variable is the install's).
    uninstalled = library_dir.parent / "meson-uninstalled"
    if not (uninstalled / "loopback-uninstalled.pc").is_file():
        pytest.skip("the library under test is not in a meson build tree")
    env = outside_the_tree(tmp_path)
    env["PKG_CONFIG_PATH"] = str(uninstalled)
    r = run_python("import loopback; print(loopback.library_path)", env=env, cwd="/")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == str(library_dir / "libloopback.so.1")


def test_build_tree_skips_sanitized_builds(tmp_path, library_dir):
    # A fake source tree with a plain and a newer ASan build: the plain one wins.
    from loopback import _native
    (tmp_path / "include").mkdir()
    (tmp_path / "include/loopback.h").write_text("")
    for name, sanitize in (("plain", "none"), ("asan", "address,undefined")):
        lib = tmp_path / "build" / name / "lib"
        lib.mkdir(parents=True)
        shutil.copy(library_dir / "libloopback.so.1", lib)
        info = tmp_path / "build" / name / "meson-info"
        info.mkdir()
        (info / "intro-buildoptions.json").write_text(
            '[{"name": "b_sanitize", "value": "%s"}]' % sanitize)
    later = os.stat(tmp_path / "build/plain/lib/libloopback.so.1").st_mtime + 10
    os.utime(tmp_path / "build/asan/lib/libloopback.so.1", (later, later))
    assert _native._build_tree_candidates(tmp_path) == [
        tmp_path / "build/plain/lib/libloopback.so.1"]
    assert _native._build_tree_candidates(tmp_path / "build") == []
