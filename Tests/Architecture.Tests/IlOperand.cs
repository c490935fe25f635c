namespace SdServerless.Architecture.Tests;

/// <summary>How many bytes follow an opcode, or whether a metadata token or a switch table does.</summary>
internal enum IlOperand
{
    None = 0,
    Int8 = 1,
    Int16 = 2,
    Int32 = 4,
    Int64 = 8,
    Token = -1,
    Switch = -2,
}
