using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace SdServerless.Functions.Tests.Tasks.Views;

/// <summary>Builds small PNG byte streams chunk by chunk (CRCs left zero: the reader does not check them).</summary>
public sealed class TestPng
{
    private readonly MemoryStream _bytes = new();

    public TestPng() => _bytes.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);

    public TestPng Chunk(string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)data.Length);
        _bytes.Write(length);
        _bytes.Write(Encoding.ASCII.GetBytes(type));
        _bytes.Write(data);
        _bytes.Write(new byte[4]);
        return this;
    }

    public TestPng Text(string keyword, string text) => Chunk("tEXt", [.. Encoding.Latin1.GetBytes(keyword), 0, .. Encoding.Latin1.GetBytes(text)]);

    public TestPng InternationalText(string keyword, string text) =>
        Chunk("iTXt", [.. Encoding.Latin1.GetBytes(keyword), 0, 0, 0, 0, 0, .. Encoding.UTF8.GetBytes(text)]);

    public TestPng CompressedText(string keyword, string text) => Chunk("zTXt", [.. Encoding.Latin1.GetBytes(keyword), 0, 0, .. Deflate(Encoding.Latin1.GetBytes(text))]);

    public byte[] ToArray() => _bytes.ToArray();

    private static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(data);
        }
        return output.ToArray();
    }
}
