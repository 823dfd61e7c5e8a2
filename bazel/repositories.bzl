"""External repositories splitcheck needs under a WORKSPACE build (Bazel 4).

`splitcheck_dependencies()` declares GoogleTest, RapidCheck, Google Benchmark
the compression libraries (zlib, bzip2, zstd) and SQLite from Debian's packages under the names the Bazel Central Registry uses, so
BUILD labels are the same under Bzlmod. Repositories the caller already
declared are left alone.
"""

load("@bazel_tools//tools/build_defs/repo:utils.bzl", "maybe")
load("//bazel:system_library.bzl", "system_library")

def splitcheck_dependencies():
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
