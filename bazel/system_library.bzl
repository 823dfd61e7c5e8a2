"""Wraps a C/C++ library installed by a Debian `-dev` package as a Bazel repository.

Only the named headers and libraries are linked into the repository, so the
generated targets can use `includes = ["include"]` without exposing all of
/usr/include (which would break libstdc++'s `#include_next`). Libraries are
found the way the compiler finds them (`cc -print-file-name`), so the rule
works on any Debian architecture. A missing package is reported by name at
fetch time, before any compile error could hide it.
"""

def _find_library(rctx, cc, file_name):
    result = rctx.execute([cc, "-print-file-name=" + file_name])
    path = result.stdout.strip()
    if result.return_code == 0 and path.startswith("/") and rctx.path(path).exists:
        return rctx.path(path)
    return None

def _system_library_impl(rctx):
    cc = rctx.which("cc") or rctx.which("gcc") or rctx.which("clang")
    if cc == None:
        fail("%s: no C compiler on PATH; run ./bazelw, which installs the build's packages" % rctx.name)
    missing = []
    for header in rctx.attr.headers:
        source = rctx.path(rctx.attr.include_root + "/" + header)
        if not source.exists:
            missing.append(str(source))
            continue
        rctx.symlink(source, "include/" + header)
    for library in rctx.attr.libraries:
        found = _find_library(rctx, cc, library)
        if found == None:
            missing.append(library)
            continue
        rctx.symlink(found, "lib/" + library)
    if missing:
        fail("%s: missing %s; install the Debian package(s) %s (./bazelw does it for you)" % (
            rctx.name,
            ", ".join(missing),
            rctx.attr.debian_package,
        ))
    rctx.symlink(rctx.attr.build_file, "BUILD.bazel")
    rctx.file("WORKSPACE", "workspace(name = \"%s\")\n" % rctx.name)

system_library = repository_rule(
    implementation = _system_library_impl,
    attrs = {
        "build_file": attr.label(mandatory = True, allow_single_file = True),
        "debian_package": attr.string(mandatory = True),
        "headers": attr.string_list(doc = "Files or folders under include_root."),
        "include_root": attr.string(default = "/usr/include"),
        "libraries": attr.string_list(doc = "Library file names, e.g. libgtest.a."),
    },
    local = True,
    doc = "A library from a Debian -dev package, wrapped with the given BUILD file.",
)
