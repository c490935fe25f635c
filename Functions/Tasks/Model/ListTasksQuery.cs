using Microsoft.AspNetCore.Mvc;

namespace SdServerless.Functions.Tasks.Model;

/// <summary>Query of <c>GET /v1/tasks</c>; strings here so that a bad value is a named validation error, not a binding failure.</summary>
public sealed class ListTasksQuery
{
    /// <summary>Page size, 1 to 100 (default 20).</summary>
    [FromQuery(Name = "limit")] public string? Limit { get; set; }

    /// <summary><c>next_cursor</c> of the previous page.</summary>
    [FromQuery(Name = "cursor")] public string? Cursor { get; set; }

    /// <summary>Only tasks in this status.</summary>
    [FromQuery(Name = "status")] public string? Status { get; set; }
}
