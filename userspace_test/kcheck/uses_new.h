// Why: kcheck self-test fixture. A plain `new` needs the C++ allocator (operator new,
// _Znwm), which the kernel does not export: the core must never allocate. check.sh must
// report it under "undefined symbols" (modpost rejects it too).
// Declared first: 6.12 builds with -Wmissing-declarations (an error with -Werror).
extern "C" int* kcheck_fixture_uses_new(int v);
extern "C" int* kcheck_fixture_uses_new(int v) { return new int(v); }
