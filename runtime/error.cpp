#include "runtime/error.h"

namespace savm::runtime {

Error::Error(std::string code, const std::string& message)
    : std::runtime_error(message), code_(std::move(code)) {}

}  // namespace savm::runtime
