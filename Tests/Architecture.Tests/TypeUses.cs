using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace SdServerless.Architecture.Tests;

/// <summary>Collects the assembly's own types that one type definition names anywhere.</summary>
internal sealed class TypeUses(MetadataReader reader, PEReader pe)
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
            var opcode = IlOperands.ReadOpCode(ref il);
            switch (IlOperands.Of(opcode))
            {
                case IlOperand.Token:
                    AddToken(used, MetadataTokens.EntityHandle(il.ReadInt32()));
                    break;
                case IlOperand.Switch:
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
