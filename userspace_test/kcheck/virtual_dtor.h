// Why: kcheck self-test fixture. A virtual destructor makes GCC emit the "deleting
// destructor" in the vtable, and that calls operator delete (_ZdlPvm) even if nothing ever
// deletes through it. check.sh must report it under "undefined symbols".
struct KcheckFixtureBase {
  virtual ~KcheckFixtureBase();  // Out of line: the key function, so the vtable is emitted.
  int value = 0;
};

KcheckFixtureBase::~KcheckFixtureBase() {}
