#pragma once
// A fresh folder under the system temp folder, removed with everything in it
// when the object dies.

#include <filesystem>

namespace ductor::test {

class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

}  // namespace ductor::test
