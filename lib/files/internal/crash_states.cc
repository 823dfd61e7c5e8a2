#include "splitcheck/lib/files/internal/crash_states.h"

#include <algorithm>
#include <functional>
#include <iterator>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace splitcheck::internal {
namespace {

using Subset = std::vector<bool>;  // which pending changes a state keeps

// What a crash may leave of one inode's bytes.
struct Candidate {
  std::shared_ptr<const std::string> bytes;
  std::size_t kept = 0;  // of the unsynced bytes
  bool torn = false;
};

struct VariedFile {
  std::string path;
  const InMemoryInode* inode = nullptr;
  std::size_t unsynced = 0;           // applied bytes beyond the durable prefix
  bool rewritten = false;             // the durable bytes are not a prefix of the applied ones
  std::vector<Candidate> candidates;  // [durable, all applied, cuts..., torn]
};

std::vector<std::vector<std::size_t>> direct_dependencies(
    const std::vector<NamespaceChange>& pending) {
  std::vector<std::vector<std::size_t>> deps(pending.size());
  for (std::size_t j = 0; j < pending.size(); ++j) {
    for (std::size_t i = 0; i < j; ++i) {
      if (pending[i].shares_a_name_with(pending[j]) || pending[j].needs(pending[i])) {
        deps[j].push_back(i);
      }
    }
  }
  return deps;
}

bool closed(const Subset& kept, const std::vector<std::vector<std::size_t>>& deps) {
  for (std::size_t j = 0; j < kept.size(); ++j) {
    if (!kept[j]) continue;
    for (const std::size_t i : deps[j]) {
      if (!kept[i]) return false;
    }
  }
  return true;
}

// Every closed subset when there are few changes; otherwise the extremes,
// every prefix, each change alone (with what it needs) and each change lost
// alone (with what needs it), and random closed subsets.
std::vector<Subset> subsets_to_try(const std::vector<NamespaceChange>& pending,
                                   const CrashStateLimits& limits, bool* exhaustive) {
  const std::size_t p = pending.size();
  const auto deps = direct_dependencies(pending);
  std::vector<Subset> out;
  std::set<Subset> seen;
  auto add = [&](Subset s) {
    if (seen.insert(s).second) out.push_back(std::move(s));
  };
  // In the order a capped sample spends its budget: the extremes, each
  // change kept alone (with what it needs) and lost alone (with what needs
  // it), every prefix, then the rest.
  add(Subset(p, false));
  add(Subset(p, true));
  for (std::size_t j = 0; j < p; ++j) {
    Subset alone(p, false);
    alone[j] = true;
    for (std::size_t k = j + 1; k-- > 0;) {
      if (!alone[k]) continue;
      for (const std::size_t i : deps[k]) alone[i] = true;
    }
    add(std::move(alone));
    Subset without(p, true);
    without[j] = false;
    for (std::size_t k = j + 1; k < p; ++k) {
      for (const std::size_t i : deps[k]) {
        if (!without[i]) without[k] = false;
      }
    }
    add(std::move(without));
  }
  for (std::size_t n = 1; n < p; ++n) {
    Subset s(p, false);
    std::fill(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(n), true);
    add(std::move(s));
  }
  constexpr std::size_t kExhaustiveChanges = 10;
  if (p <= kExhaustiveChanges) {
    *exhaustive = true;
    for (std::uint32_t mask = 0; mask < (1u << p); ++mask) {
      Subset s(p);
      for (std::size_t i = 0; i < p; ++i) s[i] = (mask >> i) & 1u;
      if (closed(s, deps)) add(std::move(s));
    }
    return out;
  }
  *exhaustive = false;
  std::mt19937_64 random(limits.seed ^ 0x6372617368ull);
  for (std::size_t tries = 0; tries < limits.max_states; ++tries) {
    Subset s(p, false);
    for (std::size_t j = 0; j < p; ++j) {
      bool can = true;
      for (const std::size_t i : deps[j]) can = can && s[i];
      s[j] = can && (random() & 1u);
    }
    add(std::move(s));
  }
  return out;
}

bool is_prefix(const std::string& prefix, const std::string& of) {
  return prefix.size() <= of.size() && of.compare(0, prefix.size(), prefix) == 0;
}

std::vector<VariedFile> varied_files(const Namespace& names, const CrashStateLimits& limits) {
  std::vector<VariedFile> out;
  for (const auto& [path, inode] : names) {
    const std::string& applied = *inode->applied;
    const std::string& durable = *inode->durable;
    if (inode->applied == inode->durable || applied == durable) continue;
    VariedFile file;
    file.path = path;
    file.inode = inode.get();
    file.rewritten = !is_prefix(durable, applied);
    const std::size_t base = file.rewritten ? 0 : durable.size();
    file.unsynced = applied.size() - base;
    file.candidates.push_back({inode->durable, 0, false});
    file.candidates.push_back({inode->applied, file.unsynced, false});
    auto cut = [&](std::size_t length, bool torn) {
      file.candidates.push_back(
          {std::make_shared<const std::string>(applied.substr(0, length)), length - base, torn});
    };
    std::vector<std::size_t> ends;
    for (const std::size_t end : inode->append_ends) {
      if (end > base && end < applied.size()) ends.push_back(end);
    }
    const std::size_t cuts = std::min(limits.cuts_per_file, ends.size());
    for (std::size_t c = 1; c <= cuts; ++c) cut(ends[c * ends.size() / (cuts + 1)], false);
    if (file.rewritten && base == 0 && !applied.empty()) cut(0, false);
    const std::size_t last_begin = ends.empty() ? base : ends.back();
    const std::size_t torn = last_begin + (applied.size() - last_begin) / 2;
    if (torn > last_begin && torn < applied.size()) cut(torn, true);
    out.push_back(std::move(file));
  }
  return out;
}

std::string bytes(std::size_t n) { return std::to_string(n) + (n == 1 ? " byte" : " bytes"); }

void describe_file(const VariedFile& file, const Candidate& chosen, SurvivingState& state) {
  const std::string what = "the " + bytes(file.unsynced) + " of \"" + file.path + "\" not synced" +
                           (file.rewritten ? " (a rewrite)" : "");
  if (chosen.kept == file.unsynced && chosen.bytes == file.inode->applied) {
    state.survived.push_back(what);
  } else if (chosen.kept == 0 && chosen.bytes == file.inode->durable) {
    state.lost.push_back(what);
  } else {
    state.survived.push_back("the first " + bytes(chosen.kept) + " of " + what +
                             (chosen.torn ? ", torn inside a write" : ""));
    state.lost.push_back("the other " + bytes(file.unsynced - chosen.kept));
  }
}

// A state's identity: its directories, its paths and what they hold.
std::string signature(const SurvivingState& state) {
  std::string out;
  for (const std::string& dir : state.directories) {
    out += dir;
    out.push_back('\0');
  }
  out.push_back('\0');
  for (const auto& [path, file] : state.files) {
    out += path;
    out.push_back('\0');
    out += std::to_string(file.bytes->size()) + ":" + *file.bytes;
  }
  return out;
}

}  // namespace

