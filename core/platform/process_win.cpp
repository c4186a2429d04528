// Windows implementation of <ductor/platform/process.hpp> over CreateProcessW.
// The child runs in a Job Object, so a timeout ends its whole tree.
#include <ductor/platform/process.hpp>
#include <ductor/platform/system.hpp>
#include <ductor/sdk/paths.hpp>

#include "win_spawn.hpp"
#include "win_text.hpp"

#include <cstdlib>
#include <thread>

#include <windows.h>

namespace ductor::platform {
namespace {

using win::Handle;

void drain(HANDLE pipe, std::string& into) {
    char buffer[65536];
    DWORD n = 0;
    while (::ReadFile(pipe, buffer, sizeof buffer, &n, nullptr) && n > 0) into.append(buffer, n);
}

}  // namespace

sdk::ProcessResult run_captured(const sdk::ProcessRequest& request) {
    sdk::ProcessResult result;
    if (request.argv.empty()) {
        result.error = "empty command";
        return result;
    }
    // Resolved here: CreateProcessW would also search the current folder.
    auto program = find_executable(request.argv[0]);
    if (!program) {
        result.error = request.argv[0] + ": not found on PATH";
        return result;
    }
    SECURITY_ATTRIBUTES inherit{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
    Handle in_read, in_write, out_read, out_write, err_read, err_write;
    if (!::CreatePipe(in_read.out(), in_write.out(), &inherit, 0) ||
        !::CreatePipe(out_read.out(), out_write.out(), &inherit, 0) ||
        !::CreatePipe(err_read.out(), err_write.out(), &inherit, 0)) {
        result.error = "cannot create pipes: " + win::last_error_text(::GetLastError());
        return result;
    }
    for (HANDLE parent_end : {in_write.get(), out_read.get(), err_read.get()}) {
        ::SetHandleInformation(parent_end, HANDLE_FLAG_INHERIT, 0);
    }
    STARTUPINFOW startup{};
    startup.cb = sizeof startup;
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdInput = in_read.get();
    startup.hStdOutput = out_write.get();
    startup.hStdError = err_write.get();
    auto line = win::command_line(request.argv);
    auto env = win::environment_block(request.environment);
    PROCESS_INFORMATION info{};
    Handle job(::CreateJobObjectW(nullptr, nullptr));
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits{};
    limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    ::SetInformationJobObject(job.get(), JobObjectExtendedLimitInformation, &limits, sizeof limits);
    if (!::CreateProcessW(program->c_str(), line.data(), nullptr, nullptr, TRUE,
                          CREATE_UNICODE_ENVIRONMENT | CREATE_NO_WINDOW | CREATE_SUSPENDED, env.data(), nullptr,
                          &startup, &info)) {
        result.error = request.argv[0] + ": " + win::last_error_text(::GetLastError());
        return result;
    }
    Handle process(info.hProcess), thread(info.hThread);
    ::AssignProcessToJobObject(job.get(), process.get());
    ::ResumeThread(thread.get());
    result.started = true;
    in_read.reset();
    out_write.reset();
    err_write.reset();
    std::thread out_reader(drain, out_read.get(), std::ref(result.out));
    std::thread err_reader(drain, err_read.get(), std::ref(result.err));
    // Fed from a thread: a child that does not read must not block the timeout.
    std::thread in_writer([&in_write, &request] {
        if (request.stdin_data) {
            DWORD written = 0;
            ::WriteFile(in_write.get(), request.stdin_data->data(), static_cast<DWORD>(request.stdin_data->size()),
                        &written, nullptr);
        }
        in_write.reset();
    });
    auto wait_ms = static_cast<DWORD>(request.timeout.count());
    if (::WaitForSingleObject(process.get(), wait_ms) == WAIT_TIMEOUT) {
        ::TerminateJobObject(job.get(), 1);
        ::WaitForSingleObject(process.get(), INFINITE);
        result.timed_out = true;
    }
    DWORD code = 0;
    ::GetExitCodeProcess(process.get(), &code);
    result.exit_code = static_cast<int>(code);
    job.reset();       // ends anything the child left behind that still holds the pipes
    in_writer.join();  // the child is gone, so the pipe is broken and the write returned
    out_reader.join();
    err_reader.join();
    return result;
}

sdk::Expected<int> run_attached(const std::vector<std::string>& argv) {
    if (argv.empty()) return sdk::unexpected("empty command");
    auto program = find_executable(argv[0]);
    if (!program) return sdk::unexpected(argv[0] + ": not found on PATH");
    auto line = win::command_line(argv);
    STARTUPINFOW startup{};
    startup.cb = sizeof startup;
    PROCESS_INFORMATION info{};
    ::SetConsoleCtrlHandler(nullptr, TRUE);  // Ctrl-C goes to the child; we wait for it
    sdk::Expected<int> result = 0;
    if (!::CreateProcessW(program->c_str(), line.data(), nullptr, nullptr, TRUE, 0, nullptr, nullptr, &startup,
                          &info)) {
        result = sdk::unexpected(argv[0] + ": " + win::last_error_text(::GetLastError()));
    } else {
        Handle process(info.hProcess), thread(info.hThread);
        ::WaitForSingleObject(process.get(), INFINITE);
        DWORD code = 0;
        ::GetExitCodeProcess(process.get(), &code);
        result = static_cast<int>(code);
    }
    ::SetConsoleCtrlHandler(nullptr, FALSE);
    return result;
}

bool is_executable_file(const std::filesystem::path& path) {
    std::error_code ec;
    return std::filesystem::is_regular_file(path, ec);
}

std::optional<std::filesystem::path> find_executable(std::string_view name, std::optional<std::string> path_value) {
    if (name.empty()) return std::nullopt;
    auto as_path = sdk::path_from_utf8(name);
    const std::vector<std::wstring> suffixes = {L"", L".exe", L".com", L".bat", L".cmd"};
    auto try_file = [&](const std::filesystem::path& base) -> std::optional<std::filesystem::path> {
        for (const auto& suffix : suffixes) {
            std::filesystem::path candidate = base.wstring() + suffix;
            if (is_executable_file(candidate)) return candidate.lexically_normal();
        }
        return std::nullopt;
    };
    if (as_path.has_parent_path() || as_path.is_absolute()) {
        std::error_code ec;
        auto absolute = std::filesystem::absolute(as_path, ec);
        return ec ? std::nullopt : try_file(absolute);
    }
    if (!path_value) path_value = environment("PATH").value_or("");  // UTF-16, not the ANSI code page
    for (const auto& dir : sdk::absolute_path_entries(*path_value, ';')) {
        if (auto found = try_file(sdk::path_from_utf8(dir) / as_path)) return found;
    }
    return std::nullopt;
}

}  // namespace ductor::platform
