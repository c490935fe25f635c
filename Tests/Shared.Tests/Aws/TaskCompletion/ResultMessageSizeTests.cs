using System.Text.Json;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Runtimes;
using SdServerless.Contracts.Serialization;
using SdServerless.Contracts.Tasks;

namespace SdServerless.Shared.Tests.Aws.TaskCompletion;

/// <summary>The most outputs a runtime catalogue may allow still make a result message SNS accepts (256 KiB).</summary>
public sealed class ResultMessageSizeTests
{
    [Fact]
    public void TheLargestOutputCountACatalogueAllowsLeavesMostOfAnSnsMessageForTheCallersContext()
    {
        var id = new string('x', 64);
        var output = new TaskOutputLocation(new string('b', 63), "outputs/" + new string('p', 200));
        var outputs = Enumerable.Range(0, RuntimeWorkflows.MaxOutputsCeiling)
            .Select(i => new TaskOutput($"s3://{output.Bucket}/{output.ImageKey(id, i)}", long.MaxValue)).ToList();

        var message = ResultMessages.Create("comfyui", id, output, null, TaskStatuses.Succeeded, outputs, null, 1, 1, DateTimeOffset.UtcNow);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, ContractsJsonContext.Default.ImageGenerated).Length;

        Assert.True(bytes < 128 * 1024, $"{RuntimeWorkflows.MaxOutputsCeiling} outputs make a {bytes}-byte result; at most half of SNS's 256 KiB is theirs");
    }
}
