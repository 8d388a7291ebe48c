// docs/tutorial.md cannot rot: every command of its ```console blocks (a line "$ COMMAND") is run
// from the repository root with the built `savm` first on PATH, and its output (stdout and stderr
// together) must be exactly the lines the tutorial shows under it.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Step {
  std::size_t line;  // of the command in the tutorial, for the failure message
  std::string command;
  std::string expected;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The commands of the ```console blocks and the output shown under each.
std::vector<Step> console_steps(const std::string& markdown) {
  std::vector<Step> steps;
  std::istringstream in(markdown);
  bool in_console = false;
  std::string line;
  for (std::size_t n = 1; std::getline(in, line); ++n) {
    if (!in_console) {
      in_console = line == "```console";
    } else if (line.rfind("```", 0) == 0) {
      in_console = false;
    } else if (line.rfind("$ ", 0) == 0) {
      steps.push_back({n, line.substr(2), ""});
    } else if (!steps.empty()) {
      steps.back().expected += line + "\n";
    }
  }
  return steps;
}

std::string run_in_source_dir(const std::string& command) {
  const std::string cli = SAVM_CLI;
  const std::string bin_dir = cli.substr(0, cli.rfind('/'));
  const std::string shell = "cd '" SAVM_SOURCE_DIR "' && PATH='" + bin_dir + "':\"$PATH\" && { " + command + "\n} 2>&1";
  FILE* pipe = ::popen(shell.c_str(), "r");
  std::string out;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  ::pclose(pipe);
  return out;
}

TEST(Tutorial, EveryCommandPrintsWhatTheTutorialShows) {
  ::unsetenv("MIZAN_PATH");  // the tutorial sets it where it needs it
  const std::vector<Step> steps = console_steps(read_file(SAVM_SOURCE_DIR "/docs/tutorial.md"));
  ASSERT_GE(steps.size(), 12u) << "docs/tutorial.md lost its ```console blocks";
  for (const Step& step : steps) {
    EXPECT_EQ(run_in_source_dir(step.command), step.expected)
        << "docs/tutorial.md:" << step.line << ": $ " << step.command;
  }
}

TEST(Tutorial, TheParserSplitsCommandsFromTheirOutput) {
  const std::vector<Step> steps = console_steps(
      "text\n```console\n$ savm check a\nok: 1 file checked\n$ echo\n\n```\n$ not a command\n```sh\n$ nor this\n```\n");
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].line, 3u);
  EXPECT_EQ(steps[0].command, "savm check a");
  EXPECT_EQ(steps[0].expected, "ok: 1 file checked\n");
  EXPECT_EQ(steps[1].command, "echo");
  EXPECT_EQ(steps[1].expected, "\n");
}

}  // namespace
