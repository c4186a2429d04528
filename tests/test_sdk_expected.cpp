#include <ductor/sdk/expected.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <variant>

using namespace ductor;

namespace {

sdk::Expected<int> half(int n) {
    if (n % 2 != 0) return sdk::unexpected(std::to_string(n) + " is odd");
    return n / 2;
}

sdk::Expected<void> even(int n) {
    if (n % 2 != 0) return sdk::unexpected("odd");
    return {};
}

}  // namespace

TEST_CASE("Expected holds a value or the reason there is none") {
    auto four = half(8);
    REQUIRE(four);
    CHECK(*four == 4);
    auto odd = half(3);
    REQUIRE_FALSE(odd);
    CHECK(odd.error() == "3 is odd");
    CHECK(odd.value_or(-1) == -1);
    CHECK_THROWS_AS(odd.value(), std::bad_variant_access);
    sdk::Expected<std::string> text = "value";
    CHECK(text.has_value());
    sdk::Expected<std::string> reason = sdk::unexpected("reason");
    CHECK(reason.error() == "reason");
    CHECK(even(2).has_value());
    CHECK(even(3).error() == "odd");
}

TEST_CASE("to_result turns an Expected<void> into the boundary's Result") {
    auto fine = sdk::to_result(even(2));
    CHECK(fine.ok);
    CHECK(fine.error.empty());
    CHECK(fine.notes.empty());
    auto failed = sdk::to_result(even(3));
    CHECK_FALSE(failed.ok);
    CHECK(failed.error == "odd");
    CHECK(failed.notes.empty());
}
