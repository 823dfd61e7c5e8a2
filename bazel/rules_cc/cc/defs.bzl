"""An offline stand-in for `@rules_cc//cc:defs.bzl` under Bazel 4.2.3.

Bazel 4 ships the C++ rules natively; rules_cc only re-exports them. Debian's
`bazel-rules-cc` package does not load under 4.2.3 (it needs `use_cpp_toolchain`,
which 4.2.3's `@bazel_tools` lacks), and nothing can be downloaded, so this file
forwards every symbol that our BUILD files and Bazel's own `@bazel_tools` load.
Under Bazel 7+ with Bzlmod the real rules_cc from the registry is used instead
and BUILD files stay unchanged.
"""

def cc_binary(**attrs):
    native.cc_binary(**attrs)

def cc_import(**attrs):
    native.cc_import(**attrs)

def cc_library(**attrs):
    native.cc_library(**attrs)

def cc_proto_library(**attrs):
    native.cc_proto_library(**attrs)

def cc_test(**attrs):
    native.cc_test(**attrs)

def cc_toolchain(**attrs):
    native.cc_toolchain(**attrs)

def cc_toolchain_suite(**attrs):
    native.cc_toolchain_suite(**attrs)

def fdo_prefetch_hints(**attrs):
    native.fdo_prefetch_hints(**attrs)

def fdo_profile(**attrs):
    native.fdo_profile(**attrs)

def objc_import(**attrs):
    native.objc_import(**attrs)

def objc_library(**attrs):
    native.objc_library(**attrs)
