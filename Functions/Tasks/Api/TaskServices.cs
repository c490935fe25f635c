using Microsoft.AspNetCore.Mvc;
using SdServerless.Aws.TaskStore;
using SdServerless.Functions.Hosting;
using SdServerless.Functions.Quotas;
using SdServerless.Functions.Tasks.Submission;
using SdServerless.Functions.Tasks.Validation;
using SdServerless.Functions.Tasks.Views;
using SdServerless.Functions.Uploads;

namespace SdServerless.Functions.Tasks.Api;

/// <summary>What the task handlers need, bound with <c>[AsParameters]</c>; marked <c>[FromServices]</c> so that the build-time handler generator never mistakes one for the body.</summary>
public sealed record TaskServices(
    [FromServices] TaskSubmitter Submitter,
    [FromServices] SubmissionValidator Validator,
    [FromServices] TaskTable Tasks,
    [FromServices] StoredRequestReader StoredRequests,
    [FromServices] TaskListing Listing,
    [FromServices] TaskViewFactory Views,
    [FromServices] UploadReferences Uploads,
    [FromServices] QuotaGate Quotas,
    [FromServices] ApiOptions Options,
    [FromServices] TimeProvider Time);
