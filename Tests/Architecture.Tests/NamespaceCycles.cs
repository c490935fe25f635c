namespace SdServerless.Architecture.Tests;

/// <summary>The cycles in a namespace graph: one per strongly connected group of two or more namespaces, as a path.</summary>
public static class NamespaceCycles
{
    /// <summary>Each cycle as the namespaces it passes through, the first repeated at the end, with why each step is taken.</summary>
    public static IReadOnlyList<string> Find(NamespaceDependencies graph)
    {
        var cycles = new List<string>();
        foreach (var group in StronglyConnected(graph).Where(g => g.Count > 1))
        {
            cycles.Add(Describe(graph, ShortestCycle(graph, group)));
        }
        return cycles;
    }

    private static string Describe(NamespaceDependencies graph, IReadOnlyList<string> cycle) =>
        string.Join(Environment.NewLine, cycle.Zip(cycle.Skip(1), (from, to) => $"  {from} -> {to}   ({graph.Uses(from)[to]})"));

    /// <summary>The shortest way from the group's first namespace (in name order) back to itself, staying inside the group.</summary>
    private static List<string> ShortestCycle(NamespaceDependencies graph, IReadOnlySet<string> group)
    {
        var start = group.Order(StringComparer.Ordinal).First();
        var previous = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>([start]);
        while (queue.Count > 0)
        {
            var at = queue.Dequeue();
            foreach (var next in graph.Uses(at).Keys.Where(group.Contains).Order(StringComparer.Ordinal))
            {
                if (next == start)
                {
                    var path = new List<string> { start };
                    for (var step = at; step != start; step = previous[step])
                    {
                        path.Add(step);
                    }
                    path.Add(start);
                    path.Reverse();
                    return path;
                }
                if (previous.TryAdd(next, at))
                {
                    queue.Enqueue(next);
                }
            }
        }
        throw new InvalidOperationException($"No cycle through {start} in its own strongly connected group.");
    }

    /// <summary>Tarjan's strongly connected components.</summary>
    private static List<HashSet<string>> StronglyConnected(NamespaceDependencies graph)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var groups = new List<HashSet<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in graph.Uses(node).Keys)
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], index[next]);
                }
            }
            if (low[node] == index[node])
            {
                var group = new HashSet<string>(StringComparer.Ordinal);
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    group.Add(member);
                }
                while (member != node);
                groups.Add(group);
            }
        }

        foreach (var node in graph.Namespaces.Order(StringComparer.Ordinal).ToList())
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }
        return groups;
    }
}
