#include "plugin_files.hpp"

#include <ductor/platform/ownership.hpp>

#include <pwd.h>

namespace fs = std::filesystem;

namespace ductor::test {

fs::path fixture_plugin(const std::string& stem) {
    return fs::path(DUCTOR_TEST_FIXTURE_DIR) / (stem + plugin::library_suffix());
}

fs::path hostile_plugin(const std::string& stem) {
    return fs::path(DUCTOR_TEST_HOSTILE_DIR) / (stem + plugin::library_suffix());
}

fs::path private_folder(const fs::path& dir) {
    fs::create_directories(dir);
    fs::permissions(dir, fs::perms(0755));
    return dir;
}

fs::path place_plugin(const fs::path& dir, const fs::path& file, const std::string& as) {
    private_folder(dir);
    auto target = dir / ((as.empty() ? file.stem().string() : as) + plugin::library_suffix());
    fs::copy_file(file, target, fs::copy_options::overwrite_existing);
    fs::permissions(target, fs::perms(0755));
    return target;
}

std::uint32_t unused_uid() {
    for (std::uint32_t uid = 61234; uid > 1000; --uid) {
        if (::getpwuid(static_cast<uid_t>(uid)) == nullptr) return uid;
    }
    return 61234;
}

bool can_chown() { return platform::effective_user_id() == 0u; }

plugin::Candidate candidate_for(const fs::path& file) {
    return {file, file.stem().string(), plugin::Origin::command_line};
}

}  // namespace ductor::test
