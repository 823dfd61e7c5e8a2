// The main of every tracker fuzz binary, for both of its modes.
//
// Regression (the default, any compiler, no fuzzing engine): runs
// LLVMFuzzerTestOneInput once on the empty input and once on every file
// named on the command line (directories are walked), each copied into a
// buffer of exactly its size so that AddressSanitizer catches reads past
// the end. An input that fails (a contract violation aborts; a crash or a
// sanitizer report ends the process) is named on stderr with the command
// that replays it alone. Arguments starting with '-' are ignored, so
// libFuzzer flags can be passed through harmlessly.
//
// Fuzzing (--fuzz, only in binaries built with --config=libfuzzer): copies
// the seed files into a writable corpus directory (--output=DIR; by default
// .splitcheck-fuzz/<binary name> in the workspace `bazel run` was called
// from, so that two checkouts never share a corpus or their crashes, or
// $TMPDIR/splitcheck-fuzz/<binary name> outside bazel run) and hands over to libFuzzer with
// that directory, artifacts written beside it, and every other flag
// (-max_total_time=, -dict=, -jobs=, ...) passed on.

#include <unistd.h>

#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
#ifdef SPLITCHECK_WITH_LIBFUZZER
extern "C" int LLVMFuzzerRunDriver(int* argc, char*** argv,
                                   int (*callback)(const std::uint8_t*, std::size_t));
#endif
// Present in sanitized builds: called when a sanitizer ends the process.
extern "C" void __sanitizer_set_death_callback(void (*callback)()) __attribute__((weak));

namespace {

namespace fs = std::filesystem;

std::vector<std::string> files_under(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code error;
    if (fs::is_directory(path, error)) {
      for (const auto& entry : fs::recursive_directory_iterator(path)) {
        if (entry.is_regular_file()) files.push_back(entry.path().string());
      }
    } else if (fs::exists(path, error)) {
      files.push_back(path);
    } else {
      std::fprintf(stderr, "fuzz: no such file or directory: %s\n", path.c_str());
      std::exit(2);
    }
  }
  return files;
}

// What the failure handlers print: set before each input runs, so that the
// handlers only write bytes prepared beforehand (async-signal-safe).
std::string failing_input_text;

void write_failing_input() {
  if (failing_input_text.empty()) return;
  const ssize_t ignored =
      write(STDERR_FILENO, failing_input_text.data(), failing_input_text.size());
  (void)ignored;
}

void on_fatal_signal(int signal) {
  write_failing_input();
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

void name_failing_inputs() {
  for (const int signal : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) {
    std::signal(signal, on_fatal_signal);
  }
  if (__sanitizer_set_death_callback != nullptr) {
    __sanitizer_set_death_callback(write_failing_input);
  }
}

void running(const std::string& input, const std::string& replay) {
  failing_input_text =
      "\nfuzz: the input that failed: " + input + "\nfuzz: replay it alone: " + replay + "\n";
}

int replay(const char* argv0, const std::vector<std::string>& paths) {
  name_failing_inputs();
  running("the empty input", std::string(argv0) + "  (it runs the empty input first)");
  LLVMFuzzerTestOneInput(nullptr, 0);
  const auto files = files_under(paths);
  for (const std::string& file : files) {
    running(file, std::string(argv0) + " " + file);
    std::ifstream in(file, std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
    auto exact = std::make_unique<std::uint8_t[]>(bytes.size());
    std::memcpy(exact.get(), bytes.data(), bytes.size());
    LLVMFuzzerTestOneInput(exact.get(), bytes.size());
  }
  failing_input_text.clear();
  std::printf("replayed %zu inputs and the empty input: no contract violation\n", files.size());
  return 0;
}

int fuzz(const char* argv0, const std::vector<std::string>& seeds,
         const std::vector<std::string>& flags, std::string output) {
#ifdef SPLITCHECK_WITH_LIBFUZZER
  if (output.empty()) {
    const std::string name = fs::path(argv0).filename().string();
    if (const char* workspace = std::getenv("BUILD_WORKSPACE_DIRECTORY")) {
      output = std::string(workspace) + "/.splitcheck-fuzz/" + name;
    } else {
      const char* tmp = std::getenv("TMPDIR");
      output = std::string(tmp != nullptr ? tmp : "/tmp") + "/splitcheck-fuzz/" + name;
    }
  }
  const fs::path corpus = fs::path(output) / "corpus";
  const fs::path artifacts = fs::path(output) / "artifacts";
  fs::create_directories(corpus);
  fs::create_directories(artifacts);
  for (const std::string& seed : files_under(seeds)) {
    fs::copy_file(seed, corpus / fs::path(seed).filename(), fs::copy_options::skip_existing);
  }
  std::vector<std::string> args = {argv0, "-artifact_prefix=" + artifacts.string() + "/"};
  args.insert(args.end(), flags.begin(), flags.end());
  args.push_back(corpus.string());
  std::printf("fuzz: corpus %s, crashes go to %s\n", corpus.c_str(), artifacts.c_str());
  std::vector<char*> pointers;
  for (std::string& a : args) pointers.push_back(a.data());
  pointers.push_back(nullptr);
  int argc = static_cast<int>(args.size());
  char** argv = pointers.data();
  return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
#else
  (void)argv0;
  (void)seeds;
  (void)flags;
  (void)output;
  std::fprintf(stderr, "fuzz: --fuzz needs a binary built with --config=libfuzzer\n");
  return 2;
#endif
}

}  // namespace

int main(int argc, char** argv) {
  bool fuzzing = false;
  std::string output;
  std::vector<std::string> paths;
  std::vector<std::string> flags;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--fuzz") {
      fuzzing = true;
    } else if (arg.rfind("--output=", 0) == 0) {
      output = arg.substr(9);
    } else if (!arg.empty() && arg[0] == '-') {
      flags.push_back(arg);
    } else {
      paths.push_back(arg);
    }
  }
  return fuzzing ? fuzz(argv[0], paths, flags, output) : replay(argv[0], paths);
}
