"""Module extensions for MODULE.bazel (Bazel 7+); Bazel 4 never loads this file."""

load("//bazel:llvm_fuzzer.bzl", "llvm_fuzzer")
load("//bazel:system_library.bzl", "system_library")

def _splitcheck_fuzzing_impl(_module_ctx):
    llvm_fuzzer(name = "llvm_fuzzer")

splitcheck_fuzzing = module_extension(
    implementation = _splitcheck_fuzzing_impl,
    doc = "Declares @llvm_fuzzer, clang's libFuzzer runtime without main().",
)

def _splitcheck_system_libraries_impl(_module_ctx):
    # lib/avro links Debian's libavro.so, which links Debian's snappy and
    # liblzma: a second copy of either from the registry would be a second
    # definition of the same symbols in one process.
    system_library(
        name = "avro_c",
        build_file = Label("//bazel:avro_c.BUILD"),
        debian_package = "libavro-dev",
        headers = ["avro.h", "avro"],
        libraries = ["libavro.so"],
    )
    system_library(
        name = "snappy",
        build_file = Label("//bazel:snappy.BUILD"),
        debian_package = "libsnappy-dev",
        headers = ["snappy-c.h"],
        libraries = ["libsnappy.so"],
    )
    system_library(
        name = "xz",
        build_file = Label("//bazel:xz.BUILD"),
        debian_package = "liblzma-dev",
        headers = ["lzma.h", "lzma"],
        libraries = ["liblzma.so"],
    )

splitcheck_system_libraries = module_extension(
    implementation = _splitcheck_system_libraries_impl,
    doc = "Declares @avro_c, @snappy and @xz from Debian's -dev packages.",
)
