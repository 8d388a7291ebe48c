// A test fixture that runs the real `savm` binary (SAVM_CLI) in a fresh scratch directory, so the
// CLI tests check what a user sees: exit code, stdout and stderr, and the files left behind.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace savm::testing {

// The real packs, quoted for a shell command line.
inline const std::string kPk = "'" SAVM_SOURCE_DIR "/packs/pk'";
inline const std::string kAe = "'" SAVM_SOURCE_DIR "/packs/ae'";

struct Outcome {
  int exit_code;
  std::string out;
  std::string err;
};

class SavmRunner : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("savm-cli-" + std::to_string(::getpid()) + "-" + info->test_suite_name() + "-" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs `savm <args>` (shell words) in the scratch directory with `input` on stdin.
  Outcome savm(const std::string& args, const std::string& input = "") const {
    write("stdin.txt", input);
    const std::string command =
        "cd '" + dir_.string() + "' && '" SAVM_CLI "' " + args + " <stdin.txt 2>stderr.txt";
    FILE* pipe = ::popen(command.c_str(), "r");
    std::string out;
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
    const int status = ::pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out, read("stderr.txt")};
  }

  void write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  void append_to(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name, std::ios::app | std::ios::binary) << text;
  }
  std::string read(const std::string& name) const {
    std::ifstream in(dir_ / name, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  bool exists(const std::string& name) const { return std::filesystem::exists(dir_ / name); }

  std::filesystem::path dir_;
};

// Output lines lose their trailing newline for comparison.
inline std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

}  // namespace savm::testing
