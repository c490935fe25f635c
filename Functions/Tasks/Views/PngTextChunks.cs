using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace SdServerless.Functions.Tasks.Views;

/// <summary>
/// Reads a PNG's text chunks (RFC 2083 tEXt, zTXt and iTXt): where the worker writes the AUTOMATIC1111 infotext, under
/// the keyword <c>parameters</c>. Reading stops at the first IDAT (text chunks precede the image data in the worker's
/// PNGs), so only the head of the object is downloaded.
/// </summary>
public static class PngTextChunks
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private const int MaxTextChunkBytes = 1024 * 1024;

    /// <summary>Keyword → text; throws <see cref="InvalidDataException"/> when the stream is not a PNG.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ReadAsync(Stream png, CancellationToken cancellationToken)
    {
        var head = new byte[8];
        await png.ReadExactlyAsync(head, cancellationToken);
        if (!head.AsSpan().SequenceEqual(Signature))
        {
            throw new InvalidDataException("Not a PNG: the signature does not match.");
        }
        var text = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            await png.ReadExactlyAsync(head, cancellationToken);
            var length = BinaryPrimitives.ReadUInt32BigEndian(head);
            var type = Encoding.ASCII.GetString(head, 4, 4);
            if (type is "IDAT" or "IEND")
            {
                return text;
            }
            if (type is "tEXt" or "zTXt" or "iTXt" && length <= MaxTextChunkBytes)
            {
                var data = new byte[length];
                await png.ReadExactlyAsync(data, cancellationToken);
                if (Decode(type, data) is { } entry)
                {
                    text[entry.Keyword] = entry.Text;
                }
                await png.ReadExactlyAsync(head.AsMemory(0, 4), cancellationToken); // CRC
                continue;
            }
            await Skip(png, length + 4L, cancellationToken);
        }
    }

    private static (string Keyword, string Text)? Decode(string type, byte[] data)
    {
        var end = Array.IndexOf(data, (byte)0);
        if (end <= 0)
        {
            return null;
        }
        var keyword = Encoding.Latin1.GetString(data, 0, end);
        var rest = data.AsSpan(end + 1);
        switch (type)
        {
            case "tEXt":
                return (keyword, Encoding.Latin1.GetString(rest));
            case "zTXt":
                return rest.Length > 1 ? (keyword, Encoding.Latin1.GetString(Inflate(rest[1..]))) : null;
            default:
                // iTXt: compression flag, method, language tag NUL, translated keyword NUL, UTF-8 text.
                if (rest.Length < 2)
                {
                    return null;
                }
                var compressed = rest[0] == 1;
                var fields = rest[2..];
                var language = fields.IndexOf((byte)0);
                if (language < 0)
                {
                    return null;
                }
                var translated = fields[(language + 1)..].IndexOf((byte)0);
                if (translated < 0)
                {
                    return null;
                }
                var body = fields[(language + 1 + translated + 1)..];
                return (keyword, Encoding.UTF8.GetString(compressed ? Inflate(body) : body));
        }
    }

    private static byte[] Inflate(ReadOnlySpan<byte> zlib)
    {
        using var input = new MemoryStream(zlib.ToArray());
        using var inflate = new ZLibStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        inflate.CopyTo(output);
        return output.ToArray();
    }

    private static async Task Skip(Stream png, long count, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        while (count > 0)
        {
            var read = await png.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken);
            if (read == 0)
            {
                throw new EndOfStreamException("The PNG ends inside a chunk.");
            }
            count -= read;
        }
    }
}
