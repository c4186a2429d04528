#include "harness.hpp"

#include <ductor/platform/files.hpp>
#include <ductor/platform/process.hpp>

#include <cstdio>
#include <iostream>
#include <thread>

namespace ductor::itest {

bool Checks::check(bool ok, const std::string& what, const std::string& detail) {
    if (ok) {
        ++m_passed;
        std::cout << "ok   " << what << "\n";
    } else {
        ++m_failures;
        std::cout << "FAIL " << what << (detail.empty() ? "" : "\n     " + detail) << "\n";
    }
    std::cout.flush();
    return ok;
}

sdk::ProcessResult run(const Argv& argv) {
    sdk::ProcessRequest request;
    request.argv = argv;
    request.timeout = std::chrono::seconds(30);
    return platform::run_captured(request);
}

sdk::ProcessResult run_ductor(const Setup& setup, const Argv& args) {
    Argv argv = {setup.ductor, "--plugin-dir", setup.plugin_dir, "--backend", "systemd"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv);
}

bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (true) {
        if (done()) return true;
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

std::optional<long long> Status::pid() const {
    const auto& value = json["pid"];
    if (value.kind != Json::Kind::number) return std::nullopt;
    return static_cast<long long>(value.number);
}

Status status(const Setup& setup, const std::string& name) {
    auto result = run_ductor(setup, {"service", "status", "--json", "--name", name});
    Status parsed;
    parsed.exit_code = result.exit_code;
    try {
        parsed.json = JsonReader::parse(result.out);
    } catch (const std::exception& e) {
        std::cout << "     (status output is not JSON: " << e.what() << ": " << result.out << result.err << ")\n";
    }
    return parsed;
}

std::optional<long long> probe_pid(const Setup& setup) {
    auto text = platform::read_file(setup.probe_dir / "current");
    if (!text || text->empty()) return std::nullopt;
    return std::stoll(*text);
}

std::vector<std::string> probe_record(const Setup& setup, const std::string& kind, long long pid) {
    auto text = platform::read_file(setup.probe_dir / (kind + "-" + std::to_string(pid)));
    std::vector<std::string> items;
    if (!text) return items;
    std::size_t start = 0;
    for (std::size_t end; (end = text->find('\0', start)) != std::string::npos; start = end + 1) {
        items.push_back(text->substr(start, end - start));
    }
    return items;
}

void probe_exit(const Setup& setup, long long pid, int code) {
    platform::write_file_atomic(setup.probe_dir / ("exit-" + std::to_string(pid)), std::to_string(code) + "\n",
                                std::filesystem::perms(0644));
}

std::string bus_label(const std::string& unit) {
    std::string label;
    for (std::size_t i = 0; i < unit.size(); ++i) {
        const char c = unit[i];
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        const bool digit = c >= '0' && c <= '9';
        if (alpha || (digit && i > 0)) {
            label += c;
            continue;
        }
        char buffer[4];
        std::snprintf(buffer, sizeof buffer, "_%02x", static_cast<unsigned>(static_cast<unsigned char>(c)));
        label += buffer;
    }
    return label;
}

std::optional<std::vector<std::string>> exec_start_argv(const std::string& unit) {
    auto result =
        run({"busctl", "--user", "--json=short", "get-property", "org.freedesktop.systemd1",
             "/org/freedesktop/systemd1/unit/" + bus_label(unit), "org.freedesktop.systemd1.Service", "ExecStart"});
    if (!result.succeeded()) {
        std::cout << "     busctl failed: " << result.err << "\n";
        return std::nullopt;
    }
    auto json = JsonReader::parse(result.out);
    std::vector<std::string> argv;
    for (const auto& arg : json["data"].at(0).at(1).items) argv.push_back(arg.text);
    return argv;
}

std::string show(const std::vector<std::string>& argv) {
    std::string line;
    for (const auto& arg : argv) {
        line += line.empty() ? "[" : ", ";
        line += "'" + arg + "'";
    }
    return line + "]";
}

}  // namespace ductor::itest
