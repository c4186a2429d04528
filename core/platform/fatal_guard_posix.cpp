// POSIX implementation of <ductor/platform/fatal_guard.hpp>: signal handlers,
// an atexit hook and an interval timer, active only while a guard lives. The
// message is formatted when the guard is made, so the handlers only write(2).
#include <ductor/platform/fatal_guard.hpp>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iterator>

#include <sys/time.h>
#include <unistd.h>

namespace ductor::platform {
namespace {

constexpr int k_fatal_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};

struct Text {
    char data[2048];
    std::size_t size = 0;
    void set(std::initializer_list<std::string_view> parts) {
        size = 0;
        for (auto part : parts) {
            auto n = std::min(part.size(), sizeof data - size);
            std::memcpy(data + size, part.data(), n);
            size += n;
        }
    }
};

struct State {
    Text head;     // "ductor: error: <subject> "
    Text timeout;  // "did not answer within 5 s"
    Text tail;     // " during <operation>; <hint>\n"
    int exit_code = 1;
    struct sigaction previous[std::size(k_fatal_signals)];
    struct sigaction previous_alarm;
    itimerval previous_timer;
};

State g_state;
volatile std::sig_atomic_t g_active = 0;
bool g_hooks_ready = false;
alignas(16) char g_alt_stack[64 * 1024];  // so that a stack overflow can still be reported

void put(const char* data, std::size_t size) {
    while (size > 0) {
        ssize_t n = ::write(STDERR_FILENO, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        data += n;
        size -= static_cast<std::size_t>(n);
    }
}

const char* signal_text(int signal) {
    switch (signal) {
        case SIGSEGV: return "crashed with SIGSEGV";
        case SIGBUS: return "crashed with SIGBUS";
        case SIGILL: return "crashed with SIGILL";
        case SIGFPE: return "crashed with SIGFPE";
        case SIGABRT: return "crashed with SIGABRT";
        default: return "crashed";
    }
}

[[noreturn]] void report_and_exit(const char* what, std::size_t size) {
    put(g_state.head.data, g_state.head.size);
    put(what, size);
    put(g_state.tail.data, g_state.tail.size);
    ::_exit(g_state.exit_code);
}

extern "C" void on_fatal_signal(int signal) {
    if (g_active == 0) {  // not ours any more: die as the signal wanted
        std::signal(signal, SIG_DFL);
        std::raise(signal);
        return;
    }
    const char* text = signal_text(signal);
    report_and_exit(text, std::strlen(text));
}

extern "C" void on_alarm(int) {
    if (g_active == 0) return;
    report_and_exit(g_state.timeout.data, g_state.timeout.size);
}

extern "C" void on_exit_call() {
    if (g_active == 0) return;
    constexpr std::string_view text = "called exit()";
    report_and_exit(text.data(), text.size());
}

void prepare_hooks() {
    if (g_hooks_ready) return;
    g_hooks_ready = true;
    std::atexit(on_exit_call);
    stack_t stack{};
    stack.ss_sp = g_alt_stack;
    stack.ss_size = sizeof g_alt_stack;
    ::sigaltstack(&stack, nullptr);
}

}  // namespace

FatalCallGuard::FatalCallGuard(std::string_view subject, std::string_view operation, std::chrono::milliseconds timeout,
                               std::string_view hint, int exit_code) {
    if (g_active != 0) return;
    prepare_hooks();
    g_state.head.set({"ductor: error: ", subject, " "});
    auto limit = describe_timeout(timeout);
    g_state.timeout.set({"did not answer within ", limit});
    g_state.tail.set({" during ", operation, hint.empty() ? "" : "; ", hint, "\n"});
    g_state.exit_code = exit_code;

    struct sigaction action {};
    action.sa_handler = on_fatal_signal;
    action.sa_flags = SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    for (std::size_t i = 0; i < std::size(k_fatal_signals); ++i)
        ::sigaction(k_fatal_signals[i], &action, &g_state.previous[i]);
    struct sigaction alarm {};
    alarm.sa_handler = on_alarm;
    sigemptyset(&alarm.sa_mask);
    ::sigaction(SIGALRM, &alarm, &g_state.previous_alarm);
    itimerval timer{};
    timer.it_value.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    timer.it_value.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
    g_active = 1;
    m_armed = true;
    ::setitimer(ITIMER_REAL, &timer, &g_state.previous_timer);
}

FatalCallGuard::~FatalCallGuard() {
    if (!m_armed) return;
    itimerval off{};
    ::setitimer(ITIMER_REAL, &off, nullptr);
    g_active = 0;
    ::sigaction(SIGALRM, &g_state.previous_alarm, nullptr);
    for (std::size_t i = 0; i < std::size(k_fatal_signals); ++i)
        ::sigaction(k_fatal_signals[i], &g_state.previous[i], nullptr);
    ::setitimer(ITIMER_REAL, &g_state.previous_timer, nullptr);
}

}  // namespace ductor::platform
