// Why: kcheck self-test fixture. `thread_local` compiles to %fs-relative TLS accesses
// (R_X86_64_TPOFF32/DTPOFF32 relocations, a .tbss section, a _GLOBAL_OFFSET_TABLE_
// reference). The kernel has no TLS (per-CPU data is %gs-based); modpost still accepts the
// module and the x86-64 module loader would refuse it only at insmod time ("Unknown rela
// relocation"). check.sh must report it under "relocations" (and "sections").
extern "C" {
thread_local int kcheck_fixture_tls;
// Declared first: 6.12 builds with -Wmissing-declarations (an error with -Werror).
int kcheck_fixture_tls_get(void);
int kcheck_fixture_tls_get(void) { return kcheck_fixture_tls; }
}
