// Windows test program for the runner tests under Wine. Modes:
//   exit CODE             exits with CODE
//   once MARKER CODE      exits CODE and creates MARKER; exits 0 when MARKER exists
//   tree PIDFILE          starts a copy of itself in `sleep` mode, writes that
//                         grandchild's PID to PIDFILE, then sleeps
//   sleep SECONDS         prints "sleeping", then sleeps; prints "console event N"
//                         when a console control event N arrives (then ends)
//   alive PID             exits 0 while process PID runs, 1 when it is gone
//   argv OUT ARGS...      writes to OUT, as UTF-8 with a NUL after each: the
//                         arguments CommandLineToArgvW finds in its command
//                         line after OUT, its working folder and $HOSTILE
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <windows.h>

#include <shellapi.h>

namespace {

BOOL WINAPI on_console_event(DWORD type) {
    std::printf("console event %lu\n", type);
    std::fflush(stdout);
    return FALSE;  // the default handling ends the process
}

int sleep_for(unsigned long seconds) {
    ::SetConsoleCtrlHandler(on_console_event, TRUE);
    std::printf("sleeping\n");
    std::fflush(stdout);
    ::Sleep(seconds * 1000UL);
    return 0;
}

int once(const char* marker, int code) {
    if (::GetFileAttributesA(marker) != INVALID_FILE_ATTRIBUTES) return 0;
    std::ofstream(marker) << "ran\n";
    return code;
}

// A grandchild that outlives nothing: it sleeps until someone ends it.
int tree(const char* pid_file) {
    wchar_t self[MAX_PATH];
    ::GetModuleFileNameW(nullptr, self, MAX_PATH);
    std::wstring line = L"\"" + std::wstring(self) + L"\" sleep 600";
    STARTUPINFOW startup{};
    startup.cb = sizeof startup;
    PROCESS_INFORMATION info{};
    if (!::CreateProcessW(nullptr, line.data(), nullptr, nullptr, FALSE, 0, nullptr, nullptr, &startup, &info)) {
        std::fprintf(stderr, "cannot start the grandchild: %lu\n", ::GetLastError());
        return 3;
    }
    ::CloseHandle(info.hThread);
    ::CloseHandle(info.hProcess);
    std::string tmp = std::string(pid_file) + ".tmp";
    std::ofstream(tmp) << info.dwProcessId << "\n";
    ::MoveFileExA(tmp.c_str(), pid_file, MOVEFILE_REPLACE_EXISTING);
    return sleep_for(600);
}

int alive(unsigned long pid) {
    HANDLE process = ::OpenProcess(SYNCHRONIZE, FALSE, pid);
    if (process == nullptr) return 1;
    bool running = ::WaitForSingleObject(process, 0) == WAIT_TIMEOUT;
    ::CloseHandle(process);
    return running ? 0 : 1;
}

std::string utf8(const wchar_t* text) {
    const int size = ::WideCharToMultiByte(CP_UTF8, 0, text, -1, nullptr, 0, nullptr, nullptr);
    std::string out(static_cast<std::size_t>(size > 0 ? size : 1), '\0');
    ::WideCharToMultiByte(CP_UTF8, 0, text, -1, out.data(), size, nullptr, nullptr);
    return out;  // ends with its NUL
}

int write_argv() {
    int count = 0;
    wchar_t** args = ::CommandLineToArgvW(::GetCommandLineW(), &count);
    if (args == nullptr || count < 3) return 2;
    std::string out;
    for (int i = 3; i < count; ++i) out += utf8(args[i]);
    wchar_t folder[32768];
    ::GetCurrentDirectoryW(32768, folder);
    out += utf8(folder);
    wchar_t value[32768] = L"";
    ::GetEnvironmentVariableW(L"HOSTILE", value, 32768);
    out += utf8(value);
    std::ofstream(std::filesystem::path(args[2]), std::ios::binary) << out;
    ::LocalFree(args);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "exit" && argc == 3) return std::atoi(argv[2]);
    if (mode == "once" && argc == 4) return once(argv[2], std::atoi(argv[3]));
    if (mode == "tree" && argc == 3) return tree(argv[2]);
    if (mode == "sleep" && argc == 3) return sleep_for(std::strtoul(argv[2], nullptr, 10));
    if (mode == "alive" && argc == 3) return alive(std::strtoul(argv[2], nullptr, 10));
    if (mode == "argv" && argc >= 3) return write_argv();
    std::fprintf(
        stderr,
        "usage: win_child exit CODE | once MARKER CODE | tree PIDFILE | sleep S | alive PID | argv OUT ARGS...\n");
    return 2;
}
