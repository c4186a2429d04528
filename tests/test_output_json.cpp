#include <ductor/output/json.hpp>

#include <catch2/catch.hpp>

using ductor::output::Json;
using ductor::output::json_quote;

TEST_CASE("json strings escape quotes, backslashes and control characters") {
    CHECK(json_quote("a\"b\\c") == R"("a\"b\\c")");
    CHECK(json_quote("line\nnext\ttab\r") == R"("line\nnext\ttab\r")");
    CHECK(json_quote(std::string("\x01\x1f\x7f", 3)) == R"("\u0001\u001f\u007f")");
    CHECK(json_quote(std::string("nul\0x", 5)) == R"("nul\u0000x")");
}

TEST_CASE("json strings keep valid UTF-8 and replace invalid bytes") {
    CHECK(json_quote("h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x98\x80") == "\"h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x98\x80\"");
    CHECK(json_quote("bad\xff") == "\"bad\xef\xbf\xbd\"");
    CHECK(json_quote("\xc0\xaf") == "\"\xef\xbf\xbd\xef\xbf\xbd\"");                  // overlong '/'
    CHECK(json_quote("\xed\xa0\x80") == "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");  // surrogate
    CHECK(json_quote("\xe2\x9c") == "\"\xef\xbf\xbd\xef\xbf\xbd\"");                  // truncated
}

TEST_CASE("json objects keep insertion order and nest") {
    Json doc = Json::Object{{"b", 1}, {"a", Json::Array{true, nullptr, "x"}}, {"c", std::optional<int>{}}};
    CHECK(doc.dump(false) == R"({"b":1,"a":[true,null,"x"],"c":null})");
    CHECK(doc.dump(true) == "{\n  \"b\": 1,\n  \"a\": [\n    true,\n    null,\n    \"x\"\n  ],\n  \"c\": null\n}");
    CHECK(Json(Json::Object{}).dump() == "{}");
    CHECK(Json(Json::Array{}).dump() == "[]");
}
