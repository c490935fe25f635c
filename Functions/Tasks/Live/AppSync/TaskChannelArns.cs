using SdServerless.Aws;

namespace SdServerless.Functions.Tasks.Live.AppSync;

/// <summary>
/// The ARNs IAM authorizes channel calls on, for recorded calls: <c>appsync:EventConnect</c> on the API
/// (<c>arn:aws:appsync:{region}:{account}:apis/{apiId}</c>), publish and subscribe on its namespace
/// (<c>…/channelNamespace/{name}</c>).
/// </summary>
public static class TaskChannelArns
{
    public static string Api(TaskChannelOptions options, AwsConnection connection) =>
        $"arn:aws:appsync:{connection.Region}:{connection.CallLog?.Account ?? "*"}:apis/{options.ApiId ?? "*"}";

    public static string Namespace(TaskChannelOptions options, AwsConnection connection) =>
        $"{Api(options, connection)}/channelNamespace/{options.Namespace}";
}
