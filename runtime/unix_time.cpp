#include "runtime/unix_time.h"

#include <fmt/format.h>

#include "runtime/context_json.h"

namespace savm::runtime {

std::string utc_seconds_text(std::int64_t unix_seconds) {
  constexpr std::int64_t kDay = 86400;
  std::int64_t days = unix_seconds / kDay;
  std::int64_t rest = unix_seconds % kDay;
  if (rest < 0) {  // C++ division truncates toward zero; a time before 1970 belongs to the earlier day
    rest += kDay;
    --days;
  }
  return fmt::format("{}T{:02}:{:02}:{:02}Z", civil_date(days), rest / 3600, rest / 60 % 60, rest % 60);
}

}  // namespace savm::runtime
