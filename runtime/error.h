// The one error type of the runtime layer: a stable machine code plus a located message.
//
// Codes are dotted lowercase words ("mcf.float", "chain.link") and never change once released;
// docs/errors.md lists every one. The message says where (a JSON path, a byte offset, a receipt
// sequence) and why, for a person.
#pragma once

#include <stdexcept>
#include <string>

namespace savm::runtime {

class Error : public std::runtime_error {
 public:
  Error(std::string code, const std::string& message);
  const std::string& code() const { return code_; }

 private:
  std::string code_;
};

}  // namespace savm::runtime
