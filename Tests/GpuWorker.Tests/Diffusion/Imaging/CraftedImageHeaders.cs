using System.Buffers.Binary;

namespace SdServerless.GpuWorker.Tests.Diffusion.Imaging;

/// <summary>Tiny files holding only an image header, whose stated size may be far larger than the file.</summary>
public static class CraftedImageHeaders
{
    /// <summary>A PNG signature and an IHDR chunk (8-bit RGB) stating <paramref name="width"/> × <paramref name="height"/>; no pixel data.</summary>
    public static byte[] Png(uint width, uint height)
    {
        var png = new byte[33];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(png, 0);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(8), 13);
        "IHDR"u8.CopyTo(png.AsSpan(12));
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(16), width);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(20), height);
        png[24] = 8;
        png[25] = 2;
        return png;
    }

    /// <summary>SOI, an APP0 segment, then a frame header of the given SOF marker stating <paramref name="width"/> × <paramref name="height"/>.</summary>
    public static byte[] Jpeg(ushort width, ushort height, byte sofMarker = 0xC0)
    {
        var jpeg = new List<byte> { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10 };
        jpeg.AddRange("JFIF\0"u8.ToArray());
        jpeg.AddRange(new byte[9]);
        jpeg.AddRange([0xFF, sofMarker, 0x00, 0x11, 0x08, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 0x03]);
        jpeg.AddRange(new byte[9]);
        return [.. jpeg];
    }
}
