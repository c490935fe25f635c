using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using SdServerless.GpuWorker.Diffusion.Imaging;
using StbImageSharp;

namespace SdServerless.GpuWorker.Tests.Diffusion.Imaging;

public sealed class PngEncoderTests
{
    private static byte[] Gradient(int width, int height)
    {
        var rgb = new byte[width * height * 3];
        for (var i = 0; i < rgb.Length; i++)
        {
            rgb[i] = (byte)(i * 7 % 251);
        }

        return rgb;
    }

    [Fact]
    public void DecodesBackToTheSamePixels()
    {
        var rgb = Gradient(37, 19);
        var png = PngEncoder.Encode(rgb, 37, 19);
        var decoded = ImageResult.FromMemory(png, ColorComponents.RedGreenBlue);
        Assert.Equal(37, decoded.Width);
        Assert.Equal(19, decoded.Height);
        Assert.Equal(rgb, decoded.Data);
    }

    [Fact]
    public void EveryChunkHasAValidCrcAndTheLayoutIsIhdrTextIdatIend()
    {
        var png = PngEncoder.Encode(Gradient(8, 8), 8, 8, new Dictionary<string, string> { ["parameters"] = "a cat\nSteps: 20" });
        var chunks = ReadChunks(png);
        Assert.Equal(["IHDR", "tEXt", "IDAT", "IEND"], chunks.Select(chunk => chunk.Type));
        Assert.Equal("parameters\0a cat\nSteps: 20", Encoding.Latin1.GetString(chunks[1].Data));
    }

    [Fact]
    public void NonLatin1TextGoesIntoAnUtf8ItxtChunk()
    {
        var png = PngEncoder.Encode(Gradient(8, 8), 8, 8, new Dictionary<string, string> { ["parameters"] = "猫の写真 🐱" });
        var text = ReadChunks(png).Single(chunk => chunk.Type == "iTXt");
        Assert.Equal("parameters\0\0\0\0\0猫の写真 🐱", Encoding.UTF8.GetString(text.Data));
    }

    [Fact]
    public void WrongBufferSizeIsRefused() =>
        Assert.Throws<ArgumentException>(() => PngEncoder.Encode(new byte[10], 8, 8));

    private static List<(string Type, byte[] Data)> ReadChunks(byte[] png)
    {
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], png.Take(8));
        var chunks = new List<(string, byte[])>();
        for (var offset = 8; offset < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var typeAndData = png.AsSpan(offset + 4, 4 + length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            Assert.Equal(Crc32.HashToUInt32(typeAndData), crc);
            chunks.Add((Encoding.ASCII.GetString(typeAndData[..4]), typeAndData[4..].ToArray()));
            offset += 12 + length;
        }

        return chunks;
    }
}
