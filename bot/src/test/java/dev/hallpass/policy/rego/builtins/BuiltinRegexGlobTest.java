package dev.hallpass.policy.rego.builtins;

import static dev.hallpass.policy.rego.builtins.BuiltinTestSupport.assertCall;
import static dev.hallpass.policy.rego.builtins.BuiltinTestSupport.assertError;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BuiltinRegexGlobTest {

    @ParameterizedTest(name = "{0}{1} = {2}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\u0001',
            textBlock =
                    """
            regex.match      | [`^[a-z]+\\[[0-9]+\\]$`, "foo[1]"]          | true
            regex.match      | ["^$", ""]                                  | true
            regex.match      | ["", "x"]                                   | true
            regex.match      | ["^$", "something"]                         | false
            regex.match      | ["$^[[[", "something"]                      | undefined
            regex.match      | ["^a$", "a\\n"]                             | false
            regex.match      | ["(?m)^b$", "a\\nb\\nc"]                    | true
            regex.match      | ["^\\\\pL+$", "åäö"]                        | true
            regex.match      | ["^\\\\p{Greek}+$", "αβγ"]                  | true
            regex.match      | ["^[[:alpha:]]+\\\\z", "abc"]               | true
            regex.match      | ["^[[:^digit:]]+$", "abc"]                  | true
            regex.match      | ["^(?P<first_name>\\\\w+) (?P<last>\\\\w+)$", "ada lovelace"] | true
            regex.match      | ["a{,3}", "a{,3}"]                          | true
            regex.match      | ["(?i)ABC", "xabcx"]                        | true
            regex.match      | ["[a&&b]", "&"]                             | true
            regex.match      | ["^\\\\x41\\\\x{42}\\\\101$", "ABA"]        | true
            regex.match      | ["^a.c$", "a\\rc"]                          | true
            regex.match      | ["(?U)a+", "aaa"]                           | true
            regex.is_valid   | [".+"]                                      | true
            regex.is_valid   | [10]                                        | false
            regex.is_valid   | ["(a)\\\\1"]                                | false
            regex.is_valid   | ["a(?=b)"]                                  | false
            regex.is_valid   | ["a(?<!b)"]                                 | false
            regex.is_valid   | ["a**"]                                     | false
            regex.is_valid   | ["a++"]                                     | false
            regex.is_valid   | ["(?>a)"]                                   | false
            regex.is_valid   | ["a{1001}"]                                 | false
            regex.is_valid   | ["\\\\Z"]                                   | false
            regex.is_valid   | ["x*?"]                                     | true
            regex.find_n     | ["a.", "paranormal", 2]                     | ["ar", "an"]
            regex.find_n     | ["bork", "paranormal", -1]                  | []
            regex.find_n     | ["a*", "baaab", -1]                         | ["", "aaa", ""]
            regex.find_all_string_submatch_n | ["a(x*)b", "-", -1]          | []
            regex.find_all_string_submatch_n | ["a(x*)b", "-axxb-ab-", -1]  | [["axxb", "xx"], ["ab", ""]]
            regex.find_all_string_submatch_n | ["[^aouiye]([aouiye])([^aouiye])?", "somestri", -1] | [["som", "o", "m"], ["ri", "i", ""]]
            regex.find_all_string_submatch_n | ["[^aouiye]([aouiye])([^aouiye])?", "somestri", 1]  | [["som", "o", "m"]]
            regex.find_all_string_submatch_n | ["^.*$", "aaaaaaaaaaaaaaaabc", -1] | [["aaaaaaaaaaaaaaaabc"]]
            regex.split      | [`^[a-z]+\\[[0-9]+\\]$`, ""]                | [""]
            regex.split      | ["^[a-z]+", "foobar baz"]                   | ["", " baz"]
            regex.split      | ["[a-z]+$", "foobar baz"]                   | ["foobar ", ""]
            regex.split      | ["^[a-z]+$", "foobar baz"]                  | ["foobar baz"]
            regex.split      | ["^[a-z ]+$", "foobar baz"]                 | ["", ""]
            regex.split      | ["z+", "pizza"]                             | ["pi", "a"]
            regex.replace    | ["-wy-wxxy-", "w(x*)y", "0"]                | "-0-0-"
            regex.replace    | ["foo", "(foo)", "$1$1"]                    | "foofoo"
            regex.replace    | ["foo", "[", "$1"]                          | undefined
            regex.replace    | ["foo", "^[a-z]", "F"]                      | "Foo"
            regex.replace    | ["foo", "^[a-z]$", "F"]                     | "foo"
            regex.replace    | ["foo", "[a-z]$", "F"]                      | "foF"
            regex.replace    | ["foo bar", "[a-z]", "_"]                   | "___ ___"
            regex.replace    | ["foo barx", "[a-z]{3}", "_"]               | "_ _x"
            regex.replace    | ["foo barx", "[a-z]{2}", "_"]               | "_o __"
            regex.replace    | ["ab", "(?P<x_y>a)", "${x_y}$x_y-$$"]       | "aa-$b"
            regex.replace    | ["abc", "x*", "-"]                          | "-a-b-c-"
            regex.template_match | ["urn:foo:{.*}", "urn:foo:bar:baz", "{", "}"] | true
            regex.template_match | ["urn:foo:<.*>", "urn:foo:bar:baz", "<", ">"] | true
            regex.template_match | ["urn:foo.{[0-9]+}", "urn:fooX12", "{", "}"] | false
            regex.globs_match    | ["a.a.[0-9]+z", ".b.b2359825792*594823z"]  | true
            regex.globs_match    | ["[a-z]+", "[0-9]*"]                        | false
            regex.globs_match    | [`[a-z]+\\[[0-9]+\\]`, "foo\\\\[1\\\\]"]    | true
            regex.globs_match    | [`[a-z]+\\[[0-9]+\\]`, "foo[\\"bar\\"]"]    | false
            glob.match       | ["*.github.com", ["."], "api.github.com"]   | true
            glob.match       | ["*.github.com", ["."], "api.example.com"]  | false
            glob.match       | ["api.**.com", ["."], "api.cdn.github.com"] | true
            glob.match       | ["*:github:com", [":"], "api:github:com"]   | true
            glob.match       | ["[abc]at", [], "cat"]                      | true
            glob.match       | ["[abc]at", [], "fat"]                      | false
            glob.match       | ["[!abc]at", [], "fat"]                     | true
            glob.match       | ["[!a-c]at", [], "bat"]                     | false
            glob.match       | ["[a-c]at", [], "bat"]                      | true
            glob.match       | ["?at", [], "at"]                           | false
            glob.match       | ["?at", ["f"], "bat"]                       | true
            glob.match       | ["{cat,bat,[fr]at}", [], "rat"]             | true
            glob.match       | ["{cat,bat,[fr]at}", [], "at"]              | false
            glob.match       | ["*", ["."], "foo.bar"]                     | false
            glob.match       | ["*", [], "foo.bar"]                        | false
            glob.match       | ["*", null, "foo.bar"]                      | true
            glob.match       | ["foo*", null, "foo.bar"]                   | true
            glob.match       | ["a\\\\*b", null, "a*b"]                    | true
            glob.match       | ["a\\\\*b", null, "axb"]                    | false
            glob.quote_meta  | ["*.github.com"]                            | "\\\\*.github.com"
            glob.quote_meta  | ["{a,b}[c]?\\\\"]                           | "\\\\{a,b\\\\}\\\\[c\\\\]\\\\?\\\\\\\\"
            """)
    void call_returnsGoResult_whenArgumentsValid(String name, String args, String want) {
        if (want.equals("undefined")) {
            // an invalid pattern is an error, which non-strict evaluation turns into undefined
            assertError(name, args, "eval_builtin_error", "error parsing regexp");
            return;
        }
        assertCall(name, args, want);
    }

    @ParameterizedTest(name = "{0}{1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\u0001',
            textBlock =
                    """
            regex.globs_match | ["pqrs]", "[a-b]+"]  | eval_builtin_error | input:pqrs], pos:5, set-close ']' with no preceding '[': the input provided is invalid
            regex.match       | [1, "a"]            | eval_type_error    | regex.match: operand 1 must be string but got number
            regex.template_match | ["urn:{.*", "urn:x", "{", "}"] | eval_builtin_error | unbalanced braces
            glob.match        | ["[abc", [], "a"]    | eval_builtin_error | glob.match
            """)
    void call_throwsOpaError_whenOperandInvalid(String name, String args, String code, String message) {
        assertError(name, args, code, message);
    }

    @org.junit.jupiter.api.Test
    void regexMatch_checksBudget_whenBacktrackingExplodes() {
        BuiltinTestSupport.TestContext ctx = new BuiltinTestSupport.TestContext() {
            @Override
            public void checkBudget() {
                super.checkBudget();
                if (budgetChecks > 2) {
                    throw new dev.hallpass.policy.rego.BudgetExceededException("budget");
                }
            }
        };
        String input = "a".repeat(40) + "!";
        // Backtracks heavily in java.util.regex (RE2 would be linear), so it must hit the budget.
        org.junit.jupiter.api.Assertions.assertThrows(
                dev.hallpass.policy.rego.BudgetExceededException.class,
                () -> BuiltinTestSupport.call(
                        ctx,
                        "regex.match",
                        java.util.List.of(
                                dev.hallpass.policy.rego.Value.str("^(.*a){15}$"),
                                dev.hallpass.policy.rego.Value.str(input))));
    }
}
