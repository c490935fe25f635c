using Amazon.DynamoDBv2.Model;
using SdServerless.Aws.TaskStore;
using SdServerless.Functions.Tasks.Views;

namespace SdServerless.Functions.Tests.Tasks.Views;

public class TaskPageCursorTests
{
    [Fact]
    public void CursorRoundTripsWithTheCallersOwner()
    {
        var key = new Dictionary<string, AttributeValue>
        {
            ["pk"] = new() { S = "abc" }, ["owner"] = new() { S = "someone" }, ["sk"] = new() { S = "2026-01-01T00:00:00.0000000Z#abc" },
        };

        var cursor = TaskPageCursor.Encode(key);
        var decoded = TaskPageCursor.TryDecode(cursor, "caller");

        Assert.NotNull(decoded);
        Assert.Equal("abc", decoded["pk"].S);
        Assert.Equal("2026-01-01T00:00:00.0000000Z#abc", decoded["sk"].S);
        Assert.Equal("caller", decoded["owner"].S);
        Assert.DoesNotContain("someone", cursor);
    }

    [Theory]
    [InlineData("")]
    [InlineData("!!!")]
    [InlineData("aGVsbG8")]
    public void ForeignCursorsAreRefused(string cursor) => Assert.Null(TaskPageCursor.TryDecode(cursor, "caller"));
}
