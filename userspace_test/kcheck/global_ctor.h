// Why: kcheck self-test fixture. A namespace-scope object with a non-constexpr constructor
// gets a dynamic initializer in .init_array, which a module never runs
// (CONFIG_CONSTRUCTORS=n): the build and modpost succeed and the object silently stays
// unconstructed. check.sh must report it under "sections". (`constinit` in core_all.cc
// turns the same mistake into a compile error.)
extern "C" {
volatile int kcheck_fixture_ctor_ran;
}

struct KcheckFixtureCtor {
  KcheckFixtureCtor() { kcheck_fixture_ctor_ran = 1; }
};

KcheckFixtureCtor kcheck_fixture_global;
