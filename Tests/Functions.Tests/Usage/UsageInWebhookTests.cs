using System.Text.Json;
using Amazon.S3;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Runtimes;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Callbacks.Webhooks;
using SdServerless.Functions.Tasks.Views;
using SdServerless.Functions.Tests.Infrastructure;
using SdServerless.Functions.Usage;

namespace SdServerless.Functions.Tests.Usage;

/// <summary>A webhook's body is the task as <c>GET /v1/tasks/{id}</c> shows it, so an ended task's webhook carries its usage.</summary>
[Collection(ApiCollection.Name)]
public class UsageInWebhookTests(ApiFixture fixture)
{
    [Fact]
    public void ACompletedWebhookCarriesTheTasksUsageAndCost()
    {
        var views = new TaskViewFactory(fixture.S3, Protocol.HTTP, TimeSpan.FromMinutes(5), TimeProvider.System,
            new UsageCalculator(RuntimeCatalog.Load(ApiFixture.CatalogPath)));
        var created = DateTimeOffset.Parse("2026-03-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var task = new TaskRecord
        {
            Id = "01usagewebhook",
            Owner = "key-owner",
            Status = TaskStatuses.Succeeded,
            Runtime = "sdruntime",
            TaskType = TaskTypes.TextToImage,
            RequestJson = """{"parameters":{"width":512,"height":768}}""",
            RequestHash = "hash",
            Output = new TaskOutputLocation(fixture.OutputBucket, "outputs"),
            CreatedAt = created,
            StartedAt = created.AddSeconds(3),
            FinishedAt = created.AddSeconds(13),
            Outputs = [new TaskOutput($"s3://{fixture.OutputBucket}/outputs/01usagewebhook/01usagewebhook-0.png", 5)],
            ExpiresAt = 0,
        };

        using var body = JsonDocument.Parse(WebhookPayload.Create("completed", views.Create(task)));

        var usage = body.RootElement.GetProperty("usage");
        Assert.Equal(3000, usage.GetProperty("queue_ms").GetInt64());
        Assert.Equal(10000, usage.GetProperty("run_ms").GetInt64());
        Assert.Equal(5.0, usage.GetProperty("gpu_seconds").GetDouble());
        Assert.Equal(1, usage.GetProperty("images").GetInt32());
        Assert.Equal(512L * 768, usage.GetProperty("pixels").GetInt64());
        Assert.Equal(0.0025m, usage.GetProperty("cost_usd").GetDecimal());
    }
}
