// Checks the systemd backend's units with systemd's own parsers, over a
// generated corpus of hostile specs (program paths, arguments, descriptions,
// working folders and environment values):
//   - every spec the renderer accepts gives a unit that
//     `systemd-analyze --user verify` passes with nothing on stderr, and that
//     `systemd --test --user` reads back as the same description, argv,
//     working folder and environment (its unit dump);
//   - controls show that the checks can fail and why the renderer refuses what
//     it refuses: systemd refuses a program path with a quote ("Executable
//     name contains special characters") and strips blanks at the ends of a
//     Description= or WorkingDirectory= value.
// usage: unit_validators COUNT
// Exit codes: 0 passed, 1 failed, 77 skipped (systemd missing; 1 when CI=true).
#include <ductor/platform/files.hpp>
#include <ductor/platform/process.hpp>
#include <ductor/systemd/unit_file.hpp>

#include "hostile_argv.hpp"
#include "temp_dir.hpp"

#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

namespace fs = std::filesystem;
using ductor::sdk::ProcessResult;
using ductor::sdk::ServiceSpec;
using Argv = std::vector<std::string>;

namespace {

const ductor::systemd::UnitContext k_context{"/usr/local/bin:/usr/bin:/bin", "/home/alice"};
constexpr const char* k_nobody = "65534";

struct Sample {
    std::string unit;  // file name, e.g. "u12.service"
    ServiceSpec spec;
};

// What systemd reported about one unit in its dump.
struct Parsed {
    std::string description;
    Argv argv;
    std::string working_directory;
    std::vector<std::string> environment;
};

int skip(const std::string& why) {
    std::cout << "SKIPPED: " << why << "\n";
    const char* ci = std::getenv("CI");
    return ci && std::string(ci) == "true" ? 1 : 77;
}

ProcessResult run(Argv argv, const fs::path& runtime) {
    ductor::sdk::ProcessRequest request;
    if (::geteuid() == 0) {
        // systemd --test refuses to run as root; both tools read the files as an unprivileged user.
        argv.insert(argv.begin(), {"setpriv", "--reuid", k_nobody, "--regid", k_nobody, "--clear-groups", "--"});
    }
    if (auto program = ductor::platform::find_executable(argv.front())) argv.front() = program->string();
    request.argv = std::move(argv);
    request.timeout = std::chrono::seconds(120);
    request.environment = {
        {"XDG_RUNTIME_DIR", runtime.string()}, {"SYSTEMD_LOG_COLOR", "0"}, {"SYSTEMD_PAGER", ""}, {"LC_ALL", "C"}};
    return ductor::platform::run_captured(request);
}

std::string pick(std::mt19937& rng, const std::vector<std::string>& pieces, std::size_t max_pieces) {
    std::uniform_int_distribution<std::size_t> length(0, max_pieces);
    std::uniform_int_distribution<std::size_t> index(0, pieces.size() - 1);
    std::string text;
    for (auto n = length(rng); n > 0; --n) text += pieces[index(rng)];
    return text;
}

std::vector<std::string> unit_pieces() {
    auto pieces = ductor::test::hostile_pieces(false);
    for (const char* extra : {"$X", "${Y}", "$$", "%h", "%%", "%n", ";", "\\;", "\x01", "\x1b[0m", "\x7f", " \t"})
        pieces.emplace_back(extra);
    return pieces;
}

// One generated spec; its program is a link to /bin/true under `bin` whose name is hostile.
Sample generate(std::mt19937& rng, int index, const fs::path& bin, const fs::path& work) {
    const auto pieces = unit_pieces();
    // Half of the program names use only what systemd takes in an executable path.
    std::uniform_int_distribution<int> coin(0, 2);
    const bool plain_program = coin(rng) != 0;
    std::vector<std::string> file_pieces;
    for (const auto& piece : pieces) {
        const bool unsafe = piece.find_first_of(std::string("\"'\\$\t\x01\x1b\x7f")) != std::string::npos;
        if (piece.find('/') == std::string::npos && !(plain_program && unsafe)) file_pieces.push_back(piece);
    }
    Sample sample{"u" + std::to_string(index) + ".service", {}};
    auto& spec = sample.spec;
    spec.name = "u" + std::to_string(index);
    auto name = std::to_string(index) + pick(rng, file_pieces, 3);
    spec.argv = {(bin / name).string()};
    for (auto& arg : ductor::test::hostile_argv(rng, false)) spec.argv.push_back(arg + pick(rng, pieces, 1));
    if (coin(rng) != 0) spec.description = pick(rng, pieces, 4);
    if (coin(rng) == 0) spec.working_directory = work / (std::to_string(index) + pick(rng, file_pieces, 3));
    if (coin(rng) != 0) spec.environment = {{"HOSTILE", pick(rng, pieces, 4)}, {"EMPTY", ""}};
    std::error_code ec;
    fs::create_symlink("/bin/true", spec.argv.front(), ec);
    return sample;
}

// The words of a "Command Line:" in systemd's dump: bare words, or "..." with
// backslash escapes (\" \\ \$ \` and C escapes such as \t or \001).
std::optional<Argv> split_command_line(const std::string& line) {
    Argv words;
    std::size_t i = 0;
    while (i < line.size()) {
        std::string word;
        if (line[i] != '"') {
            auto end = std::min(line.find(' ', i), line.size());
            words.push_back(line.substr(i, end - i));
            i = end + 1;
            continue;
        }
        for (++i; i < line.size() && line[i] != '"'; ++i) {
            if (line[i] != '\\') {
                word += line[i];
                continue;
            }
            if (++i >= line.size()) return std::nullopt;
            static const std::map<char, char> k_escapes{{'a', '\a'}, {'b', '\b'}, {'f', '\f'}, {'n', '\n'},
                                                        {'r', '\r'}, {'t', '\t'}, {'v', '\v'}};
            if (auto it = k_escapes.find(line[i]); it != k_escapes.end()) {
                word += it->second;
            } else if (line[i] >= '0' && line[i] <= '3' && i + 2 < line.size()) {
                word += static_cast<char>(std::stoi(line.substr(i, 3), nullptr, 8));
                i += 2;
            } else {
                word += line[i];
            }
        }
        if (i >= line.size()) return std::nullopt;
        words.push_back(word);
        i += 2;  // the closing quote and the blank after it
    }
    return words;
}

// The units of `systemd --test`'s dump, by name.
std::map<std::string, Parsed> parse_dump(const std::string& dump) {
    std::map<std::string, Parsed> units;
    Parsed* current = nullptr;
    std::size_t start = 0;
    while (start < dump.size()) {
        auto end = std::min(dump.find('\n', start), dump.size());
        const auto line = dump.substr(start, end - start);
        start = end + 1;
        if (line.rfind("\t-> Unit ", 0) == 0) {
            auto name = line.substr(9, line.size() - 10);
            current = name.rfind('u', 0) == 0 ? &units[name] : nullptr;
            continue;
        }
        if (!current) continue;
        auto field = [&](const std::string& key) -> std::optional<std::string> {
            const auto prefix = "\t\t" + key + ": ";
            if (line.rfind(prefix, 0) != 0) return std::nullopt;
            return line.substr(prefix.size());
        };
        if (auto value = field("Description")) current->description = *value;
        if (auto value = field("WorkingDirectory")) current->working_directory = *value;
        if (auto value = field("Environment")) current->environment.push_back(*value);
        if (line.rfind("\t\t\tCommand Line: ", 0) == 0) {
            current->argv = split_command_line(line.substr(17)).value_or(Argv{"<unreadable>", line});
        }
    }
    return units;
}

std::string shown(const Argv& argv) {
    std::string text;
    for (const auto& arg : argv) text += "[" + arg + "] ";
    return text;
}

int compare(const Sample& sample, const Parsed& parsed) {
    const auto& spec = sample.spec;
    int failures = 0;
    auto expect = [&](bool same, const std::string& what, const std::string& want, const std::string& got) {
        if (same) return;
        std::cerr << sample.unit << ": systemd read another " << what << ":\n  wrote " << want << "\n  read  " << got
                  << "\n";
        ++failures;
    };
    const auto description = spec.description.empty() ? "ductor service " + spec.name : spec.description;
    expect(parsed.description == description, "description", description, parsed.description);
    // The dump shows ExecStart before variable substitution, which turns each `$$` into `$` when it runs.
    Argv argv;
    for (const auto& arg : spec.argv) {
        std::string doubled;
        for (char c : arg) doubled += c == '$' ? std::string("$$") : std::string(1, c);
        argv.push_back(doubled);
    }
    expect(parsed.argv == argv, "argv", shown(argv), shown(parsed.argv));
    if (spec.working_directory) {
        const auto workdir = spec.working_directory->string();
        expect(parsed.working_directory == workdir, "working directory", workdir, parsed.working_directory);
    }
    Argv environment;
    for (const auto& var : ductor::systemd::service_environment(spec, k_context))
        environment.push_back(var.key + "=" + var.value);
    expect(parsed.environment == environment, "environment", shown(environment), shown(parsed.environment));
    return failures;
}

// A refusal's kind, for the summary (the messages quote the hostile values).
std::string refusal_kind(const std::string& error) {
    for (const char* kind :
         {"Executable name contains special characters", "contains '$'", "strips", "backslash", "'..'", "UTF-8"}) {
        if (error.find(kind) != std::string::npos) return kind;
    }
    return error;
}

bool write_unit(const fs::path& dir, const std::string& name, const std::string& text) {
    return ductor::platform::write_file_atomic(dir / name, text, fs::perms(0644)).has_value();
}

// Controls: the refusals are systemd's own rules, and the checks can fail.
int controls(const fs::path& units, const fs::path& bin, const fs::path& runtime, const std::string& systemd) {
    int failures = 0;
    std::error_code ec;
    fs::create_symlink("/bin/true", bin / "it's", ec);
    write_unit(units, "control-quote.service", "[Service]\nExecStart=\"" + (bin / "it's").string() + "\"\n");
    auto verified = run({"systemd-analyze", "--user", "verify", (units / "control-quote.service").string()}, runtime);
    if (verified.err.find("Executable name contains special characters") == std::string::npos) {
        std::cerr << "control: systemd-analyze did not refuse a program path with an apostrophe: " << verified.err
                  << "\n";
        ++failures;
    }
    write_unit(units, "u-blanks.service",
               "[Unit]\nDescription= padded \n[Service]\nExecStart=/bin/true\nWorkingDirectory=/tmp/dir \n");
    auto dump = run({systemd, "--test", "--user", "--no-pager", "--unit=u-blanks.service"}, runtime);
    auto parsed = parse_dump(dump.out);
    if (parsed["u-blanks.service"].description != "padded" ||
        parsed["u-blanks.service"].working_directory != "/tmp/dir") {
        std::cerr << "control: systemd kept the blanks at the ends of Description= or WorkingDirectory=\n";
        ++failures;
    }
    fs::remove(units / "control-quote.service");
    fs::remove(units / "u-blanks.service");
    return failures;
}

int check(int count) {
    auto analyze = ductor::platform::find_executable("systemd-analyze");
    if (!analyze) return skip("systemd-analyze not found (Debian package systemd)");
    std::string systemd;
    for (const char* candidate : {"/lib/systemd/systemd", "/usr/lib/systemd/systemd"}) {
        if (ductor::platform::is_executable_file(candidate)) systemd = candidate;
    }
    if (systemd.empty()) return skip("no systemd binary in /lib/systemd or /usr/lib/systemd");
    if (::geteuid() == 0 && !ductor::platform::find_executable("setpriv"))
        return skip("setpriv not found (Debian package util-linux); systemd --test does not run as root");

    const ductor::test::TempDir temp;
    const auto& root = temp.path();
    const auto config = root / "config", units = config / "systemd" / "user", bin = root / "bin";
    const auto runtime = root / "runtime";
    fs::create_directories(units);
    fs::create_directories(bin);
    fs::create_directories(runtime);
    for (const auto& dir : {root, config, config / "systemd", units, bin}) fs::permissions(dir, fs::perms(0755));
    fs::permissions(runtime, fs::perms(0700));
    if (::geteuid() == 0 && ::chown(runtime.c_str(), 65534, 65534) != 0)
        return skip("cannot hand the runtime folder to nobody");
    ::setenv("XDG_CONFIG_HOME", config.c_str(), 1);
    ::setenv("HOME", root.c_str(), 1);

    std::mt19937 rng(13);
    std::vector<Sample> accepted;
    std::map<std::string, int> refusals;
    for (int i = 0; i < count; ++i) {
        auto sample = generate(rng, i, bin, root / "work");
        auto unit = ductor::systemd::render_unit(sample.spec, k_context);
        if (!unit) {
            ++refusals[refusal_kind(unit.error())];
            continue;
        }
        if (!write_unit(units, sample.unit, *unit)) return 1;
        accepted.push_back(std::move(sample));
    }
    int failures = 0;
    for (std::size_t first = 0; first < accepted.size(); first += 40) {
        Argv argv{analyze->string(), "--user", "verify"};
        for (auto i = first; i < std::min(first + 40, accepted.size()); ++i)
            argv.push_back((units / accepted[i].unit).string());
        auto verified = run(argv, runtime);
        if (verified.exit_code != 0 || !verified.err.empty()) {
            std::cerr << "systemd-analyze verify (exit " << verified.exit_code << "):\n" << verified.err << "\n";
            ++failures;
        }
    }
    std::string wants = "[Unit]\nDescription=all samples\n";
    for (const auto& sample : accepted) wants += "Wants=" + sample.unit + "\n";
    write_unit(units, "all.target", wants);
    auto dump = run({systemd, "--test", "--user", "--no-pager", "--unit=all.target"}, runtime);
    if (dump.exit_code != 0) {
        std::cerr << "systemd --test --user exited " << dump.exit_code << ": " << dump.err << "\n";
        return 1;
    }
    auto parsed = parse_dump(dump.out);
    for (const auto& sample : accepted) {
        if (auto it = parsed.find(sample.unit); it == parsed.end()) {
            std::cerr << sample.unit << ": not in systemd's dump\n";
            ++failures;
        } else {
            failures += compare(sample, it->second);
        }
    }
    failures += controls(units, bin, runtime, systemd);
    std::cout << count << " generated specs: " << accepted.size()
              << " rendered units checked with systemd-analyze verify and systemd --test, "
              << (count - static_cast<int>(accepted.size())) << " refused by the renderer:\n";
    for (const auto& [reason, n] : refusals) std::cout << "  " << n << " x " << reason << "\n";
    std::cout << failures << " failed\n";
    return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: unit_validators COUNT\n";
        return 2;
    }
    return check(std::stoi(argv[1]));
}
