// File: tools/diagnose_cmd.cc

#include "tools/diagnose_cmd.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "tools/cli_util.h"
#include "tools/diagnose.h"

namespace connac::cli {
namespace {

constexpr absl::string_view kSub = "diagnose";
// Read size: large enough that syscalls cost nothing next to parsing, small enough to stay
// in L2 while its lines are analysed in place.
constexpr size_t kReadChunk = 256 * 1024;

}  // namespace

int RunDiagnoseCmd(absl::string_view path, absl::string_view json) {
  if (json != "true" && json != "false" && !json.empty()) {
    Fail(kSub, absl::StrCat("--json must be true or false, got ", Quote(json)));
  }
  int fd = STDIN_FILENO;
  const std::string name = path == "-" ? "<stdin>" : std::string(path);
  if (path != "-") {
    fd = open(name.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) Fail(kSub, absl::StrCat("cannot open ", Quote(name), ": ", std::strerror(errno)));
  }
  diagnose::Analyzer analyzer;
  std::unique_ptr<char[]> buf(new char[kReadChunk]);
  for (;;) {
    const ssize_t n = read(fd, buf.get(), kReadChunk);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      Fail(kSub, absl::StrCat("cannot read ", Quote(name), ": ", std::strerror(errno)));
    }
    analyzer.Feed(buf.get(), static_cast<size_t>(n));
  }
  if (fd != STDIN_FILENO) close(fd);
  const diagnose::Report& report = analyzer.Finish();
  if (json == "true") {
    diagnose::WriteJson(report, stdout);
  } else {
    WriteOutput(kSub, diagnose::RenderText(report));
  }
  return 0;
}

}  // namespace connac::cli
