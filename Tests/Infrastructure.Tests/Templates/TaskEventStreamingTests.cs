namespace SdServerless.Infrastructure.Tests.Templates;

/// <summary>
/// The task event stream is served streamed end to end on AWS (docs/decisions/0332): its route on the REST API is a
/// Lambda proxy integration in STREAM mode to a function whose Web Adapter streams, and the stream ends on its own
/// before either the function or API Gateway would cut it.
/// </summary>
public sealed class TaskEventStreamingTests(InfraTools tools) : IClassFixture<InfraTools>
{
    private const string EventsPath = "/v1/tasks/{id}/events";

    private async Task<JsonObject> ExpandAsync() => await new TemplateValidator(tools).ExpandAsync(RepositoryRoot.Combine("serverless.template"));

    private static JsonNode Properties(JsonObject template, string logicalId) => template["Resources"]![logicalId]!["Properties"]!;

    [Fact]
    public async Task TheEventsRouteIsAStreamingProxyIntegrationOfTheEventsFunctionBehindTheApiKey()
    {
        var template = await ExpandAsync();

        var route = Properties(template, "TasksApi")["DefinitionBody"]!["paths"]![EventsPath]!["get"]!;
        var integration = route["x-amazon-apigateway-integration"]!;
        Assert.Equal("aws_proxy", (string?)integration["type"]);
        Assert.Equal("POST", (string?)integration["httpMethod"]);
        Assert.Equal("STREAM", (string?)integration["responseTransferMode"]);
        Assert.InRange((int)integration["timeoutInMillis"]!, 29_000, 900_000);
        var uri = (string?)integration["uri"]!["Fn::Sub"];
        Assert.NotNull(uri);
        Assert.Contains(":lambda:path/2021-11-15/functions/${TaskEventsFunction.Arn}/response-streaming-invocations", uri, StringComparison.Ordinal);
        Assert.Contains(route["security"]!.AsArray(), s => s!.AsObject().ContainsKey("api_key"));
        Assert.Equal("x-api-key", (string?)Properties(template, "TasksApi")["DefinitionBody"]!["securityDefinitions"]!["api_key"]!["name"]);

        var permission = Properties(template, "TaskEventsFunctionApiPermission");
        Assert.Equal("apigateway.amazonaws.com", (string?)permission["Principal"]);
        Assert.Equal("TaskEventsFunction", (string?)permission["FunctionName"]!["Ref"]);
        Assert.EndsWith("/*/GET/v1/tasks/*/events", (string?)permission["SourceArn"]!["Fn::Sub"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheEventsFunctionStreamsAndEndsItsStreamBeforeItsTimeout()
    {
        var template = await ExpandAsync();

        var function = Properties(template, "TaskEventsFunction");
        var variables = function["Environment"]!["Variables"]!;
        Assert.Equal("response_stream", (string?)variables["AWS_LWA_INVOKE_MODE"]);
        var timeout = (int)function["Timeout"]!;
        var maxStream = int.Parse((string)variables["Live__MaxStreamSeconds"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(timeout, 60, 900);
        // Time left after the last event for the answer's end to be written before Lambda stops the function.
        Assert.InRange(maxStream, 1, timeout - 30);
        Assert.Equal("true", (string?)variables["Api__TrustApiGatewayKeys"]);
    }

    [Fact]
    public void TheStreamedRouteIsOneTheAppServes()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.Combine("Functions", "openapi", "v1.json")));

        Assert.True(document.RootElement.GetProperty("paths").TryGetProperty(EventsPath, out var path), $"the app's OpenAPI document has no {EventsPath}");
        Assert.True(path.TryGetProperty("get", out var get));
        Assert.True(get.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("text/event-stream", out _));
    }
}
