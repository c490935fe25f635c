using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;

namespace SdServerless.GpuWorker.Diffusion.Imaging;

/// <summary>
/// Writes 8-bit RGB PNGs (RFC 2083): IHDR, the text chunks (tEXt when the text is Latin-1, else uncompressed iTXt),
/// one zlib IDAT with the Sub filter on every row, IEND.
/// </summary>
public static class PngEncoder
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <param name="rgb">Row-major RGB bytes, <c>width * height * 3</c> long.</param>
    public static byte[] Encode(ReadOnlySpan<byte> rgb, int width, int height, IReadOnlyDictionary<string, string>? text = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var stride = width * 3;
        if (rgb.Length != stride * height)
        {
            throw new ArgumentException($"Expected {stride * height} RGB bytes for {width}x{height}, got {rgb.Length}", nameof(rgb));
        }

        using var output = new MemoryStream(rgb.Length / 2 + 1024);
        output.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: truecolour
        header[10] = 0; // deflate
        header[11] = 0; // adaptive filtering
        header[12] = 0; // no interlace
        WriteChunk(output, "IHDR"u8, header);

        foreach (var (keyword, value) in text ?? new Dictionary<string, string>())
        {
            WriteChunk(output, IsLatin1(value) ? "tEXt"u8 : "iTXt"u8, TextChunkData(keyword, value));
        }

        WriteChunk(output, "IDAT"u8, Compress(rgb, stride, height));
        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    private static byte[] Compress(ReadOnlySpan<byte> rgb, int stride, int height)
    {
        using var compressed = new MemoryStream(rgb.Length / 2 + 64);
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            var row = new byte[stride + 1];
            row[0] = 1; // filter type Sub: each byte minus the byte 3 to its left
            for (var y = 0; y < height; y++)
            {
                var line = rgb.Slice(y * stride, stride);
                for (var x = 0; x < stride; x++)
                {
                    row[x + 1] = x < 3 ? line[x] : (byte)(line[x] - line[x - 3]);
                }

                zlib.Write(row);
            }
        }

        return compressed.ToArray();
    }

    private static byte[] TextChunkData(string keyword, string value)
    {
        if (keyword.Length is < 1 or > 79 || !IsLatin1(keyword))
        {
            throw new ArgumentException($"PNG text keyword '{keyword}' must be 1-79 Latin-1 characters", nameof(keyword));
        }

        if (IsLatin1(value))
        {
            // tEXt: keyword NUL text, both Latin-1
            return [.. Encoding.Latin1.GetBytes(keyword), 0, .. Encoding.Latin1.GetBytes(value)];
        }

        // iTXt: keyword NUL, compression flag 0, method 0, empty language tag NUL, empty translated keyword NUL, UTF-8 text
        return [.. Encoding.Latin1.GetBytes(keyword), 0, 0, 0, 0, 0, .. Encoding.UTF8.GetBytes(value)];
    }

    private static bool IsLatin1(string value)
    {
        foreach (var c in value)
        {
            if (c > 0xFF)
            {
                return false;
            }
        }

        return true;
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        output.Write(type);
        output.Write(data);
        var crc = new Crc32();
        crc.Append(type);
        crc.Append(data);
        Span<byte> checksum = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(checksum, crc.GetCurrentHashAsUInt32());
        output.Write(checksum);
    }
}
