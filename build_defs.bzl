"""Shared compiler options for connac-core targets."""

# The kernel compiles the core with these semantics-changing flags (read from kbuild by
# tools/kcheck); userspace builds the same headers with them so tests see the same language.
KERNEL_SEMANTICS_COPTS = [
    "-fno-strict-aliasing",
    "-fno-strict-overflow",
    "-fno-delete-null-pointer-checks",
    "-ftrivial-auto-var-init=zero",
]

# Core rules: no exceptions, no RTTI (the core must build without them).
CORE_COPTS = KERNEL_SEMANTICS_COPTS + [
    "-fno-exceptions",
    "-fno-rtti",
    "-Wall",
    "-Wextra",
    "-Werror",
    "-Wframe-larger-than=2048",
    "-Wvla",
]

# Userspace tools (the CLI): the same language rules, but no kernel stack-frame budget:
# they are not kernel code, and ASan pads their frames past it.
TOOL_COPTS = [c for c in CORE_COPTS if not c.startswith("-Wframe-larger-than")]
