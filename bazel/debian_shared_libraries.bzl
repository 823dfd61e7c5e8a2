"""The Debian shared libraries splitcheck links, declared once for both builds.

repositories.bzl (WORKSPACE) declares them through `maybe`, extensions.bzl
(Bzlmod) directly: both from Debian under either build.
  * lib/avro links Debian's libavro.so, which links Debian's snappy and
    liblzma: a second copy of either from the registry would define the same
    symbols twice in one process.
  * lib/postgres links Debian's libpq.so, the client library of the server
    the tests start (Debian's postgresql); its static archive would need
    OpenSSL, GSSAPI and LDAP linked by hand.
"""

load("//bazel:system_library.bzl", "system_library")

_LIBRARIES = {
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
    "libpq": struct(
        debian_package = "libpq-dev",
        headers = ["libpq-fe.h", "postgres_ext.h", "pg_config_ext.h"],
        include_root = "/usr/include/postgresql",
        libraries = ["libpq.so"],
    ),
    "xz": struct(
        debian_package = "liblzma-dev",
        headers = ["lzma.h", "lzma"],
        libraries = ["liblzma.so"],
    ),
}

def _call(repository_rule, **kwargs):
    repository_rule(**kwargs)

def debian_shared_libraries(declare = _call):
    """Declares @avro_c, @libpq, @snappy and @xz, each as declare(system_library, name = ..., ...).

    Args:
      declare: `maybe` from a WORKSPACE macro; by default the rule is called
        as it is (a module extension).
    """
    for name, library in _LIBRARIES.items():
        declare(
            system_library,
            name = name,
            build_file = Label("//bazel:%s.BUILD" % name),
            debian_package = library.debian_package,
            headers = library.headers,
            include_root = getattr(library, "include_root", "/usr/include"),
            libraries = library.libraries,
        )
