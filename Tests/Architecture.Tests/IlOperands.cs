using System.Reflection.Metadata;

namespace SdServerless.Architecture.Tests;

/// <summary>Reads IL opcodes and tells what operand follows each.</summary>
internal static class IlOperands
{
    public static ushort ReadOpCode(ref BlobReader il)
    {
        var first = il.ReadByte();
        return first == 0xFE ? (ushort)(0xFE00 | il.ReadByte()) : first;
    }

    /// <summary>The operand that follows each opcode (ECMA-335 partition III).</summary>
    public static IlOperand Of(ushort opcode) => opcode switch
    {
        0x0E or 0x0F or 0x10 or 0x11 or 0x12 or 0x13 or 0x1F or (>= 0x2B and <= 0x37) or 0xDE => IlOperand.Int8,
        0x20 or 0x22 or 0x72 /* ldstr: a user-string token */ or (>= 0x38 and <= 0x44) or 0xDD => IlOperand.Int32,
        0x21 or 0x23 => IlOperand.Int64,
        0x45 => IlOperand.Switch,
        0x27 or 0x28 or 0x29 or 0x6F or 0x70 or 0x71 or 0x73 or 0x74 or 0x75 or 0x79 or 0x7B or 0x7C or 0x7D or 0x7E or 0x7F
            or 0x80 or 0x81 or 0x8C or 0x8D or 0x8F or 0xA3 or 0xA4 or 0xA5 or 0xC2 or 0xC6 or 0xD0
            or 0xFE06 or 0xFE07 or 0xFE15 or 0xFE16 or 0xFE1C => IlOperand.Token,
        0xFE09 or 0xFE0A or 0xFE0B or 0xFE0C or 0xFE0D or 0xFE0E => IlOperand.Int16,
        0xFE12 or 0xFE19 => IlOperand.Int8,
        _ => IlOperand.None,
    };
}
