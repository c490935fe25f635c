using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace SdServerless.Functions.Tasks.Model;

/// <summary>Source-generated JSON for the API's requests and answers (fast cold start, Native AOT).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SubmitTaskRequest))]
[JsonSerializable(typeof(Dictionary<string, System.Text.Json.JsonElement>))]
[JsonSerializable(typeof(TaskView))]
[JsonSerializable(typeof(TaskListView))]
[JsonSerializable(typeof(TaskProgressEventView))]
[JsonSerializable(typeof(RuntimeListView))]
[JsonSerializable(typeof(CallerView))]
[JsonSerializable(typeof(OutputTextView))]
[JsonSerializable(typeof(GuidanceRequest))]
[JsonSerializable(typeof(GuidanceResponse))]
[JsonSerializable(typeof(CreateUploadRequest))]
[JsonSerializable(typeof(UploadView))]
[JsonSerializable(typeof(UsageView))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
public sealed partial class FunctionsJsonContext : JsonSerializerContext;
