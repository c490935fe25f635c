using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace SdServerless.Architecture.Tests;

/// <summary>
/// Which namespaces of one compiled assembly use which others, read from its metadata without loading it: base types,
/// interfaces, fields, method and property signatures, generic constraints, attributes, and every type, method and
/// field token in method bodies (locals included), so a dependency hidden in a body counts as much as one in a signature.
/// </summary>
public sealed class NamespaceDependencies
{
    private readonly Dictionary<string, Dictionary<string, string>> _edges = new(StringComparer.Ordinal);

    private NamespaceDependencies()
    {
    }

    /// <summary>Every namespace under <paramref name="root"/> (the root included) that declares a type.</summary>
    public IReadOnlyCollection<string> Namespaces => _edges.Keys;

    /// <summary>The namespaces <paramref name="from"/> uses, each with one example (which type uses which).</summary>
    public IReadOnlyDictionary<string, string> Uses(string from) => _edges.TryGetValue(from, out var to) ? to : [];

    public static NamespaceDependencies Read(string assemblyPath, string root)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var graph = new NamespaceDependencies();
        var scanner = new TypeUses(reader, pe);
        foreach (var handle in reader.TypeDefinitions)
        {
            var ns = NamespaceOf(reader, handle);
            if (!InRoot(ns, root))
            {
                continue;
            }
            var from = graph.Node(ns);
            var fromType = FullName(reader, handle);
            foreach (var used in scanner.TypesUsedBy(handle))
            {
                var usedNs = NamespaceOf(reader, used);
                if (usedNs != ns && InRoot(usedNs, root) && !from.ContainsKey(usedNs))
                {
                    from[usedNs] = $"{fromType} uses {FullName(reader, used)}";
                }
            }
        }
        return graph;
    }

    private Dictionary<string, string> Node(string ns)
    {
        if (!_edges.TryGetValue(ns, out var to))
        {
            _edges[ns] = to = new Dictionary<string, string>(StringComparer.Ordinal);
        }
        return to;
    }

    private static bool InRoot(string ns, string root) =>
        ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal);

    /// <summary>A nested type (compiler-generated closures and state machines included) belongs to its outermost type's namespace.</summary>
    private static string NamespaceOf(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        while (type.GetDeclaringType() is { IsNil: false } outer)
        {
            type = reader.GetTypeDefinition(outer);
        }
        return reader.GetString(type.Namespace);
    }

    private static string FullName(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        var name = reader.GetString(type.Name);
        return type.GetDeclaringType() is { IsNil: false } outer
            ? $"{FullName(reader, outer)}+{name}"
            : $"{reader.GetString(type.Namespace)}.{name}";
    }
}
