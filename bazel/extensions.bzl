"""Module extensions for MODULE.bazel (Bazel 7+); Bazel 4 never loads this file."""

load("//bazel:debian_shared_libraries.bzl", "debian_shared_libraries")
load("//bazel:llvm_fuzzer.bzl", "llvm_fuzzer")

def _splitcheck_fuzzing_impl(_module_ctx):
    llvm_fuzzer(name = "llvm_fuzzer")

splitcheck_fuzzing = module_extension(
    implementation = _splitcheck_fuzzing_impl,
    doc = "Declares @llvm_fuzzer, clang's libFuzzer runtime without main().",
)

def _splitcheck_system_libraries_impl(_module_ctx):
    debian_shared_libraries()

splitcheck_system_libraries = module_extension(
    implementation = _splitcheck_system_libraries_impl,
    doc = "Declares @avro_c, @libpq, @snappy and @xz from Debian's -dev packages.",
)
