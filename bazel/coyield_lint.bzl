"""splitcheck_coyield_lint_test: the co_yield lint (bazel/coyield_lint.sh) over
a gate's own sources and those of its dependencies in the same repository.

GCC 12 miscompiles `co_yield T{...}` (a double destruction, or "array used as
initializer" for an initializer list), and no Generator design avoids it, so
the source gate macros add <name>_lint: a test that fails at the reader's
line, naming the fix (name the value, then co_yield std::move(value)).
`lint = False` on the macro leaves it out.
"""

_SOURCE_EXTENSIONS = ["cc", "cpp", "cxx", "c++", "h", "hh", "hpp", "hxx", "inc", "ipp", "tcc"]

LintSourcesInfo = provider(fields = ["files"])

def _lint_sources_aspect_impl(target, ctx):
    direct = []

    # Only the repository of the gate's own code: splitcheck's sources are
    # linted by splitcheck's CI, system headers not at all.
    if target.label.workspace_root == "":
        for attr in ["srcs", "hdrs", "textual_hdrs"]:
            for f in getattr(ctx.rule.files, attr, []):
                if f.extension in _SOURCE_EXTENSIONS and f.is_source:
                    direct.append(f)
    transitive = [
        dep[LintSourcesInfo].files
        for dep in getattr(ctx.rule.attr, "deps", [])
        if LintSourcesInfo in dep
    ]
    return [LintSourcesInfo(files = depset(direct, transitive = transitive))]

_lint_sources_aspect = aspect(
    implementation = _lint_sources_aspect_impl,
    attr_aspects = ["deps"],
)

def _coyield_lint_test_impl(ctx):
    files = depset(
        [f for f in ctx.files.srcs if f.extension in _SOURCE_EXTENSIONS],
        transitive = [dep[LintSourcesInfo].files for dep in ctx.attr.deps],
    ).to_list()
    script = ctx.actions.declare_file(ctx.label.name + ".sh")
    ctx.actions.write(
        output = script,
        is_executable = True,
        content = "#!/usr/bin/env bash\n" +
                  "# The co_yield lint over %d files of this gate.\n" % len(files) +
                  "exec %s %s\n" % (
                      ctx.file._lint.short_path,
                      " ".join(["'%s'" % f.short_path for f in files]),
                  ),
    )
    return [DefaultInfo(
        executable = script,
        runfiles = ctx.runfiles(files = files + [ctx.file._lint]),
    )]

splitcheck_coyield_lint_test = rule(
    implementation = _coyield_lint_test_impl,
    test = True,
    attrs = {
        "srcs": attr.label_list(allow_files = True),
        "deps": attr.label_list(aspects = [_lint_sources_aspect]),
        "_lint": attr.label(
            default = Label("//bazel:coyield_lint.sh"),
            allow_single_file = True,
        ),
    },
)
