using System.Buffers.Binary;
using SdServerless.GpuWorker.Diffusion.Faults;

namespace SdServerless.GpuWorker.Diffusion.Imaging;

/// <summary>
/// Width and height of a PNG (from its IHDR chunk) or a JPEG (from its SOFn segment), read from the header without
/// decoding, so that an image too large to decode is refused before any pixel buffer is allocated.
/// </summary>
public static class ImageHeader
{
    /// <summary>The default pixel limit for an input image: 4096 × 4096, about 50 MB once decoded as RGB.</summary>
    public const long DefaultMaxPixels = 4096L * 4096L;

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Refuses, as the task's fault, an image whose header cannot be read or whose width × height exceeds <paramref name="maxPixels"/>.</summary>
    public static (int Width, int Height) Check(ReadOnlySpan<byte> encoded, long maxPixels, string field)
    {
        var (width, height) = Read(encoded, field);
        if ((long)width * height > maxPixels)
        {
            throw new GenerationInputException("init_image_too_large",
                $"{field} is {width} × {height} pixels; the limit is {maxPixels} pixels (width × height).");
        }
        return (width, height);
    }

    /// <summary>The dimensions in the header of a PNG or JPEG; anything else is the task's fault.</summary>
    public static (int Width, int Height) Read(ReadOnlySpan<byte> encoded, string field)
    {
        var size = encoded.StartsWith(PngSignature) ? ReadPng(encoded)
            : encoded.Length >= 2 && encoded[0] == 0xFF && encoded[1] == 0xD8 ? ReadJpeg(encoded)
            : null;
        return size is { Width: > 0, Height: > 0 } found
            ? found
            : throw new GenerationInputException("invalid_init_image", $"{field} is not a PNG or JPEG whose header gives its width and height.");
    }

    private static (int Width, int Height)? ReadPng(ReadOnlySpan<byte> png)
    {
        // Signature (8), chunk length (4), "IHDR" (4), width (4, big-endian), height (4, big-endian).
        if (png.Length < 24 || !png.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            return null;
        }
        var width = BinaryPrimitives.ReadUInt32BigEndian(png.Slice(16, 4));
        var height = BinaryPrimitives.ReadUInt32BigEndian(png.Slice(20, 4));
        return width is 0 or > int.MaxValue || height is 0 or > int.MaxValue ? null : ((int)width, (int)height);
    }

    private static (int Width, int Height)? ReadJpeg(ReadOnlySpan<byte> jpeg)
    {
        var at = 2;
        while (at + 1 < jpeg.Length)
        {
            if (jpeg[at] != 0xFF)
            {
                return null;
            }
            var marker = jpeg[at + 1];
            if (marker == 0xFF)
            {
                at++; // fill byte
                continue;
            }
            at += 2;
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                continue; // markers without a length
            }
            if (marker is 0xD9 or 0xDA || at + 2 > jpeg.Length)
            {
                return null; // end of image or start of scan before any frame header
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg.Slice(at, 2));
            if (length < 2)
            {
                return null;
            }
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                // SOFn: length (2), precision (1), height (2), width (2).
                if (length < 7 || at + 7 > jpeg.Length)
                {
                    return null;
                }
                return (BinaryPrimitives.ReadUInt16BigEndian(jpeg.Slice(at + 5, 2)), BinaryPrimitives.ReadUInt16BigEndian(jpeg.Slice(at + 3, 2)));
            }
            at += length;
        }
        return null;
    }
}
