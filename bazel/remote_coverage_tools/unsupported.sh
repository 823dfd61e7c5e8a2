#!/bin/sh
echo "bazel coverage is not supported by splitcheck's offline Bazel 4 build" >&2
exit 1
