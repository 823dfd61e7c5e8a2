"""splitcheck_tracker_fuzz_test: fuzz a range tracker in one declaration.

    load("@splitcheck//bazel:fuzz.bzl", "splitcheck_tracker_fuzz_test")

    splitcheck_tracker_fuzz_test(
        name = "my_tracker_fuzz_test",
        srcs = ["my_tracker_fuzzer.cc"],   # SPLITCHECK_TRACKER_FUZZER(...);
                                           # default: <name>.cc
        deps = [":my_tracker"],
        corpus = glob(["corpus/my_tracker/*"]),
        dict = "my_tracker.dict",
    )

creates
    <name>_lib         the factory file, compiled once (alwayslink), with
                       LLVMFuzzerTestOneInput (fuzz/tracker_fuzz_entry.cc);
    <name>             a test (tag "fuzz-test") that replays the corpus, with
                       any compiler and no fuzzing engine: `bazel test`;
    <name>_contract    a test (unless contract_test = False) that runs the
                       same factories and domains through RapidCheck: the
                       tracker contract checker's sequential scenarios and
                       concurrent histories (check_tracker_contract), once
                       per distinct tracker and options of the file;
    <name>_mutants     a test (unless contract_test = False or
                       mutation_analysis = False): the mutation analysis of
                       <name>_contract's checks (testkit/mutation_analysis.h):
                       the tracker bugs they must reject, put into each tracker;
    <name>_run         the fuzzer: `bazel run --config=libfuzzer <name>_run`
                       fuzzes with a writable corpus under
                       .splitcheck-fuzz/ in the calling workspace (one per
                       checkout), for max_total_time seconds
                       (pass `-- -max_total_time=N` to change it);
    <name>_oss_fuzz    <name>_seed_corpus.zip, <name>.dict, <name>.options:
                       the files OSS-Fuzz and ClusterFuzzLite expect beside
                       a fuzzer binary.
Labels inside use Label(), so the macro works from another repository.
"""

load("@rules_cc//cc:defs.bzl", "cc_binary", "cc_library", "cc_test")
load("//bazel:copts.bzl", _NO_FUZZ_COVERAGE_COPTS = "NO_FUZZ_COVERAGE_COPTS")

# Re-exported from copts.bzl, where build configuration lives.
NO_FUZZ_COVERAGE_COPTS = _NO_FUZZ_COVERAGE_COPTS

def splitcheck_tracker_fuzz_test(
        name,
        srcs = None,
        deps = [],
        corpus = [],
        dict = None,
        max_total_time = 60,
        max_len = 128,
        local_defines = [],
        contract_test = True,
        mutation_analysis = True,
        testonly = False,
        tags = []):
    if srcs == None:
        srcs = [name + ".cc"]
    # Compiled once: the same object serves the corpus replay, the fuzzer and
    # the RapidCheck tests (the checker's own functions carry no coverage
    # instrumentation, fuzz/tracker_fuzzer.h).
    ignorelist = Label("//fuzz:coverage_ignorelist.inc")
    ignorelist_path = (ignorelist.workspace_root + "/" if ignorelist.workspace_root else "") + \
                      ignorelist.package + "/" + ignorelist.name
    cc_library(
        name = name + "_lib",
        srcs = srcs,
        copts = select({
            str(Label("//bazel:libfuzzer")): ["-fsanitize-coverage-ignorelist=" + ignorelist_path],
            "//conditions:default": [],
        }),
        local_defines = local_defines,
        deps = deps + [
            Label("//fuzz:tracker_fuzzer"),
            Label("//fuzz:tracker_fuzz_entry"),
        ],
        alwayslink = True,
        testonly = testonly,
        tags = tags,
    )
    data = corpus + ([dict] if dict else [])
    corpus_args = ["$(rootpaths %s)" % f for f in corpus]
    cc_test(
        name = name,
        size = "small",
        deps = [":" + name + "_lib", Label("//fuzz:fuzz_main")],
        data = data,
        args = corpus_args,
        tags = tags + ["fuzz-test", "splitcheck"],
    )
    if contract_test:
        cc_test(
            name = name + "_contract",
            size = "small",
            deps = [":" + name + "_lib", Label("//fuzz:contract_main")],
            testonly = testonly,
            tags = tags + ["splitcheck"],
        )
        if mutation_analysis:
            cc_test(
                name = name + "_mutants",
                size = "medium",
                timeout = "short",
                deps = [":" + name + "_lib", Label("//fuzz:mutants_main")],
                testonly = testonly,
                tags = tags + ["splitcheck", "splitcheck-mutants"],
            )
    cc_binary(
        name = name + "_run",
        deps = [":" + name + "_lib", Label("//fuzz:fuzz_main")],
        data = data,
        args = ["--fuzz", "-max_total_time=%d" % max_total_time, "-max_len=%d" % max_len] +
               (["-dict=$(rootpath %s)" % dict] if dict else []) + corpus_args,
        testonly = testonly,
        tags = tags + ["manual"],
    )
    native.genrule(
        name = name + "_oss_fuzz",
        srcs = data,
        outs = [
            name + "_seed_corpus.zip",
            name + ".dict",
            name + ".options",
        ],
        # An empty corpus still gets a (valid, empty) zip.
        cmd = ("zip -q -j $(location %s_seed_corpus.zip) %s && " % (name, " ".join(["$(locations %s)" % f for f in corpus])) if corpus else "printf 'PK\\005\\006\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0' > $(location %s_seed_corpus.zip) && " % name) +
              ("cp $(location %s) $(location %s.dict) && " % (dict, name) if dict else "touch $(location %s.dict) && " % name) +
              "printf '[libfuzzer]\\ndict = %s.dict\\nmax_len = %d\\n' > $(location %s.options)" % (name, max_len, name),
        testonly = testonly,
        tags = tags + ["manual"],
    )
