"""The splitcheck gate, for the BUILD files of any repository.

    load(
        "@splitcheck//bazel:defs.bzl",
        "splitcheck_rejection_test",
        "splitcheck_sdf_conformance_test",
        "splitcheck_sink_conformance_test",
        "splitcheck_source_conformance_test",
        "splitcheck_tracker_fuzz_test",
    )

Each macro takes the user's connector library (`deps`) and a small factory
source file (`srcs`, by default `<name>.cc`) and declares test targets with the testkit, GoogleTest
and a main already linked, a size that fits the checks' cost, the in-memory file system the
factories build their inputs on, Bazel test
shards where a check is cut into chunks, and the tag "splitcheck" (so
`bazel test --test_tag_filters=splitcheck //...` runs the gate alone).

splitcheck_source_conformance_test(name, srcs, deps, shard_count = 4,
                                   mutation_analysis = True, lint = True)
    <name>: every source check (reference equality, reentrant reads, dynamic
    split schedules, progress contract, source hygiene, and the exhaustive
    split check cut into 8 chunks spread over the shards). The factory file
    defines a function returning a fresh std::shared_ptr to the source and one
    returning SourceConformanceOptions, and names them in one line:
        SPLITCHECK_SOURCE_CONFORMANCE_TEST(MySource, MakeSource, MakeOptions);
    (MakeOptions may be left out: the default options, seeds fixed.)
    <name>_mutants (unless mutation_analysis = False): the mutation analysis
    of the gate (testkit/mutation_analysis.h) with the same factory and
    options: the gate on the source itself, then on each generic one-line bug
    put into it; fails, naming what to change, when the gate as configured
    misses one. Both tests are one program: the factory file is compiled
    once, into <name>_gate (a library), with both parts
    (SPLITCHECK_GATE_AND_MUTANTS, testkit/gtest.h), and each test runs its
    part (testkit/gate_main.cc).
    <name>_lint (unless lint = False): bazel/coyield_lint.sh over the factory
    file and the sources of its deps in the same repository: a co_yield of a
    braced temporary (co_yield Row{...}), which GCC 12 destroys twice or
    rejects, fails at its line with the fix (name the value first).

splitcheck_sink_conformance_test(name, srcs, deps, shard_count = 6,
                                 mutation_analysis = True)
    <name>: every sink check (crash points, finalize idempotence, retries and
    speculation, order independence, isolation, failed-write cleanup,
    serialization), one GoogleTest test each, spread over 6 shards by
    default. The factory file defines a function returning a
    SinkUnderTest<T> and names it:
        SPLITCHECK_SINK_CONFORMANCE_TEST(MySink, MakeSinkUnderTest);
    or, with options (a function returning SinkConformanceOptions):
        SPLITCHECK_SINK_CONFORMANCE_TEST(MySink, MakeSinkUnderTest, MakeOptions);
    <name>_mutants: the mutation analysis of the sink gate, likewise.

splitcheck_sdf_conformance_test(name, srcs, deps, shard_count = 3,
                                mutation_analysis = True)
    <name>: the SDF checks (the exhaustive split, the checkpoint schedules,
    the runner schedules, each on every element; testkit/sdf/sdf_checks.h),
    one GoogleTest test each, over 3 shards by default. The factory file
    defines a function returning the splittable DoFn (by value or a smart
    pointer) and one returning a std::vector of its elements, and names them:
        SPLITCHECK_SDF_CONFORMANCE_TEST(MyDoFn, MakeDoFn, MakeElements);
    or, with options (a function returning SdfCheckOptions):
        SPLITCHECK_SDF_CONFORMANCE_TEST(MyDoFn, MakeDoFn, MakeElements, MakeOptions);
    (that line alone: the rule adds the mutation test; a
    SPLITCHECK_SDF_MUTATION_TEST line for the same suite would repeat it.)
    <name>_mutants: the mutation analysis of the SDF gate
    (testkit/sdf/sdf_mutation_analysis.h) on the same DoFn and elements,
    one test case per mutant, as for sources.

splitcheck_rejection_test(name, srcs, deps, size = "medium")
    <name>: the team's own zoo, broken connectors kept as regressions of the
    gate, green while each is rejected by the check it names. The file holds
    one line per broken variant (a factory function each, no library each):
        SPLITCHECK_SOURCE_REJECTION_TEST(DropsLastDay, ReferenceEquality,
                                         MakeDropsLastDay);
        SPLITCHECK_SINK_REJECTION_TEST(RenamesBeforeSync, CrashPoints,
                                       MakeRenamesBeforeSync);
    Tagged "splitcheck" and "splitcheck-zoo"; no mutation analysis.

splitcheck_tracker_fuzz_test(name, srcs, deps, corpus, dict)
    <name> (corpus replay), <name>_contract (the same tracker through
    RapidCheck), <name>_run (libFuzzer), <name>_oss_fuzz (seed zip, dict,
    options); see bazel/fuzz.bzl. The factory file is one line:
        SPLITCHECK_TRACKER_FUZZER(P, MakeTracker, byte_domain, position_domain);

Labels inside are Label()s, resolved in splitcheck's repository, so the
macros work from any repository (WORKSPACE or Bzlmod) without the caller
naming splitcheck's own dependencies. Extra keyword arguments (timeout,
flaky, env, args, visibility, ...) go to the cc_test; those of the compile
(copts, defines, includes, local_defines) go to <name>_gate, the library the
conformance macros compile the factory file into, and features to both.
Sanitizers are build configs, not targets: run the same targets with
--config=asan, ubsan or tsan (bazel/splitcheck.bazelrc defines them).
"""

