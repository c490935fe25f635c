using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
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
        var scanner = new Scanner(reader, pe);
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

    /// <summary>Collects the assembly's own types that one type definition names anywhere.</summary>
    private sealed class Scanner(MetadataReader reader, PEReader pe)
    {
        private readonly LocalTypes _provider = new(reader);

        public HashSet<TypeDefinitionHandle> TypesUsedBy(TypeDefinitionHandle handle)
        {
            var used = new HashSet<TypeDefinitionHandle>();
            var type = reader.GetTypeDefinition(handle);
            AddType(used, type.BaseType);
            foreach (var i in type.GetInterfaceImplementations())
            {
                AddType(used, reader.GetInterfaceImplementation(i).Interface);
            }
            AddAttributes(used, type.GetCustomAttributes());
            AddConstraints(used, type.GetGenericParameters());
            foreach (var f in type.GetFields())
            {
                var field = reader.GetFieldDefinition(f);
                used.UnionWith(field.DecodeSignature(_provider, null));
                AddAttributes(used, field.GetCustomAttributes());
            }
            foreach (var p in type.GetProperties())
            {
                var property = reader.GetPropertyDefinition(p);
                AddSignature(used, property.DecodeSignature(_provider, null));
                AddAttributes(used, property.GetCustomAttributes());
            }
            foreach (var e in type.GetEvents())
            {
                var ev = reader.GetEventDefinition(e);
                AddType(used, ev.Type);
                AddAttributes(used, ev.GetCustomAttributes());
            }
            foreach (var m in type.GetMethods())
            {
                var method = reader.GetMethodDefinition(m);
                AddSignature(used, method.DecodeSignature(_provider, null));
                AddAttributes(used, method.GetCustomAttributes());
                AddConstraints(used, method.GetGenericParameters());
                foreach (var p in method.GetParameters())
                {
                    AddAttributes(used, reader.GetParameter(p).GetCustomAttributes());
                }
                if (method.RelativeVirtualAddress != 0)
                {
                    AddBody(used, pe.GetMethodBody(method.RelativeVirtualAddress));
                }
            }
            return used;
        }

        private void AddSignature(HashSet<TypeDefinitionHandle> used, MethodSignature<ImmutableArray<TypeDefinitionHandle>> signature)
        {
            used.UnionWith(signature.ReturnType);
            foreach (var p in signature.ParameterTypes)
            {
                used.UnionWith(p);
            }
        }

        private void AddAttributes(HashSet<TypeDefinitionHandle> used, CustomAttributeHandleCollection attributes)
        {
            foreach (var a in attributes)
            {
                AddMember(used, reader.GetCustomAttribute(a).Constructor);
            }
        }

        private void AddConstraints(HashSet<TypeDefinitionHandle> used, GenericParameterHandleCollection parameters)
        {
            foreach (var g in parameters)
            {
                foreach (var c in reader.GetGenericParameter(g).GetConstraints())
                {
                    AddType(used, reader.GetGenericParameterConstraint(c).Type);
                }
            }
        }

        /// <summary>Every metadata token in the IL, read opcode by opcode, and the locals' signature.</summary>
        private void AddBody(HashSet<TypeDefinitionHandle> used, MethodBodyBlock body)
        {
            if (!body.LocalSignature.IsNil)
            {
                foreach (var local in reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(_provider, null))
                {
                    used.UnionWith(local);
                }
            }
            var il = body.GetILReader();
            while (il.RemainingBytes > 0)
            {
                var opcode = ReadOpCode(ref il);
                switch (OperandOf(opcode))
                {
                    case Operand.Token:
                        AddToken(used, MetadataTokens.EntityHandle(il.ReadInt32()));
                        break;
                    case Operand.Switch:
                        il.Offset += 4 * il.ReadInt32();
                        break;
                    case var operand:
                        il.Offset += (int)operand;
                        break;
                }
            }
        }

        private void AddToken(HashSet<TypeDefinitionHandle> used, EntityHandle handle)
        {
            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition or HandleKind.TypeReference or HandleKind.TypeSpecification:
                    AddType(used, handle);
                    break;
                case HandleKind.MethodDefinition or HandleKind.MemberReference or HandleKind.MethodSpecification or HandleKind.FieldDefinition:
                    AddMember(used, handle);
                    break;
                case HandleKind.StandaloneSignature:
                    var signature = reader.GetStandaloneSignature((StandaloneSignatureHandle)handle);
                    if (signature.GetKind() == StandaloneSignatureKind.Method)
                    {
                        AddSignature(used, signature.DecodeMethodSignature(_provider, null));
                    }
                    break;
            }
        }

        private void AddMember(HashSet<TypeDefinitionHandle> used, EntityHandle handle)
        {
            switch (handle.Kind)
            {
                case HandleKind.MethodDefinition:
                    var method = reader.GetMethodDefinition((MethodDefinitionHandle)handle);
                    used.Add(method.GetDeclaringType());
                    AddSignature(used, method.DecodeSignature(_provider, null));
                    break;
                case HandleKind.FieldDefinition:
                    var field = reader.GetFieldDefinition((FieldDefinitionHandle)handle);
                    used.Add(field.GetDeclaringType());
                    used.UnionWith(field.DecodeSignature(_provider, null));
                    break;
                case HandleKind.MemberReference:
                    var member = reader.GetMemberReference((MemberReferenceHandle)handle);
                    AddType(used, member.Parent);
                    if (member.GetKind() == MemberReferenceKind.Method)
                    {
                        AddSignature(used, member.DecodeMethodSignature(_provider, null));
                    }
                    else
                    {
                        used.UnionWith(member.DecodeFieldSignature(_provider, null));
                    }
                    break;
                case HandleKind.MethodSpecification:
                    var specification = reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                    AddMember(used, specification.Method);
                    foreach (var argument in specification.DecodeSignature(_provider, null))
                    {
                        used.UnionWith(argument);
                    }
                    break;
            }
        }

        private void AddType(HashSet<TypeDefinitionHandle> used, EntityHandle handle)
        {
            if (handle.IsNil)
            {
                return;
            }
            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    used.Add((TypeDefinitionHandle)handle);
                    break;
                case HandleKind.TypeSpecification:
                    used.UnionWith(reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(_provider, null));
                    break;
                case HandleKind.MethodDefinition or HandleKind.MemberReference:
                    AddMember(used, handle);
                    break;
            }
        }
    }

    private enum Operand
    {
        None = 0,
        Int8 = 1,
        Int16 = 2,
        Int32 = 4,
        Int64 = 8,
        Token = -1,
        Switch = -2,
    }

    private static ushort ReadOpCode(ref BlobReader il)
    {
        var first = il.ReadByte();
        return first == 0xFE ? (ushort)(0xFE00 | il.ReadByte()) : first;
    }

    /// <summary>The operand that follows each opcode (ECMA-335 partition III).</summary>
    private static Operand OperandOf(ushort opcode) => opcode switch
    {
        0x0E or 0x0F or 0x10 or 0x11 or 0x12 or 0x13 or 0x1F or (>= 0x2B and <= 0x37) or 0xDE => Operand.Int8,
        0x20 or 0x22 or 0x72 /* ldstr: a user-string token */ or (>= 0x38 and <= 0x44) or 0xDD => Operand.Int32,
        0x21 or 0x23 => Operand.Int64,
        0x45 => Operand.Switch,
        0x27 or 0x28 or 0x29 or 0x6F or 0x70 or 0x71 or 0x73 or 0x74 or 0x75 or 0x79 or 0x7B or 0x7C or 0x7D or 0x7E or 0x7F
            or 0x80 or 0x81 or 0x8C or 0x8D or 0x8F or 0xA3 or 0xA4 or 0xA5 or 0xC2 or 0xC6 or 0xD0
            or 0xFE06 or 0xFE07 or 0xFE15 or 0xFE16 or 0xFE1C => Operand.Token,
        0xFE09 or 0xFE0A or 0xFE0B or 0xFE0C or 0xFE0D or 0xFE0E => Operand.Int16,
        0xFE12 or 0xFE19 => Operand.Int8,
        _ => Operand.None,
    };
}
