package dev.hallpass.policy.rego.builtins;

import static dev.hallpass.policy.rego.builtins.BuiltinTestSupport.assertCall;
import static dev.hallpass.policy.rego.builtins.BuiltinTestSupport.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.policy.rego.Value;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BuiltinEncodingTest {

    @ParameterizedTest(name = "{0}{1} = {2}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\u0001',
            textBlock =
                    """
            base64.encode           | ["hello"]                    | "aGVsbG8="
            base64.encode           | ["subjects?_d"]              | "c3ViamVjdHM/X2Q="
            base64.decode           | ["c3ViamVjdHM/X2Q="]         | "subjects?_d"
            base64.is_valid         | ["aGVsbG8="]                 | true
            base64.is_valid         | ["{'not':'base64'}"]         | false
            base64.is_valid         | ["aGVsbG8"]                  | false
            base64url.encode        | ["subjects?_d"]              | "c3ViamVjdHM_X2Q="
            base64url.encode_no_pad | ["hello"]                    | "aGVsbG8"
            base64url.decode        | ["aGVsbG8"]                  | "hello"
            base64url.decode        | ["c3ViamVjdHM_X2Q="]         | "subjects?_d"
            hex.encode              | ["lorem ipsum"]              | "6c6f72656d20697073756d"
            hex.decode              | ["6c6f72656d20697073756d"]   | "lorem ipsum"
            urlquery.encode         | ["a=b+1"]                    | "a%3Db%2B1"
            urlquery.encode         | ["a b~*"]                    | "a+b~%2A"
            urlquery.encode         | [""]                         | ""
            urlquery.decode         | ["a%3Db%2B1+c"]              | "a=b+1 c"
            urlquery.encode_object  | [{"a": "b", "c": "d"}]       | "a=b&c=d"
            urlquery.encode_object  | [{"a": "c=b+1"}]             | "a=c%3Db%2B1"
            urlquery.encode_object  | [{"a": ["b+1", "c+2"]}]      | "a=b%2B1&a=c%2B2"
            urlquery.encode_object  | [{"a": {"b+1"}}]             | "a=b%2B1"
            urlquery.decode_object  | ["a=value_a1&b=value_b&a=value_a2"] | {"a": ["value_a1", "value_a2"], "b": ["value_b"]}
            urlquery.decode_object  | ["a=value_a1&b"]             | {"a": ["value_a1"], "b": [""]}
            urlquery.decode_object  | [""]                         | {}
            crypto.md5              | ["lorem ipsum"]              | "80a751fde577028640c419000e33eba6"
            crypto.sha1             | ["lorem ipsum"]              | "bfb7759a67daeb65410490b4d98bb9da7d1ea2ce"
            crypto.sha256           | ["lorem ipsum"]              | "5e2bf57d3f40c4b6df69daf1936cb766f832374b4fc0259a7cbff06e2f70f269"
            crypto.hmac.md5         | ["foo", "bar"]               | "31b6db9e5eb4addb42f1a6ca07367adc"
            crypto.hmac.md5         | ["\\u00e5\\u00e4\\u00f6\\u00e7\\u00df\\ud83e\\udd72\\u2659\\u03a9", "\\u79d8\\u5bc6\\u306e"] | "20a8743c2157ac60b7e8b79c83651b8d"
            crypto.hmac.sha1        | ["foo", "bar"]               | "85d155c55ed286a300bd1cf124de08d87e914f3a"
            crypto.hmac.sha256      | ["foo", "bar"]               | "147933218aaabc0b8b10a2b3a5c34684c8d94341bcf10a4736dc7270f7741851"
            crypto.hmac.sha512      | ["foo", "bar"]               | "24257d7210582a65c731ec55159c8184cc24c02489453e58587f71f44c23a2d61b4b72154a89d17b2d49448a8452ea066f4fc56a2bcead45c088572ffccdb3d8"
            crypto.hmac.sha512      | ["\\u00e5\\u00e4\\u00f6\\u00e7\\u00df\\ud83e\\udd72\\u2659\\u03a9", "\\u79d8\\u5bc6\\u306e"] | "192f5afded233d6e21427aa26ed267ac118cfa2971013d91cbed530c0b208d78138b83dfe1d6cc3553d7bd518f22a481402c723028e1279d1ffbe8f11ea6b125"
            crypto.hmac.equal       | ["abc", "abc"]               | true
            crypto.hmac.equal       | ["abc", "abd"]               | false
            json.marshal            | [[{"foo": {1, 2, 3}}]]       | "[{\\"foo\\":[1,2,3]}]"
            json.marshal            | [[1234567890, 2000000, 1000000000]] | "[1234567890,2000000,1000000000]"
            json.marshal            | [{"b": 1, "a": "<&>"}]       | "{\\"a\\":\\"\\\\u003c\\\\u0026\\\\u003e\\",\\"b\\":1}"
            json.unmarshal          | ["[{\\"foo\\":[1,2,3]}]"]    | [{"foo": [1, 2, 3]}]
            json.unmarshal          | ["123456789012345678901234567890.5"] | 123456789012345678901234567890.5
            json.unmarshal          | ["{\\"a\\": 1, \\"a\\": 2}"] | {"a": 2}
            json.is_valid           | ["plainstring"]              | false
            json.is_valid           | ["{"]                        | false
            json.is_valid           | ["{\\"json\\": \\"ok\\"}"]   | true
            json.is_valid           | [1]                          | false
            json.marshal_with_options | [{"a": [1]}, {"pretty": true}] | "{\\n\\t\\"a\\": [\\n\\t\\t1\\n\\t]\\n}"
            json.marshal_with_options | [{"a": 1}, {"indent": "  ", "prefix": "> "}] | "{\\n>   \\"a\\": 1\\n> }"
            yaml.is_valid           | ["foo:\\n   - qux: bar\\n   - baz: 2"] | true
            yaml.is_valid           | ["foo:\\n   - qux: bar\\n   - baz: {"] | false
            yaml.is_valid           | ["{\\"json\\": \\"ok\\"}"]   | true
            yaml.is_valid           | [1]                          | false
            yaml.unmarshal          | ["a: 1\\nb: [x, 2.5, true, null]\\nc: 2024-01-01"] | {"a": 1, "b": ["x", 2.5, true, null], "c": "2024-01-01"}
            yaml.unmarshal          | ["a: y\\nb: No\\nc: 1e3\\nd: 0x1F\\ne: 0777\\nf: ~\\ng: .5\\nh: 1_000\\ni: \\"y\\"\\nj: on"] | {"a": true, "b": false, "c": 1000, "d": 31, "e": 511, "f": null, "g": 0.5, "h": 1000, "i": "y", "j": true}
            yaml.marshal            | [{"a": [1, "x"]}]            | "a:\\n- 1\\n- x\\n"
            uuid.parse              | ["00000000-0000-4000-8000-000000000000"] | {"variant": "RFC4122", "version": 4}
            uuid.parse              | ["000003e8-48b9-21ee-b200-325096b39f47"] | {"clocksequence": 12800, "domain": "Person", "id": 1000, "macvariables": "local:unicast", "nodeid": "32-50-96-b3-9f-47", "time": 1693566990121469600, "variant": "RFC4122", "version": 2}
            uuid.parse              | ["38074da4-0b00-388d-9c3c-362de965547a"] | {"variant": "RFC4122", "version": 3}
            uuid.parse              | ["not-a-uuid"]               | undefined
            io.jwt.decode           | ["eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsIm4iOjF9.YfBsV9liT64npctPh7J3hnxvwcqNckAlBAarw1inT8A"] | [{"alg": "HS256", "typ": "JWT"}, {"sub": "alice", "n": 1}, "61f06c57d9624fae27a5cb4f87b277867c6fc1ca8d7240250406abc358a74fc0"]
            io.jwt.verify_hs256     | ["eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsIm4iOjF9.YfBsV9liT64npctPh7J3hnxvwcqNckAlBAarw1inT8A", "secret"] | true
            io.jwt.verify_hs256     | ["eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsIm4iOjF9.YfBsV9liT64npctPh7J3hnxvwcqNckAlBAarw1inT8A", "wrong"]  | false
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
            hex.decode       | ["fghijkl"]     | eval_builtin_error | invalid byte: U+0067 'g'
            hex.decode       | ["abc"]         | eval_builtin_error | odd length
            base64.decode    | ["a"]           | eval_builtin_error | illegal base64 data
            json.unmarshal   | [1]             | eval_type_error    | operand 1 must be string but got number
            json.unmarshal   | ["{"]           | eval_builtin_error | json.unmarshal
            yaml.unmarshal   | ["[1,2,3"]      | eval_builtin_error | yaml: line 1: did not find
            urlquery.decode  | ["%zz"]         | eval_builtin_error | invalid URL escape "%zz"
            http.send        | [{}]            | eval_builtin_error | http.send: network access is refused
            io.jwt.decode    | ["a.b"]         | eval_builtin_error | io.jwt.decode
            """)
    void call_throwsOpaError_whenOperandInvalid(String name, String args, String code, String message) {
        assertError(name, args, code, message);
    }

    @Test
    void count_countsInvalidUtf8BytesAsRunes_whenBase64DecodesBinary() {
        BuiltinTestSupport.TestContext ctx = new BuiltinTestSupport.TestContext();
        Value s = BuiltinTestSupport.call(
                ctx, "base64.decode", List.of(Value.str("2E84ZuPUd7zfvCZSNEchVpDEIj6PL7JfLpIqyxVG16k=")));
        assertEquals(Value.num(30), BuiltinTestSupport.call(ctx, "count", List.of(s)));
    }

    @Test
    void uuidRfc4122_returnsSameUuid_whenKeyRepeatsInOneEvaluation() {
        BuiltinTestSupport.TestContext ctx = new BuiltinTestSupport.TestContext();
        Value a = BuiltinTestSupport.call(ctx, "uuid.rfc4122", List.of(Value.str("k")));
        Value b = BuiltinTestSupport.call(ctx, "uuid.rfc4122", List.of(Value.str("k")));
        Value c = BuiltinTestSupport.call(ctx, "uuid.rfc4122", List.of(Value.str("other")));
        assertEquals(a, b);
        assertNotEquals(a, c);
        Value parsed = BuiltinTestSupport.call(ctx, "uuid.parse", List.of(a));
        assertTrue(parsed instanceof Value.Obj o && Value.num(4).equals(o.get("version")));
    }
}
