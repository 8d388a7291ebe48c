// Calendar helpers in SAVM assembly, added to a module only when a rule uses them. They are
// branch-free transcriptions of H. Hinnant's civil date algorithms (the proleptic Gregorian
// calendar, days since 1970-01-01), with floor division as `MULDIV floor` by 1 so dates before
// 1970 work too. add_months clamps the day to the last day of the target month (month_end: clamp).
// Like the evaluator (lang/eval_dates.cpp), add_months takes and gives days, and takes months,
// only within the calendar range |x| <= 2^40; outside it faults `overflow` (h.calendar_range).
#include <stdexcept>

#include "compiler/mizan_emitter.h"

namespace savm::compiler {
namespace {

// (days) -> (year month day)
constexpr const char* kCivil = R"(.func h.civil(1)->3 locals 9
  ; z = days + 719468; era = floor(z / 146097); doe = z - era * 146097
  LOCAL_GET 0
  PUSH 719468
  ADD
  LOCAL_SET 0
  LOCAL_GET 0
  PUSH 1
  PUSH 146097
  MULDIV floor
  LOCAL_SET 1
  LOCAL_GET 0
  LOCAL_GET 1
  PUSH 146097
  MUL
  SUB
  LOCAL_SET 2
  ; yoe = (doe - doe/1460 + doe/36524 - doe/146096) / 365
  LOCAL_GET 2
  LOCAL_GET 2
  PUSH 1460
  DIV
  SUB
  LOCAL_GET 2
  PUSH 36524
  DIV
  ADD
  LOCAL_GET 2
  PUSH 146096
  DIV
  SUB
  PUSH 365
  DIV
  LOCAL_SET 3
  ; doy = doe - (365*yoe + yoe/4 - yoe/100)
  LOCAL_GET 2
  LOCAL_GET 3
  PUSH 365
  MUL
  LOCAL_GET 3
  PUSH 4
  DIV
  ADD
  LOCAL_GET 3
  PUSH 100
  DIV
  SUB
  SUB
  LOCAL_SET 4
  ; mp = (5*doy + 2) / 153; day = doy - (153*mp + 2)/5 + 1
  LOCAL_GET 4
  PUSH 5
  MUL
  PUSH 2
  ADD
  PUSH 153
  DIV
  LOCAL_SET 5
  LOCAL_GET 4
  LOCAL_GET 5
  PUSH 153
  MUL
  PUSH 2
  ADD
  PUSH 5
  DIV
  SUB
  PUSH 1
  ADD
  LOCAL_SET 6
  ; month = mp + 3 - 12 * (mp >= 10)
  LOCAL_GET 5
  PUSH 3
  ADD
  LOCAL_GET 5
  PUSH 10
  GE
  PUSH 12
  MUL
  SUB
  LOCAL_SET 7
  ; year = yoe + era*400 + (month <= 2)
  LOCAL_GET 3
  LOCAL_GET 1
  PUSH 400
  MUL
  ADD
  LOCAL_GET 7
  PUSH 2
  LE
  ADD
  LOCAL_GET 7
  LOCAL_GET 6
  RETURN

)";

// (year month day) -> (days)
constexpr const char* kDaysFromCivil = R"(.func h.days_from_civil(3)->1 locals 8
  ; y -= month <= 2; era = floor(y / 400); yoe = y - era*400
  LOCAL_GET 0
  LOCAL_GET 1
  PUSH 2
  LE
  SUB
  LOCAL_SET 0
  LOCAL_GET 0
  PUSH 1
  PUSH 400
  MULDIV floor
  LOCAL_SET 3
  LOCAL_GET 0
  LOCAL_GET 3
  PUSH 400
  MUL
  SUB
  LOCAL_SET 4
  ; mp = month + 9 - 12 * (month > 2)
  LOCAL_GET 1
  PUSH 9
  ADD
  LOCAL_GET 1
  PUSH 2
  GT
  PUSH 12
  MUL
  SUB
  LOCAL_SET 5
  ; doy = (153*mp + 2)/5 + day - 1
  LOCAL_GET 5
  PUSH 153
  MUL
  PUSH 2
  ADD
  PUSH 5
  DIV
  LOCAL_GET 2
  ADD
  PUSH 1
  SUB
  LOCAL_SET 6
  ; doe = yoe*365 + yoe/4 - yoe/100 + doy
  LOCAL_GET 4
  PUSH 365
  MUL
  LOCAL_GET 4
  PUSH 4
  DIV
  ADD
  LOCAL_GET 4
  PUSH 100
  DIV
  SUB
  LOCAL_GET 6
  ADD
  LOCAL_SET 7
  ; era*146097 + doe - 719468
  LOCAL_GET 3
  PUSH 146097
  MUL
  LOCAL_GET 7
  ADD
  PUSH 719468
  SUB
  RETURN

)";

