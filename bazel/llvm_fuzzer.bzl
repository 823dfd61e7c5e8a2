"""libFuzzer's engine without its main(), from the installed clang.

`@llvm_fuzzer//:fuzzer_no_main` wraps clang's
`libclang_rt.fuzzer_no_main-<arch>.a` (Debian: libclang-rt-14-dev), found
with `clang -print-file-name`, so no path is hard-coded. Fuzz binaries link it
only under --config=libfuzzer and provide their own main, which replays a
corpus by default and calls LLVMFuzzerRunDriver under --fuzz. If clang or the
archive is missing, the target still exists but fails to compile with a
message naming the package to install.
"""

def _llvm_fuzzer_impl(rctx):
    clang = rctx.which("clang")
    arch = rctx.execute(["uname", "-m"]).stdout.strip()
    archive = None
    if clang != None:
        name = "libclang_rt.fuzzer_no_main-%s.a" % arch
        path = rctx.execute([clang, "-print-file-name=" + name]).stdout.strip()
        if path.startswith("/") and rctx.path(path).exists:
            archive = path
    if archive == None:
        rctx.file("missing.cc", "#error \"libFuzzer's runtime was not found: install clang and libclang-rt-14-dev (./bazelw does)\"\n")
        rctx.file("BUILD.bazel", """
load("@rules_cc//cc:defs.bzl", "cc_library")
cc_library(name = "fuzzer_no_main", srcs = ["missing.cc"], visibility = ["//visibility:public"])
""")
        return
    rctx.symlink(archive, "libfuzzer_no_main.a")
    rctx.file("BUILD.bazel", """
load("@rules_cc//cc:defs.bzl", "cc_import")
cc_import(
    name = "fuzzer_no_main",
    static_library = "libfuzzer_no_main.a",
    alwayslink = True,
    visibility = ["//visibility:public"],
)
""")

llvm_fuzzer = repository_rule(
    implementation = _llvm_fuzzer_impl,
    local = True,
    doc = "clang's libFuzzer runtime without main(), as @<name>//:fuzzer_no_main.",
)
