using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SdServerless.Aws.Recording;
using SdServerless.Functions.Callbacks.Events;
using SdServerless.Functions.Hosting;
using SdServerless.Functions.Tests.Callbacks.Events;
using SdServerless.Functions.Tests.Infrastructure;
using SdServerless.LocalAws.Emulators;
using SdServerless.LocalAws.Iam;
using SdServerless.LocalAws.Templates;

namespace SdServerless.Functions.Tests.Quotas;

/// <summary>
/// The quota's AWS calls (slots and day counts taken, refused, given back, the stale-slot read, the releases by the
/// API's cancel and by the callback flow's result) recorded and decided against serverless.template's roles, as
/// decision 0311's check does for the end-to-end run, where no key has a quota.
/// </summary>
[Collection(ApiCollection.Name)]
public class QuotaPermissionTests(ApiFixture fixture)
{
    [Fact]
    public async Task EveryQuotaCallIsAllowedByTheRoleOfTheFunctionThatMakesIt()
    {
        var log = Path.Combine(Path.GetTempPath(), $"quota-calls-{Guid.NewGuid():N}.jsonl");
        var key = $"quota-roles-{Guid.NewGuid():N}";
        var owner = ApiKeyAuthenticator.OwnerOf(Encoding.UTF8.GetBytes(key));
        await using var app = fixture.CreateFactory(new Dictionary<string, string>
        {
            ["Api:ApiKeys:2"] = key,
            [$"Quotas:Owners:{owner}:MaxInFlight"] = "1",
            [$"Quotas:Owners:{owner}:MaxPerDay"] = "3",
            ["Events:Enabled"] = "true",
            ["Aws:CallLog"] = log,
            ["Aws:CallLogCaller"] = "api",
        }, services => services.AddSingleton<TimeProvider>(new MiddayClock()));
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("x-api-key", key);
        try
        {
            var first = await IdOfAsync(await SubmitAsync(client, HttpStatusCode.Accepted));
            await SubmitAsync(client, HttpStatusCode.TooManyRequests);
            (await client.DeleteAsync($"/v1/tasks/{first}")).EnsureSuccessStatusCode();
            var second = await IdOfAsync(await SubmitAsync(client, HttpStatusCode.Accepted));
            var task = (await fixture.Tasks.GetAsync(second, default))!;
            Assert.True(await fixture.Tasks.CompleteAsync(second, Contracts.Tasks.TaskStatuses.Succeeded, [], null, null, DateTimeOffset.UtcNow, default));
            var result = ResultMessages.Event(fixture.Stack.Resources["ResultsQueue"].Attributes["Arn"], ("m1", ResultMessages.Succeeded(task)));
            (await client.PostAsync("/events", new StringContent(result, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
            await SubmitAsync(client, HttpStatusCode.Accepted);
            await SubmitAsync(client, HttpStatusCode.TooManyRequests);

            var calls = AwsCallLog.Read(log);
            var serverless = new TemplateRoles(CloudFormationTemplate.Load(RepositoryLayout.ServerlessTemplate, StackIdentity.Local));
            var roles = new Dictionary<string, RolePermissions>
            {
                ["api"] = serverless.For("ApiFunction"),
                [SqsBatchProcessor.CallLogCaller] = serverless.For("CallbackFunctionRole"),
            };
            var denied = calls.Where(call => !roles[call.Caller].Decide(call).Allowed).ToList();
            Assert.True(denied.Count == 0, "AWS would deny: " + string.Join("; ", denied));
            Assert.Contains(calls, c => c is { Caller: "api", Action: "dynamodb:BatchGetItem" });
            Assert.Contains(calls, c => c is { Caller: SqsBatchProcessor.CallLogCaller, Action: "dynamodb:UpdateItem" });
        }
        finally
        {
            File.Delete(log);
        }
    }

    private static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, HttpStatusCode expected)
    {
        var response = await client.PostAsJsonAsync("/v1/tasks", new { prompt = "checked against the roles", width = 64, height = 64, steps = 2 });
        Assert.Equal(expected, response.StatusCode);
        return response;
    }

    private static async Task<string> IdOfAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
}
