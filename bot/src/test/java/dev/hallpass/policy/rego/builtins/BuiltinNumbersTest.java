package dev.hallpass.policy.rego.builtins;

import static dev.hallpass.policy.rego.builtins.BuiltinTestSupport.assertCall;
import static dev.hallpass.policy.rego.builtins.BuiltinTestSupport.assertError;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.policy.rego.Value;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BuiltinNumbersTest {

    @ParameterizedTest(name = "{0}{1} = {2}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\u0001',
            textBlock =
                    """
            plus     | [18446744073709551617, 1]        | 18446744073709551618
            plus     | [1.5, 2.5]                       | 4
            plus     | [1, 2.5]                         | 3.5
            plus     | [49649733057, 1]                 | 49649733058
            plus     | [1e100000000, 1e-100000000]      | 1e100000000
            ceil     | [1e100000000]                    | 1e100000000
            minus    | [-18446744073709551617, 1]       | -18446744073709551618
            minus    | [{1, 2, 3}, {2}]                 | {1, 3}
            mul      | [18446744073709551617, 2]        | 36893488147419103234
            mul      | [2.5, 2]                         | 5
            div      | [1, 3]                           | 0.3333333333333333
            div      | [10, 4]                          | 2.5
            div      | [1e109, 1e100]                   | 1000000000
            rem      | [7, 4]                           | 3
            rem      | [100, -18446744073709551616]     | 100
            rem      | [18446744073709551617, 18446744073709551616] | 1
            rem      | [-7, 4]                          | -3
            abs      | [-10]                            | 10
            ceil     | [1.01]                           | 2
            ceil     | [-1.99999]                       | -1
            floor    | [-1.001]                         | -2
            floor    | [99.99999]                       | 99
            round    | [2.5]                            | 3
            round    | [-2.5]                           | -3
            round    | [1.4]                            | 1
            equal    | [1, 1.0]                         | true
            neq      | [28857836529306024611913, 28857836529306024611912] | true
            lt       | [null, false]                    | true
            lt       | ["a", [1]]                       | true
            gte      | [{"a": 1}, [1]]                  | true
            gt       | [{1}, {"a": 1}]                  | true
            lte      | [[1, 2], [1, 2]]                 | true
            and      | [{1, 2, 3}, {2, 3, 4}]           | {2, 3}
            or       | [{1}, {2}]                       | {1, 2}
            sum      | [[1, 2, 3, 4]]                   | 10
            sum      | [{1, 2, 3, 4}]                   | 10
            product  | [[1, 2, 3, 4]]                   | 24
            max      | [[1, 2, 3, 4]]                   | 4
            min      | [[3, 2, 1, 4, 6, -7, 10]]        | -7
            max      | [[]]                             | undefined
            sort     | [[4, 3, 2, 1]]                   | [1, 2, 3, 4]
            sort     | [{3, "a", null}]                 | [null, 3, "a"]
            numbers.range      | [1, 3]                 | [1, 2, 3]
            numbers.range      | [3, 1]                 | [3, 2, 1]
            numbers.range_step | [0, 10, 2]             | [0, 2, 4, 6, 8, 10]
            numbers.range_step | [0, -10, 2]            | [0, -2, -4, -6, -8, -10]
            numbers.range_step | [10, 3, 2]             | [10, 8, 6, 4]
            numbers.range_step | [2, 5, 2]              | [2, 4]
            numbers.range_step | [0, 10, 99999999999999999999] | [0]
            to_number          | ["-42.0"]              | -42
            to_number          | [false]                | 0
            to_number          | [true]                 | 1
            to_number          | [null]                 | 0
            to_number          | [100.1]                | 100.1
            to_number          | ["1e3"]                | 1000
            bits.and           | [5, 3]                 | 1
            bits.or            | [5, 3]                 | 7
            bits.xor           | [5, 3]                 | 6
            bits.negate        | [5]                    | -6
            bits.lsh           | [1, 70]                | 1180591620717411303424
            bits.rsh           | [-8, 1]                | -4
            intersection       | [{{1, 2}, {2, 3}}]     | {2}
            intersection       | [set()]                | set()
            union              | [{{1, 2}, {2, 3}}]     | {1, 2, 3}
            is_number          | [-42.0]                | true
            is_string          | [false]                | false
            is_set             | [{1}]                  | true
            is_array           | [{1}]                  | false
            is_object          | [{}]                   | true
            is_null            | [null]                 | true
            is_boolean         | ["x"]                  | false
            type_name          | [{1}]                  | "set"
            type_name          | [{}]                   | "object"
            type_name          | [1.5]                  | "number"
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
            div                | [1, 0]            | eval_builtin_error | div: divide by zero
            rem                | [7, 0]            | eval_builtin_error | rem: modulo by zero
            rem                | [1.1, 1]          | eval_builtin_error | modulo on floating-point number
            minus              | [{1}, 1]          | eval_type_error    | operand 2 must be set but got number
            minus              | [1, {1}]          | eval_type_error    | operand 2 must be number but got set
            plus               | ["a", 1]          | eval_type_error    | plus: operand 1 must be number but got string
            numbers.range      | [1.5, 3]          | eval_type_error    | numbers.range: operand 1 must be integer number but got floating-point number
            numbers.range      | [1, 3.5]          | eval_type_error    | numbers.range: operand 2 must be integer number but got floating-point number
            numbers.range_step | [0, 10, -2]       | eval_builtin_error | numbers.range_step: step must be a positive integer
            numbers.range      | [0, 1e12]         | eval_builtin_error | numbers.range: range too large
            bits.and           | [1.5, 1]          | eval_type_error    | bits.and: operand 1 must be integer number but got floating-point number
            bits.lsh           | [1, -1]           | eval_type_error    | bits.lsh: operand 2 must be an unsigned integer number but got a negative integer
            bits.rsh           | [1, -1]           | eval_type_error    | bits.rsh: operand 2 must be an unsigned integer number but got a negative integer
            sum                | [[1, "a"]]        | eval_type_error    | sum: operand 1 must be array of numbers but got array containing string
            mul                | [1e2000000000, 1e2000000000] | eval_builtin_error | mul:
            numbers.range      | [0, 1e100000000]  | eval_builtin_error | numbers.range: number too large
            format_int         | [1e100000000, 10] | eval_builtin_error | format_int: number too large
            """)
    void call_throwsOpaError_whenOperandInvalid(String name, String args, String code, String message) {
        assertError(name, args, code, message);
    }

    @Test
    void numbersRange_checksBudget_whenRangeIsLarge() {
        BuiltinTestSupport.TestContext ctx = new BuiltinTestSupport.TestContext();
        Value v = BuiltinTestSupport.call(ctx, "numbers.range", List.of(Value.num(1), Value.num(100_000)));
        assertTrue(((Value.Arr) v).size() == 100_000 && ctx.budgetChecks > 0);
    }
}
