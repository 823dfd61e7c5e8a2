"""External repositories splitcheck needs under a WORKSPACE build (Bazel 4).

`splitcheck_dependencies()` declares GoogleTest, RapidCheck and Google Benchmark
from Debian's packages under the names the Bazel Central Registry uses, so
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
