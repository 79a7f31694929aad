package dev.hallpass.policy.rego.builtins;

import static dev.hallpass.policy.rego.builtins.BuiltinTestSupport.assertCall;
import static dev.hallpass.policy.rego.builtins.BuiltinTestSupport.assertError;

import dev.hallpass.policy.rego.BuiltinException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BuiltinStringsTest {

    @ParameterizedTest(name = "{0}{1} = {2}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\u0001',
            textBlock =
                    """
            concat            | ["", ["f", "o", "o"]]                 | "foo"
            concat            | [",", {"1", "2", "3"}]                | "1,2,3"
            contains          | ["abcdefgh", "cde"]                   | true
            contains          | ["abcdefgh", "ac"]                    | false
            startswith        | ["abcdefgh", "abcd"]                  | true
            endswith          | ["abcdefgh", "fg"]                    | false
            format_int        | [15.5, 16]                            | "f"
            format_int        | [-15.9, 16]                           | "-f"
            format_int        | [18446744073709551617, 2]             | "10000000000000000000000000000000000000000000000000000000000000001"
            format_int        | [-18446744073709551617, 10]           | "-18446744073709551617"
            indexof           | ["abcabcabcdefgh", "cde"]             | 8
            indexof           | ["abcdefgh", "xyz"]                   | -1
            indexof           | ["åäöx", "x"]                         | 3
            indexof_n         | ["dogcatdogcat", "cat"]               | [3, 9]
            indexof_n         | ["😇😀😇😀😇😀", "😀"]                   | [1, 3, 5]
            indexof_n         | ["dogcat", "rabbit"]                  | []
            substring         | ["abcdefgh", 2, 3]                    | "cde"
            substring         | ["åäö", 0, 2]                         | "åä"
            substring         | ["aåäö", 2, -1]                       | "äö"
            substring         | ["abcdefghåäö", 2, 10000]             | "cdefghåäö"
            substring         | ["åäö", 3, -1]                        | ""
            substring         | ["aaa", 4, -1]                        | ""
            upper             | ["AbCdEf"]                            | "ABCDEF"
            lower             | ["AbCdEf"]                            | "abcdef"
            split             | ["", "."]                             | [""]
            split             | ["test", ""]                          | ["t", "e", "s", "t"]
            split             | ["", ""]                              | []
            split             | ["a.b.c", "."]                        | ["a", "b", "c"]
            replace           | ["foo...bar", "..", ",,"]             | "foo,,.bar"
            replace           | ["", "hi", "bye"]                     | ""
            replace           | ["ab", "", "-"]                       | "-a-b-"
            trim              | ["...foo.bar...", ".fr"]              | "oo.ba"
            trim              | ["...foo.bar...", ".o"]               | "foo.bar"
            trim              | ["¡¡¡foo, bar!!!", "!¡"]              | "foo, bar"
            trim_space        | [" \\t\\n foo, bar \\n\\t\\r\\n"]     | "foo, bar"
            trim_left         | ["..foo..", "."]                      | "foo.."
            trim_right        | ["..foo..", "."]                      | "..foo"
            trim_prefix       | ["foo.bar", "foo."]                   | "bar"
            trim_suffix       | ["foo.bar", ".bar"]                   | "foo"
            trim_space        | ["  \\t foo bar \\n "]                | "foo bar"
            strings.count     | ["cheese", "e"]                       | 3
            strings.count     | ["dummy", ""]                         | 6
            strings.count     | ["", ""]                              | 1
            strings.count     | ["11111", "11"]                       | 2
            strings.reverse   | ["1😀𝛾"]                              | "𝛾😀1"
            strings.split_n   | ["a.b.c.d", ".", 2]                   | ["a", "b"]
            strings.split_n   | ["a.b.c.d", ".", 0]                   | []
            strings.split_n   | ["a.b.c.d", ".", -2]                  | ["c", "d"]
            strings.split_n   | ["a.b.c.d", ".", -10]                 | ["a", "b", "c", "d"]
            strings.split_n   | ["abc", "", -2]                       | ["b", "c"]
            strings.split_n   | ["", ".", 2]                          | [""]
            strings.replace_n | [{"<": "&lt;", ">": "&gt;"}, "This is <b>HTML</b>!"] | "This is &lt;b&gt;HTML&lt;/b&gt;!"
            strings.replace_n | [{"f": "x", "foo": "xxx"}, "foobar"]  | "xoobar"
            strings.any_prefix_match | [["a/b/c", "e/f/g"], ["x/", "e/"]] | true
            strings.any_prefix_match | ["a/b/c", {"b/"}]              | false
            strings.any_suffix_match | ["a/b/c", ["/c"]]              | true
            count             | ["åäö"]                               | 3
            count             | [{"a": 1}]                            | 1
            """)
    void call_returnsOpaResult_whenArgumentsValid(String name, String args, String want) {
        assertCall(name, args, want);
    }

    @ParameterizedTest(name = "{0}{1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\u0001',
            textBlock =
                    """
            format_int               | [4.1, 199]                | eval_type_error    | operand 2 must be one of {2, 8, 10, 16}
            substring                | ["aaa", -1, -1]           | eval_builtin_error | substring: negative offset
            strings.reverse          | [123]                     | eval_type_error    | reverse: operand 1 must be string but got number
            strings.split_n          | ["a.b.c", ".", 1.5]       | eval_type_error    | strings.split_n: operand 3 must be integer number but got floating-point number
            strings.replace_n        | [{2: "x"}, "foo"]         | eval_type_error    | strings.replace_n: operand 1 non-string key found in pattern object
            strings.replace_n        | [{"f": 100}, "foo"]       | eval_type_error    | strings.replace_n: operand 1 non-string value found in pattern object
            strings.replace_n        | [{"foo": "baz"}, 100]     | eval_type_error    | strings.replace_n: operand 2 must be string but got number
            strings.any_prefix_match | [[1, 2, 3], ["f/"]]       | eval_type_error    | strings.any_prefix_match: operand 1 must be array of strings but got array containing number
            strings.any_prefix_match | [1, ["f/"]]               | eval_type_error    | strings.any_prefix_match: operand 1 must be one of {string, set, array} but got number
            strings.any_prefix_match | [["a"], [1, 2]]           | eval_type_error    | strings.any_prefix_match: operand 2 must be array of strings but got array containing number
            strings.any_prefix_match | [["a"], 1]                | eval_type_error    | strings.any_prefix_match: operand 2 must be one of {string, set, array} but got number
            count                    | [null]                    | eval_type_error    | operand 1 must be one of {array, object, set, string} but got null
            count                    | [5]                       | eval_type_error    | operand 1 must be one of {array, object, set, string} but got number
            to_number                | ["broken"]                | eval_builtin_error | invalid syntax
            to_number                | ["nan"]                   | eval_type_error    | to_number
            to_number                | ["-Infinity"]             | eval_type_error    | to_number
            to_number                | ["iNf"]                   | eval_type_error    | to_number
            trim                     | ["x", 1]                  | eval_type_error    | trim: operand 2 must be string but got number
            """)
    void call_throwsOpaError_whenOperandInvalid(String name, String args, String code, String message) {
        assertError(name, args, code, message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\u0001',
            textBlock =
                    """
            ["hi", []]                                   | "hi"
            ["hi %02d", [5]]                             | "hi 05"
            ["hi %.2f", [3.1415]]                        | "hi 3.14"
            ["hi %s", [true]]                            | "hi true"
            ["hi %v", [["there", 5, 3.14]]]              | "hi [\\"there\\", 5, 3.14]"
            ["%s", [123456789123456789123]]              | "123456789123456789123"
            ["%v", [18446744073709551618]]               | "18446744073709551618"
            ["%d", [-7]]                                 | "-7"
            ["%x %X %o %b", [255, 255, 8, 5]]            | "ff FF 10 101"
            ["%#x", [255]]                               | "0xff"
            ["%5d,%-5d,%05d", [42, 42, -42]]             | "   42,42   ,-0042"
            ["%+d", [5]]                                 | "+5"
            ["%q", ["a\\"b"]]                            | "\\"a\\\\\\"b\\""
            ["%t", [true]]                               | "%!t(string=true)"
            ["%e", [1234.5678]]                          | "1.234568e+03"
            ["%g", [0.000012345]]                        | "1.2345e-05"
            ["%v", [1.5]]                                | "1.5"
            ["%v", [{"a": {1, 2}}]]                      | "{\\"a\\": {1, 2}}"
            ["%v", [set()]]                              | "set()"
            ["%v", [null]]                               | "null"
            ["%s %s", ["a"]]                             | "a %!s(MISSING)"
            ["%s", ["a", "b"]]                           | "a%!(EXTRA string=b)"
            ["%d", ["x"]]                                | "%!d(string=x)"
            ["%10.3f.", [3.14159]]                       | "     3.142."
            ["100%%", []]                                | "100%"
            ["%.3s", ["abcdef"]]                         | "abc"
            ["%x", ["hi"]]                               | "6869"
            ["%f", [2]]                                  | "%!f(int=2)"
            ["%.1f", [0.25]]                             | "0.2"
            ["%T %T %T %T", [1, 1.5, "s", [1]]]          | "int float64 string string"
            """)
    void sprintf_formatsLikeGo_whenVerbsGiven(String args, String want) {
        assertCall("sprintf", args, want);
    }

    @org.junit.jupiter.api.Test
    void errorCode_isTypeError_whenTypeHelperUsed() {
        org.junit.jupiter.api.Assertions.assertEquals(
                BuiltinException.TYPE_ERROR,
                Args.typeErr("f", 0, "string", dev.hallpass.policy.rego.Value.NULL)
                        .code());
    }
}
