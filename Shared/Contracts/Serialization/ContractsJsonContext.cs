using System.Text.Json.Serialization;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Contracts.Serialization;

/// <summary>Source-generated JSON for every message contract; both ends use it.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GenerateImageRequested))]
[JsonSerializable(typeof(ImageGenerated))]
[JsonSerializable(typeof(TaskStarted))]
[JsonSerializable(typeof(TaskProgressed))]
[JsonSerializable(typeof(GenerationParameters))]
[JsonSerializable(typeof(List<TaskOutput>))]
[JsonSerializable(typeof(TaskError))]
[JsonSerializable(typeof(PromptTokenCounts))]
public sealed partial class ContractsJsonContext : JsonSerializerContext;