bool parents_exist(const Directories& directories, const std::string& path) {
  for (std::string dir = parent_of(path); !dir.empty(); dir = parent_of(dir)) {
    if (directories.count(dir) == 0) return false;
  }
  return true;
}

void drop_orphan_directories(Directories& directories) {
  // Sorted: a directory comes after every directory above it.
  for (auto it = directories.begin(); it != directories.end();) {
    it = parents_exist(directories, *it) ? std::next(it) : directories.erase(it);
  }
}

void NamespaceChange::apply(Namespace& names, Directories& directories) const {
  switch (kind) {
    case Kind::kMakeDirectory:
      directories.insert(path);
      break;
    case Kind::kCreate:
      names[path] = inode;
      break;
    case Kind::kRename:
      names.erase(path);
      names[to] = inode;
      break;
    case Kind::kRemove:
      names.erase(path);
      break;
  }
}

std::string NamespaceChange::describe() const {
  switch (kind) {
    case Kind::kCreate:
      return "create " + path;
    case Kind::kRename:
      return "rename " + path + " -> " + to;
    case Kind::kRemove:
      return "remove " + path;
    case Kind::kMakeDirectory:
      return "create directory " + path;
  }
  return path;
}

std::string NamespaceChange::directory() const {
  return parent_of(kind == Kind::kRename ? to : path);
}

bool NamespaceChange::shares_a_name_with(const NamespaceChange& other) const {
  auto names = [](const NamespaceChange& c) {
    std::vector<std::string> out{c.path};
    if (c.kind == Kind::kRename) out.push_back(c.to);
    return out;
  };
  for (const std::string& a : names(*this)) {
    for (const std::string& b : names(other)) {
      if (a == b) return true;
    }
  }
  return false;
}

bool NamespaceChange::needs(const NamespaceChange& earlier) const {
  if (earlier.kind != Kind::kMakeDirectory) return false;
  const std::string& name = kind == Kind::kRename ? to : path;
  const std::string& dir = earlier.path;
  return name.size() > dir.size() && name.compare(0, dir.size(), dir) == 0 &&
         name[dir.size()] == '/';
}

std::string parent_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

std::vector<std::size_t> with_dependencies(const std::vector<NamespaceChange>& pending,
                                           std::size_t i) {
  std::vector<bool> in(pending.size(), false);
  in[i] = true;
  for (std::size_t j = i + 1; j-- > 0;) {
    if (!in[j]) continue;
    for (std::size_t k = 0; k < j; ++k) {
      if (pending[k].shares_a_name_with(pending[j])) in[k] = true;
    }
  }
  std::vector<std::size_t> out;
  for (std::size_t j = 0; j <= i; ++j) {
    if (in[j]) out.push_back(j);
  }
  return out;
}

