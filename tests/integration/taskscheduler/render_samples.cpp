// Renders task XML files with the backend's own logic for the real-parser
// checks of the taskscheduler backend:
//   render_samples write DIR     writes DIR/<task name>.xml for a few specs
//                                (the default one and hostile argvs), prints the names
//   render_samples xmllint N     renders N generated hostile specs and checks
//                                each with xmllint: well-formed, in the task
//                                namespace, Command + Arguments split by
//                                CommandLineToArgvW rules give the runner's
//                                `run --definition FILE`, with no '%' for Task
//                                Scheduler to expand and a Command of at most
//                                260 characters; the definition gives back the
//                                runner argv (with --home where the sample's
//                                ductor home was moved)
// Exit codes: 0 passed, 1 failed, 2 usage, 77 skipped (xmllint missing; 1 when CI=true).
#include <ductor/platform/files.hpp>
#include <ductor/platform/process.hpp>
#include <ductor/sdk/runner.hpp>
#include <ductor/taskscheduler/action.hpp>
#include <ductor/taskscheduler/task_xml.hpp>

#include "hostile_argv.hpp"
#include "temp_dir.hpp"
#include "windows_command_line.hpp"

#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <vector>

namespace ts = ductor::taskscheduler;

namespace {

const std::string k_runner = R"(C:\Program Files\ductor & co\bin\ductorw.exe)";

struct Sample {
    std::string name;
    ductor::sdk::ServiceSpec spec;
    std::optional<std::filesystem::path> home;  // a moved ductor home, which the definition carries
};

std::vector<Sample> wine_samples() {
    std::vector<Sample> samples;
    Sample plain{"ductor", {}, std::nullopt};
    plain.spec.argv = {R"(C:\Users\tester\bots\chatbot.exe)", "--config", R"(C:\Users\tester\My Bot\config.toml)"};
    samples.push_back(plain);
    Sample quotes{"ductor-quotes", plain.spec, std::filesystem::path(R"(C:\Users\O'Brien & Co\ductor home)")};
    quotes.spec.name = quotes.name;
    quotes.spec.description = R"(Tom & Jerry's <"bot"> é 日本)";
    quotes.spec.argv = {R"(C:\bots\bot.exe)", "", R"(say "hi")", R"(C:\dir with space\)", R"(a\\"b)", "\t"};
    quotes.spec.working_directory = std::filesystem::path(R"(C:\Work <&> 'dir')");
    samples.push_back(quotes);
    std::mt19937 rng(99);
    for (int i = 1; i <= 2; ++i) {
        Sample hostile{"ductor-hostile-" + std::to_string(i), plain.spec, std::nullopt};
        hostile.spec.name = hostile.name;
        hostile.spec.argv = ductor::test::hostile_argv(rng, false);
        hostile.spec.restart = ductor::sdk::RestartPolicy::always;
        samples.push_back(hostile);
    }
    return samples;
}

std::string definition_path(const Sample& sample) {
    return (sample.home ? sample.home->string() : R"(C:\Users\tester\.ductor)") + R"(\tasks\)" + sample.name + ".run";
}

std::optional<std::filesystem::path> write_sample(const std::filesystem::path& dir, const Sample& sample) {
    auto xml = ts::render_task_xml(
        ts::task_definition(sample.spec, k_runner, R"(WINEDOMAIN\tester)", definition_path(sample)));
    if (!xml) {
        std::cerr << sample.name << ": " << xml.error() << "\n";
        return std::nullopt;
    }
    auto bytes = ts::encode_task_xml(*xml);
    const auto path = dir / (sample.name + ".xml");
    if (!bytes || !ductor::platform::write_file_atomic(path, *bytes, std::filesystem::perms::owner_all)) {
        std::cerr << sample.name << ": cannot write " << path << "\n";
        return std::nullopt;
    }
    return path;
}

int write_samples(const std::filesystem::path& dir) {
    for (const auto& sample : wine_samples()) {
        if (!write_sample(dir, sample)) return 1;
        std::cout << sample.name << "\n";
    }
    return 0;
}

std::string node_path(const std::string& leaf) {
    const std::string ns = std::string(ts::k_task_namespace);
    return "/*[local-name()='Task' and namespace-uri()='" + ns +
           "']/*[local-name()='Actions']/*[local-name()='Exec']/*[local-name()='" + leaf + "']";
}

ductor::sdk::ProcessResult run(std::vector<std::string> argv) {
    ductor::sdk::ProcessRequest request;
    request.argv = std::move(argv);
    return ductor::platform::run_captured(request);
}

// xmllint's answer to an XPath expression, without its final newline; nullopt on failure.
std::optional<std::string> xpath(const std::filesystem::path& xmllint, const std::filesystem::path& file,
                                 const std::string& expression) {
    auto result = run({xmllint.string(), "--xpath", expression, file.string()});
    if (!result.succeeded()) {
        std::cerr << file << ": xmllint --xpath " << expression << " failed: " << result.err << "\n";
        return std::nullopt;
    }
    if (!result.out.empty() && result.out.back() == '\n') result.out.pop_back();
    return result.out;
}

bool check_with_xmllint(const std::filesystem::path& xmllint, const std::filesystem::path& file, const Sample& sample) {
    auto wellformed = run({xmllint.string(), "--noout", file.string()});
    if (!wellformed.succeeded()) {
        std::cerr << file << ": not well-formed: " << wellformed.err << "\n";
        return false;
    }
    auto command = xpath(xmllint, file, "string(" + node_path("Command") + ")");
    auto arguments = xpath(xmllint, file, "string(" + node_path("Arguments") + ")");
    auto command_length = xpath(xmllint, file, "string-length(" + node_path("Command") + ")");
    if (!command || !arguments || !command_length) return false;
    const std::vector<std::string> expected{k_runner, "run", "--definition", definition_path(sample)};
    if (ductor::test::split_windows_command_line("\"" + *command + "\" " + *arguments) != expected) {
        std::cerr << file << ": Command + Arguments do not split into the runner's run --definition: " << *arguments
                  << "\n";
        return false;
    }
    if ((*command + *arguments).find('%') != std::string::npos || std::stoi(*command_length) > 260) {
        std::cerr << file << ": the action has a '%' or a Command over 260 characters\n";
        return false;
    }
    auto definition = ts::render_definition(sample.spec, sample.home);
    auto runner_argv = ts::runner_arguments(sample.spec, sample.home);
    runner_argv.erase(runner_argv.begin());
    if (!definition || ductor::sdk::runner::parse_definition(*definition) != runner_argv) {
        std::cerr << sample.name << ": the definition does not give back the runner argv: "
                  << (definition ? std::string() : definition.error()) << "\n";
        return false;
    }
    return true;
}

int xmllint_roundtrip(int count) {
    auto xmllint = ductor::platform::find_executable("xmllint");
    if (!xmllint) {
        std::cout << "SKIPPED: xmllint not found (Debian package libxml2-utils)\n";
        const char* ci = std::getenv("CI");
        return ci && std::string(ci) == "true" ? 1 : 77;
    }
    const ductor::test::TempDir temp;
    const auto& dir = temp.path();
    std::mt19937 rng(12345);
    int failures = 0;
    auto samples = wine_samples();
    for (int i = 0; i < count; ++i) {
        Sample sample{"generated-" + std::to_string(i), samples.front().spec, std::nullopt};
        sample.spec.argv = ductor::test::hostile_argv(rng, false);
        samples.push_back(sample);
    }
    for (const auto& sample : samples) {
        auto file = write_sample(dir, sample);
        if (!file || !check_with_xmllint(*xmllint, *file, sample)) ++failures;
    }
    std::cout << samples.size() << " rendered task files checked with xmllint, " << failures << " failed\n";
    return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() == 2 && args[0] == "write") return write_samples(args[1]);
    if (args.size() == 2 && args[0] == "xmllint") return xmllint_roundtrip(std::stoi(args[1]));
    std::cerr << "usage: render_samples write DIR | render_samples xmllint COUNT\n";
    return 2;
}
