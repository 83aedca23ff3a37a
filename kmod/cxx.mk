# Why: kbuild has no C++ rule. This fragment gives a module's Kbuild one, modelled on
# kbuild's own C rule (scripts/Makefile.build rule_cc_o_c) and on kmod/kcheck/Kbuild:
#
#   - the flags are READ from kbuild ($(KBUILD_CPPFLAGS) $(KBUILD_CFLAGS)
#     $(KBUILD_CFLAGS_MODULE)), minus C-only flags and kernel include paths, plus the C++
#     language flags, so code generation (no SSE, -mcmodel=kernel, retpolines, return
#     thunks, stack protector, fentry) follows the kernel's Kconfig with nothing hard-coded;
#   - objtool runs on the object as kbuild runs it on C (ORC data, return/retpoline sites),
#     and any objtool line fails the build (6.1 objtool only warns and keeps the .o);
#   - cmd_and_fixdep/if_changed_rule keep the .cmd file and header dependencies, so a flag
#     or header change rebuilds the object;
#   - kmod/scripts/cxx_guard.sh then rejects the object on an undefined symbol outside an
#     allowlist, a constructor/unwind/TLS section or a relocation the module loader refuses;
#   - one flag overrides the kernel's: -Os. The core runs on the MCU control path (a few
#     commands per second, each waiting milliseconds on the firmware), so code size, not
#     speed, is what every driver that links it pays: on 6.12 (16-byte call padding before
#     every function) -O2 put connac_core.ko's .text at 33.5 KB, -Os at 24.9 KB;
#   - g++ must be the GCC that built the kernel (CONFIG_GCC_VERSION), and clang kernels are
#     refused: the flags are GCC's.
#
# Use from a Kbuild file:
#   connac-cxx-includes := <dirs>       # -I dirs for the C++ objects
#   connac-cxx-objs := foo.o            # objects built from foo.cc
#   include $(src)/../cxx.mk
#
# -fstack-usage writes foo.su next to foo.o (the footprint report reads it).

ifdef CONFIG_CC_IS_CLANG
$(error connac: this kernel is built with clang; the C++ rule expects GCC's g++)
endif

# The C++ compiler paired with the kernel's C compiler: "gcc-12" -> "g++-12". kbuild runs
# make with -R, so there is no built-in CXX default; CXX=... on the command line wins.
CXX ?= $(subst gcc,g++,$(lastword $(CC)))

# auto.conf is loaded only in the compile passes; the clean and modpost passes also read
# this file, so guard the checks that need it.
ifdef CONFIG_GCC_VERSION
connac-cxx-version := $(shell $(CXX) -dumpfullversion 2>/dev/null | \
	awk -F. '{ printf "%d%02d%02d", $$1, $$2, $$3 }')
ifneq ($(connac-cxx-version),$(CONFIG_GCC_VERSION))
$(error connac: $(CXX) is version '$(connac-cxx-version)' but the kernel was built with \
	CONFIG_GCC_VERSION=$(CONFIG_GCC_VERSION); pass CXX=g++-<major> of that GCC)
endif
endif

# Flags that are only valid for C (g++ warns "valid for C/ObjC but not for C++").
connac-c-only-flags := -std=gnu11 -std=gnu89 -std=gnu90 \
	-Werror=strict-prototypes -Wstrict-prototypes \
	-Werror=implicit-function-declaration -Werror=implicit-int \
	-Wno-pointer-sign -Werror=incompatible-pointer-types -Werror=designated-init \
	-Wdeclaration-after-statement -Wmissing-prototypes -Wold-style-definition \
	-Wno-override-init

# Drops "-include FILE", "-imacros FILE", "-isystem DIR" and "-I DIR" word pairs; the
# single-word forms are dropped by the filter-out below. Kernel headers are not C++.
connac-drop-pairs = $(if $(1),$(if $(filter -include -imacros -isystem -I,$(firstword $(1))),$\
	$(call connac-drop-pairs,$(wordlist 3,$(words $(1)),$(1))),$\
	$(firstword $(1)) $(call connac-drop-pairs,$(wordlist 2,$(words $(1)),$(1)))))

connac-kernel-flags = $(filter-out $(connac-c-only-flags) -I% -isystem% -include% -imacros%,$\
	$(call connac-drop-pairs,$(KBUILD_CPPFLAGS) $(KBUILD_CFLAGS) $(KBUILD_CFLAGS_MODULE)))

connac-cxx-lang-flags := -std=gnu++20 -ffreestanding -fno-exceptions -fno-rtti \
	-fno-threadsafe-statics -fno-use-cxa-atexit -fno-unwind-tables \
	-fno-asynchronous-unwind-tables -Wextra -Werror -fstack-usage -Os

connac-cxx-flags = -Wp,-MMD,$(depfile) $(connac-kernel-flags) $(connac-cxx-lang-flags) \
	$(addprefix -I,$(connac-cxx-includes))

# objtool's output goes to a log the guard reads: in 6.1 objtool warns and exits 0.
connac-objtool-log = $(dot-target).objtool.log
connac-objtool = $(if $(objtool-enabled),$\
	; $(objtool) $(objtool-args) $@ 2>&1 | tee $(connac-objtool-log) >&2,$\
	; : > $(connac-objtool-log))

quiet_cmd_cxx_o_cc = CXX $(quiet_modtag) $@
      cmd_cxx_o_cc = $(CXX) $(connac-cxx-flags) -c -o $@ $< $(connac-objtool)

connac-cxx-guard := $(abspath $(src)/../scripts/cxx_guard.sh)

quiet_cmd_cxx_guard = GUARD   $@
      cmd_cxx_guard = $(CONFIG_SHELL) $(connac-cxx-guard) $@ $(connac-objtool-log)

define rule_cxx_o_cc
	$(call cmd_and_fixdep,cxx_o_cc)
	$(call cmd,cxx_guard)
	$(call cmd,gen_objtooldep)
endef

$(addprefix $(obj)/,$(connac-cxx-objs)): $(obj)/%.o: $(src)/%.cc FORCE
	$(call if_changed_rule,cxx_o_cc)

targets += $(connac-cxx-objs)
