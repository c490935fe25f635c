using SdServerless.Aws.TaskCompletion;
using SdServerless.Aws.TaskStore;
using SdServerless.Contracts.Messages;
using SdServerless.Contracts.Tasks;
using SdServerless.TestSupport;

namespace SdServerless.Shared.Tests.Aws.TaskCompletion;

/// <summary>Ending a task and publishing its end once, against the emulated table, results topic and results queue.</summary>
public sealed class TaskCompleterTests(LocalAwsFixture fixture) : IClassFixture<LocalAwsFixture>, IDisposable
{
    private readonly TaskSeeder _tasks = new(fixture.Stack);
    private readonly HttpClient _http = new();

    private TaskCompleter Completer() => new(
        _tasks.Table,
        new ResultPublications(fixture.Stack.Connection.CreateDynamoDbClient(), fixture.Stack.Resources["TasksTable"].Ref),
        new ResultTopic(fixture.Stack.Connection.CreateSnsClient(_http), fixture.Stack.Resources["ResultsTopic"].Ref),
        TimeProvider.System);

    [Fact]
    public async Task OnlyTheFirstEndCountsAndItsResultIsPublishedOnce()
    {
        var task = await _tasks.RecordAsync(TaskSeeder.Quick);
        var completer = Completer();

        var first = await completer.CompleteAsync(task.Id, TaskEnd.Failed(new TaskError("first_end", "the first end")), result: null, CancellationToken.None);
        var second = await completer.CompleteAsync(task.Id, TaskEnd.Failed(new TaskError("second_end", "a later end")), result: null, CancellationToken.None);
        var republished = await completer.PublishEndOnceAsync(task.Id, CancellationToken.None);

        Assert.True(first.EndedHere);
        Assert.Equal("first_end", first.Published?.Error?.Code);
        Assert.False(second.EndedHere);
        Assert.Null(second.Published);
        Assert.Null(republished);
        Assert.Equal("first_end", (await _tasks.GetAsync(task.Id))!.Error?.Code);
        var published = Assert.Single(await _tasks.ResultsForAsync(task.Id));
        Assert.Equal(TaskStatuses.Failed, published.State);
        Assert.Equal("first_end", published.Error?.Code);
    }

    [Fact]
    public async Task AnEndFoundUnpublishedIsPublishedByWhoeverFindsIt()
    {
        var task = await _tasks.RecordAsync(TaskSeeder.Quick);
        // Ended by another writer that crashed before it published (the table alone knows the end).
        Assert.True(await _tasks.Table.CompleteAsync(task.Id, TaskStatuses.Canceled, [], null, null, DateTimeOffset.UtcNow, CancellationToken.None));

        var outcome = await Completer().CompleteAsync(task.Id, TaskEnd.Succeeded([]), result: null, CancellationToken.None);

        Assert.False(outcome.EndedHere);
        Assert.Equal(TaskStatuses.Canceled, outcome.Published?.State);
        var published = Assert.Single(await _tasks.ResultsForAsync(task.Id));
        Assert.Equal(TaskStatuses.Canceled, published.State);
    }

    [Fact]
    public async Task TheTokensOfAnEndAreRecordedAndAResultRebuiltFromTheTableCarriesThem()
    {
        var task = await _tasks.RecordAsync(TaskSeeder.Quick);

        var outcome = await Completer().CompleteAsync(task.Id, TaskEnd.Succeeded([], new PromptTokenCounts(76, 2, 154)), result: null, CancellationToken.None);

        Assert.True(outcome.EndedHere);
        Assert.Equal(new PromptTokenCounts(76, 2, 154), (await _tasks.GetAsync(task.Id))!.PromptTokens);
        var published = Assert.Single(await _tasks.ResultsForAsync(task.Id));
        Assert.Equal(new PromptTokenCounts(76, 2, 154), published.PromptTokens);
    }

    public void Dispose()
    {
        _tasks.Dispose();
        _http.Dispose();
    }
}
