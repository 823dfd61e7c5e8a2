"""splitcheck_cc_library: a cc_library whose headers are included by path.

    load("//bazel:cc.bzl", "splitcheck_cc_library")

A header lib/trackers/offset_range_tracker.h of the target
//lib/trackers:offset_range_tracker is included as
"splitcheck/lib/trackers/offset_range_tracker.h", from this repository and
from any repository that depends on splitcheck (WORKSPACE or Bzlmod). Every
other argument goes to cc_library unchanged; visibility is private unless the
target says otherwise.
"""

load("@rules_cc//cc:defs.bzl", "cc_library")

def splitcheck_cc_library(name, **kwargs):
    package = native.package_name()
    cc_library(
        name = name,
        include_prefix = "splitcheck/" + package,
        strip_include_prefix = "/" + package,
        **kwargs
    )
