#include <ductor/sdk/runner.hpp>
#include <ductor/sdk/runner_logs.hpp>

#include <ductor/sdk/paths.hpp>
#include <ductor/sdk/text.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <sstream>
#include <utility>

namespace ductor::sdk::runner {
namespace {

std::string id_text(const ProcessId& id) { return std::to_string(id.pid) + " " + std::to_string(id.start_time); }

bool parse_id(std::istringstream& in, ProcessId& id) {
    return static_cast<bool>(in >> id.pid >> id.start_time) && id.pid > 0;
}

// N for "<name>.log.N" (N > 0, digits only), 0 for "<name>.log", nullopt otherwise.
std::optional<unsigned> rotation_index(std::string_view file_name, std::string_view name) {
    const std::string base = std::string(name) + ".log";
    if (file_name == base) return 0U;
    if (file_name.size() <= base.size() + 1 || file_name.substr(0, base.size() + 1) != base + ".") return std::nullopt;
    const auto digits = file_name.substr(base.size() + 1);
    unsigned index = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
    if (ec != std::errc() || end != digits.data() + digits.size() || index == 0) return std::nullopt;
    return index;
}

}  // namespace

std::string format_pid_record(const PidRecord& record) {
    std::string text = "runner=" + id_text(record.runner) + "\n";
    if (record.child) text += "child=" + id_text(*record.child) + "\n";
    text += "grace=" + std::to_string(record.grace_seconds) + "\n";
    if (record.restarts > 0) text += "restarts=" + std::to_string(record.restarts) + "\n";
    if (record.last_exit) text += "last_exit=" + std::to_string(*record.last_exit) + "\n";
    if (record.next_start) text += "next_start=" + std::to_string(*record.next_start) + "\n";
    if (!record.log_problem.empty()) {
        std::string problem = record.log_problem;
        std::replace(problem.begin(), problem.end(), '\n', ' ');
        text += "log_problem=" + problem + "\n";
    }
    return text;
}

std::optional<PidRecord> parse_pid_record(const std::string& text) {
    PidRecord record;
    bool has_runner = false;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        auto eq = line.find('=');
        if (eq == std::string::npos) return std::nullopt;
        auto key = line.substr(0, eq);
        std::istringstream value(line.substr(eq + 1));
        if (key == "runner") {
            has_runner = parse_id(value, record.runner);
            if (!has_runner) return std::nullopt;
        } else if (key == "child") {
            ProcessId child;
            if (!parse_id(value, child)) return std::nullopt;
            record.child = child;
        } else if (key == "grace") {
            if (!(value >> record.grace_seconds) || record.grace_seconds < 0) return std::nullopt;
        } else if (key == "restarts") {
            value >> record.restarts;
        } else if (key == "last_exit") {
            int code = 0;
            if (value >> code) record.last_exit = code;
        } else if (key == "next_start") {
            long long at = 0;
            if (value >> at) record.next_start = at;
        } else if (key == "log_problem") {
            record.log_problem = line.substr(eq + 1);
        }
    }
    if (!has_runner) return std::nullopt;
    return record;
}

std::filesystem::path pid_file(const std::filesystem::path& ductor_home, std::string_view name) {
    return ductor_home / "run" / (std::string(name) + ".pid");
}

std::filesystem::path log_directory(const Host& host, const ServiceSpec& spec) {
    return spec.log_directory.value_or(host.ductor_home() / "logs");
}

std::filesystem::path log_path(const std::filesystem::path& dir, std::string_view name) {
    return dir / (std::string(name) + ".log");
}

std::filesystem::path rotated_log_path(const std::filesystem::path& dir, std::string_view name, unsigned index) {
    return dir / (std::string(name) + ".log." + std::to_string(index));
}

std::vector<std::filesystem::path> order_log_files(const std::vector<std::filesystem::path>& entries,
                                                   std::string_view name) {
    std::vector<std::pair<unsigned, std::filesystem::path>> found;
    for (const auto& entry : entries) {
        if (auto index = rotation_index(utf8(entry.filename()), name)) found.emplace_back(*index, entry);
    }
    // Oldest first: the highest rotation number first, the live log (0) last.
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
        if (a.first == 0 || b.first == 0) return b.first == 0 && a.first != 0;
        return a.first > b.first;
    });
    std::vector<std::filesystem::path> files;
    for (auto& item : found) files.push_back(std::move(item.second));
    return files;
}

LogSource log_source(const Host& host, const ServiceSpec& spec, const LogRequest& request, std::string_view what) {
    const auto folder = log_directory(host, spec);
    auto files = order_log_files(host.list_directory(folder), spec.name);
    const auto live = log_path(folder, spec.name);
    if (files.empty() && !request.follow)
        return {{},
                {},
                "no log yet at " + utf8(live) + ": the runner writes it once " + std::string(what) + " has started"};
    if (files.empty()) files.push_back(live);
    return {{}, std::move(files), {}};
}

std::vector<std::string> run_arguments(const Invocation& invocation, const std::vector<std::string>& argv) {
    std::vector<std::string> args{"run"};
    if (invocation.detach) args.emplace_back("--detach");
    args.insert(args.end(), {"--name", invocation.name, "--log-to", invocation.log_to});
    if (invocation.log_directory) {
        args.emplace_back("--log-dir");
        args.push_back(utf8(*invocation.log_directory));
    }
    if (invocation.restart) {
        args.emplace_back("--restart");
        args.emplace_back(to_string(*invocation.restart));
    }
    if (invocation.restart_delay) {
        args.emplace_back("--restart-delay");
        args.push_back(std::to_string(invocation.restart_delay->count()));
    }
    if (invocation.grace) {
        args.emplace_back("--grace");
        args.push_back(std::to_string(invocation.grace->count()));
    }
    if (invocation.crash_loop_limit) {
        args.emplace_back("--crash-loop-limit");
        args.push_back(std::to_string(*invocation.crash_loop_limit));
    }
    if (invocation.backoff_max) {
        args.emplace_back("--backoff-max");
        args.push_back(std::to_string(invocation.backoff_max->count()));
    }
    if (invocation.working_directory) {
        args.emplace_back("--workdir");
        args.push_back(utf8(*invocation.working_directory));
    }
    if (invocation.home) {
        args.emplace_back("--home");
        args.push_back(utf8(*invocation.home));
    }
    for (const auto& var : invocation.environment) {
        args.emplace_back("--env");
        args.push_back(var.key + "=" + var.value);
    }
    args.emplace_back("--");
    args.insert(args.end(), argv.begin(), argv.end());
    return args;
}

bool is_batch_program(std::string_view program) {
    while (!program.empty() && (program.back() == '.' || program.back() == ' ')) program.remove_suffix(1);
    if (program.size() < 4) return false;
    const auto extension = ascii_lowercase(program.substr(program.size() - 4));
    return extension == ".bat" || extension == ".cmd";
}

std::optional<std::string> format_definition(const std::vector<std::string>& arguments) {
    return format_lines(k_definition_header, arguments);
}

std::optional<std::vector<std::string>> parse_definition(std::string_view text) {
    return parse_lines(k_definition_header, text);
}

}  // namespace ductor::sdk::runner