SurvivingStates surviving_states(const Namespace& durable, const Directories& durable_directories,
                                 const std::vector<NamespaceChange>& pending,
                                 const CrashStateLimits& limits) {
  bool exhaustive = false;
  const std::vector<Subset> subsets = subsets_to_try(pending, limits, &exhaustive);

  struct Shape {
    const Subset* kept;
    Namespace names;
    std::vector<VariedFile> files;
    std::vector<std::string> orphans;  // paths gone with a directory lost
    Directories directories;
  };
  std::vector<Shape> shapes;
  std::size_t total = 0;
  for (const Subset& kept : subsets) {
    Namespace names = durable;
    Directories directories = durable_directories;
    for (std::size_t i = 0; i < pending.size(); ++i) {
      if (kept[i]) pending[i].apply(names, directories);
    }
    drop_orphan_directories(directories);
    std::vector<std::string> orphans;
    for (auto it = names.begin(); it != names.end();) {
      if (parents_exist(directories, it->first)) {
        ++it;
      } else {
        orphans.push_back(it->first);
        it = names.erase(it);
      }
    }
    std::vector<VariedFile> files = varied_files(names, limits);
    std::size_t product = 1;
    for (const VariedFile& f : files) {
      product = std::min<std::size_t>(product * f.candidates.size(), limits.max_states + 1);
    }
    total = std::min<std::size_t>(total + product, limits.max_states + 1);
    shapes.push_back(
        {&kept, std::move(names), std::move(files), std::move(orphans), std::move(directories)});
  }

  SurvivingStates result;
  std::set<std::string> seen;
  auto add = [&](const Shape& shape, const std::vector<std::size_t>& choice) {
    if (result.states.size() >= limits.max_states) return;
    SurvivingState state;
    for (std::size_t i = 0; i < pending.size(); ++i) {
      ((*shape.kept)[i] ? state.survived : state.lost).push_back(pending[i].describe());
    }
    state.directories = shape.directories;
    for (const std::string& orphan : shape.orphans) {
      state.lost.push_back(orphan + ", with a directory above it");
    }
    std::map<std::string, const Candidate*> chosen;
    for (std::size_t f = 0; f < shape.files.size(); ++f) {
      const Candidate& c = shape.files[f].candidates[choice[f]];
      chosen[shape.files[f].path] = &c;
      describe_file(shape.files[f], c, state);
    }
    for (const auto& [path, inode] : shape.names) {
      const auto it = chosen.find(path);
      state.files[path] = {it != chosen.end() ? it->second->bytes : inode->applied,
                           inode->readable};
    }
    if (seen.insert(signature(state)).second) result.states.push_back(std::move(state));
  };

  if (exhaustive && total <= limits.max_states) {
    add(shapes[0], std::vector<std::size_t>(shapes[0].files.size(), 0));
    if (shapes.size() > 1) add(shapes[1], std::vector<std::size_t>(shapes[1].files.size(), 1));
    for (const Shape& shape : shapes) {
      std::vector<std::size_t> choice(shape.files.size(), 0);
      for (;;) {
        add(shape, choice);
        std::size_t f = 0;
        while (f < choice.size() && ++choice[f] == shape.files[f].candidates.size()) {
          choice[f++] = 0;
        }
        if (f == choice.size()) break;
      }
    }
    return result;
  }
  result.sampled = true;
  // Each shape (in the priority order of subsets_to_try) with its files at
  // their durable bytes and at all their applied bytes; then each cut of
  // each file alone, in the two extreme shapes; then random choices.
  for (const Shape& shape : shapes) {
    add(shape, std::vector<std::size_t>(shape.files.size(), 0));
    add(shape, std::vector<std::size_t>(shape.files.size(), 1));
  }
  for (std::size_t s = 0; s < std::min<std::size_t>(2, shapes.size()); ++s) {
    const Shape& shape = shapes[s];
    for (std::size_t f = 0; f < shape.files.size(); ++f) {
      for (std::size_t c = 1; c < shape.files[f].candidates.size(); ++c) {
        std::vector<std::size_t> choice(shape.files.size(), s);
        choice[f] = c;
        add(shape, choice);
      }
    }
  }
  std::mt19937_64 random(limits.seed ^ 0x7374617465ull);
  for (std::size_t tries = 0; tries < 4 * limits.max_states; ++tries) {
    const Shape& shape = shapes[random() % shapes.size()];
    std::vector<std::size_t> choice;
    for (const VariedFile& f : shape.files) choice.push_back(random() % f.candidates.size());
    add(shape, choice);
  }
  return result;
}

}  // namespace splitcheck::internal
