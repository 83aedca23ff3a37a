// Fuzz target: the `connac diagnose` log analyzer (tools/diagnose.h), fed arbitrary bytes.
//
// The first input byte picks a chunk size (1..256); the rest is the log. It is fed once in
// one piece and once in chunks of that size, both reports are rendered as text and JSON.
//
// Properties: no crash, leak or undefined behaviour on any log; the JSON is one object ending
// in a newline; and the report does not depend on how the stream was chunked (the analyzer's
// streaming contract).

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_check.h"
#include "tools/diagnose.h"

namespace {

std::string Analyze(const char* log, size_t n, size_t chunk, std::string* text) {
  connac::diagnose::Analyzer a;
  for (size_t off = 0; off < n; off += chunk) a.Feed(log + off, n - off < chunk ? n - off : chunk);
  const connac::diagnose::Report& r = a.Finish();
  *text = connac::diagnose::RenderText(r);
  return connac::diagnose::RenderJson(r);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t chunk = 1 + data[0];
  const char* log = reinterpret_cast<const char*>(data + 1);
  const size_t n = size - 1;
  std::string text_whole, text_chunked;
  const std::string whole = Analyze(log, n, n == 0 ? 1 : n, &text_whole);
  FUZZ_CHECK(!whole.empty() && whole.front() == '{' && whole.back() == '\n');
  const std::string chunked = Analyze(log, n, chunk, &text_chunked);
  FUZZ_CHECK(chunked == whole);
  FUZZ_CHECK(text_chunked == text_whole);
  return 0;
}
