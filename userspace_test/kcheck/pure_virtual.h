// Why: kcheck self-test fixture. The vtable of an abstract class points its pure slots at
// __cxa_pure_virtual. The reference is *weak*, so modpost accepts the module and the slot
// resolves to address 0 at load time. Only check.sh's "undefined symbols" check catches it.
struct KcheckFixtureShape {
  virtual int Area() const = 0;
  virtual int Sides() const;  // Out of line: the key function, so the vtable is emitted.
};

int KcheckFixtureShape::Sides() const { return 0; }
