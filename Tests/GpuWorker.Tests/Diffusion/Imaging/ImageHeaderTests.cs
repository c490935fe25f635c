using SdServerless.GpuWorker.Diffusion.Faults;
using SdServerless.GpuWorker.Diffusion.Imaging;

namespace SdServerless.GpuWorker.Tests.Diffusion.Imaging;

/// <summary>Image sizes read from PNG and JPEG headers, so that huge images are refused before any decoding.</summary>
public sealed class ImageHeaderTests
{
    [Fact]
    public void PngSizeComesFromIhdr()
    {
        var png = PngEncoder.Encode(new byte[3 * 5 * 3], 5, 3);

        Assert.Equal((5, 3), ImageHeader.Read(png, "init image"));
    }

    [Theory]
    [InlineData(0xC0)]
    [InlineData(0xC2)]
    public void JpegSizeComesFromTheFrameHeader(byte sofMarker) =>
        Assert.Equal((640, 480), ImageHeader.Read(CraftedImageHeaders.Jpeg(640, 480, sofMarker), "init image"));

    [Fact]
    public void APngStating14000Squared_IsRefusedFromA33ByteFile()
    {
        // 33 bytes with no pixel data: a decoder would fail on the missing data, not on the size, so the code shows
        // that the header was checked first and nothing was decoded.
        var error = Assert.Throws<GenerationInputException>(() => ImageHeader.Check(CraftedImageHeaders.Png(14000, 14000), ImageHeader.DefaultMaxPixels, "init_images[0]"));

        Assert.Equal("init_image_too_large", error.Code);
        Assert.Equal("init_images[0] is 14000 × 14000 pixels; the limit is 16777216 pixels (width × height).", error.Message);
    }

    [Fact]
    public void AJpegStating14000Squared_IsRefused()
    {
        var error = Assert.Throws<GenerationInputException>(() => ImageHeader.Check(CraftedImageHeaders.Jpeg(14000, 14000, 0xC2), ImageHeader.DefaultMaxPixels, "init_images[0]"));

        Assert.Equal("init_image_too_large", error.Code);
        Assert.Contains("14000 × 14000", error.Message);
    }

    [Fact]
    public void AnImageAtTheLimitPasses() =>
        Assert.Equal((4096, 4096), ImageHeader.Check(CraftedImageHeaders.Png(4096, 4096), ImageHeader.DefaultMaxPixels, "init image"));

    public static TheoryData<byte[]> Unreadable => new()
    {
        Array.Empty<byte>(),
        "not an image"u8.ToArray(),
        CraftedImageHeaders.Png(14000, 14000)[..20],
        CraftedImageHeaders.Png(0, 10),
        new byte[] { 0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02 },
        CraftedImageHeaders.Jpeg(640, 480)[..24],
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public void AHeaderThatCannotBeReadIsTheTasksFault(byte[] encoded)
    {
        var error = Assert.Throws<GenerationInputException>(() => ImageHeader.Check(encoded, ImageHeader.DefaultMaxPixels, "init_images[0]"));

        Assert.Equal("invalid_init_image", error.Code);
        Assert.Equal("init_images[0] is not a PNG or JPEG whose header gives its width and height.", error.Message);
    }
}
