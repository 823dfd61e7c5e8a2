#include "splitcheck/testkit/html_report.h"

#include <cstdio>
#include <string>
#include <vector>

namespace splitcheck::testkit {
namespace {

const char* verdict_of(const CheckResult& result) {
  switch (result.outcome) {
    case CheckResult::Outcome::kPassed:
      return "passed";
    case CheckResult::Outcome::kFailed:
      return "rejected";
    case CheckResult::Outcome::kGaveUp:
      return "gave up";
    case CheckResult::Outcome::kBroken:
      return "broken";
  }
  return "?";
}

std::string seconds_text(double seconds) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f s", seconds);
  return buffer;
}

const char* kStyle = R"(
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
table.checks { border-collapse: collapse; }
table.checks td, table.checks th { border: 1px solid #ccc; padding: 3px 8px; text-align: left; }
td.num { text-align: right; }
tr.good td.verdict { background: #d8f0d8; } tr.bad td.verdict { background: #f6c7c7; font-weight: bold; }
pre { background: #f5f5f5; padding: 8px; white-space: pre-wrap; }
section.failure { border-left: 4px solid #c33; padding-left: 10px; margin: 1em 0; }
table.map { border-collapse: collapse; }
table.map td { width: 6px; height: 6px; padding: 0; }
table.map td.a { background: #4a9d4a; } table.map td.r { background: #c8c8c8; }
table.map td.f { background: #d11; } table.map td.n { background: #fff; }
table.map th { font-weight: normal; font-size: 10px; text-align: right; padding-right: 4px; }
.legend span { display: inline-block; width: 10px; height: 10px; margin: 0 3px 0 10px; }
)";

std::string map_html(const SplitMap& map) {
  std::string out = "<p class=\"legend\">Rows: records read before the split (" +
                    std::to_string(map.read_counts.size()) + " rows); columns: the " +
                    std::to_string(map.positions) + " distinct split positions in order, from " +
                    html_escape(map.first_position) + " to " + html_escape(map.last_position) +
                    ". <span style=\"background:#4a9d4a\"></span>accepted"
                    "<span style=\"background:#c8c8c8\"></span>refused"
                    "<span style=\"background:#d11\"></span>failed"
                    "<span style=\"background:#fff;border:1px solid #ccc\"></span>not run</p>\n";
  out += "<table class=\"map\">\n";
  for (std::size_t r = 0; r < map.rows.size(); ++r) {
    out += "<tr><th>" + std::to_string(map.read_counts[r]) + "</th>";
    for (const char cell : map.rows[r]) {
      const char* cls = cell == 'a' ? "a" : cell == 'r' ? "r" : cell == 'f' ? "f" : "n";
      out += "<td class=\"";
      out += cls;
      out += "\"></td>";
    }
    out += "</tr>\n";
  }
  return out + "</table>\n";
}

}  // namespace

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string html_report(const std::string& title, const std::vector<ReportEntry>& entries) {
  std::string checks;
  std::string failures;
  std::string maps;
  std::string mutants;
  int wrong = 0;
  int rejected = 0;
  int applied = 0;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const ReportEntry& e = entries[i];
    if (!e.ok) ++wrong;
    const std::string row_class = e.ok ? "good" : "bad";
    if (e.kind == ReportEntry::Kind::kMutant || e.kind == ReportEntry::Kind::kControl) {
      const bool is_control = e.kind == ReportEntry::Kind::kControl;
      const bool not_applicable = e.outcome.find(": not applicable") != std::string::npos;
      if (!is_control && !not_applicable) {
        ++applied;
        rejected += e.ok ? 1 : 0;
      }
      mutants +=
          "<tr class=\"" + row_class + "\"><td>" + html_escape(e.test) + "</td><td>" +
          (is_control ? std::string("control (the connector itself)") : html_escape(e.mutation)) +
          "</td><td class=\"verdict\">" +
          (is_control       ? std::string(e.ok ? "passes the gate" : "REJECTED")
           : not_applicable ? std::string("not applicable")
                            : std::string(e.ok ? "rejected" : "SURVIVED")) +
          "</td><td>" + html_escape(e.outcome) + "</td><td class=\"num\">" +
          seconds_text(e.seconds) + "</td></tr>\n";
      continue;
    }
    const CheckResult& r = e.result;
    const std::string anchor = "c" + std::to_string(i);
    std::string verdict = verdict_of(r);
    if (e.kind == ReportEntry::Kind::kExpectedRejection) {
      verdict = r.outcome == CheckResult::Outcome::kFailed
                    ? "rejected, as expected"
                    : std::string(verdict) + ", NOT rejected";
    }
    checks += "<tr class=\"" + row_class + "\"><td>" + html_escape(e.test) + "</td><td>" +
              html_escape(r.check) + "</td><td class=\"verdict\">" +
              (r.ok() ? verdict : "<a href=\"#" + anchor + "\">" + verdict + "</a>") +
              "</td><td class=\"num\">" + std::to_string(r.cases) + "</td><td class=\"num\">" +
              std::to_string(r.records_read) + "</td><td class=\"num\">" + seconds_text(e.seconds) +
              "</td></tr>\n";
    if (!r.ok()) {
      failures += "<section class=\"failure\" id=\"" + anchor + "\"><h3>" + html_escape(e.test) +
                  ": " + html_escape(r.check) + " " + verdict + "</h3>\n<pre class=\"message\">" +
                  html_escape(r.message) + "</pre>\n";
      if (!r.replay.empty()) {
        failures += "<p>Replay:</p><pre class=\"replay\">" + html_escape(r.replay) + "</pre>\n";
      }
      for (const std::string& note : r.notes) {
        failures += "<p class=\"note\">" + html_escape(note) + "</p>\n";
      }
      failures += "</section>\n";
    }
    if (r.split_map && !r.split_map->rows.empty()) {
      maps += "<section class=\"split-map\"><h3>" + html_escape(e.test) + ": " +
              html_escape(r.check) + " (" + verdict_of(r) + ")</h3>\n" + map_html(*r.split_map) +
              "</section>\n";
    }
  }
  std::string page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>" +
                     html_escape(title) + "</title>\n<style>" + kStyle + "</style></head><body>\n";
  page += "<h1>" + html_escape(title) + "</h1>\n<p id=\"summary\">" +
          std::to_string(entries.size()) + " results, " +
          (wrong == 0 ? std::string("all as the tests expect")
                      : std::to_string(wrong) + " not as the tests expect") +
          ".</p>\n";
  if (!checks.empty()) {
    page +=
        "<h2>Checks</h2>\n<table class=\"checks\"><tr><th>test</th><th>check</th><th>verdict</th>"
        "<th>cases</th><th>records read</th><th>time</th></tr>\n" +
        checks + "</table>\n";
  }
  if (!failures.empty()) page += "<h2>Counterexamples</h2>\n" + failures;
  if (!mutants.empty()) {
    page += "<h2>Mutation analysis</h2>\n<p id=\"mutation-score\">mutation score: " +
            std::to_string(rejected) + " of " + std::to_string(applied) +
            " applicable mutants rejected</p>\n<table class=\"checks\"><tr><th>test</th>"
            "<th>mutant</th><th>verdict</th><th>outcome</th><th>time</th></tr>\n" +
            mutants + "</table>\n";
  }
  if (!maps.empty()) page += "<h2>Exhaustive split maps</h2>\n" + maps;
  return page + "</body></html>\n";
}

}  // namespace splitcheck::testkit
