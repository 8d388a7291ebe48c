#include "runtime/transition_request.h"

#include "runtime/context_json.h"
#include "runtime/error.h"

namespace savm::runtime {

TransitionRequest parse_transition_request(std::string_view text) {
  return transition_request_from_json(parse_json(text));
}

TransitionRequest transition_request_from_json(const Json& json) {
  if (!json.is_object()) throw Error("zone.request", "$: a transition request is a JSON object");
  for (const auto& [key, value] : json.items()) {
    if (key != "asset_id" && key != "entry" && key != "args" && key != "context") {
      throw Error("zone.request", "$." + key + ": unknown transition field");
    }
  }
  TransitionRequest request;
  if (!json.contains("asset_id") || !json.at("asset_id").is_string()) {
    throw Error("zone.request", "$.asset_id: required, a \"0x\" + 64 hex digit string");
  }
  request.asset_id = parse_id(json.at("asset_id").get<std::string>(), IdForm::raw, "$.asset_id");
  if (!json.contains("entry") || !json.at("entry").is_string() || json.at("entry").get<std::string>().empty()) {
    throw Error("zone.request", "$.entry: required, the name of an installed export");
  }
  request.entry = json.at("entry").get<std::string>();
  if (json.contains("args")) {
    if (!json.at("args").is_array() && !json.at("args").is_object()) {
      throw Error("zone.request", "$.args: expected an array (words) or an object (typed, by parameter name)");
    }
    request.args = json.at("args");
  }
  if (json.contains("context")) {
    const Json& context = json.at("context");
    if (!context.is_object()) throw Error("zone.request", "$.context: expected an object");
    for (const char* owned : {"asset_id", "sequence"}) {
      if (context.contains(owned)) {
        throw Error("zone.request", std::string("$.context.") + owned +
                                        ": not allowed (the request names the asset; its chain sets the sequence)");
      }
    }
    request.context = context;
  }
  return request;
}

}  // namespace savm::runtime
