using SdServerless.Functions.Tasks.Views;

namespace SdServerless.Functions.Tests.Tasks.Views;

public class PngTextChunksTests
{
    [Fact]
    public async Task ReadsLatin1Utf8AndCompressedTextBeforeTheImageData()
    {
        var png = new TestPng()
            .Chunk("IHDR", new byte[13])
            .Text("parameters", "a lighthouse\nSteps: 4, Seed: 42")
            .InternationalText("Comment", "ein Leuchtturm – 灯台")
            .CompressedText("Software", "SdServerless")
            .Chunk("IDAT", [1, 2, 3])
            .Text("after", "never read")
            .ToArray();

        var text = await PngTextChunks.ReadAsync(new MemoryStream(png), CancellationToken.None);

        Assert.Equal("a lighthouse\nSteps: 4, Seed: 42", text["parameters"]);
        Assert.Equal("ein Leuchtturm – 灯台", text["Comment"]);
        Assert.Equal("SdServerless", text["Software"]);
        Assert.False(text.ContainsKey("after"));
    }

    [Fact]
    public async Task RefusesWhatIsNotAPng()
    {
        await Assert.ThrowsAsync<InvalidDataException>(() => PngTextChunks.ReadAsync(new MemoryStream("GIF89a-not-a-png"u8.ToArray()), CancellationToken.None));
    }

    [Fact]
    public async Task ATruncatedPngIsAnError()
    {
        var png = new TestPng().Chunk("IHDR", new byte[13]).ToArray()[..20];

        await Assert.ThrowsAsync<EndOfStreamException>(() => PngTextChunks.ReadAsync(new MemoryStream(png), CancellationToken.None));
    }
}