// (year month) -> (days in that month)
constexpr const char* kDaysInMonth = R"(.func h.days_in_month(2)->1 locals 2
  LOCAL_GET 1
  PUSH 2
  EQ
  JUMPI february
  ; 30 + (month + month/8) mod 2: 31 30 31 30 31 30 31 31 30 31 30 31 for months other than 2
  LOCAL_GET 1
  DUP 1
  PUSH 8
  DIV
  ADD
  PUSH 2
  MOD
  PUSH 30
  ADD
  RETURN
february:
  ; 28 + leap, leap = (y mod 4 = 0 and y mod 100 != 0) or y mod 400 = 0
  LOCAL_GET 0
  PUSH 4
  MOD
  ISZERO
  LOCAL_GET 0
  PUSH 100
  MOD
  ISZERO
  ISZERO
  AND
  LOCAL_GET 0
  PUSH 400
  MOD
  ISZERO
  OR
  PUSH 28
  ADD
  RETURN

)";

// (x) -> (x) when |x| <= 2^40; otherwise the `overflow` fault (2^255-1 + 1 on the checked ADD).
constexpr const char* kCalendarRange = R"(.func h.calendar_range(1)->1 locals 1
  LOCAL_GET 0
  PUSH 1099511627776
  GT
  JUMPI outside
  LOCAL_GET 0
  PUSH -1099511627776
  LT
  JUMPI outside
  LOCAL_GET 0
  RETURN
outside:
  PUSH 57896044618658097711785492504343953926634992332820282019728792003956564819967
  PUSH 1
  ADD
  RETURN

)";

// (days months) -> (days): the same day `months` later, clamped to the month's last day.
constexpr const char* kAddMonths = R"(.func h.add_months(2)->1 locals 8
  LOCAL_GET 1
  CALL h.calendar_range
  POP
  LOCAL_GET 0
  CALL h.calendar_range
  CALL h.civil
  LOCAL_SET 4
  LOCAL_SET 3
  LOCAL_SET 2
  ; total = year*12 + (month - 1) + months; year' = floor(total / 12); month' = total - year'*12 + 1
  LOCAL_GET 2
  PUSH 12
  MUL
  LOCAL_GET 3
  PUSH 1
  SUB
  ADD
  LOCAL_GET 1
  ADD
  LOCAL_SET 5
  LOCAL_GET 5
  PUSH 1
  PUSH 12
  MULDIV floor
  LOCAL_SET 6
  LOCAL_GET 5
  LOCAL_GET 6
  PUSH 12
  MUL
  SUB
  PUSH 1
  ADD
  LOCAL_SET 7
  LOCAL_GET 6
  LOCAL_GET 7
  LOCAL_GET 4
  LOCAL_GET 6
  LOCAL_GET 7
  CALL h.days_in_month
  MIN
  CALL h.days_from_civil
  CALL h.calendar_range
  RETURN

)";

}  // namespace

std::string helper_text(const std::string& name) {
  if (name == "h.civil") return kCivil;
  if (name == "h.days_from_civil") return kDaysFromCivil;
  if (name == "h.days_in_month") return kDaysInMonth;
  if (name == "h.add_months") return kAddMonths;
  if (name == "h.calendar_range") return kCalendarRange;
  throw std::logic_error("no date helper " + name);
}

std::vector<std::string> helper_dependencies(const std::string& name) {
  if (name == "h.add_months") return {"h.calendar_range", "h.civil", "h.days_in_month", "h.days_from_civil"};
  return {};
}

}  // namespace savm::compiler
