"""External repositories splitcheck needs under a WORKSPACE build (Bazel 4).

One call declares everything, for this repository and for a repository that
depends on it:

    local_repository(name = "splitcheck", path = "...")   # or http_archive
    load("@splitcheck//bazel:repositories.bzl", "splitcheck_dependencies")
    splitcheck_dependencies()

It declares
  * the three repositories Bazel 4's built-in WORKSPACE suffix would
    download (rules_cc, rules_java, remote_coverage_tools): an in-tree shim of
    rules_cc's defs.bzl, Debian's rules_java, and a stub of the coverage
    tools, so the build never reaches the network;
  * GoogleTest, RapidCheck, Google Benchmark, zlib, bzip2, zstd and SQLite from
    Debian's packages, under the names the Bazel Central Registry uses, so
    BUILD labels are the same under Bzlmod (MODULE.bazel);
  * avro-c, snappy, liblzma and libpq (@avro_c, @snappy, @xz, @libpq) from
    Debian's packages, under Bzlmod too (debian_shared_libraries.bzl says why);
  * @llvm_fuzzer, clang's libFuzzer runtime for --config=libfuzzer.
Repositories the caller already declared are left alone (a caller with its
own googletest keeps it).
"""

load("@bazel_tools//tools/build_defs/repo:utils.bzl", "maybe")
load("//bazel:debian_shared_libraries.bzl", "debian_shared_libraries")
load("//bazel:llvm_fuzzer.bzl", "llvm_fuzzer")
load("//bazel:system_library.bzl", "system_library")

def _bundled_repository_impl(rctx):
    # The directory of this repository's bazel/ package, found through a
    # label so that it works wherever the repository was fetched to.
    bazel_dir = rctx.path(Label("//bazel:BUILD")).dirname
    source = bazel_dir.get_child(rctx.attr.directory)
    for path in rctx.attr.files:
        target = source
        for part in path.split("/"):
            target = target.get_child(part)
        rctx.symlink(target, path)

_bundled_repository = repository_rule(
    implementation = _bundled_repository_impl,
    attrs = {
        "directory": attr.string(mandatory = True),
        "files": attr.string_list(mandatory = True),
    },
    local = True,
    doc = "A repository made of files kept under this repository's bazel/ directory.",
)

def splitcheck_dependencies():
    maybe(
        _bundled_repository,
        name = "rules_cc",
        directory = "rules_cc",
        files = ["WORKSPACE", "BUILD", "cc/BUILD", "cc/defs.bzl"],
    )
    maybe(
        native.local_repository,
        name = "rules_java",
        path = "/usr/share/bazel/rules/java",
    )
    maybe(
        _bundled_repository,
        name = "remote_coverage_tools",
        directory = "remote_coverage_tools",
        files = ["WORKSPACE", "BUILD", "unsupported.sh"],
    )
    maybe(
        system_library,
        name = "googletest",
        build_file = Label("//bazel:googletest.BUILD"),
        debian_package = "libgtest-dev and libgmock-dev",
        headers = ["gtest", "gmock"],
        libraries = ["libgtest.a", "libgmock.a", "libgtest_main.a"],
    )
    maybe(
        system_library,
        name = "rapidcheck",
        build_file = Label("//bazel:rapidcheck.BUILD"),
        debian_package = "librapidcheck-dev",
        headers = ["rapidcheck.h", "rapidcheck"],
        libraries = ["librapidcheck.a"],
    )
    maybe(
        system_library,
        name = "google_benchmark",
        build_file = Label("//bazel:benchmark.BUILD"),
        debian_package = "libbenchmark-dev",
        headers = ["benchmark"],
        libraries = ["libbenchmark.so"],
    )
    maybe(
        system_library,
        name = "zlib",
        build_file = Label("//bazel:zlib.BUILD"),
        debian_package = "zlib1g-dev",
        headers = ["zlib.h", "zconf.h"],
        libraries = ["libz.a"],
    )
    maybe(
        system_library,
        name = "bzip2",
        build_file = Label("//bazel:bzip2.BUILD"),
        debian_package = "libbz2-dev",
        headers = ["bzlib.h"],
        libraries = ["libbz2.a"],
    )
    maybe(
        system_library,
        name = "zstd",
        build_file = Label("//bazel:zstd.BUILD"),
        debian_package = "libzstd-dev",
        headers = ["zstd.h", "zstd_errors.h", "zdict.h"],
        libraries = ["libzstd.a"],
    )
    maybe(
        system_library,
        name = "sqlite3",
        build_file = Label("//bazel:sqlite3.BUILD"),
        debian_package = "libsqlite3-dev",
        headers = ["sqlite3.h"],
        libraries = ["libsqlite3.a"],
    )
    debian_shared_libraries(maybe)
    maybe(llvm_fuzzer, name = "llvm_fuzzer")
