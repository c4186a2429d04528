#pragma once
// The fake Host of the tests is the one plugin authors get from the SDK's
// testing library (<ductor/sdk_testing/fake_host.hpp>).

#include "temp_dir.hpp"

#include <ductor/sdk_testing/fake_host.hpp>

namespace ductor::test {
using FakeHost = sdk_testing::FakeHost;
}  // namespace ductor::test
