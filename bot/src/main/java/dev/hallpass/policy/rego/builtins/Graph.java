package dev.hallpass.policy.rego.builtins;

import dev.hallpass.policy.rego.BuiltinContext;
import dev.hallpass.policy.rego.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** graph.reachable and graph.reachable_paths. */
final class Graph {
    private Graph() {}

    static void register(Reg r) {
        r.fn("graph.reachable", 2, (ctx, a) -> {
            Value.Obj g = Args.obj("graph.reachable", a, 0);
            Collection<Value> initial = Args.collection("graph.reachable", a, 1, "one of {set, array}");
            TreeSet<Value> reached = new TreeSet<>();
            ArrayDeque<Value> queue = new ArrayDeque<>(initial);
            while (!queue.isEmpty()) {
                ctx.checkBudget();
                Value node = queue.poll();
                Value edges = g.get(node);
                if (edges == null || !reached.add(node)) {
                    continue;
                }
                for (Value n : vertices(edges)) {
                    if (!reached.contains(n)) {
                        queue.add(n);
                    }
                }
            }
            return Value.set(reached);
        });
        r.fn("graph.reachable_paths", 2, (ctx, a) -> {
            Value.Obj g = Args.obj("graph.reachable_paths", a, 0);
            Collection<Value> initial = Args.collection("graph.reachable_paths", a, 1, "one of {set, array}");
            TreeSet<Value> out = new TreeSet<>();
            for (Value root : initial) {
                paths(ctx, g, root, new ArrayList<>(), new TreeSet<>(), out);
            }
            return Value.set(out);
        });
    }

    /** Edges are an array or set of vertices; anything else (such as null) has none. */
    private static Collection<Value> vertices(Value edges) {
        if (edges instanceof Value.Arr arr) {
            return arr.items();
        }
        if (edges instanceof Value.SetV s) {
            return s.items();
        }
        return List.of();
    }

    /** Depth-first; a path ends at a leaf, at a vertex missing from the graph, or before a cycle. */
    private static void paths(
            BuiltinContext ctx, Value.Obj g, Value node, List<Value> path, Set<Value> onPath, Set<Value> out) {
        ctx.checkBudget();
        Value edges = g.get(node);
        if (edges == null) {
            if (!path.isEmpty()) {
                out.add(Value.array(path));
            }
            return;
        }
        path.add(node);
        onPath.add(node);
        Collection<Value> next = vertices(edges);
        if (next.isEmpty()) {
            out.add(Value.array(path));
        }
        for (Value n : next) {
            if (onPath.contains(n)) {
                out.add(Value.array(path));
            } else {
                paths(ctx, g, n, path, onPath, out);
            }
        }
        onPath.remove(node);
        path.remove(path.size() - 1);
    }
}
