using System.Net.Http.Json;
using System.Text.Json;
using SdServerless.Contracts.Messages;
using SdServerless.Functions.Tests.Infrastructure;
using SdServerless.ServiceDefaults.Telemetry;

namespace SdServerless.Functions.Tests.Hosting;

/// <summary>On Lambda the invocation's X-Ray trace (forwarded in <c>x-amzn-lambda-context</c>) parents the request, so the task joins it.</summary>
[Collection(ApiCollection.Name)]
public class LambdaTraceParentTests(ApiFixture fixture)
{
    private const string XRayTrace = "Root=1-6745a3b1-5f0e4c2a9d8b7a6c5e4d3c2b;Parent=1a2b3c4d5e6f7a8b;Sampled=1";
    private static readonly string LambdaContext = JsonSerializer.Serialize(new
    {
        request_id = "c6af9ac6-7b61-11e6-9a41-93e812345678",
        deadline = 1700000000000,
        invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:api",
        xray_trace_id = XRayTrace,
    });

    [Fact]
    public void PropagatorReadsTheXRayTraceFromTheLambdaContext()
    {
        var parent = LambdaTraceContextPropagator.TraceOf(LambdaContext);

        Assert.Equal("6745a3b15f0e4c2a9d8b7a6c5e4d3c2b", parent!.Value.TraceId.ToHexString());
        Assert.Equal("1a2b3c4d5e6f7a8b", parent.Value.SpanId.ToHexString());
        Assert.Null(LambdaTraceContextPropagator.TraceOf("{\"request_id\":\"x\"}"));
        Assert.Null(LambdaTraceContextPropagator.TraceOf("not json"));
    }

    [Fact]
    public async Task TaskSubmittedOnLambdaCarriesTheInvocationsTrace()
    {
        using var client = fixture.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/tasks") { Content = ApiFixture.Json(new { prompt = "traced by lambda" }) };
        request.Headers.TryAddWithoutValidation(LambdaTraceContextPropagator.HeaderName, LambdaContext);

        using var response = await client.SendAsync(request);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var message = await QueueProbe.WaitForTaskAsync(fixture.Sqs, fixture.RuntimeQueueUrl, id);

        Assert.Equal("6745a3b15f0e4c2a9d8b7a6c5e4d3c2b", message.MessageAttributes[MessageAttributeNames.TraceParent].StringValue.Split('-')[1]);
    }
}
