// List operations: map/filter/any/all(list, x -> e) and fold(list, init, (acc, x) -> e). The
// lambda's parameters get fresh slots (fold: acc, then the element), bound while the body is
// checked.
#include <string>

#include "lang/check_context.h"

namespace savm::lang::checking {
namespace {

const Lambda* lambda_arg(Env& env, const Argument& a, std::size_t params) {
  const auto* l = std::get_if<Lambda>(&a.value->node);
  if (l == nullptr || l->params.size() != params) {
    env.ck.error("M0125", a.span, params == 1 ? "expected a lambda of one parameter: x -> e"
                                              : "expected a lambda of two parameters: (acc, x) -> e");
    return nullptr;
  }
  return l;
}

TExprPtr list_arg(Env& env, const Argument& a) {
  TExprPtr list = check_expr(env, *a.value, nullptr);
  if (list && list->type.base != BaseType::list) {
    env.ck.error("M0104", a.span, "expected a List, found " + to_string(list->type));
    return nullptr;
  }
  return list;
}

IterKind kind_of(const std::string& name) {
  if (name == "map") return IterKind::map;
  if (name == "filter") return IterKind::filter;
  if (name == "any") return IterKind::any;
  return IterKind::all;
}

TExprPtr fold(Env& env, const Expr& e, const Call& call, const Type* expected) {
  if (call.args.size() != 3) {
    env.ck.error("M0111", e.span, "fold takes a list, an initial value and a lambda: fold(xs, init, (acc, x) -> e)");
    return nullptr;
  }
  TExprPtr list = list_arg(env, call.args[0]);
  TExprPtr init = check_expr(env, *call.args[1].value, expected);
  const Lambda* l = lambda_arg(env, call.args[2], 2);
  if (!list || !init || !l) return nullptr;
  Iterate it{IterKind::fold, std::move(list), std::move(init), 0, 0, nullptr};
  const Type acc_type = it.init->type;
  it.acc_slot = env.bind(l->params[0].text, acc_type);
  it.elem_slot = env.bind(l->params[1].text, it.list->type.args[0]);
  it.body = expect_type(env, *l->body, acc_type);
  env.unbind();
  env.unbind();
  if (!it.body) return nullptr;
  return make(std::move(it), acc_type, e.span);
}

}  // namespace

TExprPtr check_list_op(Env& env, const Expr& e, const std::string& name, const Call& call, const Type* expected) {
  if (name == "fold") return fold(env, e, call, expected);
  if (call.args.size() != 2) {
    env.ck.error("M0111", e.span, name + " takes a list and a lambda: " + name + "(xs, x -> e)");
    return nullptr;
  }
  TExprPtr list = list_arg(env, call.args[0]);
  const Lambda* l = lambda_arg(env, call.args[1], 1);
  if (!list || !l) return nullptr;
  Iterate it{kind_of(name), std::move(list), nullptr, 0, 0, nullptr};
  const Type element = it.list->type.args[0];
  it.elem_slot = env.bind(l->params[0].text, element);
  const Type boolean = simple(BaseType::boolean);
  const Type* want = expected && expected->base == BaseType::list ? &expected->args[0] : nullptr;
  it.body = it.kind == IterKind::map ? check_expr(env, *l->body, want) : expect_type(env, *l->body, boolean);
  env.unbind();
  if (!it.body) return nullptr;
  Type type = it.kind == IterKind::map ? list_of(it.body->type) : it.kind == IterKind::filter ? it.list->type : boolean;
  return make(std::move(it), std::move(type), e.span);
}

}  // namespace savm::lang::checking
