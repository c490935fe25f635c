using System.Text.Json;
using System.Text.Json.Serialization;

namespace SdServerless.Contracts.Runtimes;

[JsonSourceGenerationOptions(ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, WriteIndented = true)]
[JsonSerializable(typeof(RuntimeCatalogDocument))]
public sealed partial class RuntimeCatalogJsonContext : JsonSerializerContext;
