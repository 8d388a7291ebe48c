#include "lang/ast.h"

namespace savm::lang {

std::string DottedName::text() const {
  std::string out;
  for (const Name& part : parts) {
    if (!out.empty()) out += '.';
    out += part.text;
  }
  return out;
}

const char* to_string(PackKind kind) {
  switch (kind) {
    case PackKind::lawpack: return "lawpack";
    case PackKind::regpack: return "regpack";
    case PackKind::licensepack: return "licensepack";
    case PackKind::module: return "module";
  }
  return "?";
}

const char* to_string(BinaryOp op) {
  switch (op) {
    case BinaryOp::add: return "+";
    case BinaryOp::sub: return "-";
    case BinaryOp::mul: return "*";
    case BinaryOp::div: return "/";
    case BinaryOp::eq: return "==";
    case BinaryOp::ne: return "!=";
    case BinaryOp::lt: return "<";
    case BinaryOp::le: return "<=";
    case BinaryOp::gt: return ">";
    case BinaryOp::ge: return ">=";
    case BinaryOp::logical_and: return "and";
    case BinaryOp::logical_or: return "or";
  }
  return "?";
}

}  // namespace savm::lang
