using System.Net;
using System.Xml.Linq;
using Amazon.Runtime;
using System.Diagnostics;
using SdServerless.Aws.Recording;
using SdServerless.Aws.Signing;
using SdServerless.Aws.Tracing;

namespace SdServerless.Aws.Sns;

/// <summary>
/// A small client for the SNS Query API (the AWS SDK's SNS package is not used): Publish, plus the calls
/// that provisioning needs. Requests are signed with SigV4, errors come back as <see cref="SnsException"/>,
/// and throttling, 5xx answers and network failures are retried with backoff. With a <see cref="AwsCallLog"/>, every
/// call is recorded as IAM authorizes it (<c>sns:Action</c> on the topic, or the subscription's topic).
/// </summary>
public sealed class SnsClient(HttpClient http, SnsClientOptions options, AWSCredentials credentials, TimeProvider? timeProvider = null, AwsCallLog? callLog = null)
{
    private const string ApiVersion = "2010-03-31";
    private static readonly XNamespace Ns = "http://sns.amazonaws.com/doc/2010-03-31/";
    private readonly SigV4Signer _signer = new("sns", options.Region);
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public Uri Endpoint => options.ServiceUrl ?? new Uri($"https://sns.{options.Region}.amazonaws.com/");

    /// <summary>
    /// Publishes one message in a producer span and returns its MessageId. The span's context travels twice: as the
    /// <c>traceparent</c> message attribute and as the <c>X-Amzn-Trace-Id</c> header, which SNS hands to SQS as
    /// <c>AWSTraceHeader</c> (values the caller set explicitly are kept).
    /// </summary>
    public async Task<string> PublishAsync(SnsPublishRequest request, CancellationToken cancellationToken = default)
    {
        using var activity = AwsSdkTracerProvider.StartClientSpan("SNS.Publish", ActivityKind.Producer);
        activity?.SetTag("messaging.system", "aws_sns");
        activity?.SetTag("messaging.destination.name", request.TopicArn[(request.TopicArn.LastIndexOf(':') + 1)..]);
        if (activity is not null)
        {
            request = WithTraceContext(request, activity);
        }
        var messageId = await PublishCoreAsync(request, cancellationToken);
        activity?.SetTag("messaging.message.id", messageId);
        return messageId;
    }

    private static SnsPublishRequest WithTraceContext(SnsPublishRequest request, Activity activity)
    {
        var attributes = new Dictionary<string, SnsMessageAttribute>(request.MessageAttributes);
        attributes.TryAdd("traceparent", SnsMessageAttribute.String(MessageTraceContext.TraceParent(activity)));
        if (activity.TraceStateString is { Length: > 0 } traceState)
        {
            attributes.TryAdd("tracestate", SnsMessageAttribute.String(traceState));
        }
        return request with { MessageAttributes = attributes, TraceHeader = request.TraceHeader ?? XRayTraceHeader.Format(activity.Context) };
    }

