// File: tools/cli_util.h
//
// Small helpers shared by the `connac` CLI subcommands: the one-line error contract (exit 2
// for bad input, exit 1 when the output cannot be written), quoting of untrusted input in
// those lines, hex, command-word parsing, JSON string escaping, and containers that wipe key
// material before they give memory back (docs/cli.md).

#ifndef CONNAC_TOOLS_CLI_UTIL_H_
#define CONNAC_TOOLS_CLI_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>
#include "absl/strings/string_view.h"

#include "connac/bytes.h"
#include "connac/family.h"
#include "connac/mcu_cmd.h"

namespace connac::cli {

// ---- Key hygiene --------------------------------------------------------------------------

// Where a WipingAllocator gets its memory. Tests substitute hooks that inspect each block as
// it is freed.
struct HeapHooks {
  static void* Allocate(size_t bytes) { return ::operator new(bytes); }
  static void Free(void* p, size_t /*bytes*/) { ::operator delete(p); }
};

// An allocator that zeroes every block (ZeroizeBytes: memset plus a compiler barrier, so the
// store is not elided as dead) before it is freed. A container using it never hands bytes
// back to the heap with key material in them, including the old buffer of a reallocation.
template <typename T, typename Hooks = HeapHooks>
class WipingAllocator {
 public:
  using value_type = T;
  // Allocators of one type are interchangeable: blocks are freed through Hooks alone.
  using is_always_equal = std::true_type;

  WipingAllocator() noexcept = default;
  template <typename U>
  WipingAllocator(const WipingAllocator<U, Hooks>&) noexcept {}  // NOLINT: rebinding

  T* allocate(size_t n) { return static_cast<T*>(Hooks::Allocate(n * sizeof(T))); }
  void deallocate(T* p, size_t n) noexcept {
    ZeroizeBytes(reinterpret_cast<uint8_t*>(p), n * sizeof(T));
    Hooks::Free(p, n * sizeof(T));
  }

  template <typename U>
  bool operator==(const WipingAllocator<U, Hooks>&) const noexcept {
    return true;
  }
};

// Strings and byte vectors that may hold key bytes: script text, key hex, frames, output.
// A short string lives inside the object (SSO), not on the heap; call Wipe() on it too.
using SecretString = std::basic_string<char, std::char_traits<char>, WipingAllocator<char>>;
using SecretBytes = std::vector<uint8_t, WipingAllocator<uint8_t>>;

// Zeroes the contents and empties the string (the heap block is wiped again when freed).
inline void Wipe(SecretString* s) {
  ZeroizeBytes(reinterpret_cast<uint8_t*>(s->data()), s->size());
  s->clear();
}

// Deletes a trivially destructible object after zeroing all of it: for heap-held core objects
// that hold keys (KeyTable, KeyActionList).
struct WipingDelete {
  template <typename T>
  void operator()(T* p) const noexcept {
    static_assert(std::is_trivially_destructible_v<T>, "zeroing would skip a destructor");
    ZeroizeBytes(reinterpret_cast<uint8_t*>(p), sizeof(T));
    delete p;
  }
};
template <typename T>
using WipedPtr = std::unique_ptr<T, WipingDelete>;

// ---- Errors -------------------------------------------------------------------------------

// Longest error line, "connac <sub>: <reason>\n" included.
inline constexpr size_t kMaxErrorLine = 200;
// Longest quoted input inside an error line, quotes excluded.
inline constexpr size_t kMaxQuoted = 48;

// Prints "connac <sub>: <msg>" on stderr as one line of at most kMaxErrorLine bytes (control
// bytes and invalid UTF-8 escaped, a longer line cut with "...") and exits with status 2
// (bad input).
[[noreturn]] void Fail(absl::string_view sub, absl::string_view msg);

// Flushes and closes stdout; if any write to it failed (a full disk, /dev/full, a closed
// descriptor), prints "connac <sub>: cannot write output: <reason>" and exits with status 1.
// Every subcommand ends with it, so a lost line is never reported as success.
void FinishOutput(absl::string_view sub);

// Writes `s` to stdout; exits with status 1 (as FinishOutput) if the write fails.
void WriteOutput(absl::string_view sub, absl::string_view s);

// Escapes untrusted bytes for a terminal line: printable ASCII and valid UTF-8 stay as they
// are; '\t', '\n', '\r' become \t \n \r; other control bytes, DEL and every byte of invalid
// UTF-8 become \xNN; C1 controls and the Unicode bidi/direction marks become \uNNNN; a
// backslash becomes \\ when `escape_backslash`. The result is at most `max_bytes` long: input
// that does not fit is cut before a whole escape or character and ends in "...".
std::string EscapeForTerminal(absl::string_view s, size_t max_bytes, bool escape_backslash = true);

// The bad input as error lines quote it: 'prefix' (EscapeForTerminal, kMaxQuoted bytes).
std::string Quote(absl::string_view input);

// ---- Parsers ------------------------------------------------------------------------------

// Parses hex ("0a1B", optional "0x" prefix; spaces, colons, tabs and newlines between bytes
// are allowed). Returns nullopt and sets *why on odd length or non-hex characters. *why names
// the bad character (escaped) and its offset, never the digits around it: they may be a key.
std::optional<SecretBytes> ParseHex(absl::string_view text, std::string* why);

// Lowercase hex of `size` bytes.
SecretString ToHex(const uint8_t* data, size_t size);
void AppendHex(const uint8_t* data, size_t size, SecretString* out);

// Parses a command word: "0x00020002", "00020002" (eight hex digits, as the kernel prints
// it), a decimal number, or a name: "UNI_BSS_INFO_UPDATE", "UNI BSS_INFO_UPDATE",
// "MCU_UNI_CMD_BSS_INFO_UPDATE", "EXT_GET_MIB_INFO", "MCU_EXT_CMD_GET_MIB_INFO",
// "CE_REG_READ", "MCU_CE_CMD_...", "CMD_PATCH_SEM_CONTROL", "MCU_CMD_FW_SCATTER", or a bare
// name when it is unique across the tables. A name may end in ":query" to set the QUERY bit.
// On failure *why quotes the input (Quote).
std::optional<CmdWord> ParseCmd(absl::string_view text, std::string* why);

// "UNI BSS_INFO_UPDATE", or "UNI unknown(0x99)" for an id not in the tables.
std::string CmdDisplayName(CmdWord cmd);

const Profile* ParseFamily(absl::string_view name);

std::string JsonEscape(absl::string_view s);

}  // namespace connac::cli

#endif  // CONNAC_TOOLS_CLI_UTIL_H_
