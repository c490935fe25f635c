using System.Reflection;
using System.Security.Cryptography;

namespace SdServerless.Functions.Console;

/// <summary>
/// The console's files, embedded by the build as <c>console/&lt;name&gt;</c> resources (Functions.csproj, target
/// <c>EmbedConsole</c>): the static HTML and CSS, and the scripts compiled from <c>Console/src</c>.
/// </summary>
public sealed class ConsoleAssets
{
    public const string IndexFile = "index.html";
    private const string ResourcePrefix = "console/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
    };

    private readonly Dictionary<string, ConsoleAsset> _assets;

    public ConsoleAssets(Assembly assembly, ILogger<ConsoleAssets> logger)
    {
        _assets = new(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            var type = ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream");
            _assets[name[ResourcePrefix.Length..]] = new ConsoleAsset(content, type, $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"");
        }
        if (!_assets.ContainsKey(IndexFile))
        {
            logger.LogWarning("The console's {IndexFile} is not embedded in {Assembly}; /console answers 404", IndexFile, assembly.GetName().Name);
        }
    }

    /// <summary>The file with this name, or null (names are flat: the console has no folders).</summary>
    public ConsoleAsset? Find(string name) => _assets.GetValueOrDefault(name);
}
