// Why: kcheck self-test fixture. `throw` itself does not compile with -fno-exceptions, but a
// throwing std:: API still does: std::array::at() calls libstdc++'s
// std::__throw_out_of_range_fmt, which does not exist in the kernel. check.sh must report it
// under "undefined symbols".
#include <array>

// Declared first: 6.12 builds with -Wmissing-declarations (an error with -Werror).
extern "C" int kcheck_fixture_throws(unsigned long i);
extern "C" int kcheck_fixture_throws(unsigned long i) {
  const std::array<int, 4> a{1, 2, 3, 4};
  return a.at(i);
}
