#include "runner_helpers.hpp"

#include <ductor/platform/files.hpp>

#include <stdexcept>
#include <thread>

namespace ductor::test {

Env runner_env(const std::filesystem::path& ductor_home) {
    return {{"DUCTOR_HOME", ductor_home.string()},
            {"DUCTOR_PLUGIN_PATH", ""},
            {"DUCTOR_BACKEND", ""},
            {"INVOCATION_ID", ""},
            {"DUCTOR_SUPERVISOR", ""}};
}

Background::Background(const std::vector<std::string>& args, const Env& env) {
    platform::ChildRequest request;
    request.argv.push_back(DUCTOR_TEST_EXE);
    request.argv.insert(request.argv.end(), args.begin(), args.end());
    request.environment = env;
    auto spawned = platform::ChildGroup::spawn(request);
    if (!spawned) throw std::runtime_error("cannot start ductor: " + spawned.error());
    m_process = std::move(*spawned);
}

std::optional<int> Background::wait(std::chrono::milliseconds limit) {
    auto until = std::chrono::steady_clock::now() + limit;
    std::vector<platform::OutputChunk> chunks;
    while (true) {
        chunks.clear();
        m_process->read_some(chunks, std::chrono::milliseconds(20));
        for (const auto& chunk : chunks) (chunk.stream == platform::Stream::out ? m_out : m_err) += chunk.data;
        auto code = m_process->try_wait();
        if (code && !m_process->output_open()) return code;
        if (std::chrono::steady_clock::now() >= until) return code;
    }
}

Background::~Background() {
    if (m_process->try_wait()) return;
    // A runner forwards SIGTERM to its program's group; SIGKILL only if that did not end it.
    platform::send_signal(m_process->pid(), platform::stop_signal_terminate(), platform::Target::process);
    if (wait(std::chrono::seconds(15))) return;
    m_process->signal_group(platform::stop_signal_kill());
    wait(std::chrono::seconds(5));
}

std::filesystem::path write_script(const std::filesystem::path& dir, const std::string& name, const std::string& body) {
    auto path = dir / name;
    auto written = platform::write_file_atomic(path, "#!/bin/sh\n" + body + "\n", std::filesystem::perms(0755));
    if (!written) throw std::runtime_error(written.error());
    return path;
}

bool wait_until(const std::function<bool()>& ready, std::chrono::milliseconds limit) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (!ready()) {
        if (std::chrono::steady_clock::now() >= until) return ready();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

std::optional<long long> read_pid(const std::filesystem::path& file) {
    auto text = platform::read_file(file);
    if (!text || text->empty() || text->back() != '\n') return std::nullopt;
    try {
        return std::stoll(*text);
    } catch (...) {
        return std::nullopt;
    }
}

}  // namespace ductor::test
