// savm asm | disasm | verify-module: the SAVM assembly text form and the module verifier
// (docs/cli.md, docs/vm.md). vm and compiler errors become runtime::Error with the same stable
// codes, so every verb reports bad input the same way.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "cli/command.h"
#include "compiler/assembler.h"
#include "compiler/disassembler.h"
#include "runtime/error.h"
#include "vm/module.h"
#include "vm/verifier.h"

namespace savm::cli {
namespace {

struct AsmArgs {
  std::string input;
  std::string output;
  bool no_debug = false;
};

struct FileArgs {
  std::string input;
};

std::span<const std::uint8_t> as_bytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

vm::Module read_module_file(const std::string& path) {
  const std::string bytes = read_input(path);
  try {
    return vm::read_module(as_bytes(bytes));
  } catch (const vm::ModuleError& e) {
    throw runtime::Error(e.code, path + ": byte " + std::to_string(e.offset) + ": " + e.reason);
  }
}

int assemble_file(const AsmArgs& args) {
  const std::string text = read_input(args.input);
  vm::Module module;
  try {
    module = compiler::assemble(text, {args.input, !args.no_debug});
  } catch (const compiler::AsmError& e) {
    throw runtime::Error(e.code, args.input + ":" + std::to_string(e.line) + ":" + std::to_string(e.column) + ": " +
                                     e.message);
  }
  const std::vector<std::uint8_t> bytes = vm::write_module(module);
  // Write to a sibling temporary and rename, so a failed write never leaves a half module.
  const std::string tmp = args.output + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::remove(tmp.c_str());
      throw runtime::Error("io.write", tmp + ": cannot write");
    }
  }
  if (std::rename(tmp.c_str(), args.output.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw runtime::Error("io.write", args.output + ": cannot write");
  }
  std::cout << vm::module_digest(module).prefixed() << "\n";
  return kOk;
}

int disassemble_file(const FileArgs& args) {
  std::cout << compiler::disassemble(read_module_file(args.input));
  return kOk;
}

std::string function_name(const vm::Module& m, std::uint32_t index) {
  for (const vm::Export& e : m.exports) {
    if (e.function == index) return e.name;
  }
  if (m.debug && index < m.debug->function_names.size()) return m.debug->function_names[index];
  return "f" + std::to_string(index);
}

int verify_file(const FileArgs& args) {
  vm::Module module = read_module_file(args.input);
  const vm::Module copy = module;
  auto result = vm::verify(std::move(module));
  if (const auto* errors = std::get_if<std::vector<vm::VerifyError>>(&result)) {
    for (const vm::VerifyError& e : *errors) {
      if (e.function == vm::kNoFunction) {
        std::cout << "module: " << e.reason << " [" << e.code << "]\n";
      } else {
        std::cout << "function " << function_name(copy, e.function) << " (#" << e.function << ") offset " << e.offset
                  << ": " << e.reason << " [" << e.code << "]\n";
      }
    }
    return kVerificationFailed;
  }
  const auto& verified = std::get<vm::VerifiedModule>(result);
  std::cout << "ok " << verified.digest().prefixed() << "\n";
  for (const vm::Export& e : copy.exports) {
    std::cout << "export " << e.name << " " << vm::kExportKindNames[static_cast<int>(e.kind)] << " gas_bound "
              << verified.function(e.function).gas_bound << "\n";
  }
  return kOk;
}

}  // namespace

void add_vm_verbs(CLI::App& app) {
  auto asm_args = std::make_shared<AsmArgs>();
  CLI::App* asm_verb = app.add_subcommand("asm", "Assemble SAVM assembly text into a .savm module; prints its digest");
  asm_verb->add_option("FILE", asm_args->input, "Assembly text (.sasm), or - for standard input")->required();
  asm_verb->add_option("-o,--output", asm_args->output, "Module file to write")->required();
  asm_verb->add_flag("--no-debug", asm_args->no_debug, "Omit the debug section (names, source map)");
  on_run(asm_verb, [asm_args] { return assemble_file(*asm_args); });

  auto dis_args = std::make_shared<FileArgs>();
  CLI::App* dis_verb = app.add_subcommand("disasm", "Print a .savm module as assembly text");
  dis_verb->add_option("FILE", dis_args->input, "Module file, or - for standard input")->required();
  on_run(dis_verb, [dis_args] { return disassemble_file(*dis_args); });

  auto ver_args = std::make_shared<FileArgs>();
  CLI::App* ver_verb = app.add_subcommand("verify-module", "Verify a .savm module (exit 1 lists every error)");
  ver_verb->add_option("FILE", ver_args->input, "Module file, or - for standard input")->required();
  on_run(ver_verb, [ver_args] { return verify_file(*ver_args); });
}

}  // namespace savm::cli
