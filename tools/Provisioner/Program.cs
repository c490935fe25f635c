using Microsoft.Extensions.Logging;
using SdServerless.Aws;
using SdServerless.LocalAws.Emulators;
using SdServerless.LocalAws.Provisioning;
using SdServerless.LocalAws.Templates;

// Creates the resources of serverless.template in the emulators that AWS_ENDPOINT_URL* point at.
//   SdServerless.Provisioner [--template PATH] [--parameter Name=Value ...]
using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(options => options.SingleLine = true));
var logger = loggerFactory.CreateLogger("provision");

var templatePath = RepositoryLayout.ServerlessTemplate;
var parameters = new Dictionary<string, string>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--template" when i + 1 < args.Length:
            templatePath = args[++i];
            break;
        case "--parameter" when i + 1 < args.Length && args[i + 1].Contains('='):
            var pair = args[++i].Split('=', 2);
            parameters[pair[0]] = pair[1];
            break;
        default:
            logger.LogError("Unknown argument {Argument}. Usage: [--template PATH] [--parameter Name=Value ...]", args[i]);
            return 2;
    }
}

try
{
    var template = CloudFormationTemplate.Load(templatePath, StackIdentity.Local, parameters);
    var connection = AwsConnection.FromEnvironment(Environment.GetEnvironmentVariable);
    using var http = new HttpClient();
    using var context = new ProvisioningContext(connection, template.Stack, http);
    var report = await new LocalProvisioner(context, logger).ProvisionAsync(template);
    logger.LogInformation("Provisioned {Count} resources from {Template}", report.Resources.Count, templatePath);
    return 0;
}
catch (TemplateException ex)
{
    logger.LogError("{Error}", ex.Message);
    return 1;
}
