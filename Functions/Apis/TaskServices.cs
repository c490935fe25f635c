using SdServerless.Aws.Tasks;
using SdServerless.Functions.Options;
using SdServerless.Functions.Submission;
using SdServerless.Functions.Validation;

namespace SdServerless.Functions.Apis;

/// <summary>What the task handlers need, bound with <c>[AsParameters]</c>.</summary>
public sealed record TaskServices(
    TaskSubmitter Submitter, SubmissionValidator Validator, TaskTable Tasks, TaskViewFactory Views, ApiOptions Options, TimeProvider Time);
