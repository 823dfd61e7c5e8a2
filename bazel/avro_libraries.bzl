"""The Debian libraries lib/avro links, declared once for both builds.

repositories.bzl (WORKSPACE) declares them through `maybe`, extensions.bzl
(Bzlmod) directly: both from Debian under either build, because lib/avro
links Debian's libavro.so, which links Debian's snappy and liblzma, and a
second copy of either from the registry would define the same symbols twice
in one process.
"""

load("//bazel:system_library.bzl", "system_library")

_AVRO_LIBRARIES = {
    "avro_c": struct(
        debian_package = "libavro-dev",
        headers = ["avro.h", "avro"],
        libraries = ["libavro.so"],
    ),
    "snappy": struct(
        debian_package = "libsnappy-dev",
        headers = ["snappy-c.h"],
        libraries = ["libsnappy.so"],
    ),
    "xz": struct(
        debian_package = "liblzma-dev",
        headers = ["lzma.h", "lzma"],
        libraries = ["liblzma.so"],
    ),
}

def _call(repository_rule, **kwargs):
    repository_rule(**kwargs)

def avro_libraries(declare = _call):
    """Declares @avro_c, @snappy and @xz, each as declare(system_library, name = ..., ...).

    Args:
      declare: `maybe` from a WORKSPACE macro; by default the rule is called
        as it is (a module extension).
    """
    for name, library in _AVRO_LIBRARIES.items():
        declare(
            system_library,
            name = name,
            build_file = Label("//bazel:%s.BUILD" % name),
            debian_package = library.debian_package,
            headers = library.headers,
            libraries = library.libraries,
        )