load("@rules_cc//cc:defs.bzl", "cc_library", "cc_test")
load("//bazel:coyield_lint.bzl", "splitcheck_coyield_lint_test")
load("//bazel:fuzz.bzl", _splitcheck_tracker_fuzz_test = "splitcheck_tracker_fuzz_test")

splitcheck_tracker_fuzz_test = _splitcheck_tracker_fuzz_test

_IN_MEMORY_FILE_SYSTEM = "//lib/files:in_memory_file_system"

def _with_in_memory_file_system(deps):
    """deps and the in-memory file system, unless deps already name it."""
    for dep in deps:
        if type(dep) == "string" and dep.endswith(_IN_MEMORY_FILE_SYSTEM):
            return deps
    return deps + [Label(_IN_MEMORY_FILE_SYSTEM)]

# Attributes of the compile, for the library that holds the factory file.
_COMPILE_ATTRIBUTES = ["copts", "defines", "includes", "local_defines"]

def _gate_test(name, srcs, deps, testkit, shard_count, size, tags, mutation_analysis, kwargs):
    srcs = srcs if srcs != None else [name + ".cc"]
    test_deps = _with_in_memory_file_system(deps) + [
        Label(testkit),
        Label("//testkit:gtest"),
    ]

    # Medium for the cores and memory the checks use, with a short timeout
    # (60 s; the sanitizer configs scale it): the gate's tests take seconds,
    # and Bazel warns that a medium test with the moderate timeout is too big.
    kwargs.setdefault("timeout", "short")
    if not mutation_analysis:
        cc_test(
            name = name,
            srcs = srcs,
            deps = test_deps + [Label("@googletest//:gtest_main")],
            shard_count = shard_count,
            size = size,
            tags = tags + ["splitcheck"],
            **kwargs
        )
        return

    # The factory file is compiled once, with both parts of the gate
    # (testkit/gtest.h), and linked into two tests that each run one part
    # (testkit/gate_main.cc): the checks, and the mutation analysis.
    compile = {}
    for attribute in _COMPILE_ATTRIBUTES:
        if attribute in kwargs:
            compile[attribute] = kwargs.pop(attribute)
    compile["local_defines"] = compile.get("local_defines", []) + ["SPLITCHECK_GATE_AND_MUTANTS"]
    if "features" in kwargs:
        compile["features"] = kwargs["features"]
    args = kwargs.pop("args", [])
    cc_library(
        name = name + "_gate",
        testonly = True,
        srcs = srcs,
        deps = test_deps,
        alwayslink = True,
        tags = tags,
        **compile
    )
    main = [":" + name + "_gate", Label("//testkit:gate_main")]
    cc_test(
        name = name,
        deps = main,
        args = ["--splitcheck_gate_part=checks"] + args,
        shard_count = shard_count,
        size = size,
        tags = tags + ["splitcheck"],
        **kwargs
    )
    cc_test(
        name = name + "_mutants",
        deps = main,
        args = ["--splitcheck_gate_part=mutants"] + args,
        shard_count = 4,
        size = size,
        tags = tags + ["splitcheck", "splitcheck-mutants"],
        **kwargs
    )

def splitcheck_sdf_conformance_test(
        name,
        srcs = None,
        deps = [],
        shard_count = 3,
        size = "medium",
        tags = [],
        mutation_analysis = True,
        **kwargs):
    _gate_test(
        name,
        srcs,
        deps,
        "//testkit:sdf_gtest",
        shard_count,
        size,
        tags,
        mutation_analysis,
        kwargs,
    )

def splitcheck_rejection_test(name, srcs = None, deps = [], size = "medium", tags = [], **kwargs):
    kwargs.setdefault("timeout", "short")
    cc_test(
        name = name,
        srcs = srcs if srcs != None else [name + ".cc"],
        deps = _with_in_memory_file_system(deps) + [
            Label("//testkit:source_testkit"),
            Label("//testkit:sink_testkit"),
            Label("//testkit:gtest"),
            Label("@googletest//:gtest_main"),
        ],
        size = size,
        tags = tags + ["splitcheck", "splitcheck-zoo"],
        **kwargs
    )

def splitcheck_source_conformance_test(
        name,
        srcs = None,
        deps = [],
        shard_count = 4,
        size = "medium",
        tags = [],
        mutation_analysis = True,
        lint = True,
        **kwargs):
    if lint:
        # GCC 12 miscompiles co_yield of a braced temporary; no Generator
        # design avoids it (bazel/coyield_lint.bzl).
        splitcheck_coyield_lint_test(
            name = name + "_lint",
            srcs = srcs if srcs != None else [name + ".cc"],
            deps = deps,
            size = "small",
            tags = tags + ["splitcheck"],
        )
    _gate_test(
        name,
        srcs,
        deps,
        "//testkit:source_testkit",
        shard_count,
        size,
        tags,
        mutation_analysis,
        kwargs,
    )

def splitcheck_sink_conformance_test(
        name,
        srcs = None,
        deps = [],
        shard_count = 6,
        size = "medium",
        tags = [],
        mutation_analysis = True,
        **kwargs):
    _gate_test(
        name,
        srcs,
        deps,
        "//testkit:sink_testkit",
        shard_count,
        size,
        tags,
        mutation_analysis,
        kwargs,
    )
