"""Offline stand-in for @rules_cc: forwards to the rules built into Bazel 4.2.3.

Bazel's own @bazel_tools loads these names from @rules_cc; Debian's bazel-rules-cc 0.0.4 is
too new for Bazel 4.2.3, and the network is not available, so each name maps to its native rule.
"""

def cc_binary(**kwargs):
    native.cc_binary(**kwargs)

def cc_library(**kwargs):
    native.cc_library(**kwargs)

def cc_test(**kwargs):
    native.cc_test(**kwargs)

def cc_import(**kwargs):
    native.cc_import(**kwargs)

def cc_proto_library(**kwargs):
    native.cc_proto_library(**kwargs)

def cc_toolchain(**kwargs):
    native.cc_toolchain(**kwargs)

def cc_toolchain_suite(**kwargs):
    native.cc_toolchain_suite(**kwargs)

def objc_library(**kwargs):
    native.objc_library(**kwargs)
