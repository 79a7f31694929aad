package dev.hallpass.policy.rego.builtins;

import static dev.hallpass.policy.rego.builtins.BuiltinTestSupport.assertCall;
import static dev.hallpass.policy.rego.builtins.BuiltinTestSupport.assertError;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BuiltinCollectionsTest {

    @ParameterizedTest(name = "{0}{1} = {2}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\u0001',
            textBlock =
                    """
            array.concat     | [[1], [2, 3]]                              | [1, 2, 3]
            array.slice      | [[1, 2, 3, 4, 5], 1, 3]                    | [2, 3]
            array.slice      | [[1, 2, 3], -1, 10]                        | [1, 2, 3]
            array.slice      | [[1, 2, 3], 2, 1]                          | []
            array.reverse    | [[1, 2, 3]]                                | [3, 2, 1]
            array.flatten    | [[1, [2, [3, [4]]], []]]                   | [1, 2, 3, 4]
            object.get       | [{"a": "b"}, "a", "c"]                     | "b"
            object.get       | [{"a": "b"}, "c", "c"]                     | "c"
            object.get       | [{1: 2}, 1, 3]                             | 2
            object.get       | [{"a": 1}, [], 2]                          | {"a": 1}
            object.get       | [{"a": {"b": {"c": 1}}}, ["a", "b", "c"], 2] | 1
            object.get       | [{"a": {"b": {"c": 1}}}, ["a", "b", "a"], 2] | 2
            object.get       | [{1: {"b": {[1, 2, 3]: 1}}}, [1, "b", [1, 2, 3]], 2] | 1
            object.get       | [{"a": {"b": [1, 2, 3]}}, ["a", "b", "a"], 2] | 2
            object.get       | [{"a": {"b": [{"c": 1}]}}, ["a", "b", 0, "c"], 2] | 1
            object.keys      | [{"a": 1, "b": 2}]                         | {"a", "b"}
            object.keys      | [{}]                                       | set()
            object.remove    | [{"a": 1, "b": 2, "c": 3}, ["a"]]          | {"b": 2, "c": 3}
            object.remove    | [{"a": 1, "b": 2}, {"b"}]                  | {"a": 1}
            object.remove    | [{"a": 1, "b": 2}, {"b": 10}]              | {"a": 1}
            object.remove    | [{1: 1, "b": 2}, [1]]                      | {"b": 2}
            object.filter    | [{"a": 1, "b": 2, "c": 3}, ["a", "c"]]     | {"a": 1, "c": 3}
            object.filter    | [{"a": 1, "b": 2}, {"x": 1}]               | {}
            object.union     | [{"a": 1, "b": {"c": 1}}, {"b": {"d": 2}, "e": 3}] | {"a": 1, "b": {"c": 1, "d": 2}, "e": 3}
            object.union     | [{"a": {"x": 1}}, {"a": 2}]                | {"a": 2}
            object.union_n   | [[{"a": 1, "b": 2, "c": 3}, {"foo": "baz", "a": "a", "b": 2, "d": 4}, {"a": "final A!", "e": 5.0}]] | {"a": "final A!", "b": 2, "c": 3, "d": 4, "e": 5, "foo": "baz"}
            object.union_n   | [[]]                                       | {}
            object.subset    | [{"a": 5, "b": 7, "c": 15}, {"a": 5}]      | true
            object.subset    | [{"a": 5}, {"a": 5, "b": 7}]               | false
            object.subset    | [{"a": 1, "n": {"x": 10, "y": 15, "s": {1, 2, 3, 4}, "arr": [6, 7, 8, 9]}}, {"n": {"x": 10, "s": {4, 1}, "arr": [6, 7]}}] | true
            object.subset    | [{1, 2, 3, {"a", "b", "c"}}, {3, 2, {"a", "b"}}] | false
            object.subset    | [[1, 2, 3, 4, 5, 6], [3, 4, 5]]            | true
            object.subset    | [[1, 2, 3, 4, 5, 6], [4, 5, 6, 8]]         | false
            object.subset    | [[1, 2, 3, 4, 5, 6], {4, 3, 2}]            | true
            object.subset    | [[1, 2, 3, 4, 5, 6], {9, 8, 7}]            | false
            json.filter      | [{"a": {"b": {"c": 7, "d": 8}}, "e": 9}, {"a/b/c"}]            | {"a": {"b": {"c": 7}}}
            json.filter      | [{"a": {"b": {"c": 7, "d": 8}}, "e": 9}, ["a/b/c", "e"]]       | {"a": {"b": {"c": 7}}, "e": 9}
            json.filter      | [{"a": {"b": 7}}, {"a", "a/b"}]                                | {"a": {"b": 7}}
            json.filter      | [{"a": 7}, set()]                                              | {}
            json.filter      | [{"a": [{"1": ["b", "c", "d"]}, {"x": "y"}]}, {"a/0/1/2"}]     | {"a": [{"1": ["d"]}]}
            json.filter      | [{"a": {"b": {"c": 7, "d": 8, "x": 0}}, "e": 9}, {"a/b/d", ["a", "b", "c"]}] | {"a": {"b": {"c": 7, "d": 8}}}
            json.remove      | [{"a": {"b": {"c": 7, "d": 8}}, "e": 9}, {"a/b/c"}]            | {"a": {"b": {"d": 8}}, "e": 9}
            json.remove      | [{"a": {"b": 7}, "c": 1}, {"a", "a/b"}]                        | {"c": 1}
            json.remove      | [{"a": {"b": 7}, "c": 1}, {"a/b", "c"}]                        | {"a": {}}
            json.remove      | [{"a": [{"b": 7, "c": 8}, {"d": 9}]}, {"a/0/b", "a/1"}]        | {"a": [{"c": 8}]}
            json.remove      | [{"a": [{"1": ["b", "c", "d"]}, {"x": "y"}]}, {"a/0/1/2"}]     | {"a": [{"1": ["b", "c"]}, {"x": "y"}]}
            json.remove      | [{"a": {"b": {"c": 7, "d": 8, "x": 0}}, "e": 9}, {"a/b/d", ["a", "b", "c"]}] | {"a": {"b": {"x": 0}}, "e": 9}
            json.patch       | [[1, 2, 3], [{"op": "add", "path": "1.2", "value": "foo"}]]    | undefined
            json.patch       | [{"foo": {"a", "b", "c"}}, [{"op": "remove", "path": "foo/b"}]] | {"foo": {"a", "c"}}
            json.patch       | [{"foo": {"a", "b", "c"}}, [{"op": "add", "path": "foo/d", "value": "d"}]] | {"foo": {"a", "b", "c", "d"}}
            json.patch       | [{"foo": {"a", "b", "c"}}, [{"op": "add", "path": "foo/d", "value": "e"}]] | undefined
            json.patch       | [{"foo": {"a", "b"}, "bar": {"c", "d"}}, [{"op": "move", "from": "foo/a", "path": "bar/a"}]] | {"foo": {"b"}, "bar": {"a", "c", "d"}}
            json.patch       | [{[1]}, [{"op": "add", "path": [[1], 1], "value": 2}]]         | {[1, 2]}
            json.patch       | [{"a": [1, 2]}, [{"op": "add", "path": "/a/-", "value": 3}, {"op": "replace", "path": "/a/0", "value": 9}, {"op": "test", "path": "/a/1", "value": 2}]] | {"a": [9, 2, 3]}
            json.patch       | [{"a": 1}, [{"op": "copy", "from": "/a", "path": "/b"}]]       | {"a": 1, "b": 1}
            json.patch       | [{"a": 1}, [{"op": "test", "path": "/a", "value": 2}]]         | undefined
            graph.reachable  | [{}, {"a"}]                                                    | set()
            graph.reachable  | [{"a": {"b"}, "b": {"c"}, "c": {"a"}}, {"a"}]                  | {"a", "b", "c"}
            graph.reachable  | [{"a": {"b", "c"}, "b": {"d"}, "c": {"d"}, "d": set(), "e": {"f"}, "f": {"e"}, "x": {"x"}}, {"b", "e"}] | {"b", "d", "e", "f"}
            graph.reachable  | [{"a": ["b"], "b": ["c"], "c": ["a"]}, ["a"]]                  | {"a", "b", "c"}
            graph.reachable  | [{"a": null}, ["a"]]                                           | {"a"}
            graph.reachable_paths | [{}, {"a"}]                                               | set()
            graph.reachable_paths | [{"a": {"b"}, "b": {"c"}, "c": {"a"}}, {"a"}]             | {["a", "b", "c"]}
            graph.reachable_paths | [{"a": {"b", "c"}, "b": {"d"}, "c": {"d"}, "d": set(), "e": {"f"}, "f": {"e"}, "x": {"x"}}, {"b", "e"}] | {["b", "d"], ["e", "f"]}
            graph.reachable_paths | [{"a": null}, ["a"]]                                      | {["a"]}
            graph.reachable_paths | [{"a": ["b", "c"], "b": ["c"], "c": []}, {"a"}]           | {["a", "b", "c"], ["a", "c"]}
            graph.reachable_paths | [{"1": [], "2": ["1"], "3": ["2"], "4": ["3", "2"], "5": ["4"]}, ["5"]] | {["5", "4", "2", "1"], ["5", "4", "3", "2", "1"]}
            graph.reachable_paths | [{"a": ["b"], "b": ["nonexistent"]}, {"a", "b"}]          | {["a", "b"], ["b"]}
            graph.reachable_paths | [{"one": ["two", "five"], "two": ["four"], "three": [""], "four": ["three"], "five": ["seven", "six"], "six": ["nine", "seven"], "seven": ["eight"], "eight": ["three"], "nine": [""]}, {"one"}] | {["one", "five", "seven", "eight", "three"], ["one", "five", "six", "nine"], ["one", "five", "six", "seven", "eight", "three"], ["one", "two", "four", "three"]}
            walk             | [1]                                                            | [[[], 1]]
            walk             | [{"v1": "hello", "v2": "goodbye"}]                             | [[[], {"v1": "hello", "v2": "goodbye"}], [["v1"], "hello"], [["v2"], "goodbye"]]
            walk             | [{{1, 2, 3}}]                                                  | [[[], {{1, 2, 3}}], [[{1, 2, 3}], {1, 2, 3}], [[{1, 2, 3}, 1], 1], [[{1, 2, 3}, 2], 2], [[{1, 2, 3}, 3], 3]]
            walk             | [[true]]                                                       | [[[], [true]], [[0], true]]
            internal.member_2 | [1, {"foo": 1}]                                               | true
            internal.member_2 | [1, "foo"]                                                    | false
            internal.member_3 | [1, "two", ["one", "two"]]                                    | true
            internal.member_3 | ["foo", "foo", {"foo", "bar"}]                                | true
            opa.runtime       | []                                                            | {"env": {}}
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
            array.concat     | [{}, []]          | eval_type_error | array.concat: operand 1 must be array but got object
            array.concat     | [[], {}]          | eval_type_error | array.concat: operand 2 must be array but got object
            array.reverse    | [{}]              | eval_type_error | array.reverse: operand 1 must be array but got object
            array.flatten    | [42]              | eval_type_error | array.flatten: operand 1 must be array but got number
            object.get       | ["object", ["a"], 2] | eval_type_error | object.get: operand 1 must be object but got string
            object.keys      | ["object"]        | eval_type_error | object.keys: operand 1 must be object but got string
            object.remove    | [["a"], ["a"]]    | eval_type_error | object.remove: operand 1 must be object but got array
            object.remove    | [{}, "foo"]       | eval_type_error | object.remove: operand 2 must be one of {object, set, array} but got string
            object.remove    | [{}, null]        | eval_type_error | object.remove: operand 2 must be one of {object, set, array} but got null
            object.filter    | [null, []]        | eval_type_error | object.filter: operand 1 must be object but got null
            object.filter    | [{}, "foo"]       | eval_type_error | object.filter: operand 2 must be one of {object, set, array} but got string
            object.union     | [[], {}]          | eval_type_error | object.union: operand 1 must be object but got array
            object.union     | [{}, []]          | eval_type_error | object.union: operand 2 must be object but got array
            object.union_n   | [[{"foo": 1}, {"bar": 2}, "baz"]] | eval_type_error | object.union_n
            json.remove      | ["foo", {"a/b/c"}] | eval_type_error | json.remove: operand 1 must be object but got string
            json.remove      | [{}, "foo"]       | eval_type_error | json.remove: operand 2 must be one of {set, array} but got string
            json.remove      | [{}, 22]          | eval_type_error | json.remove: operand 2 must be one of {set, array} but got number
            json.remove      | [{}, {"a", {"x": 1}}] | eval_type_error | json.remove: operand 2 must be one of {set, array} containing string paths or array of path segments but got object
            json.remove      | [{}, ["a", 1]]    | eval_type_error | json.remove: operand 2 must be one of {set, array} containing string paths or array of path segments but got number
            graph.reachable_paths | [1, [1]]     | eval_type_error | graph.reachable_paths: operand 1 must be object but got number
            graph.reachable_paths | [{"a": []}, "a"] | eval_type_error | graph.reachable_paths: operand 2
            """)
    void call_throwsOpaError_whenOperandInvalid(String name, String args, String code, String message) {
        assertError(name, args, code, message);
    }
}
