#!/bin/sh
echo "connac-core: bazel coverage is not supported in the offline workspace" >&2
exit 1
