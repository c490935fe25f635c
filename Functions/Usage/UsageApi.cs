using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using SdServerless.Contracts.Tasks;
using SdServerless.Functions.Hosting;
using SdServerless.Functions.Tasks.Model;
using SdServerless.Functions.Tasks.Validation;

namespace SdServerless.Functions.Usage;

public static class UsageApi
{
    /// <summary>The longest range one request may sum.</summary>
    public const int MaxDays = 92;

    private static readonly IReadOnlyList<string> Ended = [TaskStatuses.Succeeded, TaskStatuses.Failed, TaskStatuses.Canceled];

    public static IEndpointRouteBuilder MapUsageApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/usage", GetUsage)
            .AddEndpointFilter<RequireApiKeyFilter>()
            .WithTags("Usage")
            .WithName("GetUsage")
            .WithSummary("The caller's usage and estimated cost per day and runtime")
            .WithDescription("Sums the usage of the caller's ended tasks created from 'from' to 'to' (UTC dates, both included; default: today), read from the by-owner index.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    public static async Task<Results<Ok<UsageView>, ProblemHttpResult>> GetUsage(
        HttpContext context, [AsParameters] UsageQuery query, [FromServices] OwnerTaskRange tasks, [FromServices] UsageCalculator usage,
        [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var from = ParseDate(query.From, "from", today, errors);
        var to = ParseDate(query.To, "to", today, errors);
        if (errors.IsEmpty && (to < from || to.DayNumber - from.DayNumber >= MaxDays))
        {
            errors.Add("to", $"must be on or after 'from' and at most {MaxDays - 1} days after it.");
        }
        if (!errors.IsEmpty)
        {
            return ValidationProblems.From(errors);
        }

        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var days = new Dictionary<(string Date, string Runtime), UsageDayView>();
        await foreach (var task in tasks.ReadAsync(CallerFeature.OwnerOf(context), start, end, NullIfEmpty(query.Runtime), Ended, cancellationToken))
        {
            if (usage.For(task) is not { } used)
            {
                continue;
            }
            var key = (task.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), task.Runtime);
            days[key] = Add(days.GetValueOrDefault(key) ?? Empty(key.Item1, key.Runtime), used);
        }
        var ordered = days.Values.OrderBy(d => d.Date, StringComparer.Ordinal).ThenBy(d => d.Runtime, StringComparer.Ordinal).ToList();
        var total = ordered.Aggregate(Empty("", NullIfEmpty(query.Runtime) ?? "*"), (sum, day) => sum with
        {
            Tasks = sum.Tasks + day.Tasks,
            Images = sum.Images + day.Images,
            Pixels = sum.Pixels + day.Pixels,
            RunMs = sum.RunMs + day.RunMs,
            GpuSeconds = Math.Round(sum.GpuSeconds + day.GpuSeconds, 3),
            CostUsd = sum.CostUsd + day.CostUsd,
        });
        return TypedResults.Ok(new UsageView(Format(from), Format(to), ordered, total));
    }

    private static UsageDayView Add(UsageDayView day, TaskUsageView used) => day with
    {
        Tasks = day.Tasks + 1,
        Images = day.Images + used.Images,
        Pixels = day.Pixels + used.Pixels,
        RunMs = day.RunMs + used.RunMs,
        GpuSeconds = Math.Round(day.GpuSeconds + used.GpuSeconds, 3),
        CostUsd = day.CostUsd + (used.CostUsd ?? 0m),
    };

    private static UsageDayView Empty(string date, string runtime) => new(date, runtime, 0, 0, 0, 0, 0, 0m);

    private static DateOnly ParseDate(string? value, string field, DateOnly fallback, ValidationErrors errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return fallback;
        }
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }
        errors.Add(field, "must be a date, YYYY-MM-DD (UTC).");
        return fallback;
    }

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
