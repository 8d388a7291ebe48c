// No recursion: a cycle in the graph of rule and table calls would not terminate (Mizan is
// total), so every cycle is an error at the call that closes it.
#include <functional>
#include <map>
#include <string>

#include "lang/check_context.h"

namespace savm::lang::checking {

void check_recursion(Checker& ck) {
  std::map<std::string, int> state;  // 1 on the path, 2 done
  std::function<void(const std::string&)> visit = [&](const std::string& f) {
    state[f] = 1;
    const auto it = ck.calls.find(f);
    if (it != ck.calls.end()) {
      for (const CallEdge& e : it->second) {
        if (state[e.callee] == 1) {
          ck.error("M0115", e.span, "this call of " + e.callee + " from " + f + " closes a cycle: rules cannot recurse",
                   "Mizan functions are total; iterate over a list with fold instead");
        } else if (state[e.callee] == 0) {
          visit(e.callee);
        }
      }
    }
    state[f] = 2;
  };
  for (const auto& [caller, edges] : ck.calls) {
    if (state[caller] == 0) visit(caller);
  }
}

}  // namespace savm::lang::checking
