using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using SdServerless.Functions.Callbacks.Sqs;
using SdServerless.Functions.Callbacks.Sweep;
using SdServerless.Functions.Hosting;

namespace SdServerless.Functions.Callbacks.Events;

/// <summary>
/// <c>POST /events</c>: SQS events and the scheduled sweep's EventBridge events, as the Lambda Web Adapter forwards
/// non-HTTP invocations (AWS_LWA_PASS_THROUGH_PATH) and as the local poller sends them. Mapped only where <c>Events:Enabled</c> or <c>Events:LocalPoller</c> is set.
/// </summary>
public static class EventsApi
{

    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<EventsOptions>().EndpointEnabled)
        {
            return app;
        }
        app.MapPost(EventSources.Path, HandleEvents)
            .WithName("HandleEvents")
            .WithSummary("Handle an SQS event of results or dead letters (answers the records to keep), or the sweep's schedule")
            .ExcludeFromDescription();
        return app;
    }

    public static async Task<Results<Ok<SqsBatchResponse>, Ok<SweepReport>, ProblemHttpResult>> HandleEvents(
        HttpRequest request, [FromServices] SqsBatchProcessor processor, [FromServices] QueuedTaskSweep sweep, CancellationToken cancellationToken)
    {
        if (request.Headers.ContainsKey(LambdaRequestContext.RequestContextHeader))
        {
            // Came through API Gateway: events are Lambda invocations, never HTTP requests from outside.
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "Events are not accepted over HTTP.");
        }
        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not an event", detail: ex.Message);
        }
        using (body)
        {
            if (ScheduledEvent.Is(body.RootElement))
            {
                // The template's schedule: the sweep of tasks whose message was never published.
                return TypedResults.Ok(await sweep.RunAsync(cancellationToken));
            }
            SqsEvent? sqsEvent;
            try
            {
                sqsEvent = body.RootElement.Deserialize(SqsEventJsonContext.Default.SqsEvent);
            }
            catch (JsonException ex)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not an SQS event", detail: ex.Message);
            }
            if (sqsEvent?.Records is null)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not an SQS event", detail: "The body has no Records.");
            }
            return TypedResults.Ok(await processor.ProcessAsync(sqsEvent, cancellationToken));
        }
    }
}