    private async Task<string> PublishCoreAsync(SnsPublishRequest request, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("TopicArn", request.TopicArn),
            new("Message", request.Message),
        };
        if (request.Subject is not null)
        {
            form.Add(new("Subject", request.Subject));
        }
        var index = 1;
        foreach (var (name, value) in request.MessageAttributes)
        {
            form.Add(new($"MessageAttributes.entry.{index}.Name", name));
            form.Add(new($"MessageAttributes.entry.{index}.Value.DataType", value.DataType));
            form.Add(new($"MessageAttributes.entry.{index}.Value.StringValue", value.StringValue));
            index++;
        }
        var result = await SendAsync("Publish", form, request.TraceHeader, cancellationToken);
        return Value(result, "MessageId");
    }

    /// <summary>Creates the topic, or returns the existing one's ARN (CreateTopic is idempotent).</summary>
    public async Task<string> CreateTopicAsync(string name, IReadOnlyDictionary<string, string>? attributes = null, CancellationToken cancellationToken = default)
    {
        var form = new List<KeyValuePair<string, string>> { new("Name", name) };
        AddEntries(form, "Attributes", attributes);
        var result = await SendAsync("CreateTopic", form, null, cancellationToken);
        return Value(result, "TopicArn");
    }

    public async Task<string> SubscribeAsync(
        string topicArn, string protocol, string endpoint, IReadOnlyDictionary<string, string>? attributes = null, CancellationToken cancellationToken = default)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("TopicArn", topicArn),
            new("Protocol", protocol),
            new("Endpoint", endpoint),
            new("ReturnSubscriptionArn", "true"),
        };
        AddEntries(form, "Attributes", attributes);
        var result = await SendAsync("Subscribe", form, null, cancellationToken);
        return Value(result, "SubscriptionArn");
    }

    public async Task<IReadOnlyList<SnsSubscription>> ListSubscriptionsByTopicAsync(string topicArn, CancellationToken cancellationToken = default)
    {
        var subscriptions = new List<SnsSubscription>();
        string? next = null;
        do
        {
            var form = new List<KeyValuePair<string, string>> { new("TopicArn", topicArn) };
            if (next is not null)
            {
                form.Add(new("NextToken", next));
            }
            var result = await SendAsync("ListSubscriptionsByTopic", form, null, cancellationToken);
            subscriptions.AddRange(result.Descendants(Ns + "member").Select(m => new SnsSubscription(
                (string?)m.Element(Ns + "SubscriptionArn") ?? "",
                (string?)m.Element(Ns + "Protocol") ?? "",
                (string?)m.Element(Ns + "Endpoint") ?? "",
                (string?)m.Element(Ns + "TopicArn") ?? topicArn)));
            next = (string?)result.Element(Ns + "NextToken");
        }
        while (!string.IsNullOrEmpty(next));
        return subscriptions;
    }

    public async Task<IReadOnlyDictionary<string, string>> GetSubscriptionAttributesAsync(string subscriptionArn, CancellationToken cancellationToken = default)
    {
        var result = await SendAsync("GetSubscriptionAttributes", [new("SubscriptionArn", subscriptionArn)], null, cancellationToken);
        return Entries(result);
    }

    public async Task<IReadOnlyDictionary<string, string>> GetTopicAttributesAsync(string topicArn, CancellationToken cancellationToken = default)
    {
        var result = await SendAsync("GetTopicAttributes", [new("TopicArn", topicArn)], null, cancellationToken);
        return Entries(result);
    }

    public Task SetSubscriptionAttributesAsync(string subscriptionArn, string name, string value, CancellationToken cancellationToken = default) =>
        SendAsync("SetSubscriptionAttributes",
            [new("SubscriptionArn", subscriptionArn), new("AttributeName", name), new("AttributeValue", value)], null, cancellationToken);

    private async Task<XElement> SendAsync(string action, List<KeyValuePair<string, string>> parameters, string? traceHeader, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>>(parameters.Count + 2) { new("Action", action), new("Version", ApiVersion) };
        form.AddRange(parameters);
        var body = System.Text.Encoding.UTF8.GetBytes(FormEncoding.Encode(form));
        callLog?.Record($"sns:{action}", Resource(parameters));

        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint);
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
            if (traceHeader is not null)
            {
                request.Headers.TryAddWithoutValidation("X-Amzn-Trace-Id", traceHeader);
            }
            var immutable = await credentials.GetCredentialsAsync();
            _signer.Sign(request, body, new SigningCredentials(immutable.AccessKey, immutable.SecretKey, immutable.UseToken ? immutable.Token : null), _time.GetUtcNow());

            SnsException failure;
            try
            {
                using var response = await http.SendAsync(request, cancellationToken);
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    var document = XDocument.Parse(text);
                    return document.Root?.Element(Ns + $"{action}Result") ?? document.Root ?? new XElement("empty");
                }
                failure = SnsException.FromResponse(action, response.StatusCode, text);
            }
            catch (HttpRequestException ex)
            {
                failure = new SnsException(action, "NetworkError", ex.Message, HttpStatusCode.ServiceUnavailable, isTransient: true, ex);
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                failure = new SnsException(action, "Timeout", ex.Message, HttpStatusCode.RequestTimeout, isTransient: true, ex);
            }

            if (!failure.IsTransient || attempt >= options.MaxAttempts)
            {
                throw failure;
            }
            await Task.Delay(Backoff(attempt), _time, cancellationToken);
        }
    }

    /// <summary>The ARN IAM checks: the topic, a subscription's topic (its ARN with the subscription id cut off), or a new topic by name.</summary>
    private string Resource(List<KeyValuePair<string, string>> parameters)
    {
        string? Parameter(string name) => parameters.FirstOrDefault(p => p.Key == name).Value;
        return Parameter("TopicArn")
            ?? (Parameter("SubscriptionArn") is { } subscription ? subscription[..subscription.LastIndexOf(':')] : null)
            ?? (Parameter("Name") is { } name && callLog is not null ? $"arn:aws:sns:{callLog.Region}:{callLog.Account}:{name}" : "*");
    }

    private TimeSpan Backoff(int attempt)
    {
        var ceiling = options.BaseRetryDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Min(ceiling, 5_000));
    }

    private static void AddEntries(List<KeyValuePair<string, string>> form, string prefix, IReadOnlyDictionary<string, string>? entries)
    {
        var index = 1;
        foreach (var (key, value) in entries ?? new Dictionary<string, string>())
        {
            form.Add(new($"{prefix}.entry.{index}.key", key));
            form.Add(new($"{prefix}.entry.{index}.value", value));
            index++;
        }
    }

    private static Dictionary<string, string> Entries(XElement result) =>
        result.Descendants(Ns + "entry").ToDictionary(
            e => (string?)e.Element(Ns + "key") ?? "",
            e => (string?)e.Element(Ns + "value") ?? "");

    private static string Value(XElement result, string name) =>
        (string?)result.Element(Ns + name) ?? throw new SnsException(result.Name.LocalName, "MalformedResponse", $"The response has no {name}.", HttpStatusCode.OK, isTransient: false);
}
