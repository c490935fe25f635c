using Microsoft.AspNetCore.Mvc;

namespace SdServerless.Functions.Usage;

/// <summary>Query of <c>GET /v1/usage</c>; strings so that a bad value is a named validation error, not a binding failure.</summary>
public sealed class UsageQuery
{
    /// <summary>First day, <c>YYYY-MM-DD</c> (UTC); default today.</summary>
    [FromQuery(Name = "from")] public string? From { get; set; }

    /// <summary>Last day, included; default today.</summary>
    [FromQuery(Name = "to")] public string? To { get; set; }

    /// <summary>Only this runtime.</summary>
    [FromQuery(Name = "runtime")] public string? Runtime { get; set; }
}
