package dev.hallpass.policy.rego.builtins;

import static dev.hallpass.policy.rego.builtins.BuiltinTestSupport.assertCall;
import static dev.hallpass.policy.rego.builtins.BuiltinTestSupport.assertError;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BuiltinNetSemverUnitsTest {

    @ParameterizedTest(name = "{0}{1} = {2}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\u0001',
            textBlock =
                    """
            net.cidr_contains   | ["10.0.0.0/8", "192.168.1.0/24"]                 | false
            net.cidr_contains   | ["10.0.0.0/8", "10.1.1.1/32"]                    | true
            net.cidr_contains   | ["2001:4860:4860::8888/32", "2001:4860:4860:1234::8888/40"] | true
            net.cidr_contains   | ["2001:4860:4860::8888/32", "2001:4860:4860:1234:5678:1234:5678:8888/128"] | true
            net.cidr_contains   | ["2001:4860::/96", "2001:4860::/32"]             | false
            net.cidr_contains   | ["2001:4860::/32", "fd1e:5bfe:8af3:9ddc::/64"]   | false
            net.cidr_contains   | ["10.0.0.0/8", "192.168.1.1"]                    | false
            net.cidr_contains   | ["10.0.0.0/8", "10.2.3.4"]                       | true
            net.cidr_contains   | ["10.0.0.0/8", "::ffff:10.2.3.4"]                | true
            net.cidr_intersects | ["192.168.1.0/25", "192.168.1.64/25"]            | true
            net.cidr_intersects | ["192.168.1.0/24", "192.168.2.0/24"]             | false
            net.cidr_intersects | ["fd1e:5bfe:8af3:9ddc::/64", "fd1e:5bfe:8af3:9ddc:1111::/72"] | true
            net.cidr_is_valid   | ["192.168.1.0/24"]                               | true
            net.cidr_is_valid   | [""]                                             | false
            net.cidr_is_valid   | ["there goes a string"]                          | false
            net.cidr_is_valid   | ["192.168.1.2"]                                  | false
            net.cidr_is_valid   | ["2002::1234:abcd:ffff:c0a8:101/64"]             | true
            net.cidr_is_valid   | ["010.0.0.0/8"]                                  | false
            net.cidr_is_valid   | ["10.0.0.0/33"]                                  | false
            net.cidr_expand     | ["192.168.1.1/30"]                               | {"192.168.1.0", "192.168.1.1", "192.168.1.2", "192.168.1.3"}
            net.cidr_expand     | ["172.16.100.255/30"]                            | {"172.16.100.252", "172.16.100.253", "172.16.100.254", "172.16.100.255"}
            net.cidr_expand     | ["192.168.1.1/32"]                               | {"192.168.1.1"}
            net.cidr_expand     | ["fe80::/127"]                                   | {"fe80::", "fe80::1"}
            net.cidr_contains_matches | ["1.1.1.0/24", "1.1.1.1"]                  | {["1.1.1.0/24", "1.1.1.1"]}
            net.cidr_contains_matches | [[["1.1.2.0/24", 1], "1.1.1.0/24"], ["1.1.1.1", "1.1.2.1"]] | {[0, 1], [1, 0]}
            net.cidr_contains_matches | [{"1.1.1.0/24", "1.1.2.0/24"}, {"1.1.1.1", "1.1.2.1"}] | {["1.1.1.0/24", "1.1.1.1"], ["1.1.2.0/24", "1.1.2.1"]}
            net.cidr_contains_matches | [{["1.1.1.0/24", "bar"], ["1.1.2.0/24", "foo"]}, {["1.1.1.1", "baz"], ["1.1.2.1", "qux"]}] | {[["1.1.1.0/24", "bar"], ["1.1.1.1", "baz"]], [["1.1.2.0/24", "foo"], ["1.1.2.1", "qux"]]}
            net.cidr_contains_matches | [{"k1": "1.1.1.1/24", "k2": ["1.1.1.2/24", 1]}, "1.1.1.128"] | {["k1", "1.1.1.128"], ["k2", "1.1.1.128"]}
            net.cidr_merge      | [["2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128", "2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128"]] | {"2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128"}
            net.cidr_merge      | [["2601:600:8a80:207e:a57d:7567:e2c9:e7b3/64", "2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128"]] | {"2601:600:8a80:207e::/64"}
            net.cidr_merge      | [["192.0.128.0/24", "0.0.0.0/0"]]                | {"0.0.0.0/0"}
            net.cidr_merge      | [["192.0.128.0/24", "192.0.129.0/24"]]           | {"192.0.128.0/23"}
            net.cidr_merge      | [["192.0.2.112/30", "192.0.2.116/31", "192.0.2.118/31"]] | {"192.0.2.112/29"}
            net.cidr_merge      | [["192.0.129.0/24", "192.0.130.0/24"]]           | {"192.0.129.0/24", "192.0.130.0/24"}
            net.cidr_merge      | [["192.0.2.112/30", "192.0.2.116/32", "192.0.2.118/31"]] | {"192.0.2.112/30", "192.0.2.116/32", "192.0.2.118/31"}
            net.cidr_merge      | [["192.0.2.112/31", "192.0.2.116/31", "192.0.2.118/31"]] | {"192.0.2.112/31", "192.0.2.116/30"}
            net.cidr_merge      | [["192.0.1.254/31", "192.0.2.0/28", "192.0.2.16/28", "192.0.2.32/28", "192.0.2.48/28", "192.0.2.64/28", "192.0.2.80/28", "192.0.2.96/28", "192.0.2.112/28", "192.0.2.128/28", "192.0.2.144/28", "192.0.2.160/28", "192.0.2.176/28", "192.0.2.192/28", "192.0.2.208/28", "192.0.2.224/28", "192.0.2.240/28", "192.0.3.0/28"]] | {"192.0.1.254/31", "192.0.2.0/24", "192.0.3.0/28"}
            net.cidr_merge      | [["::/0", "fe80::1/128"]]                        | {"::/0"}
            net.cidr_merge      | [["::/0", "::192.0.2.0/124", "ff00::101/128"]]   | {"::/0"}
            net.cidr_merge      | [["fe80::/120", "192.0.2.0/24", "192.0.3.0/24", "192.0.4.0/25", "192.0.4.128/25"]] | {"192.0.2.0/23", "192.0.4.0/24", "fe80::/120"}
            net.cidr_merge      | [[]]                                             | set()
            net.cidr_merge      | [["192.0.2.112", "192.0.2.116/31", "192.0.2.118/31"]] | {"192.0.2.0/24"}
            net.cidr_merge      | [["192.0.128.0", "192.0.129.0"]]                 | {"192.0.128.0/23"}
            net.cidr_merge      | [{"192.0.2.112/30", "192.0.2.116/31", "192.0.2.118/31"}] | {"192.0.2.112/29"}
            semver.compare      | ["1.0.0", "2.0.0"]                               | -1
            semver.compare      | ["1.0.0", "1.0.0"]                               | 0
            semver.compare      | ["1.0.0-alpha", "1.0.0"]                         | -1
            semver.compare      | ["1.0.0-alpha.1", "1.0.0-alpha.beta"]            | -1
            semver.compare      | ["1.0.0-beta.11", "1.0.0-beta.2"]                | 1
            semver.compare      | ["1.0.0+build.1", "1.0.0+build.2"]               | 0
            semver.is_valid     | ["1.0.0"]                                        | true
            semver.is_valid     | [1]                                              | false
            semver.is_valid     | ["1.0"]                                          | false
            semver.is_valid     | ["1.0.0-rc.1+build.5"]                           | true
            semver.is_valid     | ["01.2.3"]                                       | true
            semver.is_valid     | ["1.2.3.4"]                                      | false
            semver.is_valid     | ["1.2.3-"]                                       | true
            semver.is_valid     | ["1.2.3-a..b"]                                   | false
            semver.is_valid     | ["v1.2.3"]                                       | false
            semver.compare      | ["1.0.0-rc.1", "1.0.0-rc.1.1"]                   | -1
            semver.compare      | ["1.0.0-2", "1.0.0-10"]                          | -1
            semver.compare      | ["1.0.0-a", "1.0.0-1"]                           | 1
            semver.compare      | ["10.0.0", "9.99.99"]                            | 1
            units.parse         | ["500m"]                                         | 0.5
            units.parse         | ["0.0005K"]                                      | 0.5
            units.parse         | ["0.0000005M"]                                   | 0.5
            units.parse         | ["1Ki"]                                          | 1024
            units.parse         | ["128Gi"]                                        | 137438953472
            units.parse         | ["8g"]                                           | 8000000000
            units.parse         | ["4.1Mi"]                                        | 4299161.6
            units.parse         | ["1e3"]                                          | 1000
            units.parse         | ["\\"10k\\""]                                    | 10000
            units.parse_bytes   | ["1.1KiB"]                                       | 1126
            units.parse_bytes   | ["1.1KB"]                                        | 1100
            units.parse_bytes   | [".5KB"]                                         | 500
            units.parse_bytes   | [".0"]                                           | 0
            units.parse_bytes   | ["100gib"]                                       | 107374182400
            units.parse_bytes   | ["10KIB"]                                        | 10240
            units.parse_bytes   | ["10e"]                                          | 10000000000000000000
            units.parse_bytes   | ["10ei"]                                         | 11529215046068469760
            units.parse_bytes   | ["1e-2KB"]                                       | 10
            units.parse_bytes   | ["6.4E1GB"]                                      | 64000000000
            units.parse_bytes   | ["7.5e1TiB"]                                     | 82463372083200
            units.parse_bytes   | ["5E"]                                           | 5000000000000000000
            units.parse_bytes   | ["5e6"]                                          | 5000000
            units.parse_bytes   | ["\\"100TIB\\""]                                 | 109951162777600
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
            net.cidr_contains   | ["not-a-cidr", "192.168.1.67"]  | eval_builtin_error | net.cidr_contains
            net.cidr_contains   | ["192.168.1.0/28", "not-a-cidr"] | eval_builtin_error | net.cidr_contains
            net.cidr_intersects | ["not-a-cidr", "192.168.1.0/24"] | eval_builtin_error | net.cidr_intersects
            net.cidr_contains_matches | [["1.1.2.0/24"], ["1.1.1.1", 1]] | eval_builtin_error | net.cidr_contains_matches: operand 2: element must be string or non-empty array
            net.cidr_merge      | [["2601:600:8a80:207e:a57d:7567:e2c9:e7b3"]] | eval_builtin_error | net.cidr_merge: IPv6 invalid: needs prefix length
            net.cidr_merge      | [["foo"]]                        | eval_builtin_error | net.cidr_merge
            semver.compare      | ["1", "1.0.0"]                   | eval_builtin_error | semver.compare: operand 1: string "1" is not a valid SemVer
            semver.compare      | ["1.0.0", "1"]                   | eval_builtin_error | semver.compare: operand 2: string "1" is not a valid SemVer
            units.parse         | [""]                             | eval_builtin_error | units.parse: no amount provided
            units.parse         | ["G"]                            | eval_builtin_error | units.parse: no amount provided
            units.parse         | ["foo"]                          | eval_builtin_error | units.parse: no amount provided
            units.parse         | [".5.2"]                         | eval_builtin_error | units.parse: could not parse amount to a number
            units.parse         | ["0.0.0"]                        | eval_builtin_error | units.parse: could not parse amount to a number
            units.parse         | ["100 k"]                        | eval_builtin_error | units.parse: spaces not allowed in resource strings
            units.parse         | [" 327Mi "]                      | eval_builtin_error | units.parse: spaces not allowed in resource strings
            units.parse         | ["10e10000000Ei"]                | eval_builtin_error | units.parse: exponent too large
            units.parse_bytes   | ["GB"]                           | eval_builtin_error | units.parse_bytes: no byte amount provided
            units.parse_bytes   | [".5.2"]                         | eval_builtin_error | units.parse_bytes: could not parse byte amount to a number
            units.parse_bytes   | ["100 kb"]                       | eval_builtin_error | units.parse_bytes: spaces not allowed in resource strings
            units.parse_bytes   | ["10e10000000EiB"]               | eval_builtin_error | units.parse_bytes: exponent too large
            """)
    void call_throwsOpaError_whenOperandInvalid(String name, String args, String code, String message) {
        assertError(name, args, code, message);
    }
}
