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
// (-max_total_time=, -dict=, -jobs=, ...) passed on. Two more modes of the
// same binary, libFuzzer's own under names that survive `bazel run`:
//   --minimize=CRASH  shrinks a crashing input (-minimize_crash=1, 100000
//                     runs unless -runs= is given) into
//                     <artifacts>/minimized-<name of CRASH>;
//   --merge=DIR       merges the fuzz corpus (and the seeds) into DIR
//                     (-merge=1), keeping only inputs that add coverage: how
//                     a grown corpus goes back into a checked-in one.
// Relative paths are taken from the directory `bazel run` was called in.

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
#include <utility>
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

#ifdef SPLITCHECK_WITH_LIBFUZZER
// A path given on the command line, as the user meant it under `bazel run`.
std::string from_caller(const std::string& path) {
  const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY");
  if (path.empty() || fs::path(path).is_absolute() || cwd == nullptr) return path;
  return (fs::path(cwd) / path).string();
}

int run_libfuzzer(std::vector<std::string> args) {
  std::vector<char*> pointers;
  for (std::string& a : args) pointers.push_back(a.data());
  pointers.push_back(nullptr);
  int argc = static_cast<int>(args.size());
  char** argv = pointers.data();
  return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}
#endif

struct FuzzRequest {
  std::vector<std::string> seeds;
  std::vector<std::string> flags;
  std::string output;
  std::string minimize;  // a crash to shrink
  std::string merge;     // a corpus to merge into
};

int fuzz(const char* argv0, FuzzRequest request) {
#ifdef SPLITCHECK_WITH_LIBFUZZER
  std::string output = from_caller(request.output);
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
  std::vector<std::string> args = {argv0};
  if (!request.minimize.empty()) {
    const std::string crash = from_caller(request.minimize);
    std::error_code error;
    if (!fs::is_regular_file(crash, error)) {
      std::fprintf(stderr, "fuzz: --minimize: no such file: %s\n", crash.c_str());
      return 2;
    }
    const fs::path minimized = artifacts / ("minimized-" + fs::path(crash).filename().string());
    args.push_back("-minimize_crash=1");
    bool has_runs = false;
    for (const std::string& f : request.flags) has_runs |= f.rfind("-runs=", 0) == 0;
    if (!has_runs) args.push_back("-runs=100000");
    args.push_back("-exact_artifact_path=" + minimized.string());
    args.insert(args.end(), request.flags.begin(), request.flags.end());
    args.push_back(crash);
    std::printf("fuzz: minimizing %s into %s\n", crash.c_str(), minimized.c_str());
    return run_libfuzzer(std::move(args));
  }
  for (const std::string& seed : files_under(request.seeds)) {
    fs::copy_file(seed, corpus / fs::path(seed).filename(), fs::copy_options::skip_existing);
  }
  if (!request.merge.empty()) {
    const std::string into = from_caller(request.merge);
    fs::create_directories(into);
    args.push_back("-merge=1");
    args.push_back("-artifact_prefix=" + artifacts.string() + "/");
    args.insert(args.end(), request.flags.begin(), request.flags.end());
    args.push_back(into);
    args.push_back(corpus.string());
    std::printf("fuzz: merging %s into %s\n", corpus.c_str(), into.c_str());
    return run_libfuzzer(std::move(args));
  }
  args.push_back("-artifact_prefix=" + artifacts.string() + "/");
  args.insert(args.end(), request.flags.begin(), request.flags.end());
  args.push_back(corpus.string());
  std::printf("fuzz: corpus %s, crashes go to %s\n", corpus.c_str(), artifacts.c_str());
  return run_libfuzzer(std::move(args));
#else
  (void)argv0;
  (void)request;
  std::fprintf(stderr,
               "fuzz: --fuzz, --minimize and --merge need a binary built with "
               "--config=libfuzzer\n");
  return 2;
#endif
}

}  // namespace

// libFuzzer runs minimization and merges in child processes of this same
// binary, with its own flags added to the command line it was given.
bool is_libfuzzer_child(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("-minimize_crash_internal_step=", 0) == 0 ||
        arg.rfind("-merge_control_file=", 0) == 0 || arg.rfind("-merge_inner=", 0) == 0) {
      return true;
    }
  }
  return false;
}

int main(int argc, char** argv) {
#ifdef SPLITCHECK_WITH_LIBFUZZER
  if (is_libfuzzer_child(argc, argv)) {
    return run_libfuzzer(std::vector<std::string>(argv, argv + argc));
  }
#endif
  bool fuzzing = false;
  FuzzRequest request;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--fuzz") {
      fuzzing = true;
    } else if (arg.rfind("--output=", 0) == 0) {
      request.output = arg.substr(9);
    } else if (arg.rfind("--minimize=", 0) == 0) {
      fuzzing = true;
      request.minimize = arg.substr(11);
    } else if (arg.rfind("--merge=", 0) == 0) {
      fuzzing = true;
      request.merge = arg.substr(8);
    } else if (!arg.empty() && arg[0] == '-') {
      request.flags.push_back(arg);
    } else {
      request.seeds.push_back(arg);
    }
  }
  return fuzzing ? fuzz(argv[0], std::move(request)) : replay(argv[0], request.seeds);
}
